/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "huolto/report.h"

static void uuid(void **state)
{
	char a[37], b[37];

	(void)state;
	assert_int_equal(hu_uuid4(a), 0);
	assert_int_equal(hu_uuid4(b), 0);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", a[i]));
}

static void document(void **state)
{
	struct hu_sites sites = HU_SITES_INIT;
	struct hu_report r;
	struct hu_err err = HU_ERR_INIT;
	char when[32];

	(void)state;
	hu_sites_push(&sites, hu_site_new("b.fi"));
	hu_sites_push(&sites, hu_site_new("a.fi"));
	assert_int_equal(hu_report_init(&r, "web01", "0.1.0", 1795305600, &sites, &err), 0);
	assert_int_equal(sites.n, 0); /* moved into the report */
	assert_int_equal(r.sites.n, 2);
	hu_strv_push(&r.checks, "php");
	hu_findings_add(&r.server.findings, HU_WARNING, "php.eol_soon", "/usr/bin/php", NULL, "w");
	hu_findings_add(&r.site_results[1].findings, HU_CRITICAL, "php.eol", "x", NULL, "c");
	hu_findings_add(&r.site_results[1].findings, HU_OK, "php.ok", "y", NULL, "o");
	json_object_set_new(r.site_results[1].data, "php", json_array());
	assert_int_equal(hu_report_worst(&r), HU_CRITICAL);
	unsigned long c[_HU_STATUS_MAX];
	hu_report_count(&r, c);
	assert_int_equal(c[HU_OK], 1);
	assert_int_equal(c[HU_WARNING], 1);
	assert_int_equal(c[HU_CRITICAL], 1);

	json_t *doc = hu_report_to_json(&r);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "schema")), 1);
	assert_string_equal(json_string_value(json_object_get(doc, "id")), r.id);
	assert_string_equal(json_string_value(json_object_get(doc, "generated_at")),
			    "2026-11-22T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(doc, "evaluated_at")),
			    "2026-11-22T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "critical");
	json_t *s1 = json_array_get(json_object_get(doc, "sites"), 1);
	assert_string_equal(json_string_value(json_object_get(s1, "name")), "a.fi");
	assert_string_equal(json_string_value(json_object_get(s1, "status")), "critical");
	assert_true(json_is_array(json_object_get(s1, "php")));
	assert_int_equal(json_array_size(json_object_get(s1, "findings")), 2);
	assert_true(json_is_null(json_object_get(s1, "docroot")));
	json_t *server = json_object_get(doc, "server");
	assert_string_equal(json_string_value(json_object_get(server, "status")), "warning");
	assert_true(json_is_null(json_object_get(json_object_get(doc, "host"), "os")));
	json_decref(doc);
	hu_report_clear(&r);
	assert_string_equal(hu_time_iso8601(0, when, sizeof(when)), "1970-01-01T00:00:00Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid),
		cmocka_unit_test(document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
