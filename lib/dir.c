/* SPDX-License-Identifier: MIT */
/* Directory listings (struct hu_dir): entries with what the listing said of their type. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/host.h"

int hu_dir_push(struct hu_dir *d, const char *name, enum hu_file_type type)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct hu_dirent *v = realloc(d->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	d->v[d->n++] = (struct hu_dirent){ .name = copy, .type = type };
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct hu_dirent *x = a, *y = b;

	return strcmp(x->name, y->name);
}

void hu_dir_sort(struct hu_dir *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), by_name);
}

void hu_dir_clear(struct hu_dir *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	*d = (struct hu_dir)HU_DIR_INIT;
}
