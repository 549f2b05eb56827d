/* SPDX-License-Identifier: MIT */
/*
 * What the collector answers, apart from HTTP: http.c checks the request and
 * the credential, then asks here for the answer's status and body. Kept
 * free of libmicrohttpd so that unit tests can call it.
 */
#ifndef HUOLTO_COLLECTOR_API_H
#define HUOLTO_COLLECTOR_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "huolto/schema.h"
#include "alerter.h"
#include "catalog_index.h"
#include "metrics.h"
#include "store.h"

#define API_JSON    "application/json"
#define API_METRICS "text/plain; version=0.0.4; charset=utf-8"

struct api {
	struct store *store;
	const struct hu_schema *schema;
	struct metrics *metrics;
	int64_t grace_ms;                  /* heartbeat.grace */
	const struct store_alerts *alerts; /* NULL: no alerting */
	struct alerter *alerter;           /* told when a document queued alerts; may be NULL */
	struct catalog_live *catalog;      /* evaluation on ingest; NULL: none */
};

struct api_answer {
	unsigned status;
	const char *content_type; /* static */
	char *body;               /* owned */
	size_t len;
};

/* An error answer: {"error": text, "field": field (when not NULL nor "")}. */
int api_error(struct api_answer *ret, unsigned status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void api_answer_clear(struct api_answer *a);

/*
 * POST /api/v1/reports from agent (the credential's name), body text:
 * 201 stored, 200 duplicate, 400, 403, 500. Counts the result in a->metrics;
 * *ret_reason is the rejection reason when the status is not 2xx.
 */
int api_report(const struct api *a, const char *agent, const char *text, size_t len, time_t now,
	       struct api_answer *ret, enum reject_reason *ret_reason);

/* GET of path under /api/v1/ (sites, sites/NAME, agents, alerts): 200, 404, 500. */
int api_read(const struct api *a, const char *path, struct api_answer *ret);

/* GET /metrics. */
int api_metrics(const struct api *a, time_t now, struct api_answer *ret);

/* Agents whose last document (or, with none, their credential) is older than grace_ms. */
long api_agents_silent(const json_t *agents, time_t now, int64_t grace_ms);

#endif
