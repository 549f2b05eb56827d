/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store's hours log and month locks: entries of a closed month
 * stay as they were until the month is reopened, and every close and
 * reopen is logged (month_log).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store_sqlite_int.h"

const char sq_hours_migration[] =
    "CREATE TABLE hours ("
    " id INTEGER PRIMARY KEY,"
    " date TEXT NOT NULL,"
    " site TEXT NOT NULL,"
    " hours INTEGER NOT NULL CHECK (hours > 0)," /* hundredths */
    " kind TEXT NOT NULL CHECK (kind IN ('maintenance', 'development', 'support')),"
    " who TEXT NOT NULL,"
    " note TEXT NOT NULL,"
    " finding TEXT,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX hours_date ON hours(date, site);"
    "CREATE TABLE months ("
    " month TEXT PRIMARY KEY,"
    " closed INTEGER NOT NULL);"
    "CREATE TABLE month_log ("
    " id INTEGER PRIMARY KEY,"
    " month TEXT NOT NULL,"
    " action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),"
    " who TEXT NOT NULL,"
    " at INTEGER NOT NULL);";

/* -EPERM when month (the first 7 bytes of a date) is closed. */
static int month_open(sqlite3 *db, const char *date, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	char month[8];
	int r;

	snprintf(month, sizeof(month), "%.7s", date);
	r = sq_prepare(db, "SELECT closed FROM months WHERE month = ?", &st, err);
	if (r < 0)
		return r;
	sq_bind_text(st, 1, month);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 0))
		r = hu_err_set(err, -EPERM,
			       "the month %s is closed: reopen it first (month reopen %s)", month,
			       month);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = sq_db_error(db, err, "months");
	sqlite3_finalize(st);
	return r;
}

static void bind_entry(sqlite3_stmt *st, const struct store_hours *h, time_t now)
{
	sq_bind_text(st, 1, h->date);
	sq_bind_text(st, 2, h->site);
	sqlite3_bind_int64(st, 3, h->hours);
	sq_bind_text(st, 4, h->kind);
	sq_bind_text(st, 5, h->who);
	sq_bind_text(st, 6, h->note);
	sq_bind_text(st, 7, h->finding);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)now);
}

/* End the transaction: commit when r >= 0, else roll back; r, or the commit's error. */
static int in_transaction(sqlite3 *db, int r, struct hu_err *err)
{
	if (r >= 0)
		return sq_exec(db, "COMMIT", err);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

int sqh_add(sqlite3 *db, const struct store_hours *v, size_t n, time_t now, int64_t *ret_first_id,
	    struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_exec(db, "BEGIN IMMEDIATE", err);

	if (r < 0)
		return r;
	r = sq_prepare(
	    db,
	    "INSERT INTO hours (date, site, hours, kind, who, note, finding, created_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
	    &st, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		r = month_open(db, v[i].date, err);
		if (r < 0)
			break;
		sqlite3_reset(st);
		bind_entry(st, &v[i], now);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(db, err, "hours");
		else if (i == 0 && ret_first_id)
			*ret_first_id = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(st);
	return in_transaction(db, r, err);
}

/* The date of entry id into date (11 bytes): 0, or -ENOENT. */
static int entry_date(sqlite3 *db, int64_t id, char *date, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, "SELECT date FROM hours WHERE id = ?", &st, err);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(date, 11, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (rc == SQLITE_DONE)
		r = hu_err_set(err, -ENOENT, "no hours entry has the id %lld", (long long)id);
	else
		r = sq_db_error(db, err, "hours");
	sqlite3_finalize(st);
	return r;
}

int sqh_edit(sqlite3 *db, const struct store_hours *h, time_t now, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	char old[11];
	int r = sq_exec(db, "BEGIN IMMEDIATE", err);

	if (r < 0)
		return r;
	r = entry_date(db, h->id, old, err);
	if (r >= 0)
		r = month_open(db, old, err);
	if (r >= 0)
		r = month_open(db, h->date, err);
	if (r >= 0)
		r = sq_prepare(
		    db,
		    "UPDATE hours SET date = ?1, site = ?2, hours = ?3, kind = ?4, who = ?5,"
		    " note = ?6, finding = ?7, updated_at = ?8 WHERE id = ?9",
		    &st, err);
	if (r >= 0) {
		bind_entry(st, h, now);
		sqlite3_bind_int64(st, 9, h->id);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(db, err, "hours");
	}
	sqlite3_finalize(st);
	return in_transaction(db, r, err);
}

int sqh_delete(sqlite3 *db, int64_t id, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	char old[11];
	int r = sq_exec(db, "BEGIN IMMEDIATE", err);

	if (r < 0)
		return r;
	r = entry_date(db, id, old, err);
	if (r >= 0)
		r = month_open(db, old, err);
	if (r >= 0)
		r = sq_prepare(db, "DELETE FROM hours WHERE id = ?", &st, err);
	if (r >= 0) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(db, err, "hours");
	}
	sqlite3_finalize(st);
	return in_transaction(db, r, err);
}

int sqh_list(sqlite3 *db, const char *month, const char *site, int64_t id, json_t **ret,
	     struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	char from[16] = "", to[16] = "";
	int r = sq_prepare(db,
			   "SELECT id, date, site, hours, kind, who, note, finding FROM hours"
			   " WHERE (?1 IS NULL OR (date >= ?1 AND date <= ?2))"
			   " AND (?3 IS NULL OR site = ?3) AND (?4 = 0 OR id = ?4)"
			   " ORDER BY date, id",
			   &st, err);

	if (r < 0)
		return r;
	if (month) {
		snprintf(from, sizeof(from), "%.7s-01", month);
		snprintf(to, sizeof(to), "%.7s-31", month);
	}
	sq_bind_text(st, 1, month ? from : NULL);
	sq_bind_text(st, 2, month ? to : NULL);
	sq_bind_text(st, 3, site);
	sqlite3_bind_int64(st, 4, id);
	r = sq_rows(db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}

int sqh_month_set(sqlite3 *db, const char *month, bool closed, const char *who, time_t now,
		  const struct store_frozen *frozen, size_t n, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_exec(db, "BEGIN IMMEDIATE", err);

	if (r < 0)
		return r;
	r = month_open(db, month, NULL);
	if (closed ? r == -EPERM : r == 0)
		r = hu_err_set(err, -EALREADY, "the month %s is already %s", month,
			       closed ? "closed" : "open");
	else if (r == -EPERM || r == 0)
		r = sq_prepare(db,
			       "INSERT INTO months (month, closed) VALUES (?1, ?2)"
			       " ON CONFLICT (month) DO UPDATE SET closed = ?2",
			       &st, err);
	else
		r = sq_db_error(db, err, "months");
	if (r >= 0) {
		sq_bind_text(st, 1, month);
		sqlite3_bind_int(st, 2, closed);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(db, err, "months");
		sqlite3_finalize(st);
		st = NULL;
	}
	if (r >= 0)
		r = sq_prepare(db,
			       "INSERT INTO month_log (month, action, who, at) VALUES (?, ?, ?, ?)",
			       &st, err);
	if (r >= 0) {
		sq_bind_text(st, 1, month);
		sq_bind_text(st, 2, closed ? "close" : "reopen");
		sq_bind_text(st, 3, who);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
		if (sqlite3_step(st) != SQLITE_DONE)
			r = sq_db_error(db, err, "month_log");
	}
	sqlite3_finalize(st);
	if (r >= 0)
		r = sqr_freeze(db, month, frozen, closed ? n : 0, err);
	return in_transaction(db, r, err);
}

int sqh_month_get(sqlite3 *db, const char *month, json_t **ret, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	json_t *log = NULL;
	int r = sq_prepare(db, "SELECT action, who, at FROM month_log WHERE month = ? ORDER BY id",
			   &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, month);
	r = sq_rows(db, st, &log, err);
	sqlite3_finalize(st);
	if (r < 0)
		return r;
	int open = month_open(db, month, NULL);
	if (open < 0 && open != -EPERM) {
		json_decref(log);
		return sq_db_error(db, err, "months");
	}
	*ret = json_pack("{s:s,s:b,s:o}", "month", month, "closed", open == -EPERM, "log", log);
	return *ret ? 0 : -ENOMEM;
}
