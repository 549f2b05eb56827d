/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store: WAL mode, versioned migrations (PRAGMA user_version),
 * prepared statements only, one transaction per call, calls serialized by
 * a mutex so that the server's threads can share one store.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

/* Each migration takes the database from version i to i + 1. */
static const char *const migrations[] = {
	/* 1: credentials, documents, sites, inventory, current state. */
	"CREATE TABLE principals ("
	" id INTEGER PRIMARY KEY,"
	" role TEXT NOT NULL CHECK (role IN ('agent', 'operator')),"
	" name TEXT NOT NULL,"
	" token_sha256 TEXT NOT NULL UNIQUE,"
	" created_at INTEGER NOT NULL,"
	" revoked_at INTEGER);"
	"CREATE UNIQUE INDEX principals_live ON principals(role, name) WHERE revoked_at IS NULL;"
	"CREATE TABLE documents ("
	" id TEXT PRIMARY KEY,"
	" agent TEXT NOT NULL,"
	" generated_at TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" body TEXT NOT NULL);"
	"CREATE INDEX documents_agent ON documents(agent, received_at);"
	"CREATE TABLE sites ("
	" name TEXT PRIMARY KEY,"
	" agent TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" document TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE inventory ("
	" site TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" slug TEXT,"
	" version TEXT,"
	" item TEXT NOT NULL);"
	"CREATE INDEX inventory_site ON inventory(site);"
	"CREATE TABLE state ("
	" agent TEXT NOT NULL,"
	" site TEXT NOT NULL," /* '' for the server's own findings */
	" code TEXT NOT NULL,"
	" target TEXT NOT NULL," /* '' when the finding has none */
	" status TEXT NOT NULL,"
	" message TEXT,"
	" facts TEXT,"
	" since INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" document TEXT NOT NULL,"
	" PRIMARY KEY (agent, site, code, target));",
	/* 2: the alert state and the delivery queue (store_sqlite_alerts.c). */
	sq_alerts_migration,
	/* 3: findings the collector added from the catalog ('catalog'), apart from the agent's
	   (''). */
	"ALTER TABLE state ADD COLUMN origin TEXT NOT NULL DEFAULT '';",
	/* 4: the hours log and month locks (store_sqlite_hours.c). */
	sq_hours_migration,
	/* 5: which documents reported on each site, and reports frozen with their month. */
	sq_reports_migration,
	/* 6: site_documents keyed by time, so that a document's rows are adjacent. */
	sq_reports_by_time_migration,
};

struct sq {
	sqlite3 *db;
	pthread_mutex_t lock;
};

static struct sq *SQ(struct store *s)
{
	return s->data;
}

static const char *role_name(enum store_role role)
{
	return role == STORE_AGENT ? "agent" : "operator";
}

static int do_principal_add(struct store *s, enum store_role role, const char *name,
			    const char *token_sha256, time_t now, struct hu_err *err)
{
	sqlite3 *db = SQ(s)->db;
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db,
			   "INSERT INTO principals (role, name, token_sha256, created_at) "
			   "VALUES (?, ?, ?, ?)",
			   &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, role_name(role));
	sq_bind_text(st, 2, name);
	sq_bind_text(st, 3, token_sha256);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT)
		r = hu_err_set(err, -EEXIST, "an %s named \"%s\" exists (revoke it first)",
			       role_name(role), name);
	else if (rc != SQLITE_DONE)
		r = sq_db_error(db, err, "adding a credential");
	sqlite3_finalize(st);
	return r;
}

static int do_principal_revoke(struct store *s, enum store_role role, const char *name, time_t now,
			       struct hu_err *err)
{
	sqlite3 *db = SQ(s)->db;
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db,
			   "UPDATE principals SET revoked_at = ? "
			   "WHERE role = ? AND name = ? AND revoked_at IS NULL",
			   &st, err);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sq_bind_text(st, 2, role_name(role));
	sq_bind_text(st, 3, name);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(db, err, "revoking");
	else if (sqlite3_changes(db) == 0)
		r = hu_err_set(err, -ENOENT, "no %s named \"%s\" with a live credential",
			       role_name(role), name);
	sqlite3_finalize(st);
	return r;
}

/* The name of the live credential holder of role whose column by equals value. */
static int lookup(struct store *s, enum store_role role, bool by_name, const char *value,
		  char **ret_name, struct hu_err *err)
{
	sqlite3 *db = SQ(s)->db;
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db,
			   by_name ? "SELECT name FROM principals "
				     "WHERE name = ? AND role = ? AND revoked_at IS NULL"
				   : "SELECT name FROM principals "
				     "WHERE token_sha256 = ? AND role = ? AND revoked_at IS NULL",
			   &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, value);
	sq_bind_text(st, 2, role_name(role));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_name = strdup((const char *)sqlite3_column_text(st, 0));
		r = *ret_name ? 0 : -ENOMEM;
	} else if (rc == SQLITE_DONE) {
		r = -ENOENT;
	} else {
		r = sq_db_error(db, err, "looking up a credential");
	}
	sqlite3_finalize(st);
	return r;
}

static int do_principal_find(struct store *s, enum store_role role, const char *token_sha256,
			     char **ret_name, struct hu_err *err)
{
	return lookup(s, role, false, token_sha256, ret_name, err);
}

static int do_principal_active(struct store *s, enum store_role role, const char *name,
			       struct hu_err *err)
{
	char *found = NULL;
	int r = lookup(s, role, true, name, &found, err);

	free(found);
	return r;
}

static int query(struct store *s, const char *sql, const char *arg, json_t **ret,
		 struct hu_err *err)
{
	sqlite3 *db = SQ(s)->db;
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, sql, &st, err);

	if (r < 0)
		return r;
	if (arg)
		sq_bind_text(st, 1, arg);
	r = sq_rows(db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}

static int do_principal_list(struct store *s, enum store_role role, json_t **ret,
			     struct hu_err *err)
{
	if (role == STORE_OPERATOR)
		return query(s,
			     "SELECT name, created_at, revoked_at FROM principals "
			     "WHERE role = 'operator' ORDER BY name, created_at",
			     NULL, ret, err);
	return query(s,
		     "SELECT p.name, p.created_at, p.revoked_at,"
		     " (SELECT count(*) FROM documents d WHERE d.agent = p.name) AS documents,"
		     " (SELECT max(received_at) FROM documents d WHERE d.agent = p.name)"
		     " AS last_report "
		     "FROM principals p WHERE p.role = 'agent' ORDER BY p.name, p.created_at",
		     NULL, ret, err);
}

static int do_site_list(struct store *s, json_t **ret, struct hu_err *err)
{
	return query(s, "SELECT name, agent, status, updated_at, document FROM sites ORDER BY name",
		     NULL, ret, err);
}

/* Replace each row of rows by its column, stored as JSON text, parsed back. */
static void json_texts(json_t *rows, const char *column)
{
	json_t *o;
	size_t i;

	json_array_foreach(rows, i, o) json_array_set_new(
	    rows, i, json_loads(json_string_value(json_object_get(o, column)), 0, NULL));
}

static int do_site_get(struct store *s, const char *name, json_t **ret, struct hu_err *err)
{
	json_t *site = NULL, *findings = NULL, *inv = NULL;
	int r;

	r = query(s, "SELECT name, agent, status, updated_at, document FROM sites WHERE name = ?",
		  name, &site, err);
	if (r >= 0 && json_array_size(site) == 0)
		r = hu_err_set(err, -ENOENT, "no site named \"%s\"", name);
	if (r >= 0)
		r = query(s,
			  "SELECT code, status, nullif(target, '') AS target, message, facts,"
			  " since, updated_at, nullif(origin, '') AS origin FROM state"
			  " WHERE site = ? ORDER BY code, target",
			  name, &findings, err);
	if (r >= 0)
		r = query(s, "SELECT item FROM inventory WHERE site = ? ORDER BY rowid", name, &inv,
			  err);
	if (r >= 0) {
		size_t i;
		json_t *o;
		/* Stored as JSON text: back to JSON. */
		json_array_foreach(findings, i, o) json_object_set_new(
		    o, "facts",
		    json_loads(json_string_value(json_object_get(o, "facts")), 0, NULL));
		json_texts(inv, "item");
		*ret = json_incref(json_array_get(site, 0));
		json_object_set(*ret, "findings", findings);
		json_object_set(*ret, "inventory", inv);
	}
	json_decref(site);
	json_decref(findings);
	json_decref(inv);
	return r;
}

static int do_documents_current(struct store *s, json_t **ret, struct hu_err *err)
{
	json_t *rows = NULL, *ids;
	size_t i;
	int r = query(s,
		      "SELECT id FROM documents WHERE rowid IN"
		      " (SELECT max(rowid) FROM documents GROUP BY agent) ORDER BY agent",
		      NULL, &rows, err);

	if (r < 0)
		return r;
	ids = json_array();
	for (i = 0; ids && i < json_array_size(rows); i++)
		json_array_append(ids, json_object_get(json_array_get(rows, i), "id"));
	json_decref(rows);
	if (!ids)
		return -ENOMEM;
	*ret = ids;
	return 0;
}

static int do_inventory_distinct(struct store *s, json_t **ret, struct hu_err *err)
{
	json_t *rows = NULL;
	/* Without what differs from site to site for the same item. */
	int r = query(s,
		      "SELECT DISTINCT json_remove(item, '$.path', '$.name') AS item"
		      " FROM inventory ORDER BY 1",
		      NULL, &rows, err);

	if (r < 0)
		return r;
	json_texts(rows, "item");
	*ret = rows;
	return 0;
}

static int do_document_get(struct store *s, const char *id, char **ret, size_t *ret_len,
			   struct hu_err *err)
{
	sqlite3 *db = SQ(s)->db;
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, "SELECT body FROM documents WHERE id = ?", &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *body = sqlite3_column_blob(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		*ret = malloc(n + 1);
		if (*ret) {
			memcpy(*ret, body, n);
			(*ret)[n] = 0;
			*ret_len = n;
		} else {
			r = -ENOMEM;
		}
	} else if (rc == SQLITE_DONE) {
		r = hu_err_set(err, -ENOENT, "no document %s", id);
	} else {
		r = sq_db_error(db, err, "reading a document");
	}
	sqlite3_finalize(st);
	return r;
}

static int do_counts(struct store *s, json_t **ret, struct hu_err *err)
{
	json_t *docs = NULL, *by = NULL, *out = NULL;
	int r = query(s,
		      "SELECT (SELECT count(*) FROM documents) AS documents,"
		      " (SELECT count(DISTINCT name) FROM principals WHERE role = 'agent'"
		      " AND revoked_at IS NULL) AS agents,"
		      " (SELECT count(*) FROM alerts WHERE firing = 1) AS alerts_firing,"
		      " (SELECT count(*) FROM alert_queue) AS alerts_queued",
		      NULL, &docs, err);

	if (r >= 0)
		r = query(s, "SELECT status, count(*) AS n FROM state GROUP BY status", NULL, &by,
			  err);
	if (r >= 0) {
		json_t *f = json_pack("{s:i,s:i,s:i,s:i}", "ok", 0, "warning", 0, "critical", 0,
				      "unknown", 0);
		size_t i;
		json_t *o;
		json_array_foreach(by, i, o) json_object_set(
		    f, json_string_value(json_object_get(o, "status")), json_object_get(o, "n"));
		out = json_deep_copy(json_array_get(docs, 0));
		if (!out || !f || json_object_set_new(out, "findings", f) < 0)
			r = -ENOMEM;
	}
	json_decref(docs);
	json_decref(by);
	if (r < 0) {
		json_decref(out);
		return r;
	}
	*ret = out;
	return 0;
}

/* ---- the ops: each call holds the lock, so that transactions do not interleave ---- */

#define LOCKED(call)                                \
	do {                                        \
		pthread_mutex_lock(&SQ(s)->lock);   \
		int r_ = (call);                    \
		pthread_mutex_unlock(&SQ(s)->lock); \
		return r_;                          \
	} while (0)

static int sq_principal_add(struct store *s, enum store_role role, const char *name,
			    const char *token_sha256, time_t now, struct hu_err *err)
{
	LOCKED(do_principal_add(s, role, name, token_sha256, now, err));
}

static int sq_principal_revoke(struct store *s, enum store_role role, const char *name, time_t now,
			       struct hu_err *err)
{
	LOCKED(do_principal_revoke(s, role, name, now, err));
}

static int sq_principal_find(struct store *s, enum store_role role, const char *token_sha256,
			     char **ret_name, struct hu_err *err)
{
	LOCKED(do_principal_find(s, role, token_sha256, ret_name, err));
}

static int sq_principal_active(struct store *s, enum store_role role, const char *name,
			       struct hu_err *err)
{
	LOCKED(do_principal_active(s, role, name, err));
}

static int sq_principal_list(struct store *s, enum store_role role, json_t **ret,
			     struct hu_err *err)
{
	LOCKED(do_principal_list(s, role, ret, err));
}

static int sq_document_put(struct store *s, const struct store_doc *d, struct store_put *ret,
			   struct hu_err *err)
{
	return sqp_document_put(SQ(s)->db, &SQ(s)->lock, d, ret, err);
}

static int sq_site_list(struct store *s, json_t **ret, struct hu_err *err)
{
	LOCKED(do_site_list(s, ret, err));
}

static int sq_site_get(struct store *s, const char *name, json_t **ret, struct hu_err *err)
{
	LOCKED(do_site_get(s, name, ret, err));
}

static int sq_documents_current(struct store *s, json_t **ret, struct hu_err *err)
{
	LOCKED(do_documents_current(s, ret, err));
}

static int sq_inventory_distinct(struct store *s, json_t **ret, struct hu_err *err)
{
	LOCKED(do_inventory_distinct(s, ret, err));
}

static int sq_document_get(struct store *s, const char *id, char **ret, size_t *ret_len,
			   struct hu_err *err)
{
	LOCKED(do_document_get(s, id, ret, ret_len, err));
}

static int sq_counts(struct store *s, json_t **ret, struct hu_err *err)
{
	LOCKED(do_counts(s, ret, err));
}

static int sq_alert_tick(struct store *s, const struct store_alerts *a, time_t now,
			 unsigned *ret_queued, struct hu_err *err)
{
	LOCKED(sqa_tick(SQ(s)->db, a, now, ret_queued, err));
}

static int sq_queue_next(struct store *s, const char *channel, time_t now, struct store_queued *ret,
			 struct hu_err *err)
{
	LOCKED(sqa_queue_next(SQ(s)->db, channel, now, ret, err));
}

static int sq_queue_done(struct store *s, int64_t id, struct hu_err *err)
{
	LOCKED(sqa_queue_done(SQ(s)->db, id, err));
}

static int sq_queue_retry(struct store *s, int64_t id, time_t next_at, const char *error,
			  struct hu_err *err)
{
	LOCKED(sqa_queue_retry(SQ(s)->db, id, next_at, error, err));
}

static int sq_alert_list(struct store *s, json_t **ret, struct hu_err *err)
{
	LOCKED(sqa_list(SQ(s)->db, ret, err));
}

static int sq_hours_add(struct store *s, const struct store_hours *v, size_t n, time_t now,
			int64_t *ret_first_id, struct hu_err *err)
{
	LOCKED(sqh_add(SQ(s)->db, v, n, now, ret_first_id, err));
}

static int sq_hours_edit(struct store *s, const struct store_hours *h, time_t now,
			 struct hu_err *err)
{
	LOCKED(sqh_edit(SQ(s)->db, h, now, err));
}

static int sq_hours_delete(struct store *s, int64_t id, struct hu_err *err)
{
	LOCKED(sqh_delete(SQ(s)->db, id, err));
}

static int sq_hours_list(struct store *s, const char *month, const char *site, int64_t id,
			 json_t **ret, struct hu_err *err)
{
	LOCKED(sqh_list(SQ(s)->db, month, site, id, ret, err));
}

static int sq_month_set(struct store *s, const char *month, bool closed, const char *who,
			time_t now, const struct store_frozen *frozen, size_t n, struct hu_err *err)
{
	LOCKED(sqh_month_set(SQ(s)->db, month, closed, who, now, frozen, n, err));
}

static int sq_month_frozen(struct store *s, const char *month, json_t **ret, struct hu_err *err)
{
	LOCKED(sqr_frozen(SQ(s)->db, month, ret, err));
}

static int sq_site_documents(struct store *s, const char *site, time_t from, time_t to,
			     json_t **ret, struct hu_err *err)
{
	LOCKED(sqr_site_documents(SQ(s)->db, site, from, to, ret, err));
}

static int sq_sites_between(struct store *s, time_t from, time_t to, json_t **ret,
			    struct hu_err *err)
{
	LOCKED(sqr_sites_between(SQ(s)->db, from, to, ret, err));
}

static int sq_month_get(struct store *s, const char *month, json_t **ret, struct hu_err *err)
{
	LOCKED(sqh_month_get(SQ(s)->db, month, ret, err));
}

static void sq_close(struct store *s)
{
	sqlite3_close(SQ(s)->db);
	pthread_mutex_destroy(&SQ(s)->lock);
	free(s->data);
	free(s);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.principal_add = sq_principal_add,
	.principal_revoke = sq_principal_revoke,
	.principal_find = sq_principal_find,
	.principal_active = sq_principal_active,
	.principal_list = sq_principal_list,
	.document_put = sq_document_put,
	.site_list = sq_site_list,
	.site_get = sq_site_get,
	.documents_current = sq_documents_current,
	.document_get = sq_document_get,
	.inventory_distinct = sq_inventory_distinct,
	.counts = sq_counts,
	.alert_tick = sq_alert_tick,
	.queue_next = sq_queue_next,
	.queue_done = sq_queue_done,
	.queue_retry = sq_queue_retry,
	.alert_list = sq_alert_list,
	.hours_add = sq_hours_add,
	.hours_edit = sq_hours_edit,
	.hours_delete = sq_hours_delete,
	.hours_list = sq_hours_list,
	.month_set = sq_month_set,
	.month_get = sq_month_get,
	.month_frozen = sq_month_frozen,
	.site_documents = sq_site_documents,
	.sites_between = sq_sites_between,
	.close = sq_close,
};

int store_sqlite_version(void)
{
	return (int)(sizeof(migrations) / sizeof(*migrations));
}

int store_sqlite_open(const char *path, struct store **ret, struct hu_err *err)
{
	struct store *s = calloc(1, sizeof(*s));
	struct sq *q = calloc(1, sizeof(*q));
	int r;

	if (!s || !q) {
		free(s);
		free(q);
		return -ENOMEM;
	}
	s->ops = &sqlite_ops;
	s->data = q;
	pthread_mutex_init(&q->lock, NULL);
	r = sq_open(path, migrations, sizeof(migrations) / sizeof(*migrations), &q->db, err);
	if (r < 0) {
		sq_close(s);
		return r;
	}
	*ret = s;
	return 0;
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

void store_queued_clear(struct store_queued *q)
{
	free(q->channel);
	free(q->event);
	*q = (struct store_queued){ 0 };
}
