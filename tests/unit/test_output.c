/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

static void make_report(struct hu_report *r)
{
	struct hu_sites sites = HU_SITES_INIT;
	struct hu_err err = HU_ERR_INIT;

	hu_sites_push(&sites, hu_site_new("calm.fi"));
	hu_sites_push(&sites, hu_site_new("evil.fi"));
	assert_int_equal(hu_report_init(r, "web01", "0.1.0", 1795305600, &sites, &err), 0);
	hu_strv_push(&r->checks, "php");
	hu_findings_add(&r->server.findings, HU_WARNING, "php.eol_soon", NULL, NULL, "server warn");
	hu_findings_add(&r->site_results[0].findings, HU_OK, "php.ok", NULL, NULL, "fine");
	hu_findings_add(&r->site_results[1].findings, HU_CRITICAL, "php.eol", NULL, NULL,
			"plugin \033[2Jname|with pipe\nand newline");
}

static char *render(const struct hu_report *r, enum output_format fmt, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(output_report(f, r, fmt, color), 0);
	fclose(f);
	return buf;
}

static void text(void **state)
{
	struct hu_report r;

	(void)state;
	make_report(&r);
	char *out = render(&r, OUTPUT_TEXT, false);
	/* Worst group first: the critical site, then the server, then the calm site. */
	char *evil = strstr(out, "CRITICAL evil.fi"), *server = strstr(out, "WARNING  (server)"),
	     *calm = strstr(out, "OK       calm.fi");
	assert_non_null(evil);
	assert_non_null(server);
	assert_non_null(calm);
	assert_true(evil < server && server < calm);
	assert_non_null(
	    strstr(out, "1 critical, 1 warning, 0 unknown, 1 ok; 2 sites; checks: php"));
	/* No terminal control from data; no colour when not asked. */
	assert_null(strchr(out, '\033'));
	assert_non_null(strstr(out, "plugin ?[2Jname|with pipe and newline"));
	free(out);
	out = render(&r, OUTPUT_TEXT, true);
	assert_non_null(strstr(out, "\033[1;31mCRITICAL"));
	assert_null(strstr(out, "\033[2J"));
	free(out);
	assert_int_equal(output_exit_status(&r), 2);
	hu_report_clear(&r);
}

static void nagios(void **state)
{
	struct hu_report r;

	(void)state;
	make_report(&r);
	char *out = render(&r, OUTPUT_NAGIOS, false);
	char *nl = strchr(out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_string_equal(out,
			    "HUOLTO CRITICAL - 1 critical, 1 warning, 0 unknown, 1 ok in 2 sites | "
			    "critical=1;;;0 warning=1;;;0 unknown=0;;;0 ok=1;;;0 sites=2;;;0");
	/* Long output: one line per non-ok finding; "|" would start perfdata. */
	assert_string_equal(nl + 1,
			    "WARNING: server: php.eol_soon: server warn\n"
			    "CRITICAL: evil.fi: php.eol: plugin ?[2Jname/with pipe and newline\n");
	free(out);
	hu_report_clear(&r);
}

static void json(void **state)
{
	struct hu_report r;
	json_error_t e;

	(void)state;
	make_report(&r);
	char *out = render(&r, OUTPUT_JSON, false);
	json_t *doc = json_loads(out, 0, &e);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "status")), "critical");
	json_decref(doc);
	free(out);
	hu_report_clear(&r);
	assert_int_equal(output_format_from_name("nagios"), OUTPUT_NAGIOS);
	assert_int_equal(output_format_from_name("xml"), _OUTPUT_FORMAT_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text),
		cmocka_unit_test(nagios),
		cmocka_unit_test(json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
