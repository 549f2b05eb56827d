/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "php/php.h"

static void pools(void **state)
{
	struct php_inventory inv = { 0 };
	struct hu_findings problems = HU_FINDINGS_INIT;
	const char *text = "; Debian's www.conf, abridged\n"
			   "[global]\n"
			   "pid = /run/php/php8.2-fpm.pid\n"
			   "[www]\n"
			   "user = www-data\r\n"
			   "listen = /run/php/php8.2-fpm.sock ; the default\n"
			   "   \n"
			   "[$pool-site]\n"
			   "[acme]\n"
			   "user = \"acme\"\n"
			   "listen = \"/run/php/$pool.sock\"\n"
			   "[tcp]\n"
			   "listen = 127.0.0.1:9000\n"
			   "[everywhere]\n"
			   "listen = 9001\n";

	(void)state;
	assert_int_equal(php_pools_parse("/etc/php/8.2/fpm/pool.d/www.conf", text, strlen(text),
					 &inv, &problems),
			 0);
	assert_int_equal(inv.n_pools, 5);
	assert_string_equal(inv.pools[0].name, "www");
	assert_int_equal(inv.pools[0].line, 4);
	assert_string_equal(inv.pools[0].user, "www-data");
	assert_string_equal(inv.pools[0].listen, "unix:/run/php/php8.2-fpm.sock");
	assert_true(inv.pools[0].has_branch);
	assert_int_equal(inv.pools[0].major, 8);
	assert_int_equal(inv.pools[0].minor, 2);
	assert_string_equal(inv.pools[2].listen, "unix:/run/php/acme.sock");
	assert_string_equal(inv.pools[2].user, "acme");
	assert_string_equal(inv.pools[3].listen, "tcp:127.0.0.1:9000");
	assert_string_equal(inv.pools[4].listen, "tcp:*:9001");
	/* The pool "[$pool-site]" has no listen: php-fpm refuses it; so do we. */
	assert_int_equal(problems.n, 1);
	assert_string_equal(problems.v[0].code, "php.pool_config_error");
	assert_string_equal(
	    problems.v[0].message,
	    "/etc/php/8.2/fpm/pool.d/www.conf:8: pool $pool-site has no listen address");
	php_inventory_clear(&inv);
	hu_findings_clear(&problems);
}

static void errors(void **state)
{
	struct php_inventory inv = { 0 };
	struct hu_findings problems = HU_FINDINGS_INIT;
	const char *text = "listen = /x.sock\n"
			   "[ok]\n"
			   "listen = /ok.sock\n"
			   "this line has no equals sign\n"
			   "[broken\n"
			   "user = \"unterminated\n"
			   "[bad]\n"
			   "listen = not-an-address\n";

	(void)state;
	assert_int_equal(php_pools_parse("/srv/pools/x.conf", text, strlen(text), &inv, &problems),
			 0);
	assert_int_equal(inv.n_pools, 2);
	assert_false(inv.pools[0].has_branch); /* no X.Y in the path */
	const char *want[] = {
		"/srv/pools/x.conf:1: setting outside a [pool] section",
		"/srv/pools/x.conf:4: expected \"key = value\"",
		"/srv/pools/x.conf:5: malformed section header",
		"/srv/pools/x.conf:6: unterminated quoted value",
		"/srv/pools/x.conf:8: pool bad: listen = \"not-an-address\" is not a socket path "
		"or address",
		"/srv/pools/x.conf:7: pool bad has no listen address",
	};
	assert_int_equal(problems.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(problems.v[i].message, want[i]);
	assert_int_equal(json_integer_value(json_object_get(problems.v[1].facts, "line")), 4);
	php_inventory_clear(&inv);
	hu_findings_clear(&problems);
}

static void version_output(void **state)
{
	char *v = NULL;

	(void)state;
	assert_int_equal(
	    php_parse_version_output("PHP 8.2.29 (cli) (built: Jul  3 2025 16:16:05) (NTS)\n"
				     "Copyright (c) The PHP Group\n",
				     &v),
	    0);
	assert_string_equal(v, "8.2.29");
	free(v);
	v = NULL;
	assert_int_equal(
	    php_parse_version_output("PHP Warning:  Module \"x\" already loaded in Unknown\n"
				     "PHP 7.4.33 (fpm-fcgi) (built: Nov  1 2022)\n",
				     &v),
	    0);
	assert_string_equal(v, "7.4.33");
	free(v);
	v = NULL;
	assert_int_equal(php_parse_version_output("PHP 8.1.2-1ubuntu2.14 (cli)\n", &v), 0);
	assert_string_equal(v, "8.1.2-1ubuntu2.14");
	free(v);
	assert_int_equal(php_parse_version_output("", &v), -EINVAL);
	assert_int_equal(php_parse_version_output("bash: php: command not found\n", &v), -EINVAL);
	assert_int_equal(php_parse_version_output("PHP banana (cli)\n", &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pools),
		cmocka_unit_test(errors),
		cmocka_unit_test(version_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
