/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "huolto/version.h"

/* Expected values are PHP's own (php -r 'echo version_compare(a, b);'). */
static const struct {
	const char *a, *b;
	int cmp;
} cases[] = {
	{ "1.0", "1.0", 0 },
	{ "1.0", "1.0.0", -1 },
	{ "1.0.0", "1.0", 1 },
	{ "1.0.1", "1.0", 1 },
	{ "6.8", "6.8.0", -1 },
	{ "6.8.1", "6.8", 1 },
	{ "6.8-RC1", "6.8", -1 },
	{ "6.8-alpha-59551", "6.8-beta1", -1 },
	{ "6.8-beta1", "6.8-RC1", -1 },
	{ "1.0rc1", "1.0", -1 },
	{ "1.0", "1.0pl1", -1 },
	{ "1.0-dev", "1.0-alpha", -1 },
	{ "1.0a", "1.0b", -1 },
	{ "1.0b", "1.0RC", -1 },
	{ "1.0rc", "1.0RC", 0 },
	{ "1.0-p1", "1.0", 1 },
	{ "1.0-foo", "1.0-dev", -1 },
	{ "10.0", "9.9", 1 },
	{ "8.2.29", "8.2.3", 1 },
	{ "8.x-1.15", "8.x-1.2", 1 },
	{ "7.x-3.11", "7.x-3.9", 1 },
	{ "1.2.3", "1-2-3", 0 },
	{ "1+2", "1.2", 0 },
	{ "1..2", "1.2", 0 },
	{ "", "", 0 },
	{ "", "1", -1 },
	{ "1", "", 1 },
	{ "1.0.0.0.0", "1", 1 },
	{ "4-dev", "4", -1 },
	{ "99999999999999999999", "1", 1 },
};

static void compare_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = hu_version_compare(cases[i].a, cases[i].b);
		if (got != cases[i].cmp)
			fail_msg("version_compare(\"%s\", \"%s\") = %d, PHP says %d", cases[i].a,
				 cases[i].b, got, cases[i].cmp);
		/* The relation is antisymmetric. */
		assert_int_equal(hu_version_compare(cases[i].b, cases[i].a), -cases[i].cmp);
	}
}

static void branch(void **state)
{
	unsigned a = 0, b = 0;

	(void)state;
	assert_int_equal(hu_version_branch("8.2.29", &a, &b), 0);
	assert_int_equal(a, 8);
	assert_int_equal(b, 2);
	assert_int_equal(hu_version_branch("8.1.2-1ubuntu2.14", &a, &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(hu_version_branch("10.11", &a, &b), 0);
	assert_int_equal(a, 10);
	assert_int_equal(hu_version_branch("8", &a, &b), -EINVAL);
	assert_int_equal(hu_version_branch("8.", &a, &b), -EINVAL);
	assert_int_equal(hu_version_branch("x8.2", &a, &b), -EINVAL);
	assert_int_equal(hu_version_branch("", &a, &b), -EINVAL);
	assert_int_equal(hu_version_branch("9999999.1", &a, &b), -EINVAL);
}

/* Each ecosystem's forms; cmp 9 means "cannot be ordered" (-EINVAL). */
static const struct {
	enum hu_version_scheme s;
	const char *a, *b;
	int cmp;
} scheme_cases[] = {
	/* WordPress writes 6.6.0 as "6.6"; version_compare alone says 6.6 < 6.6.0. */
	{ HU_VERSION_WORDPRESS, "6.6", "6.6.0", 0 },
	{ HU_VERSION_WORDPRESS, "6.6.0", "6.6.1", -1 },
	{ HU_VERSION_WORDPRESS, "6.0", "6.0.0", 0 },
	{ HU_VERSION_WORDPRESS, "6.10", "6.9.9", 1 },
	{ HU_VERSION_WORDPRESS, "6.8-RC1", "6.8", -1 },
	{ HU_VERSION_WORDPRESS, "6.8.0-RC1", "6.8-RC1", 0 },
	{ HU_VERSION_WORDPRESS, "6.8-alpha-59551", "6.8-beta1", -1 },
	{ HU_VERSION_WORDPRESS, "6.8-beta1", "6.8-RC1", -1 },
	{ HU_VERSION_WORDPRESS, "6.8-src", "6.8", -1 },
	{ HU_VERSION_PHP, "6.6", "6.6.0", -1 },
	{ HU_VERSION_PHP, "5.4.8", "5.4.112", -1 },
	{ HU_VERSION_PHP, "3.6.0-dev", "3.6.0", -1 },
	/* Drupal: the 8.x- prefix, semver from Composer, Drupal 7 contrib, core. */
	{ HU_VERSION_DRUPAL, "8.x-1.14", "8.x-1.15", -1 },
	{ HU_VERSION_DRUPAL, "8.x-1.15", "1.15.0", 0 },
	{ HU_VERSION_DRUPAL, "8.x-1.9", "8.x-1.10", -1 },
	{ HU_VERSION_DRUPAL, "2.0.3", "8.x-1.15", 1 },
	{ HU_VERSION_DRUPAL, "8.x-1.0-beta1", "8.x-1.0", -1 },
	{ HU_VERSION_DRUPAL, "8.x-1.0-beta2", "8.x-1.0-rc1", -1 },
	{ HU_VERSION_DRUPAL, "8.x-1.0-alpha3", "1.0.0-alpha3", 0 },
	{ HU_VERSION_DRUPAL, "7.x-3.11", "7.x-3.9", 1 },
	{ HU_VERSION_DRUPAL, "7.x-3.11", "8.x-3.11", 9 },
	{ HU_VERSION_DRUPAL, "7.x-3.11", "3.11.0", 9 },
	{ HU_VERSION_DRUPAL, "8.x-1.x-dev", "8.x-1.15", 9 },
	{ HU_VERSION_DRUPAL, "10.4.2", "10.4.10", -1 },
	{ HU_VERSION_DRUPAL, "10.4", "10.4.0", 0 },
	{ HU_VERSION_DRUPAL, "7.101", "7.103", -1 },
	{ HU_VERSION_DRUPAL, "11.0.0-rc1", "11.0.0", -1 },
	{ HU_VERSION_DRUPAL, "", "1.0.0", 9 },
	/* What servers report. */
	{ HU_VERSION_MYSQL, "10.11.6-MariaDB-0+deb12u1", "10.11.6", 0 },
	{ HU_VERSION_MYSQL, "5.5.5-10.11.6-MariaDB", "10.11.11", -1 },
	{ HU_VERSION_MYSQL, "8.0.36-0ubuntu0.22.04.1", "8.0.46", -1 },
	{ HU_VERSION_MYSQL, "8.0.9", "8.0.10", -1 },
	{ HU_VERSION_MYSQL, "11.4.2-MariaDB-log", "10.11.6", 1 },
	/* The 5.5.5- prefix is MariaDB's only: without its name, 5.5.5 is the release. */
	{ HU_VERSION_MYSQL, "5.5.5-8.0.1", "5.5.5", 0 },
	{ HU_VERSION_MYSQL, "MariaDB", "10.11.6", 9 },
};

static void schemes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scheme_cases) / sizeof(scheme_cases[0]); i++) {
		int got = 0, r = hu_version_compare_as(scheme_cases[i].s, scheme_cases[i].a,
						       scheme_cases[i].b, &got);
		int want = scheme_cases[i].cmp;
		if (want == 9 ? r != -EINVAL : r != 0 || got != want)
			fail_msg("scheme %d: \"%s\" vs \"%s\": r=%d cmp=%d, want %d",
				 (int)scheme_cases[i].s, scheme_cases[i].a, scheme_cases[i].b, r,
				 got, want);
		if (want != 9) {
			assert_int_equal(hu_version_compare_as(scheme_cases[i].s, scheme_cases[i].b,
							       scheme_cases[i].a, &got),
					 0);
			assert_int_equal(got, -want);
		}
	}
}

static void mysql_release(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(
	    hu_version_mysql_release("5.5.5-10.11.6-MariaDB-0+deb12u1", out, sizeof(out)), 0);
	assert_string_equal(out, "10.11.6");
	assert_int_equal(hu_version_mysql_release("8.0.36-0ubuntu0.22.04.1", out, sizeof(out)), 0);
	assert_string_equal(out, "8.0.36");
	assert_int_equal(hu_version_mysql_release("x", out, sizeof(out)), -EINVAL);
	assert_int_equal(hu_version_mysql_release("123456789.123456789", out, sizeof(out)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_table),
		cmocka_unit_test(branch),
		cmocka_unit_test(schemes),
		cmocka_unit_test(mysql_release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
