/* SPDX-License-Identifier: MIT */
/*
 * Values read from PHP, INI and YAML source as text: the way WP-CLI reads
 * version.php, never by running the code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "huolto/buf.h"
#include "cms.h"

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

/* Find needle (length n) in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *needle, size_t n)
{
	while (p && (size_t)(end - p) >= n) {
		const char *q = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!q)
			return NULL;
		if (memcmp(q, needle, n) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

static int quoted(const char **pp, const char *end, char **ret)
{
	const char *p = *pp;
	char q = *p++;
	struct hu_buf b = HU_BUF_INIT(CMS_MAX_CORE_FILE);
	int r = 0;

	for (; p < end && *p != q && r >= 0; p++) {
		char c = *p;
		if (c == '\\' && p + 1 < end) {
			char n = p[1];
			if (q == '\'' && (n == '\'' || n == '\\')) {
				c = n;
				p++;
			} else if (q == '"') {
				static const char from[] = "nrtv\\\"$e0f";
				static const char to[] = "\n\r\t\v\\\"$\033\0\f";
				const char *m = memchr(from, n, sizeof(from) - 1);
				if (m) {
					c = to[m - from];
					p++;
				}
			}
		} else if (q == '"' && c == '$' && p + 1 < end && (is_ident(p[1]) || p[1] == '{')) {
			r = -EINVAL; /* interpolation: not a literal */
			break;
		}
		r = hu_buf_append(&b, &c, 1);
	}
	if (r >= 0 && p >= end)
		r = -EINVAL; /* unterminated */
	if (r < 0) {
		hu_buf_clear(&b);
		return r;
	}
	*pp = p + 1;
	*ret = hu_buf_steal(&b);
	return *ret ? 0 : -ENOMEM;
}

int cms_php_literal(const char **pp, const char *end, char **ret)
{
	const char *p = skip_space(*pp, end), *start;
	char *v = NULL;
	int r;

	if (p >= end)
		return -EINVAL;
	if (*p == '\'' || *p == '"') {
		r = quoted(&p, end, &v);
		if (r < 0)
			return r;
	} else {
		start = p;
		if (*p == '-' || *p == '+')
			p++;
		while (p < end && (is_ident(*p) || *p == '.'))
			p++;
		if (p == start)
			return -EINVAL;
		v = strndup(start, (size_t)(p - start));
		if (!v)
			return -ENOMEM;
	}
	/* A literal ends the expression; anything else makes it one. */
	const char *after = skip_space(p, end);
	if (after < end && *after != ';' && *after != ',' && *after != ')') {
		free(v);
		return -EINVAL;
	}
	*pp = p;
	*ret = v;
	return 0;
}

int cms_php_var(const char *text, size_t len, const char *name, char **ret)
{
	const char *end = text + len, *p = text;
	size_t n = strlen(name);

	while ((p = find(p, end, "$", 1))) {
		const char *q = p + 1;
		p = q;
		if ((size_t)(end - q) < n || memcmp(q, name, n) != 0 ||
		    (q + n < end && is_ident(q[n])))
			continue;
		q = skip_space(q + n, end);
		if (q >= end || *q != '=' || (q + 1 < end && q[1] == '='))
			continue;
		q++;
		return cms_php_literal(&q, end, ret);
	}
	return -ENOENT;
}

int cms_php_const(const char *text, size_t len, const char *name, char **ret)
{
	const char *end = text + len, *p = text;
	size_t n = strlen(name);

	while ((p = find(p, end, "const", 5))) {
		const char *q = p + 5;
		bool word = (p == text || !is_ident(p[-1])) && q < end && is_space(*q);
		p = q;
		if (!word)
			continue;
		q = skip_space(q, end);
		if ((size_t)(end - q) < n || memcmp(q, name, n) != 0 ||
		    (q + n < end && is_ident(q[n])))
			continue;
		q = skip_space(q + n, end);
		if (q >= end || *q != '=')
			continue;
		q++;
		return cms_php_literal(&q, end, ret);
	}
	return -ENOENT;
}

int cms_php_define(const char *text, size_t len, const char *name, char **ret)
{
	const char *end = text + len, *p = text;
	int found = -ENOENT;

	for (; (size_t)(end - p) >= 6; p++) {
		if (strncasecmp(p, "define", 6) != 0 || (p > text && is_ident(p[-1])))
			continue;
		const char *q = skip_space(p + 6, end);
		char *key = NULL;
		if (q >= end || *q != '(')
			continue;
		q = skip_space(q + 1, end);
		if (q >= end || (*q != '\'' && *q != '"') || quoted(&q, end, &key) < 0)
			continue;
		bool match = strcmp(key, name) == 0;
		free(key);
		q = skip_space(q, end);
		if (!match || q >= end || *q != ',')
			continue;
		q++;
		int r = cms_php_literal(&q, end, ret);
		if (r == 0 || r == -ENOMEM)
			return r;
		found = -EINVAL;
	}
	return found;
}

char *cms_php_strip_comments(const char *text, size_t len)
{
	char *out = malloc(len + 1);
	char quote = 0;

	if (!out)
		return NULL;
	memcpy(out, text, len);
	out[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		char c = out[i];
		if (quote) {
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '/' && i + 1 < len && out[i + 1] == '*') {
			size_t j = i;
			while (j < len &&
			       !(out[j] == '*' && j + 1 < len && out[j + 1] == '/' && j > i + 1))
				out[j++] = ' ';
			for (size_t k = 0; k < 2 && j < len; k++)
				out[j++] = ' ';
			i = j - 1;
		} else if (c == '#' || (c == '/' && i + 1 < len && out[i + 1] == '/')) {
			/* A line comment ends at the line's end (or a closing ?>). */
			while (i < len && out[i] != '\n' &&
			       !(out[i] == '?' && i + 1 < len && out[i + 1] == '>'))
				out[i++] = ' ';
			i--;
		}
	}
	return out;
}

/* Remove one pair of matching quotes around [*s, *e). */
static void unquote(const char **s, const char **e)
{
	if (*e - *s >= 2 && (**s == '"' || **s == '\'') && (*e)[-1] == **s) {
		(*s)++;
		(*e)--;
	}
}

/*
 * The last "key<sep>value" at the start of a line (no indentation); sep is
 * '=' (INI, ';' comments) or ':' (YAML, '#' comments).
 */
static int line_value(const char *text, size_t len, const char *key, char sep, char **ret)
{
	const char *end = text + len, *p = text;
	size_t n = strlen(key);
	const char *vs = NULL, *ve = NULL;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > n && memcmp(p, key, n) == 0) {
			const char *q = p + n;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (q < eol && *q == sep) {
				const char *s = q + 1, *e = eol;
				while (s < e && is_space(*s))
					s++;
				if (sep == ':' && s < e && *s != '"' && *s != '\'') {
					/* A YAML comment starts with " #". */
					for (const char *c = s; c < e; c++)
						if (*c == '#' && c > s &&
						    (c[-1] == ' ' || c[-1] == '\t')) {
							e = c;
							break;
						}
				}
				while (e > s && is_space(e[-1]))
					e--;
				unquote(&s, &e);
				vs = s;
				ve = e;
			}
		}
		p = eol + 1;
	}
	if (!vs)
		return -ENOENT;
	*ret = strndup(vs, (size_t)(ve - vs));
	return *ret ? 0 : -ENOMEM;
}

int cms_ini_value(const char *text, size_t len, const char *key, char **ret)
{
	return line_value(text, len, key, '=', ret);
}

int cms_yaml_value(const char *text, size_t len, const char *key, char **ret)
{
	return line_value(text, len, key, ':', ret);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *cms_clean(const char *s)
{
	struct hu_buf b = HU_BUF_INIT(CMS_MAX_STRING);
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	while (n > 0 && is_space(*s))
		s++, n--;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	for (size_t i = 0; i < n;) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t l = utf8_len(u, n - i);
		int r;
		if (l == 0) {
			r = hu_buf_append(&b, "\xef\xbf\xbd", 3);
			l = 1;
		} else if (l == 1 && (u[0] < 0x20 || u[0] == 0x7f)) {
			r = u[0] == '\t' ? hu_buf_append(&b, " ", 1) : 0;
		} else {
			r = hu_buf_append(&b, u, l);
		}
		if (r == -E2BIG)
			break;
		if (r < 0) {
			hu_buf_clear(&b);
			return NULL;
		}
		i += l;
	}
	if (b.len == 0) {
		hu_buf_clear(&b);
		return NULL;
	}
	return hu_buf_steal(&b);
}
