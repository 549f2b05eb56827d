/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "huolto/strmap.h"

static void put_get(void **state)
{
	struct hu_strmap m = HU_STRMAP_INIT;
	int values[5000];
	char key[32];

	(void)state;
	assert_null(hu_strmap_get(&m, "absent"));
	for (int i = 0; i < 5000; i++) {
		values[i] = i;
		snprintf(key, sizeof(key), "site%d.example.fi", i);
		assert_int_equal(hu_strmap_put(&m, key, &values[i]), 0);
	}
	assert_int_equal(m.n, 5000);
	assert_true(m.cap >= 10000); /* at most half full */
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "site%d.example.fi", i);
		int *v = hu_strmap_get(&m, key);
		assert_non_null(v);
		assert_int_equal(*v, i);
	}
	assert_null(hu_strmap_get(&m, "site5000.example.fi"));
	assert_null(hu_strmap_get(&m, ""));
	assert_int_equal(hu_strmap_put(&m, "site7.example.fi", &values[1]), 0);
	assert_int_equal(m.n, 5000); /* replaced, not added */
	assert_ptr_equal(hu_strmap_get(&m, "site7.example.fi"), &values[1]);
	hu_strmap_clear(&m, NULL);
	assert_int_equal(m.n, 0);
}

static void owned_values(void **state)
{
	struct hu_strmap m = HU_STRMAP_INIT;

	(void)state;
	assert_int_equal(hu_strmap_put(&m, "a", strdup("one")), 0);
	assert_int_equal(hu_strmap_put(&m, "", strdup("empty key")), 0);
	assert_string_equal(hu_strmap_get(&m, ""), "empty key");
	hu_strmap_clear(&m, free); /* ASan: nothing leaks */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_get),
		cmocka_unit_test(owned_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
