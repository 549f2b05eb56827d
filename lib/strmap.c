/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/strmap.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of key: where it is, or the empty slot where it would go. */
static size_t slot(const struct hu_strmap_entry *v, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);

	while (v[i].key && strcmp(v[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static int grow(struct hu_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct hu_strmap_entry *v = calloc(cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key)
			v[slot(v, cap, m->v[i].key)] = m->v[i];
	free(m->v);
	m->v = v;
	m->cap = cap;
	return 0;
}

int hu_strmap_put(struct hu_strmap *m, const char *key, void *value)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -ENOMEM;
	i = slot(m->v, m->cap, key);
	if (!m->v[i].key) {
		m->v[i].key = strdup(key);
		if (!m->v[i].key)
			return -ENOMEM;
		m->n++;
	}
	m->v[i].value = value;
	return 0;
}

void *hu_strmap_get(const struct hu_strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	return m->v[slot(m->v, m->cap, key)].value;
}

void hu_strmap_clear(struct hu_strmap *m, void (*free_value)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key) {
			free(m->v[i].key);
			if (free_value)
				free_value(m->v[i].value);
		}
	free(m->v);
	*m = (struct hu_strmap)HU_STRMAP_INIT;
}
