/* SPDX-License-Identifier: MIT */
#include "alert_rule.h"

static uint32_t window(const struct alert_policy *p)
{
	return p->of >= ALERT_WINDOW_MAX ? UINT32_MAX : (UINT32_C(1) << p->of) - 1;
}

bool alert_fails(const struct alert_policy *p, enum hu_status status)
{
	return status >= 0 && status < _HU_STATUS_MAX && (p->statuses & (1u << status));
}

bool alert_track_idle(const struct alert_policy *p, const struct alert_track *t)
{
	return !t->firing && (t->history & window(p)) == 0;
}

enum alert_event alert_step(const struct alert_policy *p, struct alert_track *t,
			    enum hu_status status, time_t now)
{
	bool failing = alert_fails(p, status);
	bool was_clean = (t->history & window(p)) == 0;

	t->history = ((t->history << 1) | (failing ? 1u : 0u)) & window(p);
	if (t->seen < p->of)
		t->seen++;
	if (failing && was_clean && !t->firing)
		t->since = now;

	unsigned failures = (unsigned)__builtin_popcount(t->history);
	unsigned oks = t->seen - failures;

	/* A change counts only on a result that agrees with it. */
	if (!t->firing) {
		if (!failing || failures < p->count)
			return ALERT_NONE;
		t->firing = true;
		t->status = status;
		t->notified = now;
		return ALERT_FIRING;
	}
	if (!failing && oks >= p->count) {
		t->firing = false;
		t->since = now;
		return ALERT_RESOLVED;
	}
	if (failing && status != t->status) {
		t->status = status;
		t->notified = now;
		return ALERT_CHANGED;
	}
	if (failing && now - t->notified >= p->repeat_s) {
		t->notified = now;
		return ALERT_REPEAT;
	}
	return ALERT_NONE;
}

bool alert_repeat_due(const struct alert_policy *p, struct alert_track *t, time_t now)
{
	if (!t->firing || now - t->notified < p->repeat_s)
		return false;
	t->notified = now;
	return true;
}
