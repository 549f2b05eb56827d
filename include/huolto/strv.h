/* SPDX-License-Identifier: MIT */
/*
 * A growable vector of owned strings.
 */
#ifndef HUOLTO_STRV_H
#define HUOLTO_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct hu_strv {
	char **v; /* owned strings; v[n] is NULL when n > 0 */
	size_t n;
	size_t cap;
};

#define HU_STRV_INIT       \
	{                  \
		NULL, 0, 0 \
	}

/* Append a copy of s. Returns 0 or -ENOMEM. */
int hu_strv_push(struct hu_strv *sv, const char *s);

/* Append s, taking ownership (freed on failure too). */
int hu_strv_push_owned(struct hu_strv *sv, char *s);

/* Append a copy of s unless an equal string is present. */
int hu_strv_push_unique(struct hu_strv *sv, const char *s);

/* Append a copy of each string of src not yet present. */
int hu_strv_merge(struct hu_strv *sv, const struct hu_strv *src);

bool hu_strv_contains(const struct hu_strv *sv, const char *s);

/* Sort in strcmp order. */
void hu_strv_sort(struct hu_strv *sv);

/* Free every string and the vector; sv may be NULL. Leaves sv empty. */
void hu_strv_clear(struct hu_strv *sv);

#endif
