/* SPDX-License-Identifier: MIT */
/* What the SQLite store's files share: statement helpers and the alert state's steps. */
#ifndef HUOLTO_COLLECTOR_STORE_SQLITE_INT_H
#define HUOLTO_COLLECTOR_STORE_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "alert_event.h"
#include "sq_util.h"
#include "store.h"

/*
 * Store d (store_sqlite_put.c): its JSON texts are made first, then lock is
 * held for the transaction only.
 */
int sqp_document_put(sqlite3 *db, pthread_mutex_t *lock, const struct store_doc *d,
		     struct store_put *ret, struct hu_err *err);

/* The alert state's SQL: migration 2. */
extern const char sq_alerts_migration[];

/*
 * Taking one document's findings into the alert state (store_sqlite_alerts.c),
 * inside document_put's transaction: sqa_begin, sqa_finding for each
 * finding, sqa_end.
 */
struct sqa {
	sqlite3 *db;
	const struct store_alerts *cfg;
	time_t now;
	sqlite3_stmt *get, *put, *del, *enqueue;
	unsigned queued; /* deliveries queued */
	struct hu_err *err;
};

int sqa_begin(struct sqa *a, sqlite3 *db, const struct store_alerts *cfg, const char *agent,
	      time_t now, struct hu_err *err);
int sqa_finding(struct sqa *a, const struct alert_subject *s);
/* After the last finding of agent's document: what it no longer reports, and agent.silent. */
int sqa_end(struct sqa *a, const char *agent, const char *document);
void sqa_free(struct sqa *a);

/* The ops behind store_ops (called under the store's lock). */
int sqa_tick(sqlite3 *db, const struct store_alerts *cfg, time_t now, unsigned *ret_queued,
	     struct hu_err *err);
int sqa_queue_next(sqlite3 *db, const char *channel, time_t now, struct store_queued *ret,
		   struct hu_err *err);
int sqa_queue_done(sqlite3 *db, int64_t id, struct hu_err *err);
int sqa_queue_retry(sqlite3 *db, int64_t id, time_t next_at, const char *error, struct hu_err *err);
int sqa_list(sqlite3 *db, json_t **ret, struct hu_err *err);

/* The hours log and month locks (store_sqlite_hours.c): migration 4, and the ops. */
extern const char sq_hours_migration[];
int sqh_add(sqlite3 *db, const struct store_hours *v, size_t n, time_t now, int64_t *ret_first_id,
	    struct hu_err *err);
int sqh_edit(sqlite3 *db, const struct store_hours *h, time_t now, struct hu_err *err);
int sqh_delete(sqlite3 *db, int64_t id, struct hu_err *err);
int sqh_list(sqlite3 *db, const char *month, const char *site, int64_t id, json_t **ret,
	     struct hu_err *err);
int sqh_month_set(sqlite3 *db, const char *month, bool closed, const char *who, time_t now,
		  const struct store_frozen *frozen, size_t n, struct hu_err *err);
int sqh_month_get(sqlite3 *db, const char *month, json_t **ret, struct hu_err *err);

/*
 * What the reports read (store_sqlite_reports.c): migration 5; each site of
 * a stored document (inside document_put's transaction); the ops.
 */
extern const char sq_reports_migration[];
/* Migration 6: site_documents keyed by time first. */
extern const char sq_reports_by_time_migration[];
int sqr_document_sites(sqlite3 *db, const struct store_doc *d, struct hu_err *err);
int sqr_site_documents(sqlite3 *db, const char *site, time_t from, time_t to, json_t **ret,
		       struct hu_err *err);
int sqr_sites_between(sqlite3 *db, time_t from, time_t to, json_t **ret, struct hu_err *err);
/* Replace month's frozen models by the n of v (inside month_set's transaction). */
int sqr_freeze(sqlite3 *db, const char *month, const struct store_frozen *v, size_t n,
	       struct hu_err *err);
int sqr_frozen(sqlite3 *db, const char *month, json_t **ret, struct hu_err *err);

#endif
