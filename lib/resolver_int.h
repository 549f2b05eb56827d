/* SPDX-License-Identifier: MIT */
/*
 * Internals of the resolver, shared by resolver.c (the channel, the queue
 * and the event loop) and resolver_answer.c (answers to callbacks).
 */
#ifndef HUOLTO_LIB_RESOLVER_INT_H
#define HUOLTO_LIB_RESOLVER_INT_H

#include <ares.h>
#include <poll.h>

#include "huolto/resolver.h"

/* Upper bound on addresses (or MX hosts) kept for one name. */
#define RESOLVER_MAX_ADDRS 64
/* Upper bound on sockets c-ares may ask us to watch. */
#define RESOLVER_MAX_SOCKETS 256

enum query_kind {
	QUERY_ADDRS,
	QUERY_RAW,
	QUERY_TXT,
	QUERY_MX,
};

struct query {
	struct hu_resolver *r;
	enum query_kind kind;
	char *name;
	int rrtype;
	union {
		hu_addrs_cb addrs;
		hu_raw_cb raw;
		hu_txt_cb txt;
		hu_mx_cb mx;
	} cb;
	void *arg;
	const struct hu_resolver_static *st; /* answered from resolver.static */
	bool launched;                       /* handed to c-ares */
	struct query *next;                  /* in a queue */
};

struct queue {
	struct query *head, *tail;
};

struct hu_resolver {
	ares_channel ch;
	struct hu_resolver_conf conf; /* statics copied; servers are in the channel */
	struct pollfd fds[RESOLVER_MAX_SOCKETS];
	size_t n_fds;
	size_t pending;   /* started by the caller, not yet called back */
	size_t in_flight; /* of those, handed to c-ares */
	size_t max_in_flight;
	struct queue statics; /* answered from resolver.static in hu_resolver_wait() */
	struct queue waiting; /* for a free slot */
	bool deadline_hit;    /* cancellations now mean -ETIMEDOUT */
	bool destroying;
};

/* c-ares status → negative errno (0 for success). */
int resolver_ares_errno(int status);
/* The status a callback gets: a cancellation after the deadline is a timeout. */
int resolver_cb_status(const struct hu_resolver *r, int ares_status);
const char *resolver_cb_errmsg(const struct hu_resolver *r, int ares_status);
/* The query has called back: account for it and free it. */
void resolver_query_done(struct query *q);

/* c-ares callbacks (resolver_answer.c). */
void resolver_addrinfo_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res);
void resolver_query_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen);
/* Call back a static answer. */
void resolver_static_answer(struct query *q);

#endif
