/* SPDX-License-Identifier: MIT */
/*
 * The alert state in the SQLite store: transitions queued with the document
 * that caused them, one delivery per channel, sites that vanish, silent and
 * revoked agents, repeats, and the queue's order and retries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"

struct fixture {
	char dir[64];
	char db[96];
	struct store *s;
	struct store_alerts alerts;
	int docs;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct hu_err err = HU_ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/huolto-alerts.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/c.db", f->dir);
	if (store_sqlite_open(f->db, &f->s, &err) < 0)
		return -1;
	f->alerts = (struct store_alerts){
		.policy = { .count = 2, .of = 3, .statuses = 1u << HU_CRITICAL, .repeat_s = 3600 },
		.channels = { "alertmanager", "webhook" },
		.n_channels = 2,
		.grace_s = 600,
	};
	if (f->s->ops->principal_add(f->s, STORE_AGENT, "web1", "aa", 1000, &err) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A document from web1 at now: site acme.fi with tls.expired of status, plus php.ok. */
static unsigned put(struct fixture *f, const char *site, const char *status, time_t now)
{
	char id[64];
	struct hu_err err = HU_ERR_INIT;
	struct store_put res;

	snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", ++f->docs);
	json_t *doc = json_pack("{s:s,s:s,s:s,s:{s:[]},s:[{s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:{s:i}},"
				"{s:s,s:s,s:n,s:s,s:{}}]}]}",
				"id", id, "generated_at", "2026-11-22T00:00:00Z", "status", status,
				"server", "findings", "sites", "name", site, "status", status,
				"findings", "code", "tls.expired", "status", status, "target",
				"acme.fi:443", "message", "expired", "facts", "days", -3, "code",
				"php.ok", "status", "ok", "target", "message", "fine", "facts");
	assert_non_null(doc);
	char *text = json_dumps(doc, JSON_COMPACT);
	struct store_doc d = { .id = id,
			       .agent = "web1",
			       .text = text,
			       .len = strlen(text),
			       .doc = doc,
			       .received_at = now,
			       .alerts = &f->alerts };
	int r = f->s->ops->document_put(f->s, &d, &res, &err);
	if (r < 0)
		fail_msg("document_put: %s", hu_err_msg(&err));
	assert_false(res.duplicate);
	free(text);
	json_decref(doc);
	return res.queued;
}

/* Every queued event, channel by channel, as "channel:event:code" words; emptied. */
static void drain(struct fixture *f, char *out, size_t len)
{
	struct hu_err err = HU_ERR_INIT;

	out[0] = 0;
	for (size_t c = 0; c < f->alerts.n_channels; c++) {
		struct store_queued q;
		int round = 0, r;
		while ((r = f->s->ops->queue_next(f->s, f->alerts.channels[c], 1 << 30, &q,
						  &err)) == 1) {
			json_t *e = json_loads(q.event, 0, NULL);
			size_t used = strlen(out);
			snprintf(out + used, len - used, "%s%s:%s:%s", used ? " " : "", q.channel,
				 json_string_value(json_object_get(e, "event")),
				 json_string_value(json_object_get(e, "code")));
			json_decref(e);
			assert_int_equal(f->s->ops->queue_done(f->s, q.id, &err), 0);
			store_queued_clear(&q);
			if (++round == 100)
				fail_msg("the queue did not drain");
		}
		assert_int_equal(r, 0);
	}
}

static long firing(struct fixture *f)
{
	json_t *l = NULL;
	struct hu_err err = HU_ERR_INIT;

	assert_int_equal(f->s->ops->alert_list(f->s, &l, &err), 0);
	long n = (long)json_array_size(json_object_get(l, "firing"));
	json_decref(l);
	return n;
}

static void test_fire_and_resolve(void **state)
{
	struct fixture *f = *state;
	char q[512];

	assert_int_equal(put(f, "acme.fi", "ok", 2000), 0);
	assert_int_equal(put(f, "acme.fi", "critical", 2100), 0); /* one of three */
	assert_int_equal(put(f, "acme.fi", "critical", 2200), 2); /* two: fires, per channel */
	assert_int_equal(firing(f), 1);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:firing:tls.expired webhook:firing:tls.expired");
	assert_int_equal(put(f, "acme.fi", "critical", 2300), 0);
	assert_int_equal(put(f, "acme.fi", "ok", 2400), 0);
	assert_int_equal(put(f, "acme.fi", "ok", 2500), 2);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:resolved:tls.expired webhook:resolved:tls.expired");
	assert_int_equal(firing(f), 0);
}

static void test_event_content(void **state)
{
	struct fixture *f = *state;
	struct store_queued q;
	struct hu_err err = HU_ERR_INIT;

	put(f, "acme.fi", "critical", 2100);
	put(f, "acme.fi", "critical", 2200);
	assert_int_equal(f->s->ops->queue_next(f->s, "webhook", 2200, &q, &err), 1);
	assert_string_equal(q.channel, "webhook");
	json_t *e = json_loads(q.event, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(e, "site")), "acme.fi");
	assert_string_equal(json_string_value(json_object_get(e, "target")), "acme.fi:443");
	assert_string_equal(json_string_value(json_object_get(e, "severity")), "critical");
	/* Since the first failure, not the one that fired. */
	assert_string_equal(json_string_value(json_object_get(e, "since")), "1970-01-01T00:35:00Z");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "facts"), "days")),
			 -3);
	assert_string_equal(json_string_value(json_object_get(e, "document")),
			    "00000000-0000-4000-8000-000000000002");
	json_decref(e);
	store_queued_clear(&q);
	/* A channel nobody configured has nothing. */
	assert_int_equal(f->s->ops->queue_next(f->s, "smtp", 2200, &q, &err), 0);
}

static void test_site_gone(void **state)
{
	struct fixture *f = *state;
	char q[512];

	put(f, "acme.fi", "critical", 2100);
	put(f, "acme.fi", "critical", 2200);
	drain(f, q, sizeof(q));
	/* The site leaves the server: its alert resolves after count documents. */
	assert_int_equal(put(f, "other.fi", "ok", 2300), 0);
	assert_int_equal(put(f, "other.fi", "ok", 2400), 2);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:resolved:tls.expired webhook:resolved:tls.expired");
	assert_int_equal(firing(f), 0);
}

static void test_retry_keeps_order(void **state)
{
	struct fixture *f = *state;
	struct store_queued q;
	struct hu_err err = HU_ERR_INIT;

	put(f, "acme.fi", "critical", 2100);
	put(f, "acme.fi", "critical", 2200); /* firing queued */
	put(f, "acme.fi", "ok", 2300);
	put(f, "acme.fi", "ok", 2400); /* resolved queued behind it */
	/* The webhook's firing fails: it waits, and its resolved waits behind it. */
	assert_int_equal(f->s->ops->queue_next(f->s, "webhook", 2400, &q, &err), 1);
	int64_t failed = q.id;
	assert_int_equal(f->s->ops->queue_retry(f->s, failed, 2500, "HTTP 503", &err), 0);
	store_queued_clear(&q);
	assert_int_equal(f->s->ops->queue_next(f->s, "webhook", 2499, &q, &err), 0);
	/* Alertmanager is not held up by it. */
	assert_int_equal(f->s->ops->queue_next(f->s, "alertmanager", 2400, &q, &err), 1);
	assert_int_equal(f->s->ops->queue_done(f->s, q.id, &err), 0);
	store_queued_clear(&q);
	assert_int_equal(f->s->ops->queue_next(f->s, "alertmanager", 2400, &q, &err), 1);
	assert_non_null(strstr(q.event, "\"resolved\""));
	store_queued_clear(&q);
	/* Due again: the same one, counted. */
	assert_int_equal(f->s->ops->queue_next(f->s, "webhook", 2500, &q, &err), 1);
	assert_int_equal(q.id, failed);
	assert_int_equal(q.attempts, 1);
	assert_non_null(strstr(q.event, "\"firing\""));
	store_queued_clear(&q);
	json_t *l = NULL;
	assert_int_equal(f->s->ops->alert_list(f->s, &l, &err), 0);
	json_t *wh = json_array_get(json_object_get(l, "queue"), 1);
	assert_string_equal(json_string_value(json_object_get(wh, "channel")), "webhook");
	assert_int_equal(json_integer_value(json_object_get(wh, "queued")), 2);
	assert_string_equal(json_string_value(json_object_get(wh, "last_error")), "HTTP 503");
	json_decref(l);
}

static void test_silent_agent(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	unsigned queued = 0;
	char q[512];

	put(f, "acme.fi", "ok", 2000);
	/* Within grace: nothing. */
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 2600, &queued, &err), 0);
	assert_int_equal(queued, 0);
	/* Past it: agent.silent at once, once. */
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 2601, &queued, &err), 0);
	assert_int_equal(queued, 2);
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 2700, &queued, &err), 0);
	assert_int_equal(queued, 0);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:firing:agent.silent webhook:firing:agent.silent");
	/* Repeat after repeat_s. */
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 2601 + 3600, &queued, &err), 0);
	assert_int_equal(queued, 2);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:repeat:agent.silent webhook:repeat:agent.silent");
	/* The next document resolves it. */
	assert_int_equal(put(f, "acme.fi", "ok", 9000), 2);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:resolved:agent.silent webhook:resolved:agent.silent");
	assert_int_equal(firing(f), 0);

	/* Silent, then revoked: resolved, not repeated for ever. */
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 10000, &queued, &err), 0);
	assert_int_equal(queued, 2);
	drain(f, q, sizeof(q));
	assert_int_equal(f->s->ops->principal_revoke(f->s, STORE_AGENT, "web1", 10001, &err), 0);
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 10002, &queued, &err), 0);
	assert_int_equal(queued, 2);
	drain(f, q, sizeof(q));
	assert_string_equal(q, "alertmanager:resolved:agent.silent webhook:resolved:agent.silent");
}

static void test_repeat_by_tick(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	unsigned queued = 0;
	char q[512];

	put(f, "acme.fi", "critical", 2100);
	put(f, "acme.fi", "critical", 2200);
	drain(f, q, sizeof(q));
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 2200 + 3599, &queued, &err), 0);
	drain(f, q, sizeof(q));
	assert_null(strstr(q, "repeat:tls"));
	assert_int_equal(f->s->ops->alert_tick(f->s, &f->alerts, 2200 + 3600, &queued, &err), 0);
	drain(f, q, sizeof(q));
	assert_non_null(strstr(q, "alertmanager:repeat:tls.expired"));
}

static void test_no_alerts_configured(void **state)
{
	struct fixture *f = *state;
	char id[] = "00000000-0000-4000-8000-00000000ffff";
	struct hu_err err = HU_ERR_INIT;
	struct store_put res;
	json_t *doc = json_pack("{s:s,s:s,s:{s:[{s:s,s:s,s:n,s:s,s:{}}]},s:[]}", "generated_at",
				"2026-11-22T00:00:00Z", "status", "critical", "server", "findings",
				"code", "php.eol", "status", "critical", "target", "message", "eol",
				"facts", "sites");
	struct store_doc d = {
		.id = id, .agent = "web1", .text = "{}", .len = 2, .doc = doc, .received_at = 1
	};

	for (int i = 0; i < 3; i++) {
		id[35] = (char)('a' + i);
		assert_int_equal(f->s->ops->document_put(f->s, &d, &res, &err), 0);
		assert_int_equal(res.queued, 0);
	}
	json_decref(doc);
	assert_int_equal(firing(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fire_and_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_site_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_keeps_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_by_tick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_alerts_configured, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
