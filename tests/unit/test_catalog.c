/* SPDX-License-Identifier: MIT */
/*
 * The catalog's feed parsers against the real-format bodies in
 * ../shared/catalog/fixtures, their errors on broken bodies, and the
 * database keeping a feed's old facts when a new body fails to parse.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_db.h"
#include "catalog_parse.h"
#include "huolto/fileio.h"

struct fixture {
	char dir[64];
	char path[96];
	struct catalog_db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct hu_err err = HU_ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/huolto-catalog.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/catalog.db", f->dir);
	if (catalog_db_open(f->path, &f->db, &err) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[128];

	catalog_db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Parse body into feed: the parser's result (committed when 0, rolled back otherwise). */
static int feed(struct fixture *f, const char *name, catalog_parse_fn parse, const char *product,
		const char *body, size_t len, struct hu_err *err)
{
	struct catalog_source meta = { .url = "http://test/" };
	int r = catalog_db_begin(f->db, name, err);

	assert_int_equal(r, 0);
	r = parse(body, len, product, f->db, err);
	if (r < 0) {
		catalog_db_rollback(f->db);
		return r;
	}
	assert_int_equal(catalog_db_commit(f->db, &meta, 1000, err), 0);
	return 0;
}

/* Parse the fixture file rel (under ../shared/catalog/fixtures) into feed. */
static void feed_file(struct fixture *f, const char *name, catalog_parse_fn parse,
		      const char *product, const char *rel)
{
	const char *shared = getenv("HUOLTO_SHARED");
	struct hu_err err = HU_ERR_INIT;
	char path[512], *data = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/catalog/fixtures/%s", shared ? shared : "../shared", rel);
	assert_int_equal(hu_read_local_file(path, 1 << 20, &data, &len, NULL, &err), 0);
	int r = feed(f, name, parse, product, data, len, &err);
	if (r < 0)
		fail_msg("%s: %s", rel, hu_err_msg(&err));
	free(data);
}

/* The row of cycle in rows (from catalog_db_cycles). */
static json_t *cycle(json_t *rows, const char *name)
{
	size_t i;
	json_t *o;

	json_array_foreach(rows, i, o) if (strcmp(json_string_value(json_object_get(o, "cycle")),
						  name) == 0) return o;
	fail_msg("no cycle %s", name);
	return NULL;
}

static const char *text(json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

static void test_wp_stable_check(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	char *s = NULL;

	feed_file(f, "wordpress-core", catalog_parse_wp_stable, NULL,
		  "wordpress/core-stable-check-1.0.json");
	assert_int_equal(catalog_db_wp_core_latest(f->db, &s, &err), 0);
	assert_string_equal(s, "7.1");
	free(s);
	assert_int_equal(catalog_db_wp_core_status(f->db, "6.8.8", &s, &err), 0);
	assert_string_equal(s, "outdated");
	free(s);
	assert_int_equal(catalog_db_wp_core_status(f->db, "2.0", &s, &err), 0);
	assert_string_equal(s, "insecure");
	free(s);
	assert_int_equal(catalog_db_wp_core_status(f->db, "9.9", &s, &err), -ENOENT);
}

static void expect_error(struct fixture *f, catalog_parse_fn parse, const char *product,
			 const char *body, const char *words)
{
	struct hu_err err = HU_ERR_INIT;

	assert_true(feed(f, "x", parse, product, body, strlen(body), &err) < 0);
	if (!strstr(hu_err_msg(&err), words))
		fail_msg("\"%s\" does not say \"%s\"", hu_err_msg(&err), words);
	hu_err_clear(&err);
}

static void test_broken_bodies(void **state)
{
	struct fixture *f = *state;

	expect_error(f, catalog_parse_wp_stable, NULL, "{\"6.8\" : \"latest\", \"6.7\": 3}",
		     "\"6.7\": expected");
	expect_error(f, catalog_parse_wp_stable, NULL, "{\"6.8\" : \"outdated\"}",
		     "exactly one \"latest\"");
	expect_error(f, catalog_parse_wp_stable, NULL, "{\"6.8\" : \"lat", "not JSON: line 1");
	expect_error(f, catalog_parse_wp_stable, NULL, "<html>Service Unavailable</html>",
		     "not JSON");
	expect_error(f, catalog_parse_php_branches, NULL, "[]", "non-empty array");
	expect_error(f, catalog_parse_php_branches, NULL, "[{\"branch\": \"eight\"}]",
		     "[0].branch");
	expect_error(f, catalog_parse_eol, "php", "{\"result\": {}}", "result.releases");
	expect_error(f, catalog_parse_eol, "php", "[{\"cycle\": [1]}]", "[0].cycle");
}

/* A body that fails leaves the facts the feed had. */
static void test_failed_parse_keeps_facts(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	const char *good = "{\"6.8\": \"latest\", \"6.7.2\": \"outdated\"}";
	const char *bad = "{\"6.9\": \"latest\", \"6.8\": \"newish\"}";
	char *s = NULL;

	assert_int_equal(
	    feed(f, "wordpress-core", catalog_parse_wp_stable, NULL, good, strlen(good), &err), 0);
	assert_true(
	    feed(f, "wordpress-core", catalog_parse_wp_stable, NULL, bad, strlen(bad), &err) < 0);
	hu_err_clear(&err);
	assert_int_equal(catalog_db_wp_core_latest(f->db, &s, &err), 0);
	assert_string_equal(s, "6.8");
	free(s);
	struct catalog_feed meta = { 0 };
	assert_int_equal(catalog_db_feed_get(f->db, "wordpress-core", &meta, &err), 0);
	assert_int_equal(meta.items, 2);
	catalog_feed_clear(&meta);
}

static void test_php_branches(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	json_t *rows = NULL;

	feed_file(f, "php", catalog_parse_php_branches, NULL, "php-net/releases-branches.json");
	assert_int_equal(catalog_db_cycles(f->db, "php", &rows, &err), 0);
	json_t *b = cycle(rows, "8.1");
	assert_string_equal(text(b, "latest"), "8.1.34");
	assert_string_equal(text(b, "state"), "eol");
	assert_string_equal(text(b, "eol"), "2025-12-31");
	assert_string_equal(text(b, "support_end"), "2023-11-25");
	b = cycle(rows, "8.5");
	assert_string_equal(text(b, "state"), "stable");
	assert_string_equal(text(b, "released"), "2025-11-20");
	/* "3.0.x (latest)" is no version. */
	assert_true(json_is_null(json_object_get(cycle(rows, "3.0"), "latest")));
	json_decref(rows);
}

static void test_endoflife_v0(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	json_t *rows = NULL;

	feed_file(f, "endoflife-joomla", catalog_parse_eol, "joomla", "endoflife/v0-joomla.json");
	assert_int_equal(catalog_db_cycles(f->db, "joomla", &rows, &err), 0);
	assert_string_equal(text(cycle(rows, "6"), "latest"), "6.1.3");
	/*
	 * The bot's "5.4.112" is dated after cycle 5's release, so nothing in
	 * this feed shows it wrong: Joomla's own feed is what overrules it.
	 */
	assert_string_equal(text(cycle(rows, "5"), "latest"), "5.4.112");
	assert_string_equal(text(cycle(rows, "5"), "eol"), "2027-10-12");
	assert_string_equal(text(cycle(rows, "4"), "support_end"), "2024-10-15");
	json_decref(rows);

	feed_file(f, "endoflife-mysql", catalog_parse_eol, "mysql", "endoflife/v0-mysql.json");
	assert_int_equal(catalog_db_cycles(f->db, "mysql", &rows, &err), 0);
	json_t *c = cycle(rows, "8.0");
	assert_string_equal(text(c, "eol"), "2026-04-30");
	assert_int_equal(json_integer_value(json_object_get(c, "lts")), 1); /* a date */
	/* "support": true is v0's negated boolean: no end date. */
	assert_true(json_is_null(json_object_get(cycle(rows, "9.7"), "support_end")));
	json_decref(rows);

	/* The same bot's "6.0.112", dated before cycle 6 was released, is dropped. */
	const char *glitch = "[{\"cycle\":\"6\",\"releaseDate\":\"2025-10-14\",\"eol\":"
			     "\"2029-10-16\",\"latest\":\"6.0.112\",\"latestReleaseDate\":"
			     "\"2025-07-22\",\"lts\":false,\"support\":\"2028-10-17\"}]";
	assert_int_equal(
	    feed(f, "endoflife-joomla", catalog_parse_eol, "joomla", glitch, strlen(glitch), &err),
	    0);
	assert_int_equal(catalog_db_cycles(f->db, "joomla", &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_true(json_is_null(json_object_get(cycle(rows, "6"), "latest")));
	json_decref(rows);
}

static void test_endoflife_v1(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	json_t *rows = NULL;
	const char *body =
	    "{\"schema_version\":\"1.2.1\",\"generated_at\":\"2026-08-22T09:00:00+00:00\","
	    "\"result\":{\"name\":\"php\",\"releases\":["
	    "{\"name\":\"8.4\",\"releaseDate\":\"2024-11-21\",\"isLts\":false,\"ltsFrom\":null,"
	    "\"isEoas\":false,\"eoasFrom\":\"2026-12-31\",\"isEol\":false,"
	    "\"eolFrom\":\"2028-12-31\",\"isMaintained\":true,\"latest\":{\"name\":\"8.4.24\","
	    "\"date\":\"2026-07-30\",\"link\":null}},"
	    "{\"name\":\"5.2\",\"releaseDate\":\"2006-11-02\",\"isEol\":true,\"eolFrom\":null,"
	    "\"latest\":null}]}}";

	assert_int_equal(
	    feed(f, "endoflife-php", catalog_parse_eol, "php", body, strlen(body), &err), 0);
	assert_int_equal(catalog_db_cycles(f->db, "php", &rows, &err), 0);
	json_t *c = cycle(rows, "8.4");
	assert_string_equal(text(c, "latest"), "8.4.24");
	assert_string_equal(text(c, "eol"), "2028-12-31");
	assert_string_equal(text(c, "support_end"), "2026-12-31");
	c = cycle(rows, "5.2");
	assert_true(json_is_null(json_object_get(c, "eol")));
	assert_int_equal(json_integer_value(json_object_get(c, "eol_flag")), 1);
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wp_stable_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_bodies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_parse_keeps_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_php_branches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endoflife_v0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endoflife_v1, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
