/* SPDX-License-Identifier: MIT */
/* SQLite helpers the collector's databases share (the store, the catalog). */
#ifndef HUOLTO_COLLECTOR_SQ_UTIL_H
#define HUOLTO_COLLECTOR_SQ_UTIL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "huolto/err.h"

/*
 * Open (or create) the database at path in WAL mode with synchronous=FULL,
 * and run the migrations it has not had: migrations[i] takes it from schema
 * version i to i + 1 (PRAGMA user_version), each in its own transaction.
 */
int sq_open(const char *path, const char *const *migrations, size_t n, sqlite3 **ret,
	    struct hu_err *err);
/* db's last error as an errno-style code, with what was being done. */
int sq_db_error(sqlite3 *db, struct hu_err *err, const char *what);
int sq_exec(sqlite3 *db, const char *sql, struct hu_err *err);
int sq_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret, struct hu_err *err);
/* Bind text, or NULL when s is NULL. */
int sq_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Every row of st as an object keyed by the column names. */
int sq_rows(sqlite3 *db, sqlite3_stmt *st, json_t **ret, struct hu_err *err);

#endif
