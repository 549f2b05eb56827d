/* SPDX-License-Identifier: MIT */
/*
 * Answers from c-ares (and from resolver.static) turned into the typed
 * callbacks of huolto/resolver.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "resolver_int.h"

/* A TXT record longer than this is refused as malformed. */
#define MAX_TXT_RECORD 65536

static bool addr_seen(const struct hu_addr *v, size_t n, const struct hu_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].family == a->family && strcmp(v[i].text, a->text) == 0)
			return true;
	return false;
}

void resolver_static_answer(struct query *q)
{
	struct hu_addr v[RESOLVER_MAX_ADDRS];
	struct hu_addrs addrs = { .v = v, .from_static = true };

	for (size_t i = 0; i < q->st->addrs.n && addrs.n < RESOLVER_MAX_ADDRS; i++) {
		struct hu_addr *a = &v[addrs.n];
		const char *s = q->st->addrs.v[i];
		memset(a, 0, sizeof(*a));
		if (inet_pton(AF_INET, s, &a->u.v4) == 1)
			a->family = AF_INET;
		else if (inet_pton(AF_INET6, s, &a->u.v6) == 1)
			a->family = AF_INET6;
		else
			continue; /* validated when the configuration was read */
		inet_ntop(a->family, &a->u, a->text, sizeof(a->text));
		addrs.n++;
	}
	q->cb.addrs(q->arg, 0, &addrs, NULL);
	resolver_query_done(q);
}

void resolver_addrinfo_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct query *q = arg;
	struct hu_addr v[RESOLVER_MAX_ADDRS];
	struct hu_addrs addrs = { .v = v };

	(void)timeouts;
	if (status == ARES_SUCCESS && res) {
		for (struct ares_addrinfo_node *n = res->nodes; n && addrs.n < RESOLVER_MAX_ADDRS;
		     n = n->ai_next) {
			struct hu_addr a = { .family = n->ai_family };
			if (n->ai_family == AF_INET)
				a.u.v4 = ((struct sockaddr_in *)(void *)n->ai_addr)->sin_addr;
			else if (n->ai_family == AF_INET6)
				a.u.v6 = ((struct sockaddr_in6 *)(void *)n->ai_addr)->sin6_addr;
			else
				continue;
			inet_ntop(a.family, &a.u, a.text, sizeof(a.text));
			if (!addr_seen(v, addrs.n, &a))
				v[addrs.n++] = a;
		}
	}
	if (status == ARES_SUCCESS && addrs.n == 0)
		status = ARES_ENODATA;
	q->cb.addrs(q->arg, resolver_cb_status(q->r, status),
		    status == ARES_SUCCESS ? &addrs : NULL, resolver_cb_errmsg(q->r, status));
	if (res)
		ares_freeaddrinfo(res);
	resolver_query_done(q);
}

static void txt_deliver(struct query *q, int status, const unsigned char *abuf, int alen)
{
	struct ares_txt_ext *txt = NULL;
	struct hu_strv records = HU_STRV_INIT;
	struct hu_buf cur = HU_BUF_INIT(MAX_TXT_RECORD);
	bool have = false;

	/* A malformed answer is one more c-ares status. */
	if (status == ARES_SUCCESS)
		status = ares_parse_txt_reply_ext(abuf, alen, &txt);
	int e = resolver_cb_status(q->r, status);
	const char *msg = resolver_cb_errmsg(q->r, status);
	/* One record's strings are joined, as SPF (RFC 7208 3.3) and DMARC read them. */
	for (struct ares_txt_ext *t = txt; !e && t; t = t->next) {
		if (t->record_start && have) {
			e = hu_strv_push_owned(&records, hu_buf_steal(&cur));
			have = false;
		}
		if (!e && hu_buf_append(&cur, t->txt, t->length) < 0) {
			e = -EBADMSG;
			msg = "TXT record too long";
		}
		have = true;
	}
	if (!e && have)
		e = hu_strv_push_owned(&records, hu_buf_steal(&cur));
	if (!e && records.n == 0)
		e = -ENODATA;
	q->cb.txt(q->arg, e, e ? NULL : &records, msg);
	hu_buf_clear(&cur);
	hu_strv_clear(&records);
	if (txt)
		ares_free_data(txt);
}

static int cmp_mx(const void *a, const void *b)
{
	const struct hu_mx *x = a, *y = b;

	if (x->preference != y->preference)
		return x->preference < y->preference ? -1 : 1;
	return strcmp(x->host, y->host);
}

static void mx_deliver(struct query *q, int status, const unsigned char *abuf, int alen)
{
	struct ares_mx_reply *mx = NULL;
	struct hu_mx v[RESOLVER_MAX_ADDRS];
	size_t n = 0;

	if (status == ARES_SUCCESS)
		status = ares_parse_mx_reply(abuf, alen, &mx);
	int e = resolver_cb_status(q->r, status);
	const char *msg = resolver_cb_errmsg(q->r, status);
	for (struct ares_mx_reply *m = mx; !e && m && n < RESOLVER_MAX_ADDRS; m = m->next)
		v[n++] = (struct hu_mx){ m->priority, m->host };
	if (!e && n == 0)
		e = -ENODATA;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_mx);
	q->cb.mx(q->arg, e, e ? NULL : v, e ? 0 : n, msg);
	if (mx)
		ares_free_data(mx);
}

void resolver_query_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;

	(void)timeouts;
	switch (q->kind) {
	case QUERY_RAW:
		q->cb.raw(q->arg, resolver_cb_status(q->r, status),
			  status == ARES_SUCCESS ? abuf : NULL,
			  status == ARES_SUCCESS && alen > 0 ? (size_t)alen : 0,
			  resolver_cb_errmsg(q->r, status));
		break;
	case QUERY_TXT:
		txt_deliver(q, status, abuf, alen);
		break;
	case QUERY_MX:
		mx_deliver(q, status, abuf, alen);
		break;
	case QUERY_ADDRS:
		break; /* not reached: address queries use resolver_addrinfo_cb */
	}
	resolver_query_done(q);
}
