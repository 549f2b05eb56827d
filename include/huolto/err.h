/* SPDX-License-Identifier: MIT */
/*
 * The one error convention: a fallible function returns int, 0 on success
 * and a negative errno value on failure. Where the caller needs to know
 * more than the errno says (file, line, the library's own error text), the
 * function also takes a struct hu_err * and fills in a message.
 *
 * Library codes (CURLcode, ares_status, OpenSSL errors, yaml errors) are
 * converted to an errno at the boundary; their text goes into the message.
 */
#ifndef HUOLTO_ERR_H
#define HUOLTO_ERR_H

#include <stddef.h>

struct hu_err {
	char *msg; /* owned; NULL when no message was set */
};

#define HU_ERR_INIT  \
	{            \
		NULL \
	}

/*
 * Set the message (replacing any earlier one) and return code, so that a
 * failure reads `return hu_err_set(err, -EINVAL, "...")`. err may be NULL,
 * in which case only the code is returned. code should be negative.
 */
int hu_err_set(struct hu_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like hu_err_set, with ": <text of errnum>" appended. errnum is positive or negative. */
int hu_err_errno(struct hu_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with "prefix: " (keeps it when prefixing fails). */
void hu_err_prefix(struct hu_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message, or "unknown error" when none was set. Never NULL. */
const char *hu_err_msg(const struct hu_err *err);

/* The message, or when none was set the text of code into buf. Never NULL. */
const char *hu_err_text(const struct hu_err *err, int code, char *buf, size_t len);

/* Release the message; err may be NULL. */
void hu_err_clear(struct hu_err *err);

/* Text of an errno value (positive or negative) into buf; returns buf. */
const char *hu_strerror(int errnum, char *buf, size_t len);

#endif
