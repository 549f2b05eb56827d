/* SPDX-License-Identifier: MIT */
/*
 * PHP-FPM pool files (/etc/php/X.Y/fpm/pool.d/NAME.conf): INI sections, one
 * per pool, of which huolto reads listen and user. php-fpm replaces
 * "$pool" in values with the pool's name; so does this parser.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/fcgi.h"
#include "php.h"

static int pool_problem(struct hu_findings *problems, const char *file, unsigned line,
			const char *fmt_msg)
{
	int r = hu_findings_add(problems, HU_WARNING, "php.pool_config_error", file,
				json_pack("{s:s, s:i}", "file", file, "line", (json_int_t)line),
				"%s:%u: %s", file, line, fmt_msg);
	return r == -E2BIG ? 0 : r; /* a full list is counted, not fatal */
}

/* The branch X.Y from a path such as /etc/php/8.2/fpm/pool.d/www.conf. */
static bool branch_from_path(const char *path, unsigned *major, unsigned *minor)
{
	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		unsigned a, b;
		int n = 0;
		if (sscanf(p, "/%u.%u/%n", &a, &b, &n) == 2 && n > 0) {
			*major = a;
			*minor = b;
			return true;
		}
	}
	return false;
}

/* Replace every "$pool" in v with name. */
static char *expand_pool(const char *v, const char *name)
{
	struct hu_buf b = HU_BUF_INIT(4096);

	for (const char *p = v; *p;) {
		const char *hit = strstr(p, "$pool");
		size_t n = hit ? (size_t)(hit - p) : strlen(p);
		if (hu_buf_append(&b, p, n) < 0 ||
		    (hit && hu_buf_append(&b, name, strlen(name)) < 0)) {
			hu_buf_clear(&b);
			return NULL;
		}
		p += n + (hit ? 5 : 0);
	}
	return hu_buf_steal(&b);
}

static void trim(char **s, char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

static int pool_new(struct php_inventory *inv, const char *file, unsigned line, const char *name,
		    size_t name_len, struct php_pool **ret)
{
	struct php_pool *v;

	if (inv->n_pools >= PHP_MAX_POOLS)
		return -E2BIG;
	v = realloc(inv->pools, (inv->n_pools + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	inv->pools = v;
	struct php_pool *p = &inv->pools[inv->n_pools];
	*p = (struct php_pool){ .line = line };
	p->name = strndup(name, name_len);
	p->file = strdup(file);
	if (!p->name || !p->file) {
		free(p->name);
		free(p->file);
		return -ENOMEM;
	}
	p->has_branch = branch_from_path(file, &p->major, &p->minor);
	inv->n_pools++;
	*ret = p;
	return 0;
}

static int set_value(struct php_pool *p, const char *key, const char *raw, const char *file,
		     unsigned line, struct hu_findings *problems)
{
	char *v = expand_pool(raw, p->name);
	int r = 0;

	if (!v)
		return -ENOMEM;
	if (strcmp(key, "listen") == 0) {
		char *norm = NULL;
		if (hu_fcgi_normalize(v, &norm) < 0) {
			char msg[600];
			snprintf(msg, sizeof(msg),
				 "pool %s: listen = \"%.400s\" is not a socket path or address",
				 p->name, v);
			r = pool_problem(problems, file, line, msg);
		} else {
			free(p->listen);
			p->listen = norm;
		}
	} else if (strcmp(key, "user") == 0) {
		free(p->user);
		p->user = v;
		v = NULL;
	}
	free(v);
	return r;
}

int php_pools_parse(const char *file, const char *text, size_t len, struct php_inventory *inv,
		    struct hu_findings *problems)
{
	struct php_pool *cur = NULL;
	bool in_section = false; /* [global] or a pool: settings there are fine */
	size_t first = inv->n_pools;
	unsigned line = 0;
	int r = 0;

	for (const char *p = text, *end = text + len; p < end && r >= 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		char *s = (char *)p, *e = (char *)le;
		char buf[4096];

		line++;
		p = nl ? nl + 1 : end;
		trim(&s, &e);
		if (s == e || *s == ';' || *s == '#')
			continue;
		if ((size_t)(e - s) >= sizeof(buf)) {
			r = pool_problem(problems, file, line, "line too long");
			continue;
		}
		memcpy(buf, s, (size_t)(e - s));
		buf[e - s] = '\0';
		s = buf;
		e = buf + strlen(buf);

		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close || close == s + 1) {
				r = pool_problem(problems, file, line, "malformed section header");
				cur = NULL;
				in_section = false;
				continue;
			}
			in_section = true;
			if ((size_t)(close - s - 1) == 6 && strncmp(s + 1, "global", 6) == 0) {
				cur = NULL; /* not a pool */
				continue;
			}
			cur = NULL;
			r = pool_new(inv, file, line, s + 1, (size_t)(close - s - 1), &cur);
			if (r == -E2BIG)
				r = pool_problem(problems, file, line,
						 "too many pools; the rest are ignored");
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			r = pool_problem(problems, file, line, "expected \"key = value\"");
			continue;
		}
		char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
		trim(&ks, &ke);
		*ke = '\0';
		trim(&vs, &ve);
		if (vs < ve && *vs == '"') {
			char *q = memchr(vs + 1, '"', (size_t)(ve - vs - 1));
			if (!q) {
				r = pool_problem(problems, file, line, "unterminated quoted value");
				continue;
			}
			vs++;
			ve = q;
		} else {
			char *semi = memchr(vs, ';', (size_t)(ve - vs)); /* trailing comment */
			if (semi) {
				ve = semi;
				trim(&vs, &ve);
			}
		}
		*ve = '\0';
		if (!cur) {
			if (!in_section && strcmp(ks, "include") != 0)
				r = pool_problem(problems, file, line,
						 "setting outside a [pool] section");
			continue;
		}
		r = set_value(cur, ks, vs, file, line, problems);
	}
	/* php-fpm refuses to start a pool without a listen address. */
	for (size_t i = first; r >= 0 && i < inv->n_pools; i++)
		if (!inv->pools[i].listen) {
			char msg[400];
			snprintf(msg, sizeof(msg), "pool %.200s has no listen address",
				 inv->pools[i].name);
			r = pool_problem(problems, file, inv->pools[i].line, msg);
		}
	return r;
}
