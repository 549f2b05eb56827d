/* SPDX-License-Identifier: MIT */
/*
 * What the monthly reports read from the SQLite store: which documents
 * reported on a site when (site_documents, filled as documents are stored
 * and, by migration 5, from those stored before), and the report models
 * frozen when a month is closed (report_frozen).
 */
#include <errno.h>
#include <string.h>

#include "huolto/report.h"
#include "store_sqlite_int.h"

const char sq_reports_migration[] =
    "CREATE TABLE site_documents ("
    " site TEXT NOT NULL,"
    " document TEXT NOT NULL,"
    " at INTEGER NOT NULL," /* the document's generated_at, Unix time */
    " PRIMARY KEY (site, document));"
    "CREATE INDEX site_documents_at ON site_documents(at, site);"
    "INSERT OR IGNORE INTO site_documents (site, document, at)"
    " SELECT json_extract(s.value, '$.name'), d.id,"
    " coalesce(CAST(strftime('%s', d.generated_at) AS INTEGER), d.received_at)"
    " FROM documents d, json_each(d.body, '$.sites') s"
    " WHERE json_valid(d.body) AND json_extract(s.value, '$.name') IS NOT NULL;"
    "CREATE TABLE report_frozen ("
    " month TEXT NOT NULL,"
    " site TEXT NOT NULL,"
    " model TEXT NOT NULL,"
    " PRIMARY KEY (month, site));";

/*
 * Version 6: site_documents clustered by time. Keyed by (site, document),
 * a document of 200 sites wrote into 200 scattered pages of that key and
 * of the (at, site) index; keyed by (at, site, document), which is as
 * unique since a document has one time, its rows are adjacent, and the
 * queries (by time, then site) read the one tree.
 */
const char sq_reports_by_time_migration[] =
    "CREATE TABLE site_documents_by_time ("
    " site TEXT NOT NULL,"
    " document TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " PRIMARY KEY (at, site, document)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO site_documents_by_time (site, document, at)"
    " SELECT site, document, at FROM site_documents;"
    "DROP TABLE site_documents;"
    "ALTER TABLE site_documents_by_time RENAME TO site_documents;";

int sqr_document_sites(sqlite3 *db, const struct store_doc *d, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	time_t at = d->received_at;
	size_t i;
	json_t *site;
	int r = sq_prepare(db,
			   "INSERT OR IGNORE INTO site_documents (site, document, at) "
			   "VALUES (?, ?, ?)",
			   &st, err);

	if (r < 0)
		return r;
	hu_time_parse_iso8601(json_string_value(json_object_get(d->doc, "generated_at")), &at);
	json_array_foreach(json_object_get(d->doc, "sites"), i, site)
	{
		sqlite3_reset(st);
		sq_bind_text(st, 1, json_string_value(json_object_get(site, "name")));
		sq_bind_text(st, 2, d->id);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
		if (sqlite3_step(st) != SQLITE_DONE) {
			r = sq_db_error(db, err, "storing the document's sites");
			break;
		}
	}
	sqlite3_finalize(st);
	return r;
}

/* Rows of sql with arguments from, to and site (NULL: SQL NULL). */
static int rows_in(sqlite3 *db, const char *sql, const char *site, time_t from, time_t to,
		   json_t **ret, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, sql, &st, err);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	sq_bind_text(st, 3, site);
	r = sq_rows(db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}

int sqr_site_documents(sqlite3 *db, const char *site, time_t from, time_t to, json_t **ret,
		       struct hu_err *err)
{
	return rows_in(db,
		       "SELECT site, document, at FROM site_documents"
		       " WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR site = ?3)"
		       " ORDER BY at, document",
		       site, from, to, ret, err);
}

int sqr_sites_between(sqlite3 *db, time_t from, time_t to, json_t **ret, struct hu_err *err)
{
	json_t *rows = NULL, *names;
	size_t i;
	int r = rows_in(db,
			"SELECT DISTINCT site FROM site_documents WHERE at >= ?1 AND at < ?2"
			" ORDER BY site",
			NULL, from, to, &rows, err);

	if (r < 0)
		return r;
	names = json_array();
	for (i = 0; names && i < json_array_size(rows); i++)
		json_array_append(names, json_object_get(json_array_get(rows, i), "site"));
	json_decref(rows);
	*ret = names;
	return names ? 0 : -ENOMEM;
}

int sqr_freeze(sqlite3 *db, const char *month, const struct store_frozen *v, size_t n,
	       struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, "DELETE FROM report_frozen WHERE month = ?", &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, month);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(db, err, "report_frozen");
	sqlite3_finalize(st);
	st = NULL;
	if (r >= 0 && n)
		r = sq_prepare(db,
			       "INSERT INTO report_frozen (month, site, model) VALUES (?, ?, ?)",
			       &st, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		sqlite3_reset(st);
		sq_bind_text(st, 1, month);
		sq_bind_text(st, 2, v[i].site);
		sq_bind_text(st, 3, v[i].model);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(db, err, "report_frozen");
	}
	sqlite3_finalize(st);
	return r;
}

int sqr_frozen(sqlite3 *db, const char *month, json_t **ret, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(
	    db, "SELECT site, model FROM report_frozen WHERE month = ? ORDER BY site", &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, month);
	r = sq_rows(db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}
