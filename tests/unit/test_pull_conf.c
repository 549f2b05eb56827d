/* SPDX-License-Identifier: MIT */
/*
 * The collector's pull section: defaults, the checks' sections carried to
 * the agent configuration of each host, and errors that name the place.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pull_conf.h"

/* Parse text's pull and pull_options: 0 or the error, with err's text in msg. */
static int parse(const char *text, char *msg, size_t len)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *y = NULL;
	struct pull_conf c = { 0 };
	int r = hu_conf_load_string("c.yaml", text, strlen(text), &y, &err);

	if (r >= 0)
		r = pull_conf_parse(hu_conf_get(y->root, "pull"),
				    hu_conf_get(y->root, "pull_options"), &c, &err);
	snprintf(msg, len, "%s", r < 0 ? hu_err_msg(&err) : "");
	hu_err_clear(&err);
	pull_conf_clear(&c);
	hu_conf_free(y);
	return r;
}

static const char *const good = "pull:\n"
				"  - name: shared01\n"
				"    host: ssh.example-hosting.fi\n"
				"    user: acme\n"
				"    key: /etc/huolto/keys/acme\n"
				"    known_hosts: /etc/huolto/known_hosts\n"
				"    sites: [{name: acme.fi, docroot: /home/acme/public_html}]\n"
				"    db: {connect_timeout: 3s}\n"
				"  - name: shared02\n"
				"    host: 192.0.2.7\n"
				"    port: 2222\n"
				"    user: beta\n"
				"    password_file: /etc/huolto/beta.pw\n"
				"    known_hosts: /etc/huolto/known_hosts\n"
				"    every: 6h\n"
				"    timeout: 5s\n"
				"    state_dir: /srv/pull/beta\n"
				"    sites: [{name: beta.fi, docroot: /home/beta/www}]\n"
				"pull_options: {concurrency: 2}\n";

static void test_defaults(void **state)
{
	(void)state;
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *y = NULL;
	struct pull_conf c;

	assert_int_equal(0, hu_conf_load_string("c.yaml", good, strlen(good), &y, &err));
	assert_int_equal(0, pull_conf_parse(hu_conf_get(y->root, "pull"),
					    hu_conf_get(y->root, "pull_options"), &c, &err));
	assert_int_equal(2, c.n);
	assert_int_equal(2, c.concurrency);
	const struct pull_host *a = pull_conf_find(&c, "shared01"), *b = &c.v[1];
	assert_non_null(a);
	assert_int_equal(22, a->port);
	assert_int_equal(24LL * 3600000, a->every_ms);
	assert_int_equal(30000, a->timeout_ms);
	assert_null(a->password_file);
	assert_string_equal("shared01", a->agent.agent_name);
	assert_string_equal(PULL_DEFAULT_STATE_DIR "/shared01", a->agent.state_dir);
	assert_null(a->agent.nginx_root); /* no discovery over SSH */
	assert_int_equal(1, a->agent.sites.n);
	assert_string_equal("/home/acme/public_html", a->agent.sites.v[0]->docroot);
	/* the checks' own sections are there for them */
	assert_non_null(agent_conf_section(&a->agent, "db"));
	assert_null(agent_conf_section(&a->agent, "php"));
	assert_int_equal(2222, b->port);
	assert_null(b->key);
	assert_string_equal("/etc/huolto/beta.pw", b->password_file);
	assert_int_equal(6LL * 3600000, b->every_ms);
	assert_int_equal(5000, b->timeout_ms);
	assert_string_equal("/srv/pull/beta", b->agent.state_dir);
	assert_null(pull_conf_find(&c, "nosuch"));
	pull_conf_clear(&c);
	hu_conf_free(y);
}

static void expect_error(const char *text, const char *want)
{
	char msg[512];

	assert_true(parse(text, msg, sizeof(msg)) < 0);
	if (!strstr(msg, want))
		fail_msg("expected [%s] in [%s]", want, msg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("pull:\n  - name: a\n    host: h\n    user: u\n    key: /k\n"
		     "    sites: [{name: a.fi}]\n",
		     "c.yaml:2:5: a pull host needs known_hosts");
	expect_error("pull:\n  - name: a\n    host: h\n    user: u\n    known_hosts: /kh\n"
		     "    sites: [{name: a.fi}]\n",
		     "a pull host needs key");
	expect_error("pull:\n  - name: a\n    host: h\n    user: u\n    key: k\n"
		     "    known_hosts: /kh\n    sites: [{name: a.fi}]\n",
		     "c.yaml:5:10: key must be an absolute path");
	expect_error("pull:\n  - name: a\n    host: h\n    user: u\n    key: /k\n"
		     "    known_hosts: /kh\n    sites: []\n",
		     "pull host \"a\" lists no sites");
	expect_error(
	    "pull:\n  - name: a\n    host: h\n    user: u\n    key: /k\n"
	    "    known_hosts: /kh\n    discover: {nginx: false}\n    sites: [{name: a.fi}]\n",
	    "c.yaml:7:5: unknown key \"discover\"");
	expect_error("pull:\n  - name: a\n    host: h\n    user: u\n    key: /k\n"
		     "    known_hosts: /kh\n    port: 70000\n    sites: [{name: a.fi}]\n",
		     "c.yaml:7:11");
	expect_error("pull:\n  - {name: a, host: h, user: u, key: /k, known_hosts: /kh, sites: "
		     "[{name: a.fi}]}\n  - {name: a, host: h2, user: u, key: /k, known_hosts: /kh, "
		     "sites: [{name: b.fi}]}\n",
		     "pull host \"a\" is listed twice");
	expect_error("pull:\n  - {name: \"a b\", host: h, user: u, key: /k, known_hosts: /kh, "
		     "sites: [{name: a.fi}]}\n",
		     "pull name \"a b\"");
	expect_error("pull: {name: a}\n", "pull must be a list");
	expect_error("pull_options: {concurrency: 0}\n", "c.yaml:1:29");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
