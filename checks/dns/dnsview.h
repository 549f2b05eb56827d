/* SPDX-License-Identifier: MIT */
/*
 * A run-wide DNS cache that evaluations read synchronously. An answer the
 * cache does not hold yet is remembered as missing and reported as -EAGAIN;
 * the driver then fetches every missing answer at once through the resolver
 * (c-ares, many in flight) and runs the evaluations again. Evaluations are
 * pure functions of the cache, so the same code runs on a fake source in
 * tests (which answers at once) and on the network.
 */
#ifndef HUOLTO_CHECKS_DNSVIEW_H
#define HUOLTO_CHECKS_DNSVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "huolto/resolver.h"
#include "huolto/strv.h"

enum dv_type {
	DV_A,
	DV_AAAA,
	DV_TXT,
	DV_MX,
	DV_PTR,
	DV_SPF, /* type 99 */
	_DV_TYPE_MAX,
};

const char *dv_type_name(enum dv_type t);

#define DV_MAX_ITEMS 64

struct dv_answer {
	/* 0, -ENOENT (NXDOMAIN), -ENODATA, or a failure: -ETIMEDOUT, -EIO
	 * (SERVFAIL), -ECONNREFUSED, -EBADMSG. See hu_resolver_status_name(). */
	int status;
	struct hu_strv items;         /* TXT: records (strings joined, NUL as \x01); MX, PTR: names
				       * (lowercase, no trailing dot, "." for the root);
				       * A, AAAA: addresses as text */
	unsigned prefs[DV_MAX_ITEMS]; /* MX preferences, parallel to items */
	bool alias;                   /* A, AAAA: the name is a CNAME */
	bool truncated;               /* more than DV_MAX_ITEMS records */
};

/* A source that answers at once (tests). */
struct dv_source {
	int (*fill)(void *arg, enum dv_type t, const char *name, struct dv_answer *ret);
	void *arg;
};

struct dnsview;

/*
 * Called for each answer a fetch receives (not for failures), with the
 * answer's follow-up depth: it may dv_prefetch() what the answer leads to
 * (an SPF record's include targets, an MX's exchanges), which then starts
 * at once, in the same fetch. This is how a whole include tree arrives in
 * one round instead of one round per level.
 */
typedef void (*dv_follow_fn)(void *arg, struct dnsview *v, enum dv_type t, const char *name,
			     const struct dv_answer *a, unsigned depth);

/* Follow-ups stop at this depth, and at RATIO per answer asked for plus MIN
 * in a view's life, so that no zone can make a view ask without end. */
#define DV_FOLLOW_DEPTH 10
#define DV_FOLLOW_RATIO 16
#define DV_FOLLOW_MIN   256

/* src NULL: answers come from dv_fetch(). Caller frees with dv_free(). */
int dv_new(const struct dv_source *src, struct dnsview **ret);
void dv_free(struct dnsview *v);

/*
 * The answer for (t, name): 0 and *ret (owned by the view); -EAGAIN when it
 * is not known yet (it will be fetched); -EINVAL for a name that cannot be
 * asked (empty, over 253 characters); -ENOMEM.
 */
int dv_get(struct dnsview *v, enum dv_type t, const char *name, const struct dv_answer **ret);

void dv_set_follow(struct dnsview *v, dv_follow_fn fn, void *arg);

/* Ask for (t, name) ahead of need, depth follow-ups from an asked answer:
 * 0, or -ENOMEM. Known, bad or over-the-bounds names are left out. */
int dv_prefetch(struct dnsview *v, enum dv_type t, const char *name, unsigned depth);

/* Queries made so far (for the report's facts). */
size_t dv_queries(const struct dnsview *v);

/* Fetch every missing answer through r, all at once (within its bounds). */
int dv_fetch(struct dnsview *v, struct hu_resolver *r, int deadline_ms);

/*
 * Run step until it no longer returns -EAGAIN: after each -EAGAIN, fetch
 * what the view lacks (each round within round_ms), at most max_rounds
 * times. Returns step's last result (-EAGAIN when the rounds ran out) or a
 * fetch failure; *ret_rounds (may be NULL) gets the steps run.
 */
int dv_run(struct dnsview *v, struct hu_resolver *r, int round_ms, unsigned max_rounds,
	   int (*step)(void *arg), void *arg, unsigned *ret_rounds);

#endif
