/* SPDX-License-Identifier: MIT */
/*
 * Storing one document in SQLite: the document, each site, its inventory,
 * the current state of its findings and, with alerting, their alert state,
 * in one transaction.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

/*
 * The JSON texts a document stores (each inventory item, each finding's
 * facts), made before the store's lock is taken, so that the serving
 * threads serialize in parallel and only the SQL is one at a time. In the
 * order put_all stores them: the server's findings, then per site its
 * inventory and its findings.
 */
struct texts {
	char **v;
	size_t n, next;
};

static void texts_clear(struct texts *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	*t = (struct texts){ 0 };
}

/* Each element of array whole, or with facts its "facts". */
static int texts_add(struct texts *t, json_t *array, bool facts)
{
	size_t i;
	json_t *o;
	char **v = realloc(t->v, (t->n + json_array_size(array)) * sizeof(*v) + sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->v = v;
	json_array_foreach(array, i, o)
	{
		json_t *val = facts ? json_object_get(o, "facts") : o;
		char *text = val ? json_dumps(val, JSON_COMPACT) : NULL;
		if (!text && val)
			return -ENOMEM;
		t->v[t->n++] = text;
	}
	return 0;
}

static int texts_make(const json_t *doc, struct texts *t)
{
	size_t i;
	json_t *site;
	int r = texts_add(t, json_object_get(json_object_get(doc, "server"), "findings"), true);

	json_array_foreach(json_object_get(doc, "sites"), i, site)
	{
		json_t *inv = json_object_get(site, "inventory");
		if (r >= 0 && json_is_array(inv))
			r = texts_add(t, inv, false);
		if (r >= 0)
			r = texts_add(t, json_object_get(site, "findings"), true);
	}
	return r;
}

/* The next text made by texts_make (NULL when a finding had no facts). */
static const char *texts_next(struct texts *t)
{
	return t->next < t->n ? t->v[t->next++] : NULL;
}

/* Pass over the texts of n elements not stored. */
static void texts_skip(struct texts *t, size_t n)
{
	t->next = t->next + n < t->n ? t->next + n : t->n;
}

struct put {
	sqlite3 *db;
	sqlite3_stmt *site, *inv_del, *inv_add, *state_up, *state_mark, *state_sweep;
	sqlite3_stmt *state_drop, *marked, *is_current; /* d->catalog_only */
	const struct store_doc *d;
	struct texts *texts;
	struct sqa *alerts; /* NULL: no alerting */
	struct hu_err *err;
};

/* Run st with agent, site and (when target) code and target bound; it returns no rows. */
static int step_key(struct put *p, sqlite3_stmt *st, const char *site, const char *code,
		    const char *target)
{
	sqlite3_reset(st);
	sq_bind_text(st, 1, p->d->agent);
	sq_bind_text(st, 2, site);
	if (target) {
		sq_bind_text(st, 3, code);
		sq_bind_text(st, 4, target);
	}
	return sqlite3_step(st) == SQLITE_DONE ? 0 : sq_db_error(p->db, p->err, "storing findings");
}

/* A finding of site that is no longer reported: fine, as far as alerts go. */
static int resolve(struct put *p, const char *site, const char *code, const char *target)
{
	struct alert_subject as = {
		.agent = p->d->agent,
		.site = site,
		.code = code,
		.target = target,
		.status = HU_OK,
		.document = p->d->id,
	};

	return p->alerts ? sqa_finding(p->alerts, &as) : 0;
}

/*
 * d->catalog_only: the catalog's findings of site that were not given again
 * are resolved; the sweep then deletes them.
 */
static int resolve_marked(struct put *p, const char *site)
{
	int r = 0, rc;

	sqlite3_reset(p->marked);
	sq_bind_text(p->marked, 1, p->d->agent);
	sq_bind_text(p->marked, 2, site);
	while (r >= 0 && (rc = sqlite3_step(p->marked)) == SQLITE_ROW)
		r = resolve(p, site, (const char *)sqlite3_column_text(p->marked, 0),
			    (const char *)sqlite3_column_text(p->marked, 1));
	if (r >= 0 && rc != SQLITE_DONE)
		r = sq_db_error(p->db, p->err, "storing findings");
	sqlite3_reset(p->marked);
	return r;
}

/* d->catalog_only: drop the agent's verdict that the catalog's finding f replaced. */
static int drop_replaced(struct put *p, const char *site, json_t *f, const char *target)
{
	const char *code = json_string_value(json_object_get(f, "code"));
	const char *was = json_string_value(json_object_get(f, STORE_REPLACES));

	if (!was || !code || strcmp(was, code) == 0)
		return 0;
	int r = step_key(p, p->state_drop, site, was, target);
	return r < 0 || sqlite3_changes(p->db) == 0 ? r : resolve(p, site, was, target);
}

/*
 * Findings of one site ('' for the server) into state: upsert, then drop
 * those not seen. With d->catalog_only, only the catalog's.
 */
static int put_findings(struct put *p, const char *site, json_t *findings)
{
	bool only = p->d->catalog_only;
	size_t i;
	json_t *f;
	int r = step_key(p, p->state_mark, site, NULL, NULL);

	json_array_foreach(findings, i, f)
	{
		const char *target = json_string_value(json_object_get(f, "target"));
		const char *facts = texts_next(p->texts);
		const char *origin = json_string_value(json_object_get(f, "origin"));
		bool ours = origin && strcmp(origin, STORE_ORIGIN_CATALOG) == 0;
		if (r < 0)
			return r;
		if (only && !ours)
			continue;
		sqlite3_stmt *st = p->state_up;
		sqlite3_reset(st);
		sq_bind_text(st, 1, p->d->agent);
		sq_bind_text(st, 2, site);
		sq_bind_text(st, 3, json_string_value(json_object_get(f, "code")));
		sq_bind_text(st, 4, target ? target : "");
		sq_bind_text(st, 5, json_string_value(json_object_get(f, "status")));
		sq_bind_text(st, 6, json_string_value(json_object_get(f, "message")));
		sq_bind_text(st, 7, facts);
		sqlite3_bind_int64(st, 8, (sqlite3_int64)p->d->received_at);
		sq_bind_text(st, 9, p->d->id);
		sq_bind_text(st, 10, ours ? STORE_ORIGIN_CATALOG : "");
		int rc = sqlite3_step(st);
		r = rc == SQLITE_DONE ? 0 : sq_db_error(p->db, p->err, "storing findings");
		if (r >= 0 && p->alerts) {
			struct alert_subject as = {
				.agent = p->d->agent,
				.site = site,
				.code = json_string_value(json_object_get(f, "code")),
				.target = target ? target : "",
				.status = hu_status_from_name(
				    json_string_value(json_object_get(f, "status"))),
				.message = json_string_value(json_object_get(f, "message")),
				.facts = facts,
				.document = p->d->id,
			};
			r = sqa_finding(p->alerts, &as);
		}
		if (r >= 0 && only)
			r = drop_replaced(p, site, f, target ? target : "");
	}
	if (r >= 0 && only)
		r = resolve_marked(p, site);
	return r < 0 ? r : step_key(p, p->state_sweep, site, NULL, NULL);
}

/* d->catalog_only: whether d is still site's current document (a site can move). */
static int site_current(struct put *p, const char *name)
{
	sqlite3_reset(p->is_current);
	sq_bind_text(p->is_current, 1, name);
	sq_bind_text(p->is_current, 2, p->d->id);
	int rc = sqlite3_step(p->is_current);
	sqlite3_reset(p->is_current);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : sq_db_error(p->db, p->err, "reading a site");
}

static int put_site(struct put *p, json_t *site)
{
	const char *name = json_string_value(json_object_get(site, "name"));
	json_t *inv = json_object_get(site, "inventory");
	size_t i;
	json_t *item;

	if (p->d->catalog_only) {
		int r = site_current(p, name);
		if (r <= 0) {
			texts_skip(p->texts, json_array_size(inv) + json_array_size(json_object_get(
									site, "findings")));
			return r;
		}
		texts_skip(p->texts, json_array_size(inv));
		inv = NULL; /* unchanged */
	}

	sqlite3_reset(p->site);
	sq_bind_text(p->site, 1, name);
	sq_bind_text(p->site, 2, p->d->agent);
	sq_bind_text(p->site, 3, json_string_value(json_object_get(site, "status")));
	sq_bind_text(p->site, 4, p->d->id);
	sqlite3_bind_int64(p->site, 5, (sqlite3_int64)p->d->received_at);
	if (sqlite3_step(p->site) != SQLITE_DONE)
		return sq_db_error(p->db, p->err, "storing a site");
	if (json_is_array(inv)) {
		sqlite3_reset(p->inv_del);
		sq_bind_text(p->inv_del, 1, name);
		if (sqlite3_step(p->inv_del) != SQLITE_DONE)
			return sq_db_error(p->db, p->err, "storing the inventory");
		json_array_foreach(inv, i, item)
		{
			const char *text = texts_next(p->texts);
			sqlite3_reset(p->inv_add);
			sq_bind_text(p->inv_add, 1, name);
			sq_bind_text(p->inv_add, 2,
				     json_string_value(json_object_get(item, "kind")));
			sq_bind_text(p->inv_add, 3,
				     json_string_value(json_object_get(item, "slug")));
			sq_bind_text(p->inv_add, 4,
				     json_string_value(json_object_get(item, "version")));
			sq_bind_text(p->inv_add, 5, text);
			if (sqlite3_step(p->inv_add) != SQLITE_DONE)
				return sq_db_error(p->db, p->err, "storing the inventory");
		}
	}
	return put_findings(p, name, json_object_get(site, "findings"));
}

static int put_all(struct put *p, struct store_put *ret)
{
	const struct store_doc *d = p->d;
	sqlite3_stmt *st = NULL;
	size_t i;
	json_t *site;
	int r = 0;

	if (d->catalog_only)
		goto findings;
	r = sq_prepare(p->db,
		       "INSERT INTO documents (id, agent, generated_at, received_at, status, body) "
		       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
		       &st, p->err);
	if (r < 0)
		return r;
	sq_bind_text(st, 1, d->id);
	sq_bind_text(st, 2, d->agent);
	sq_bind_text(st, 3, json_string_value(json_object_get(d->doc, "generated_at")));
	sqlite3_bind_int64(st, 4, (sqlite3_int64)d->received_at);
	sq_bind_text(st, 5, json_string_value(json_object_get(d->doc, "status")));
	sqlite3_bind_text(st, 6, d->text, (int)d->len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(p->db, p->err, "storing the document");
	sqlite3_finalize(st);
	if (r < 0)
		return r;
	ret->duplicate = sqlite3_changes(p->db) == 0;
	if (ret->duplicate)
		return 0;
	if ((r = sqr_document_sites(p->db, d, p->err)) < 0)
		return r;
findings:
	/* catalog_only: the agent's alert state is not swept (agent NULL). */
	if (p->alerts &&
	    (r = sqa_begin(p->alerts, p->db, d->alerts, d->catalog_only ? NULL : d->agent,
			   d->received_at, p->err)) < 0)
		return r;
	r = put_findings(p, "", json_object_get(json_object_get(d->doc, "server"), "findings"));
	json_array_foreach(json_object_get(d->doc, "sites"), i, site)
	{
		if (r < 0)
			break;
		r = put_site(p, site);
	}
	if (r >= 0 && p->alerts && !d->catalog_only)
		r = sqa_end(p->alerts, d->agent, d->id);
	if (r >= 0 && p->alerts)
		ret->queued = p->alerts->queued;
	return r;
}

static int do_document_put(sqlite3 *db, const struct store_doc *d, struct texts *texts,
			   struct store_put *ret, struct hu_err *err)
{
	struct sqa alerts = { 0 };
	struct put p = {
		.db = db, .d = d, .texts = texts, .alerts = d->alerts ? &alerts : NULL, .err = err
	};
	int r = sq_exec(p.db, "BEGIN IMMEDIATE", err);

	if (r < 0)
		return r;
	/* A finding seen again keeps its since unless its status changed. */
	if ((r = sq_prepare(p.db,
			    "INSERT INTO sites (name, agent, status, document, updated_at) "
			    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
			    "agent = excluded.agent, status = excluded.status, "
			    "document = excluded.document, updated_at = excluded.updated_at",
			    &p.site, err)) < 0 ||
	    (r = sq_prepare(p.db, "DELETE FROM inventory WHERE site = ?", &p.inv_del, err)) < 0 ||
	    (r = sq_prepare(p.db,
			    "INSERT INTO inventory (site, kind, slug, version, item) "
			    "VALUES (?, ?, ?, ?, ?)",
			    &p.inv_add, err)) < 0 ||
	    (r = sq_prepare(
		 p.db,
		 "INSERT INTO state (agent, site, code, target, status, message, facts,"
		 " since, updated_at, document, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		 " ?7, ?8, ?8, ?9, ?10) ON CONFLICT (agent, site, code, target) DO UPDATE"
		 " SET since = CASE WHEN state.status = excluded.status THEN state.since "
		 "ELSE excluded.since END, status = excluded.status, "
		 "message = excluded.message, facts = excluded.facts, "
		 "updated_at = excluded.updated_at, document = excluded.document, "
		 "origin = excluded.origin",
		 &p.state_up, err)) < 0 ||
	    (r = sq_prepare(p.db,
			    d->catalog_only
				? "UPDATE state SET document = '' WHERE agent = ? AND site = ?"
				  " AND origin = '" STORE_ORIGIN_CATALOG "'"
				: "UPDATE state SET document = '' WHERE agent = ? AND site = ?",
			    &p.state_mark, err)) < 0 ||
	    (r = sq_prepare(p.db,
			    "DELETE FROM state WHERE agent = ? AND site = ? AND code = ?"
			    " AND target = ? AND origin = ''",
			    &p.state_drop, err)) < 0 ||
	    (r = sq_prepare(p.db,
			    "SELECT code, target FROM state WHERE agent = ? AND site = ?"
			    " AND document = ''",
			    &p.marked, err)) < 0 ||
	    (r = sq_prepare(p.db, "SELECT 1 FROM sites WHERE name = ? AND document = ?",
			    &p.is_current, err)) < 0 ||
	    (r = sq_prepare(p.db,
			    "DELETE FROM state WHERE agent = ? AND site = ? AND document = ''",
			    &p.state_sweep, err)) < 0)
		goto out;
	*ret = (struct store_put){ 0 };
	r = put_all(&p, ret);
out:
	sqa_free(&alerts);
	sqlite3_finalize(p.site);
	sqlite3_finalize(p.inv_del);
	sqlite3_finalize(p.inv_add);
	sqlite3_finalize(p.state_up);
	sqlite3_finalize(p.state_mark);
	sqlite3_finalize(p.state_sweep);
	sqlite3_finalize(p.state_drop);
	sqlite3_finalize(p.marked);
	sqlite3_finalize(p.is_current);
	if (r >= 0)
		r = sq_exec(p.db, "COMMIT", err);
	if (r < 0)
		sqlite3_exec(p.db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

int sqp_document_put(sqlite3 *db, pthread_mutex_t *lock, const struct store_doc *d,
		     struct store_put *ret, struct hu_err *err)
{
	struct texts texts = { 0 };
	int r = texts_make(d->doc, &texts);

	if (r >= 0) {
		pthread_mutex_lock(lock);
		r = do_document_put(db, d, &texts, ret, err);
		pthread_mutex_unlock(lock);
	}
	texts_clear(&texts);
	return r;
}
