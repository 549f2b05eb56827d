/* SPDX-License-Identifier: MIT */
/*
 * SPF (RFC 7208): records parsed into terms, macros expanded, and
 * check_host() evaluated over a struct dnsview.
 */
#ifndef HUOLTO_CHECKS_SPF_H
#define HUOLTO_CHECKS_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dnsview.h"

enum spf_result {
	SPF_NONE,
	SPF_NEUTRAL,
	SPF_PASS,
	SPF_FAIL,
	SPF_SOFTFAIL,
	SPF_TEMPERROR,
	SPF_PERMERROR,
	_SPF_RESULT_MAX,
};

const char *spf_result_name(enum spf_result r);

enum spf_mech {
	SPF_ALL,
	SPF_INCLUDE,
	SPF_A,
	SPF_MX,
	SPF_PTR,
	SPF_IP4,
	SPF_IP6,
	SPF_EXISTS,
	SPF_REDIRECT, /* modifiers */
	SPF_EXP,
	SPF_UNKNOWN_MOD,
	_SPF_MECH_MAX,
};

struct spf_term {
	enum spf_mech kind;
	char qualifier;    /* '+', '-', '~', '?' (mechanisms) */
	char *domain_spec; /* may be NULL: the current domain */
	int cidr4, cidr6;  /* -1 when not given */
	unsigned char ip[16];
	size_t pos; /* offset in the record */
	size_t len;
};

struct spf_record {
	struct spf_term *terms;
	size_t n;
	int redirect; /* index of the redirect modifier, or -1 */
	int exp;      /* index of the exp modifier, or -1 */
	bool has_all;
};

struct spf_syntax {
	size_t pos;     /* offset of the bad term */
	char term[128]; /* the bad term, cut */
	char reason[128];
};

/* 0, or -EINVAL with *err filled (RFC 7208 4.6: an error anywhere is permerror). */
int spf_parse(const char *text, struct spf_record *ret, struct spf_syntax *err);
void spf_record_clear(struct spf_record *r);

/* A TXT record that is an SPF record: "v=spf1" then a space or the end. */
bool spf_is_record(const char *txt);

/* What macros expand to (RFC 7208 7.2). */
struct spf_macro_ctx {
	const char *sender; /* local@domain */
	const char *local;  /* local-part */
	const char *sender_domain;
	const char *domain; /* the current domain */
	const char *helo;
	int family; /* AF_INET, AF_INET6 */
	const unsigned char *ip;
	const char *validated; /* %{p}: NULL until known (then "unknown" or a name) */
	time_t now;
};

/*
 * Expand a macro-string. exp: the c, r and t letters are allowed (exp=).
 * domain: the result is used as a domain name (truncated from the left to
 * 253 characters). Returns 0, -EINVAL for a macro syntax error, -EAGAIN when
 * %{p} is needed and not known yet, -ENOMEM.
 */
int spf_expand(const char *spec, const struct spf_macro_ctx *m, bool exp, bool domain, char **ret);
/* Whether spec is a valid macro-string (for the parser). */
bool spf_macro_valid(const char *spec, size_t len, bool exp);

/* One check_host() evaluation. */
struct spf_eval {
	struct dnsview *dv;
	int family;
	unsigned char ip[16];
	const char *sender; /* local@domain, or "" */
	const char *helo;
	time_t now;
	/* out */
	unsigned lookups; /* DNS-querying terms evaluated (limit 10) */
	unsigned voids;   /* lookups that answered nothing (limit 2) */
	char explanation[512];
	bool has_explanation;
	char reason[256]; /* why the result is what it is */
};

#define SPF_MAX_LOOKUPS   10
#define SPF_MAX_VOIDS     2
#define SPF_MAX_MX_NAMES  10
#define SPF_MAX_PTR_NAMES 10

/*
 * check_host(ip, domain, sender). Returns 0 with *ret, or -EAGAIN when
 * the view lacks answers (fetch them and run again), or -ENOMEM.
 */
int spf_check_host(struct spf_eval *e, const char *domain, enum spf_result *ret);

/* Set ip from text; 0 or -EINVAL. IPv4-mapped IPv6 addresses become IPv4. */
int spf_eval_set_ip(struct spf_eval *e, const char *ip);

/* A dv_follow_fn: ask for what SPF records and MX answers lead to, at once. */
void spf_follow(void *arg, struct dnsview *v, enum dv_type t, const char *name,
		const struct dv_answer *a, unsigned depth);

/* A syntactically valid domain name for SPF (RFC 7208 4.3, 7.1 domain-end). */
bool spf_domain_valid(const char *d);

#endif
