/* SPDX-License-Identifier: MIT */
/*
 * Evaluation against the catalog: the real-format feed bodies of
 * ../shared/catalog/fixtures read into a catalog.db at a fixed time, then
 * inventory items, PHPs and database servers judged at fixed moments, so
 * that every verdict is the same whatever day the test runs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_eval.h"
#include "catalog_fixture.h"
#include "catalog_judge.h"

static int setup(void **state)
{
	struct fixture *f = fixture_open();
	struct hu_err err = HU_ERR_INIT;
	struct catalog_db *db = f->db;

	feed_file(db, "wordpress-core", catalog_parse_wp_stable, NULL,
		  "wordpress/core-stable-check-1.0.json");
	feed_file(db, "php", catalog_parse_php_branches, NULL, "php-net/releases-branches.json");
	feed_file(db, "joomla-core", catalog_parse_joomla_tuf, NULL, "joomla/tuf-targets.json");
	static const char *const products[] = { "mysql", "mariadb", "drupal", "joomla" };
	for (size_t i = 0; i < 4; i++) {
		char name[64], rel[64];
		snprintf(name, sizeof(name), "endoflife-%s", products[i]);
		snprintf(rel, sizeof(rel), "endoflife/v0-%s.json", products[i]);
		feed_file(db, name, catalog_parse_eol, products[i], rel);
	}
	if (catalog_index_load(&f->conf, READ_AT, &f->idx, &err) < 0)
		return -1;
	*state = f;
	return 0;
}

#define teardown fixture_teardown

/* Judge an item of kind at version on when: its code ("" for none), status and latest. */
struct verdict {
	char code[64];
	enum hu_status status;
	char latest[32];
	char fact[64]; /* the fact asked for, or "" */
};

static int item(struct fixture *f, const char *kind, const char *version, time_t when,
		const char *fact_key, struct verdict *v)
{
	json_t *it = json_pack("{s:s, s:s, s:s, s:s}", "kind", kind, "slug", "x", "version",
			       version, "path", "/srv/x");
	struct catalog_judgement j;
	int r = catalog_judge_item(f->idx, it, NULL, when, &j);

	json_decref(it);
	*v = (struct verdict){ .status = j.status };
	snprintf(v->code, sizeof(v->code), "%s", j.code ? j.code : "");
	snprintf(v->latest, sizeof(v->latest), "%s", j.latest ? j.latest : "");
	if (fact_key)
		snprintf(v->fact, sizeof(v->fact), "%s",
			 json_string_value(json_object_get(j.facts, fact_key))
			     ? json_string_value(json_object_get(j.facts, fact_key))
			     : "");
	catalog_judgement_clear(&j);
	return r;
}

static void expect(struct fixture *f, const char *kind, const char *version, time_t when,
		   const char *code, enum hu_status status, const char *latest)
{
	struct verdict v;

	assert_int_equal(item(f, kind, version, when, NULL, &v), 0);
	if (strcmp(v.code, code) != 0 || v.status != status)
		fail_msg("%s %s: %s/%d, expected %s/%d", kind, version, v.code, v.status, code,
			 status);
	if (latest && strcmp(v.latest, latest) != 0)
		fail_msg("%s %s: latest %s, expected %s", kind, version, v.latest, latest);
}

#define SOON day(2026, 9, 10)

static void test_wordpress_core(void **state)
{
	struct fixture *f = *state;

	expect(f, "wordpress-core", "6.6.2", SOON, "wp.core_insecure", HU_CRITICAL, "7.1");
	expect(f, "wordpress-core", "6.8.8", SOON, "wp.core_outdated", HU_WARNING, "7.1");
	expect(f, "wordpress-core", "7.1", SOON, "", HU_OK, "7.1");
	/* WordPress writes 7.1.0 as 7.1 */
	expect(f, "wordpress-core", "7.1.0", SOON, "", HU_OK, "7.1");
	/* not a release stable-check lists */
	expect(f, "wordpress-core", "7.2-beta1", SOON, "catalog.unknown", HU_UNKNOWN, "7.1");
	/* 91 days after the read (stale_after 90d): stale, never "ok" */
	expect(f, "wordpress-core", "7.1", READ_AT + 91 * 86400, "catalog.stale", HU_UNKNOWN, NULL);
}

static void test_drupal_core(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	expect(f, "drupal-core", "10.3.6", SOON, "drupal.core_unsupported", HU_CRITICAL, NULL);
	expect(f, "drupal-core", "7.101", SOON, "drupal.core_unsupported", HU_CRITICAL, NULL);
	/* a supported line: whether a security update is due needs the release history */
	assert_int_equal(item(f, "drupal-core", "11.4.5", SOON, "feed", &v), 0);
	assert_string_equal(v.code, "catalog.unknown");
	assert_string_equal(v.fact, "drupal-release-history");
	/* 11.3 ends 2026-12-16: within 90 days on 2026-11-01 */
	expect(f, "drupal-core", "11.3.2", day(2026, 11, 1), "drupal.core_eol_soon", HU_WARNING,
	       "11.3.16");
}

static void test_joomla_core(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	/* update.joomla.org's 5.4.8, not endoflife.date's 5.4.112 */
	expect(f, "joomla-core", "5.2.3", SOON, "joomla.core_outdated", HU_WARNING, "5.4.8");
	/* 6.x is offered to 5.4 sites only (targetplatform "(6\.[0-4])|^(5\.4)") */
	assert_int_equal(item(f, "joomla-core", "5.2.3", SOON, "upgrade", &v), 0);
	assert_string_equal(v.fact, "");
	expect(f, "joomla-core", "5.4.8", SOON, "", HU_OK, "5.4.8");
	assert_int_equal(item(f, "joomla-core", "5.4.8", SOON, "upgrade", &v), 0);
	assert_string_equal(v.fact, "6.1.3");
	expect(f, "joomla-core", "6.1.3", SOON, "", HU_OK, "6.1.3");
	expect(f, "joomla-core", "3.6.5", SOON, "joomla.core_eol", HU_CRITICAL, NULL);
	/* older than every line endoflife.date lists, and the oldest has ended */
	assert_int_equal(item(f, "joomla-core", "2.5.5", SOON, "older_than", &v), 0);
	assert_string_equal(v.code, "joomla.core_eol");
	assert_string_equal(v.fact, "3");
	/* targets.json expired on 2026-11-18: stale though read two days before */
	expect(f, "joomla-core", "5.2.3", day(2026, 11, 19), "catalog.stale", HU_UNKNOWN, NULL);
}

static void test_not_judged(void **state)
{
	struct fixture *f = *state;
	struct verdict v;
	json_t *it;
	struct catalog_judgement j;

	/* an Update URI elsewhere: wordpress.org cannot judge it */
	it = json_pack("{s:s, s:s, s:s, s:b}", "kind", "wordpress-plugin", "slug", "custom",
		       "version", "2.1.0", "wordpress_org", 0);
	assert_int_equal(catalog_judge_item(f->idx, it, NULL, SOON, &j), 1);
	catalog_judgement_clear(&j);
	json_decref(it);
	assert_int_equal(item(f, "wordpress-dropin", "2.5.4", SOON, NULL, &v), 1);
	/* the plugins feed was never read here: unknown, never ok */
	assert_int_equal(item(f, "wordpress-plugin", "5.3.3", SOON, "feed", &v), 0);
	assert_string_equal(v.code, "catalog.unknown");
	assert_string_equal(v.fact, "wordpress-plugins");
}

static void judge_php(struct fixture *f, const char *version, time_t when, const char *code,
		      enum hu_status status)
{
	struct catalog_judgement j;

	assert_int_equal(catalog_judge_php(f->idx, version, when, &j), 0);
	if (!j.code || strcmp(j.code, code) != 0 || j.status != status)
		fail_msg("PHP %s: %s/%d, expected %s/%d", version, j.code ? j.code : "-", j.status,
			 code, status);
	catalog_judgement_clear(&j);
}

static void judge_db(struct fixture *f, const char *version, const char *flavour, time_t when,
		     const char *code, enum hu_status status)
{
	struct catalog_judgement j;

	assert_int_equal(catalog_judge_db(f->idx, version, flavour, when, &j), 0);
	if ((j.code ? strcmp(j.code, code) : *code) != 0 || j.status != status)
		fail_msg("db %s: %s/%d, expected %s/%d", version, j.code ? j.code : "-", j.status,
			 code, status);
	catalog_judgement_clear(&j);
}

static void test_php_and_db(void **state)
{
	struct fixture *f = *state;

	judge_php(f, "7.4.33", SOON, "php.eol", HU_CRITICAL);
	judge_php(f, "8.2.29-1+deb12u1", SOON, "php.security_only", HU_WARNING);
	/* 8.2's security support ends 2026-12-31: within 90 days on 2026-10-10 */
	judge_php(f, "8.2.29", day(2026, 10, 10), "php.eol_soon", HU_WARNING);
	judge_php(f, "8.4.12", SOON, "php.ok", HU_OK);
	judge_php(f, "8.4.12", READ_AT + 91 * 86400, "catalog.stale", HU_UNKNOWN);
	judge_php(f, "5.1.6", SOON, "php.eol", HU_CRITICAL);

	judge_db(f, "5.7.44-log", "MySQL", SOON, "db.version_eol", HU_CRITICAL);
	judge_db(f, "8.0.36-0ubuntu0.22.04.1", "MySQL", SOON, "db.version_eol", HU_CRITICAL);
	judge_db(f, "5.5.5-10.11.6-MariaDB-0+deb12u1", NULL, SOON, "", HU_OK);
	judge_db(f, "", "MySQL", SOON, "catalog.unknown", HU_UNKNOWN);
}

static void test_never_read(void **state)
{
	struct fixture *f = *state;
	struct catalog_conf conf;
	struct catalog_index *empty = NULL;
	struct hu_err err = HU_ERR_INIT;
	struct catalog_judgement j;

	catalog_conf_init(&conf);
	free(conf.dir);
	conf.dir = strdup("/nonexistent/huolto-catalog");
	assert_int_equal(catalog_index_load(&conf, SOON, &empty, &err), 0);
	assert_int_equal(catalog_judge_php(empty, "8.4.1", SOON, &j), 0);
	assert_string_equal(j.code, "catalog.unknown");
	assert_int_equal(j.status, HU_UNKNOWN);
	catalog_judgement_clear(&j);
	catalog_index_free(empty);
	catalog_conf_clear(&conf);
	(void)f;
}

/* A fresh catalog evaluates offline from the compiled-in snapshot, and it turns stale. */
static void test_snapshot(void **state)
{
	struct fixture *f = *state;
	struct catalog_conf conf;
	struct catalog_index *idx = NULL;
	struct hu_err err = HU_ERR_INIT;
	struct catalog_judgement j;
	char dir[128];

	catalog_conf_init(&conf);
	free(conf.dir);
	snprintf(dir, sizeof(dir), "%s/fresh", f->dir);
	conf.dir = strdup(dir);
	conf.stale_after_ms = 90LL * 86400 * 1000;
	assert_int_equal(catalog_index_load(&conf, SOON, &idx, &err), 0);
	const json_t *row = NULL;
	/* dated the snapshot's day, 2026-08-20 */
	assert_int_equal(catalog_index_feed(idx, "wordpress-core", SOON, &row), CATALOG_CURRENT);
	assert_int_equal(json_integer_value(json_object_get(row, "ok_at")), day(2026, 8, 20));
	assert_string_equal(json_string_value(json_object_get(row, "url")), "snapshot:2026-08-20");
	assert_int_equal(catalog_judge_php(idx, "7.4.33", SOON, &j), 0);
	assert_string_equal(j.code, "php.eol");
	catalog_judgement_clear(&j);
	/* no snapshot for the per-item feeds or Joomla's TUF */
	assert_int_equal(catalog_index_feed(idx, "joomla-core", SOON, NULL), CATALOG_NEVER);
	/* 91 days after the snapshot: stale like any feed */
	assert_int_equal(catalog_judge_php(idx, "7.4.33", day(2026, 11, 19), &j), 0);
	assert_string_equal(j.code, "catalog.stale");
	catalog_judgement_clear(&j);
	catalog_index_free(idx);
	catalog_conf_clear(&conf);
}

/* The finding with code in findings, or NULL. */
static json_t *finding(json_t *findings, const char *code)
{
	size_t i;
	json_t *o;

	json_array_foreach(findings, i, o) if (strcmp(json_string_value(json_object_get(o, "code")),
						      code) == 0) return o;
	return NULL;
}

static void test_eval_doc(void **state)
{
	struct fixture *f = *state;
	json_error_t je;
	json_t *doc = json_loads(
	    "{\"server\": {\"findings\": []}, \"sites\": [{\"name\": \"a.test\", \"status\": "
	    "\"ok\","
	    " \"inventory\": [{\"kind\": \"wordpress-core\", \"slug\": \"wordpress\", \"version\":"
	    " \"6.6.2\", \"path\": \"/srv/a\"}, {\"kind\": \"wordpress-dropin\", \"slug\":"
	    " \"db.php\", \"version\": \"1\", \"path\": \"/srv/a/wp-content/db.php\"}],"
	    " \"findings\": [{\"code\": \"php.security_only\", \"status\": \"warning\", \"target\":"
	    " \"php-fpm\", \"message\": \"m\", \"origin\": \"catalog\", \"facts\": {\"version\":"
	    " \"7.4.33\", \"branch\": \"7.4\"}}, {\"code\": \"db.ok\", \"status\": \"ok\","
	    " \"target\": \"wp@localhost\", \"message\": \"m\", \"facts\": {\"version\":"
	    " \"5.7.44\", \"flavour\": \"MySQL\"}}]}]}",
	    0, &je);
	assert_non_null(doc);
	assert_int_equal(catalog_eval_doc(f->idx, doc, SOON), 0);
	json_t *site = json_array_get(json_object_get(doc, "sites"), 0);
	json_t *fs = json_object_get(site, "findings");
	assert_string_equal(json_string_value(json_object_get(site, "status")), "critical");
	/* the agent's PHP verdict judged again, and marked as the collector's */
	json_t *php = finding(fs, "php.eol");
	assert_non_null(php);
	assert_null(finding(fs, "php.security_only"));
	assert_string_equal(json_string_value(json_object_get(php, "origin")), "catalog");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(php, "facts"), "agent_code")),
	    "php.security_only");
	assert_string_equal(json_string_value(json_object_get(php, "replaces")),
			    "php.security_only");
	json_t *wp = finding(fs, "wp.core_insecure");
	assert_non_null(wp);
	assert_string_equal(json_string_value(json_object_get(wp, "target")), "/srv/a");
	assert_non_null(finding(fs, "db.version_eol"));
	/* the agent's own db.ok stays, without an origin */
	assert_null(json_object_get(finding(fs, "db.ok"), "origin"));
	/* findings: php.eol, db.ok, db.version_eol, wp.core_insecure (not the drop-in) */
	assert_int_equal(json_array_size(fs), 4);
	json_decref(doc);
}

static void test_joomla_tuf_broken(void **state)
{
	struct fixture *f = *state;
	struct catalog_db *db = NULL;
	struct hu_err err = HU_ERR_INIT;
	char path[128];
	static const char *const bad[] = {
		"{\"signed\": {\"_type\": \"snapshot\"}}",
		"{\"signed\": {\"_type\": \"targets\", \"targets\": {\"a.zip\": {}}}}",
		"{\"signed\": {\"_type\": \"targets\", \"expires\": \"2030-01-01T00:00:00Z\","
		" \"targets\": {\"a.zip\": {\"custom\": {\"version\": \"5.4.9\","
		" \"targetplatform\": {\"version\": \"(5\\\\.[0-4\"}}}}}}",
	};
	static const char *const says[] = { "signed._type", "signed.expires",
					    "not a regular expression" };

	snprintf(path, sizeof(path), "%s/catalog.db", f->dir);
	assert_int_equal(catalog_db_open(path, &db, &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(catalog_db_begin(db, "joomla-core", &err), 0);
		int r = catalog_parse_joomla_tuf(bad[i], strlen(bad[i]), NULL, db, &err);
		catalog_db_rollback(db);
		assert_int_equal(r, -EBADMSG);
		if (!strstr(hu_err_msg(&err), says[i]))
			fail_msg("case %zu: %s", i, hu_err_msg(&err));
		hu_err_clear(&err);
	}
	/* the good facts stay */
	json_t *rows = NULL;
	assert_int_equal(catalog_db_rows(db, "joomla_core", &rows, &err), 0);
	assert_true(json_array_size(rows) > 30);
	json_decref(rows);
	struct catalog_feed feed = { 0 };
	assert_int_equal(catalog_db_feed_get(db, "joomla-core", &feed, &err), 0);
	assert_int_equal(feed.expires, day(2026, 11, 18) + 18 * 3600 + 57 * 60 + 57);
	catalog_feed_clear(&feed);
	catalog_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wordpress_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drupal_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_joomla_core, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_judged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_php_and_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_doc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_joomla_tuf_broken, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
