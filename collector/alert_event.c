/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "advice.h"
#include "alert_event.h"
#include "huolto/buf.h"
#include "huolto/report.h"

#define FACTS_MAX      12  /* facts shown in the text, at most */
#define FACT_VALUE_MAX 200 /* bytes of one fact's value in the text */
#define SUMMARY_MAX    200 /* bytes of the summary (a mail subject) */
#define MESSAGE_MAX    900 /* bytes of the message: its line stays under SMTP's 998 */

/*
 * Append s as one line's worth of text: control characters (CR, LF, tabs:
 * a header injection in a mail) become spaces, and at most max bytes are
 * kept, cut on a UTF-8 character boundary.
 */
static int put_clean(struct hu_buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		char c = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? ' ' : s[i];
		int r = hu_buf_append(b, &c, 1);
		if (r < 0)
			return r;
	}
	return n < strlen(s) ? hu_buf_append(b, "…", strlen("…")) : 0;
}

static int put(struct hu_buf *b, const char *s)
{
	return hu_buf_append(b, s, strlen(s));
}

static const char *where(const struct alert_subject *s)
{
	return s->site[0] ? s->site : s->agent;
}

static int summary(struct hu_buf *b, const char *event, const struct alert_subject *s,
		   enum hu_status severity)
{
	struct hu_buf line = HU_BUF_INIT(0);
	bool resolved = strcmp(event, "resolved") == 0;
	int r =
	    hu_buf_printf(&line, "%s %s: %s", resolved ? "RESOLVED" : "ALERT", where(s), s->code);

	if (r >= 0 && s->target[0] && strcmp(s->target, where(s)) != 0)
		r = hu_buf_printf(&line, " (%s)", s->target);
	if (r >= 0)
		r = hu_buf_printf(&line, resolved ? " is fine again" : " is %s%s",
				  hu_status_name(severity),
				  strcmp(event, "repeat") == 0 ? ", still" : "");
	if (r >= 0)
		r = put_clean(b, line.data, SUMMARY_MAX);
	hu_buf_clear(&line);
	return r;
}

/* "key: value" lines for the first FACTS_MAX facts. */
static int facts_text(struct hu_buf *b, const char *facts)
{
	json_t *o = facts ? json_loads(facts, 0, NULL) : NULL;
	const char *key;
	json_t *v;
	int r = 0, n = 0;

	json_object_foreach(o, key, v)
	{
		char *text = json_is_string(v) ? strdup(json_string_value(v))
					       : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (n++ == FACTS_MAX) {
			free(text);
			r = hu_buf_printf(b, "  (%zu facts in all)\n", json_object_size(o));
			break;
		}
		r = text ? hu_buf_append(b, "  ", 2) : -ENOMEM;
		if (r >= 0)
			r = put_clean(b, key, 64);
		if (r >= 0)
			r = hu_buf_append(b, ": ", 2);
		if (r >= 0)
			r = put_clean(b, text, FACT_VALUE_MAX);
		if (r >= 0)
			r = hu_buf_append(b, "\n", 1);
		free(text);
		if (r < 0)
			break;
	}
	json_decref(o);
	return r;
}

static int body(struct hu_buf *b, const char *event, const struct alert_subject *s,
		enum hu_status severity, time_t since, time_t now)
{
	char t1[32], t2[32];
	bool resolved = strcmp(event, "resolved") == 0;
	int r = summary(b, event, s, severity);

	if (r >= 0)
		r = put(b, "\n\nSite: ");
	if (r >= 0)
		r = put_clean(b, where(s), 256);
	if (r >= 0)
		r = put(b, s->site[0] ? " (agent " : " (the server itself, agent ");
	if (r >= 0)
		r = put_clean(b, s->agent, 256);
	if (r >= 0)
		r = put(b, ")\nFound: ");
	if (r >= 0)
		r = put_clean(b, s->message ? s->message : "no longer reported", MESSAGE_MAX);
	if (r >= 0)
		r = hu_buf_printf(b, "\n%s: %s", resolved ? "Failing from" : "Since",
				  hu_time_iso8601(since, t1, sizeof(t1)));
	if (r >= 0 && resolved)
		r = hu_buf_printf(b, " until %s", hu_time_iso8601(now, t2, sizeof(t2)));
	if (r >= 0 && s->facts && strcmp(s->facts, "{}") != 0) {
		r = put(b, "\nFacts:\n");
		if (r >= 0)
			r = facts_text(b, s->facts);
	} else if (r >= 0) {
		r = hu_buf_append(b, "\n", 1);
	}
	if (r >= 0 && !resolved)
		r = hu_buf_printf(b, "Do first: %s\n", advice_for(s->code));
	return r;
}

json_t *alert_event_new(const char *event, const struct alert_subject *s, enum hu_status severity,
			time_t since, time_t now)
{
	struct hu_buf sum = HU_BUF_INIT(0), text = HU_BUF_INIT(0);
	char t1[32], t2[32];
	json_t *facts = s->facts ? json_loads(s->facts, 0, NULL) : NULL;
	json_t *e = NULL;

	if (summary(&sum, event, s, severity) >= 0 &&
	    body(&text, event, s, severity, since, now) >= 0)
		e = json_pack(
		    "{s:i,s:s,s:s,s:s,s:s,s:s,s:s?,s:s,s:s,s:s?,s:o,s:s,s:s,s:s?,s:s,"
		    "s:s,s:s}",
		    "version", ALERT_EVENT_VERSION, "event", event, "agent", s->agent, "site",
		    where(s), "scope", s->site[0] ? "site" : "server", "code", s->code, "target",
		    s->target[0] ? s->target : NULL, "severity", hu_status_name(severity), "status",
		    hu_status_name(s->status), "message", s->message, "facts",
		    facts ? facts : json_object(), "since", hu_time_iso8601(since, t1, sizeof(t1)),
		    "at", hu_time_iso8601(now, t2, sizeof(t2)), "document", s->document, "advice",
		    advice_for(s->code), "summary", sum.data, "text", text.data);
	else
		json_decref(facts);
	hu_buf_clear(&sum);
	hu_buf_clear(&text);
	return e;
}
