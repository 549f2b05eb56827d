/* SPDX-License-Identifier: MIT */
/*
 * check_host() (RFC 7208 4-6) over a dnsview. A missing DNS answer
 * returns -EAGAIN all the way up; the caller fetches and runs it again.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf.h"

#define MAX_DEPTH 20

int spf_eval_set_ip(struct spf_eval *e, const char *ip)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, ip, a) == 1) {
		e->family = AF_INET;
		memcpy(e->ip, a, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, a) != 1)
		return -EINVAL;
	if (IN6_IS_ADDR_V4MAPPED((struct in6_addr *)a)) {
		e->family = AF_INET;
		memcpy(e->ip, a + 12, 4);
	} else {
		e->family = AF_INET6;
		memcpy(e->ip, a, 16);
	}
	return 0;
}

bool spf_domain_valid(const char *d)
{
	size_t n = strlen(d), label = 0, labels = 0;

	if (n && d[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || d[i] == '.') {
			if (label == 0 || label > 63)
				return false;
			labels++;
			label = 0;
		} else {
			label++;
		}
	}
	return labels >= 2;
}

/* Does address text a (family fam) fall in ip/cidr? */
static bool in_net(const struct spf_eval *e, const unsigned char *net, int cidr)
{
	int bytes = e->family == AF_INET ? 4 : 16;
	int bits = cidr < 0 ? bytes * 8 : cidr;

	for (int i = 0; i < bytes && bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
		if ((e->ip[i] & mask) != (net[i] & mask))
			return false;
	}
	return true;
}

static bool addr_matches(const struct spf_eval *e, const char *text, int cidr)
{
	unsigned char a[16];

	if (inet_pton(e->family, text, a) != 1)
		return false;
	return in_net(e, a, cidr);
}

static enum dv_type addr_type(const struct spf_eval *e)
{
	return e->family == AF_INET ? DV_A : DV_AAAA;
}

struct frame {
	struct spf_eval *e;
	const char *domain;
	struct spf_macro_ctx m;
	char validated[256];
};

static void reason(struct spf_eval *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void reason(struct spf_eval *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

/* The reverse name of the client address. */
static void reverse_name(const struct spf_eval *e, char *buf, size_t len)
{
	size_t o = 0;

	if (e->family == AF_INET) {
		snprintf(buf, len, "%u.%u.%u.%u.in-addr.arpa", e->ip[3], e->ip[2], e->ip[1],
			 e->ip[0]);
		return;
	}
	for (int k = 15; k >= 0 && o + 5 < len; k--)
		o += (size_t)snprintf(buf + o, len - o, "%x.%x.", e->ip[k] & 15, e->ip[k] >> 4);
	snprintf(buf + o, len - o, "ip6.arpa");
}

/*
 * Names of the client address that resolve back to it (5.5, 7.3 %{p}).
 * Returns 0, -EAGAIN, or 1 when the PTR lookup itself failed.
 */
static int validated_names(struct spf_eval *e, struct hu_strv *ret, bool *void_lookup)
{
	const struct dv_answer *ptr, *a;
	char rev[128];
	int r;

	reverse_name(e, rev, sizeof(rev));
	r = dv_get(e->dv, DV_PTR, rev, &ptr);
	if (r < 0)
		return r;
	if (ptr->status < 0) {
		if (void_lookup)
			*void_lookup = ptr->status == -ENOENT || ptr->status == -ENODATA;
		return 1;
	}
	bool missing = false;
	for (size_t i = 0; i < ptr->items.n && i < SPF_MAX_PTR_NAMES; i++) {
		r = dv_get(e->dv, addr_type(e), ptr->items.v[i], &a);
		if (r == -EAGAIN) {
			missing = true;
			continue;
		}
		if (r < 0)
			continue; /* a name that cannot be asked is skipped */
		for (size_t k = 0; a->status == 0 && k < a->items.n; k++)
			if (addr_matches(e, a->items.v[k], -1)) {
				if (hu_strv_push_unique(ret, ptr->items.v[i]) < 0)
					return -ENOMEM;
				break;
			}
	}
	return missing ? -EAGAIN : 0;
}

static bool name_under(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	if (d && domain[d - 1] == '.')
		d--;
	if (n == d)
		return strncasecmp(name, domain, d) == 0;
	return n > d && name[n - d - 1] == '.' && strncasecmp(name + n - d, domain, d) == 0;
}

/* Expand, filling %{p} on demand. */
static int expand(struct frame *f, const char *spec, bool exp, bool domain, char **ret)
{
	int r = spf_expand(spec, &f->m, exp, domain, ret);

	if (r != -EAGAIN)
		return r;
	/* %{p}: a validated name, preferring the domain itself, then a subdomain. */
	struct hu_strv names = HU_STRV_INIT;
	r = validated_names(f->e, &names, NULL);
	if (r == -EAGAIN || r == -ENOMEM) {
		hu_strv_clear(&names);
		return r;
	}
	const char *pick = NULL;
	for (size_t i = 0; i < names.n && !pick; i++)
		if (!strcasecmp(names.v[i], f->domain))
			pick = names.v[i];
	for (size_t i = 0; i < names.n && !pick; i++)
		if (name_under(names.v[i], f->domain))
			pick = names.v[i];
	if (!pick && names.n)
		pick = names.v[0];
	snprintf(f->validated, sizeof(f->validated), "%s", pick ? pick : "unknown");
	hu_strv_clear(&names);
	f->m.validated = f->validated;
	return spf_expand(spec, &f->m, exp, domain, ret);
}

static int check_host(struct spf_eval *e, const char *domain, int depth, bool explain,
		      enum spf_result *ret);

/* A lookup term is being evaluated: count it (4.6.4). */
static bool over_limit(struct spf_eval *e)
{
	if (++e->lookups > SPF_MAX_LOOKUPS) {
		reason(e, "more than %d DNS-querying terms", SPF_MAX_LOOKUPS);
		return true;
	}
	return false;
}

/* An answer with nothing in it (4.6.4 void lookups). */
static bool over_voids(struct spf_eval *e, const struct dv_answer *a)
{
	if (a->status != -ENOENT && a->status != -ENODATA)
		return false;
	if (++e->voids > SPF_MAX_VOIDS) {
		reason(e, "more than %d void lookups", SPF_MAX_VOIDS);
		return true;
	}
	return false;
}

/* One mechanism: 1 match, 0 no match, or a terminal result in *res (returns 2). */
static int mechanism(struct frame *f, const struct spf_term *t, int depth, enum spf_result *res)
{
	struct spf_eval *e = f->e;
	const struct dv_answer *a;
	char *target = NULL;
	int r = 0;

	switch (t->kind) {
	case SPF_ALL:
		return 1;
	case SPF_IP4:
		return e->family == AF_INET && in_net(e, t->ip, t->cidr4);
	case SPF_IP6:
		return e->family == AF_INET6 && in_net(e, t->ip, t->cidr6);
	default:
		break;
	}
	if (over_limit(e)) {
		*res = SPF_PERMERROR;
		return 2;
	}
	r = expand(f, t->domain_spec ? t->domain_spec : "%{d}", false, true, &target);
	if (r == -EAGAIN || r == -ENOMEM)
		return r;
	if (r < 0 || !spf_domain_valid(target)) {
		/* An expansion that is not a domain name cannot match anything. */
		free(target);
		if (t->kind == SPF_INCLUDE) {
			reason(e, "include of an invalid domain");
			*res = SPF_PERMERROR;
			return 2;
		}
		return 0;
	}
	switch (t->kind) {
	case SPF_INCLUDE: {
		enum spf_result sub;
		r = check_host(e, target, depth + 1, false, &sub);
		if (r < 0)
			break;
		if (sub == SPF_PASS)
			r = 1;
		else if (sub == SPF_FAIL || sub == SPF_SOFTFAIL || sub == SPF_NEUTRAL)
			r = 0;
		else {
			if (sub == SPF_NONE)
				reason(e, "include:%s has no SPF record", target);
			*res = sub == SPF_TEMPERROR ? SPF_TEMPERROR : SPF_PERMERROR;
			r = 2;
		}
		break;
	}
	case SPF_A:
	case SPF_EXISTS:
		r = dv_get(e->dv, t->kind == SPF_EXISTS ? DV_A : addr_type(e), target, &a);
		if (r < 0)
			break;
		if (a->status < 0 && a->status != -ENOENT && a->status != -ENODATA) {
			reason(e, "%s lookup of %s failed", t->kind == SPF_A ? "address" : "A",
			       target);
			*res = SPF_TEMPERROR;
			r = 2;
			break;
		}
		if (over_voids(e, a)) {
			*res = SPF_PERMERROR;
			r = 2;
			break;
		}
		r = 0;
		for (size_t i = 0; a->status == 0 && i < a->items.n && !r; i++)
			r = t->kind == SPF_EXISTS ||
			    addr_matches(e, a->items.v[i],
					 e->family == AF_INET ? t->cidr4 : t->cidr6);
		break;
	case SPF_MX: {
		r = dv_get(e->dv, DV_MX, target, &a);
		if (r < 0)
			break;
		if (a->status < 0 && a->status != -ENOENT && a->status != -ENODATA) {
			reason(e, "MX lookup of %s failed", target);
			*res = SPF_TEMPERROR;
			r = 2;
			break;
		}
		if (over_voids(e, a)) {
			*res = SPF_PERMERROR;
			r = 2;
			break;
		}
		if (a->status == 0 && a->items.n > SPF_MAX_MX_NAMES) {
			reason(e, "%s has more than %d MX records", target, SPF_MAX_MX_NAMES);
			*res = SPF_PERMERROR;
			r = 2;
			break;
		}
		bool missing = false, match = false;
		for (size_t i = 0; a->status == 0 && i < a->items.n && !match; i++) {
			const struct dv_answer *x;
			if (!strcmp(a->items.v[i], "."))
				continue; /* null MX */
			int q = dv_get(e->dv, addr_type(e), a->items.v[i], &x);
			if (q == -EAGAIN) {
				missing = true;
				continue;
			}
			if (q < 0)
				continue;
			for (size_t k = 0; x->status == 0 && k < x->items.n && !match; k++)
				match = addr_matches(e, x->items.v[k],
						     e->family == AF_INET ? t->cidr4 : t->cidr6);
		}
		r = match ? 1 : (missing ? -EAGAIN : 0);
		break;
	}
	case SPF_PTR: {
		struct hu_strv names = HU_STRV_INIT;
		bool void_lookup = false;
		r = validated_names(e, &names, &void_lookup);
		if (r == 1) {
			/* a failed PTR lookup does not match; an empty one is void */
			r = 0;
			if (void_lookup && ++e->voids > SPF_MAX_VOIDS) {
				reason(e, "more than %d void lookups", SPF_MAX_VOIDS);
				*res = SPF_PERMERROR;
				r = 2;
			}
		} else if (r == 0) {
			for (size_t i = 0; i < names.n && !r; i++)
				r = name_under(names.v[i], target);
		}
		hu_strv_clear(&names);
		break;
	}
	default:
		r = 0;
	}
	free(target);
	return r;
}

/* The explanation of a fail (6.2); any problem leaves the default. */
static int explanation(struct frame *f, const struct spf_term *t)
{
	struct spf_eval *e = f->e;
	const struct dv_answer *a;
	char *target = NULL, *text = NULL;
	int r = expand(f, t->domain_spec, false, true, &target);

	if (r == -EAGAIN || r == -ENOMEM)
		return r;
	if (r < 0 || !spf_domain_valid(target)) {
		free(target);
		return 0;
	}
	r = dv_get(e->dv, DV_TXT, target, &a);
	free(target);
	if (r == -EAGAIN || r == -ENOMEM)
		return r;
	if (r < 0 || a->status < 0 || a->items.n != 1)
		return 0;
	r = expand(f, a->items.v[0], true, false, &text);
	if (r == -EAGAIN || r == -ENOMEM)
		return r;
	if (r == 0) {
		/* US-ASCII only (6.2) */
		bool ascii = true;
		for (const char *p = text; *p; p++)
			ascii &= (unsigned char)*p < 0x80;
		if (ascii) {
			snprintf(e->explanation, sizeof(e->explanation), "%s", text);
			e->has_explanation = true;
		}
	}
	free(text);
	return 0;
}

static int check_host(struct spf_eval *e, const char *domain, int depth, bool explain,
		      enum spf_result *ret)
{
	const struct dv_answer *txt;
	struct spf_record rec = { .redirect = -1, .exp = -1 };
	struct spf_syntax syn;
	const char *record = NULL;
	struct frame f = { .e = e, .domain = domain };
	int r;

	if (depth > MAX_DEPTH) {
		reason(e, "includes nested deeper than %d", MAX_DEPTH);
		*ret = SPF_PERMERROR;
		return 0;
	}
	/* 4.3: a malformed or single-label domain is "none". */
	if (!spf_domain_valid(domain)) {
		reason(e, "%s is not a valid domain name", domain);
		*ret = SPF_NONE;
		return 0;
	}
	r = dv_get(e->dv, DV_TXT, domain, &txt);
	if (r < 0)
		return r;
	if (txt->status == -ENOENT || txt->status == -ENODATA) {
		reason(e, "%s has no SPF record", domain);
		*ret = SPF_NONE;
		return 0;
	}
	if (txt->status < 0) {
		reason(e, "TXT lookup of %s failed", domain);
		*ret = SPF_TEMPERROR;
		return 0;
	}
	size_t found = 0;
	for (size_t i = 0; i < txt->items.n; i++)
		if (spf_is_record(txt->items.v[i])) {
			record = txt->items.v[i];
			found++;
		}
	if (found != 1) {
		reason(e, found ? "%s has more than one SPF record" : "%s has no SPF record",
		       domain);
		*ret = found ? SPF_PERMERROR : SPF_NONE;
		return 0;
	}
	if (spf_parse(record, &rec, &syn) < 0) {
		reason(e, "%s: %s at \"%s\"", domain, syn.reason, syn.term);
		*ret = SPF_PERMERROR;
		return 0;
	}
	/* Macro values of this evaluation. */
	const char *at = strrchr(e->sender, '@');
	char local[256], sdomain[256];
	size_t ll = at ? (size_t)(at - e->sender) : 0;
	if (ll >= sizeof(local))
		ll = sizeof(local) - 1;
	memcpy(local, e->sender, ll);
	local[ll] = '\0';
	snprintf(sdomain, sizeof(sdomain), "%s", at ? at + 1 : e->sender);
	f.m = (struct spf_macro_ctx){ .sender = e->sender,
				      .local = local[0] ? local : "postmaster",
				      .sender_domain = sdomain,
				      .domain = domain,
				      .helo = e->helo,
				      .family = e->family,
				      .ip = e->ip,
				      .now = e->now };

	enum spf_result res = SPF_NEUTRAL;
	bool decided = false;
	for (size_t i = 0; i < rec.n && !decided; i++) {
		const struct spf_term *t = &rec.terms[i];
		if (t->kind >= SPF_REDIRECT)
			continue;
		r = mechanism(&f, t, depth, &res);
		if (r < 0)
			goto out;
		if (r == 2) {
			decided = true;
			break;
		}
		if (r == 1) {
			decided = true;
			res = t->qualifier == '-'   ? SPF_FAIL
			      : t->qualifier == '~' ? SPF_SOFTFAIL
			      : t->qualifier == '?' ? SPF_NEUTRAL
						    : SPF_PASS;
			reason(e, "matched %.*s in %s", (int)t->len, record + t->pos, domain);
			if (res == SPF_FAIL && explain && rec.exp >= 0) {
				r = explanation(&f, &rec.terms[rec.exp]);
				if (r < 0)
					goto out;
			}
		}
	}
	if (!decided && rec.redirect >= 0 && !rec.has_all) {
		/* 6.1: evaluate the target's record instead; none there is permerror */
		char *target = NULL;
		if (over_limit(e)) {
			res = SPF_PERMERROR;
			goto done;
		}
		r = expand(&f, rec.terms[rec.redirect].domain_spec, false, true, &target);
		if (r == -EAGAIN || r == -ENOMEM)
			goto out;
		if (r < 0 || !spf_domain_valid(target)) {
			reason(e, "redirect to an invalid domain");
			res = SPF_PERMERROR;
		} else {
			r = check_host(e, target, depth + 1, explain, &res);
			if (r < 0) {
				free(target);
				goto out;
			}
			if (res == SPF_NONE) {
				reason(e, "redirect=%s has no SPF record", target);
				res = SPF_PERMERROR;
			}
		}
		free(target);
	} else if (!decided) {
		reason(e, "no term matched in %s", domain);
	}
done:
	*ret = res;
	r = 0;
out:
	spf_record_clear(&rec);
	return r;
}

int spf_check_host(struct spf_eval *e, const char *domain, enum spf_result *ret)
{
	e->lookups = e->voids = 0;
	e->has_explanation = false;
	e->explanation[0] = e->reason[0] = '\0';
	return check_host(e, domain, 0, true, ret);
}
