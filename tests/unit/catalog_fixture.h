/* SPDX-License-Identifier: MIT */
/*
 * What the catalog's unit tests share: fixed moments, and reading the
 * real-format bodies of ../shared/catalog/fixtures into a catalog.db the
 * way a refresh does (one replacement per feed).
 */
#ifndef HUOLTO_TEST_CATALOG_FIXTURE_H
#define HUOLTO_TEST_CATALOG_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog_db.h"
#include "catalog_index.h"
#include "catalog_parse.h"
#include "huolto/fileio.h"

static inline time_t day(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };

	return timegm(&tm);
}

/* The feeds were read on 2026-09-01: before the TUF metadata expired (2026-11-18). */
#define READ_AT day(2026, 9, 1)

/*
 * Replace feed name's facts with the n fixture files rels, each parsed about
 * abouts[i]: under ../shared/catalog/fixtures, or this repository's
 * tests/fixtures for a rel starting "huolto:".
 */
static inline void feed_files(struct catalog_db *db, const char *name, catalog_parse_fn parse,
			      size_t n, const char *const *rels, const char *const *abouts)
{
	const char *shared = getenv("HUOLTO_SHARED"), *repo = getenv("HUOLTO_SRC");
	struct catalog_source src = { .url = "https://test/" };
	struct hu_err err = HU_ERR_INIT;

	if (catalog_db_begin(db, name, &err) < 0)
		fail_msg("%s: %s", name, hu_err_msg(&err));
	for (size_t i = 0; i < n; i++) {
		char path[512], *data = NULL;
		size_t len = 0;
		if (strncmp(rels[i], "huolto:", 7) == 0)
			snprintf(path, sizeof(path), "%s/tests/fixtures/%s", repo ? repo : ".",
				 rels[i] + 7);
		else
			snprintf(path, sizeof(path), "%s/catalog/fixtures/%s",
				 shared ? shared : "../shared", rels[i]);
		if (hu_read_local_file(path, 1 << 20, &data, &len, NULL, &err) < 0)
			fail_msg("%s", hu_err_msg(&err));
		if (parse(data, len, abouts ? abouts[i] : NULL, db, &err) < 0)
			fail_msg("%s: %s", rels[i], hu_err_msg(&err));
		free(data);
	}
	assert_int_equal(catalog_db_commit(db, &src, READ_AT, &err), 0);
}

static inline void feed_file(struct catalog_db *db, const char *name, catalog_parse_fn parse,
			     const char *product, const char *rel)
{
	feed_files(db, name, parse, 1, &rel, &product);
}

/* A catalog in a temporary directory: stale_after 90 days. */
struct fixture {
	char dir[64];
	struct catalog_conf conf;
	struct catalog_db *db;
	struct catalog_index *idx; /* loaded by the test, or NULL */
};

static inline struct fixture *fixture_open(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct hu_err err = HU_ERR_INIT;
	char path[128];

	snprintf(f->dir, sizeof(f->dir), "/tmp/huolto-catalog.XXXXXX");
	if (!mkdtemp(f->dir))
		fail_msg("mkdtemp");
	catalog_conf_init(&f->conf);
	free(f->conf.dir);
	f->conf.dir = strdup(f->dir);
	f->conf.stale_after_ms = 90LL * 86400 * 1000;
	snprintf(path, sizeof(path), "%s/catalog.db", f->dir);
	if (catalog_db_open(path, &f->db, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	return f;
}

static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	catalog_index_free(f->idx);
	catalog_db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	catalog_conf_clear(&f->conf);
	free(f);
	return 0;
}

#endif
