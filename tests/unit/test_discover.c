/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent_conf.h"
#include "discover.h"
#include "fake_host.h"

struct run {
	struct hu_sites sites;
	struct hu_findings problems;
};

static void run_server(struct hu_host *h, const char *server, const char *root, struct run *r)
{
	struct discover_ctx ctx;

	*r = (struct run){ HU_SITES_INIT, HU_FINDINGS_INIT };
	discover_ctx_init(&ctx, h, &r->sites, &r->problems);
	ctx.server = server;
	if (!strcmp(server, "nginx"))
		assert_int_equal(discover_nginx(&ctx, root), 0);
	else
		assert_int_equal(discover_apache(&ctx, root), 0);
	discover_ctx_clear(&ctx);
	hu_sites_sort(&r->sites);
}

static void run_nginx(struct hu_host *h, const char *root, struct run *r)
{
	run_server(h, "nginx", root, r);
}

static void run_apache(struct hu_host *h, const char *root, struct run *r)
{
	run_server(h, "apache", root, r);
}

static void run_clear(struct run *r)
{
	hu_sites_clear(&r->sites);
	hu_findings_clear(&r->problems);
}

static bool has_https(const struct hu_site *s, const char *host, unsigned port)
{
	for (size_t i = 0; i < s->n_https; i++)
		if (!strcmp(s->https[i].host, host) && s->https[i].port == port)
			return true;
	return false;
}

static void expect_problem(const struct run *r, const char *code, const char *msg)
{
	for (size_t i = 0; i < r->problems.n; i++)
		if (!strcmp(r->problems.v[i].code, code) && !strcmp(r->problems.v[i].message, msg))
			return;
	for (size_t i = 0; i < r->problems.n; i++)
		print_message("  have %s: %s\n", r->problems.v[i].code, r->problems.v[i].message);
	fail_msg("no problem %s \"%s\"", code, msg);
}

static void nginx_tree(void **state)
{
	struct hu_host *h = fake_host_new();
	struct run r;

	(void)state;
	fake_host_file(h, "/etc/nginx/nginx.conf",
		       "user www-data;\n"
		       "events { worker_connections 768; }\n"
		       "http {\n"
		       "  ssl_certificate /etc/ssl/default.pem; # http-level default\n"
		       "  upstream php_pool { server unix:/run/php/pool.sock weight=1; server "
		       "127.0.0.1:9000; }\n"
		       "  include conf.d/*.conf;\n"
		       "  include sites-enabled/*;\n"
		       "}\n");
	fake_host_file(h, "/etc/nginx/conf.d/empty.conf", "# nothing\n");
	fake_host_file(
	    h, "/etc/nginx/sites-available/example",
	    "server {\n"
	    "  listen 80 default_server;\n"
	    "  server_name _;\n"
	    "  root /var/www/html;\n"
	    "}\n"
	    "server {\n"
	    "  listen 443 ssl http2;\n"
	    "  listen [::]:8443 ssl;\n"
	    "  listen 127.0.0.1:80;\n"
	    "  listen 443 quic;\n"
	    "  server_name \"Example.fi\" www.example.fi *.example.fi ~^(.+)\\.example\\.fi$;\n"
	    "  location / { root /srv/ignored; }\n"
	    "  root '/var/www/example.fi';\n"
	    "  ssl_certificate     certs/example.pem;\n"
	    "  ssl_certificate_key /etc/ssl/private/example.key;\n"
	    "  location ~ \\.php$ {\n"
	    "    if ($request_uri ~ x) { return 404; }\n"
	    "    fastcgi_pass php_pool;\n"
	    "  }\n"
	    "  location /legacy { fastcgi_pass 127.0.0.1:9074; }\n"
	    "  location /var { fastcgi_pass $backend; }\n"
	    "}\n"
	    "server { server_name shop.example.fi; ssl on; listen 8443; location / { root "
	    "/var/www/shop; } }\n"
	    "server { listen 80; server_name www.example.fi; return 301 https://$host$request_uri; "
	    "}\n");
	fake_host_link(h, "/etc/nginx/sites-enabled/example", "/etc/nginx/sites-available/example");
	run_nginx(h, "/etc/nginx", &r);

	assert_int_equal(r.problems.n, 0);
	assert_int_equal(r.sites.n, 2);
	const struct hu_site *s = hu_sites_find(&r.sites, "example.fi");
	assert_non_null(s);
	assert_int_equal(s->names.n, 2); /* wildcard and regex names are not hosts */
	assert_string_equal(s->docroot, "/var/www/example.fi");
	assert_true(has_https(s, "example.fi", 443));
	assert_true(has_https(s, "www.example.fi", 8443));
	assert_int_equal(s->n_https, 4);
	assert_string_equal(s->cert_files.v[0], "/etc/nginx/certs/example.pem");
	assert_string_equal(s->key_files.v[0], "/etc/ssl/private/example.key");
	assert_int_equal(s->php_handlers.n, 3);
	assert_string_equal(s->php_handlers.v[0], "unix:/run/php/pool.sock");
	assert_string_equal(s->php_handlers.v[1], "tcp:127.0.0.1:9000");
	assert_string_equal(s->php_handlers.v[2], "tcp:127.0.0.1:9074");
	/* the redirect block for www.example.fi merged in: two origins */
	assert_int_equal(s->n_origins, 2);
	assert_string_equal(s->origins[0].file, "/etc/nginx/sites-enabled/example");
	assert_int_equal(s->origins[0].line, 6);

	s = hu_sites_find(&r.sites, "shop.example.fi");
	assert_non_null(s);
	assert_true(has_https(s, "shop.example.fi", 8443)); /* "ssl on" */
	assert_string_equal(s->docroot, "/var/www/shop");
	assert_string_equal(s->cert_files.v[0], "/etc/ssl/default.pem"); /* inherited */
	run_clear(&r);
	hu_host_free(h);
}

static void nginx_errors(void **state)
{
	struct hu_host *h = fake_host_new();
	struct run r;

	(void)state;
	fake_host_file(
	    h, "/n/nginx.conf",
	    "http {\n"
	    "  include /n/missing.conf;\n"
	    "  include /n/loop.conf;\n"
	    "  include /n/broken.conf;\n"
	    "  include /n/secret.conf;\n"
	    "  include /n/quote.conf;\n"
	    "  include /n/ok.conf;\n"
	    "  server { server_name no-upstream.fi; location / { fastcgi_pass nowhere; } }\n"
	    "}\n");
	fake_host_file(h, "/n/loop.conf", "include /n/loop.conf;\n");
	fake_host_file(h, "/n/broken.conf",
		       "server {\n  server_name broken.fi;\n  listen 443 ssl\n");
	fake_host_unreadable(h, "/n/secret.conf");
	fake_host_file(h, "/n/quote.conf", "server { server_name \"q.fi; }\n");
	fake_host_file(h, "/n/ok.conf", "server { server_name ok.fi; listen 443 ssl; }\n}\n");
	run_nginx(h, "/n/nginx.conf", &r);

	expect_problem(&r, "discovery.unreadable",
		       "/n/nginx.conf:2: include /n/missing.conf: no such file");
	expect_problem(&r, "discovery.limit", "/n/loop.conf: includes itself");
	expect_problem(&r, "discovery.syntax",
		       "/n/broken.conf:4: unexpected end of file, expecting \";\" or \"}\"");
	expect_problem(&r, "discovery.unreadable",
		       "/n/secret.conf: cannot read: Permission denied");
	expect_problem(&r, "discovery.syntax", "/n/quote.conf:2: unterminated quoted string");
	expect_problem(&r, "discovery.syntax", "/n/ok.conf:2: unexpected \"}\"");
	expect_problem(
	    &r, "discovery.syntax",
	    "/n/nginx.conf:8: fastcgi_pass nowhere: no such upstream and not an address");
	/* What parsed before an error still counts. */
	assert_non_null(hu_sites_find(&r.sites, "ok.fi"));
	assert_non_null(hu_sites_find(&r.sites, "broken.fi"));
	assert_non_null(hu_sites_find(&r.sites, "no-upstream.fi"));
	assert_string_equal(r.problems.v[0].target, "/n/nginx.conf");
	assert_int_equal(json_integer_value(json_object_get(r.problems.v[0].facts, "line")), 2);
	run_clear(&r);

	/* Not installed: nothing, quietly. */
	run_nginx(h, "/etc/nginx", &r);
	assert_int_equal(r.sites.n + r.problems.n, 0);
	run_clear(&r);
	hu_host_free(h);
}

static void apache_tree(void **state)
{
	struct hu_host *h = fake_host_new();
	struct run r;

	(void)state;
	fake_host_file(h, "/etc/apache2/apache2.conf",
		       "# Debian layout\n"
		       "DefaultRuntimeDir ${APACHE_RUN_DIR}\n"
		       "IncludeOptional mods-enabled/*.load\n"
		       "Include ports.conf\n"
		       "DocumentRoot /var/www/html\n"
		       "IncludeOptional conf-enabled/*.conf\n"
		       "IncludeOptional sites-enabled/*.conf\n");
	fake_host_file(h, "/etc/apache2/ports.conf",
		       "Listen 80\n<IfModule ssl_module>\n Listen 443\n</IfModule>\n");
	fake_host_file(h, "/etc/apache2/mods-enabled/ssl.load",
		       "LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\n");
	fake_host_file(h, "/etc/apache2/mods-enabled/proxy_fcgi.load",
		       "LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so\n");
	fake_host_file(
	    h, "/etc/apache2/conf-enabled/php8.2-fpm.conf",
	    "<IfModule !mod_php8.c>\n"
	    "<IfModule proxy_fcgi_module>\n"
	    "    <FilesMatch \".+\\.ph(?:ar|p|tml)$\">\n"
	    "        SetHandler \"proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost\"\n"
	    "    </FilesMatch>\n"
	    "</IfModule>\n"
	    "</IfModule>\n");
	fake_host_file(h, "/etc/apache2/sites-enabled/000-default.conf",
		       "<VirtualHost *:80>\n"
		       "\t#ServerName www.example.com\n"
		       "\tDocumentRoot /var/www/html\n"
		       "</VirtualHost>\n");
	fake_host_file(
	    h, "/etc/apache2/sites-enabled/acme.conf",
	    "Define SITE acme.fi\n"
	    "<VirtualHost *:80 [::]:80>\n"
	    "  ServerName ${SITE}\n"
	    "  ServerAlias www.acme.fi \\\n"
	    "     shop.acme.fi *.acme.fi\n"
	    "</VirtualHost>\n"
	    "<IfModule mod_ssl.c>\n"
	    "<VirtualHost _default_:443 *:8443>\n"
	    "  ServerName https://ACME.fi:443\n"
	    "  DocumentRoot \"/srv/www/acme\"\n"
	    "  SSLEngine on\n"
	    "  SSLCertificateFile /etc/letsencrypt/live/acme.fi/cert.pem\n"
	    "  SSLCertificateKeyFile /etc/letsencrypt/live/acme.fi/privkey.pem\n"
	    "  SSLCertificateChainFile /etc/letsencrypt/live/acme.fi/chain.pem\n"
	    "  ProxyPassMatch ^/(.*\\.php(/.*)?)$ fcgi://127.0.0.1:9000/srv/www/acme/$1\n"
	    "</VirtualHost>\n"
	    "</IfModule>\n"
	    "<IfModule mod_nonexistent.c>\n"
	    "<VirtualHost *:80>\n ServerName hidden.fi\n</VirtualHost>\n"
	    "</IfModule>\n"
	    "<IfDefine NEVER>\n<VirtualHost *:80>\n ServerName "
	    "never.fi\n</VirtualHost>\n</IfDefine>\n"
	    "<IfDefine !NEVER>\n<VirtualHost *:80>\n ServerName "
	    "plain.fi\n</VirtualHost>\n</IfDefine>\n");
	run_apache(h, "/etc/apache2", &r);

	assert_int_equal(r.problems.n, 0);
	assert_int_equal(r.sites.n, 2);
	const struct hu_site *s = hu_sites_find(&r.sites, "acme.fi");
	assert_non_null(s);
	assert_int_equal(s->names.n, 3); /* acme.fi www.acme.fi shop.acme.fi */
	assert_string_equal(s->docroot, "/srv/www/acme");
	assert_true(has_https(s, "acme.fi", 443));
	assert_true(has_https(s, "acme.fi", 8443));
	assert_false(has_https(s, "shop.acme.fi", 443)); /* only the :80 vhost has that alias */
	assert_int_equal(s->n_https, 2);
	assert_string_equal(s->chain_files.v[0], "/etc/letsencrypt/live/acme.fi/chain.pem");
	/* Its :80 vhost has no handler of its own: the global FPM handler. */
	assert_true(hu_strv_contains(&s->php_handlers, "tcp:127.0.0.1:9000"));
	assert_true(hu_strv_contains(&s->php_handlers, "unix:/run/php/php8.2-fpm.sock"));
	assert_int_equal(s->n_origins, 2);
	assert_int_equal(s->origins[1].line, 8);
	s = hu_sites_find(&r.sites, "plain.fi");
	assert_non_null(s);
	assert_string_equal(s->docroot, "/var/www/html"); /* the main server's */
	assert_string_equal(s->php_handlers.v[0], "unix:/run/php/php8.2-fpm.sock");
	assert_int_equal(s->n_https, 0);
	run_clear(&r);

	/* With mod_php loaded, Debian's php-fpm.conf stays out and mod_php serves. */
	fake_host_file(h, "/etc/apache2/mods-enabled/php8.2.load",
		       "LoadModule php_module /usr/lib/apache2/modules/libphp8.2.so\n");
	run_apache(h, "/etc/apache2", &r);
	s = hu_sites_find(&r.sites, "plain.fi");
	assert_int_equal(s->php_handlers.n, 1);
	assert_string_equal(s->php_handlers.v[0], "module:/usr/lib/apache2/modules/libphp8.2.so");
	run_clear(&r);
	hu_host_free(h);
}

static void apache_errors(void **state)
{
	struct hu_host *h = fake_host_new();
	struct run r;

	(void)state;
	fake_host_file(h, "/a/httpd.conf",
		       "ServerRoot /a\n"
		       "Include conf/missing.conf\n"
		       "Include conf/none-*.conf\n"
		       "IncludeOptional conf/none-*.conf\n"
		       "Include conf/unclosed.conf\n"
		       "Include conf/stray.conf\n"
		       "Include conf.d\n");
	fake_host_file(h, "/a/conf/unclosed.conf", "<VirtualHost *:443>\n ServerName u.fi\n");
	fake_host_file(h, "/a/conf/stray.conf", "</Directory>\n<VirtualHost *:80\n");
	fake_host_file(h, "/a/conf.d/sub/deep.conf",
		       "<VirtualHost *:80>\nServerName deep.fi\n</VirtualHost>\n");
	run_apache(h, "/a/httpd.conf", &r);
	expect_problem(&r, "discovery.unreadable",
		       "/a/httpd.conf:2: Include conf/missing.conf: no such file");
	expect_problem(&r, "discovery.unreadable",
		       "/a/httpd.conf:3: Include conf/none-*.conf: no file matches");
	expect_problem(
	    &r, "discovery.syntax",
	    "/a/conf/unclosed.conf:2: <VirtualHost> is not closed at the end of the file");
	expect_problem(&r, "discovery.syntax",
		       "/a/conf/stray.conf:1: </Directory> without matching <Directory>");
	expect_problem(&r, "discovery.syntax",
		       "/a/conf/stray.conf:2: section line does not end with \">\"");
	assert_int_equal(r.problems.n, 5);
	assert_non_null(hu_sites_find(&r.sites, "deep.fi")); /* a directory include, recursively */
	run_clear(&r);
	hu_host_free(h);
}

static void snippets_read_once(void **state)
{
	struct hu_host *h = fake_host_new();
	struct run r;
	char conf[200], path[64];

	(void)state;
	fake_host_file(h, "/n/nginx.conf", "http { include /n/sites/*.conf; }\n");
	fake_host_file(h, "/n/php.conf", "fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n");
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "/n/sites/s%03d.conf", i);
		snprintf(conf, sizeof(conf),
			 "server { server_name s%d.fi; location / { include /n/php.conf; include "
			 "/n/secret.conf; } }\n",
			 i);
		fake_host_file(h, path, conf);
	}
	fake_host_unreadable(h, "/n/secret.conf");
	run_nginx(h, "/n", &r);
	assert_int_equal(r.sites.n, 300);
	assert_string_equal(r.sites.v[299]->php_handlers.v[0], "unix:/run/php/php8.2-fpm.sock");
	/* nginx.conf, 300 sites, one snippet, one unreadable file: each read once */
	assert_int_equal(fake_host_reads(h), 303);
	assert_int_equal(r.problems.n, 1);
	run_clear(&r);
	hu_host_free(h);
}

static void merge_with_config(void **state)
{
	struct hu_host *h = fake_host_new();
	struct agent_conf c = { 0 };
	struct hu_sites sites = HU_SITES_INIT;
	struct hu_findings problems = HU_FINDINGS_INIT;
	struct hu_site *s;
	char *why = NULL;

	(void)state;
	fake_host_file(h, "/etc/nginx/nginx.conf",
		       "http { server { server_name www.example.fi example.fi; root "
		       "/var/www/discovered; listen 443 ssl; } }\n");
	c.nginx_root = strdup("/etc/nginx");
	s = hu_site_new("example.fi");
	s->docroot = strdup("/var/www/configured");
	hu_site_add_origin(s, "config", "/etc/huolto/agent.yaml", 3);
	assert_int_equal(agent_site_add_url(s, "https://www.example.fi:8443/", &why), 0);
	hu_sites_push(&c.sites, s);
	s = hu_site_new("other.fi");
	hu_sites_push(&c.sites, s);
	assert_int_equal(agent_site_add_url(s, "ftp://other.fi/", &why), -EINVAL);
	assert_string_equal(why, "scheme \"ftp\" is not http or https");
	free(why);

	assert_int_equal(discover_all(h, &c, &sites, &problems), 0);
	assert_int_equal(sites.n, 2);
	s = sites.v[0];
	assert_string_equal(s->name, "example.fi"); /* the configured name */
	assert_string_equal(s->names.v[0], "example.fi");
	assert_string_equal(s->docroot, "/var/www/configured");
	assert_true(has_https(s, "www.example.fi", 8443));
	assert_true(has_https(s, "www.example.fi", 443));
	assert_int_equal(s->n_origins, 2);
	assert_string_equal(sites.v[1]->name, "other.fi");
	hu_sites_clear(&sites);
	hu_findings_clear(&problems);
	agent_conf_clear(&c);
	hu_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nginx_tree),         cmocka_unit_test(nginx_errors),
		cmocka_unit_test(apache_tree),        cmocka_unit_test(apache_errors),
		cmocka_unit_test(snippets_read_once), cmocka_unit_test(merge_with_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
