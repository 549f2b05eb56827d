/* SPDX-License-Identifier: MIT */
/*
 * Findings: what a check concluded, with a stable code, a status, the
 * measured facts behind it and a short English message for logs.
 *
 * Codes are "area.what" (php.eol, tls.expires_soon). They are the contract
 * with the collector, alert rules and report templates: never rename one.
 */
#ifndef HUOLTO_FINDING_H
#define HUOLTO_FINDING_H

#include <jansson.h>
#include <stddef.h>

#include "huolto/status.h"

/* At most this many findings in one list; further ones are counted, not kept. */
#define HU_FINDINGS_MAX 4096

struct hu_finding {
	char *code; /* "php.eol" */
	enum hu_status status;
	char *target;  /* what was checked, e.g. "/usr/bin/php8.2"; may be NULL */
	char *message; /* one English sentence */
	json_t *facts; /* a JSON object, never NULL */
};

struct hu_findings {
	struct hu_finding *v;
	size_t n;
	size_t cap;
	size_t dropped; /* findings refused because the list was full */
};

#define HU_FINDINGS_INIT      \
	{                     \
		NULL, 0, 0, 0 \
	}

/*
 * Add a finding. facts is a JSON object or NULL (an empty one is used); the
 * reference is stolen in every case. target may be NULL. Returns 0, -E2BIG
 * when the list is full (counted in dropped), -EINVAL for a malformed code,
 * or -ENOMEM.
 */
int hu_findings_add(struct hu_findings *f, enum hu_status status, const char *code,
		    const char *target, json_t *facts, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Move every finding of src to the end of dst; src is left empty. */
int hu_findings_move(struct hu_findings *dst, struct hu_findings *src);

/* The worst status in the list (HU_OK when empty). */
enum hu_status hu_findings_worst(const struct hu_findings *f);

/* Sort worst first (by hu_status_rank), then by code and target. */
void hu_findings_sort(struct hu_findings *f);

/* Find the first finding with this code, or NULL. */
const struct hu_finding *hu_findings_find(const struct hu_findings *f, const char *code);

/* A JSON array of finding objects (new reference), NULL on ENOMEM. */
json_t *hu_findings_to_json(const struct hu_findings *f);

/* True when code has the form area.what: [a-z0-9_]+(\.[a-z0-9_]+)+ */
int hu_finding_code_valid(const char *code);

void hu_findings_clear(struct hu_findings *f);

#endif
