/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sq_util.h"

int sq_db_error(sqlite3 *db, struct hu_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db);
	int code = rc == SQLITE_NOMEM ? -ENOMEM : (rc & 0xff) == SQLITE_BUSY ? -EBUSY : -EIO;

	return hu_err_set(err, code, "%s: %s", what, sqlite3_errmsg(db));
}

int sq_exec(sqlite3 *db, const char *sql, struct hu_err *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_db_error(db, err, "SQL");
	return 0;
}

int sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret, struct hu_err *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, ret, NULL) != SQLITE_OK)
		return sq_db_error(db, err, "SQL");
	return 0;
}

/* Bind text, or NULL when s is NULL. */
int sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* A column as JSON: integer, real, text or null. */
static json_t *column(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	case SQLITE_NULL:
		return json_null();
	default:
		return json_string((const char *)sqlite3_column_text(st, i));
	}
}

/* Every row of st as an object keyed by the column names. */
int sq_rows(sqlite3 *db, sqlite3_stmt *st, json_t **ret, struct hu_err *err)
{
	json_t *a = json_array();
	int rc;

	if (!a)
		return -ENOMEM;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int i = 0; o && i < sqlite3_column_count(st); i++)
			if (json_object_set_new(o, sqlite3_column_name(st, i), column(st, i)) < 0) {
				json_decref(o);
				o = NULL;
			}
		if (!o || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return -ENOMEM;
		}
	}
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return sq_db_error(db, err, "reading");
	}
	*ret = a;
	return 0;
}

static int migrate(sqlite3 *db, const char *const *migrations, int latest, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int version = 0, r;

	r = sq_prepare(db, "PRAGMA user_version", &st, err);
	if (r < 0)
		return r;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > latest)
		return hu_err_set(err, -EPROTO,
				  "the database is at schema version %d; this huolto knows %d: "
				  "use a newer huolto-collector",
				  version, latest);
	for (int v = version; v < latest; v++) {
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		r = sq_exec(db, "BEGIN IMMEDIATE", err);
		if (r >= 0)
			r = sq_exec(db, migrations[v], err);
		if (r >= 0)
			r = sq_exec(db, pragma, err);
		if (r >= 0)
			r = sq_exec(db, "COMMIT", err);
		if (r < 0) {
			char *m = strdup(hu_err_msg(err));
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			r = hu_err_set(err, r, "migration to version %d: %s", v + 1,
				       m ? m : "out of memory");
			free(m);
			return r;
		}
	}
	return 0;
}

int sq_open(const char *path, const char *const *migrations, size_t n, sqlite3 **ret,
	    struct hu_err *err)
{
	sqlite3 *db = NULL;
	int r;

	if (sqlite3_open_v2(path, &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		r = hu_err_set(err, -EIO, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return r;
	}
	sqlite3_busy_timeout(db, 5000);
	/* WAL, and a commit reaches the disk before it returns (synchronous=FULL). */
	r = sq_exec(db,
		    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
		    "PRAGMA foreign_keys = ON",
		    err);
	if (r >= 0)
		r = migrate(db, migrations, (int)n, err);
	if (r < 0) {
		char *m = strdup(hu_err_msg(err));
		hu_err_set(err, r, "%s: %s", path, m ? m : "out of memory");
		free(m);
		sqlite3_close(db);
		return r;
	}
	*ret = db;
	return 0;
}
