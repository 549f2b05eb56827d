/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/json.h"
#include "huolto/strv.h"

int hu_strv_push_owned(struct hu_strv *sv, char *s)
{
	if (!s)
		return -ENOMEM;
	if (sv->n + 2 > sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			return -ENOMEM;
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

int hu_strv_push(struct hu_strv *sv, const char *s)
{
	return hu_strv_push_owned(sv, strdup(s));
}

bool hu_strv_contains(const struct hu_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

int hu_strv_push_unique(struct hu_strv *sv, const char *s)
{
	if (hu_strv_contains(sv, s))
		return 0;
	return hu_strv_push(sv, s);
}

int hu_strv_merge(struct hu_strv *sv, const struct hu_strv *src)
{
	for (size_t i = 0; i < src->n; i++) {
		int r = hu_strv_push_unique(sv, src->v[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void hu_strv_sort(struct hu_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}

void hu_strv_clear(struct hu_strv *sv)
{
	if (!sv)
		return;
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

json_t *hu_json_strv(const struct hu_strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < sv->n; i++)
		if (json_array_append_new(a, json_string(sv->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}
