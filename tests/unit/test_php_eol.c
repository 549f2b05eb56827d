/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "php/php.h"

static time_t day(const char *d)
{
	time_t t = 0;
	assert_int_equal(php_parse_date(d, &t), 0);
	return t;
}

static void dates(void **state)
{
	time_t t;
	char buf[16];

	(void)state;
	assert_int_equal(php_parse_date("2026-12-31T00:00:00+00:00", &t), 0);
	assert_string_equal(php_format_date(t, buf, sizeof(buf)), "2026-12-31");
	assert_int_equal(php_parse_date("2026-02-31", &t), -EINVAL);
	assert_int_equal(php_parse_date("2026-13-01", &t), -EINVAL);
	assert_int_equal(php_parse_date("26-12-31", &t), -EINVAL);
	assert_int_equal(php_parse_date("2026-12-31x", &t), -EINVAL);
	assert_int_equal(php_parse_date(NULL, &t), -EINVAL);
}

static void builtin(void **state)
{
	struct php_eol_table t = { 0 };
	struct hu_err err = HU_ERR_INIT;

	(void)state;
	assert_int_equal(php_eol_table_builtin(&t, &err), 0);
	assert_string_equal(t.origin, "built-in");
	assert_string_equal(t.source, "https://www.php.net/releases/branches.php");
	assert_true(t.n >= 20);
	const struct php_branch *b = php_eol_find(&t, 8, 2);
	assert_non_null(b);
	assert_int_equal(b->security_support_end, day("2026-12-31"));
	assert_int_equal(b->active_support_end, day("2024-12-31"));
	b = php_eol_find(&t, 3, 0);
	assert_non_null(b);
	assert_int_equal(b->initial_release, 0); /* null in php.net's data */
	assert_null(php_eol_find(&t, 9, 9));
	php_eol_table_clear(&t);
}

static const char *parse_error(const char *text)
{
	static char msg[512];
	struct php_eol_table t = { 0 };
	struct hu_err err = HU_ERR_INIT;

	if (php_eol_table_parse("t.json", text, strlen(text), 0, &t, &err) == 0) {
		php_eol_table_clear(&t);
		return "";
	}
	snprintf(msg, sizeof(msg), "%s", hu_err_msg(&err));
	hu_err_clear(&err);
	return msg;
}

static void parse_errors(void **state)
{
	(void)state;
	assert_string_equal(parse_error("{"),
			    "t.json:1:1: string or '}' expected near end of file");
	assert_string_equal(parse_error("{\"retrieved\": \"2026-01-01\", \"branches\": []}"),
			    "t.json: source: expected a string naming where the dates come from");
	assert_string_equal(
	    parse_error("{\"source\": \"x\", \"retrieved\": \"soon\", \"branches\": []}"),
	    "t.json: retrieved: expected a date (YYYY-MM-DD)");
	assert_string_equal(parse_error("[]"),
			    "t.json: branches: expected 1 to 1000 branches, found 0");
	assert_string_equal(parse_error("[{\"branch\": \"8\"}]"),
			    "t.json: branches[0].branch: \"8\" is not MAJOR.MINOR");
	assert_string_equal(
	    parse_error("[{\"branch\": \"8.2\", \"security_support_end\": 5}]"),
	    "t.json: branches[0].security_support_end: expected a date (YYYY-MM-DD) or null");
	assert_string_equal(parse_error("[{\"branch\": \"8.2\"}, {\"branch\": \"8.2\"}]"),
			    "t.json: branches[1]: branch 8.2 listed twice");
	assert_string_equal(parse_error("[{\"branch\": \"8.2\", \"branch\": \"8.3\"}]"),
			    "t.json:1:27: duplicate object key near '\"branch\"'");
	assert_string_equal(parse_error("[{\"branch\": \"8.2\"}]"), "");
}

static void judge(void **state)
{
	struct php_eol_table t = { 0 };
	struct php_eol_policy p = { .warn_days = 90, .max_age_s = 180 * 86400 };
	struct php_verdict v;
	struct hu_err err = HU_ERR_INIT;
	const char *text = "{\"source\": \"test\", \"retrieved\": \"2026-11-22\", \"branches\": ["
			   "{\"branch\": \"8.4\", \"active_support_end\": \"2026-12-31\","
			   " \"security_support_end\": \"2028-12-31\"},"
			   "{\"branch\": \"8.2\", \"active_support_end\": \"2024-12-31\","
			   " \"security_support_end\": \"2026-12-31\"},"
			   "{\"branch\": \"7.4\", \"security_support_end\": \"2022-11-28\"},"
			   "{\"branch\": \"9.0\", \"security_support_end\": null}]}";

	(void)state;
	assert_int_equal(php_eol_table_parse("t", text, strlen(text), 0, &t, &err), 0);

	php_eol_judge(&t, &p, 8, 4, day("2026-11-22"), &v);
	assert_string_equal(v.code, "php.ok");
	assert_int_equal(v.status, HU_OK);
	php_eol_judge(&t, &p, 8, 4, day("2027-01-01"), &v);
	assert_string_equal(v.code, "php.security_only");
	assert_int_equal(v.status, HU_WARNING);
	php_eol_judge(&t, &p, 8, 2, day("2026-11-22"), &v);
	assert_string_equal(v.code, "php.eol_soon");
	php_eol_judge(&t, &p, 8, 2, day("2026-10-02"), &v); /* 90 days before: warned */
	assert_string_equal(v.code, "php.eol_soon");
	php_eol_judge(&t, &p, 8, 2, day("2026-10-01"), &v); /* 91 days before */
	assert_string_equal(v.code, "php.security_only");
	php_eol_judge(&t, &p, 8, 2, day("2026-12-31"), &v); /* the end date itself */
	assert_string_equal(v.code, "php.eol");
	assert_int_equal(v.status, HU_CRITICAL);
	php_eol_judge(&t, &p, 7, 4, day("2026-11-22"), &v);
	assert_string_equal(v.code, "php.eol");
	php_eol_judge(&t, &p, 8, 6, day("2026-11-22"), &v);
	assert_string_equal(v.code, "php.branch_unknown");
	assert_int_equal(v.status, HU_UNKNOWN);
	php_eol_judge(&t, &p, 9, 0, day("2026-11-22"), &v);
	assert_string_equal(v.code, "php.branch_unknown"); /* no end date known */

	/* Stale data: never ok; known ends stay what they are. */
	php_eol_judge(&t, &p, 8, 4, day("2027-06-01"), &v);
	assert_true(v.stale);
	assert_string_equal(v.code, "php.security_only");
	php_eol_judge(&t, &p, 8, 4, day("2026-06-01") + 400 * 86400, &v);
	assert_true(v.stale);
	php_eol_judge(&t, &p, 8, 6, day("2027-06-01"), &v);
	assert_string_equal(v.code, "php.eol_data_stale");
	p.max_age_s = 30 * 86400;
	php_eol_judge(&t, &p, 8, 4, day("2026-12-23"), &v);
	assert_true(v.stale);
	assert_string_equal(v.code, "php.eol_data_stale");
	assert_int_equal(v.status, HU_UNKNOWN);
	assert_int_equal(v.table_age_days, 31);
	php_eol_judge(&t, &p, 8, 4, day("2026-12-21"), &v);
	assert_false(v.stale);
	assert_string_equal(v.code, "php.ok");
	php_eol_table_clear(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates),
		cmocka_unit_test(builtin),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(judge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
