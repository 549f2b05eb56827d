/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "huolto/fcgi.h"

static void expect_norm(const char *raw, const char *want)
{
	char *got = NULL;
	int r = hu_fcgi_normalize(raw, &got);

	if (!want) {
		if (r != -EINVAL)
			fail_msg("\"%s\" should be refused, got %s", raw, got ? got : "(null)");
		return;
	}
	if (r < 0)
		fail_msg("\"%s\" was refused, expected %s", raw, want);
	assert_string_equal(got, want);
	free(got);
}

static void normalize(void **state)
{
	(void)state;
	/* nginx fastcgi_pass */
	expect_norm("unix:/run/php/php8.2-fpm.sock", "unix:/run/php/php8.2-fpm.sock");
	expect_norm("unix:/run/php/php8.2-fpm.sock:", "unix:/run/php/php8.2-fpm.sock");
	expect_norm("127.0.0.1:9000", "tcp:127.0.0.1:9000");
	expect_norm("LocalHost:9001", "tcp:localhost:9001");
	expect_norm("[::1]:9000", "tcp:[::1]:9000");
	/* Apache */
	expect_norm("proxy:unix:/run/php/php8.3-fpm.sock|fcgi://localhost",
		    "unix:/run/php/php8.3-fpm.sock");
	expect_norm("proxy:fcgi://127.0.0.1:9000", "tcp:127.0.0.1:9000");
	expect_norm("fcgi://127.0.0.1:9000/var/www/site/$1", "tcp:127.0.0.1:9000");
	expect_norm("unix:/run/php/x.sock|fcgi://localhost/var/www/", "unix:/run/php/x.sock");
	/* PHP-FPM listen */
	expect_norm("/run/php/php8.2-fpm.sock", "unix:/run/php/php8.2-fpm.sock");
	expect_norm("9000", "tcp:*:9000");
	expect_norm("0.0.0.0:9000", "tcp:*:9000");
	expect_norm("[::]:9000", "tcp:*:9000");
	expect_norm("::1:9000", NULL); /* ambiguous without brackets: php-fpm wants [::1] */
	expect_norm("  /run/x.sock  ", "unix:/run/x.sock");
	/* refused */
	expect_norm("php_upstream", NULL);
	expect_norm("unix:relative.sock", NULL);
	expect_norm("127.0.0.1:99999", NULL);
	expect_norm("127.0.0.1:0", NULL);
	expect_norm("", NULL);
}

static void match(void **state)
{
	(void)state;
	assert_true(hu_fcgi_match("unix:/run/a.sock", "unix:/run/a.sock"));
	assert_false(hu_fcgi_match("unix:/run/a.sock", "unix:/run/b.sock"));
	assert_false(hu_fcgi_match("unix:/run/a.sock", "tcp:*:9000"));
	assert_true(hu_fcgi_match("tcp:127.0.0.1:9000", "tcp:*:9000"));
	assert_true(hu_fcgi_match("tcp:localhost:9000", "tcp:127.0.0.1:9000"));
	assert_true(hu_fcgi_match("tcp:[::1]:9000", "tcp:localhost:9000"));
	assert_false(hu_fcgi_match("tcp:127.0.0.1:9000", "tcp:127.0.0.1:9001"));
	assert_false(hu_fcgi_match("tcp:10.0.0.5:9000", "tcp:127.0.0.1:9000"));
	assert_false(hu_fcgi_match(NULL, "tcp:*:9000"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalize),
		cmocka_unit_test(match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
