/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/err.h"

const char *hu_strerror(int errnum, char *buf, size_t len)
{
	if (errnum < 0)
		errnum = -errnum;
	/* GNU strerror_r: returns a string that may or may not be buf. */
	const char *s = strerror_r(errnum, buf, len);
	if (s != buf)
		snprintf(buf, len, "%s", s);
	return buf;
}

static int err_vset(struct hu_err *err, int code, const char *suffix, const char *fmt, va_list ap)
{
	char *msg = NULL, *full = NULL;

	if (!err)
		return code;
	if (vasprintf(&msg, fmt, ap) < 0)
		return code; /* keep the old message rather than none */
	if (suffix) {
		if (asprintf(&full, "%s: %s", msg, suffix) < 0) {
			free(msg);
			return code;
		}
		free(msg);
		msg = full;
	}
	free(err->msg);
	err->msg = msg;
	return code;
}

int hu_err_set(struct hu_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = err_vset(err, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int hu_err_errno(struct hu_err *err, int errnum, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int code = errnum < 0 ? errnum : -errnum;

	va_start(ap, fmt);
	code = err_vset(err, code, hu_strerror(errnum, buf, sizeof(buf)), fmt, ap);
	va_end(ap);
	return code;
}

void hu_err_prefix(struct hu_err *err, const char *fmt, ...)
{
	char *prefix = NULL, *full = NULL;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	int r = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	if (asprintf(&full, "%s: %s", prefix, hu_err_msg(err)) >= 0) {
		free(err->msg);
		err->msg = full;
	}
	free(prefix);
}

const char *hu_err_msg(const struct hu_err *err)
{
	return err && err->msg ? err->msg : "unknown error";
}

const char *hu_err_text(const struct hu_err *err, int code, char *buf, size_t len)
{
	return err && err->msg ? err->msg : hu_strerror(code, buf, len);
}

void hu_err_clear(struct hu_err *err)
{
	if (!err)
		return;
	free(err->msg);
	err->msg = NULL;
}
