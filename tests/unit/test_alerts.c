/* SPDX-License-Identifier: MIT */
/*
 * Alerts without a store: the N-of-M rule, repeats and severity changes;
 * the event's text; what each channel would send (Alertmanager body,
 * webhook signature, mail); the back-off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advice.h"
#include "alert_channel.h"
#include "alert_event.h"
#include "alert_rule.h"
#include "alerter.h"

static const struct alert_policy policy = {
	.count = 2, .of = 3, .statuses = 1u << HU_CRITICAL, .repeat_s = 3600
};

/* Feed statuses (o ok, w warning, c critical) one minute apart; the events as letters. */
static void run(const struct alert_policy *p, struct alert_track *t, const char *results,
		time_t *now, char *events)
{
	for (size_t i = 0; results[i]; i++) {
		enum hu_status s = results[i] == 'c'   ? HU_CRITICAL
				   : results[i] == 'w' ? HU_WARNING
						       : HU_OK;
		enum alert_event e = alert_step(p, t, s, *now);
		events[i] = "-FRCX"[e]; /* none, firing, repeat, changed, resolved */
		*now += 60;
	}
	events[strlen(results)] = 0;
}

static void check(const struct alert_policy *p, const char *results, const char *want)
{
	struct alert_track t = { 0 };
	time_t now = 1000000;
	char got[64];

	run(p, &t, results, &now, got);
	if (strcmp(got, want) != 0)
		fail_msg("results %s: events %s, want %s", results, got, want);
}

static void test_hysteresis(void **state)
{
	(void)state;
	check(&policy, "oooooo", "------"); /* always fine: never heard of */
	check(&policy, "oocooc", "------"); /* one failure in three never fires */
	check(&policy, "occ", "--F");
	check(&policy, "ccocc", "-F---"); /* one ok in three never resolves */
	check(&policy, "ccoo", "-F-X");
	check(&policy, "cocoo", "--FX-"); /* two of the last three, either way */
	check(&policy, "ccooc", "-F-X-"); /* a resolved one needs count failures again */
	check(&policy, "ccoocc", "-F-X-F");

	struct alert_policy one = policy;
	one.count = 1;
	one.of = 1;
	check(&one, "cocoo", "FXFX-");
}

static void test_first_fire_and_since(void **state)
{
	struct alert_track t = { 0 };
	time_t now = 5000;
	char ev[8];

	(void)state;
	run(&policy, &t, "occ", &now, ev);
	assert_string_equal(ev, "--F");
	assert_true(t.firing);
	assert_int_equal(t.status, HU_CRITICAL);
	assert_int_equal(t.since, 5060); /* the first failure, not the one that fired */
	assert_int_equal(t.notified, 5120);
	run(&policy, &t, "oo", &now, ev);
	assert_string_equal(ev, "-X");
	assert_false(t.firing);
	assert_true(alert_track_idle(&policy, &t) == false); /* a failure still in the window */
	run(&policy, &t, "o", &now, ev);
	assert_true(alert_track_idle(&policy, &t));
}

static void test_repeat(void **state)
{
	struct alert_track t = { 0 };
	time_t now = 0;
	char ev[8];

	(void)state;
	run(&policy, &t, "cc", &now, ev);
	assert_string_equal(ev, "-F");
	/* A result before repeat: nothing; after: a repeat, then quiet again. */
	assert_int_equal(alert_step(&policy, &t, HU_CRITICAL, 60 + 3599), ALERT_NONE);
	assert_int_equal(alert_step(&policy, &t, HU_CRITICAL, 60 + 3600), ALERT_REPEAT);
	assert_int_equal(alert_step(&policy, &t, HU_CRITICAL, 60 + 3601), ALERT_NONE);
	/* The tick repeats without a result. */
	assert_false(alert_repeat_due(&policy, &t, 60 + 7199));
	assert_true(alert_repeat_due(&policy, &t, 60 + 7200));
	assert_int_equal(t.notified, 60 + 7200);
	/* Not firing: never due. */
	struct alert_track idle = { 0 };
	assert_false(alert_repeat_due(&policy, &idle, 1 << 30));
}

static void test_statuses_and_changes(void **state)
{
	struct alert_policy p = policy;
	struct alert_track t = { 0 };
	time_t now = 0;
	char ev[16];

	(void)state;
	check(&policy, "wwwww", "-----"); /* warnings do not alert by default */
	assert_false(alert_fails(&policy, HU_UNKNOWN));
	p.statuses = (1u << HU_WARNING) | (1u << HU_CRITICAL);
	run(&p, &t, "wwcw", &now, ev);
	/* Fires as a warning, turns critical (a new alert), back to warning. */
	assert_string_equal(ev, "-FCC");
	assert_int_equal(t.status, HU_WARNING);
	assert_false(alert_fails(&p, (enum hu_status)99));
}

static void test_advice(void **state)
{
	(void)state;
	assert_non_null(strstr(advice_for("tls.expired"), "Renew"));
	assert_string_equal(advice_for("tls.something_new"), advice_for("tls."));
	assert_non_null(strstr(advice_for("agent.silent"), "huolto-agent.timer"));
	assert_non_null(advice_for("nothing.known"));
	assert_non_null(advice_for(NULL));
}

static const struct alert_subject subject = {
	.agent = "web1",
	.site = "acme.fi",
	.code = "tls.expired",
	.target = "www.acme.fi:443",
	.status = HU_CRITICAL,
	.message = "The certificate expired\r\nBcc: evil@example.com",
	.facts = "{\"not_after\":\"2026-11-01T00:00:00Z\",\"issuer\":\"R11\"}",
	.document = "doc-1",
};

static void test_event(void **state)
{
	json_t *e = alert_event_new("firing", &subject, HU_CRITICAL, 86400, 2 * 86400);
	const char *text, *summary;

	(void)state;
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(e, "site")), "acme.fi");
	assert_string_equal(json_string_value(json_object_get(e, "scope")), "site");
	assert_string_equal(json_string_value(json_object_get(e, "since")), "1970-01-02T00:00:00Z");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(e, "facts"), "issuer")), "R11");
	summary = json_string_value(json_object_get(e, "summary"));
	assert_string_equal(summary, "ALERT acme.fi: tls.expired (www.acme.fi:443) is critical");
	text = json_string_value(json_object_get(e, "text"));
	/* Site, what, since, facts, what to do first; the CR LF of the message is gone. */
	assert_non_null(strstr(text, "Site: acme.fi (agent web1)\n"));
	assert_non_null(strstr(text, "Found: The certificate expired  Bcc: evil@example.com\n"));
	assert_non_null(strstr(text, "Since: 1970-01-02T00:00:00Z\n"));
	assert_non_null(strstr(text, "  not_after: 2026-11-01T00:00:00Z\n"));
	assert_non_null(strstr(text, "Do first: Renew"));
	json_decref(e);

	/* The server's own finding is named by its agent; resolved says until when. */
	struct alert_subject srv = subject;
	srv.site = "";
	srv.target = "";
	srv.message = NULL;
	e = alert_event_new("resolved", &srv, HU_CRITICAL, 86400, 2 * 86400);
	assert_string_equal(json_string_value(json_object_get(e, "site")), "web1");
	assert_string_equal(json_string_value(json_object_get(e, "scope")), "server");
	assert_true(json_is_null(json_object_get(e, "target")));
	assert_string_equal(json_string_value(json_object_get(e, "summary")),
			    "RESOLVED web1: tls.expired is fine again");
	text = json_string_value(json_object_get(e, "text"));
	assert_non_null(strstr(text, "Found: no longer reported"));
	assert_non_null(strstr(text, "until 1970-01-03T00:00:00Z"));
	assert_null(strstr(text, "Do first"));
	json_decref(e);
}

static void test_event_bounds(void **state)
{
	char big[4096];
	struct alert_subject s = subject;

	(void)state;
	/* A long name is cut on a character boundary ("ä" is two bytes). */
	for (size_t i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "ä", 2);
	big[sizeof(big) - 2] = 0;
	s.site = big;
	s.facts = "[1,2]"; /* not an object: no facts, no crash */
	json_t *e = alert_event_new("firing", &s, HU_CRITICAL, 0, 0);
	const char *summary = json_string_value(json_object_get(e, "summary"));
	assert_non_null(summary);
	assert_true(strlen(summary) <= 200 + strlen("…"));
	assert_non_null(json_object_get(e, "text")); /* json_pack refuses invalid UTF-8 */
	json_decref(e);
}

static void test_am_payload(void **state)
{
	json_t *e = alert_event_new("firing", &subject, HU_CRITICAL, 86400, 2 * 86400);
	json_t *p = alert_am_payload(e, 3600, 2 * 86400);
	json_t *a = json_array_get(p, 0), *labels = json_object_get(a, "labels");

	(void)state;
	assert_int_equal(json_array_size(p), 1);
	assert_string_equal(json_string_value(json_object_get(labels, "site")), "acme.fi");
	assert_string_equal(json_string_value(json_object_get(labels, "code")), "tls.expired");
	assert_string_equal(json_string_value(json_object_get(labels, "target")),
			    "www.acme.fi:443");
	assert_string_equal(json_string_value(json_object_get(labels, "severity")), "critical");
	assert_string_equal(json_string_value(json_object_get(a, "startsAt")),
			    "1970-01-02T00:00:00Z");
	/* Firing: open for two repeats ahead. */
	assert_string_equal(json_string_value(json_object_get(a, "endsAt")),
			    "1970-01-03T02:00:00Z");
	json_decref(p);
	json_decref(e);

	e = alert_event_new("resolved", &subject, HU_CRITICAL, 86400, 2 * 86400);
	p = alert_am_payload(e, 3600, 2 * 86400 + 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "endsAt")),
			    "1970-01-03T00:00:05Z");
	json_decref(p);
	json_decref(e);
}

static void test_webhook_signature(void **state)
{
	char sig[72];

	(void)state;
	/* RFC 4231, test case 2. */
	assert_int_equal(alert_webhook_signature("Jefe", "what do ya want for nothing?", 28, sig),
			 0);
	assert_string_equal(
	    sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_mail(void **state)
{
	struct hu_strv to = HU_STRV_INIT;
	struct hu_buf m = HU_BUF_INIT(0);
	struct alert_subject s = subject;

	(void)state;
	hu_strv_push(&to, "oncall@example.fi");
	hu_strv_push(&to, "backup@example.fi");
	json_t *e = alert_event_new("firing", &s, HU_CRITICAL, 0, 0);
	assert_int_equal(alert_mail_compose(e, "huolto@example.fi", &to, 86400 * 3, &m), 0);
	assert_non_null(strstr(m.data, "Date: Sun, 04 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(m.data, "To: oncall@example.fi, backup@example.fi\r\n"));
	assert_non_null(strstr(
	    m.data, "Subject: ALERT acme.fi: tls.expired (www.acme.fi:443) is critical\r\n"));
	assert_non_null(strstr(m.data, "\r\n\r\nALERT acme.fi"));
	/* The message's CR LF did not become a header. */
	assert_null(strstr(m.data, "\r\nBcc:"));
	for (size_t i = 0; i < m.len; i++)
		if (m.data[i] == '\n')
			assert_true(i > 0 && m.data[i - 1] == '\r');
	json_decref(e);
	hu_buf_clear(&m);

	/* A name that is not ASCII: encoded words, each short enough. */
	s.site = "äiti-ja-isä-kauppa-verkossa-pitkä-nimi.fi";
	e = alert_event_new("firing", &s, HU_CRITICAL, 0, 0);
	assert_int_equal(alert_mail_compose(e, "huolto@example.fi", &to, 0, &m), 0);
	assert_non_null(strstr(m.data, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(m.data, "?=\r\n =?UTF-8?B?"));
	const char *line = m.data;
	while (line && *line) {
		const char *end = strstr(line, "\r\n");
		assert_true(!end || end - line <= 998);
		line = end ? end + 2 : NULL;
	}
	json_decref(e);
	hu_buf_clear(&m);
	hu_strv_clear(&to);
}

/* Parse an alerts section from YAML text: the return code, and c. */
static int parse(const char *yaml, struct alerts_conf *c, struct hu_err *err)
{
	struct hu_conf *conf = NULL;
	int r = hu_conf_load_string("t.yaml", yaml, strlen(yaml), &conf, err);

	alerts_conf_init(c);
	if (r >= 0)
		r = alerts_conf_parse(hu_conf_get(conf->root, "alerts"), c, err);
	hu_conf_free(conf);
	return r;
}

static void test_conf(void **state)
{
	struct alerts_conf c;
	struct hu_err err = HU_ERR_INIT;

	(void)state;
	/* Absent: off. */
	assert_int_equal(parse("x: 1\n", &c, &err), 0);
	assert_false(c.enabled);
	/* Present and empty: on, the defaults, no channel. */
	assert_int_equal(parse("alerts: {}\n", &c, &err), 0);
	assert_true(c.enabled);
	assert_int_equal(c.store.policy.count, 2);
	assert_int_equal(c.store.policy.of, 3);
	assert_int_equal(c.store.policy.repeat_s, 86400);
	assert_int_equal(c.store.policy.statuses, 1u << HU_CRITICAL);
	assert_int_equal(c.store.n_channels, 0);
	alerts_conf_clear(&c);

	assert_int_equal(parse("alerts:\n"
			       "  hysteresis: {count: 3, of: 5}\n"
			       "  repeat: 12h\n"
			       "  statuses: [warning, critical]\n"
			       "  retry: {min: 10s, max: 10m, give_up: 1d}\n"
			       "  alertmanager: {url: \"http://am:9093/\"}\n"
			       "  smtp: {url: \"smtps://mail:465\", from: h@x.fi, to: [a@x.fi],"
			       " username: u, password_file: /etc/p}\n",
			       &c, &err),
			 0);
	assert_int_equal(c.store.policy.count, 3);
	assert_int_equal(c.store.policy.of, 5);
	assert_int_equal(c.store.policy.repeat_s, 43200);
	assert_int_equal(c.store.policy.statuses, (1u << HU_WARNING) | (1u << HU_CRITICAL));
	assert_int_equal(c.retry_min_ms, 10000);
	assert_int_equal(c.give_up_ms, 86400000);
	assert_int_equal(c.store.n_channels, 2);
	assert_string_equal(c.store.channels[0], "alertmanager");
	assert_string_equal(c.store.channels[1], "smtp");
	alerts_conf_clear(&c);

	static const struct {
		const char *yaml, *error;
	} bad[] = {
		{ "alerts: {hysteresis: {count: 4, of: 3}}\n", "cannot exceed" },
		{ "alerts: {hysteresis: {of: 33}}\n", "of" },
		{ "alerts: {statuses: [ok]}\n", "\"ok\" is not warning, critical or unknown" },
		{ "alerts: {statuses: []}\n", "at least one status" },
		{ "alerts: {retry: {min: 1h, max: 1m}}\n", "max cannot be less than min" },
		{ "alerts: {webhok: {}}\n", "webhok" },
		{ "alerts: {alertmanager: {}}\n", "alerts.alertmanager.url is required" },
		{ "alerts: {alertmanager: {url: \"not a url\"}}\n", "not a URL" },
		{ "alerts: {webhook: {url: \"https://h/\", secret_file: rel}}\n", "absolute path" },
		{ "alerts: {smtp: {url: \"https://h/\", from: a@b, to: [c@d]}}\n", "smtp|smtps" },
		{ "alerts: {smtp: {url: \"smtp://h\", from: a@b, to: []}}\n",
		  "at least one address" },
		{ "alerts: {smtp: {url: \"smtp://h\", from: a@b, to: [\"x <c@d>\"]}}\n",
		  "not an address" },
		{ "alerts: {smtp: {url: \"smtp://h\", from: a@b, to: [c@d], username: u}}\n",
		  "go together" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int r = parse(bad[i].yaml, &c, &err);
		if (r >= 0 || !strstr(hu_err_msg(&err), bad[i].error))
			fail_msg("%s: %d, \"%s\"; want an error with \"%s\"", bad[i].yaml, r,
				 hu_err_msg(&err), bad[i].error);
		assert_non_null(strstr(hu_err_msg(&err), "t.yaml:1:")); /* names file and line */
		hu_err_clear(&err);
		alerts_conf_clear(&c);
	}
}

static void test_backoff(void **state)
{
	struct alerts_conf c;

	(void)state;
	alerts_conf_init(&c);
	c.retry_min_ms = 30000;
	c.retry_max_ms = 3600000;
	assert_int_equal(alerter_backoff_ms(&c, 0), 30000);
	assert_int_equal(alerter_backoff_ms(&c, 1), 60000);
	assert_int_equal(alerter_backoff_ms(&c, 6), 1920000);
	assert_int_equal(alerter_backoff_ms(&c, 7), 3600000);
	assert_int_equal(alerter_backoff_ms(&c, 1000000), 3600000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_first_fire_and_since),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_statuses_and_changes),
		cmocka_unit_test(test_advice),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_event_bounds),
		cmocka_unit_test(test_am_payload),
		cmocka_unit_test(test_webhook_signature),
		cmocka_unit_test(test_mail),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
