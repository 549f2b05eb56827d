/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"

static size_t buf_max(const struct hu_buf *b)
{
	return b->max ? b->max : SIZE_MAX / 2;
}

static int buf_reserve(struct hu_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d)
		return -ENOMEM;
	b->data = d;
	b->cap = cap;
	return 0;
}

int hu_buf_append(struct hu_buf *b, const void *data, size_t n)
{
	if (n > buf_max(b) - b->len)
		return -E2BIG;
	int r = buf_reserve(b, n);
	if (r < 0)
		return r;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

size_t hu_buf_append_some(struct hu_buf *b, const void *data, size_t n)
{
	size_t room = buf_max(b) - b->len;

	if (n > room)
		n = room;
	return hu_buf_append(b, data, n) == 0 ? n : 0;
}

int hu_buf_vprintf(struct hu_buf *b, const char *fmt, va_list ap)
{
	va_list aq;

	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n > buf_max(b) - b->len)
		return -E2BIG;
	int r = buf_reserve(b, (size_t)n);
	if (r < 0)
		return r;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int hu_buf_printf(struct hu_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = hu_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

char *hu_buf_steal(struct hu_buf *b)
{
	char *d = b->data;

	if (!d)
		d = strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void hu_buf_clear(struct hu_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
