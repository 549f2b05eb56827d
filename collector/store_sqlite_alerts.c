/* SPDX-License-Identifier: MIT */
/*
 * The alert state and the delivery queue in SQLite. A transition and the
 * deliveries it queues are written in the transaction that stores the
 * document (or in the tick's own), so that a crash loses neither and
 * repeats neither.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/report.h"
#include "store_sqlite_int.h"

#define SILENT_CODE "agent.silent"

const char sq_alerts_migration[] =
    /* One row per (agent, site, code, target) that failed lately or is firing. */
    "CREATE TABLE alerts ("
    " agent TEXT NOT NULL,"
    " site TEXT NOT NULL," /* '' for the server's own findings */
    " code TEXT NOT NULL,"
    " target TEXT NOT NULL," /* '' when the finding has none */
    " history INTEGER NOT NULL,"
    " seen INTEGER NOT NULL,"
    " firing INTEGER NOT NULL,"
    " severity TEXT NOT NULL,"
    " since INTEGER NOT NULL,"
    " notified INTEGER NOT NULL,"
    " status TEXT NOT NULL,"
    " message TEXT,"
    " facts TEXT,"
    " document TEXT,"
    " mark INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (agent, site, code, target));"
    "CREATE INDEX alerts_firing ON alerts(firing, notified);"
    /* Deliveries: one row per event and channel, removed once delivered. */
    "CREATE TABLE alert_queue ("
    " id INTEGER PRIMARY KEY,"
    " channel TEXT NOT NULL,"
    " event TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_at INTEGER NOT NULL,"
    " last_error TEXT);"
    "CREATE INDEX alert_queue_channel ON alert_queue(channel, id);";

static enum hu_status status_of(const char *name)
{
	enum hu_status s = name ? hu_status_from_name(name) : _HU_STATUS_INVALID;

	return s == _HU_STATUS_INVALID ? HU_UNKNOWN : s;
}

static int sqa_prepare_all(struct sqa *a)
{
	int r;

	if ((r = sq_prepare(a->db,
			    "SELECT history, seen, firing, severity, since, notified FROM alerts "
			    "WHERE agent = ?1 AND site = ?2 AND code = ?3 AND target = ?4",
			    &a->get, a->err)) < 0 ||
	    (r = sq_prepare(
		 a->db,
		 "INSERT INTO alerts (agent, site, code, target, history, seen, firing,"
		 " severity, since, notified, status, message, facts, document, mark) "
		 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0) "
		 "ON CONFLICT (agent, site, code, target) DO UPDATE SET "
		 "history = excluded.history, seen = excluded.seen,"
		 " firing = excluded.firing, severity = excluded.severity,"
		 " since = excluded.since, notified = excluded.notified,"
		 " status = excluded.status,"
		 " message = coalesce(excluded.message, alerts.message),"
		 " facts = coalesce(excluded.facts, alerts.facts),"
		 " document = coalesce(excluded.document, alerts.document), mark = 0",
		 &a->put, a->err)) < 0 ||
	    (r = sq_prepare(a->db,
			    "DELETE FROM alerts "
			    "WHERE agent = ?1 AND site = ?2 AND code = ?3 AND target = ?4",
			    &a->del, a->err)) < 0)
		return r;
	return sq_prepare(a->db,
			  "INSERT INTO alert_queue (channel, event, created_at, next_at) "
			  "VALUES (?, ?, ?, ?)",
			  &a->enqueue, a->err);
}

void sqa_free(struct sqa *a)
{
	sqlite3_finalize(a->get);
	sqlite3_finalize(a->put);
	sqlite3_finalize(a->del);
	sqlite3_finalize(a->enqueue);
	a->get = a->put = a->del = a->enqueue = NULL;
}

static void bind_key(sqlite3_stmt *st, const struct alert_subject *s)
{
	sqlite3_reset(st);
	sq_bind_text(st, 1, s->agent);
	sq_bind_text(st, 2, s->site);
	sq_bind_text(st, 3, s->code);
	sq_bind_text(st, 4, s->target);
}

/* s's track: 0 and *found, or a new one. */
static int load(struct sqa *a, const struct alert_subject *s, struct alert_track *t, bool *found)
{
	bind_key(a->get, s);
	int rc = sqlite3_step(a->get);

	*t = (struct alert_track){ 0 };
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		t->history = (uint32_t)sqlite3_column_int64(a->get, 0);
		t->seen = (unsigned)sqlite3_column_int(a->get, 1);
		t->firing = sqlite3_column_int(a->get, 2) != 0;
		t->status = status_of((const char *)sqlite3_column_text(a->get, 3));
		t->since = (time_t)sqlite3_column_int64(a->get, 4);
		t->notified = (time_t)sqlite3_column_int64(a->get, 5);
	} else if (rc != SQLITE_DONE) {
		return sq_db_error(a->db, a->err, "reading the alert state");
	}
	sqlite3_reset(a->get);
	return 0;
}

/* Remember t for s, or forget s when there is nothing to remember. */
static int save(struct sqa *a, const struct alert_subject *s, const struct alert_track *t)
{
	sqlite3_stmt *st;

	if (alert_track_idle(&a->cfg->policy, t)) {
		st = a->del;
		bind_key(st, s);
	} else {
		st = a->put;
		bind_key(st, s);
		sqlite3_bind_int64(st, 5, t->history);
		sqlite3_bind_int(st, 6, (int)t->seen);
		sqlite3_bind_int(st, 7, t->firing);
		sq_bind_text(st, 8, hu_status_name(t->firing ? t->status : s->status));
		sqlite3_bind_int64(st, 9, (sqlite3_int64)t->since);
		sqlite3_bind_int64(st, 10, (sqlite3_int64)t->notified);
		sq_bind_text(st, 11, hu_status_name(s->status));
		sq_bind_text(st, 12, s->message);
		sq_bind_text(st, 13, s->facts);
		sq_bind_text(st, 14, s->document);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_db_error(a->db, a->err, "storing the alert state");
	return 0;
}

/* Queue the event for every channel. */
static int enqueue(struct sqa *a, const char *event, const struct alert_subject *s,
		   enum hu_status severity, time_t since)
{
	json_t *e = alert_event_new(event, s, severity, since, a->now);
	char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
	int r = text ? 0 : -ENOMEM;

	json_decref(e);
	for (size_t i = 0; r >= 0 && i < a->cfg->n_channels; i++) {
		sqlite3_reset(a->enqueue);
		sq_bind_text(a->enqueue, 1, a->cfg->channels[i]);
		sq_bind_text(a->enqueue, 2, text);
		sqlite3_bind_int64(a->enqueue, 3, (sqlite3_int64)a->now);
		sqlite3_bind_int64(a->enqueue, 4, (sqlite3_int64)a->now);
		if (sqlite3_step(a->enqueue) != SQLITE_DONE)
			r = sq_db_error(a->db, a->err, "queueing an alert");
		else
			a->queued++;
	}
	free(text);
	return r;
}

/* The events of one transition from before to after. */
static int emit(struct sqa *a, enum alert_event ev, const struct alert_subject *s,
		const struct alert_track *before, const struct alert_track *after)
{
	int r = 0;

	switch (ev) {
	case ALERT_FIRING:
		return enqueue(a, "firing", s, after->status, after->since);
	case ALERT_REPEAT:
		return enqueue(a, "repeat", s, after->status, after->since);
	case ALERT_CHANGED:
		/* Another severity is another alert for Alertmanager: close the old one. */
		r = enqueue(a, "resolved", s, before->status, before->since);
		return r < 0 ? r : enqueue(a, "firing", s, after->status, after->since);
	case ALERT_RESOLVED:
		return enqueue(a, "resolved", s, before->status, before->since);
	default:
		return 0;
	}
}

int sqa_begin(struct sqa *a, sqlite3 *db, const struct store_alerts *cfg, const char *agent,
	      time_t now, struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	*a = (struct sqa){ .db = db, .cfg = cfg, .now = now, .err = err };
	r = sqa_prepare_all(a);
	if (r < 0 || !agent)
		return r;
	/* What this document does not report again stays marked. */
	r = sq_prepare(db,
		       "UPDATE alerts SET mark = 1 WHERE agent = ? AND code <> '" SILENT_CODE "'",
		       &st, err);
	if (r < 0)
		return r;
	sq_bind_text(st, 1, agent);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(db, err, "marking the alert state");
	sqlite3_finalize(st);
	return r;
}

int sqa_finding(struct sqa *a, const struct alert_subject *s)
{
	struct alert_track t, before;
	bool found;
	int r = load(a, s, &t, &found);

	if (r < 0)
		return r;
	if (!found && !alert_fails(&a->cfg->policy, s->status))
		return 0; /* fine, and nothing open: the common case costs one lookup */
	before = t;
	enum alert_event ev = alert_step(&a->cfg->policy, &t, s->status, a->now);
	r = emit(a, ev, s, &before, &t);
	return r < 0 ? r : save(a, s, &t);
}

/* A row of alerts (as sq_rows gives it) as a subject, its status replaced when status >= 0. */
static struct alert_subject row_subject(json_t *row, int status)
{
	return (struct alert_subject){
		.agent = json_string_value(json_object_get(row, "agent")),
		.site = json_string_value(json_object_get(row, "site")),
		.code = json_string_value(json_object_get(row, "code")),
		.target = json_string_value(json_object_get(row, "target")),
		.status = status >= 0
			      ? (enum hu_status)status
			      : status_of(json_string_value(json_object_get(row, "status"))),
		.message = status >= 0 ? NULL : json_string_value(json_object_get(row, "message")),
		.facts = status >= 0 ? NULL : json_string_value(json_object_get(row, "facts")),
		.document = json_string_value(json_object_get(row, "document")),
	};
}

/* The rows of sql, its one parameter (if any) bound to text or, when text is NULL, number. */
static int select_rows(sqlite3 *db, const char *sql, const char *text, int64_t number, json_t **ret,
		       struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, sql, &st, err);

	if (r < 0)
		return r;
	if (text)
		sq_bind_text(st, 1, text);
	else if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, number);
	r = sq_rows(db, st, ret, err);
	sqlite3_finalize(st);
	return r;
}

/* agent.silent of agent. */
static struct alert_subject silent_subject(const char *agent, enum hu_status status,
					   const char *message, const char *facts)
{
	return (struct alert_subject){
		.agent = agent,
		.site = "",
		.code = SILENT_CODE,
		.target = agent,
		.status = status,
		.message = message,
		.facts = facts,
	};
}

/* Resolve s without hysteresis (when it fires) and forget it. */
static int resolve_now(struct sqa *a, const struct alert_subject *s)
{
	struct alert_track t;
	bool found;
	int r = load(a, s, &t, &found);

	if (r < 0 || !found)
		return r;
	if (t.firing)
		r = enqueue(a, "resolved", s, t.status, t.since);
	if (r >= 0) {
		t = (struct alert_track){ 0 };
		r = save(a, s, &t);
	}
	return r;
}

int sqa_end(struct sqa *a, const char *agent, const char *document)
{
	json_t *gone = NULL, *row;
	size_t i;
	int r = select_rows(
	    a->db, "SELECT agent, site, code, target FROM alerts WHERE agent = ? AND mark = 1",
	    agent, 0, &gone, a->err);

	/* No longer reported counts as fine: a removed site's alerts resolve. */
	json_array_foreach(gone, i, row)
	{
		if (r < 0)
			break;
		struct alert_subject s = row_subject(row, HU_OK);
		s.document = document;
		r = sqa_finding(a, &s);
	}
	json_decref(gone);
	if (r < 0)
		return r;

	/* A document from a silent agent resolves agent.silent at once. */
	struct alert_subject s = silent_subject(agent, HU_OK, "The agent reports again.", NULL);
	s.document = document;
	return resolve_now(a, &s);
}

/* ---- the periodic part -------------------------------------------------- */

static int silent_agents(struct sqa *a)
{
	const struct store_alerts *cfg = a->cfg;
	json_t *agents = NULL, *row;
	size_t i;
	int r = select_rows(a->db,
			    "SELECT p.name AS agent, coalesce((SELECT max(received_at) FROM "
			    "documents d WHERE d.agent = p.name), p.created_at) AS last "
			    "FROM principals p WHERE p.role = 'agent' AND p.revoked_at IS NULL "
			    "ORDER BY p.name",
			    NULL, 0, &agents, a->err);

	json_array_foreach(agents, i, row)
	{
		if (r < 0)
			break;
		const char *agent = json_string_value(json_object_get(row, "agent"));
		time_t last = (time_t)json_integer_value(json_object_get(row, "last"));
		if (a->now - last <= cfg->grace_s)
			continue;
		char when[32], *message = NULL, *facts = NULL;
		hu_time_iso8601(last, when, sizeof(when));
		json_t *f = json_pack("{s:s,s:I}", "last_report", when, "grace_seconds",
				      (json_int_t)cfg->grace_s);
		facts = f ? json_dumps(f, JSON_COMPACT) : NULL;
		json_decref(f);
		bool hours = cfg->grace_s >= 3600;
		if (!facts ||
		    asprintf(&message,
			     "No report from agent %s since %s (heartbeat.grace %lld %s).", agent,
			     when, (long long)(hours ? cfg->grace_s / 3600 : cfg->grace_s),
			     hours ? "h" : "s") < 0) {
			free(facts);
			r = -ENOMEM;
			break;
		}
		struct alert_subject s = silent_subject(agent, HU_CRITICAL, message, facts);
		struct alert_track t;
		bool found;
		r = load(a, &s, &t, &found);
		if (r >= 0 && !t.firing) {
			/* No hysteresis: silence is measured here, not reported. */
			t = (struct alert_track){ .history = 1,
						  .seen = 1,
						  .firing = true,
						  .status = HU_CRITICAL,
						  .since = last,
						  .notified = a->now };
			r = enqueue(a, "firing", &s, t.status, t.since);
			if (r >= 0)
				r = save(a, &s, &t);
		}
		free(message);
		free(facts);
	}
	json_decref(agents);
	return r;
}

/* agent.silent of an agent whose credential was revoked: it is gone, not silent. */
static int revoked_agents(struct sqa *a)
{
	json_t *gone = NULL, *row;
	size_t i;
	int r =
	    select_rows(a->db,
			"SELECT agent, site, code, target, document FROM alerts "
			"WHERE code = '" SILENT_CODE "' AND agent NOT IN "
			"(SELECT name FROM principals WHERE role = 'agent' AND revoked_at IS NULL)",
			NULL, 0, &gone, a->err);

	json_array_foreach(gone, i, row)
	{
		if (r < 0)
			break;
		struct alert_subject s = row_subject(row, HU_OK);
		s.message = "The agent's credential was revoked.";
		r = resolve_now(a, &s);
	}
	json_decref(gone);
	return r;
}

static int repeats(struct sqa *a)
{
	json_t *due = NULL, *row;
	size_t i;
	int r = select_rows(a->db,
			    "SELECT agent, site, code, target, status, message, facts, document "
			    "FROM alerts WHERE firing = 1 AND notified <= ?1 ORDER BY agent, site, "
			    "code, target",
			    NULL, (int64_t)a->now - a->cfg->policy.repeat_s, &due, a->err);

	json_array_foreach(due, i, row)
	{
		if (r < 0)
			break;
		struct alert_subject s = row_subject(row, -1);
		struct alert_track t;
		bool found;
		r = load(a, &s, &t, &found);
		if (r >= 0 && alert_repeat_due(&a->cfg->policy, &t, a->now)) {
			r = enqueue(a, "repeat", &s, t.status, t.since);
			if (r >= 0)
				r = save(a, &s, &t);
		}
	}
	json_decref(due);
	return r;
}

int sqa_tick(sqlite3 *db, const struct store_alerts *cfg, time_t now, unsigned *ret_queued,
	     struct hu_err *err)
{
	struct sqa a;
	int r = sq_exec(db, "BEGIN IMMEDIATE", err);

	if (r < 0)
		return r;
	r = sqa_begin(&a, db, cfg, NULL, now, err);
	if (r >= 0)
		r = silent_agents(&a);
	if (r >= 0)
		r = revoked_agents(&a);
	if (r >= 0)
		r = repeats(&a);
	sqa_free(&a);
	if (r >= 0)
		r = sq_exec(db, "COMMIT", err);
	if (r < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return r;
	}
	*ret_queued = a.queued;
	return 0;
}

/* ---- the queue ---------------------------------------------------------- */

static char *column_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return strdup(s ? s : "");
}

int sqa_queue_next(sqlite3 *db, const char *channel, time_t now, struct store_queued *ret,
		   struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, r = sq_prepare(db,
			       "SELECT id, channel, event, created_at, attempts, next_at "
			       "FROM alert_queue WHERE channel = ? ORDER BY id LIMIT 1",
			       &st, err);

	if (r < 0)
		return r;
	sq_bind_text(st, 1, channel);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 5) <= (sqlite3_int64)now) {
		*ret = (struct store_queued){
			.id = sqlite3_column_int64(st, 0),
			.channel = column_dup(st, 1),
			.event = column_dup(st, 2),
			.created_at = (time_t)sqlite3_column_int64(st, 3),
			.attempts = sqlite3_column_int64(st, 4),
		};
		r = 1;
		if (!ret->channel || !ret->event) {
			store_queued_clear(ret);
			r = -ENOMEM;
		}
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = sq_db_error(db, err, "reading the alert queue");
	}
	sqlite3_finalize(st);
	return r;
}

static int change(sqlite3 *db, const char *sql, int64_t id, time_t next_at, const char *error,
		  struct hu_err *err)
{
	sqlite3_stmt *st = NULL;
	int r = sq_prepare(db, sql, &st, err);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) == 3) {
		sqlite3_bind_int64(st, 2, (sqlite3_int64)next_at);
		sq_bind_text(st, 3, error);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		r = sq_db_error(db, err, "updating the alert queue");
	sqlite3_finalize(st);
	return r;
}

int sqa_queue_done(sqlite3 *db, int64_t id, struct hu_err *err)
{
	return change(db, "DELETE FROM alert_queue WHERE id = ?1", id, 0, NULL, err);
}

int sqa_queue_retry(sqlite3 *db, int64_t id, time_t next_at, const char *error, struct hu_err *err)
{
	return change(db,
		      "UPDATE alert_queue SET attempts = attempts + 1, next_at = ?2, "
		      "last_error = ?3 WHERE id = ?1",
		      id, next_at, error, err);
}

int sqa_list(sqlite3 *db, json_t **ret, struct hu_err *err)
{
	json_t *firing = NULL, *queue = NULL;
	int r = select_rows(db,
			    "SELECT agent, nullif(site, '') AS site, code,"
			    " nullif(target, '') AS target, severity, status, message, since,"
			    " notified FROM alerts WHERE firing = 1 "
			    "ORDER BY since, agent, site, code, target",
			    NULL, 0, &firing, err);

	if (r >= 0)
		r = select_rows(db,
				"SELECT channel, count(*) AS queued, min(created_at) AS oldest,"
				" max(attempts) AS attempts, min(next_at) AS next_at,"
				" (SELECT last_error FROM alert_queue h WHERE h.channel = q.channel"
				" ORDER BY id LIMIT 1) AS last_error "
				"FROM alert_queue q GROUP BY channel ORDER BY channel",
				NULL, 0, &queue, err);
	if (r >= 0 && !(*ret = json_pack("{s:o,s:o}", "firing", firing, "queue", queue)))
		return -ENOMEM;
	if (r < 0) {
		json_decref(firing);
		json_decref(queue);
	}
	return r;
}
