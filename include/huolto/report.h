/* SPDX-License-Identifier: MIT */
/*
 * The report document: one per agent run, JSON, schema version 1, as
 * documented field by field in docs/report-schema.md.
 */
#ifndef HUOLTO_REPORT_H
#define HUOLTO_REPORT_H

#include <jansson.h>
#include <time.h>

#include "huolto/check.h"
#include "huolto/site.h"
#include "huolto/status.h"
#include "huolto/strv.h"

#define HU_REPORT_SCHEMA 1

struct hu_report {
	char id[37]; /* random UUID (version 4) */
	char *agent_name;
	char *agent_version;
	time_t generated_at;
	time_t evaluated_at; /* the time dates were judged against; 0: generated_at */
	char *hostname;
	char *os;              /* PRETTY_NAME of os-release, may be NULL */
	struct hu_strv checks; /* names of the checks that ran */
	struct hu_result server;
	struct hu_sites sites;          /* owned */
	struct hu_result *site_results; /* site_results[i] belongs to sites.v[i] */
};

/*
 * Start a report for sites (ownership of their contents moves into the
 * report; *sites is left empty). A fresh id is drawn from OpenSSL's RNG.
 */
int hu_report_init(struct hu_report *r, const char *agent_name, const char *agent_version,
		   time_t generated_at, struct hu_sites *sites, struct hu_err *err);
void hu_report_clear(struct hu_report *r);

/* The worst status of every finding in the report (HU_OK when none). */
enum hu_status hu_report_worst(const struct hu_report *r);

/* Count findings by status into counts[_HU_STATUS_MAX]. */
void hu_report_count(const struct hu_report *r, unsigned long counts[_HU_STATUS_MAX]);

/* The document as JSON (new reference), NULL on ENOMEM. */
json_t *hu_report_to_json(const struct hu_report *r);

/* Format t as "2026-11-22T03:00:00Z" into buf (at least 21 bytes). */
const char *hu_time_iso8601(time_t t, char *buf, size_t len);

/* Parse "2026-11-22T03:00:00Z" (as hu_time_iso8601 writes it): 0, or -EINVAL. */
int hu_time_parse_iso8601(const char *s, time_t *ret);

/* A random UUID version 4 into buf (37 bytes). */
int hu_uuid4(char buf[37]);

#endif
