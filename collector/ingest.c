/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "huolto/buf.h"
#include "catalog_eval.h"
#include "ingest.h"

/* The first few schema problems, "path: problem; ...". */
struct problems {
	struct hu_buf text;
	char *field; /* the first problem's path */
	size_t field_size;
};

static void note(void *ctx, const char *path, const char *problem)
{
	struct problems *p = ctx;

	if (!p->text.len)
		snprintf(p->field, p->field_size, "%s", path);
	hu_buf_printf(&p->text, "%s%s: %s", p->text.len ? "; " : "", path, problem);
}

/* A version 4 UUID as the agent makes them, in any case. */
static bool uuid_like(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static int validate(const struct hu_schema *schema, json_t *doc, struct ingest_result *ret,
		    struct hu_err *err)
{
	struct problems p = { .text = HU_BUF_INIT(2048),
			      .field = ret->field,
			      .field_size = sizeof(ret->field) };
	long n = hu_schema_check(schema, doc, 0, 5, note, &p, NULL);
	int r = 0;

	if (n < 0)
		r = (int)n;
	else if (n > 0)
		r = hu_err_set(err, -EBADMSG, "%s%s", p.text.data ? p.text.data : "invalid",
			       n > 5 ? " (and more)" : "");
	hu_buf_clear(&p.text);
	if (r < 0)
		return r;
	json_int_t v = json_integer_value(json_object_get(doc, "schema"));
	if (v != 1) {
		snprintf(ret->field, sizeof(ret->field), "schema");
		return hu_err_set(err, -EBADMSG,
				  "schema: version %lld is not one this collector reads (1)",
				  (long long)v);
	}
	if (!uuid_like(json_string_value(json_object_get(doc, "id")))) {
		snprintf(ret->field, sizeof(ret->field), "id");
		return hu_err_set(err, -EBADMSG, "id: not a UUID");
	}
	if (!json_string_length(json_object_get(json_object_get(doc, "agent"), "name"))) {
		snprintf(ret->field, sizeof(ret->field), "agent.name");
		return hu_err_set(err, -EBADMSG, "agent.name: empty");
	}
	return 0;
}

int ingest(struct store *s, const struct hu_schema *schema, const struct store_alerts *alerts,
	   struct catalog_live *catalog, const char *text, size_t len, const char *agent,
	   time_t now, struct ingest_result *ret, struct hu_err *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	int r;

	ret->field[0] = 0;
	if (!doc)
		return hu_err_set(err, -EBADMSG, "not JSON: line %d, column %d: %s", je.line,
				  je.column, je.text);
	r = validate(schema, doc, ret, err);
	const char *name =
	    json_string_value(json_object_get(json_object_get(doc, "agent"), "name"));
	if (r >= 0 && agent && strcmp(agent, name) != 0) {
		snprintf(ret->field, sizeof(ret->field), "agent.name");
		r = hu_err_set(err, -EPERM,
			       "agent.name: \"%s\", but the credential is agent \"%s\"'s", name,
			       agent);
	}
	if (r >= 0 && catalog) {
		struct catalog_index *idx = catalog_live_get(catalog);
		if (idx && catalog_eval_doc(idx, doc, now) < 0)
			r = hu_err_set(err, -ENOMEM,
				       "evaluating against the catalog: out of memory");
		catalog_live_put(catalog, idx);
	}
	if (r >= 0) {
		struct store_doc d = {
			.id = json_string_value(json_object_get(doc, "id")),
			.agent = name,
			.text = text,
			.len = len,
			.doc = doc,
			.received_at = now,
			.alerts = alerts,
		};
		struct store_put put;
		r = s->ops->document_put(s, &d, &put, err);
		if (r >= 0) {
			snprintf(ret->id, sizeof(ret->id), "%s", d.id);
			ret->duplicate = put.duplicate;
			ret->alerts_queued = put.queued;
		}
	}
	json_decref(doc);
	return r;
}
