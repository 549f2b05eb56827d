/* SPDX-License-Identifier: MIT */
/*
 * The cms check's parts: header and PHP value reading, the real-format
 * trees of ../shared/catalog/fixtures/ondisk (EXPECTED.md, line by line),
 * and hostile trees (link loops, a FIFO, a 100 MB "plugin", binary junk,
 * unreadable files, HTML in a name).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cms/cms.h"
#include "fake_host.h"

static const char *const NAMES[] = { "Plugin Name", "Version", "Requires PHP", "Update URI" };

static void headers(const char *text, char **v)
{
	assert_int_equal(cms_wp_headers(text, strlen(text), NAMES, 4, v), 0);
}

static void free4(char **v)
{
	for (size_t i = 0; i < 4; i++)
		free(v[i]);
}

static void wp_headers_like_wordpress(void **state)
{
	char *v[4];

	(void)state;
	/* CR-only line endings, a value ending in the comment's close. */
	headers("<?php\r/* Plugin Name: Hello Dolly\r   Version: 1.7.2 */\r", v);
	assert_string_equal(v[0], "Hello Dolly");
	assert_string_equal(v[1], "1.7.2");
	assert_null(v[2]);
	free4(v);
	/* Case does not matter; the first match wins; "Stable Version" is no Version. */
	headers(" * Stable Version: 9\n * PLUGIN NAME: A\n# version: 1.2\n * Version: 3\n", v);
	assert_string_equal(v[0], "A");
	assert_string_equal(v[1], "1.2");
	free4(v);
	/* A header on the "<?php" line itself, "?>" cut. */
	headers("<?php /* Plugin Name: Foo ?> trailing\n@Version:\t2.0  \r\n", v);
	assert_string_equal(v[0], "Foo");
	assert_string_equal(v[1], "2.0");
	free4(v);
	/* An empty first match hides a later one, as in PHP; "0" is no value. */
	headers("Plugin Name:\nPlugin Name: Later\nVersion:0\nVersion: 1\n", v);
	assert_null(v[0]);
	assert_null(v[1]);
	free4(v);
	/* Text before the name other than [ \t/ *#@] stops the match. */
	headers("x Plugin Name: No\n-- Version: 1\n", v);
	assert_null(v[0]);
	assert_null(v[1]);
	free4(v);
}

static void wp_headers_first_8k_only(void **state)
{
	char *buf = malloc(9001), *v[4];

	(void)state;
	memset(buf, ' ', 9000);
	buf[9000] = '\0';
	memcpy(buf + 8100, "\nPlugin Name: In\n", 17);
	memcpy(buf + 8195, "\nRequires PHP: 8.0\n", 19); /* starts past byte 8192 */
	memcpy(buf + 8180, "\nVersion: 1.0\n", 14);      /* cut at 8192: "1." */
	headers(buf, v);
	assert_string_equal(v[0], "In");
	assert_string_equal(v[1], "1.");
	assert_null(v[2]);
	free4(v);
	free(buf);
}

static void php_values(void **state)
{
	const char *t = "<?php\n * @global string $wp_version\n */\n$wp_version = '6.6.2';\n"
			"$wp_version_x = 'no';\n$wp_db_version = 57155;\n"
			"$q = 'it\\'s \\\\ \"x\"';\n$dq = \"a\\tb\";\n$expr = 'a' . 'b';\n"
			"$interp = \"x$y\";\n"
			"if (!defined('DB_NAME')) define( 'DB_NAME' , \"wp\" );\n"
			"DEFINE('DB_HOST', getenv('X'));\ndefine('DB_HOST', 'localhost:3307');\n"
			"class V { public const MAJOR_VERSION = 5; const  EXTRA_VERSION = ''; }\n";
	size_t n = strlen(t);
	char *v = NULL;

	(void)state;
	assert_int_equal(cms_php_var(t, n, "wp_version", &v), 0);
	assert_string_equal(v, "6.6.2");
	free(v);
	assert_int_equal(cms_php_var(t, n, "wp_db_version", &v), 0);
	assert_string_equal(v, "57155");
	free(v);
	assert_int_equal(cms_php_var(t, n, "q", &v), 0);
	assert_string_equal(v, "it's \\ \"x\"");
	free(v);
	assert_int_equal(cms_php_var(t, n, "dq", &v), 0);
	assert_string_equal(v, "a\tb");
	free(v);
	assert_int_equal(cms_php_var(t, n, "expr", &v), -EINVAL);
	assert_int_equal(cms_php_var(t, n, "interp", &v), -EINVAL);
	assert_int_equal(cms_php_var(t, n, "missing", &v), -ENOENT);
	assert_int_equal(cms_php_define(t, n, "DB_NAME", &v), 0);
	assert_string_equal(v, "wp");
	free(v);
	/* An expression is passed over for the literal definition after it. */
	assert_int_equal(cms_php_define(t, n, "DB_HOST", &v), 0);
	assert_string_equal(v, "localhost:3307");
	free(v);
	assert_int_equal(cms_php_const(t, n, "MAJOR_VERSION", &v), 0);
	assert_string_equal(v, "5");
	free(v);
	assert_int_equal(cms_php_const(t, n, "EXTRA_VERSION", &v), 0);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(cms_php_define("define('A', $x);", 16, "A", &v), -EINVAL);
	/* Unterminated literals at the end of a truncated read. */
	assert_int_equal(cms_php_var("$a = 'abc", 9, "a", &v), -EINVAL);
}

static void info_values(void **state)
{
	const char *ini = "name = Views\ncore = 7.x\n; comment = x\nversion = \"7.x-3.11\"\n"
			  "core = \"7.x\"\nproject = 'views'\n";
	const char *yml = "name: Token\ntype: module\n  version: nested\n"
			  "version: '8.x-1.14'\nproject: token # the project\n";
	char *v = NULL;

	(void)state;
	assert_int_equal(cms_ini_value(ini, strlen(ini), "version", &v), 0);
	assert_string_equal(v, "7.x-3.11");
	free(v);
	assert_int_equal(cms_ini_value(ini, strlen(ini), "core", &v), 0);
	assert_string_equal(v, "7.x");
	free(v);
	assert_int_equal(cms_ini_value(ini, strlen(ini), "project", &v), 0);
	assert_string_equal(v, "views");
	free(v);
	assert_int_equal(cms_ini_value(ini, strlen(ini), "comment", &v), -ENOENT);
	assert_int_equal(cms_yaml_value(yml, strlen(yml), "version", &v), 0);
	assert_string_equal(v, "8.x-1.14");
	free(v);
	assert_int_equal(cms_yaml_value(yml, strlen(yml), "project", &v), 0);
	assert_string_equal(v, "token");
	free(v);
}

static void clean_text(void **state)
{
	char *v, big[2000];

	(void)state;
	v = cms_clean("  <b>Bad</b>\x01\x7f name\xff\xc3(  ");
	assert_string_equal(v, "<b>Bad</b> name\xef\xbf\xbd\xef\xbf\xbd(");
	free(v);
	assert_null(cms_clean("  \t "));
	memset(big, 'a', sizeof(big));
	memcpy(big + 511, "\xc3\xa4\xc3\xa4", 4);
	big[sizeof(big) - 1] = '\0';
	v = cms_clean(big);
	assert_int_equal(strlen(v), 511); /* not cut inside a character */
	free(v);
}

/* ---- the shared fixture trees --------------------------------------- */

static json_t *inventory_of(struct hu_host *h, const char *docroot, unsigned depth,
			    struct cms_inventory *inv)
{
	assert_int_equal(cms_inventory_init(inv), 0);
	assert_int_equal(cms_inventory_site(h, docroot, depth, inv), 0);
	return inv->items;
}

/* The item of kind whose key (or slug) is key. */
static json_t *item(json_t *items, const char *kind, const char *key)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
	{
		const char *k = json_string_value(json_object_get(it, "key"));
		if (!k)
			k = json_string_value(json_object_get(it, "slug"));
		if (!strcmp(json_string_value(json_object_get(it, "kind")), kind) &&
		    !strcmp(k, key))
			return it;
	}
	fail_msg("no %s %s", kind, key);
	return NULL;
}

static void is(json_t *it, const char *key, const char *want)
{
	json_t *v = json_object_get(it, key);

	if (!want) {
		assert_true(!v || json_is_null(v));
		return;
	}
	assert_non_null(json_string_value(v));
	assert_string_equal(json_string_value(v), want);
}

static char *fixture(const char *rel)
{
	const char *shared = getenv("HUOLTO_SHARED"); /* CTest sets it */
	char *p = NULL;

	assert_non_null(shared);
	assert_true(asprintf(&p, "%s/catalog/fixtures/ondisk%s", shared, rel) > 0);
	return p;
}

static void expected_wordpress(void **state)
{
	struct hu_host *h = NULL;
	struct cms_inventory inv;
	char *root = fixture("/wordpress");
	json_t *items, *it;

	(void)state;
	assert_int_equal(hu_host_local_new(&h), 0);
	items = inventory_of(h, root, 2, &inv);
	assert_int_equal(json_array_size(items), 8);
	it = item(items, "wordpress-core", "wordpress");
	is(it, "version", "6.6.2");
	assert_int_equal(json_integer_value(json_object_get(it, "db_version")), 57155);
	is(it, "requires_php", "7.2.24");
	is(it, "local_package", "de_DE");
	it = item(items, "wordpress-plugin", "akismet/akismet.php");
	is(it, "name", "Akismet Anti-spam: Spam Protection");
	is(it, "version", "5.3.3");
	is(it, "requires_wp", "5.8");
	is(it, "requires_php", "5.6.20");
	is(it, "slug", "akismet");
	it = item(items, "wordpress-plugin", "hello.php");
	is(it, "name", "Hello Dolly");
	is(it, "version", "1.7.2");
	is(it, "slug", "hello-dolly");
	it = item(items, "wordpress-plugin", "custom-updater.php");
	is(it, "version", "2.1.0");
	is(it, "update_uri", "https://updates.example-agency.test/agency-custom-tools");
	assert_true(json_is_false(json_object_get(it, "wordpress_org")));
	is(it, "requires_plugins", "woocommerce");
	it = item(items, "wordpress-mu-plugin", "loader.php");
	is(it, "name", "MU Loader");
	is(it, "version", "1.0");
	it = item(items, "wordpress-dropin", "object-cache.php");
	is(it, "name", "Redis Object Cache Drop-In");
	is(it, "version", "2.5.4");
	it = item(items, "wordpress-theme", "twentytwentyfour");
	is(it, "version", "1.2");
	is(it, "requires_php", "7.0");
	assert_true(json_is_true(json_object_get(it, "wordpress_org")));
	it = item(items, "wordpress-theme", "child-theme");
	is(it, "version", "0.3.1");
	is(it, "parent", "twentytwentyfour");
	is(it, "update_uri", "false");
	assert_true(json_is_false(json_object_get(it, "wordpress_org")));
	/* mu-plugins/index.php (29 bytes) is a placeholder; nothing was unreadable. */
	assert_int_equal(inv.n_unreadable, 0);
	cms_inventory_clear(&inv);
	free(root);
	hu_host_free(h);
}

static void expected_drupal_joomla(void **state)
{
	struct hu_host *h = NULL;
	struct cms_inventory inv;
	char *root = fixture("");
	json_t *items, *it;
	int cores[3] = { 0 };

	(void)state;
	assert_int_equal(hu_host_local_new(&h), 0);
	/* All six trees one level below the docroot: subdirectory installs. */
	items = inventory_of(h, root, 2, &inv);
	assert_int_equal(json_array_size(inv.installs), 6);
	size_t i;
	json_array_foreach(items, i, it)
	{
		const char *k = json_string_value(json_object_get(it, "kind"));
		const char *v = json_string_value(json_object_get(it, "version"));
		if (!strcmp(k, "drupal-core"))
			cores[0] += !strcmp(v, "10.3.6") * 1 + !strcmp(v, "7.101") * 2;
		if (!strcmp(k, "joomla-core"))
			cores[1] += !strcmp(v, "5.2.3") * 1 + !strcmp(v, "3.6.5") * 2 +
				    !strcmp(v, "2.5.5") * 4;
	}
	assert_int_equal(cores[0], 3);
	assert_int_equal(cores[1], 7);
	it = item(items, "drupal-module", "token");
	is(it, "project", "token");
	is(it, "version", "8.x-1.14");
	is(it, "composer_name", "drupal/token");
	is(it, "composer_version", "1.14.0");
	is(it, "security_coverage", "covered");
	it = item(items, "drupal-module", "views");
	is(it, "project", "views");
	is(it, "version", "7.x-3.11");
	is(it, "core", "7.x");
	cms_inventory_clear(&inv);
	free(root);
	hu_host_free(h);
}

/* ---- hostile trees -------------------------------------------------- */

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = NULL;
	FILE *f;

	assert_true(asprintf(&p, "%s/%s", dir, rel) > 0);
	for (char *s = strchr(p + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void hostile_local(void **state)
{
	char tmpl[] = "/tmp/huolto-cms-XXXXXX", *p = NULL;
	const char *d = mkdtemp(tmpl);
	struct hu_host *h = NULL;
	struct cms_inventory inv;
	json_t *items, *it;
	int fd;

	(void)state;
	assert_non_null(d);
	put(d, "wp-includes/version.php", "<?php\n$wp_version = '6.7';\n");
	put(d, "wp-content/plugins/html/html.php",
	    "<?php /* Plugin Name: <script>alert(1)</script>\xff\n Version: 1\x01.0 */");
	put(d, "wp-content/plugins/junk/junk.php",
	    "\x7f"
	    "ELF\x02\x01\x01\0\0\0binary");
	put(d, "wp-content/themes/loop/placeholder", "");
	/* A 100 MB "plugin": sparse, only its first 8 KiB are read. */
	assert_true(asprintf(&p, "%s/wp-content/plugins/huge.php", d) > 0);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "<?php\n/* Plugin Name: Huge\nVersion: 9 */\n", 41), 41);
	assert_int_equal(ftruncate(fd, 100 << 20), 0);
	close(fd);
	free(p);
	/* A FIFO where a plugin file would be: never opened for a blocking read. */
	assert_true(asprintf(&p, "%s/wp-content/plugins/fifo.php", d) > 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	/* Link loops: a directory linking to its parent, a link to itself. */
	assert_true(asprintf(&p, "%s/wp-content/themes/loop/again", d) > 0);
	assert_int_equal(symlink("..", p), 0);
	free(p);
	assert_true(asprintf(&p, "%s/wp-content/plugins/self.php", d) > 0);
	assert_int_equal(symlink("self.php", p), 0);
	free(p);
	assert_true(asprintf(&p, "%s/sub", d) > 0);
	assert_int_equal(symlink(".", p), 0);
	free(p);

	assert_int_equal(hu_host_local_new(&h), 0);
	items = inventory_of(h, d, 8, &inv);
	assert_int_equal(json_array_size(inv.installs), 1); /* sub -> . is not a second install */
	it = item(items, "wordpress-plugin", "html/html.php");
	is(it, "name", "<script>alert(1)</script>\xef\xbf\xbd");
	is(it, "version", "1.0");
	it = item(items, "wordpress-plugin", "huge.php");
	is(it, "version", "9");
	assert_int_equal(json_array_size(items), 3);
	/* junk/ is skipped with a reason; the FIFO and the self-link are unreadable. */
	assert_true(inv.n_skipped >= 1);
	assert_int_equal(inv.n_unreadable, 2);
	cms_inventory_clear(&inv);
	hu_host_free(h);
	assert_true(asprintf(&p, "rm -rf '%s'", d) > 0);
	assert_int_equal(system(p), 0);
	free(p);
}

static void unreadable_fake(void **state)
{
	struct hu_host *h = fake_host_new();
	struct cms_inventory inv;
	json_t *items;

	(void)state;
	fake_host_file(h, "/w/wp-includes/version.php", "<?php $wp_version = '6.5.5';");
	fake_host_unreadable(h, "/w/wp-content/plugins/secret/secret.php");
	fake_host_file(h, "/w/wp-content/plugins/ok/ok.php", "<?php /* Plugin Name: OK */");
	fake_host_unreadable(h, "/d/core/lib/Drupal.php");
	items = inventory_of(h, "/w", 2, &inv);
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(inv.n_unreadable, 1);
	is(json_array_get(inv.unreadable, 0), "path", "/w/wp-content/plugins/secret/secret.php");
	cms_inventory_clear(&inv);
	/* An unreadable core file: the install is known, its version is not. */
	items = inventory_of(h, "/d", 0, &inv);
	assert_int_equal(json_array_size(items), 0);
	assert_int_equal(inv.n_unreadable, 1);
	cms_inventory_clear(&inv);
	hu_host_free(h);
}

static void wp_config_settings(void **state)
{
	struct hu_host *h = fake_host_new();
	struct cms_inventory inv;
	json_t *items;

	(void)state;
	/* wp-config.php one level up; a commented-out define is not read. */
	fake_host_file(h, "/s/wp-config.php",
		       "<?php\n// define('WP_CONTENT_DIR', '/wrong');\n"
		       "define('MULTISITE', true);\ndefine( 'WP_CONTENT_DIR', '/c' );\n");
	fake_host_file(h, "/s/pub/wp-includes/version.php", "<?php $wp_version = '6.6';");
	fake_host_file(h, "/c/plugins/p/p.php", "<?php /* Plugin Name: P */");
	fake_host_file(h, "/c/sunrise.php", "<?php /* Plugin Name: Sunrise */");
	fake_host_file(h, "/c/db.php", "<?php // a drop-in without a header");
	items = inventory_of(h, "/s/pub", 0, &inv);
	assert_true(
	    json_is_true(json_object_get(item(items, "wordpress-core", "wordpress"), "multisite")));
	is(item(items, "wordpress-plugin", "p/p.php"), "path", "/c/plugins/p/p.php");
	is(item(items, "wordpress-dropin", "sunrise.php"), "name", "Sunrise"); /* multisite only */
	is(item(items, "wordpress-dropin", "db.php"), "name", "db.php");       /* name defaults */
	assert_int_equal(json_array_size(items), 4);
	cms_inventory_clear(&inv);
	hu_host_free(h);
}

static void joomla_extensions(void **state)
{
	struct hu_host *h = fake_host_new();
	struct cms_inventory inv;
	json_t *items, *it;

	(void)state;
	fake_host_file(
	    h, "/j/libraries/src/Version.php",
	    "<?php final class Version { const MAJOR_VERSION = 4; const MINOR_VERSION = "
	    "0;\n const PATCH_VERSION = 6; const EXTRA_VERSION = 'rc3'; const DEV_STATUS "
	    "= 'Release Candidate'; }");
	fake_host_file(
	    h, "/j/administrator/manifests/files/joomla.xml",
	    "<?xml version=\"1.0\"?><extension type=\"file\"><name>files_joomla</name>"
	    "<author>Joomla! Project</author><version>4.0.5</version><updateservers>"
	    "<server name=\"Joomla! Core\" type=\"collection\">"
	    "https://update.joomla.org/core/list.xml</server></updateservers></extension>");
	fake_host_file(
	    h, "/j/administrator/components/com_akeeba/akeeba.xml",
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<extension type=\"component\" "
	    "method=\"upgrade\">\n<name>Akeeba Backup</name><author>Akeeba Ltd</author>"
	    "<version>9.2.1</version><updateservers><server type=\"extension\" "
	    "priority=\"1\">  https://cdn.akeeba.example/updates/pkgakeeba.xml  </server>"
	    "<server>https://second.example/u.xml</server></updateservers></extension>");
	fake_host_file(h, "/j/plugins/system/cache/cache.xml",
		       "<extension type=\"plugin\" group=\"system\"><name>plg_system_cache</name>"
		       "<author>Joomla! Project</author><version>4.0.0</version></extension>");
	fake_host_file(h, "/j/plugins/system/admintools/admintools.xml",
		       "<extension type=\"plugin\" group=\"system\"><name>PLG_ADMINTOOLS</name>"
		       "<author>Akeeba</author><version>7.4.0</version></extension>");
	fake_host_file(h, "/j/templates/cassiopeia/templateDetails.xml",
		       "<extension type=\"template\" client=\"site\"><name>cassiopeia</name>"
		       "<author>Joomla! Project</author><version>1.0</version></extension>");
	fake_host_file(h, "/j/templates/yootheme/templateDetails.xml",
		       "<extension type=\"template\" client=\"site\"><name>YOOtheme</name>"
		       "<version>4.4.8</version></extension>");
	fake_host_file(h, "/j/administrator/manifests/packages/pkg_akeeba.xml",
		       "<extension type=\"package\"><name>Akeeba Backup package</name>"
		       "<packagename>akeeba</packagename><version>9.2.1</version></extension>");
	fake_host_file(
	    h, "/j/modules/mod_bomb/mod_bomb.xml",
	    "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaa\"><!ENTITY b "
	    "\"&a;&a;&a;&a;\">]><extension type=\"module\"><name>&b;</name></extension>");
	fake_host_file(h, "/j/modules/mod_broken/mod_broken.xml", "<extension><name>x</nam>");
	items = inventory_of(h, "/j", 0, &inv);
	it = item(items, "joomla-core", "joomla");
	is(it, "version", "4.0.6-rc3");
	is(it, "dev_status", "Release Candidate");
	is(it, "manifest_version", "4.0.5");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(it, "update_servers"), 0)),
	    "https://update.joomla.org/core/list.xml");
	it = item(items, "joomla-extension", "com_akeeba");
	is(it, "name", "Akeeba Backup");
	is(it, "version", "9.2.1");
	is(it, "type", "component");
	is(it, "client", "administrator");
	assert_int_equal(json_array_size(json_object_get(it, "update_servers")), 2);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(it, "update_servers"), 0)),
	    "https://cdn.akeeba.example/updates/pkgakeeba.xml");
	it = item(items, "joomla-extension", "admintools");
	is(it, "folder", "system");
	is(it, "version", "7.4.0");
	it = item(items, "joomla-extension", "yootheme");
	is(it, "version", "4.4.8");
	it = item(items, "joomla-extension", "akeeba");
	is(it, "type", "package");
	/* Core's own extensions are left out; the bomb and the broken file are skipped. */
	assert_int_equal(json_array_size(items), 5);
	assert_int_equal(inv.n_skipped, 2);
	cms_inventory_clear(&inv);
	hu_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wp_headers_like_wordpress),
		cmocka_unit_test(wp_headers_first_8k_only),
		cmocka_unit_test(php_values),
		cmocka_unit_test(info_values),
		cmocka_unit_test(clean_text),
		cmocka_unit_test(expected_wordpress),
		cmocka_unit_test(expected_drupal_joomla),
		cmocka_unit_test(hostile_local),
		cmocka_unit_test(unreadable_fake),
		cmocka_unit_test(joomla_extensions),
		cmocka_unit_test(wp_config_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
