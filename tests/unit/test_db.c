/* SPDX-License-Identifier: MIT */
/*
 * The db check's pure parts: DB_HOST forms, credentials read from text
 * (comments left out), and judging values, the restart case included.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/db.h"
#include "fake_host.h"

static void split(const char *v, const char *host, unsigned port, const char *sock)
{
	struct db_account a = { 0 };

	assert_int_equal(db_split_host(v, &a), 0);
	assert_string_equal(a.host, host);
	assert_int_equal(a.port, port);
	if (sock)
		assert_string_equal(a.socket, sock);
	else
		assert_null(a.socket);
	db_account_clear(&a);
}

static void host_forms(void **state)
{
	struct db_account a = { 0 };

	(void)state;
	split("localhost", "localhost", 0, NULL);
	split("db.example:3307", "db.example", 3307, NULL);
	split("localhost:/run/mysqld/mysqld.sock", "localhost", 0, "/run/mysqld/mysqld.sock");
	split(":/tmp/s.sock", "localhost", 0, "/tmp/s.sock");
	split("[::1]:3307", "::1", 3307, NULL);
	split("2001:db8::5", "2001:db8::5", 0, NULL);
	split("p:127.0.0.1:3306", "127.0.0.1", 3306, NULL);
	assert_int_equal(db_split_host("h:99999", &a), -EINVAL);
	db_account_clear(&a);
}

static void credentials(void **state)
{
	struct hu_host *h = fake_host_new();
	struct db_account a = { 0 };
	const char *why = NULL;

	(void)state;
	fake_host_file(
	    h, "/w/wp-config.php",
	    "<?php\n// define('DB_HOST', 'old.example');\n/* define('DB_USER', 'old'); */\n"
	    "define( 'DB_NAME', 'wp' );\ndefine( 'DB_USER', 'wpuser' );\n"
	    "define( 'DB_PASSWORD', 'p#w\\'d' );\ndefine( 'DB_HOST', 'db.example:3307' );\n");
	assert_int_equal(db_creds_wordpress(h, "/w", &a, &why), 0);
	assert_string_equal(a.user, "wpuser");
	assert_string_equal(a.password, "p#w'd");
	assert_string_equal(a.database, "wp");
	assert_string_equal(a.host, "db.example");
	assert_int_equal(a.port, 3307);
	assert_string_equal(a.source, "/w/wp-config.php");
	db_account_clear(&a);
	fake_host_file(h, "/e/wp-config.php", "<?php define('DB_USER', getenv('U'));");
	assert_int_equal(db_creds_wordpress(h, "/e", &a, &why), -EINVAL);
	assert_string_equal(why, "DB_USER is missing or not a literal");
	fake_host_file(h, "/d/sites/default/settings.php",
		       "<?php\n$databases['default']['default'] = ['driver' => 'pgsql', 'username' "
		       "=> 'x'];\n");
	assert_int_equal(db_creds_drupal(h, "/d", &a, &why), -EINVAL);
	assert_string_equal(why, "the database driver is not mysql");
	assert_int_equal(db_creds_joomla(h, "/none", &a, &why), -ENOENT);
	hu_host_free(h);
}

static struct db_values values(int64_t threads, int64_t peak, int64_t refused, int64_t uptime)
{
	return (struct db_values){ .version = (char *)"10.11.6-MariaDB",
				   .flavour = (char *)"MariaDB",
				   .max_connections = 100,
				   .max_user_connections_global = 0,
				   .max_user_connections_session = 50,
				   .threads_connected = threads,
				   .max_used_connections = peak,
				   .uptime = uptime,
				   .connection_errors_max_connections = refused,
				   .user_connections = 10 };
}

static const char *judge(const struct db_values *v, struct db_counter prev, enum hu_status *st)
{
	static char codes[256];
	struct db_account a = { .host = (char *)"localhost", .user = (char *)"wp" };
	struct db_policy p = { 80, 95 };
	struct hu_findings f = HU_FINDINGS_INIT;

	assert_int_equal(db_judge(&a, v, &prev, &p, &f), 0);
	codes[0] = '\0';
	for (size_t i = 0; i < f.n; i++) {
		strncat(codes, f.v[i].code, sizeof(codes) - strlen(codes) - 2);
		strncat(codes, " ", sizeof(codes) - strlen(codes) - 1);
	}
	*st = hu_findings_worst(&f);
	hu_findings_clear(&f);
	return codes;
}

static void judging(void **state)
{
	struct db_counter none = { .known = false };
	struct db_counter prev = { .uptime = 1000, .refused = 7, .known = true };
	struct db_values v;
	enum hu_status st;

	(void)state;
	v = values(11, 40, 7, 2000); /* 10 in use (the check's own left out), peak 40 */
	assert_string_equal(judge(&v, none, &st), "db.ok ");
	v = values(81, 81, 7, 2000); /* 80 % now */
	assert_string_equal(judge(&v, prev, &st), "db.connections_near_limit ");
	assert_int_equal(st, HU_WARNING);
	v = values(11, 95, 7, 2000); /* 95 % at the peak */
	assert_string_equal(judge(&v, prev, &st), "db.connections_near_limit ");
	assert_int_equal(st, HU_CRITICAL);
	v = values(11, 40, 9, 2000); /* two refused since the last run */
	assert_string_equal(judge(&v, prev, &st), "db.connections_refused ");
	assert_int_equal(st, HU_CRITICAL);
	v = values(11, 40, 3, 500); /* restarted: the counter began again, 3 are new */
	assert_string_equal(judge(&v, prev, &st), "db.connections_refused ");
	v = values(11, 40, 0, 500); /* restarted, none refused since */
	assert_string_equal(judge(&v, prev, &st), "db.ok ");
	v = values(11, 40, 7, 2000);
	v.user_connections = 48; /* 96 % of the account's 50 */
	assert_string_equal(judge(&v, prev, &st), "db.user_connections_near_limit ");
	assert_int_equal(st, HU_CRITICAL);
	v.max_user_connections_session = 0; /* no limit at all: nothing to be near */
	assert_string_equal(judge(&v, prev, &st), "db.ok ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(host_forms),
		cmocka_unit_test(credentials),
		cmocka_unit_test(judging),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
