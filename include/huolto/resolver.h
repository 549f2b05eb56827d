/* SPDX-License-Identifier: MIT */
/*
 * Name resolution: one module on c-ares, used by every check that looks up
 * a name. Queries are started, then hu_resolver_wait() drives them all at
 * once. Callbacks run from inside hu_resolver_wait(), or at once from the
 * call that starts a query when no network is needed (an IP literal, the
 * hosts file, a malformed name); a callback must not free the resolver.
 *
 * Errors passed to callbacks (negative errno):
 *   -ENOENT     NXDOMAIN: the name does not exist
 *   -ENODATA    the name exists but has no record of that type
 *   -ETIMEDOUT  no answer within the timeouts (or the run's deadline)
 *   -EIO        SERVFAIL, or another server-side failure
 *   -ECONNREFUSED, -EBADMSG, -EINVAL (bad name), -ENOMEM, -ECANCELED
 * A timeout is never reported as a missing record.
 */
#ifndef HUOLTO_RESOLVER_H
#define HUOLTO_RESOLVER_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huolto/conf.h"
#include "huolto/err.h"
#include "huolto/strv.h"

/* DNS RR types, as on the wire. */
enum {
	HU_RR_A = 1,
	HU_RR_NS = 2,
	HU_RR_CNAME = 5,
	HU_RR_PTR = 12,
	HU_RR_MX = 15,
	HU_RR_TXT = 16,
	HU_RR_AAAA = 28,
	HU_RR_SPF = 99,
};

struct hu_resolver_static {
	char *name;           /* lowercase, without trailing dot */
	struct hu_strv addrs; /* IPv4 and IPv6 literals */
};

struct hu_resolver_conf {
	struct hu_strv servers; /* "127.0.0.1:5353", "[::1]:53", "192.0.2.1"; empty: the system's */
	int timeout_ms;         /* first attempt's timeout; c-ares doubles it per round */
	int attempts;           /* tries per server */
	bool use_hosts;         /* consult /etc/hosts for address lookups */
	int max_in_flight;      /* queries sent and unanswered at once; more wait their turn */
	struct hu_resolver_static *statics;
	size_t n_statics;
};

#define HU_RESOLVER_TIMEOUT_MS_DEFAULT 2000
#define HU_RESOLVER_ATTEMPTS_DEFAULT   2
/* Small enough that a burst of answers fits a UDP socket's receive buffer. */
#define HU_RESOLVER_MAX_IN_FLIGHT_DEFAULT 64

void hu_resolver_conf_init(struct hu_resolver_conf *c);
void hu_resolver_conf_clear(struct hu_resolver_conf *c);
/* Read a "resolver:" configuration section (n may be NULL: defaults). */
int hu_resolver_conf_parse(const struct hu_conf_node *n, struct hu_resolver_conf *c,
			   struct hu_err *err);

struct hu_addr {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
	char text[46]; /* INET6_ADDRSTRLEN */
};

struct hu_addrs {
	struct hu_addr *v;
	size_t n;
	bool from_static; /* answered by resolver.static, not DNS */
};

struct hu_mx {
	unsigned preference;
	char *host;
};

struct hu_resolver;

/* A resolver for conf (copied). Caller frees with hu_resolver_free(). */
int hu_resolver_new(const struct hu_resolver_conf *conf, struct hu_resolver **ret,
		    struct hu_err *err);
/* Cancels what is still running (callbacks get -ECANCELED). r may be NULL. */
void hu_resolver_free(struct hu_resolver *r);

/* errmsg: c-ares' own text for a failure, or NULL. */
typedef void (*hu_addrs_cb)(void *arg, int status, const struct hu_addrs *addrs,
			    const char *errmsg);
typedef void (*hu_raw_cb)(void *arg, int status, const unsigned char *answer, size_t len,
			  const char *errmsg);
typedef void (*hu_txt_cb)(void *arg, int status, const struct hu_strv *records, const char *errmsg);
typedef void (*hu_mx_cb)(void *arg, int status, const struct hu_mx *mx, size_t n,
			 const char *errmsg);

/*
 * Addresses of name (A and AAAA together). A name listed in
 * resolver.static is answered from there without DNS.
 */
int hu_resolver_addrs(struct hu_resolver *r, const char *name, hu_addrs_cb cb, void *arg);
/* One query of class IN and type rrtype; the answer is the raw DNS message. */
int hu_resolver_query(struct hu_resolver *r, const char *name, int rrtype, hu_raw_cb cb, void *arg);
/* TXT records, each record's strings concatenated (as SPF and DMARC read them). */
int hu_resolver_txt(struct hu_resolver *r, const char *name, hu_txt_cb cb, void *arg);
/* MX records, sorted by preference. */
int hu_resolver_mx(struct hu_resolver *r, const char *name, hu_mx_cb cb, void *arg);

/*
 * Drive every started query until all have called back or deadline_ms
 * has passed (0: no deadline beyond the per-query timeouts); what is still
 * running then is cancelled with -ETIMEDOUT. Returns 0 or a negative errno
 * for a failure of the event loop itself.
 */
int hu_resolver_wait(struct hu_resolver *r, int deadline_ms);

/*
 * A DNS-style name for a callback status: "NOERROR", "NXDOMAIN", "NODATA",
 * "TIMEOUT", "SERVFAIL", "REFUSED", "BADRESPONSE", "CANCELLED", "ERROR".
 */
const char *hu_resolver_status_name(int status);

/* Queries started and not yet called back. */
size_t hu_resolver_pending(const struct hu_resolver *r);

/* Parse "host", "host:port", "[v6]:port" or "v6"; the port defaults to 53. */
int hu_resolver_parse_server(const char *s, char *ret_host, size_t host_len, uint16_t *ret_port);

#endif
