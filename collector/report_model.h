/* SPDX-License-Identifier: MIT */
/*
 * A site's monthly report as data (the "model"): everything the HTML and
 * PDF renderers show, built only from the month's stored documents, the
 * catalog and the hours log, as JSON so that closing a month can freeze
 * it in the store (month close) and a closed month's report never
 * changes. docs/reports.md describes what each part holds.
 *
 * Months are calendar months in UTC; a document belongs to the month its
 * generated_at falls in.
 */
#ifndef HUOLTO_COLLECTOR_REPORT_MODEL_H
#define HUOLTO_COLLECTOR_REPORT_MODEL_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "catalog_index.h"
#include "customer_conf.h"
#include "store.h"

/* The model's layout version ("version"); a frozen model of another is refused. */
#define REPORT_MODEL_VERSION 1

struct report_src {
	struct store *store;
	const struct customers_conf *customers;
	const struct catalog_index *catalog; /* NULL: no catalog configured */
	int64_t grace_s; /* heartbeat.grace: a longer gap without documents is a silent period */
	time_t now;
};

/* "2026-11" as [from, to) in Unix time (UTC): 0, or -EINVAL. */
int report_month_bounds(const char *month, time_t *from, time_t *to);

/* The model of site for month into *ret (owned). */
int report_model_build(const struct report_src *src, const char *site, const char *month,
		       json_t **ret, struct hu_err *err);
/*
 * The models of the n sites for month, [model, ...] in their order: each of
 * the month's documents is read once for all of them.
 */
int report_models_build(const struct report_src *src, const char *const *sites, size_t n,
			const char *month, json_t **ret, struct hu_err *err);

/*
 * What the model builder takes from each document (report_series.c): the
 * certificates each endpoint served and the database connections per day.
 */
struct report_series {
	json_t *certs; /* {endpoint: {fingerprint: cert}} */
	json_t *db;    /* {account: {limits..., days: {YYYY-MM-DD: {server, account}}}} */
};

int report_series_init(struct report_series *s);
/* Take in site (a document's sites[] object) generated at at. */
int report_series_add(struct report_series *s, const json_t *site, time_t at);
/* The model's "certs" and "db" arrays into model; clears s. */
int report_series_finish(struct report_series *s, json_t *model);
void report_series_clear(struct report_series *s);

/*
 * What changed between first and last (a site's object in the month's
 * first and last documents): [{area, what, name, from, to}] (report_changes.c).
 */
json_t *report_changes(const json_t *first, const json_t *last);

#endif
