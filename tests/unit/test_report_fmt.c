/* SPDX-License-Identifier: MIT */
/*
 * The reports' formats per language (dates, money, hours), month bounds,
 * the Finnish catalog through a thread's locale, and what the month's
 * first and last documents tell changed, and the timeline chart's labels
 * staying left of its bars.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "report_chart.h"
#include "report_i18n.h"
#include "report_model.h"

static void test_money(void **state)
{
	char b[64];

	(void)state;
	report_fmt_money(REPORT_FI, 123450, "EUR", b, sizeof(b));
	assert_string_equal(b, "1 234,50 €");
	report_fmt_money(REPORT_EN, 123450, "EUR", b, sizeof(b));
	assert_string_equal(b, "€1,234.50");
	report_fmt_money(REPORT_FI, 5, "EUR", b, sizeof(b));
	assert_string_equal(b, "0,05 €");
	report_fmt_money(REPORT_FI, 123456789, "EUR", b, sizeof(b));
	assert_string_equal(b, "1 234 567,89 €");
	report_fmt_money(REPORT_EN, 100000000, "EUR", b, sizeof(b));
	assert_string_equal(b, "€1,000,000.00");
	report_fmt_money(REPORT_EN, 99999, "USD", b, sizeof(b));
	assert_string_equal(b, "USD 999.99");
	report_fmt_money(REPORT_FI, 99999, "SEK", b, sizeof(b));
	assert_string_equal(b, "999,99 SEK");
	report_fmt_money(REPORT_EN, 0, "EUR", b, sizeof(b));
	assert_string_equal(b, "€0.00");
	report_fmt_hours(REPORT_FI, 150, b, sizeof(b));
	assert_string_equal(b, "1,50 h");
	report_fmt_hours(REPORT_EN, 123456, b, sizeof(b));
	assert_string_equal(b, "1,234.56 h");
	report_fmt_int(REPORT_FI, 1234567, b, sizeof(b));
	assert_string_equal(b, "1 234 567");
}

static void test_dates(void **state)
{
	char b[64];
	time_t t = 1795305600; /* 2026-11-22T00:00:00Z */
	time_t from, to;

	(void)state;
	report_fmt_date(REPORT_FI, t, b, sizeof(b));
	assert_string_equal(b, "22.11.2026");
	report_fmt_date(REPORT_EN, t, b, sizeof(b));
	assert_string_equal(b, "22 Nov 2026");
	report_fmt_date(REPORT_FI, t - 21 * 86400, b, sizeof(b));
	assert_string_equal(b, "1.11.2026");
	assert_int_equal(report_month_bounds("2026-12", &from, &to), 0);
	assert_int_equal(from, 1796083200); /* 2026-12-01 */
	assert_int_equal(to, 1798761600);   /* 2027-01-01 */
	assert_int_equal(report_month_bounds("2026-13", &from, &to), -EINVAL);
	assert_int_equal(report_month_bounds("2026-1", &from, &to), -EINVAL);
	assert_int_equal(report_month_bounds("2026-11-01", &from, &to), -EINVAL);
	assert_int_equal(report_month_bounds(NULL, &from, &to), -EINVAL);
}

/* Finnish and English side by side in two locales of one process. */
static void test_catalog(void **state)
{
	struct report_i18n t;
	struct hu_err err = HU_ERR_INIT;
	char b[64];

	(void)state;
	assert_int_equal(report_i18n_open(&t, NULL, &err), 0);
	locale_t was = report_i18n_use(&t, REPORT_FI);
	assert_string_equal(_("Work done"), "Tehty työ");
	report_fmt_month("2026-11", b, sizeof(b));
	assert_string_equal(b, "marraskuu 2026");
	report_i18n_use(&t, REPORT_EN);
	assert_string_equal(_("Work done"), "Work done");
	report_fmt_month("2026-11", b, sizeof(b));
	assert_string_equal(b, "November 2026");
	uselocale(was);
	report_i18n_close(&t);
	assert_int_equal(report_i18n_open(&t, "/nonexistent", &err), -ENOENT);
	assert_non_null(strstr(hu_err_msg(&err), "/nonexistent/fi/LC_MESSAGES/huolto.mo"));
	hu_err_clear(&err);
}

static const char *change_of(const json_t *changes, const char *area, const char *what)
{
	size_t i;
	json_t *c;

	json_array_foreach(
	    changes, i, c) if (strcmp(json_string_value(json_object_get(c, "area")), area) == 0 &&
			       strcmp(json_string_value(json_object_get(c, "what")), what) ==
				   0) return json_string_value(json_object_get(c, "name"));
	return NULL;
}

static void test_changes(void **state)
{
	json_t *a = json_loads(
	    "{\"inventory\": [{\"kind\": \"wordpress-plugin\", \"name\": \"Akismet\", \"path\": "
	    "\"/w/a.php\", \"version\": \"5.3.3\"}, {\"kind\": \"wordpress-plugin\", \"name\": "
	    "\"Gone\", \"path\": \"/w/g.php\", \"version\": \"1\"}],"
	    "\"php\": [{\"handler\": \"unix:/run/php.sock\", \"version\": \"8.2.28\"}],"
	    "\"findings\": [{\"code\": \"tls.ok\", \"facts\": {\"name\": \"a.fi\", \"port\": 443, "
	    "\"fingerprint_sha256\": \"AA\", \"not_after\": \"2026-10-20T00:00:00Z\"}},"
	    "{\"code\": \"mx.ok\", \"facts\": {\"domain\": \"a.fi\", \"mx\": [{\"preference\": 10, "
	    "\"exchange\": \"mx1.a.fi\"}]}}]}",
	    0, NULL);
	json_t *b = json_loads(
	    "{\"inventory\": [{\"kind\": \"wordpress-plugin\", \"name\": \"Akismet\", \"path\": "
	    "\"/w/a.php\", \"version\": \"5.3.5\"}, {\"kind\": \"wordpress-theme\", \"name\": "
	    "\"New\", \"path\": \"/w/t\", \"version\": \"2\"}],"
	    "\"php\": [{\"handler\": \"unix:/run/php.sock\", \"version\": \"8.2.29\"}],"
	    "\"findings\": [{\"code\": \"tls.ok\", \"facts\": {\"name\": \"a.fi\", \"port\": 443, "
	    "\"fingerprint_sha256\": \"BB\", \"not_after\": \"2027-01-13T00:00:00Z\"}},"
	    "{\"code\": \"mx.ok\", \"facts\": {\"domain\": \"a.fi\", \"mx\": [{\"preference\": 10, "
	    "\"exchange\": \"mx1.a.fi\"}]}}]}",
	    0, NULL);
	json_t *c = report_changes(a, b);

	(void)state;
	assert_int_equal(json_array_size(c), 5);
	assert_string_equal(change_of(c, "cms", "updated"), "Akismet");
	assert_string_equal(change_of(c, "cms", "added"), "New");
	assert_string_equal(change_of(c, "cms", "removed"), "Gone");
	assert_string_equal(change_of(c, "php", "changed"), "unix:/run/php.sock");
	assert_string_equal(change_of(c, "tls", "renewed"), "a.fi:443");
	assert_null(change_of(c, "mail", "changed")); /* the same MX */
	json_decref(c);
	/* Nothing changed: nothing to tell. */
	c = report_changes(b, b);
	assert_int_equal(json_array_size(c), 0);
	json_decref(c);
	json_decref(a);
	json_decref(b);
}

/* A canvas that keeps the texts drawn and the leftmost bar. */
struct rec {
	char texts[8][200];
	size_t n;
	double min_rect_x;
};

static void rec_rect(void *ctx, double x, double y, double w, double h, const char *fill)
{
	struct rec *r = ctx;
	(void)y, (void)w, (void)h, (void)fill;
	if (x < r->min_rect_x)
		r->min_rect_x = x;
}

static void rec_line(void *ctx, double x1, double y1, double x2, double y2, const char *stroke,
		     double width, bool dashed)
{
	(void)ctx, (void)x1, (void)y1, (void)x2, (void)y2, (void)stroke, (void)width, (void)dashed;
}

static void rec_text(void *ctx, double x, double y, const char *text, double size, int anchor,
		     const char *fill)
{
	struct rec *r = ctx;
	(void)x, (void)y, (void)size, (void)anchor, (void)fill;
	if (r->n < 8)
		snprintf(r->texts[r->n++], sizeof(r->texts[0]), "%s", text);
}

static void test_timeline_labels(void **state)
{
	(void)state;
	const struct canvas_ops ops = { .rect = rec_rect, .line = rec_line, .text = rec_text };
	struct chart *c = chart_new(CHART_TIMELINE, "t", "d");
	struct rec r = { .min_rect_x = 1e9 };

	assert_non_null(c);
	c->t0 = 0;
	c->t1 = 100;
	assert_int_equal(0, chart_span(c, "short.example:443", 10, 50, false));
	/* 40 characters, the 30th an "ä" (two bytes): cut to 29 and "…". */
	assert_int_equal(0,
			 chart_span(c, "www.a-rather-long-name.example.fi:8443!!", 20, 90, true));
	assert_int_equal(0, chart_span(c, "ääääääääääääääääääääääääääääää", 20, 90, true));
	chart_draw(c, &ops, &r);
	assert_int_equal(3, r.n);
	assert_string_equal("short.example:443", r.texts[0]);
	assert_string_equal("www.a-rather-long-name.exampl\u2026", r.texts[1]);
	/* exactly 30 characters: kept whole */
	assert_string_equal("ääääääääääääääääääääääääääääää", r.texts[2]);
	assert_true(r.min_rect_x >= c->width * 0.34 - 0.01);
	chart_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),           cmocka_unit_test(test_dates),
		cmocka_unit_test(test_catalog),         cmocka_unit_test(test_changes),
		cmocka_unit_test(test_timeline_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
