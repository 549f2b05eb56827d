/* SPDX-License-Identifier: MIT */
/*
 * The php check on a fake host holding PHP 8.2 (CLI, FPM), 7.4 (CLI, FPM),
 * a broken /usr/local/bin/php, pools for 8.2, 7.4 and an 8.1 whose binary
 * is gone, and sites served through each.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks.h"
#include "fake_host.h"
#include "php/php.h"

struct fx {
	struct hu_host *h;
	struct hu_conf *conf;
	void *state;
	struct hu_sites sites;
	struct hu_check_ctx ctx;
	struct hu_result server;
};

static struct hu_site *site(struct fx *f, const char *name, const char *handler)
{
	struct hu_site *s = hu_site_new(name);
	if (handler)
		hu_strv_push(&s->php_handlers, handler);
	hu_sites_push(&f->sites, s);
	return s;
}

static struct hu_conf *conf(const char *text)
{
	struct hu_conf *c = NULL;
	struct hu_err err = HU_ERR_INIT;
	if (hu_conf_load_string("agent.yaml", text, strlen(text), &c, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	return c;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct hu_err err = HU_ERR_INIT;

	f->h = fake_host_new();
	fake_host_exec(f->h, "/usr/bin/php8.2");
	fake_host_link(f->h, "/usr/bin/php", "/etc/alternatives/php");
	fake_host_link(f->h, "/etc/alternatives/php", "/usr/bin/php8.2");
	fake_host_exec(f->h, "/usr/bin/php7.4");
	fake_host_file(f->h, "/usr/bin/phpize", "not php");
	fake_host_file(f->h, "/usr/bin/php-config8.2", "not php");
	fake_host_exec(f->h, "/usr/local/bin/php");
	fake_host_exec(f->h, "/usr/sbin/php-fpm8.2");
	fake_host_exec(f->h, "/usr/sbin/php-fpm7.4");
	fake_host_command(f->h, "/usr/bin/php8.2 -n -v", "PHP 8.2.29 (cli) (built: Jul  3 2025)\n",
			  0);
	fake_host_command(f->h, "/usr/bin/php7.4 -n -v", "PHP 7.4.33 (cli) (built: Nov  1 2022)\n",
			  0);
	fake_host_command(f->h, "/usr/local/bin/php -n -v", "Segmentation fault\n", 139);
	fake_host_command(f->h, "/usr/sbin/php-fpm8.2 -n -v", "PHP 8.2.29 (fpm-fcgi)\n", 0);
	fake_host_command(f->h, "/usr/sbin/php-fpm7.4 -n -v", "PHP 7.4.33 (fpm-fcgi)\n", 0);
	fake_host_file(f->h, "/etc/php/8.2/fpm/pool.d/www.conf",
		       "[www]\nuser = www-data\nlisten = /run/php/php8.2-fpm.sock\n");
	fake_host_file(f->h, "/etc/php/7.4/fpm/pool.d/legacy.conf",
		       "[legacy]\nuser = legacy\nlisten = 127.0.0.1:9074\n");
	fake_host_file(f->h, "/etc/php/8.1/fpm/pool.d/orphan.conf",
		       "[orphan]\nlisten = /run/php/orphan.sock\n");
	fake_host_unreadable(f->h, "/etc/php/8.1/fpm/pool.d/secret.conf");

	site(f, "a.fi", "unix:/run/php/php8.2-fpm.sock");
	site(f, "b.fi", "tcp:localhost:9074");
	site(f, "c.fi", "unix:/run/php/gone.sock");
	site(f, "d.fi", NULL);
	site(f, "e.fi", "module:/usr/lib/apache2/modules/libphp8.2.so");
	site(f, "f.fi", "unix:/run/php/orphan.sock");
	site(f, "g.fi", NULL);

	f->conf = conf("php:\n  ignore_sites: [g.fi]\n");
	if (hu_check_php.init(hu_conf_get(f->conf->root, "php"), &f->state, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	assert_int_equal(php_parse_date("2026-11-22", &f->ctx.now), 0);
	f->ctx.host = f->h;
	f->ctx.sites = &f->sites;
	hu_result_init(&f->server);
	if (hu_check_php.run_server(f->state, &f->ctx, &f->server, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	hu_check_php.free(f->state);
	hu_result_clear(&f->server);
	hu_sites_clear(&f->sites);
	hu_conf_free(f->conf);
	hu_host_free(f->h);
	free(f);
	return 0;
}

/* The finding with code and target, or a test failure. */
static const struct hu_finding *find(const struct hu_findings *fs, const char *code,
				     const char *target)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].code, code) && (!target || !strcmp(fs->v[i].target, target)))
			return &fs->v[i];
	for (size_t i = 0; i < fs->n; i++)
		print_message("  have %s %s\n", fs->v[i].code,
			      fs->v[i].target ? fs->v[i].target : "");
	fail_msg("no finding %s for %s", code, target ? target : "(any)");
	return NULL;
}

static const char *fact(const struct hu_finding *x, const char *key)
{
	return json_string_value(json_object_get(x->facts, key));
}

static void server_findings(void **state)
{
	struct fx *f = *state;
	const struct hu_findings *fs = &f->server.findings;

	const struct hu_finding *x = find(fs, "php.eol_soon", "/usr/bin/php8.2");
	assert_int_equal(x->status, HU_WARNING);
	assert_string_equal(fact(x, "version"), "8.2.29");
	assert_string_equal(fact(x, "security_support_end"), "2026-12-31");
	assert_int_equal(json_integer_value(json_object_get(x->facts, "days_to_security_end")), 39);
	assert_true(json_is_true(json_object_get(x->facts, "cron")));
	assert_string_equal(
	    x->message,
	    "PHP 8.2.29 (/usr/bin/php8.2) loses security support on 2026-12-31, in 39 days");
	x = find(fs, "php.eol", "/usr/bin/php7.4");
	assert_int_equal(x->status, HU_CRITICAL);
	x = find(fs, "php.eol", "/usr/sbin/php-fpm7.4");
	assert_string_equal(fact(x, "sapi"), "fpm");
	find(fs, "php.eol_soon", "/usr/sbin/php-fpm8.2");
	x = find(fs, "php.version_unknown", "/usr/local/bin/php");
	assert_int_equal(x->status, HU_UNKNOWN);
	assert_non_null(strstr(x->message, "exited with status 139"));
	x = find(fs, "php.pool_config_error", "/etc/php/8.1/fpm/pool.d/secret.conf");
	assert_non_null(strstr(x->message, "Permission denied"));
	/* 5 installs, 1 unreadable pool file; phpize and php-config are not PHP. */
	assert_int_equal(fs->n, 6);
	/* /usr/bin/php and /etc/alternatives/php lead to php8.2: asked once. */
	assert_int_equal(fake_host_runs(f->h), 5);
}

static void server_data(void **state)
{
	struct fx *f = *state;
	json_t *php = json_object_get(f->server.data, "php");

	assert_int_equal(json_array_size(php), 6);
	json_t *cli82 = json_array_get(php, 1); /* /usr/local/bin first, then /usr/bin */
	assert_string_equal(json_string_value(json_object_get(cli82, "binary")), "/usr/bin/php8.2");
	assert_int_equal(json_array_size(json_object_get(cli82, "paths")), 2);
	assert_true(json_is_true(json_object_get(cli82, "cron")));
	json_t *fpm82 = json_array_get(php, 4); /* after php-fpm7.4 */
	assert_string_equal(json_string_value(json_object_get(fpm82, "sapi")), "fpm");
	json_t *pools = json_object_get(fpm82, "pools");
	assert_int_equal(json_array_size(pools), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(pools, 0), "listen")),
			    "unix:/run/php/php8.2-fpm.sock");
	json_t *orphan = json_array_get(php, 5);
	assert_true(json_is_null(json_object_get(orphan, "binary")));
	assert_string_equal(json_string_value(json_object_get(orphan, "branch")), "8.1");
}

static struct hu_result run_site(struct fx *f, const char *name)
{
	struct hu_result r;
	struct hu_err err = HU_ERR_INIT;

	hu_result_init(&r);
	if (hu_check_php.run_site(f->state, &f->ctx, hu_sites_find(&f->sites, name), &r, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	return r;
}

static void sites(void **state)
{
	struct fx *f = *state;
	struct hu_result r;

	r = run_site(f, "a.fi");
	assert_int_equal(r.findings.n, 1);
	const struct hu_finding *x =
	    find(&r.findings, "php.eol_soon", "unix:/run/php/php8.2-fpm.sock");
	assert_string_equal(fact(x, "pool"), "www");
	assert_string_equal(fact(x, "binary"), "/usr/sbin/php-fpm8.2");
	json_t *sp = json_array_get(json_object_get(r.data, "php"), 0);
	assert_string_equal(json_string_value(json_object_get(sp, "version")), "8.2.29");
	hu_result_clear(&r);

	r = run_site(f, "b.fi");
	assert_int_equal(r.findings.n, 2);
	find(&r.findings, "php.eol", "tcp:localhost:9074");
	x = find(&r.findings, "php.cli_mismatch", "tcp:localhost:9074");
	assert_int_equal(x->status, HU_WARNING);
	assert_string_equal(fact(x, "cli_version"), "8.2.29");
	assert_string_equal(fact(x, "site_version"), "7.4.33");
	hu_result_clear(&r);

	r = run_site(f, "c.fi");
	x = find(&r.findings, "php.pool_not_found", "unix:/run/php/gone.sock");
	assert_int_equal(x->status, HU_WARNING);
	assert_int_equal(r.findings.n, 1);
	hu_result_clear(&r);

	r = run_site(f, "d.fi");
	x = find(&r.findings, "php.not_detected", "d.fi");
	assert_int_equal(x->status, HU_UNKNOWN);
	hu_result_clear(&r);

	r = run_site(f, "e.fi");
	x = find(&r.findings, "php.eol_soon", "module:/usr/lib/apache2/modules/libphp8.2.so");
	assert_string_equal(fact(x, "sapi"), "apache2");
	assert_string_equal(fact(x, "version"), "8.2.29");
	assert_string_equal(fact(x, "version_source"), "cli of the same branch");
	assert_int_equal(r.findings.n, 1);
	hu_result_clear(&r);

	r = run_site(f, "f.fi");
	x = find(&r.findings, "php.eol", "unix:/run/php/orphan.sock");
	assert_string_equal(fact(x, "version"), "8.1");
	assert_string_equal(fact(x, "version_source"), "pool file path");
	find(&r.findings, "php.cli_mismatch", NULL);
	hu_result_clear(&r);

	r = run_site(f, "g.fi");
	assert_int_equal(r.findings.n, 0);
	hu_result_clear(&r);
}

static void no_php(void **state)
{
	struct hu_host *h = fake_host_new();
	struct hu_check_ctx ctx = { .host = h, .now = 1795000000 };
	struct hu_result r;
	struct hu_err err = HU_ERR_INIT;
	void *st = NULL;

	(void)state;
	assert_int_equal(hu_check_php.init(NULL, &st, &err), 0);
	hu_result_init(&r);
	assert_int_equal(hu_check_php.run_server(st, &ctx, &r, &err), 0);
	assert_int_equal(r.findings.n, 1);
	assert_string_equal(r.findings.v[0].code, "php.not_installed");
	assert_int_equal(r.findings.v[0].status, HU_OK);
	hu_result_clear(&r);
	hu_check_php.free(st);
	hu_host_free(h);
}

static void config_errors(void **state)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "php: {colour: blue}\n", "agent.yaml:1:7: unknown key \"colour\"" },
		{ "php: [1]\n", "agent.yaml:1:6: the php section must be a mapping" },
		{ "php: {binaries: [php]}\n",
		  "agent.yaml:1:18: php.binaries: \"php\" is not an absolute path" },
		{ "php: {eol_warn_days: -1}\n", "agent.yaml:1:22: -1 is out of range" },
		{ "php: {eol_data_max_age: 1h}\n",
		  "agent.yaml:1:25: duration \"1h\" is out of range" },
		{ "php: {command_timeout: 10}\n", "agent.yaml:1:24: expected a duration" },
		{ "php: {eol_table: /nonexistent.json}\n",
		  "agent.yaml:1:18: php.eol_table: /nonexistent.json: No such file or directory" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hu_conf *c = conf(cases[i].yaml);
		struct hu_err err = HU_ERR_INIT;
		void *st = NULL;
		assert_true(hu_check_php.init(hu_conf_get(c->root, "php"), &st, &err) < 0);
		if (!strstr(hu_err_msg(&err), cases[i].want))
			fail_msg("\"%s\" gave \"%s\"", cases[i].yaml, hu_err_msg(&err));
		hu_err_clear(&err);
		hu_conf_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(server_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(server_data, setup, teardown),
		cmocka_unit_test_setup_teardown(sites, setup, teardown),
		cmocka_unit_test(no_php),
		cmocka_unit_test(config_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
