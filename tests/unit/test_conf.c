/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "huolto/conf.h"

static struct hu_conf *load(const char *text)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *c = NULL;

	if (hu_conf_load_string("t.yaml", text, strlen(text), &c, &err) < 0)
		fail_msg("unexpected error: %s", hu_err_msg(&err));
	return c;
}

/* Loading text fails with a message that contains want. */
static void load_fails(const char *text, const char *want)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *c = NULL;

	if (hu_conf_load_string("t.yaml", text, strlen(text), &c, &err) == 0)
		fail_msg("\"%s\" loaded, expected an error with \"%s\"", text, want);
	if (!strstr(hu_err_msg(&err), want))
		fail_msg("error \"%s\" does not contain \"%s\"", hu_err_msg(&err), want);
	hu_err_clear(&err);
}

static void structure(void **state)
{
	struct hu_conf *c = load("# comment\n"
				 "a: 1\n"
				 "b:\n"
				 "  - x\n"
				 "  - \"y z\"\n"
				 "c: {d: true, e: ~}\n");
	(void)state;
	assert_int_equal(c->root->type, HU_CONF_MAPPING);
	const struct hu_conf_node *b = hu_conf_get(c->root, "b");
	assert_int_equal(b->type, HU_CONF_SEQUENCE);
	assert_int_equal(b->n_items, 2);
	assert_int_equal(b->items[1]->line, 5);
	assert_int_equal(b->items[1]->column, 5);
	assert_true(b->items[1]->quoted);
	assert_true(hu_conf_is_null(hu_conf_get(hu_conf_get(c->root, "c"), "e")));
	assert_null(hu_conf_get(c->root, "zzz"));
	hu_conf_free(c);

	c = load("");
	assert_null(c->root);
	hu_conf_free(c);
	c = load("# only a comment\n");
	assert_null(c->root);
	hu_conf_free(c);
}

static void refused(void **state)
{
	(void)state;
	load_fails("a: [1, 2\n", "t.yaml:2:1: YAML syntax error");
	load_fails("a: &x 1\nb: *x\n", "t.yaml:1:4: anchors are not supported");
	load_fails("a: !!str 1\n", "explicit tags are not supported");
	load_fails("a: 1\n---\nb: 2\n", "only one YAML document");
	load_fails("? [a, b]\n: 1\n", "t.yaml:1:3: a mapping key must be a scalar");
	char deep[41];
	memset(deep, '[', 40);
	deep[40] = '\0';
	load_fails(deep, "nested too deeply");
}

static const char *get_err(int (*fn)(const struct hu_conf_node *, struct hu_err *),
			   const char *text, char *buf, size_t len)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *c = load(text);
	int r = fn(c->root, &err);

	snprintf(buf, len, "%d %s", r, r < 0 ? hu_err_msg(&err) : "");
	hu_err_clear(&err);
	hu_conf_free(c);
	return buf;
}

static int keys_fn(const struct hu_conf_node *n, struct hu_err *err)
{
	static const char *const allowed[] = { "alpha", "beta", NULL };
	return hu_conf_check_keys(n, allowed, err);
}

static void keys(void **state)
{
	char buf[512];

	(void)state;
	assert_string_equal(get_err(keys_fn, "alpha: 1\nbeta: 2\n", buf, sizeof(buf)), "0 ");
	assert_string_equal(get_err(keys_fn, "alpha: 1\ngamma: 2\n", buf, sizeof(buf)),
			    "-22 t.yaml:2:1: unknown key \"gamma\" (expected one of: alpha, beta)");
	assert_string_equal(get_err(keys_fn, "alpha: 1\nalpha: 2\n", buf, sizeof(buf)),
			    "-22 t.yaml:2:1: duplicate key \"alpha\" (first at line 1)");
}

static void typed(void **state)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *c = load("s: text\n"
				 "n: 42\n"
				 "q: \"42\"\n"
				 "t: true\n"
				 "y: yes\n"
				 "d: 6h\n"
				 "bad_d: 6 hours\n"
				 "l: [a, b]\n"
				 "nul: ~\n");
	char *s = NULL;
	bool b = false;
	int64_t v = 7;
	struct hu_strv l = HU_STRV_INIT;

	(void)state;
	assert_int_equal(hu_conf_get_string(c->root, "s", &s, &err), 0);
	assert_string_equal(s, "text");
	assert_int_equal(hu_conf_get_string(c->root, "absent", &s, &err), 0);
	assert_string_equal(s, "text"); /* untouched when absent */
	assert_int_equal(hu_conf_get_string(c->root, "nul", &s, &err), -EINVAL);
	assert_string_equal(hu_err_msg(&err), "t.yaml:9:6: expected a string, not nothing (null)");
	assert_int_equal(hu_conf_get_int(c->root, "n", 0, 100, &v, &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(hu_conf_get_int(c->root, "n", 0, 10, &v, &err), -ERANGE);
	assert_string_equal(hu_err_msg(&err), "t.yaml:2:4: 42 is out of range (0..10)");
	assert_int_equal(hu_conf_get_int(c->root, "q", 0, 100, &v, &err), -EINVAL);
	assert_string_equal(hu_err_msg(&err), "t.yaml:3:4: expected an integer, not a string");
	assert_int_equal(hu_conf_get_bool(c->root, "t", &b, &err), 0);
	assert_true(b);
	assert_int_equal(hu_conf_get_bool(c->root, "y", &b, &err), -EINVAL);
	assert_string_equal(hu_err_msg(&err),
			    "t.yaml:5:4: expected true or false, not a scalar \"yes\"");
	assert_int_equal(hu_conf_get_duration_ms(c->root, "d", 0, INT64_MAX, &v, &err), 0);
	assert_int_equal(v, 6 * 3600 * 1000LL);
	assert_int_equal(hu_conf_get_duration_ms(c->root, "bad_d", 0, INT64_MAX, &v, &err),
			 -EINVAL);
	assert_non_null(strstr(hu_err_msg(&err), "t.yaml:7:8: expected a duration"));
	assert_int_equal(hu_conf_get_string_list(c->root, "l", &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1], "b");
	assert_int_equal(hu_conf_get_string_list(c->root, "s", &l, &err), -EINVAL);
	assert_int_equal(l.n, 2); /* kept on error */
	hu_strv_clear(&l);
	free(s);
	hu_err_clear(&err);
	hu_conf_free(c);
}

static void durations(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(hu_duration_parse_ms("500ms", &v), 0);
	assert_int_equal(v, 500);
	assert_int_equal(hu_duration_parse_ms("7d", &v), 0);
	assert_int_equal(v, 7 * 86400000LL);
	assert_int_equal(hu_duration_parse_ms("2w", &v), 0);
	assert_int_equal(hu_duration_parse_ms("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hu_duration_parse_ms("30", &v), -EINVAL);
	assert_int_equal(hu_duration_parse_ms("-1s", &v), -EINVAL);
	assert_int_equal(hu_duration_parse_ms("1y", &v), -EINVAL);
	assert_int_equal(hu_duration_parse_ms("99999999999999999w", &v), -ERANGE);
}

static void sizes(void **state)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *c = NULL;
	const char text[] = "a: 8MiB\nb: 512KiB\nc: 100\nd: 8MB\ne: 99999999999GiB\nf: [1]\n";
	int64_t v;

	(void)state;
	assert_int_equal(hu_size_parse("1GiB", &v), 0);
	assert_int_equal(v, 1024LL * 1024 * 1024);
	assert_int_equal(hu_size_parse("0B", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hu_size_parse("1 MiB", &v), -EINVAL);
	assert_int_equal(hu_size_parse("-1", &v), -EINVAL);
	assert_int_equal(hu_conf_load_string("s.yaml", text, sizeof(text) - 1, &c, &err), 0);
	assert_int_equal(hu_conf_get_size(c->root, "a", 0, INT64_MAX, &v, &err), 0);
	assert_int_equal(v, 8 * 1024 * 1024);
	assert_int_equal(hu_conf_get_size(c->root, "b", 0, INT64_MAX, &v, &err), 0);
	assert_int_equal(v, 512 * 1024);
	assert_int_equal(hu_conf_get_size(c->root, "c", 0, INT64_MAX, &v, &err), 0);
	assert_int_equal(v, 100);
	assert_int_equal(hu_conf_get_size(c->root, "c", 1024, INT64_MAX, &v, &err), -ERANGE);
	assert_string_equal(
	    hu_err_msg(&err),
	    "s.yaml:3:4: size \"100\" is out of range (1024..9223372036854775807 bytes)");
	hu_err_clear(&err);
	assert_int_equal(hu_conf_get_size(c->root, "d", 0, INT64_MAX, &v, &err), -EINVAL);
	assert_string_equal(
	    hu_err_msg(&err),
	    "s.yaml:4:4: expected a size such as 512KiB, 8MiB or 1GiB, not \"8MB\"");
	hu_err_clear(&err);
	assert_int_equal(hu_conf_get_size(c->root, "e", 0, INT64_MAX, &v, &err), -ERANGE);
	hu_err_clear(&err);
	assert_int_equal(hu_conf_get_size(c->root, "f", 0, INT64_MAX, &v, &err), -EINVAL);
	hu_err_clear(&err);
	assert_int_equal(hu_conf_get_size(c->root, "absent", 0, INT64_MAX, &v, &err), 0);
	hu_conf_free(c);
}

static void files(void **state)
{
	struct hu_err err = HU_ERR_INIT;
	struct hu_conf *c = NULL;
	char path[] = "/tmp/huolto-test-conf-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x: [\n", 5), 5);
	close(fd);
	assert_int_equal(hu_conf_load_file(path, &c, &err), -EINVAL);
	assert_non_null(strstr(hu_err_msg(&err), path));
	unlink(path);
	assert_int_equal(hu_conf_load_file(path, &c, &err), -ENOENT);
	assert_int_equal(hu_conf_load_file("/tmp", &c, &err), -EISDIR);
	hu_err_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(structure), cmocka_unit_test(refused),   cmocka_unit_test(keys),
		cmocka_unit_test(typed),     cmocka_unit_test(durations), cmocka_unit_test(sizes),
		cmocka_unit_test(files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
