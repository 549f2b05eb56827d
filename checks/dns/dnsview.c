/* SPDX-License-Identifier: MIT */
#include <ares.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsview.h"
#include "huolto/buf.h"
#include "huolto/strmap.h"

#define MAX_NAME       253
#define MAX_TXT_RECORD 65536

static const char *const type_names[_DV_TYPE_MAX] = {
	[DV_A] = "A",   [DV_AAAA] = "AAAA", [DV_TXT] = "TXT",
	[DV_MX] = "MX", [DV_PTR] = "PTR",   [DV_SPF] = "SPF",
};

static const int type_codes[_DV_TYPE_MAX] = {
	[DV_A] = HU_RR_A,   [DV_AAAA] = HU_RR_AAAA, [DV_TXT] = HU_RR_TXT,
	[DV_MX] = HU_RR_MX, [DV_PTR] = HU_RR_PTR,   [DV_SPF] = HU_RR_SPF,
};

const char *dv_type_name(enum dv_type t)
{
	return t >= 0 && t < _DV_TYPE_MAX ? type_names[t] : "?";
}

struct pending {
	struct dnsview *v;
	enum dv_type type;
	char *name;
	char *key;
	unsigned depth; /* 0: asked by a lint; n: n follow-ups from such an answer */
	bool started;
};

struct dnsview {
	struct dv_source src;
	bool has_src;
	struct hu_strmap answers; /* "TYPE name" -> struct dv_answer */
	struct pending **missing; /* each allocated alone: queries in flight point at them */
	size_t n_missing, cap_missing;
	struct hu_strmap wanted; /* keys in missing */
	size_t queries;
	size_t asked, followed; /* missing entries from lints, and from follow-ups */
	dv_follow_fn follow;
	void *follow_arg;
	struct hu_resolver *fetching; /* during dv_fetch: follow-ups start at once */
};

static void answer_free(void *p)
{
	struct dv_answer *a = p;

	if (!a)
		return;
	hu_strv_clear(&a->items);
	free(a);
}

int dv_new(const struct dv_source *src, struct dnsview **ret)
{
	struct dnsview *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (src) {
		v->src = *src;
		v->has_src = true;
	}
	*ret = v;
	return 0;
}

static void pending_clear(struct dnsview *v)
{
	for (size_t i = 0; i < v->n_missing; i++) {
		free(v->missing[i]->name);
		free(v->missing[i]->key);
		free(v->missing[i]);
	}
	v->n_missing = 0;
	hu_strmap_clear(&v->wanted, NULL);
}

void dv_set_follow(struct dnsview *v, dv_follow_fn fn, void *arg)
{
	v->follow = fn;
	v->follow_arg = arg;
}

void dv_free(struct dnsview *v)
{
	if (!v)
		return;
	pending_clear(v);
	free(v->missing);
	hu_strmap_clear(&v->answers, answer_free);
	free(v);
}

/* "TYPE name", name lowercased and without a trailing dot. */
static int make_key(enum dv_type t, const char *name, char **ret_key, char **ret_name)
{
	size_t n = strlen(name);
	char *k, *nm;

	if (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n > MAX_NAME)
		return -EINVAL;
	nm = strndup(name, n);
	if (!nm)
		return -ENOMEM;
	for (char *p = nm; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (asprintf(&k, "%s %s", type_names[t], nm) < 0) {
		free(nm);
		return -ENOMEM;
	}
	*ret_key = k;
	*ret_name = nm;
	return 0;
}

static int start(struct dnsview *v, struct pending *p);

/*
 * Remember (t, key) as missing: 0 (key and nm now belong to the entry), 1
 * when it is missing already (the caller frees them), -ENOMEM. During a
 * fetch the query starts at once.
 */
static int want(struct dnsview *v, enum dv_type t, char *key, char *nm, unsigned depth)
{
	struct pending *p;

	if (hu_strmap_get(&v->wanted, key))
		return 1;
	if (v->n_missing == v->cap_missing) {
		size_t cap = v->cap_missing ? v->cap_missing * 2 : 64;
		struct pending **m = realloc(v->missing, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		v->missing = m;
		v->cap_missing = cap;
	}
	p = calloc(1, sizeof(*p));
	if (!p || hu_strmap_put(&v->wanted, key, p) < 0) {
		free(p);
		return -ENOMEM;
	}
	*p = (struct pending){ .v = v, .type = t, .name = nm, .key = key, .depth = depth };
	v->missing[v->n_missing++] = p;
	if (depth == 0)
		v->asked++;
	else
		v->followed++;
	/* a start that fails leaves it unanswered: a timeout, like a lost one */
	if (v->fetching)
		start(v, p);
	return 0;
}

int dv_prefetch(struct dnsview *v, enum dv_type t, const char *name, unsigned depth)
{
	char *key = NULL, *nm = NULL;
	int r;

	if (v->has_src || depth > DV_FOLLOW_DEPTH || t < 0 || t >= _DV_TYPE_MAX ||
	    v->followed >= v->asked * DV_FOLLOW_RATIO + DV_FOLLOW_MIN)
		return 0;
	r = make_key(t, name, &key, &nm);
	if (r < 0)
		return r == -EINVAL ? 0 : r;
	r = hu_strmap_get(&v->answers, key) ? 1 : want(v, t, key, nm, depth);
	if (r != 0) {
		free(key);
		free(nm);
	}
	return r < 0 ? r : 0;
}

int dv_get(struct dnsview *v, enum dv_type t, const char *name, const struct dv_answer **ret)
{
	char *key = NULL, *nm = NULL;
	struct dv_answer *a;
	int r;

	if (t < 0 || t >= _DV_TYPE_MAX)
		return -EINVAL;
	r = make_key(t, name, &key, &nm);
	if (r < 0)
		return r;
	a = hu_strmap_get(&v->answers, key);
	if (a) {
		*ret = a;
		r = 0;
		goto out;
	}
	if (v->has_src) {
		a = calloc(1, sizeof(*a));
		if (!a) {
			r = -ENOMEM;
			goto out;
		}
		v->queries++;
		r = v->src.fill(v->src.arg, t, nm, a);
		if (r < 0 || hu_strmap_put(&v->answers, key, a) < 0) {
			answer_free(a);
			r = r < 0 ? r : -ENOMEM;
			goto out;
		}
		*ret = a;
		goto out;
	}
	/* Not known: remember it for the next fetch. */
	r = want(v, t, key, nm, 0);
	if (r == 0)
		return -EAGAIN; /* key and nm now belong to the pending entry */
	if (r == 1)
		r = -EAGAIN;
out:
	free(key);
	free(nm);
	return r;
}

static void on_answer(void *arg, int status, const unsigned char *abuf, size_t len,
		      const char *errmsg);

static int start(struct dnsview *v, struct pending *p)
{
	int r = hu_resolver_query(v->fetching, p->name, type_codes[p->type], on_answer, p);

	p->started = r >= 0;
	v->queries += p->started;
	return r;
}

size_t dv_queries(const struct dnsview *v)
{
	return v->queries;
}

/* Names from a DNS answer: lowercase, no trailing dot, "." for the root. */
static int push_name(struct hu_strv *items, const char *name)
{
	size_t n = strlen(name);
	char *s;

	if (n && name[n - 1] == '.')
		n--;
	s = n ? strndup(name, n) : strdup(".");
	if (!s)
		return -ENOMEM;
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return hu_strv_push_owned(items, s);
}

static void parse_txt(const unsigned char *abuf, int alen, struct dv_answer *a)
{
	struct ares_txt_ext *txt = NULL;
	struct hu_buf cur = HU_BUF_INIT(MAX_TXT_RECORD);
	bool have = false;
	int st = ares_parse_txt_reply_ext(abuf, alen, &txt);

	if (st != ARES_SUCCESS) {
		a->status = st == ARES_ENODATA ? -ENODATA : -EBADMSG;
		return;
	}
	/* One record's strings are joined without a space (RFC 7208 3.3). */
	for (struct ares_txt_ext *t = txt; t; t = t->next) {
		if (t->record_start && have) {
			if (a->items.n < DV_MAX_ITEMS)
				hu_strv_push_owned(&a->items, hu_buf_steal(&cur));
			else
				a->truncated = true;
			hu_buf_clear(&cur);
		}
		/* A NUL cannot live in a C string: it becomes \x01, which no SPF or
		 * DMARC parser accepts either (a record holding it is invalid). */
		for (size_t k = 0; k < t->length && a->status == 0; k++) {
			char c = t->txt[k] ? (char)t->txt[k] : '\x01';
			if (hu_buf_append(&cur, &c, 1) < 0)
				a->status = -EBADMSG;
		}
		have = true;
	}
	if (have && a->items.n < DV_MAX_ITEMS)
		hu_strv_push_owned(&a->items, hu_buf_steal(&cur));
	hu_buf_clear(&cur);
	ares_free_data(txt);
}

static void parse_mx(const unsigned char *abuf, int alen, struct dv_answer *a)
{
	struct ares_mx_reply *mx = NULL;
	int st = ares_parse_mx_reply(abuf, alen, &mx);

	if (st != ARES_SUCCESS) {
		a->status = st == ARES_ENODATA ? -ENODATA : -EBADMSG;
		return;
	}
	for (struct ares_mx_reply *m = mx; m; m = m->next) {
		if (a->items.n >= DV_MAX_ITEMS) {
			a->truncated = true;
			break;
		}
		a->prefs[a->items.n] = m->priority;
		push_name(&a->items, m->host);
	}
	ares_free_data(mx);
}

static void parse_hostent(struct hostent *h, const char *qname, struct dv_answer *a, bool names)
{
	if (names) {
		if (h->h_name)
			push_name(&a->items, h->h_name);
		for (char **al = h->h_aliases; al && *al && a->items.n < DV_MAX_ITEMS; al++)
			push_name(&a->items, *al);
		return;
	}
	for (char **ad = h->h_addr_list; ad && *ad && a->items.n < DV_MAX_ITEMS; ad++) {
		char buf[INET6_ADDRSTRLEN];
		if (inet_ntop(h->h_addrtype, *ad, buf, sizeof(buf)))
			hu_strv_push_unique(&a->items, buf);
	}
	/* The answer's owner is not the name asked: it came through a CNAME. */
	a->alias = h->h_name && strcasecmp(h->h_name, qname) != 0;
}

static void on_answer(void *arg, int status, const unsigned char *abuf, size_t len,
		      const char *errmsg)
{
	struct pending *p = arg;
	struct dv_answer *a = calloc(1, sizeof(*a));
	struct hostent *h = NULL;
	int alen = (int)len;
	unsigned char zero[16] = { 0 };

	(void)errmsg;
	if (!a)
		return;
	a->status = status;
	if (status == 0) {
		switch (p->type) {
		case DV_TXT:
			parse_txt(abuf, alen, a);
			break;
		case DV_MX:
			parse_mx(abuf, alen, a);
			break;
		case DV_A:
			if (ares_parse_a_reply(abuf, alen, &h, NULL, NULL) == ARES_SUCCESS)
				parse_hostent(h, p->name, a, false);
			break;
		case DV_AAAA:
			if (ares_parse_aaaa_reply(abuf, alen, &h, NULL, NULL) == ARES_SUCCESS)
				parse_hostent(h, p->name, a, false);
			break;
		case DV_PTR:
			if (ares_parse_ptr_reply(abuf, alen, zero, 4, AF_INET, &h) == ARES_SUCCESS)
				parse_hostent(h, p->name, a, true);
			break;
		case DV_SPF:
			/* Only presence matters; ANCOUNT in the header says it. */
			if (len >= 12 && (abuf[6] || abuf[7]))
				hu_strv_push(&a->items, "present");
			break;
		case _DV_TYPE_MAX:
			break;
		}
		if (h)
			ares_free_hostent(h);
		if (a->status == 0 && a->items.n == 0)
			a->status = -ENODATA;
	}
	if (hu_strmap_put(&p->v->answers, p->key, a) < 0) {
		answer_free(a);
		return;
	}
	if (p->v->follow && a->status == 0)
		p->v->follow(p->v->follow_arg, p->v, p->type, p->name, a, p->depth);
}

int dv_fetch(struct dnsview *v, struct hu_resolver *r, int deadline_ms)
{
	int rc = 0;

	v->fetching = r;
	for (size_t i = 0; i < v->n_missing && rc >= 0; i++)
		if (!v->missing[i]->started)
			rc = start(v, v->missing[i]);
	if (rc >= 0)
		rc = hu_resolver_wait(r, deadline_ms);
	v->fetching = NULL;
	/* Whatever did not come back is a timeout, never a missing record. */
	for (size_t i = 0; i < v->n_missing; i++)
		if (!hu_strmap_get(&v->answers, v->missing[i]->key)) {
			struct dv_answer *a = calloc(1, sizeof(*a));
			if (!a || hu_strmap_put(&v->answers, v->missing[i]->key, a) < 0) {
				answer_free(a);
				rc = -ENOMEM;
				continue;
			}
			a->status = -ETIMEDOUT;
		}
	pending_clear(v);
	return rc;
}

int dv_run(struct dnsview *v, struct hu_resolver *r, int round_ms, unsigned max_rounds,
	   int (*step)(void *arg), void *arg, unsigned *ret_rounds)
{
	unsigned rounds = 0;
	int rc = -EAGAIN;

	while (rounds < max_rounds) {
		rounds++;
		rc = step(arg);
		/* nothing to fetch: another step would see the same view */
		if (rc != -EAGAIN || v->n_missing == 0 || rounds == max_rounds)
			break;
		rc = dv_fetch(v, r, round_ms);
		if (rc < 0)
			break;
		rc = -EAGAIN;
	}
	if (ret_rounds)
		*ret_rounds = rounds;
	return rc;
}
