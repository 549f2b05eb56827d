/* SPDX-License-Identifier: MIT */
/*
 * SPF macros (RFC 7208 7): %{letter transformers delimiters}, %%, %_, %-.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "spf.h"

#define MAX_EXPANSION 8192
#define MAX_PARTS     128

static bool is_delim(char c)
{
	return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' || c == '_' || c == '=';
}

static bool letter_ok(char c, bool exp)
{
	c = (char)tolower((unsigned char)c);
	if (strchr("slodiphv", c))
		return true;
	return exp && strchr("crt", c);
}

/* Parse "%{...}" at s (s[0] == '%', s[1] == '{'); returns its length or 0. */
static size_t macro_len(const char *s, size_t n, bool exp)
{
	size_t i = 2;

	if (i >= n || !letter_ok(s[i], exp))
		return 0;
	i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == 'r' || s[i] == 'R'))
		i++;
	while (i < n && is_delim(s[i]))
		i++;
	return i < n && s[i] == '}' ? i + 1 : 0;
}

bool spf_macro_valid(const char *s, size_t n, bool exp)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c != '%') {
			/* macro-literal = %x21-24 / %x26-7E; exp text also allows SP */
			if (!(c >= 0x21 && c <= 0x7e) && !(exp && c == ' '))
				return false;
			i++;
			continue;
		}
		if (i + 1 >= n)
			return false;
		if (s[i + 1] == '%' || s[i + 1] == '_' || s[i + 1] == '-') {
			i += 2;
			continue;
		}
		if (s[i + 1] != '{')
			return false;
		size_t l = macro_len(s + i, n - i, exp);
		if (!l)
			return false;
		/* A digit transformer of 0 is not allowed (7.3: "at least one"). */
		if (isdigit((unsigned char)s[i + 3]) && s[i + 3] == '0') {
			size_t j = i + 3;
			while (j < i + l && s[j] == '0')
				j++;
			if (!isdigit((unsigned char)s[j]))
				return false;
		}
		i += l;
	}
	return true;
}

/* The value of a macro letter, or -EAGAIN for %{p} not yet known. */
static int letter_value(char letter, const struct spf_macro_ctx *m, char *buf, size_t len,
			const char **ret)
{
	switch (tolower((unsigned char)letter)) {
	case 's':
		*ret = m->sender;
		return 0;
	case 'l':
		*ret = m->local;
		return 0;
	case 'o':
		*ret = m->sender_domain;
		return 0;
	case 'd':
		*ret = m->domain;
		return 0;
	case 'h':
		*ret = m->helo;
		return 0;
	case 'v':
		*ret = m->family == AF_INET ? "in-addr" : "ip6";
		return 0;
	case 'p':
		if (!m->validated)
			return -EAGAIN;
		*ret = m->validated;
		return 0;
	case 'r':
		*ret = "unknown"; /* the checking host's name is not known */
		return 0;
	case 't':
		snprintf(buf, len, "%lld", (long long)m->now);
		*ret = buf;
		return 0;
	case 'c':
		inet_ntop(m->family, m->ip, buf, (socklen_t)len);
		*ret = buf;
		return 0;
	case 'i':
		if (m->family == AF_INET) {
			inet_ntop(AF_INET, m->ip, buf, (socklen_t)len);
		} else {
			/* Dot-format nibbles (7.3). The RFC names no case and DNS
			 * ignores it; upper case is what the reference suite expects. */
			size_t o = 0;
			for (int k = 0; k < 16 && o + 4 < len; k++) {
				o += (size_t)snprintf(buf + o, len - o, "%s%X.%X", k ? "." : "",
						      m->ip[k] >> 4, m->ip[k] & 15);
			}
		}
		*ret = buf;
		return 0;
	}
	return -EINVAL;
}

static int url_escape(struct hu_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int r = isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'
			    ? hu_buf_append(out, s, 1)
			    : hu_buf_printf(out, "%%%02X", c);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Apply transformers and delimiters to value and append it. */
static int expand_one(struct hu_buf *out, const char *value, const char *spec, size_t speclen,
		      bool upper)
{
	char delims[8] = "";
	size_t nd = 0, i = 0;
	unsigned long keep = 0;
	bool reverse = false, any = false;
	const char *parts[MAX_PARTS];
	size_t plen[MAX_PARTS], np = 0;

	while (i < speclen && isdigit((unsigned char)spec[i])) {
		keep = keep * 10 + (unsigned long)(spec[i] - '0');
		if (keep > 1000)
			keep = 1000;
		i++;
		any = true;
	}
	if (i < speclen && (spec[i] == 'r' || spec[i] == 'R')) {
		reverse = true;
		i++;
		any = true;
	}
	for (; i < speclen && nd < sizeof(delims) - 1; i++) {
		if (!strchr(delims, spec[i]))
			delims[nd++] = spec[i];
		any = true;
	}
	if (!nd)
		delims[nd++] = '.';
	struct hu_buf piece = HU_BUF_INIT(MAX_EXPANSION);
	int r = 0;
	if (!any) {
		r = hu_buf_append(&piece, value, strlen(value));
	} else {
		/* split on any delimiter, keep the rightmost `keep` parts, join with "." */
		const char *p = value;
		for (;;) {
			size_t l = strcspn(p, delims);
			if (np < MAX_PARTS) {
				parts[np] = p;
				plen[np++] = l;
			}
			if (!p[l])
				break;
			p += l + 1;
		}
		if (reverse)
			for (size_t a = 0, b = np ? np - 1 : 0; a < b; a++, b--) {
				const char *tp = parts[a];
				size_t tl = plen[a];
				parts[a] = parts[b];
				plen[a] = plen[b];
				parts[b] = tp;
				plen[b] = tl;
			}
		size_t first = keep && keep < np ? np - keep : 0;
		for (size_t k = first; k < np && r >= 0; k++) {
			if (k > first)
				r = hu_buf_append(&piece, ".", 1);
			if (r >= 0)
				r = hu_buf_append(&piece, parts[k], plen[k]);
		}
	}
	if (r >= 0)
		r = upper ? url_escape(out, piece.data ? piece.data : "")
			  : hu_buf_append(out, piece.data ? piece.data : "", piece.len);
	hu_buf_clear(&piece);
	return r;
}

int spf_expand(const char *spec, const struct spf_macro_ctx *m, bool exp, bool domain, char **ret)
{
	struct hu_buf out = HU_BUF_INIT(MAX_EXPANSION);
	size_t n = strlen(spec);
	int r = 0;

	if (!spf_macro_valid(spec, n, exp))
		return -EINVAL;
	for (size_t i = 0; i < n && r >= 0;) {
		if (spec[i] != '%') {
			r = hu_buf_append(&out, spec + i, 1);
			i++;
			continue;
		}
		char c = spec[i + 1];
		if (c == '%' || c == '_' || c == '-') {
			r = hu_buf_append(&out, c == '%' ? "%" : (c == '_' ? " " : "%20"),
					  c == '-' ? 3 : 1);
			i += 2;
			continue;
		}
		size_t l = macro_len(spec + i, n - i, exp);
		char buf[128];
		const char *value = NULL;
		r = letter_value(spec[i + 2], m, buf, sizeof(buf), &value);
		if (r >= 0)
			r = expand_one(&out, value ? value : "", spec + i + 3, l - 4,
				       isupper((unsigned char)spec[i + 2]) != 0);
		i += l;
	}
	if (r < 0) {
		hu_buf_clear(&out);
		return r == -E2BIG ? -EINVAL : r;
	}
	char *s = hu_buf_steal(&out);
	if (!s)
		return -ENOMEM;
	if (domain) {
		/* Over 253 characters: drop labels from the left (7.3). */
		char *p = s;
		size_t len = strlen(p);
		if (len && p[len - 1] == '.')
			p[--len] = '\0';
		while (len > 253) {
			char *dot = strchr(p, '.');
			if (!dot) {
				free(s);
				return -EINVAL;
			}
			len -= (size_t)(dot + 1 - p);
			p = dot + 1;
		}
		if (p != s)
			memmove(s, p, len + 1);
	}
	*ret = s;
	return 0;
}
