/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_db.h"
#include "sq_util.h"

static const char *const migrations[] = {
	/* 1: feeds, release cycles, WordPress core versions. */
	"CREATE TABLE feeds ("
	"  name TEXT PRIMARY KEY, url TEXT, etag TEXT, last_modified TEXT,"
	"  checked_at INTEGER NOT NULL DEFAULT 0, ok_at INTEGER NOT NULL DEFAULT 0,"
	"  changed_at INTEGER NOT NULL DEFAULT 0, expires INTEGER NOT NULL DEFAULT 0,"
	"  items INTEGER NOT NULL DEFAULT 0, error TEXT);"
	"CREATE TABLE cycles ("
	"  feed TEXT NOT NULL, product TEXT NOT NULL, cycle TEXT NOT NULL, latest TEXT,"
	"  released TEXT, support_end TEXT, eol TEXT, eol_flag INTEGER NOT NULL,"
	"  state TEXT, lts INTEGER NOT NULL, PRIMARY KEY (product, cycle, feed));"
	"CREATE TABLE wp_core ("
	"  feed TEXT NOT NULL, version TEXT NOT NULL, status TEXT NOT NULL,"
	"  PRIMARY KEY (version, feed));",
	/* 2: Joomla core releases from the TUF targets.json. */
	"CREATE TABLE joomla_core ("
	"  feed TEXT NOT NULL, file TEXT NOT NULL, version TEXT NOT NULL, channel TEXT,"
	"  stability TEXT, platform TEXT, php_minimum TEXT, PRIMARY KEY (file, feed));",
	/* 3: what per-item feeds (plugins, themes, projects) say of each item asked about. */
	"CREATE TABLE items ("
	"  feed TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, slug TEXT, latest TEXT,"
	"  status TEXT NOT NULL, facts TEXT, PRIMARY KEY (kind, key, feed));",
	/* 4: known vulnerabilities (Wordfence), one row per affected software. */
	"CREATE TABLE vulns ("
	"  feed TEXT NOT NULL, type TEXT NOT NULL, slug TEXT NOT NULL, id TEXT NOT NULL,"
	"  title TEXT, cve TEXT, cvss_score REAL, cvss_rating TEXT, ranges TEXT NOT NULL,"
	"  patched TEXT NOT NULL, PRIMARY KEY (type, slug, id, feed));",
};

/* The tables whose rows belong to a feed (column feed). */
static const char *const fact_tables[] = { "cycles", "wp_core", "joomla_core", "items", "vulns" };

struct catalog_db {
	sqlite3 *db;
	char *feed;      /* the feed being replaced, between begin and commit */
	int64_t items;   /* rows added since begin */
	int64_t expires; /* the feed's own expiry, set by its parser */
	sqlite3_stmt *cycle, *wp_core, *joomla_core, *item, *vuln;
};

int catalog_db_open(const char *path, struct catalog_db **ret, struct hu_err *err)
{
	struct catalog_db *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	r = sq_open(path, migrations, sizeof(migrations) / sizeof(*migrations), &c->db, err);
	if (r < 0) {
		free(c);
		return r;
	}
	*ret = c;
	return 0;
}

void catalog_db_close(struct catalog_db *c)
{
	if (!c)
		return;
	if (c->feed)
		catalog_db_rollback(c);
	sqlite3_finalize(c->cycle);
	sqlite3_finalize(c->wp_core);
	sqlite3_finalize(c->joomla_core);
	sqlite3_finalize(c->item);
	sqlite3_finalize(c->vuln);
	sqlite3_close(c->db);
	free(c);
}

void catalog_feed_clear(struct catalog_feed *f)
{
	free(f->name);
	free(f->url);
	free(f->etag);
	free(f->last_modified);
	free(f->error);
	*f = (struct catalog_feed){ 0 };
}

static int dup_column(sqlite3_stmt *st, int i, char **ret)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	*ret = NULL;
	if (s && !(*ret = strdup(s)))
		return -ENOMEM;
	return 0;
}

int catalog_db_feed_get(struct catalog_db *c, const char *name, struct catalog_feed *ret,
			struct hu_err *err)
{
	struct catalog_feed f = { 0 };
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(c->db,
			   "SELECT name, url, etag, last_modified, checked_at, ok_at, changed_at,"
			   " expires, items, error FROM feeds WHERE name = ?",
			   &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r = dup_column(st, 0, &f.name);
		if (r >= 0)
			r = dup_column(st, 1, &f.url);
		if (r >= 0)
			r = dup_column(st, 2, &f.etag);
		if (r >= 0)
			r = dup_column(st, 3, &f.last_modified);
		f.checked_at = sqlite3_column_int64(st, 4);
		f.ok_at = sqlite3_column_int64(st, 5);
		f.changed_at = sqlite3_column_int64(st, 6);
		f.expires = sqlite3_column_int64(st, 7);
		f.items = sqlite3_column_int64(st, 8);
		if (r >= 0)
			r = dup_column(st, 9, &f.error);
	} else if (rc == SQLITE_DONE) {
		r = -ENOENT;
	} else {
		r = sq_db_error(c->db, err, "reading the feeds");
	}
	sqlite3_finalize(st);
	if (r < 0) {
		catalog_feed_clear(&f);
		return r;
	}
	*ret = f;
	return 0;
}

int catalog_db_feed_checked(struct catalog_db *c, const char *name, const char *url, time_t now,
			    const char *error, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(c->db,
			   "INSERT INTO feeds (name, url, checked_at, ok_at, error)"
			   " VALUES (?1, ?2, ?3, CASE WHEN ?4 IS NULL THEN ?3 ELSE 0 END, ?4)"
			   " ON CONFLICT (name) DO UPDATE SET url = ?2, checked_at = ?3,"
			   " ok_at = CASE WHEN ?4 IS NULL THEN ?3 ELSE ok_at END, error = ?4",
			   &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, name);
	sq_bind_text(st, 2, url);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	sq_bind_text(st, 4, error);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(c->db, err, "recording the feed");
	sqlite3_finalize(st);
	return r;
}

int catalog_db_begin(struct catalog_db *c, const char *feed, struct hu_err *err)
{
	int r;

	if (c->feed)
		return hu_err_set(err, -EBUSY, "the catalog is already replacing %s", c->feed);
	if (!(c->feed = strdup(feed)))
		return -ENOMEM;
	c->items = 0;
	c->expires = 0;
	r = sq_exec(c->db, "BEGIN IMMEDIATE", err);
	if (r < 0) {
		free(c->feed);
		c->feed = NULL;
		return r;
	}
	for (size_t i = 0; r >= 0 && i < sizeof(fact_tables) / sizeof(*fact_tables); i++) {
		char sql[64];
		sqlite3_stmt *st = NULL;
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE feed = ?", fact_tables[i]);
		r = sq_prepare(c->db, sql, &st, err);
		if (r >= 0) {
			sq_bind_text(st, 1, feed);
			if (sqlite3_step(st) != SQLITE_DONE)
				r = sq_db_error(c->db, err, "clearing the feed's facts");
		}
		sqlite3_finalize(st);
	}
	if (r < 0)
		catalog_db_rollback(c);
	return r;
}

/* Step st (bound), counted as one row of the feed being replaced; st is reset. */
static int add_row(struct catalog_db *c, sqlite3_stmt *st, const char *what, struct hu_err *err)
{
	int r = 0;

	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(c->db, err, what);
	else
		c->items++;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/*
 * Ready *st (prepared from sql on first use) for a row of the feed being
 * replaced, its first parameter bound to the feed.
 */
static int row_stmt(struct catalog_db *c, sqlite3_stmt **st, const char *sql, struct hu_err *err)
{
	int r;

	if (!c->feed)
		return hu_err_set(err, -EINVAL, "no feed is being replaced");
	if (!*st && (r = sq_prepare(c->db, sql, st, err)) < 0)
		return r;
	sq_bind_text(*st, 1, c->feed);
	return 0;
}

int catalog_db_add_cycle(struct catalog_db *c, const struct catalog_cycle *y, struct hu_err *err)
{
	int r = row_stmt(c, &c->cycle,
			 "INSERT OR REPLACE INTO cycles (feed, product, cycle, latest, released,"
			 " support_end, eol, eol_flag, state, lts)"
			 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 err);

	if (r < 0)
		return r;
	sq_bind_text(c->cycle, 2, y->product);
	sq_bind_text(c->cycle, 3, y->cycle);
	sq_bind_text(c->cycle, 4, y->latest);
	sq_bind_text(c->cycle, 5, y->released);
	sq_bind_text(c->cycle, 6, y->support_end);
	sq_bind_text(c->cycle, 7, y->eol);
	sqlite3_bind_int(c->cycle, 8, y->eol_flag);
	sq_bind_text(c->cycle, 9, y->state);
	sqlite3_bind_int(c->cycle, 10, y->lts);
	return add_row(c, c->cycle, "adding a release cycle", err);
}

int catalog_db_add_wp_core(struct catalog_db *c, const char *version, const char *status,
			   struct hu_err *err)
{
	int r = row_stmt(c, &c->wp_core,
			 "INSERT OR REPLACE INTO wp_core (feed, version, status) VALUES (?, ?, ?)",
			 err);

	if (r < 0)
		return r;
	sq_bind_text(c->wp_core, 2, version);
	sq_bind_text(c->wp_core, 3, status);
	return add_row(c, c->wp_core, "adding a WordPress version", err);
}

void catalog_db_set_expires(struct catalog_db *c, int64_t expires)
{
	c->expires = expires;
}

int catalog_db_add_joomla_core(struct catalog_db *c, const struct catalog_joomla_core *j,
			       struct hu_err *err)
{
	int r = row_stmt(c, &c->joomla_core,
			 "INSERT OR REPLACE INTO joomla_core (feed, file, version, channel,"
			 " stability, platform, php_minimum) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 err);

	if (r < 0)
		return r;
	sq_bind_text(c->joomla_core, 2, j->file);
	sq_bind_text(c->joomla_core, 3, j->version);
	sq_bind_text(c->joomla_core, 4, j->channel);
	sq_bind_text(c->joomla_core, 5, j->stability);
	sq_bind_text(c->joomla_core, 6, j->platform);
	sq_bind_text(c->joomla_core, 7, j->php_minimum);
	return add_row(c, c->joomla_core, "adding a Joomla release", err);
}

int catalog_db_add_item(struct catalog_db *c, const struct catalog_item *it, struct hu_err *err)
{
	char *facts = NULL;
	int r;

	if (it->facts && !(facts = json_dumps(it->facts, JSON_COMPACT)))
		return -ENOMEM;
	r = row_stmt(c, &c->item,
		     "INSERT OR REPLACE INTO items (feed, kind, key, slug, latest, status,"
		     " facts) VALUES (?, ?, ?, ?, ?, ?, ?)",
		     err);
	if (r < 0) {
		free(facts);
		return r;
	}
	sq_bind_text(c->item, 2, it->kind);
	sq_bind_text(c->item, 3, it->key);
	sq_bind_text(c->item, 4, it->slug);
	sq_bind_text(c->item, 5, it->latest);
	sq_bind_text(c->item, 6, it->status);
	sq_bind_text(c->item, 7, facts);
	r = add_row(c, c->item, "adding an item", err);
	free(facts);
	return r;
}

int catalog_db_add_vuln(struct catalog_db *c, const struct catalog_vuln *v, struct hu_err *err)
{
	char *ranges = json_dumps(v->ranges, JSON_COMPACT),
	     *patched = json_dumps(v->patched, JSON_COMPACT);
	int r = ranges && patched
		    ? row_stmt(c, &c->vuln,
			       "INSERT OR REPLACE INTO vulns (feed, type, slug, id, title,"
			       " cve, cvss_score, cvss_rating, ranges, patched)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       err)
		    : -ENOMEM;

	if (r >= 0) {
		sq_bind_text(c->vuln, 2, v->type);
		sq_bind_text(c->vuln, 3, v->slug);
		sq_bind_text(c->vuln, 4, v->id);
		sq_bind_text(c->vuln, 5, v->title);
		sq_bind_text(c->vuln, 6, v->cve);
		if (v->cvss_score >= 0)
			sqlite3_bind_double(c->vuln, 7, v->cvss_score);
		sq_bind_text(c->vuln, 8, v->cvss_rating);
		sq_bind_text(c->vuln, 9, ranges);
		sq_bind_text(c->vuln, 10, patched);
		r = add_row(c, c->vuln, "adding a vulnerability", err);
	}
	free(ranges);
	free(patched);
	return r;
}

int catalog_db_commit(struct catalog_db *c, const struct catalog_source *f, time_t now,
		      struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	if (!c->feed)
		return hu_err_set(err, -EINVAL, "no feed is being replaced");
	r = sq_prepare(c->db,
		       "INSERT OR REPLACE INTO feeds (name, url, etag, last_modified, checked_at,"
		       " ok_at, changed_at, expires, items, error)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5, ?6, ?7, NULL)",
		       &st, err);
	if (r >= 0) {
		sq_bind_text(st, 1, c->feed);
		sq_bind_text(st, 2, f->url);
		sq_bind_text(st, 3, f->etag);
		sq_bind_text(st, 4, f->last_modified);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
		sqlite3_bind_int64(st, 6, f->expires ? f->expires : c->expires);
		sqlite3_bind_int64(st, 7, c->items);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(c->db, err, "recording the feed");
	}
	sqlite3_finalize(st);
	if (r >= 0)
		r = sq_exec(c->db, "COMMIT", err);
	if (r < 0) {
		catalog_db_rollback(c);
		return r;
	}
	free(c->feed);
	c->feed = NULL;
	return 0;
}

void catalog_db_rollback(struct catalog_db *c)
{
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	free(c->feed);
	c->feed = NULL;
}

int catalog_db_cycles(struct catalog_db *c, const char *product, json_t **ret, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r =
	    sq_prepare(c->db,
		       "SELECT feed, product, cycle, latest, released, support_end, eol,"
		       " eol_flag, state, lts FROM cycles WHERE product = ? ORDER BY feed, cycle",
		       &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, product);
	r = sq_rows(c->db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}

/* The first column of the first row of sql with arg bound, as a string; -ENOENT for none. */
static int one_text(struct catalog_db *c, const char *sql, const char *arg, char **ret,
		    struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(c->db, sql, &st, err);

	if (r < 0)
		return r;
	if (arg)
		sq_bind_text(st, 1, arg);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = dup_column(st, 0, ret);
	else if (rc == SQLITE_DONE)
		r = -ENOENT;
	else
		r = sq_db_error(c->db, err, "reading the catalog");
	sqlite3_finalize(st);
	return r;
}

int catalog_db_wp_core_status(struct catalog_db *c, const char *version, char **ret,
			      struct hu_err *err)
{
	return one_text(c, "SELECT status FROM wp_core WHERE version = ?", version, ret, err);
}

int catalog_db_wp_core_latest(struct catalog_db *c, char **ret, struct hu_err *err)
{
	return one_text(c, "SELECT version FROM wp_core WHERE status = 'latest'", NULL, ret, err);
}

int catalog_db_items(struct catalog_db *c, const char *feed, const char *status, json_t **ret,
		     struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(c->db,
			   "SELECT kind, key, slug, latest FROM items WHERE feed = ? AND status = ?"
			   " ORDER BY kind, key",
			   &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, feed);
	sq_bind_text(st, 2, status);
	r = sq_rows(c->db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}

int catalog_db_rows(struct catalog_db *c, const char *table, json_t **ret, struct hu_err *err)
{
	static const char *const tables[] = { "feeds",       "cycles", "wp_core",
					      "joomla_core", "items",  "vulns" };
	char sql[64];
	sqlite3_stmt *st = NULL;
	size_t i;
	int r;

	for (i = 0; i < sizeof(tables) / sizeof(*tables); i++)
		if (strcmp(tables[i], table) == 0)
			break;
	if (i == sizeof(tables) / sizeof(*tables))
		return hu_err_set(err, -EINVAL, "no catalog table \"%s\"", table);
	snprintf(sql, sizeof(sql), "SELECT * FROM %s", tables[i]);
	r = sq_prepare(c->db, sql, &st, err);
	if (r < 0)
		return r;
	r = sq_rows(c->db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}
