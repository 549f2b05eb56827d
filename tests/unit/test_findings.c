/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "huolto/finding.h"
#include "huolto/status.h"

static void codes(void **state)
{
	(void)state;
	assert_true(hu_finding_code_valid("php.eol"));
	assert_true(hu_finding_code_valid("tls.chain_incomplete"));
	assert_true(hu_finding_code_valid("a.b.c"));
	assert_false(hu_finding_code_valid("php"));
	assert_false(hu_finding_code_valid("php."));
	assert_false(hu_finding_code_valid(".eol"));
	assert_false(hu_finding_code_valid("php..eol"));
	assert_false(hu_finding_code_valid("PHP.eol"));
	assert_false(hu_finding_code_valid("php.e-ol"));
	assert_false(hu_finding_code_valid(""));
	assert_false(hu_finding_code_valid(NULL));
}

static void ranks(void **state)
{
	(void)state;
	assert_int_equal(hu_status_worst(HU_OK, HU_WARNING), HU_WARNING);
	assert_int_equal(hu_status_worst(HU_WARNING, HU_UNKNOWN), HU_UNKNOWN);
	assert_int_equal(hu_status_worst(HU_UNKNOWN, HU_CRITICAL), HU_CRITICAL);
	assert_int_equal(hu_status_worst(HU_CRITICAL, HU_UNKNOWN), HU_CRITICAL);
	assert_string_equal(hu_status_name(HU_UNKNOWN), "unknown");
	assert_int_equal(hu_status_from_name("critical"), HU_CRITICAL);
	assert_int_equal(hu_status_from_name("CRITICAL"), _HU_STATUS_INVALID);
	assert_null(hu_status_name(_HU_STATUS_MAX));
}

static void add_sort_json(void **state)
{
	struct hu_findings f = HU_FINDINGS_INIT;

	(void)state;
	assert_int_equal(hu_findings_add(&f, HU_OK, "php.ok", "/usr/bin/php", NULL, "fine %d", 1),
			 0);
	assert_int_equal(hu_findings_add(&f, HU_CRITICAL, "php.eol", NULL,
					 json_pack("{s:i}", "days", -3), "gone"),
			 0);
	assert_int_equal(hu_findings_add(&f, HU_WARNING, "bad code", NULL, NULL, "x"), -EINVAL);
	assert_int_equal(hu_findings_add(&f, HU_WARNING, "php.x", NULL, json_array(), "x"),
			 -EINVAL);
	assert_int_equal(f.n, 2);
	assert_int_equal(hu_findings_worst(&f), HU_CRITICAL);
	hu_findings_sort(&f);
	assert_string_equal(f.v[0].code, "php.eol");
	assert_string_equal(f.v[1].message, "fine 1");
	assert_non_null(hu_findings_find(&f, "php.ok"));
	assert_null(hu_findings_find(&f, "php.nope"));

	json_t *a = hu_findings_to_json(&f);
	assert_int_equal(json_array_size(a), 2);
	json_t *first = json_array_get(a, 0);
	assert_string_equal(json_string_value(json_object_get(first, "status")), "critical");
	assert_true(json_is_null(json_object_get(first, "target")));
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(first, "facts"), "days")), -3);
	json_decref(a);
	hu_findings_clear(&f);
}

static void cap(void **state)
{
	struct hu_findings f = HU_FINDINGS_INIT, g = HU_FINDINGS_INIT;

	(void)state;
	for (int i = 0; i < HU_FINDINGS_MAX; i++)
		assert_int_equal(hu_findings_add(&f, HU_OK, "a.b", NULL, NULL, "%d", i), 0);
	assert_int_equal(hu_findings_add(&f, HU_OK, "a.b", NULL, json_object(), "over"), -E2BIG);
	assert_int_equal(f.dropped, 1);
	assert_int_equal(hu_findings_add(&g, HU_OK, "a.c", NULL, NULL, "g"), 0);
	assert_int_equal(hu_findings_move(&f, &g), 0);
	assert_int_equal(f.n, HU_FINDINGS_MAX);
	assert_int_equal(f.dropped, 2);
	assert_int_equal(g.n, 0);
	hu_findings_clear(&f);
	hu_findings_clear(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes),
		cmocka_unit_test(ranks),
		cmocka_unit_test(add_sort_json),
		cmocka_unit_test(cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
