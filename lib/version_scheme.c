/* SPDX-License-Identifier: MIT */
/* Versions as each ecosystem writes them (huolto/version.h), reduced to version_compare(). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/version.h"

/* The longest version taken; feeds' versions are short. */
#define VERSION_MAX 64

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the numeric release at the start of v: digits and dots, ending in a digit. */
static size_t release_len(const char *v)
{
	size_t n = 0, last_digit = 0;

	while (digit(v[n]) || (v[n] == '.' && n > 0 && digit(v[n - 1]))) {
		if (digit(v[n]))
			last_digit = n + 1;
		n++;
	}
	return last_digit;
}

/* out = the n bytes at head, then mid, then tail; -EINVAL when it does not fit. */
static int join(char *out, size_t len, const char *head, size_t n, const char *mid,
		const char *tail)
{
	size_t m = strlen(mid), t = strlen(tail);

	if (n + m + t >= len)
		return -EINVAL;
	memcpy(out, head, n);
	memcpy(out + n, mid, m);
	memcpy(out + n + m, tail, t + 1);
	return 0;
}

/*
 * v with the trailing ".0" parts of its release removed down to two parts
 * ("6.6.0-RC1" → "6.6-RC1", "6.0.0" → "6.0"), into out.
 */
static int strip_zeros(const char *v, char *out, size_t len)
{
	size_t full = release_len(v), n = full, parts = 1;

	for (size_t i = 0; i < n; i++)
		parts += v[i] == '.';
	while (parts > 2 && v[n - 1] == '0' && v[n - 2] == '.') {
		n -= 2;
		parts--;
	}
	return join(out, len, v, n, "", v + full);
}

/*
 * A Drupal version as a comparable string: the "N.x-" prefix taken off (its
 * N in *ret_line: 7 for Drupal 7 contrib, 8 for everything later and for
 * semver and core), the release padded to three parts.
 */
static int drupal_form(const char *v, char *out, size_t len, unsigned *ret_line)
{
	const char *p = v;
	unsigned line = 8;

	if (digit(p[0])) {
		size_t d = 0;
		while (digit(p[d]))
			d++;
		if (strncmp(p + d, ".x-", 3) == 0) {
			line = strtoul(p, NULL, 10) == 7 ? 7 : 8;
			p += d + 3;
		}
	}
	if (strstr(p, ".x") || strstr(p, "-dev"))
		return -EINVAL; /* a snapshot of a branch: no release to order */
	size_t n = release_len(p);
	if (n == 0)
		return -EINVAL;
	unsigned parts = 1;
	for (size_t i = 0; i < n; i++)
		parts += p[i] == '.';
	if (join(out, len, p, n, parts == 1 ? ".0.0" : parts == 2 ? ".0" : "", p + n) < 0)
		return -EINVAL;
	*ret_line = line;
	return 0;
}

int hu_version_mysql_release(const char *v, char *out, size_t len)
{
	/* MariaDB before 11 tells old clients "5.5.5-" first. */
	if (strncmp(v, "5.5.5-", 6) == 0 && digit(v[6]) && strstr(v, "MariaDB"))
		v += 6;
	size_t n = release_len(v);
	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(out, v, n);
	out[n] = 0;
	return 0;
}

int hu_version_compare_as(enum hu_version_scheme scheme, const char *a, const char *b, int *ret)
{
	char x[VERSION_MAX], y[VERSION_MAX];
	unsigned la, lb;

	if (strlen(a) >= VERSION_MAX || strlen(b) >= VERSION_MAX)
		return -EINVAL;
	switch (scheme) {
	case HU_VERSION_PHP:
		*ret = hu_version_compare(a, b);
		return 0;
	case HU_VERSION_WORDPRESS:
		if (strip_zeros(a, x, sizeof(x)) < 0 || strip_zeros(b, y, sizeof(y)) < 0)
			return -EINVAL;
		break;
	case HU_VERSION_DRUPAL:
		if (drupal_form(a, x, sizeof(x), &la) < 0 ||
		    drupal_form(b, y, sizeof(y), &lb) < 0 || la != lb)
			return -EINVAL;
		break;
	case HU_VERSION_MYSQL:
		if (hu_version_mysql_release(a, x, sizeof(x)) < 0 ||
		    hu_version_mysql_release(b, y, sizeof(y)) < 0)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	*ret = hu_version_compare(x, y);
	return 0;
}
