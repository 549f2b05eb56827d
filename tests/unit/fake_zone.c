/* SPDX-License-Identifier: MIT */
#include "fake_zone.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy n bytes into buf, cut to fit; a NUL becomes \x01 as in the real view. */
static void copy(char *buf, size_t len, const void *src, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = '\x01';
}

static void normalize(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	if (n && s[n - 1] == '.')
		s[n - 1] = '\0';
}

static struct fake_rr *grow(struct fake_zone *z, const char *name)
{
	struct fake_rr *v = realloc(z->v, (z->n + 1) * sizeof(*v));

	if (!v)
		abort();
	z->v = v;
	struct fake_rr *rr = &z->v[z->n++];
	memset(rr, 0, sizeof(*rr));
	copy(rr->name, sizeof(rr->name), name, strlen(name));
	normalize(rr->name);
	return rr;
}

void fake_zone_add_bytes(struct fake_zone *z, const char *name, const char *type, const void *value,
			 size_t n)
{
	struct fake_rr *rr = grow(z, name);

	copy(rr->type, sizeof(rr->type), type, strlen(type));
	copy(rr->value, sizeof(rr->value), value, n);
}

void fake_zone_add(struct fake_zone *z, const char *name, const char *type, const char *value)
{
	fake_zone_add_bytes(z, name, type, value, strlen(value));
}

void fake_zone_fail(struct fake_zone *z, const char *name, int status)
{
	grow(z, name)->fail = status;
}

void fake_zone_clear(struct fake_zone *z)
{
	free(z->v);
	z->v = NULL;
	z->n = 0;
}

static bool has(const struct fake_zone *z, const char *name, const char *type)
{
	for (size_t i = 0; i < z->n; i++)
		if (!strcmp(z->v[i].name, name) && !strcmp(z->v[i].type, type))
			return true;
	return false;
}

int fake_zone_fill(void *arg, enum dv_type t, const char *qname, struct dv_answer *a)
{
	const struct fake_zone *z = arg;
	const char *type = dv_type_name(t);
	char name[256];
	bool exists = false;
	int fail = 0;

	copy(name, sizeof(name), qname, strlen(qname));
	normalize(name);
	for (int hop = 0;; hop++) {
		const char *cname = NULL;
		exists = false;
		fail = 0;
		for (size_t i = 0; i < z->n; i++)
			if (!strcmp(z->v[i].name, name)) {
				exists = true;
				if (z->v[i].fail)
					fail = z->v[i].fail;
				if (!strcmp(z->v[i].type, "CNAME"))
					cname = z->v[i].value;
			}
		if (!cname)
			break;
		if (hop >= 8) {
			a->status = -EIO;
			return 0;
		}
		copy(name, sizeof(name), cname, strlen(cname));
		normalize(name);
		a->alias = true;
	}
	if (t == DV_TXT && !has(z, name, "TXT"))
		type = "SPF";
	for (size_t i = 0; i < z->n && a->items.n < DV_MAX_ITEMS; i++) {
		const struct fake_rr *r = &z->v[i];
		if (r->fail || strcmp(r->name, name) || strcmp(r->type, type) ||
		    !strcmp(r->value, "NONE"))
			continue;
		char v[1024];
		memcpy(v, r->value, sizeof(v));
		if (t == DV_MX) {
			char host[256] = "";
			unsigned pref = 0;
			if (sscanf(r->value, "%u %255s", &pref, host) < 1)
				continue;
			normalize(host);
			a->prefs[a->items.n] = pref;
			memcpy(v, host[0] ? host : ".", strlen(host[0] ? host : ".") + 1);
		} else if (t == DV_PTR) {
			normalize(v);
		}
		if (hu_strv_push(&a->items, v) < 0)
			return -ENOMEM;
	}
	if (a->items.n)
		a->status = 0;
	else if (fail)
		a->status = fail;
	else
		a->status = exists ? -ENODATA : -ENOENT;
	return 0;
}
