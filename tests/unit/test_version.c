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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_table),
		cmocka_unit_test(branch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
