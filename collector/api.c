/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "huolto/buf.h"
#include "ingest.h"

void api_answer_clear(struct api_answer *a)
{
	free(a->body);
	*a = (struct api_answer){ 0 };
}

/* Answer with j (taken). */
static int answer_json(struct api_answer *ret, unsigned status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	if (!text)
		return -ENOMEM;
	api_answer_clear(ret);
	ret->status = status;
	ret->content_type = API_JSON;
	ret->body = text;
	ret->len = strlen(text);
	return 0;
}

int api_error(struct api_answer *ret, unsigned status, const char *field, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	json_t *j = json_pack("{s:s%}", "error", text, (size_t)n);
	free(text);
	if (j && field && field[0] && json_object_set_new(j, "field", json_string(field)) < 0) {
		json_decref(j);
		return -ENOMEM;
	}
	return answer_json(ret, status, j);
}

int api_report(const struct api *a, const char *agent, const char *text, size_t len, time_t now,
	       struct api_answer *ret, enum reject_reason *ret_reason)
{
	struct ingest_result res = { 0 };
	struct hu_err err = HU_ERR_INIT;
	char ebuf[128];
	int r =
	    ingest(a->store, a->schema, a->alerts, a->catalog, text, len, agent, now, &res, &err);

	if (r >= 0) {
		if (res.alerts_queued)
			alerter_kick(a->alerter);
		metrics_document(a->metrics, res.duplicate ? DOC_DUPLICATE : DOC_STORED);
		r = res.duplicate
			? answer_json(ret, 200,
				      json_pack("{s:s,s:s}", "id", res.id, "status", "duplicate"))
			: answer_json(ret, 201,
				      json_pack("{s:s,s:s}", "id", res.id, "status", "stored"));
		hu_err_clear(&err);
		return r;
	}
	const char *msg = hu_err_text(&err, r, ebuf, sizeof(ebuf));
	if (r == -EBADMSG) {
		*ret_reason = REJECT_INVALID;
		r = api_error(ret, 400, res.field, "%s", msg);
	} else if (r == -EPERM) {
		*ret_reason = REJECT_FORBIDDEN;
		r = api_error(ret, 403, res.field, "%s", msg);
	} else {
		*ret_reason = REJECT_ERROR;
		r = api_error(ret, 500, NULL, "storing the document failed: %s", msg);
	}
	metrics_reject(a->metrics, *ret_reason);
	hu_err_clear(&err);
	return r;
}

long api_agents_silent(const json_t *agents, time_t now, int64_t grace_ms)
{
	long n = 0;
	size_t i;
	json_t *o;

	json_array_foreach((json_t *)agents, i, o)
	{
		if (!json_is_null(json_object_get(o, "revoked_at")))
			continue;
		json_t *last = json_object_get(o, "last_report");
		json_int_t t = json_integer_value(
		    json_is_integer(last) ? last : json_object_get(o, "created_at"));
		if ((int64_t)(now - t) * 1000 > grace_ms)
			n++;
	}
	return n;
}

/* The store's error as a 500 answer. */
static int store_failed(struct api_answer *ret, int r, struct hu_err *err)
{
	char ebuf[128];
	const char *msg = hu_err_text(err, r, ebuf, sizeof(ebuf));

	r = api_error(ret, 500, NULL, "storage: %s", msg);
	hu_err_clear(err);
	return r;
}

int api_read(const struct api *a, const char *path, struct api_answer *ret)
{
	struct store *s = a->store;
	struct hu_err err = HU_ERR_INIT;
	json_t *j = NULL;
	int r;

	if (strcmp(path, "sites") == 0) {
		r = s->ops->site_list(s, &j, &err);
	} else if (strcmp(path, "alerts") == 0) {
		r = s->ops->alert_list(s, &j, &err);
	} else if (strcmp(path, "agents") == 0) {
		r = s->ops->principal_list(s, STORE_AGENT, &j, &err);
	} else if (strncmp(path, "sites/", 6) == 0 && path[6] && !strchr(path + 6, '/')) {
		r = s->ops->site_get(s, path + 6, &j, &err);
		if (r == -ENOENT) {
			hu_err_clear(&err);
			return api_error(ret, 404, NULL, "no site named \"%s\"", path + 6);
		}
	} else {
		return api_error(ret, 404, NULL, "no such resource: /api/v1/%s", path);
	}
	if (r < 0)
		return store_failed(ret, r, &err);
	return answer_json(ret, 200, j);
}

int api_metrics(const struct api *a, time_t now, struct api_answer *ret)
{
	struct store *s = a->store;
	struct hu_err err = HU_ERR_INIT;
	struct hu_buf out = HU_BUF_INIT(0);
	json_t *state = NULL, *agents = NULL;
	int r = s->ops->counts(s, &state, &err);

	if (r >= 0)
		r = s->ops->principal_list(s, STORE_AGENT, &agents, &err);
	if (r < 0) {
		json_decref(state);
		return store_failed(ret, r, &err);
	}
	json_object_set_new(state, "agents_silent",
			    json_integer(api_agents_silent(agents, now, a->grace_ms)));
	json_decref(agents);
	r = metrics_render(a->metrics, state, &out);
	json_decref(state);
	if (r < 0) {
		hu_buf_clear(&out);
		return r;
	}
	api_answer_clear(ret);
	ret->status = 200;
	ret->content_type = API_METRICS;
	ret->len = out.len;
	ret->body = hu_buf_steal(&out);
	return ret->body ? 0 : -ENOMEM;
}
