/* SPDX-License-Identifier: MIT */
/*
 * The schema read from Markdown tables and documents checked against it:
 * required fields, types, array items with their index in the path,
 * free-form objects, and undocumented fields (strict and lenient).
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

#include "huolto/buf.h"
#include "huolto/schema.h"

static const char doc_md[] = "# A schema\n"
			     "\n"
			     "| field | type | required | meaning |\n"
			     "| --- | --- | --- | --- |\n"
			     "| `schema` | integer | yes | 1 |\n"
			     "| `id` | string | yes | |\n"
			     "| `score` | number | no | |\n"
			     "| `owner` | object | yes | |\n"
			     "| `owner.name` | string or null | yes | |\n"
			     "| `owner.mail` | string | no | |\n"
			     "| `sites` | array | yes | |\n"
			     "| `sites[]` | object | yes | |\n"
			     "| `sites[].name` | string | yes | |\n"
			     "| `sites[].facts` | object (free-form) | no | |\n"
			     "| `sites[].tags` | array | no | |\n"
			     "| `sites[].tags[]` | string | no | |\n"
			     "\n"
			     "| code | status | meaning |\n"
			     "| `cms.ok` | ok | not a field row: three cells |\n";

static void collect(void *ctx, const char *path, const char *problem)
{
	hu_buf_printf(ctx, "%s: %s\n", path, problem);
}

/* The problems found in json, one per line, or "" */
static char *problems(const struct hu_schema *s, const char *json, unsigned flags, long *ret_n)
{
	struct hu_buf b = HU_BUF_INIT(0);
	json_error_t e;
	json_t *doc = json_loads(json, 0, &e);

	assert_non_null(doc);
	*ret_n = hu_schema_check(s, doc, flags, 10, collect, &b, NULL);
	json_decref(doc);
	hu_buf_append(&b, "", 1);
	return hu_buf_steal(&b);
}

static void expect(const struct hu_schema *s, const char *json, unsigned flags, long n,
		   const char *want)
{
	long got;
	char *p = problems(s, json, flags, &got);

	if (got != n || strcmp(p, want) != 0)
		fail_msg("for %s: %ld problems, wanted %ld:\n%s---\nwanted:\n%s", json, got, n, p,
			 want);
	free(p);
}

static void checks(void **state)
{
	struct hu_schema *s = NULL;
	struct hu_err err = HU_ERR_INIT;
	(void)state;

	assert_int_equal(hu_schema_parse("t.md", doc_md, strlen(doc_md), &s, &err), 0);
	assert_int_equal(hu_schema_size(s), 12);

	const char *good =
	    "{\"schema\": 1, \"id\": \"x\", \"owner\": {\"name\": null},"
	    " \"sites\": [{\"name\": \"a\", \"facts\": {\"any\": [1]}, \"tags\": []}]}";
	expect(s, good, HU_SCHEMA_STRICT, 0, "");
	/* An integer where a number is documented is a number. */
	expect(s,
	       "{\"schema\": 1, \"id\": \"x\", \"score\": 3, \"owner\": {\"name\": \"n\"}, "
	       "\"sites\": []}",
	       HU_SCHEMA_STRICT, 0, "");
	expect(s, "[]", 0, 1, "(document): is an array, expected an object\n");
	expect(s, "{\"schema\": \"1\", \"owner\": {}, \"sites\": [{}, {\"name\": 5}]}", 0, 5,
	       "id: required, missing\n"
	       "schema: is a string, expected integer\n"
	       "owner.name: required, missing\n"
	       "sites[0].name: required, missing\n"
	       "sites[1].name: is an integer, expected string\n");
	/* Unknown fields: ignored, unless strict. */
	const char *extra = "{\"schema\": 1, \"id\": \"x\", \"owner\": {\"name\": null, \"x\": 1},"
			    " \"sites\": [{\"name\": \"a\", \"tags\": [\"t\", 2]}], \"new\": true}";
	expect(s, extra, 0, 1, "sites[0].tags[1]: is an integer, expected string\n");
	expect(s, extra, HU_SCHEMA_STRICT, 3,
	       "owner.x: not documented\n"
	       "sites[0].tags[1]: is an integer, expected string\n"
	       "new: not documented\n");
	hu_schema_free(s);

	/* Not a schema. */
	assert_int_equal(hu_schema_parse("readme.md", "# hello\n", 8, &s, &err), -EINVAL);
	assert_string_equal(hu_err_msg(&err), "readme.md: only 0 field rows; is it the schema?");
	hu_err_clear(&err);
}

/* A document with many problems: reported up to the cap, all counted. */
static void capped(void **state)
{
	struct hu_schema *s = NULL;
	struct hu_buf json = HU_BUF_INIT(0);
	long n;
	(void)state;

	assert_int_equal(hu_schema_parse("t.md", doc_md, strlen(doc_md), &s, NULL), 0);
	hu_buf_printf(&json,
		      "{\"schema\": 1, \"id\": \"x\", \"owner\": {\"name\": null}, \"sites\": [");
	for (int i = 0; i < 50; i++)
		hu_buf_printf(&json, "%s{}", i ? "," : "");
	hu_buf_printf(&json, "]}");
	char *p = problems(s, json.data, 0, &n);
	assert_true(n >= 11);
	assert_non_null(strstr(p, "sites[9].name: required, missing\n"));
	assert_null(strstr(p, "sites[10]"));
	free(p);
	hu_buf_clear(&json);
	hu_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks),
		cmocka_unit_test(capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
