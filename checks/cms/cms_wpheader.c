/* SPDX-License-Identifier: MIT */
/*
 * WordPress's get_file_data(), read the way WordPress reads it: the first
 * 8 KiB, CR taken as a line end, for each header the first line that matches
 *   /^(?:[ \t]*<\?php)?[ \t\/ *#@]*NAME:(.*)$/mi   (without the space before *)
 * and the value cut at the first "* /" or "?>" (with the space before it)
 * and trimmed the way PHP's trim() trims.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cms.h"

static bool php_trim_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v';
}

/* The value on [s, e) after _cleanup_header_comment(); NULL when empty (errno 0). */
static char *cleanup(const char *s, const char *e)
{
	for (const char *p = s; p + 1 < e; p++)
		if ((p[0] == '*' && p[1] == '/') || (p[0] == '?' && p[1] == '>')) {
			e = p;
			break;
		}
	while (s < e && php_trim_char(*s))
		s++;
	while (e > s && php_trim_char(e[-1]))
		e--;
	errno = 0;
	return e > s ? strndup(s, (size_t)(e - s)) : NULL;
}

/* The characters of the run a header name follows: space, tab, slash, star, hash, at. */
static const bool lead[256] = {
	[' '] = true, ['\t'] = true, ['/'] = true, ['*'] = true, ['#'] = true, ['@'] = true,
};

/*
 * Where a header name may start on the line [p, e): after the run of lead
 * characters, or after "[ \t]*<?php" and such a run. For each start, ret_colon
 * is the line's first colon after it (a name holds none), or NULL.
 */
static size_t name_starts(const char *p, const char *e, const char *ret[2],
			  const char *ret_colon[2])
{
	size_t n = 0;
	const char *q = p;

	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	const char *from[2] = { p,
				(size_t)(e - q) >= 5 && memcmp(q, "<?php", 5) == 0 ? q + 5 : NULL };
	for (size_t i = 0; i < 2; i++) {
		const char *s = from[i];
		if (!s)
			continue;
		while (s < e && lead[(unsigned char)*s])
			s++;
		const char *colon = memchr(s, ':', (size_t)(e - s));
		if (colon) {
			ret[n] = s;
			ret_colon[n++] = colon;
		}
	}
	return n;
}

/* The end of the line p is on: its first CR or LF, or end. */
static const char *line_end(const char *p, const char *end)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	const char *cr = memchr(p, '\r', (size_t)((lf ? lf : end) - p));

	return cr ? cr : lf ? lf : end;
}

int cms_wp_headers(const char *data, size_t len, const char *const *names, size_t n, char **ret)
{
	const char *end;
	bool done[16] = { false };
	size_t nl[16], left = n;

	if (n > 16)
		return -EINVAL;
	if (len > CMS_MAX_HEADER)
		len = CMS_MAX_HEADER;
	end = data + len;
	for (size_t i = 0; i < n; i++) {
		ret[i] = NULL;
		nl[i] = strlen(names[i]);
	}
	/*
	 * One pass over the lines that hold a colon (a header line needs one),
	 * found with memchr; each name takes its first matching line.
	 */
	for (const char *p = data; p < end && left > 0;) {
		const char *colon = memchr(p, ':', (size_t)(end - p)), *starts[2], *colons[2];
		if (!colon)
			break;
		const char *s = colon, *e = line_end(colon, end);
		while (s > p && s[-1] != '\n' && s[-1] != '\r')
			s--;
		size_t ns = name_starts(s, e, starts, colons);
		for (size_t i = 0; i < n && ns > 0; i++) {
			const char *vs = NULL;
			if (done[i])
				continue;
			for (size_t k = 0; k < ns && !vs; k++)
				if ((size_t)(colons[k] - starts[k]) == nl[i] &&
				    strncasecmp(starts[k], names[i], nl[i]) == 0)
					vs = colons[k] + 1;
			if (!vs)
				continue;
			done[i] = true; /* the first match counts, whatever it holds */
			left--;
			/* "&& $match[1]": an empty capture, or "0", is no value. */
			if (vs < e && !(e - vs == 1 && *vs == '0')) {
				ret[i] = cleanup(vs, e);
				if (!ret[i] && errno == ENOMEM)
					goto fail;
			}
		}
		p = e < end ? e + 1 : end;
	}
	return 0;
fail:
	for (size_t i = 0; i < n; i++) {
		free(ret[i]);
		ret[i] = NULL;
	}
	return -ENOMEM;
}
