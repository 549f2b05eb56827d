/* SPDX-License-Identifier: MIT */
/*
 * The month's series, read document by document: every certificate each
 * HTTPS endpoint served (for the timeline), and each database account's
 * connections per day against its limits (for the chart).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"

int report_series_init(struct report_series *s)
{
	s->certs = json_object();
	s->db = json_object();
	if (!s->certs || !s->db) {
		report_series_clear(s);
		return -ENOMEM;
	}
	return 0;
}

void report_series_clear(struct report_series *s)
{
	json_decref(s->certs);
	json_decref(s->db);
	*s = (struct report_series){ 0 };
}

static bool has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A handshake's certificate (facts of a tls.* finding with a fingerprint and a name). */
static int add_cert(struct report_series *s, const json_t *facts, time_t at)
{
	const char *fp = json_string_value(json_object_get(facts, "fingerprint_sha256"));
	const char *name = json_string_value(json_object_get(facts, "name"));
	json_t *port = json_object_get(facts, "port");
	char endpoint[512];

	if (!fp || !name || !json_is_integer(port) || json_object_get(facts, "file"))
		return 0;
	snprintf(endpoint, sizeof(endpoint), "%s:%lld", name, (long long)json_integer_value(port));
	json_t *ep = json_object_get(s->certs, endpoint);
	if (!ep && json_object_set_new(s->certs, endpoint, ep = json_object()) < 0)
		return -ENOMEM;
	json_t *c = json_object_get(ep, fp);
	if (!c) {
		c = json_pack("{s:s,s:s,s:O?,s:O?,s:O?,s:O?,s:I}", "endpoint", endpoint,
			      "fingerprint", fp, "subject", json_object_get(facts, "subject"),
			      "issuer", json_object_get(facts, "issuer"), "not_before",
			      json_object_get(facts, "not_before"), "not_after",
			      json_object_get(facts, "not_after"), "first_seen", (json_int_t)at);
		if (!c || json_object_set_new(ep, fp, c) < 0)
			return -ENOMEM;
	}
	return json_object_set_new(c, "last_seen", json_integer(at)) < 0 ? -ENOMEM : 0;
}

/* v raised to the integer value of fact, when the fact is an integer. */
static void raise_to(json_t *o, const char *key, const json_t *fact)
{
	json_t *cur = json_object_get(o, key);

	if (json_is_integer(fact) && (!cur || json_integer_value(fact) > json_integer_value(cur)))
		json_object_set_new(o, key, json_integer(json_integer_value(fact)));
}

/* A db.* finding of an account the check reached. */
static int add_db(struct report_series *s, const char *account, const json_t *facts, time_t at)
{
	json_t *mc = json_object_get(facts, "max_connections");
	struct tm tm;
	char day[16];

	if (!account || !json_is_integer(mc) || !gmtime_r(&at, &tm))
		return 0;
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	json_t *a = json_object_get(s->db, account);
	if (!a && (json_object_set_new(s->db, account, a = json_object()) < 0 ||
		   json_object_set_new(a, "days", json_object()) < 0))
		return -ENOMEM;
	/* The limits as last seen: the account's own, else the global one; 0 is none. */
	json_int_t own = json_integer_value(json_object_get(facts, "max_user_connections_account"));
	json_int_t global =
	    json_integer_value(json_object_get(facts, "max_user_connections_global"));
	json_object_set_new(a, "account", json_string(account));
	json_object_set(a, "max_connections", mc);
	json_object_set_new(a, "user_limit",
			    own > 0      ? json_integer(own)
			    : global > 0 ? json_integer(global)
					 : json_null());
	json_t *days = json_object_get(a, "days");
	json_t *d = json_object_get(days, day);
	if (!d && json_object_set_new(days, day, d = json_pack("{s:s}", "day", day)) < 0)
		return -ENOMEM;
	raise_to(d, "server", json_object_get(facts, "threads_connected"));
	raise_to(d, "account", json_object_get(facts, "user_connections"));
	raise_to(d, "peak", json_object_get(facts, "max_used_connections"));
	return 0;
}

int report_series_add(struct report_series *s, const json_t *site, time_t at)
{
	size_t i;
	json_t *f;
	int r = 0;

	json_array_foreach(json_object_get(site, "findings"), i, f)
	{
		const char *code = json_string_value(json_object_get(f, "code"));
		json_t *facts = json_object_get(f, "facts");
		if (has_prefix(code, "tls."))
			r = add_cert(s, facts, at);
		else if (has_prefix(code, "db."))
			r = add_db(s, json_string_value(json_object_get(f, "target")), facts, at);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The values of o (an object keyed in order) as an array. */
static json_t *values(const json_t *o)
{
	json_t *a = json_array();
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) json_array_append(a, v);
	return a;
}

/* Sort keys: jansson keeps insertion order, so rebuild objects sorted by key. */
static json_t *sorted_values(const json_t *o)
{
	char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	json_t *back = text ? json_loads(text, 0, NULL) : NULL;
	json_t *a = back ? values(back) : NULL;

	free(text);
	json_decref(back);
	return a;
}

int report_series_finish(struct report_series *s, json_t *model)
{
	json_t *certs = json_array(), *db = sorted_values(s->db);
	const char *k;
	json_t *v;
	size_t i;

	/* Each endpoint's certificates in the order they were first seen. */
	json_object_foreach(s->certs, k, v)
	{
		json_t *list = values(v);
		json_array_append_new(certs, json_pack("{s:s,s:o}", "endpoint", k, "certs", list));
	}
	json_array_foreach(db, i, v)
	    json_object_set_new(v, "days", sorted_values(json_object_get(v, "days")));
	int r = certs && db && json_object_set_new(model, "certs", certs) == 0 &&
			json_object_set_new(model, "db", db) == 0
		    ? 0
		    : -ENOMEM;
	report_series_clear(s);
	return r;
}
