/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/fcgi.h"

static bool is_port(const char *s, size_t n)
{
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v > 0 && v <= 65535;
}

/* "tcp:HOST:PORT" from a host (IPv6 with or without brackets) and a port. */
static int make_tcp(const char *host, size_t hl, const char *port, size_t pl, char **ret)
{
	char h[300];

	if (!is_port(port, pl) || hl >= sizeof(h) - 2)
		return -EINVAL;
	if (hl == 0) {
		h[0] = '*';
		h[1] = '\0';
	} else {
		size_t j = 0;
		bool v6 = memchr(host, ':', hl) && host[0] != '[';
		if (v6)
			h[j++] = '[';
		for (size_t i = 0; i < hl; i++)
			h[j++] = (char)tolower((unsigned char)host[i]);
		if (v6)
			h[j++] = ']';
		h[j] = '\0';
		if (strcmp(h, "0.0.0.0") == 0 || strcmp(h, "[::]") == 0 || strcmp(h, "*") == 0) {
			h[0] = '*';
			h[1] = '\0';
		}
	}
	return asprintf(ret, "tcp:%s:%.*s", h, (int)pl, port) < 0 ? -ENOMEM : 0;
}

/* HOST:PORT, [V6]:PORT or PORT (a bare port means every address). */
static int parse_hostport(const char *s, size_t n, char **ret)
{
	if (is_port(s, n))
		return make_tcp("", 0, s, n, ret);
	if (n && s[0] == '[') {
		const char *end = memchr(s, ']', n);
		if (!end || (size_t)(end - s) + 2 > n || end[1] != ':')
			return -EINVAL;
		return make_tcp(s, (size_t)(end - s) + 1, end + 2, n - (size_t)(end - s) - 2, ret);
	}
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			colon = s + i;
	if (!colon || memchr(s, ':', (size_t)(colon - s)))
		return -EINVAL; /* no port, or an IPv6 address without brackets */
	return make_tcp(s, (size_t)(colon - s), colon + 1, n - (size_t)(colon - s) - 1, ret);
}

int hu_fcgi_normalize(const char *raw, char **ret)
{
	const char *s = raw;
	size_t n;

	if (!raw)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 6 && strncmp(s, "proxy:", 6) == 0) { /* Apache SetHandler */
		s += 6;
		n -= 6;
	}
	if (n >= 5 && strncmp(s, "unix:", 5) == 0) {
		/* "unix:/path", "unix:/path|fcgi://localhost/", nginx "unix:/path:" */
		const char *p = s + 5;
		size_t pl = n - 5;
		const char *bar = memchr(p, '|', pl);
		if (bar)
			pl = (size_t)(bar - p);
		if (pl && p[pl - 1] == ':')
			pl--;
		if (pl == 0 || p[0] != '/')
			return -EINVAL;
		return asprintf(ret, "unix:%.*s", (int)pl, p) < 0 ? -ENOMEM : 0;
	}
	if (n >= 7 && strncmp(s, "fcgi://", 7) == 0) {
		const char *p = s + 7;
		size_t pl = n - 7;
		const char *slash = memchr(p, '/', pl);
		if (slash)
			pl = (size_t)(slash - p);
		return parse_hostport(p, pl, ret);
	}
	if (n && s[0] == '/') /* an FPM listen path */
		return asprintf(ret, "unix:%.*s", (int)n, s) < 0 ? -ENOMEM : 0;
	return parse_hostport(s, n, ret);
}

static bool is_loopback(const char *h)
{
	return strcmp(h, "127.0.0.1") == 0 || strcmp(h, "localhost") == 0 ||
	       strcmp(h, "[::1]") == 0;
}

bool hu_fcgi_match(const char *handler, const char *listen)
{
	if (!handler || !listen)
		return false;
	if (strncmp(handler, "unix:", 5) == 0 || strncmp(listen, "unix:", 5) == 0)
		return strcmp(handler, listen) == 0;
	if (strncmp(handler, "tcp:", 4) != 0 || strncmp(listen, "tcp:", 4) != 0)
		return false;
	const char *hp = strrchr(handler, ':'), *lp = strrchr(listen, ':');
	if (strcmp(hp, lp) != 0)
		return false; /* ports differ */
	size_t hl = (size_t)(hp - handler) - 4, ll = (size_t)(lp - listen) - 4;
	char hh[300], lh[300];
	if (hl >= sizeof(hh) || ll >= sizeof(lh))
		return false;
	memcpy(hh, handler + 4, hl);
	hh[hl] = '\0';
	memcpy(lh, listen + 4, ll);
	lh[ll] = '\0';
	return strcmp(hh, lh) == 0 || strcmp(lh, "*") == 0 || (is_loopback(hh) && is_loopback(lh));
}
