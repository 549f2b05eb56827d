/* SPDX-License-Identifier: MIT */
/*
 * From the values one connection read to findings: use of max_connections
 * (now and at the peak since the server started), the account's use of its
 * own limit, and refused connections since the last run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static json_t *int_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *base_facts(const struct db_account *a)
{
	char *server = db_account_server(a);
	json_t *f = json_pack("{s:s?,s:s?,s:s?,s:s?}", "server", server, "user", a->user,
			      "database", a->database, "source", a->source);

	free(server);
	return f;
}

static json_t *facts(const struct db_account *a, const struct db_values *v)
{
	json_t *f = base_facts(a);

	if (!f)
		return NULL;
	json_object_set_new(f, "version", json_string(v->version));
	json_object_set_new(f, "flavour", json_string(v->flavour));
	json_object_set_new(f, "max_connections", int_or_null(v->max_connections));
	json_object_set_new(f, "max_user_connections_global",
			    int_or_null(v->max_user_connections_global));
	json_object_set_new(f, "max_user_connections_account",
			    int_or_null(v->max_user_connections_session));
	json_object_set_new(f, "threads_connected", int_or_null(v->threads_connected));
	json_object_set_new(f, "max_used_connections", int_or_null(v->max_used_connections));
	json_object_set_new(f, "max_used_connections_time",
			    v->max_used_connections_time ? json_string(v->max_used_connections_time)
							 : json_null());
	json_object_set_new(f, "uptime", int_or_null(v->uptime));
	json_object_set_new(f, "connection_errors_max_connections",
			    int_or_null(v->connection_errors_max_connections));
	json_object_set_new(f, "connection_errors", json_deep_copy(v->connection_errors));
	json_object_set_new(f, "aborted_connects", int_or_null(v->aborted_connects));
	json_object_set_new(f, "user_connections", int_or_null(v->user_connections));
	return f;
}

static enum hu_status level(int64_t used, int64_t limit, const struct db_policy *p)
{
	if (limit <= 0 || used < 0)
		return HU_OK;
	if (used * 100 >= limit * p->critical_percent)
		return HU_CRITICAL;
	if (used * 100 >= limit * p->warn_percent)
		return HU_WARNING;
	return HU_OK;
}

/* The account's own limit: its MAX_USER_CONNECTIONS, else the global one; 0 none. */
static int64_t account_limit(const struct db_values *v)
{
	if (v->max_user_connections_session > 0)
		return v->max_user_connections_session;
	return v->max_user_connections_global > 0 ? v->max_user_connections_global : 0;
}

int db_judge(const struct db_account *a, const struct db_values *v, const struct db_counter *prev,
	     const struct db_policy *p, struct hu_findings *out)
{
	char *target = db_account_target(a);
	size_t before = out->n;
	int r = 0;

	if (!target)
		return -ENOMEM;
	/* This check's own connection is not the site's use. */
	int64_t now = v->threads_connected > 0 ? v->threads_connected - 1 : v->threads_connected;
	int64_t peak = v->max_used_connections;
	enum hu_status sn = level(now, v->max_connections, p);
	enum hu_status sp = level(peak, v->max_connections, p);
	if (sn != HU_OK || sp != HU_OK) {
		bool by_now = hu_status_rank(sn) >= hu_status_rank(sp);
		json_t *f = facts(a, v);
		json_object_set_new(f, "measure", json_string(by_now ? "current" : "peak"));
		json_object_set_new(f, "used", json_integer(by_now ? now : peak));
		json_object_set_new(f, "limit", json_integer(v->max_connections));
		r = hu_findings_add(out, by_now ? sn : sp, "db.connections_near_limit", target, f,
				    "%s connections of max_connections %lld are in use (%s)",
				    by_now ? "current" : "peak", (long long)v->max_connections,
				    by_now ? "now" : "since the server started");
	}
	int64_t limit = account_limit(v);
	enum hu_status su = level(v->user_connections, limit, p);
	if (r >= 0 && su != HU_OK) {
		json_t *f = facts(a, v);
		json_object_set_new(f, "used", json_integer(v->user_connections));
		json_object_set_new(f, "limit", json_integer(limit));
		r = hu_findings_add(out, su, "db.user_connections_near_limit", target, f,
				    "account %s has %lld of its %lld connections open", a->user,
				    (long long)v->user_connections, (long long)limit);
	}
	/* A restart (uptime went back) resets the counter: all of it is new. */
	if (r >= 0 && prev->known && v->connection_errors_max_connections >= 0) {
		bool restarted = v->uptime >= 0 && v->uptime < prev->uptime;
		int64_t grew = restarted ? v->connection_errors_max_connections
					 : v->connection_errors_max_connections - prev->refused;
		if (grew > 0) {
			json_t *f = facts(a, v);
			json_object_set_new(f, "refused_since_last_run", json_integer(grew));
			json_object_set_new(f, "restarted", json_boolean(restarted));
			r = hu_findings_add(
			    out, HU_CRITICAL, "db.connections_refused", target, f,
			    "the server refused %lld connection(s) at max_connections "
			    "since the last run",
			    (long long)grew);
		}
	}
	if (r >= 0 && out->n == before) {
		json_t *f = facts(a, v);
		json_object_set_new(f, "baseline", json_boolean(!prev->known));
		r = hu_findings_add(out, HU_OK, "db.ok", target, f,
				    "%s %s: %lld of %lld connections in use, peak %lld", v->flavour,
				    v->version, (long long)now, (long long)v->max_connections,
				    (long long)peak);
	}
	free(target);
	return r;
}

int db_judge_failure(const struct db_account *a, unsigned server_errno, const char *message,
		     struct hu_findings *out)
{
	char *target = db_account_target(a);
	json_t *f = base_facts(a);
	const char *code = "db.unreachable";
	int r;

	if (!target || !f) {
		free(target);
		json_decref(f);
		return -ENOMEM;
	}
	json_object_set_new(f, "errno", json_integer(server_errno));
	json_object_set_new(f, "error", json_string(message));
	switch (server_errno) {
	case 1044: /* ER_DBACCESS_DENIED_ERROR */
	case 1045: /* ER_ACCESS_DENIED_ERROR */
	case 1698: /* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */
		code = "db.auth_failed";
		break;
	case 1040: /* ER_CON_COUNT_ERROR: max_connections reached */
		code = "db.connections_near_limit";
		json_object_set_new(f, "refused", json_true());
		break;
	case 1203: /* ER_TOO_MANY_USER_CONNECTIONS */
	case 1226: /* ER_USER_LIMIT_REACHED */
		code = "db.user_connections_near_limit";
		json_object_set_new(f, "refused", json_true());
		break;
	}
	r = hu_findings_add(out, HU_CRITICAL, code, target, f, "%s: %s", target, message);
	free(target);
	return r;
}
