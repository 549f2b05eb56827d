/* SPDX-License-Identifier: MIT */
/*
 * Internals of the dns check: the lints of one mail domain. Each reads a
 * struct dnsview; -EAGAIN means answers were missing (they are now
 * remembered): the caller discards what was found, fetches and runs again.
 */
#ifndef HUOLTO_CHECKS_DNSLINT_H
#define HUOLTO_CHECKS_DNSLINT_H

#include <libpsl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <time.h>

#include "dnsview.h"
#include "huolto/finding.h"
#include "huolto/strv.h"

#define SPF_TOO_LONG     450
#define SPF_TOO_LONG_UDP 512

struct dns_lint_ctx {
	struct dnsview *dv;
	const psl_ctx_t *psl;
	const struct hu_strv *outbound; /* this server's sending addresses */
	const char *helo;
	time_t now;
};

/* Add a finding about domain (facts get "domain"); a full list is not an error. */
int dns_add(struct hu_findings *out, const char *domain, enum hu_status st, const char *code,
	    json_t *facts, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int dns_vadd(struct hu_findings *out, const char *domain, enum hu_status st, const char *code,
	     json_t *facts, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* A status that is a failure (timeout, SERVFAIL, refused), not an answer. */
bool dns_failed(int status);

/* A failed lookup (timeout, SERVFAIL, refused): dns.unresolved, once per name and type. */
int dns_unresolved(struct hu_findings *out, const char *domain, const char *name, enum dv_type t,
		   int status);

int spf_lint(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out);
int dmarc_lint(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out);
int mx_lint(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out);

/* Follow-ups of a _dmarc answer (see dv_follow_fn): the authorization
 * records of its external report destinations. */
void dmarc_follow(const psl_ctx_t *psl, struct dnsview *v, const char *name,
		  const struct dv_answer *a, unsigned depth);

#endif
