/* SPDX-License-Identifier: MIT */
/*
 * DMARC (RFC 7489): the record at _dmarc.<domain>, else at the
 * organizational domain (the Public Suffix List, libpsl); strict tag
 * parsing; external report destinations and their authorization records
 * (7.1).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnslint.h"

#define MAX_TAGS 32

struct tag {
	char name[16];
	char value[512];
};

struct dmarc {
	struct tag tags[MAX_TAGS];
	size_t n;
	const char *at; /* where the record was found */
	const char *record;
};

static const char *tag(const struct dmarc *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcasecmp(d->tags[i].name, name))
			return d->tags[i].value;
	return NULL;
}

/*
 * A DMARC record: v=DMARC1 first; spaces around "=" allowed; DMARC1 exactly
 * (6.4 ABNF). Leading white space is let through here so that such a
 * record is reported as invalid rather than as missing.
 */
static bool is_dmarc(const char *txt)
{
	const char *p = txt;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != 'v' && *p != 'V')
		return false;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "DMARC1", 6))
		return false;
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0' || *p == ';';
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static bool one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcasecmp(v, *set))
			return true;
	return false;
}

/* Each colon-separated element of v is in set. */
static bool list_of(const char *v, const char *const *set)
{
	char buf[512];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	if (!*trim(buf))
		return false;
	for (char *t = strtok_r(buf, ":", &save); t; t = strtok_r(NULL, ":", &save))
		if (!one_of(trim(t), set))
			return false;
	return true;
}

static bool uint_in(const char *v, unsigned long max)
{
	char *end = NULL;

	if (!*v || !isdigit((unsigned char)*v))
		return false;
	unsigned long x = strtoul(v, &end, 10);
	return !*end && x <= max;
}

/* A DMARC URI list: "mailto:a@b.example[!10m], ..." (6.2). */
static bool uris_valid(const char *v, char *why, size_t len)
{
	char buf[512];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	for (char *u = strtok_r(buf, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
		u = trim(u);
		if (strncasecmp(u, "mailto:", 7) && strncasecmp(u, "https:", 6) &&
		    strncasecmp(u, "http:", 5)) {
			snprintf(why, len, "\"%s\" is not a mailto: (or http) URI", u);
			return false;
		}
		if (!strncasecmp(u, "mailto:", 7) && !strchr(u + 7, '@')) {
			snprintf(why, len, "\"%s\" has no mailbox", u);
			return false;
		}
	}
	return true;
}

/* Parse tags; 0 or a syntax problem described in why. */
static int parse(const char *record, struct dmarc *d, char *why, size_t len)
{
	static const char *const policies[] = { "none", "quarantine", "reject", NULL };
	static const char *const align[] = { "r", "s", NULL };
	static const char *const fo[] = { "0", "1", "d", "s", NULL };
	static const char *const rf[] = { "afrf", "iodef", NULL };
	char buf[4096];
	char *save = NULL;

	if (*record == ' ' || *record == '\t') {
		snprintf(why, len, "the record starts with white space, so receivers ignore it");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", record);
	for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		t = trim(t);
		if (!*t)
			continue;
		char *eq = strchr(t, '=');
		if (!eq) {
			snprintf(why, len, "\"%s\" is not tag=value", t);
			return -EINVAL;
		}
		*eq = '\0';
		char *name = trim(t), *value = trim(eq + 1);
		if (d->n >= MAX_TAGS) {
			snprintf(why, len, "too many tags");
			return -EINVAL;
		}
		for (size_t k = 0; k < d->n; k++)
			if (!strcasecmp(d->tags[k].name, name)) {
				snprintf(why, len, "tag %s given twice", name);
				return -EINVAL;
			}
		snprintf(d->tags[d->n].name, sizeof(d->tags[d->n].name), "%s", name);
		snprintf(d->tags[d->n].value, sizeof(d->tags[d->n].value), "%s", value);
		d->n++;
		bool ok = true;
		if (!strcasecmp(name, "p") || !strcasecmp(name, "sp"))
			ok = one_of(value, policies);
		else if (!strcasecmp(name, "adkim") || !strcasecmp(name, "aspf"))
			ok = one_of(value, align);
		else if (!strcasecmp(name, "pct"))
			ok = uint_in(value, 100);
		else if (!strcasecmp(name, "ri"))
			ok = uint_in(value, 4294967295UL);
		else if (!strcasecmp(name, "fo"))
			ok = list_of(value, fo);
		else if (!strcasecmp(name, "rf"))
			ok = list_of(value, rf);
		else if (!strcasecmp(name, "rua") || !strcasecmp(name, "ruf")) {
			if (!uris_valid(value, why, len))
				return -EINVAL;
		}
		if (!ok) {
			snprintf(why, len, "%s=%s is not a valid value", name, value);
			return -EINVAL;
		}
		/* "p" must follow "v" (6.3) */
		if (d->n == 2 && strcasecmp(name, "p")) {
			snprintf(why, len, "the p tag must come right after v");
			return -EINVAL;
		}
	}
	if (!tag(d, "p")) {
		snprintf(why, len, "the required p tag is missing");
		return -EINVAL;
	}
	return 0;
}

/* DMARC records at _dmarc.name: 1 found (*ret), 0 none, -EAGAIN, or 2 unresolved. */
static int lookup(const struct dns_lint_ctx *c, const char *domain, const char *name,
		  const struct dv_answer **ret, size_t *n_records, struct hu_findings *out)
{
	char q[600];
	int r;

	snprintf(q, sizeof(q), "_dmarc.%s", name);
	r = dv_get(c->dv, DV_TXT, q, ret);
	if (r < 0)
		return r == -EINVAL ? 0 : r;
	if (dns_failed((*ret)->status)) {
		r = dns_unresolved(out, domain, q, DV_TXT, (*ret)->status);
		return r < 0 ? r : 2;
	}
	*n_records = 0;
	for (size_t i = 0; (*ret)->status == 0 && i < (*ret)->items.n; i++)
		*n_records += is_dmarc((*ret)->items.v[i]);
	return *n_records ? 1 : 0;
}

static const char *org_domain(const psl_ctx_t *psl, const char *domain)
{
	const char *o = psl ? psl_registrable_domain(psl, domain) : NULL;
	return o ? o : domain;
}

/* The domain of a "mailto:user@domain[!size]" report URI into dest; false for others. */
static bool mailto_domain(const char *uri, char *dest, size_t len)
{
	const char *at = strncasecmp(uri, "mailto:", 7) ? NULL : strrchr(uri, '@');

	if (!at)
		return false;
	snprintf(dest, len, "%s", at + 1);
	dest[strcspn(dest, "!")] = '\0'; /* a size limit */
	return *dest != '\0';
}

/* rua/ruf destinations outside the domain's organization need <domain>._report._dmarc.<dest> (7.1).
 */
static int destinations(const struct dns_lint_ctx *c, const char *domain, const struct dmarc *d,
			bool *incomplete, struct hu_findings *out)
{
	const char *policy_org = org_domain(c->psl, d->at);
	int r = 0;

	for (int k = 0; k < 2 && r >= 0; k++) {
		const char *v = tag(d, k ? "ruf" : "rua");
		char buf[512];
		char *save = NULL;
		if (!v)
			continue;
		snprintf(buf, sizeof(buf), "%s", v);
		for (char *u = strtok_r(buf, ",", &save); u && r >= 0;
		     u = strtok_r(NULL, ",", &save)) {
			u = trim(u);
			char dest[256];
			if (!mailto_domain(u, dest, sizeof(dest)) ||
			    !strcasecmp(org_domain(c->psl, dest), policy_org))
				continue;
			char q[600];
			const struct dv_answer *a;
			snprintf(q, sizeof(q), "%s._report._dmarc.%s", d->at, dest);
			r = dv_get(c->dv, DV_TXT, q, &a);
			if (r == -EAGAIN) {
				*incomplete = true;
				r = 0;
				continue;
			}
			if (r < 0) {
				r = r == -EINVAL ? 0 : r;
				continue;
			}
			if (dns_failed(a->status)) {
				r = dns_unresolved(out, domain, q, DV_TXT, a->status);
				continue;
			}
			bool authorized = false;
			for (size_t i = 0; a->status == 0 && i < a->items.n; i++)
				authorized |= is_dmarc(a->items.v[i]);
			if (!authorized)
				r = dns_add(
				    out, domain, HU_WARNING, "dmarc.rua_unauthorized",
				    json_pack("{s:s, s:s, s:s}", "uri", u, "authorization", q,
					      "tag", k ? "ruf" : "rua"),
				    "%s sends DMARC reports to %s, which has not authorized it (no "
				    "v=DMARC1 record at %s): reports will not be sent",
				    domain, dest, q);
		}
	}
	return r;
}

int dmarc_lint(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out)
{
	const struct dv_answer *a = NULL;
	size_t n = 0;
	const char *at = domain;
	int r = lookup(c, domain, domain, &a, &n, out);

	if (r == 0) {
		/* 6.6.3: no record at the domain: the organizational domain's */
		const char *org = org_domain(c->psl, domain);
		if (strcasecmp(org, domain)) {
			at = org;
			r = lookup(c, domain, org, &a, &n, out);
		}
	}
	if (r < 0 || r == 2)
		return r < 0 ? r : 0;
	if (r == 0)
		return dns_add(
		    out, domain, HU_WARNING, "dmarc.missing", json_object(),
		    "%s has no DMARC record (at _dmarc.%s%s%s): receivers apply no policy "
		    "to mail forged in its name",
		    domain, domain, strcasecmp(at, domain) ? " or _dmarc." : "",
		    strcasecmp(at, domain) ? at : "");
	if (n > 1)
		return dns_add(out, domain, HU_CRITICAL, "dmarc.multiple",
			       json_pack("{s:s, s:i}", "at", at, "records", (json_int_t)n),
			       "_dmarc.%s has %zu DMARC records: receivers then apply none of them",
			       at, n);

	struct dmarc d = { .at = at };
	char why[256] = "";
	for (size_t i = 0; i < a->items.n; i++)
		if (is_dmarc(a->items.v[i]))
			d.record = a->items.v[i];
	if (parse(d.record, &d, why, sizeof(why)) < 0)
		return dns_add(
		    out, domain, HU_CRITICAL, "dmarc.syntax",
		    json_pack("{s:s, s:s, s:s}", "at", at, "record", d.record, "reason", why),
		    "the DMARC record of %s is invalid: %s", at, why);

	const char *p = tag(&d, "p"), *sp = tag(&d, "sp"), *pct = tag(&d, "pct");
	bool inherited = strcasecmp(at, domain) != 0;
	/* For a subdomain using its organization's record, sp (if given) is its policy. */
	const char *effective = inherited && sp ? sp : p;
	int problems = 0;
	json_t *base = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s?, s:b}", "record", d.record, "at",
				 at, "p", p, "sp", sp, "effective_policy", effective, "rua",
				 tag(&d, "rua"), "inherited", inherited);
	if (!base)
		return -ENOMEM;
	r = 0;
	if (!strcasecmp(effective, "none")) {
		problems++;
		r = dns_add(out, domain, HU_WARNING, "dmarc.policy_none", json_deep_copy(base),
			    "%s's DMARC policy is none: forged mail is reported, not refused",
			    domain);
	}
	if (r >= 0 && sp && !strcasecmp(sp, "none") && strcasecmp(p, "none")) {
		problems++;
		r = dns_add(out, domain, HU_WARNING, "dmarc.subdomain_policy_none",
			    json_deep_copy(base),
			    "%s enforces DMARC (p=%s) but not for its subdomains (sp=none)", at, p);
	}
	if (r >= 0 && pct && strtoul(pct, NULL, 10) < 100) {
		problems++;
		json_t *f = json_deep_copy(base);
		json_object_set_new(f, "pct", json_integer((json_int_t)strtoul(pct, NULL, 10)));
		r = dns_add(out, domain, HU_WARNING, "dmarc.pct_partial", f,
			    "%s's DMARC policy applies to %s %% of failing mail only", at, pct);
	}
	if (r >= 0 && !tag(&d, "rua")) {
		problems++;
		r = dns_add(
		    out, domain, HU_WARNING, "dmarc.no_rua", json_deep_copy(base),
		    "%s's DMARC record asks for no aggregate reports (rua): nobody sees who "
		    "sends mail in its name",
		    at);
	}
	bool incomplete = false;
	size_t before = out->n;
	if (r >= 0)
		r = destinations(c, domain, &d, &incomplete, out);
	problems += (int)(out->n - before);
	if (r >= 0 && incomplete)
		r = -EAGAIN;
	if (r >= 0 && problems == 0)
		r = dns_add(out, domain, HU_OK, "dmarc.ok", json_deep_copy(base),
			    "%s's DMARC policy is %s%s%s%s", domain, effective,
			    inherited ? " (the record of " : "", inherited ? at : "",
			    inherited ? ")" : "");
	json_decref(base);
	return r;
}

void dmarc_follow(const psl_ctx_t *psl, struct dnsview *v, const char *name,
		  const struct dv_answer *a, unsigned depth)
{
	if (strncmp(name, "_dmarc.", 7) != 0)
		return;
	for (size_t i = 0; i < a->items.n; i++) {
		struct dmarc d = { .at = name + 7 };
		char why[256];
		if (!is_dmarc(a->items.v[i]) || parse(a->items.v[i], &d, why, sizeof(why)) < 0)
			continue;
		const char *policy_org = org_domain(psl, d.at);
		for (int k = 0; k < 2; k++) {
			const char *val = tag(&d, k ? "ruf" : "rua");
			char buf[512], dest[256], q[600];
			char *save = NULL;
			if (!val)
				continue;
			snprintf(buf, sizeof(buf), "%s", val);
			for (char *u = strtok_r(buf, ",", &save); u; u = strtok_r(NULL, ",", &save))
				if (mailto_domain(trim(u), dest, sizeof(dest)) &&
				    strcasecmp(org_domain(psl, dest), policy_org)) {
					snprintf(q, sizeof(q), "%s._report._dmarc.%s", d.at, dest);
					dv_prefetch(v, DV_TXT, q, depth + 1);
				}
		}
	}
}
