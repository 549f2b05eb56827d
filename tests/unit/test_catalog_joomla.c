/* SPDX-License-Identifier: MIT */
/*
 * Joomla's XML update files: which update servers a refresh asks (from the
 * extensions' manifests), their answers read into catalog.db (a vendor's
 * broken or unreachable server recorded, never a failed feed), the legacy
 * core/list.xml, and extensions and cores judged with them for the Joomla
 * version of their own install. Also the policy for addresses a customer
 * server names: https only, public addresses only.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_fetch.h"
#include "catalog_fixture.h"
#include "catalog_index.h"
#include "catalog_judge.h"
#include "catalog_plan.h"

#define SOON day(2026, 9, 10)

#define AKEEBA "https://cdn.akeeba.test/updates/pkgakeeba.xml"
#define VENDOR "https://vendor.test/updates/list.xml"
#define BROKEN "https://broken.test/updates.xml"
#define DEAD   "https://dead.test/updates.xml"
#define NEVER  "https://never.test/updates.xml"
#define PLAIN  "http://plain.test/updates.xml"

/* Two installs on one site: Joomla 5.2.3 at /j5, 5.0.2 at /j5/old. */
static const char site_json[] =
    "[{\"kind\": \"joomla-core\", \"slug\": \"joomla\", \"version\": \"5.2.3\", \"path\": \"/j5\","
    "  \"update_servers\": [\"https://update.joomla.org/core/list.xml\"]},"
    " {\"kind\": \"joomla-core\", \"slug\": \"joomla\", \"version\": \"5.0.2\","
    "  \"path\": \"/j5/old\"},"
    " {\"kind\": \"joomla-extension\", \"slug\": \"akeeba\", \"element\": \"akeeba\","
    "  \"type\": \"package\", \"version\": \"9.9.1\","
    "  \"path\": \"/j5/administrator/manifests/packages/pkg_akeeba.xml\","
    "  \"update_servers\": [\"" AKEEBA "\", \"" PLAIN "\"]},"
    " {\"kind\": \"joomla-extension\", \"slug\": \"akeeba\", \"element\": \"akeeba\","
    "  \"type\": \"package\", \"version\": \"9.2.1\","
    "  \"path\": \"/j5/old/administrator/manifests/packages/pkg_akeeba.xml\","
    "  \"update_servers\": [\"" AKEEBA "\"]},"
    " {\"kind\": \"joomla-extension\", \"slug\": \"admintools\", \"element\": \"admintools\","
    "  \"type\": \"plugin\", \"folder\": \"system\", \"version\": \"7.4.0\","
    "  \"path\": \"/j5/plugins/system/admintools/admintools.xml\","
    "  \"update_servers\": [\"" DEAD "\", \"" VENDOR "\"]},"
    " {\"kind\": \"joomla-extension\", \"slug\": \"mod_broken\", \"type\": \"module\","
    "  \"version\": \"1.0\", \"path\": \"/j5/modules/mod_broken/mod_broken.xml\","
    "  \"update_servers\": [\"" BROKEN "\"]},"
    " {\"kind\": \"joomla-extension\", \"slug\": \"mod_gone\", \"type\": \"module\","
    "  \"version\": \"1.0\", \"path\": \"/j5/modules/mod_gone/mod_gone.xml\","
    "  \"update_servers\": [\"" DEAD "\"]},"
    " {\"kind\": \"joomla-extension\", \"slug\": \"mod_custom\", \"type\": \"module\","
    "  \"version\": \"1.0\", \"path\": \"/j5/modules/mod_custom/mod_custom.xml\","
    "  \"update_servers\": []}]";

static json_t *site(void)
{
	json_error_t je;
	json_t *s = json_loads(site_json, 0, &je);

	if (!s)
		fail_msg("site_json: %s at %d", je.text, je.line);
	return s;
}

static int setup(void **state)
{
	*state = fixture_open();
	return 0;
}

#define teardown fixture_teardown

/* The refresh as it reads the servers: AKEEBA, VENDOR, BROKEN answer; DEAD does not. */
static void read_feeds(struct fixture *f)
{
	static const char *const rels[] = { "huolto:joomla/pkg-akeeba.COMPOSED.xml",
					    "huolto:joomla/collection.COMPOSED.xml" };
	static const char *const abouts[] = { AKEEBA, VENDOR };
	struct hu_err err = HU_ERR_INIT;
	const char *broken = "<updates><update><element>mod_broken</element>";

	/* one replacement, as a refresh makes it */
	assert_int_equal(catalog_db_begin(f->db, "joomla-extensions", &err), 0);
	for (size_t i = 0; i < 2; i++) {
		char *data = NULL;
		size_t len = 0;
		char path[512];
		snprintf(path, sizeof(path), "%s/tests/fixtures/%s", getenv("HUOLTO_SRC"),
			 rels[i] + 7);
		assert_int_equal(hu_read_local_file(path, 1 << 20, &data, &len, NULL, &err), 0);
		assert_int_equal(catalog_parse_joomla_server(data, len, abouts[i], f->db, &err), 0);
		free(data);
	}
	/* a vendor's truncated file and a dead server: recorded, the feed still commits */
	assert_int_equal(catalog_parse_joomla_server(broken, strlen(broken), BROKEN, f->db, &err),
			 0);
	assert_int_equal(
	    catalog_joomla_server_failed(DEAD, DEAD ": Connection timed out", f->db, &err), 0);
	struct catalog_source src = { .url = "(servers)" };
	assert_int_equal(catalog_db_commit(f->db, &src, READ_AT, &err), 0);
	feed_file(f->db, "joomla-core-legacy", catalog_parse_joomla_list, NULL,
		  "huolto:joomla/core-list.COMPOSED.xml");
	feed_file(f->db, "joomla-core", catalog_parse_joomla_tuf, NULL, "joomla/tuf-targets.json");
	feed_file(f->db, "endoflife-joomla", catalog_parse_eol, "joomla",
		  "endoflife/v0-joomla.json");
	assert_int_equal(catalog_index_load(&f->conf, READ_AT, &f->idx, &err), 0);
}

static void test_plan(void **state)
{
	struct fixture *f = *state;
	struct catalog_plan plan = { 0 };
	struct hu_err err = HU_ERR_INIT;
	json_t *inv = site();

	assert_int_equal(
	    catalog_plan_joomla_servers("https://update.joomla.org", inv, f->db, &plan, &err), 0);
	/* each extension server once, in inventory order; the core's own is another feed's */
	static const char *const urls[] = { AKEEBA, PLAIN, DEAD, VENDOR, BROKEN };
	assert_int_equal(plan.n, 5);
	for (size_t i = 0; i < plan.n; i++) {
		assert_string_equal(plan.v[i].url, urls[i]);
		assert_string_equal(plan.v[i].about, urls[i]);
		assert_true(plan.v[i].untrusted);
		assert_null(plan.v[i].post);
	}
	catalog_plan_clear(&plan);
	json_decref(inv);
}

/* Judge the site's item of slug at path (NULL: the first of that slug). */
static void expect(struct fixture *f, json_t *inv, const char *slug, const char *path,
		   const char *code, enum hu_status status, const char *fact, const char *value)
{
	struct catalog_judgement j;
	json_t *it = NULL, *x;
	size_t i;

	json_array_foreach(inv, i, x)
	{
		const char *s = json_string_value(json_object_get(x, "slug"));
		const char *p = json_string_value(json_object_get(x, "path"));
		if (strcmp(s, slug) == 0 && (!path || strcmp(p, path) == 0)) {
			it = x;
			break;
		}
	}
	assert_non_null(it);
	assert_int_equal(catalog_judge_item(f->idx, it, inv, SOON, &j), 0);
	if (strcmp(code, "") == 0)
		assert_null(j.code);
	else
		assert_string_equal(j.code, code);
	assert_int_equal(j.status, status);
	if (fact)
		assert_string_equal(json_string_value(json_object_get(j.facts, fact)), value);
	catalog_judgement_clear(&j);
}

static void test_extensions(void **state)
{
	struct fixture *f = *state;
	json_t *inv = site();

	read_feeds(f);
	/* on 5.2.3, 10.0.2 is offered (the beta and the other product's 99.0.0 are not) */
	expect(f, inv, "akeeba", "/j5/administrator/manifests/packages/pkg_akeeba.xml",
	       "joomla.extension_outdated", HU_WARNING, "latest", "10.0.2");
	/* on 5.0.2 (the install it sits in, not the site's first core), 9.9.1 */
	expect(f, inv, "akeeba", "/j5/old/administrator/manifests/packages/pkg_akeeba.xml",
	       "joomla.extension_outdated", HU_WARNING, "joomla", "5.0.2");
	expect(f, inv, "akeeba", "/j5/old/administrator/manifests/packages/pkg_akeeba.xml",
	       "joomla.extension_outdated", HU_WARNING, "latest", "9.9.1");
	/* the first server is dead, the second (a collection) lists it */
	expect(f, inv, "admintools", NULL, "joomla.extension_outdated", HU_WARNING, "latest",
	       "7.5.2");
	expect(f, inv, "mod_broken", NULL, "catalog.unknown", HU_UNKNOWN, "reason",
	       "update server unreadable");
	expect(f, inv, "mod_gone", NULL, "catalog.unknown", HU_UNKNOWN, "reason",
	       "update server unreachable");
	expect(f, inv, "mod_gone", NULL, "catalog.unknown", HU_UNKNOWN, "error",
	       DEAD ": Connection timed out");

	/* the latest: ok; another folder's plugin of the same element: not listed */
	json_t *ak = json_array_get(inv, 2), *at = json_array_get(inv, 4);
	json_object_set_new(ak, "version", json_string("10.0.2"));
	expect(f, inv, "akeeba", "/j5/administrator/manifests/packages/pkg_akeeba.xml", "", HU_OK,
	       "latest", "10.0.2");
	json_object_set_new(at, "folder", json_string("content"));
	expect(f, inv, "admintools", NULL, "catalog.unknown", HU_UNKNOWN, "reason", "not listed");
	/* a server the last refresh did not ask */
	json_object_set_new(at, "update_servers", json_pack("[s]", NEVER));
	expect(f, inv, "admintools", NULL, "catalog.unknown", HU_UNKNOWN, "reason",
	       "not asked yet");
	/* an extension outside any Joomla install of the inventory */
	json_object_set_new(ak, "path", json_string("/elsewhere/pkg_akeeba.xml"));
	expect(f, inv, "akeeba", "/elsewhere/pkg_akeeba.xml", "catalog.unknown", HU_UNKNOWN,
	       "reason", "no joomla core");
	/* no update servers: nothing to judge by */
	struct catalog_judgement j;
	assert_int_equal(catalog_judge_item(f->idx, json_array_get(inv, 7), inv, SOON, &j), 1);
	catalog_judgement_clear(&j);
	json_decref(inv);
}

static void test_core_legacy(void **state)
{
	struct fixture *f = *state;
	json_t *inv = site();

	read_feeds(f);
	/* before 5.1: core/list.xml's offer for "5.0" */
	expect(f, inv, "joomla", "/j5/old", "joomla.core_outdated", HU_WARNING, "feed",
	       "joomla-core-legacy");
	expect(f, inv, "joomla", "/j5/old", "joomla.core_outdated", HU_WARNING, "latest", "5.4.8");
	/* 5.1 and later: the TUF feed */
	expect(f, inv, "joomla", "/j5", "joomla.core_outdated", HU_WARNING, "feed", "joomla-core");
	json_decref(inv);
}

static void test_broken(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	static const char *const bad[] = {
		"<updates><update>",
		"{\"updates\": []}",
		"<html><body>Not here</body></html>",
		"<!DOCTYPE u [<!ENTITY a \"aaaa\">]><updates><update><element>&a;</element>"
		"</update></updates>",
	};
	static const char *const says[] = { "no element found", "not well-formed",
					    "not an <updates> or <extensionset> file",
					    "entity declaration" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		/* a vendor's server: recorded as unreadable, with why */
		assert_int_equal(catalog_db_begin(f->db, "joomla-extensions", &err), 0);
		assert_int_equal(
		    catalog_parse_joomla_server(bad[i], strlen(bad[i]), BROKEN, f->db, &err), 0);
		struct catalog_source src = { .url = "(servers)" };
		assert_int_equal(catalog_db_commit(f->db, &src, READ_AT, &err), 0);
		assert_int_equal(catalog_index_load(&f->conf, READ_AT, &f->idx, &err), 0);
		const json_t *row = catalog_index_item(f->idx, CATALOG_JOOMLA_SERVER, BROKEN);
		assert_string_equal(json_string_value(json_object_get(row, "status")),
				    "unreadable");
		const char *e =
		    json_string_value(json_object_get(json_object_get(row, "facts"), "error"));
		if (!strstr(e, says[i]))
			fail_msg("%zu: \"%s\" does not say \"%s\"", i, e, says[i]);
		catalog_index_free(f->idx);
		f->idx = NULL;
		/* the core's legacy feed: a failed refresh, the old facts kept */
		assert_int_equal(catalog_db_begin(f->db, "joomla-core-legacy", &err), 0);
		assert_int_equal(
		    catalog_parse_joomla_list(bad[i], strlen(bad[i]), NULL, f->db, &err), -EBADMSG);
		catalog_db_rollback(f->db);
	}
	/* a list with no offer for joomla at all is no list */
	const char *empty = "<extensionset name=\"Joomla Core\"></extensionset>";
	assert_int_equal(catalog_db_begin(f->db, "joomla-core-legacy", &err), 0);
	assert_int_equal(catalog_parse_joomla_list(empty, strlen(empty), NULL, f->db, &err),
			 -EBADMSG);
	assert_non_null(strstr(hu_err_msg(&err), "no <extension> offers"));
	catalog_db_rollback(f->db);
	hu_err_clear(&err);
}

/* Addresses from a customer server: refused before any connection is made. */
static void test_fetch_policy(void **state)
{
	struct fixture *f = *state;
	static const char *const private_urls[] = {
		"https://127.0.0.1:9/u.xml",     "https://10.1.2.3:9/u.xml",
		"https://169.254.169.254/u.xml", "https://192.168.1.1:9/u.xml",
		"https://172.20.0.1:9/u.xml",    "https://100.64.0.1:9/u.xml",
		"https://[::1]:9/u.xml",         "https://[fd00::1]:9/u.xml",
		"https://[fe80::1]:9/u.xml",     "https://[::ffff:192.168.1.1]:9/u.xml",
		"https://0.0.0.0:9/u.xml",
	};
	char out[128];

	snprintf(out, sizeof(out), "%s/body", f->dir);
	for (size_t i = 0; i < sizeof(private_urls) / sizeof(*private_urls); i++) {
		struct hu_err err = HU_ERR_INIT;
		struct catalog_answer a = { 0 };
		struct catalog_request q = { .url = private_urls[i],
					     .max_body = 1 << 20,
					     .timeout_ms = 2000,
					     .out_path = out,
					     .https_only = true,
					     .public_only = true };
		assert_int_equal(catalog_fetch(&q, &a, &err), -EACCES);
		if (!strstr(hu_err_msg(&err), "not a public address"))
			fail_msg("%s: %s", private_urls[i], hu_err_msg(&err));
		catalog_answer_clear(&a);
		hu_err_clear(&err);
	}
	struct hu_err err = HU_ERR_INIT;
	struct catalog_answer a = { 0 };
	struct catalog_request q = { .url = PLAIN,
				     .max_body = 1 << 20,
				     .timeout_ms = 2000,
				     .out_path = out,
				     .https_only = true };
	assert_int_equal(catalog_fetch(&q, &a, &err), -EACCES);
	assert_non_null(strstr(hu_err_msg(&err), "not an https:// address"));
	hu_err_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extensions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_core_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_policy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
