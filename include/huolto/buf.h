/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer with a hard maximum: every buffer that holds data
 * from outside has one. The data is always NUL-terminated (the terminator
 * is not counted in len), so text can be used as a C string.
 */
#ifndef HUOLTO_BUF_H
#define HUOLTO_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct hu_buf {
	char *data; /* owned; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* appends beyond this fail with -E2BIG; 0 means SIZE_MAX/2 */
};

#define HU_BUF_INIT(maxlen)          \
	{                            \
		NULL, 0, 0, (maxlen) \
	}

/* Append n bytes. -E2BIG (nothing appended) when max would be exceeded; -ENOMEM. */
int hu_buf_append(struct hu_buf *b, const void *data, size_t n);

/* Append as much of data as fits under max; returns the number of bytes appended. */
size_t hu_buf_append_some(struct hu_buf *b, const void *data, size_t n);

int hu_buf_printf(struct hu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hu_buf_vprintf(struct hu_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Hand the data to the caller (caller frees; never NULL on success: "" when empty). */
char *hu_buf_steal(struct hu_buf *b);

void hu_buf_clear(struct hu_buf *b);

#endif
