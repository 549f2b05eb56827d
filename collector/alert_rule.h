/* SPDX-License-Identifier: MIT */
/*
 * When a finding becomes an alert: Monit's model. Each (agent, site, code,
 * target) keeps its last `of` results; it starts firing when `count` of them
 * fail, and resolves when `count` of them are fine again. A firing alert is
 * repeated every `repeat`. A change counts only on a result that agrees
 * with it. A check that never failed is never heard of.
 * Pure logic over a struct alert_track, so that unit tests drive it.
 */
#ifndef HUOLTO_COLLECTOR_ALERT_RULE_H
#define HUOLTO_COLLECTOR_ALERT_RULE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "huolto/status.h"

#define ALERT_WINDOW_MAX 32

struct alert_policy {
	unsigned count;    /* hysteresis.count: results that must agree */
	unsigned of;       /* hysteresis.of: out of the last this many (at most 32) */
	unsigned statuses; /* the statuses that alert, a mask of 1 << enum hu_status */
	int64_t repeat_s;  /* repeat: a firing alert is sent again after this long */
};

struct alert_track {
	uint32_t history;      /* bit 0 the newest result; a set bit failed */
	unsigned seen;         /* results in history, at most of */
	bool firing;           /* an alert is open */
	enum hu_status status; /* firing: the status alerted (the severity) */
	time_t since;          /* firing: when it started failing; else when it recovered */
	time_t notified;       /* firing: when it was last sent */
};

enum alert_event {
	ALERT_NONE,
	ALERT_FIRING,   /* turned bad */
	ALERT_REPEAT,   /* still bad, repeat reached */
	ALERT_CHANGED,  /* still bad with another severity: resolve the old one, fire anew */
	ALERT_RESOLVED, /* fine again */
};

/* Whether status alerts under p. */
bool alert_fails(const struct alert_policy *p, enum hu_status status);

/* Take one result (the finding's status at now) into t. */
enum alert_event alert_step(const struct alert_policy *p, struct alert_track *t,
			    enum hu_status status, time_t now);

/* A firing t whose repeat is due: true, and t->notified is now. */
bool alert_repeat_due(const struct alert_policy *p, struct alert_track *t, time_t now);

/* Nothing to remember: not firing and no failure in the window. */
bool alert_track_idle(const struct alert_policy *p, const struct alert_track *t);

#endif
