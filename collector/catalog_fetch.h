/* SPDX-License-Identifier: MIT */
/*
 * One request to an upstream feed with libcurl: a conditional GET (or a
 * form POST), gzip, timeouts, redirects to HTTPS only, and the body streamed
 * to a file under a size cap.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_FETCH_H
#define HUOLTO_COLLECTOR_CATALOG_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huolto/err.h"

struct catalog_request {
	const char *url;
	const char *etag;          /* sent as If-None-Match, or NULL */
	const char *last_modified; /* sent as If-Modified-Since, or NULL */
	const char *post;          /* a form body (application/x-www-form-urlencoded), or NULL */
	size_t post_len;
	const char *bearer;      /* Authorization: Bearer, or NULL (never logged) */
	int64_t max_body;        /* bytes; a larger body fails with -EFBIG */
	int64_t timeout_ms;      /* the whole request */
	const char *ca_file;     /* CA bundle, or NULL for the system's */
	const char *out_path;    /* the body goes here (created 0600, truncated) */
	const atomic_bool *stop; /* set: abort, or NULL */
	bool not_found_ok;       /* a 404 is an answer (status 404, body in out_path) */
	/* For addresses a customer server named (Joomla extensions' update servers): */
	bool https_only;  /* refuse http:// (-EACCES) */
	bool public_only; /* refuse to connect to loopback, private, link-local addresses */
};

struct catalog_answer {
	long status; /* 200 or an accepted 404 (body in out_path), 304 (out_path left empty) */
	char *etag;  /* the answer's validators, or NULL */
	char *last_modified;
	int64_t retry_after_s; /* Retry-After in seconds when the feed sent one, else 0 */
};

void catalog_answer_clear(struct catalog_answer *a);

/*
 * Run q. 0 with status 200 or 304; otherwise an error that says why:
 * -ETIMEDOUT, -EFBIG (over max_body), -EPROTO (another HTTP status; the
 * answer's status and Retry-After are still filled in), -ECANCELED (stop),
 * -EIO (the network or TLS, in libcurl's words), -EACCES (https_only or
 * public_only refused the address).
 */
int catalog_fetch(const struct catalog_request *q, struct catalog_answer *ret, struct hu_err *err);

#endif
