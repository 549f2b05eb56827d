/* SPDX-License-Identifier: MIT */
/*
 * PHP's version_compare(), written from its documented behaviour and
 * checked against the real php binary by tests/integration/version_php.sh.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/version.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Canonical form: every separator ("-", "_", "+", any non-alphanumeric)
 * becomes one ".", and a "." is inserted where digits meet letters.
 * The first character is copied as it is, as PHP does.
 */
static char *canonicalize(const char *v)
{
	size_t len = strlen(v);
	char *buf = malloc(len * 2 + 1), *q = buf;
	char lp;

	if (!buf)
		return NULL;
	if (len == 0) {
		*buf = '\0';
		return buf;
	}
	*q++ = lp = *v++;
	for (; *v; lp = *v++) {
		char c = *v;
		bool c_num = is_digit(c), c_word = !is_digit(c) && c != '.';
		bool p_num = is_digit(lp), p_word = !is_digit(lp) && lp != '.';

		if (c == '-' || c == '_' || c == '+') {
			if (q[-1] != '.')
				*q++ = '.';
		} else if ((p_word && c_num) || (p_num && c_word)) {
			if (q[-1] != '.')
				*q++ = '.';
			*q++ = c;
		} else if (!is_alnum(c)) {
			if (q[-1] != '.')
				*q++ = '.';
		} else {
			*q++ = c;
		}
	}
	*q = '\0';
	return buf;
}

/* Rank of a word part; the first table entry that is a prefix of it wins. */
static int special_rank(const char *form)
{
	static const struct {
		const char *name;
		int rank;
	} forms[] = {
		{ "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 },
		{ "RC", 3 },  { "rc", 3 },    { "#", 4 }, { "pl", 5 },   { "p", 5 },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strncmp(form, forms[i].name, strlen(forms[i].name)) == 0)
			return forms[i].rank;
	return -1;
}

static int sign(int d)
{
	return d < 0 ? -1 : (d > 0 ? 1 : 0);
}

static int compare_special(const char *a, const char *b)
{
	return sign(special_rank(a) - special_rank(b));
}

/* Compare two decimal digit runs as numbers, as strtol would (saturating). */
static int compare_numeric(const char *a, const char *b)
{
	long la = strtol(a, NULL, 10), lb = strtol(b, NULL, 10);

	return la < lb ? -1 : (la > lb ? 1 : 0);
}

int hu_version_compare(const char *orig_a, const char *orig_b)
{
	char *va, *vb, *pa, *pb, *na, *nb;
	int cmp = 0;

	if (!*orig_a || !*orig_b) {
		if (!*orig_a && !*orig_b)
			return 0;
		return *orig_a ? 1 : -1;
	}
	va = orig_a[0] == '#' ? strdup(orig_a) : canonicalize(orig_a);
	vb = orig_b[0] == '#' ? strdup(orig_b) : canonicalize(orig_b);
	if (!va || !vb) {
		/* Out of memory: fall back to a plain comparison rather than crash. */
		free(va);
		free(vb);
		return sign(strcmp(orig_a, orig_b));
	}
	pa = na = va;
	pb = nb = vb;
	while (*pa && *pb && na && nb) {
		na = strchr(pa, '.');
		if (na)
			*na = '\0';
		nb = strchr(pb, '.');
		if (nb)
			*nb = '\0';
		if (is_digit(*pa) && is_digit(*pb))
			cmp = compare_numeric(pa, pb);
		else if (!is_digit(*pa) && !is_digit(*pb))
			cmp = compare_special(pa, pb);
		else if (is_digit(*pa))
			cmp = compare_special("#N#", pb);
		else
			cmp = compare_special(pa, "#N#");
		if (cmp != 0)
			break;
		if (na)
			pa = na + 1;
		if (nb)
			pb = nb + 1;
	}
	if (cmp == 0) {
		if (na) {
			cmp = is_digit(*pa) ? 1 : hu_version_compare(pa, "#N#");
		} else if (nb) {
			cmp = is_digit(*pb) ? -1 : hu_version_compare("#N#", pb);
		}
	}
	free(va);
	free(vb);
	return cmp;
}

static int parse_uint_part(const char **s, unsigned *ret)
{
	unsigned long v = 0;
	const char *p = *s;

	if (!is_digit(*p))
		return -EINVAL;
	for (; is_digit(*p); p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 100000)
			return -EINVAL;
	}
	*ret = (unsigned)v;
	*s = p;
	return 0;
}

int hu_version_branch(const char *v, unsigned *ret_major, unsigned *ret_minor)
{
	unsigned major, minor;
	const char *p = v;

	if (!v || parse_uint_part(&p, &major) < 0 || *p != '.')
		return -EINVAL;
	p++;
	if (parse_uint_part(&p, &minor) < 0)
		return -EINVAL;
	*ret_major = major;
	*ret_minor = minor;
	return 0;
}
