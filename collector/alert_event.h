/* SPDX-License-Identifier: MIT */
/*
 * One alert as JSON: what is queued, what the webhook receives, and what the
 * Alertmanager and mail channels render from. It says which site, what was
 * found, since when, the key facts and what to do first (docs/collector.md
 * lists the fields).
 */
#ifndef HUOLTO_COLLECTOR_ALERT_EVENT_H
#define HUOLTO_COLLECTOR_ALERT_EVENT_H

#include <jansson.h>
#include <time.h>

#include "huolto/status.h"

#define ALERT_EVENT_VERSION 1

struct alert_subject {
	const char *agent;
	const char *site; /* "" for the server's own findings */
	const char *code;
	const char *target;    /* "" when the finding has none */
	enum hu_status status; /* the finding's status now */
	const char *message;   /* the finding's message, or NULL (no longer reported) */
	const char *facts;     /* the facts as JSON text, or NULL */
	const char *document;  /* the document behind this event, or NULL */
};

/*
 * The event (firing, repeat or resolved) for s, alerted with severity;
 * since is when it started failing. NULL when out of memory.
 */
json_t *alert_event_new(const char *event, const struct alert_subject *s, enum hu_status severity,
			time_t since, time_t now);

#endif
