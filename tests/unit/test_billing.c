/* SPDX-License-Identifier: MIT */
/*
 * Money in integer cents: decimal text in and out, the month's bill for
 * fixed and hourly plans with VAT, rounding half up once per product; the
 * customers section's checks; the hours CSV read with line numbers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "customer_conf.h"
#include "hours_csv.h"
#include "money.h"

static void test_parse(void **state)
{
	static const struct {
		const char *text;
		int64_t v;
	} good[] = { { "150", 15000 }, { "150.5", 15050 }, { "150.00", 15000 }, { "0.25", 25 },
		     { "0", 0 },       { "24", 2400 },     { "1.05", 105 },     { "007.10", 710 } };
	static const char *const bad[] = {
		"",   "-1", "1.234", "1.",    ".5", "1,5",         "1e2",
		" 1", "1 ", "abc",   "1.2.3", "+1", "10000000001", "99999999999999999999"
	};
	char buf[32];
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(money_parse(good[i].text, &v), 0);
		assert_int_equal(v, good[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (money_parse(bad[i], &v) != -EINVAL)
			fail_msg("\"%s\" was taken", bad[i]);
	money_format(123450, buf, sizeof(buf));
	assert_string_equal(buf, "1234.50");
	money_format(5, buf, sizeof(buf));
	assert_string_equal(buf, "0.05");
}

static void test_rounding(void **state)
{
	(void)state;
	/* half up, once */
	assert_int_equal(money_mul_div(1, 50, 100), 1); /* 0.5 -> 1 */
	assert_int_equal(money_mul_div(1, 49, 100), 0); /* 0.49 -> 0 */
	assert_int_equal(money_mul_div(15000, 2550, 10000), 3825);
	assert_int_equal(money_mul_div(333, 11000, 100), 36630);
	/* no overflow on large products */
	assert_int_equal(money_mul_div(INT64_MAX / 2, 4, 2), INT64_MAX - 1);
}

static void test_fixed(void **state)
{
	struct plan p = { .model = PLAN_FIXED,
			  .monthly_fee = 15000,
			  .included_hours = 200,
			  .hourly_rate = 11000,
			  .vat = 2550,
			  .max_hours = -1 };
	struct bill b;

	(void)state;
	/* within the included hours: the fee, and its VAT */
	bill_compute(&p, 150, &b);
	assert_int_equal(b.extra, 0);
	assert_int_equal(b.subtotal, 15000);
	assert_int_equal(b.vat, 3825);
	assert_int_equal(b.total, 18825);
	/* 3.25 h: 1.25 h extra at 110.00 = 137.50; subtotal 287.50; VAT 25.5 % = 73.3125 -> 73.31
	 */
	bill_compute(&p, 325, &b);
	assert_int_equal(b.extra, 125);
	assert_int_equal(b.hours_amount, 13750);
	assert_int_equal(b.subtotal, 28750);
	assert_int_equal(b.vat, 7331);
	assert_int_equal(b.total, 36081);
	/* no hours at all: still the fee */
	bill_compute(&p, 0, &b);
	assert_int_equal(b.total, 18825);
	/* a rate that needs rounding: 0.33 h at 95.55 = 31.5315 -> 31.53 */
	p.included_hours = 0;
	p.hourly_rate = 9555;
	p.vat = 2400;
	bill_compute(&p, 33, &b);
	assert_int_equal(b.hours_amount, 3153);
	/* (150.00 + 31.53) * 24 % = 43.5672 -> 43.57 */
	assert_int_equal(b.vat, 4357);
	assert_int_equal(b.total, 15000 + 3153 + 4357);
}

static void test_hourly(void **state)
{
	struct plan p = { .model = PLAN_HOURLY, .hourly_rate = 9000, .vat = 2550, .max_hours = -1 };
	struct bill b;

	(void)state;
	bill_compute(&p, 250, &b);
	assert_int_equal(b.fee, 0);
	assert_int_equal(b.billed, 250);
	assert_int_equal(b.subtotal, 22500);
	assert_int_equal(b.vat, 5738); /* 57.375 -> 57.38 */
	assert_int_equal(b.total, 28238);
	/* capped: 10 h used, 4 h billed */
	p.max_hours = 400;
	bill_compute(&p, 1000, &b);
	assert_int_equal(b.used, 1000);
	assert_int_equal(b.billed, 400);
	assert_int_equal(b.subtotal, 36000);
	bill_compute(&p, 0, &b);
	assert_int_equal(b.total, 0);
}

/* customers from YAML text: 0, or the error's message in why. */
static int customers(const char *yaml, struct customers_conf *c, char *why, size_t len)
{
	struct hu_conf *conf = NULL;
	struct hu_err err = HU_ERR_INIT;
	int r = hu_conf_load_string("test.yaml", yaml, strlen(yaml), &conf, &err);

	if (r >= 0)
		r = customers_conf_parse(hu_conf_get(conf->root, "branding"),
					 hu_conf_get(conf->root, "customers"), c, &err);
	snprintf(why, len, "%s", r < 0 ? hu_err_msg(&err) : "");
	hu_err_clear(&err);
	hu_conf_free(conf);
	return r;
}

static void test_customers(void **state)
{
	static const char good[] =
	    "branding: {agency: \"Esimerkki Digital Oy\", color: \"#0b5fff\"}\n"
	    "customers:\n"
	    "  - id: acme\n"
	    "    name: \"Acme Oy\"\n"
	    "    language: fi\n"
	    "    contact: \"maija@acme.fi\"\n"
	    "    plan: {model: fixed, monthly_fee: 150.00, included_hours: 2.0,\n"
	    "           hourly_rate: 110.00, vat_percent: 25.5, currency: EUR}\n"
	    "    sites: [acme.fi, kauppa.acme.fi]\n"
	    "  - id: beta\n"
	    "    name: Beta\n"
	    "    plan: {model: hourly, hourly_rate: 90, vat_percent: 0, max_hours: 4}\n"
	    "    sites: [beta.fi]\n";
	static const struct {
		const char *yaml, *says;
	} bad[] = {
		{ "customers:\n  - {id: a, name: A, plan: {model: fixed, hourly_rate: 1, "
		  "vat_percent: 1}}\n",
		  "monthly_fee is required" },
		{ "customers:\n  - {id: a, name: A, plan: {model: fixed, monthly_fee: 1.999, "
		  "hourly_rate: 1, vat_percent: 1}}\n",
		  "test.yaml:2" },
		{ "customers:\n  - {id: a, name: A, plan: {model: monthly, hourly_rate: 1, "
		  "vat_percent: 1}}\n",
		  "expected fixed or hourly" },
		{ "customers:\n  - {id: a, name: A, language: sv, plan: {model: hourly, "
		  "hourly_rate: 1, vat_percent: 1}}\n",
		  "expected fi or en" },
		{ "customers:\n  - {id: A!, name: A, plan: {model: hourly, hourly_rate: 1, "
		  "vat_percent: 1}}\n",
		  "customers[0].id" },
		{ "customers:\n  - {id: a, name: A, sites: [x.fi], plan: {model: hourly, "
		  "hourly_rate: 1, vat_percent: 1}}\n"
		  "  - {id: b, name: B, sites: [x.fi], plan: {model: hourly, hourly_rate: 1, "
		  "vat_percent: 1}}\n",
		  "\"x.fi\" is already customer \"a\"'s" },
		{ "customers:\n  - {id: a, name: A, plan: {model: hourly, hourly_rate: 1, "
		  "vat_percent: 1, currency: euro}}\n",
		  "ISO 4217" },
		{ "customers:\n  - {id: a, name: A, plan: {model: fixed, monthly_fee: 1, "
		  "hourly_rate: 1, vat_percent: 1, max_hours: 3}}\n",
		  "only an hourly plan has a cap" },
		{ "branding: {color: blue}\n", "expected #rrggbb" },
		{ "customers:\n  - {id: a, name: A, plan: {model: hourly, hourly_rate: 1, "
		  "vat_percent: 101}}\n",
		  "vat_percent" },
	};
	struct customers_conf c = { 0 };
	char why[256];

	(void)state;
	assert_int_equal(customers(good, &c, why, sizeof(why)), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.branding.agency, "Esimerkki Digital Oy");
	const struct customer *a = customers_of_site(&c, "kauppa.acme.fi");
	assert_non_null(a);
	assert_string_equal(a->id, "acme");
	assert_int_equal(a->plan.monthly_fee, 15000);
	assert_int_equal(a->plan.included_hours, 200);
	assert_int_equal(a->plan.vat, 2550);
	assert_string_equal(a->plan.currency, "EUR");
	const struct customer *b = customers_find(&c, "beta");
	assert_string_equal(b->language, "fi"); /* the default */
	assert_int_equal(b->plan.model, PLAN_HOURLY);
	assert_int_equal(b->plan.max_hours, 400);
	assert_null(customers_of_site(&c, "nobody.fi"));
	customers_conf_clear(&c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(customers(bad[i].yaml, &c, why, sizeof(why)), -EINVAL);
		if (!strstr(why, bad[i].says))
			fail_msg("%zu: \"%s\" does not say \"%s\"", i, why, bad[i].says);
	}
}

static void test_csv(void **state)
{
	const char text[] =
	    "\xEF\xBB\xBF" HOURS_CSV_HEADER "\r\n"
	    "2026-10-03,acme.fi,1.50,maintenance,Maija,\"Updates, and a \"\"test\"\"\","
	    "wp.plugin_outdated\r\n"
	    "2026-10-04,acme.fi,0.25,support,Maija,\"two\nlines\",\n"
	    "\n"
	    "2026-10-05,acme.fi,1,support,Maija,x\n";
	struct hours_csv c = { 0 };
	struct hu_err err = HU_ERR_INIT;

	(void)state;
	assert_int_equal(hours_csv_parse(text, strlen(text), &c, &err), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.v[0].f[0], "date");
	assert_string_equal(c.v[1].f[5], "Updates, and a \"test\"");
	assert_int_equal(c.v[1].line, 2);
	assert_int_equal(c.v[2].line, 3);
	assert_string_equal(c.v[2].f[5], "two\nlines");
	assert_string_equal(c.v[2].f[6], "");
	assert_int_equal(c.v[3].line, 6);
	assert_int_equal(c.v[3].n, 6);
	hours_csv_clear(&c);
	const char open_quote[] = HOURS_CSV_HEADER "\n2026-10-03,acme.fi,\"1.50\n";
	assert_int_equal(hours_csv_parse(open_quote, strlen(open_quote), &c, &err), -EBADMSG);
	assert_non_null(strstr(hu_err_msg(&err), "line 2"));
	hu_err_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),     cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_fixed),     cmocka_unit_test(test_hourly),
		cmocka_unit_test(test_customers), cmocka_unit_test(test_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
