/* SPDX-License-Identifier: MIT */
/*
 * The report document's schema, read from the tables of
 * docs/report-schema.md (the one place it is written down), and a check of
 * a document against it.
 *
 * A table row "| `path` | type | required | meaning |" documents one field:
 * path uses "[]" for array items (sites[].name); type is string, integer,
 * number, boolean, object, array or null, several written as "string or
 * null"; "object (free-form)" may hold any keys.
 */
#ifndef HUOLTO_SCHEMA_H
#define HUOLTO_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "huolto/err.h"

struct hu_schema;

/* Parse the Markdown text; name is used in errors. Fewer than 10 rows is an error. */
int hu_schema_parse(const char *name, const char *text, size_t len, struct hu_schema **ret,
		    struct hu_err *err);
void hu_schema_free(struct hu_schema *s);
/* The number of documented fields. */
size_t hu_schema_size(const struct hu_schema *s);

enum {
	/* Undocumented fields are errors (the test of the documentation); else ignored. */
	HU_SCHEMA_STRICT = 1 << 0,
};

/* One problem: the field's path in the document (sites[3].name) and what is wrong. */
typedef void (*hu_schema_report_fn)(void *ctx, const char *path, const char *problem);

/*
 * Check doc. Each problem goes to report (at most max_problems of them);
 * returns how many there were (counting beyond max_problems), or -ENOMEM.
 * seen, when not NULL, has hu_schema_size() entries and is set for each
 * documented field present.
 */
long hu_schema_check(const struct hu_schema *s, json_t *doc, unsigned flags, size_t max_problems,
		     hu_schema_report_fn report, void *ctx, bool *seen);

#endif
