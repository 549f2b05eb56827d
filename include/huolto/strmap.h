/* SPDX-License-Identifier: MIT */
/*
 * A map from strings to pointers (open addressing, FNV-1a). Keys are
 * copied; values are the caller's.
 */
#ifndef HUOLTO_STRMAP_H
#define HUOLTO_STRMAP_H

#include <stddef.h>

struct hu_strmap_entry {
	char *key; /* NULL: empty slot */
	void *value;
};

struct hu_strmap {
	struct hu_strmap_entry *v;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

#define HU_STRMAP_INIT     \
	{                  \
		NULL, 0, 0 \
	}

/* Set key to value (replacing an earlier value). 0 or -ENOMEM. */
int hu_strmap_put(struct hu_strmap *m, const char *key, void *value);
/* The value of key, or NULL. */
void *hu_strmap_get(const struct hu_strmap *m, const char *key);
/* Free the keys and, when free_value is given, every value. */
void hu_strmap_clear(struct hu_strmap *m, void (*free_value)(void *));

#endif
