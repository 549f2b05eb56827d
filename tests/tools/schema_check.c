/* SPDX-License-Identifier: MIT */
/*
 * Checks a report document against docs/report-schema.md strictly: every
 * field in the document must be documented there with a matching type, and
 * every field documented as required must be present (lib/schema.c, which
 * the collector uses leniently).
 *
 *   schema_check docs/report-schema.md < document.json
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "huolto/fileio.h"
#include "huolto/schema.h"

static void report(void *ctx, const char *path, const char *problem)
{
	(void)ctx;
	fprintf(stderr, "%s: %s\n", path, problem);
}

int main(int argc, char **argv)
{
	struct hu_schema *s = NULL;
	struct hu_err err = HU_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	json_error_t e;
	json_t *doc;

	if (argc != 2) {
		fprintf(stderr, "usage: schema_check SCHEMA.md < DOCUMENT.json\n");
		return 2;
	}
	if (hu_read_local_file(argv[1], 1 << 20, &text, &len, NULL, &err) < 0 ||
	    hu_schema_parse(argv[1], text, len, &s, &err) < 0) {
		fprintf(stderr, "%s\n", hu_err_msg(&err));
		return 2;
	}
	free(text);
	doc = json_loadf(stdin, JSON_REJECT_DUPLICATES, &e);
	if (!doc) {
		fprintf(stderr, "document: %d:%d: %s\n", e.line, e.column, e.text);
		return 2;
	}
	size_t n = hu_schema_size(s), seen_n = 0;
	bool *seen = calloc(n, sizeof(*seen));
	long errors =
	    seen ? hu_schema_check(s, doc, HU_SCHEMA_STRICT, 1000, report, NULL, seen) : -1;
	for (size_t i = 0; seen && i < n; i++)
		seen_n += seen[i];
	printf("%zu documented fields, %zu present in the document, %ld error%s\n", n, seen_n,
	       errors, errors == 1 ? "" : "s");
	free(seen);
	json_decref(doc);
	hu_schema_free(s);
	return errors ? 1 : 0;
}
