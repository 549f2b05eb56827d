/* SPDX-License-Identifier: MIT */
/*
 * The catalog's per-item feeds: what a refresh asks WordPress.org (the
 * update checks' form bodies, plugin information for the plugins they do
 * not know) and drupal.org (a release history per project), Wordfence's
 * vulnerability records (streamed), the
 * real-format answers read into catalog.db, and plugins, themes, Drupal
 * core and modules judged with them at fixed moments.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_fixture.h"
#include "catalog_index.h"
#include "catalog_judge.h"
#include "catalog_plan.h"

#define SOON day(2026, 9, 10)

/* The inventories: what the refresh asks about. */
static const char inventory_json[] =
    "[{\"kind\": \"wordpress-plugin\", \"slug\": \"akismet\", \"key\": \"akismet/akismet.php\","
    "  \"version\": \"5.3.3\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-plugin\", \"slug\": \"akismet\", \"key\": \"akismet/akismet.php\","
    "  \"version\": \"5.3.5\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-plugin\", \"slug\": \"hello-dolly\", \"key\": \"hello.php\","
    "  \"version\": \"1.7.2\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-plugin\", \"slug\": \"contact-form-7-datepicker\","
    "  \"key\": \"contact-form-7-datepicker/contact-form-7-datepicker.php\","
    "  \"version\": \"2.6.0\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-plugin\", \"slug\": \"agency-pro\", \"key\": \"agency-pro/pro.php\","
    "  \"version\": \"1.0\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-plugin\", \"slug\": \"custom-updater\","
    "  \"key\": \"custom-updater.php\", \"version\": \"2.1.0\", \"wordpress_org\": false},"
    " {\"kind\": \"wordpress-theme\", \"slug\": \"hello-elementor\", \"key\": \"hello-elementor\","
    "  \"version\": \"3.2.0\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-theme\", \"slug\": \"twentytwentyfour\", \"key\": "
    "\"twentytwentyfour\","
    "  \"version\": \"1.2\", \"wordpress_org\": true},"
    " {\"kind\": \"wordpress-mu-plugin\", \"slug\": \"loader\", \"version\": \"1.0\"},"
    " {\"kind\": \"drupal-core\", \"slug\": \"drupal\", \"project\": \"drupal\","
    "  \"version\": \"11.3.15\"},"
    " {\"kind\": \"drupal-module\", \"slug\": \"token\", \"project\": \"token\","
    "  \"version\": \"8.x-1.14\"},"
    " {\"kind\": \"drupal-module\", \"slug\": \"token\", \"project\": \"token\","
    "  \"version\": \"8.x-1.13\"},"
    " {\"kind\": \"drupal-module\", \"slug\": \"views\", \"project\": \"views\","
    "  \"version\": \"7.x-3.11\", \"core\": \"7.x\"},"
    " {\"kind\": \"drupal-module\", \"slug\": \"mine\", \"version\": \"1.0\"}]";

static int setup(void **state)
{
	*state = fixture_open();
	return 0;
}

#define teardown fixture_teardown

/* The one call fn plans for the inventory, as form data decoded into JSON. */
static json_t *planned_form(catalog_plan_fn fn, struct fixture *f, const char *field,
			    char **ret_about)
{
	json_t *inv = json_loads(inventory_json, 0, NULL);
	struct catalog_plan plan = { 0 };
	struct hu_err err = HU_ERR_INIT;
	json_t *form;
	char prefix[32];

	assert_non_null(inv);
	assert_int_equal(fn("https://api.test", inv, f->db, &plan, &err), 0);
	assert_int_equal(plan.n, 1);
	assert_non_null(plan.v[0].post);
	snprintf(prefix, sizeof(prefix), "%s=", field);
	assert_memory_equal(plan.v[0].post, prefix, strlen(prefix));
	/* the JSON value of the first form field, %-decoded */
	size_t n = strcspn(plan.v[0].post + strlen(prefix), "&");
	char *enc = strndup(plan.v[0].post + strlen(prefix), n), *dec = malloc(n + 1), *o = dec;
	for (const char *p = enc; *p; p++) {
		unsigned x;
		if (*p == '%' && sscanf(p + 1, "%2x", &x) == 1) {
			*o++ = (char)x;
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	form = json_loads(dec, 0, NULL);
	assert_non_null(form);
	assert_non_null(strstr(plan.v[0].url, "/update-check/1.1/"));
	*ret_about = strdup(plan.v[0].about);
	free(enc);
	free(dec);
	catalog_plan_clear(&plan);
	json_decref(inv);
	return form;
}

/* Read the answers the way a refresh does, then load the index. */
static void read_feeds(struct fixture *f)
{
	struct hu_err err = HU_ERR_INIT;
	char *plugins_about = NULL, *themes_about = NULL;
	json_t *form;

	form = planned_form(catalog_plan_wp_plugins, f, "plugins", &plugins_about);
	json_decref(form);
	form = planned_form(catalog_plan_wp_themes, f, "themes", &themes_about);
	json_decref(form);
	feed_file(f->db, "wordpress-plugins", catalog_parse_wp_plugins, plugins_about,
		  "wordpress/plugins-update-check-1.1.mixed.json");
	feed_file(f->db, "wordpress-themes", catalog_parse_wp_themes, themes_about,
		  "wordpress/themes-update-check-1.1.update-found.json");

	/* plugin information for the two plugins the update check did not know */
	struct catalog_plan plan = { 0 };
	assert_int_equal(catalog_plan_wp_plugin_info("https://api.test", NULL, f->db, &plan, &err),
			 0);
	assert_int_equal(plan.n, 2);
	const char *rels[2], *abouts[2];
	for (size_t i = 0; i < 2; i++) {
		assert_null(plan.v[i].post);
		assert_true(plan.v[i].not_found_ok);
		abouts[i] = plan.v[i].about;
		rels[i] = strcmp(abouts[i], "contact-form-7-datepicker") == 0
			      ? "wordpress/plugins-info-1.2.closed.json"
			      : "wordpress/plugins-info-1.2.not-found.json";
		assert_non_null(strstr(plan.v[i].url, "/plugins/info/1.2/?action="
						      "plugin_information&slug="));
	}
	feed_files(f->db, "wordpress-plugin-info", catalog_parse_wp_plugin_info, 2, rels, abouts);
	catalog_plan_clear(&plan);
	free(plugins_about);
	free(themes_about);
	assert_int_equal(catalog_index_load(&f->conf, READ_AT, &f->idx, &err), 0);
}

static void test_plan(void **state)
{
	struct fixture *f = *state;
	char *about = NULL;
	json_t *form = planned_form(catalog_plan_wp_plugins, f, "plugins", &about);
	json_t *plugins = json_object_get(form, "plugins");

	/* each wordpress.org plugin once; not the one updated from elsewhere */
	assert_int_equal(json_object_size(plugins), 4);
	assert_non_null(json_object_get(plugins, "hello.php"));
	assert_null(json_object_get(plugins, "custom-updater.php"));
	assert_true(json_is_array(json_object_get(form, "active")));
	json_t *asked = json_loads(about, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(asked, "hello.php")), "hello-dolly");
	json_decref(asked);
	json_decref(form);
	free(about);

	form = planned_form(catalog_plan_wp_themes, f, "themes", &about);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_object_get(form, "themes"), "hello-elementor"), "Version")),
	    "3.2.0");
	json_decref(form);
	free(about);
}

static void expect(struct fixture *f, const char *kind, const char *key, const char *slug,
		   const char *version, const char *code, enum hu_status status, const char *latest)
{
	json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:b}", "kind", kind, "key", key, "slug", slug,
			       "version", version, "wordpress_org", 1);
	struct catalog_judgement j;

	assert_int_equal(catalog_judge_item(f->idx, it, NULL, SOON, &j), 0);
	if ((j.code ? strcmp(j.code, code) : *code) != 0 || j.status != status)
		fail_msg("%s %s: %s/%d (%s), expected %s/%d", key, version, j.code ? j.code : "-",
			 j.status, j.message, code, status);
	if (latest && (!j.latest || strcmp(j.latest, latest) != 0))
		fail_msg("%s: latest %s, expected %s", key, j.latest ? j.latest : "-", latest);
	catalog_judgement_clear(&j);
	json_decref(it);
}

static void test_judge(void **state)
{
	struct fixture *f = *state;

	read_feeds(f);
	expect(f, "wordpress-plugin", "akismet/akismet.php", "akismet", "5.3.3",
	       "wp.plugin_outdated", HU_WARNING, "5.3.5");
	expect(f, "wordpress-plugin", "akismet/akismet.php", "akismet", "5.3.5", "", HU_OK,
	       "5.3.5");
	/* in no_update: the latest */
	expect(f, "wordpress-plugin", "hello.php", "hello-dolly", "1.7.2", "", HU_OK, "1.7.2");
	/* closed for a security issue */
	expect(f, "wordpress-plugin", "contact-form-7-datepicker/contact-form-7-datepicker.php",
	       "contact-form-7-datepicker", "2.6.0", "wp.plugin_closed", HU_CRITICAL, NULL);
	/* not on wordpress.org: unknown, never ok */
	expect(f, "wordpress-plugin", "agency-pro/pro.php", "agency-pro", "1.0", "catalog.unknown",
	       HU_UNKNOWN, NULL);
	/* installed after the refresh: not asked yet */
	expect(f, "wordpress-plugin", "new/new.php", "new", "1.0", "catalog.unknown", HU_UNKNOWN,
	       NULL);
	expect(f, "wordpress-theme", "hello-elementor", "hello-elementor", "3.2.0",
	       "wp.theme_outdated", HU_WARNING, "3.2.1");
	expect(f, "wordpress-theme", "hello-elementor", "hello-elementor", "3.2.1", "", HU_OK,
	       "3.2.1");
	expect(f, "wordpress-theme", "twentytwentyfour", "twentytwentyfour", "1.2",
	       "catalog.unknown", HU_UNKNOWN, NULL);
}

static void test_broken_answers(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	static const char *const bad[] = {
		"[]",
		"{\"plugins\": 1, \"no_update\": []}",
		"{\"plugins\": [], \"no_update\": {\"a/a.php\": {\"slug\": \"a\"}}}",
		"{\"plugins\": {}",
	};
	static const char *const says[] = { "expected an object", "\"plugins\" missing",
					    "new_version missing", "not JSON" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(catalog_db_begin(f->db, "wordpress-plugins", &err), 0);
		int r = catalog_parse_wp_plugins(bad[i], strlen(bad[i]), "{\"a/a.php\": \"a\"}",
						 f->db, &err);
		catalog_db_rollback(f->db);
		assert_int_equal(r, -EBADMSG);
		if (!strstr(hu_err_msg(&err), says[i]))
			fail_msg("case %zu: %s", i, hu_err_msg(&err));
		hu_err_clear(&err);
	}
	const char *info = "{\"name\": \"x\"}";
	assert_int_equal(catalog_db_begin(f->db, "wordpress-plugin-info", &err), 0);
	assert_int_equal(catalog_parse_wp_plugin_info(info, strlen(info), "x", f->db, &err),
			 -EBADMSG);
	catalog_db_rollback(f->db);
	hu_err_clear(&err);
}

static void expect_drupal(struct fixture *f, const char *kind, const char *project,
			  const char *version, const char *code, enum hu_status status,
			  const char *fact, const char *value)
{
	json_t *it = json_pack("{s:s,s:s,s:s,s:s}", "kind", kind, "slug", project, "project",
			       project, "version", version);
	struct catalog_judgement j;

	assert_int_equal(catalog_judge_item(f->idx, it, NULL, SOON, &j), 0);
	if ((j.code ? strcmp(j.code, code) : *code) != 0 || j.status != status)
		fail_msg("%s %s: %s/%d (%s), expected %s/%d", project, version,
			 j.code ? j.code : "-", j.status, j.message, code, status);
	if (fact) {
		const char *got = json_string_value(json_object_get(j.facts, fact));
		if (!got || strcmp(got, value) != 0)
			fail_msg("%s %s: %s %s, expected %s", project, version, fact,
				 got ? got : "-", value);
	}
	catalog_judgement_clear(&j);
	json_decref(it);
}

static void test_drupal(void **state)
{
	struct fixture *f = *state;
	json_t *inv = json_loads(inventory_json, 0, NULL);
	struct catalog_plan plan = { 0 };
	struct hu_err err = HU_ERR_INIT;
	static const char *const urls[] = { "https://up.test/drupal/current",
					    "https://up.test/token/current",
					    "https://up.test/views/7.x" };

	/* one request per project and compat; custom code (no project) is not asked about */
	assert_int_equal(catalog_plan_drupal("https://up.test", inv, f->db, &plan, &err), 0);
	assert_int_equal(plan.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(plan.v[i].url, urls[i]);
	static const char *const rels[] = {
		"drupal/release-history-drupal-current.COMPOSED.xml",
		"drupal/release-history-token-current.COMPOSED.xml",
		"drupal/release-history-unknown-project.xml",
	};
	const char *abouts[] = { plan.v[0].about, plan.v[1].about, plan.v[2].about };
	feed_files(f->db, "drupal-release-history", catalog_parse_drupal, 3, rels, abouts);
	feed_file(f->db, "endoflife-drupal", catalog_parse_eol, "drupal",
		  "endoflife/v0-drupal.json");
	catalog_plan_clear(&plan);
	json_decref(inv);
	assert_int_equal(catalog_index_load(&f->conf, READ_AT, &f->idx, &err), 0);

	/* 11.3.15 carries "Insecure"; 11.3.16 is a security update */
	expect_drupal(f, "drupal-core", "drupal", "11.3.15", "drupal.core_security_update",
		      HU_CRITICAL, "fixed_in", "11.3.16");
	expect_drupal(f, "drupal-core", "drupal", "11.3.16", "", HU_OK, NULL, NULL);
	/* endoflife.date's verdict first: 10.3 has ended */
	expect_drupal(f, "drupal-core", "drupal", "10.3.6", "drupal.core_unsupported", HU_CRITICAL,
		      NULL, NULL);
	/* 8.x-1.14 was a security update; 8.x-1.15 fixes bugs only */
	expect_drupal(f, "drupal-module", "token", "8.x-1.14", "drupal.module_outdated", HU_WARNING,
		      "latest", "8.x-1.15");
	/* 8.x-1.13 carries "Insecure", and 8.x-1.14 is the security update */
	expect_drupal(f, "drupal-module", "token", "8.x-1.13", "drupal.module_security_update",
		      HU_CRITICAL, "fixed_in", "8.x-1.14");
	expect_drupal(f, "drupal-module", "token", "8.x-1.15", "", HU_OK, NULL, NULL);
	/* a branch drupal.org does not support (supported_branches: 8.x-1.) */
	expect_drupal(f, "drupal-module", "token", "8.x-2.0", "drupal.module_unsupported",
		      HU_CRITICAL, NULL, NULL);
	/* drupal.org: "No release history was found" */
	json_t *views = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", "drupal-module", "slug", "views",
				  "project", "views", "version", "7.x-3.11", "core", "7.x");
	struct catalog_judgement j;
	assert_int_equal(catalog_judge_item(f->idx, views, NULL, SOON, &j), 0);
	assert_string_equal(j.code, "catalog.unknown");
	assert_string_equal(json_string_value(json_object_get(j.facts, "reason")),
			    "not on drupal.org");
	catalog_judgement_clear(&j);
	json_decref(views);
}

/* Core's own test fixture: a project the security team labeled insecure. */
static void test_drupal_insecure_project(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	const char *about = "drupal|current";

	feed_file(f->db, "drupal-release-history", catalog_parse_drupal, about,
		  "drupal/release-history-drupal-current.project_status-insecure.CORE-FIXTURE.xml");
	assert_int_equal(catalog_index_load(&f->conf, READ_AT, &f->idx, &err), 0);
	/* judged as a contributed project: core's 8.0 has ended by endoflife.date anyway */
	expect_drupal(f, "drupal-module", "drupal", "8.0.2", "drupal.module_security_update",
		      HU_CRITICAL, "project_status", "insecure");
}

static void test_drupal_broken(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	static const char *const bad[] = {
		"<project><title>Token</title>",
		"{\"project\": \"token\"}",
		"<project><short_name>views</short_name></project>",
		"<!DOCTYPE p [<!ENTITY a \"aaaa\">]><project><short_name>token&a;</short_name>"
		"</project>",
		"<project><releases/></project>",
	};
	static const char *const says[] = { "no element found", "not well-formed",
					    "the answer is about \"views\"", "entity declaration",
					    "no <project> with a <short_name>" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(catalog_db_begin(f->db, "drupal-release-history", &err), 0);
		int r = catalog_parse_drupal(bad[i], strlen(bad[i]), "token|current", f->db, &err);
		catalog_db_rollback(f->db);
		assert_int_equal(r, -EBADMSG);
		if (!strstr(hu_err_msg(&err), says[i]))
			fail_msg("case %zu: %s", i, hu_err_msg(&err));
		hu_err_clear(&err);
	}
}

/* Read the Wordfence body at path into the feed, as a refresh does; the parse's result. */
static int wordfence_file(struct fixture *f, const char *path, struct hu_err *err)
{
	struct catalog_source src = { .url = "https://test/" };
	int r;

	assert_int_equal(catalog_db_begin(f->db, "wordfence", err), 0);
	r = catalog_parse_wordfence_file(path, NULL, f->db, err);
	if (r < 0) {
		catalog_db_rollback(f->db);
		return r;
	}
	assert_int_equal(catalog_db_commit(f->db, &src, READ_AT, err), 0);
	return 0;
}

/* Judge a wordfence-known item: its code, and a fact's text (or number as text). */
static void expect_vuln(struct fixture *f, const char *kind, const char *slug, const char *version,
			const char *code, const char *fact, const char *value)
{
	json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:b}", "kind", kind, "slug", slug, "key", slug,
			       "version", version, "wordpress_org", 1);
	struct catalog_judgement j;
	char got[64] = "-";

	assert_int_equal(catalog_judge_item(f->idx, it, NULL, SOON, &j), 0);
	const json_t *v = json_object_get(j.facts, fact);
	if (json_is_string(v))
		snprintf(got, sizeof(got), "%s", json_string_value(v));
	else if (json_is_number(v))
		snprintf(got, sizeof(got), "%g", json_number_value(v));
	if ((j.code ? strcmp(j.code, code) : *code) != 0 || strcmp(got, value) != 0)
		fail_msg("%s %s: %s, %s %s (%s); expected %s, %s", slug, version,
			 j.code ? j.code : "-", fact, got, j.message, code, value);
	catalog_judgement_clear(&j);
	json_decref(it);
}

static void test_wordfence(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	const char *shared = getenv("HUOLTO_SHARED");
	char path[512];

	snprintf(path, sizeof(path), "%s/catalog/fixtures/wordfence/production.sample.json",
		 shared ? shared : "../shared");
	if (wordfence_file(f, path, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	/* the informational core record is not kept: 3 records, one software each */
	json_t *rows = NULL;
	assert_int_equal(catalog_db_rows(f->db, "vulns", &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 3);
	json_decref(rows);
	free(f->conf.wordfence_url);
	f->conf.wordfence_url = strdup("https://wf.test/production");
	assert_int_equal(catalog_index_load(&f->conf, READ_AT, &f->idx, &err), 0);

	/* "* - 4.0.2", both bounds inclusive */
	expect_vuln(f, "wordpress-plugin", "backwpup", "4.0.2", "wp.plugin_vulnerable", "cve",
		    "CVE-2023-5775");
	expect_vuln(f, "wordpress-plugin", "backwpup", "1.0", "wp.plugin_vulnerable", "fixed_in",
		    "4.0.3");
	expect_vuln(f, "wordpress-plugin", "backwpup", "4.0.2", "wp.plugin_vulnerable", "cvss",
		    "2.2");
	/* not vulnerable: the update checks (never read here) decide, and say unknown */
	expect_vuln(f, "wordpress-plugin", "backwpup", "4.0.3", "catalog.unknown",
		    "vulnerabilities", "none known");
	/* two ranges: 1.0.0 - 1.2.3 inclusive, 2.0.0 - 2.0.5 with 2.0.5 excluded */
	expect_vuln(f, "wordpress-plugin", "example-plugin", "1.2.3", "wp.plugin_vulnerable",
		    "fixed_in", "1.2.4");
	expect_vuln(f, "wordpress-plugin", "example-plugin", "1.2.4", "catalog.unknown",
		    "vulnerabilities", "none known");
	expect_vuln(f, "wordpress-plugin", "example-plugin", "2.0.4", "wp.plugin_vulnerable",
		    "fixed_in", "2.0.5");
	expect_vuln(f, "wordpress-plugin", "example-plugin", "2.0.5", "catalog.unknown",
		    "vulnerabilities", "none known");
	expect_vuln(f, "wordpress-plugin", "example-plugin", "0.9", "catalog.unknown",
		    "vulnerabilities", "none known");
	/* a theme with no fix and no CVSS */
	expect_vuln(f, "wordpress-theme", "example-theme", "3.1", "wp.theme_vulnerable", "fixed_in",
		    "-");
	/* the same slug as a plugin is another software */
	expect_vuln(f, "wordpress-plugin", "example-theme", "3.1", "catalog.unknown",
		    "vulnerabilities", "none known");
	/* 91 days later the feed is stale: the verdict says so (the update checks, never read
	 * here, give the unknown) */
	json_t *it = json_pack("{s:s,s:s,s:s,s:s}", "kind", "wordpress-plugin", "slug", "backwpup",
			       "key", "backwpup/backwpup.php", "version", "4.0.3");
	struct catalog_judgement j;
	assert_int_equal(catalog_judge_item(f->idx, it, NULL, READ_AT + 91 * 86400, &j), 0);
	assert_string_equal(j.code, "catalog.unknown");
	assert_string_equal(json_string_value(json_object_get(j.facts, "vulnerabilities")),
			    "catalog.stale");
	catalog_judgement_clear(&j);
	json_decref(it);
}

static void test_wordfence_broken(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	static const char *const bad[] = {
		"[]",
		"{\"a\": 1}",
		"{\"a\": {\"software\": []}}",
		"{\"a\": {\"software\": [{\"type\": \"plugin\", \"slug\": \"x\",",
		"{\"a\": {\"software\": [{\"type\": \"plugin\", \"slug\": \"x\","
		" \"affected_versions\": {\"1 - 2\": {\"from_version\": \"1\"}}}]}}",
		"{\"a\": {\"software\": [{\"type\": \"module\", \"slug\": \"x\","
		" \"affected_versions\": {}}]}}",
		"{\"a\": {\"informational\": true, \"software\": []}}",
	};
	static const char *const says[] = {
		"the feed is not an object of records",
		"record a: not an object",
		"record a: no software",
		"not JSON",
		"record a: malformed range \"1 - 2\"",
		"record a: software type \"module\"",
		"no records",
	};
	char path[128];

	snprintf(path, sizeof(path), "%s/wf.json", f->dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		FILE *out = fopen(path, "w");
		assert_non_null(out);
		fputs(bad[i], out);
		fclose(out);
		assert_int_equal(wordfence_file(f, path, &err), -EBADMSG);
		if (!strstr(hu_err_msg(&err), says[i]))
			fail_msg("case %zu: %s", i, hu_err_msg(&err));
		hu_err_clear(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_judge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drupal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drupal_insecure_project, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drupal_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wordfence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wordfence_broken, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
