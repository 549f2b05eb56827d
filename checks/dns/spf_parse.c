/* SPDX-License-Identifier: MIT */
/*
 * SPF records into terms, by the ABNF of RFC 7208 section 12. The whole
 * record is parsed: a syntax error anywhere makes it invalid (4.6), also
 * after a term that would match.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf.h"

static const char *const result_names[_SPF_RESULT_MAX] = {
	[SPF_NONE] = "none",           [SPF_NEUTRAL] = "neutral",   [SPF_PASS] = "pass",
	[SPF_FAIL] = "fail",           [SPF_SOFTFAIL] = "softfail", [SPF_TEMPERROR] = "temperror",
	[SPF_PERMERROR] = "permerror",
};

const char *spf_result_name(enum spf_result r)
{
	return r >= 0 && r < _SPF_RESULT_MAX ? result_names[r] : "?";
}

bool spf_is_record(const char *txt)
{
	return strncasecmp(txt, "v=spf1", 6) == 0 && (txt[6] == ' ' || txt[6] == '\0');
}

void spf_record_clear(struct spf_record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->terms[i].domain_spec);
	free(r->terms);
	*r = (struct spf_record){ .redirect = -1, .exp = -1 };
}

static int syntax(struct spf_syntax *err, const char *rec, size_t pos, size_t len, const char *why)
{
	if (err) {
		err->pos = pos;
		snprintf(err->term, sizeof(err->term), "%.*s", (int)(len < 100 ? len : 100),
			 rec + pos);
		snprintf(err->reason, sizeof(err->reason), "%s", why);
	}
	return -EINVAL;
}

static bool alnum(char c)
{
	return isalnum((unsigned char)c);
}

/* toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static bool toplabel(const char *s, size_t n)
{
	bool alpha = false;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (isalpha((unsigned char)s[i]))
			alpha = true;
		else if (s[i] != '-' && !isdigit((unsigned char)s[i]))
			return false;
	}
	if (!alpha) /* all digits, or digits and hyphens: valid only with a hyphen inside */
		if (!memchr(s, '-', n))
			return false;
	return alnum(s[0]) && alnum(s[n - 1]);
}

/* domain-spec = macro-string domain-end */
static bool domain_spec_valid(const char *s, size_t n)
{
	if (n == 0 || !spf_macro_valid(s, n, false))
		return false;
	/* domain-end = ( "." toplabel [ "." ] ) / macro-expand */
	if (s[n - 1] == '}') {
		/* ends with a macro-expand: find its "%{" */
		for (size_t i = n - 1; i-- > 0;)
			if (s[i] == '%' && s[i + 1] == '{' && (i == 0 || s[i - 1] != '%'))
				return true;
		return false;
	}
	size_t end = n;
	if (s[end - 1] == '.')
		end--;
	const char *dot = NULL;
	for (size_t i = end; i-- > 0;)
		if (s[i] == '.') {
			dot = s + i;
			break;
		}
	if (!dot)
		return false; /* a single label is not a domain (a-only-toplabel) */
	return toplabel(dot + 1, (size_t)(s + end - dot - 1));
}

/* The ":domain-spec" of a mechanism at rest (n > 0 bytes, ':' first): *arg,
 * *al; NULL when valid, else why not. */
static const char *colon_domain_spec(const char *rest, size_t n, const char **arg, size_t *al)
{
	*arg = rest + 1;
	*al = n - 1;
	if (domain_spec_valid(*arg, *al))
		return NULL;
	return *al ? "invalid domain-spec" : "empty domain-spec";
}

/* "/" digits: 0 or no leading zero, at most max. -1 when not a CIDR length. */
static int cidr_value(const char *s, size_t n, int max)
{
	int v = 0;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

/*
 * Split a trailing dual-cidr-length off [s, s+*n): "/24", "//64", "/24//64".
 * Returns 0 (and shortens *n), or -EINVAL for a bad length.
 */
static int split_cidr(const char *s, size_t *n, bool dual, int *c4, int *c6)
{
	size_t len = *n;
	const char *slash;

	*c4 = *c6 = -1;
	/* the last "/..." must be all digits to be a CIDR */
	slash = NULL;
	for (size_t i = len; i-- > 0;)
		if (s[i] == '/') {
			slash = s + i;
			break;
		}
	if (!slash)
		return 0;
	size_t dl = (size_t)(s + len - slash - 1);
	for (size_t i = 0; i < dl; i++)
		if (!isdigit((unsigned char)slash[1 + i]))
			return 0; /* not a CIDR: part of the domain-spec */
	if (dl == 0)
		return -EINVAL;
	if (dual && slash > s && slash[-1] == '/') {
		*c6 = cidr_value(slash + 1, dl, 128);
		if (*c6 < 0)
			return -EINVAL;
		len = (size_t)(slash - 1 - s);
		/* a "/n" before "//m"? */
		slash = NULL;
		for (size_t i = len; i-- > 0;)
			if (s[i] == '/') {
				slash = s + i;
				break;
			}
		if (slash) {
			dl = (size_t)(s + len - slash - 1);
			bool digits = dl > 0;
			for (size_t i = 0; i < dl; i++)
				digits &= isdigit((unsigned char)slash[1 + i]) != 0;
			if (digits) {
				*c4 = cidr_value(slash + 1, dl, 32);
				if (*c4 < 0)
					return -EINVAL;
				len = (size_t)(slash - s);
			}
		}
		*n = len;
		return 0;
	}
	*c4 = cidr_value(slash + 1, dl, 32);
	if (*c4 < 0)
		return -EINVAL;
	*n = (size_t)(slash - s);
	return 0;
}

static bool name_char_ok(char c, bool first)
{
	return isalpha((unsigned char)c) ||
	       (!first && (isdigit((unsigned char)c) || c == '-' || c == '_' || c == '.'));
}

static int add_term(struct spf_record *rec, const struct spf_term *t)
{
	struct spf_term *v = realloc(rec->terms, (rec->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	rec->terms = v;
	rec->terms[rec->n++] = *t;
	return 0;
}

/* One term at rec[pos..pos+len). */
static int parse_term(const char *rec, size_t pos, size_t len, struct spf_record *out,
		      struct spf_syntax *err)
{
	const char *t = rec + pos;
	struct spf_term term = {
		.qualifier = '+', .cidr4 = -1, .cidr6 = -1, .pos = pos, .len = len
	};
	size_t i = 0, nl;

	/* modifier: name "=" ... (a qualifier never precedes a modifier) */
	size_t q = (t[0] == '+' || t[0] == '-' || t[0] == '~' || t[0] == '?') ? 1 : 0;
	for (nl = q; nl < len && name_char_ok(t[nl], nl == q); nl++)
		;
	if (nl < len && t[nl] == '=') {
		if (q)
			return syntax(err, rec, pos, len, "a modifier cannot have a qualifier");
		if (nl == 0)
			return syntax(err, rec, pos, len, "empty modifier name");
		const char *val = t + nl + 1;
		size_t vl = len - nl - 1;
		if (nl == 8 && !strncasecmp(t, "redirect", 8))
			term.kind = SPF_REDIRECT;
		else if (nl == 3 && !strncasecmp(t, "exp", 3))
			term.kind = SPF_EXP;
		else
			term.kind = SPF_UNKNOWN_MOD;
		if (term.kind == SPF_UNKNOWN_MOD) {
			if (!spf_macro_valid(val, vl, false))
				return syntax(err, rec, pos, len,
					      "invalid macro in a modifier's value");
			return 0; /* ignored (RFC 7208 6) */
		}
		if (!domain_spec_valid(val, vl))
			return syntax(err, rec, pos, len,
				      vl ? "invalid domain-spec" : "empty domain-spec");
		int *slot = term.kind == SPF_REDIRECT ? &out->redirect : &out->exp;
		if (*slot >= 0)
			return syntax(err, rec, pos, len,
				      term.kind == SPF_REDIRECT ? "redirect= given twice"
								: "exp= given twice");
		term.domain_spec = strndup(val, vl);
		if (!term.domain_spec || add_term(out, &term) < 0) {
			free(term.domain_spec);
			return -ENOMEM;
		}
		*slot = (int)out->n - 1;
		return 0;
	}

	/* directive = [ qualifier ] mechanism */
	if (q) {
		term.qualifier = t[0];
		i = 1;
	}
	size_t ml;
	for (ml = i; ml < len && isalnum((unsigned char)t[ml]); ml++)
		;
	static const struct {
		const char *name;
		enum spf_mech kind;
	} mechs[] = {
		{ "all", SPF_ALL }, { "include", SPF_INCLUDE }, { "a", SPF_A },
		{ "mx", SPF_MX },   { "ptr", SPF_PTR },         { "ip4", SPF_IP4 },
		{ "ip6", SPF_IP6 }, { "exists", SPF_EXISTS },
	};
	bool found = false;
	for (size_t k = 0; k < sizeof(mechs) / sizeof(mechs[0]); k++)
		if (strlen(mechs[k].name) == ml - i && !strncasecmp(t + i, mechs[k].name, ml - i)) {
			term.kind = mechs[k].kind;
			found = true;
		}
	if (!found)
		return syntax(err, rec, pos, len, "unknown mechanism");
	const char *rest = t + ml;
	size_t rl = len - ml;
	const char *arg = NULL, *why;
	size_t al = 0;

	switch (term.kind) {
	case SPF_ALL:
		if (rl)
			return syntax(err, rec, pos, len, "all takes no argument");
		out->has_all = true;
		break;
	case SPF_INCLUDE:
	case SPF_EXISTS:
		if (rl == 0 || rest[0] != ':')
			return syntax(err, rec, pos, len, "a domain-spec is required");
		if ((why = colon_domain_spec(rest, rl, &arg, &al)))
			return syntax(err, rec, pos, len, why);
		break;
	case SPF_PTR:
		if (rl && rest[0] != ':')
			return syntax(err, rec, pos, len, "ptr takes no CIDR length");
		if (rl && (why = colon_domain_spec(rest, rl, &arg, &al)))
			return syntax(err, rec, pos, len, why);
		break;
	case SPF_A:
	case SPF_MX: {
		size_t n = rl;
		if (split_cidr(rest, &n, true, &term.cidr4, &term.cidr6) < 0)
			return syntax(err, rec, pos, len, "invalid CIDR length");
		if (n) {
			if (rest[0] != ':')
				return syntax(err, rec, pos, len,
					      "unexpected characters after the mechanism");
			if ((why = colon_domain_spec(rest, n, &arg, &al)))
				return syntax(err, rec, pos, len, why);
		}
		break;
	}
	case SPF_IP4:
	case SPF_IP6: {
		bool v4 = term.kind == SPF_IP4;
		char addr[64];
		size_t n = rl;
		if (rl == 0 || rest[0] != ':')
			return syntax(err, rec, pos, len, "an address is required");
		/* one "/n" at most: a dual CIDR is not allowed here */
		const char *slash = memchr(rest + 1, '/', rl - 1);
		if (slash) {
			n = (size_t)(slash - rest);
			int c =
			    cidr_value(slash + 1, (size_t)(rest + rl - slash - 1), v4 ? 32 : 128);
			if (c < 0)
				return syntax(err, rec, pos, len, "invalid CIDR length");
			if (v4)
				term.cidr4 = c;
			else
				term.cidr6 = c;
		}
		if (n - 1 == 0 || n - 1 >= sizeof(addr))
			return syntax(err, rec, pos, len, "invalid address");
		memcpy(addr, rest + 1, n - 1);
		addr[n - 1] = '\0';
		if (inet_pton(v4 ? AF_INET : AF_INET6, addr, term.ip) != 1)
			return syntax(err, rec, pos, len,
				      v4 ? "invalid IPv4 address" : "invalid IPv6 address");
		break;
	}
	default:
		break;
	}
	if (arg) {
		term.domain_spec = strndup(arg, al);
		if (!term.domain_spec)
			return -ENOMEM;
	}
	if (add_term(out, &term) < 0) {
		free(term.domain_spec);
		return -ENOMEM;
	}
	return 0;
}

int spf_parse(const char *text, struct spf_record *ret, struct spf_syntax *err)
{
	struct spf_record rec = { .redirect = -1, .exp = -1 };
	size_t n = strlen(text), pos = 6;
	int r = 0;

	if (!spf_is_record(text))
		return syntax(err, text, 0, n < 6 ? n : 6, "not an SPF record");
	/* US-ASCII only, terms separated by SP only (RFC 7208 3.1, 4.6.1). */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c > 0x7e) {
			size_t s = i;
			while (s > 0 && text[s - 1] != ' ')
				s--;
			size_t e = i;
			while (e < n && text[e] != ' ')
				e++;
			return syntax(err, text, s, e - s,
				      c > 0x7e ? "non-ASCII character" : "control character");
		}
	}
	while (pos < n && r >= 0) {
		while (pos < n && text[pos] == ' ')
			pos++;
		if (pos >= n)
			break;
		size_t start = pos;
		while (pos < n && text[pos] != ' ')
			pos++;
		r = parse_term(text, start, pos - start, &rec, err);
	}
	if (r < 0) {
		spf_record_clear(&rec);
		return r;
	}
	*ret = rec;
	return 0;
}
