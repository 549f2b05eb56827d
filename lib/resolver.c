/* SPDX-License-Identifier: MIT */
/*
 * Name resolution on c-ares: one channel, many queries in flight, driven by
 * poll() over the sockets c-ares reports through its socket-state callback.
 */
#include <ares.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "huolto/buf.h"
#include "huolto/resolver.h"

/* EDNS buffer size of DNS Flag Day 2020: no IP fragmentation. */
#define EDNS_PAYLOAD 1232
/* Upper bound on addresses kept for one name. */
#define MAX_ADDRS 64
/* Upper bound on sockets c-ares may ask us to watch. */
#define MAX_SOCKETS 256

enum query_kind {
	QUERY_ADDRS,
	QUERY_RAW,
	QUERY_TXT,
	QUERY_MX,
};

struct query {
	struct hu_resolver *r;
	enum query_kind kind;
	union {
		hu_addrs_cb addrs;
		hu_raw_cb raw;
		hu_txt_cb txt;
		hu_mx_cb mx;
	} cb;
	void *arg;
	/* for static answers, which are delivered from hu_resolver_wait() */
	const struct hu_resolver_static *st;
	struct query *next;
};

struct hu_resolver {
	ares_channel ch;
	struct hu_resolver_conf conf; /* statics copied; servers are in the channel */
	struct pollfd fds[MAX_SOCKETS];
	size_t n_fds;
	size_t pending;
	struct query *statics_head, *statics_tail;
	bool deadline_hit; /* cancellations now mean -ETIMEDOUT */
	bool destroying;
};

static int ares_to_errno(int status)
{
	switch (status) {
	case ARES_SUCCESS:
		return 0;
	case ARES_ENODATA:
		return -ENODATA;
	case ARES_ENOTFOUND:
	case ARES_ENONAME:
		return -ENOENT;
	case ARES_ETIMEOUT:
		return -ETIMEDOUT;
	case ARES_ESERVFAIL:
	case ARES_EOF:
	case ARES_EFILE:
		return -EIO;
	case ARES_EREFUSED:
	case ARES_ECONNREFUSED:
		return -ECONNREFUSED;
	case ARES_EFORMERR:
	case ARES_EBADRESP:
		return -EBADMSG;
	case ARES_ENOTIMP:
		return -EOPNOTSUPP;
	case ARES_EBADQUERY:
	case ARES_EBADNAME:
	case ARES_EBADFAMILY:
	case ARES_EBADFLAGS:
	case ARES_EBADHINTS:
		return -EINVAL;
	case ARES_ENOMEM:
		return -ENOMEM;
	case ARES_EDESTRUCTION:
	case ARES_ECANCELLED:
		return -ECANCELED;
	default:
		return -EIO;
	}
}

/* A status for a callback: cancellations after the deadline are timeouts. */
static int cb_status(const struct hu_resolver *r, int ares_status)
{
	int e = ares_to_errno(ares_status);

	if (e == -ECANCELED && r->deadline_hit && !r->destroying)
		return -ETIMEDOUT;
	return e;
}

static const char *cb_errmsg(const struct hu_resolver *r, int ares_status)
{
	if (ares_status == ARES_SUCCESS)
		return NULL;
	if (ares_status == ARES_ECANCELLED && r->deadline_hit && !r->destroying)
		return "no answer before the run's deadline";
	return ares_strerror(ares_status);
}

static void sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
	struct hu_resolver *r = data;
	size_t i;

	for (i = 0; i < r->n_fds; i++)
		if (r->fds[i].fd == fd)
			break;
	if (!readable && !writable) {
		if (i < r->n_fds)
			r->fds[i] = r->fds[--r->n_fds];
		return;
	}
	if (i == r->n_fds) {
		if (r->n_fds == MAX_SOCKETS)
			return; /* c-ares' own timeouts still end the query */
		r->n_fds++;
	}
	r->fds[i] = (struct pollfd){
		.fd = fd, .events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0))
	};
}

static int copy_statics(struct hu_resolver_conf *dst, const struct hu_resolver_conf *src)
{
	if (!src->n_statics)
		return 0;
	dst->statics = calloc(src->n_statics, sizeof(*dst->statics));
	if (!dst->statics)
		return -ENOMEM;
	for (size_t i = 0; i < src->n_statics; i++) {
		dst->statics[i].name = strdup(src->statics[i].name);
		dst->n_statics++;
		if (!dst->statics[i].name ||
		    hu_strv_merge(&dst->statics[i].addrs, &src->statics[i].addrs) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int servers_csv(const struct hu_strv *servers, struct hu_buf *b)
{
	for (size_t i = 0; i < servers->n; i++) {
		char host[64];
		uint16_t port;
		int r = hu_resolver_parse_server(servers->v[i], host, sizeof(host), &port);
		if (r < 0)
			return r;
		r = hu_buf_printf(b, strchr(host, ':') ? "%s[%s]:%u" : "%s%s:%u", i ? "," : "",
				  host, port);
		if (r < 0)
			return r;
	}
	return 0;
}

int hu_resolver_new(const struct hu_resolver_conf *conf, struct hu_resolver **ret,
		    struct hu_err *err)
{
	struct ares_options o = { 0 };
	struct hu_resolver *r;
	struct hu_buf csv = HU_BUF_INIT(0);
	char lookups_dns[] = "b", lookups_both[] = "fb";
	int optmask, st, e;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	hu_resolver_conf_init(&r->conf);
	r->conf.timeout_ms = conf->timeout_ms;
	r->conf.attempts = conf->attempts;
	r->conf.use_hosts = conf->use_hosts;
	e = copy_statics(&r->conf, conf);
	if (e < 0)
		goto fail;

	o.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH;
	o.timeout = conf->timeout_ms > 0 ? conf->timeout_ms : HU_RESOLVER_TIMEOUT_MS_DEFAULT;
	o.tries = conf->attempts > 0 ? conf->attempts : HU_RESOLVER_ATTEMPTS_DEFAULT;
	o.ndomains = 0;
	o.domains = NULL;
	o.lookups = conf->use_hosts ? lookups_both : lookups_dns;
	o.ednspsz = EDNS_PAYLOAD;
	o.sock_state_cb = sock_state_cb;
	o.sock_state_cb_data = r;
	optmask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_DOMAINS |
		  ARES_OPT_LOOKUPS | ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_STATE_CB;
	st = ares_init_options(&r->ch, &o, optmask);
	if (st != ARES_SUCCESS) {
		e = hu_err_set(err, ares_to_errno(st), "c-ares initialisation failed: %s",
			       ares_strerror(st));
		r->ch = NULL;
		goto fail;
	}
	if (conf->servers.n) {
		e = servers_csv(&conf->servers, &csv);
		if (e < 0) {
			hu_err_set(err, e, "invalid nameserver address");
			goto fail;
		}
		st = ares_set_servers_ports_csv(r->ch, csv.data);
		if (st != ARES_SUCCESS) {
			e = hu_err_set(err, ares_to_errno(st), "cannot use nameservers %s: %s",
				       csv.data, ares_strerror(st));
			goto fail;
		}
	}
	hu_buf_clear(&csv);
	*ret = r;
	return 0;
fail:
	hu_buf_clear(&csv);
	hu_resolver_free(r);
	return e;
}

static void query_done(struct query *q)
{
	q->r->pending--;
	free(q);
}

/* Deliver (or cancel) queued static answers. */
static void run_statics(struct hu_resolver *r, int cancel_status)
{
	while (r->statics_head) {
		struct query *q = r->statics_head;
		struct hu_addrs addrs = { .from_static = true };
		struct hu_addr v[MAX_ADDRS];

		r->statics_head = q->next;
		if (!r->statics_head)
			r->statics_tail = NULL;
		if (cancel_status) {
			q->cb.addrs(q->arg, cancel_status, NULL, "cancelled");
			query_done(q);
			continue;
		}
		for (size_t i = 0; i < q->st->addrs.n && addrs.n < MAX_ADDRS; i++) {
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
		addrs.v = v;
		q->cb.addrs(q->arg, 0, &addrs, NULL);
		query_done(q);
	}
}

void hu_resolver_free(struct hu_resolver *r)
{
	if (!r)
		return;
	r->destroying = true;
	run_statics(r, -ECANCELED);
	if (r->ch)
		ares_destroy(r->ch); /* calls back every query with ARES_EDESTRUCTION */
	hu_resolver_conf_clear(&r->conf);
	free(r);
}

size_t hu_resolver_pending(const struct hu_resolver *r)
{
	return r->pending;
}

static struct query *query_new(struct hu_resolver *r, enum query_kind kind, void *arg)
{
	struct query *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->r = r;
	q->kind = kind;
	q->arg = arg;
	r->pending++;
	return q;
}

static const struct hu_resolver_static *find_static(const struct hu_resolver *r, const char *name)
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	for (size_t i = 0; i < r->conf.n_statics; i++)
		if (strlen(r->conf.statics[i].name) == n &&
		    strncasecmp(r->conf.statics[i].name, name, n) == 0)
			return &r->conf.statics[i];
	return NULL;
}

static bool addr_seen(const struct hu_addr *v, size_t n, const struct hu_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].family == a->family && strcmp(v[i].text, a->text) == 0)
			return true;
	return false;
}

static void addrinfo_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct query *q = arg;
	struct hu_addr v[MAX_ADDRS];
	struct hu_addrs addrs = { .v = v };

	(void)timeouts;
	if (status == ARES_SUCCESS && res) {
		for (struct ares_addrinfo_node *n = res->nodes; n && addrs.n < MAX_ADDRS;
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
	q->cb.addrs(q->arg, cb_status(q->r, status), status == ARES_SUCCESS ? &addrs : NULL,
		    cb_errmsg(q->r, status));
	if (res)
		ares_freeaddrinfo(res);
	query_done(q);
}

int hu_resolver_addrs(struct hu_resolver *r, const char *name, hu_addrs_cb cb, void *arg)
{
	struct ares_addrinfo_hints hints = { .ai_family = AF_UNSPEC, .ai_flags = ARES_AI_NOSORT };
	struct query *q;

	if (!name || !*name)
		return -EINVAL;
	q = query_new(r, QUERY_ADDRS, arg);
	if (!q)
		return -ENOMEM;
	q->cb.addrs = cb;
	q->st = find_static(r, name);
	if (q->st) {
		if (r->statics_tail)
			r->statics_tail->next = q;
		else
			r->statics_head = q;
		r->statics_tail = q;
		return 0;
	}
	ares_getaddrinfo(r->ch, name, NULL, &hints, addrinfo_cb, q);
	return 0;
}

static void txt_deliver(struct query *q, int status, const unsigned char *abuf, int alen)
{
	struct ares_txt_ext *txt = NULL;
	struct hu_strv records = HU_STRV_INIT;
	struct hu_buf cur = HU_BUF_INIT(65536);
	bool have = false;
	int e = cb_status(q->r, status);
	const char *msg = cb_errmsg(q->r, status);

	if (status == ARES_SUCCESS) {
		int st = ares_parse_txt_reply_ext(abuf, alen, &txt);
		if (st != ARES_SUCCESS) {
			e = ares_to_errno(st);
			msg = ares_strerror(st);
		}
	}
	for (struct ares_txt_ext *t = txt; !e && t; t = t->next) {
		if (t->record_start && have) {
			e = hu_strv_push_owned(&records, hu_buf_steal(&cur));
			have = false;
		}
		if (!e && hu_buf_append(&cur, t->txt, t->length) < 0)
			e = -EBADMSG;
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
	struct hu_mx v[MAX_ADDRS];
	size_t n = 0;
	int e = cb_status(q->r, status);
	const char *msg = cb_errmsg(q->r, status);

	if (status == ARES_SUCCESS) {
		int st = ares_parse_mx_reply(abuf, alen, &mx);
		if (st != ARES_SUCCESS) {
			e = ares_to_errno(st);
			msg = ares_strerror(st);
		}
	}
	for (struct ares_mx_reply *m = mx; !e && m && n < MAX_ADDRS; m = m->next)
		v[n++] = (struct hu_mx){ m->priority, m->host };
	if (!e && n == 0)
		e = -ENODATA;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_mx);
	q->cb.mx(q->arg, e, e ? NULL : v, e ? 0 : n, msg);
	if (mx)
		ares_free_data(mx);
}

static void query_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;

	(void)timeouts;
	switch (q->kind) {
	case QUERY_RAW:
		q->cb.raw(q->arg, cb_status(q->r, status), status == ARES_SUCCESS ? abuf : NULL,
			  status == ARES_SUCCESS && alen > 0 ? (size_t)alen : 0,
			  cb_errmsg(q->r, status));
		break;
	case QUERY_TXT:
		txt_deliver(q, status, abuf, alen);
		break;
	case QUERY_MX:
		mx_deliver(q, status, abuf, alen);
		break;
	case QUERY_ADDRS:
		break; /* not reached: address queries use addrinfo_cb */
	}
	query_done(q);
}

static int start_query(struct hu_resolver *r, const char *name, int rrtype, enum query_kind kind,
		       void *cb, void *arg)
{
	struct query *q;

	if (!name || !*name || rrtype <= 0 || rrtype > 65535)
		return -EINVAL;
	q = query_new(r, kind, arg);
	if (!q)
		return -ENOMEM;
	switch (kind) {
	case QUERY_RAW:
		q->cb.raw = (hu_raw_cb)cb;
		break;
	case QUERY_TXT:
		q->cb.txt = (hu_txt_cb)cb;
		break;
	case QUERY_MX:
		q->cb.mx = (hu_mx_cb)cb;
		break;
	case QUERY_ADDRS:
		free(q);
		r->pending--;
		return -EINVAL;
	}
	ares_query(r->ch, name, 1 /* IN */, rrtype, query_cb, q);
	return 0;
}

int hu_resolver_query(struct hu_resolver *r, const char *name, int rrtype, hu_raw_cb cb, void *arg)
{
	return start_query(r, name, rrtype, QUERY_RAW, (void *)cb, arg);
}

int hu_resolver_txt(struct hu_resolver *r, const char *name, hu_txt_cb cb, void *arg)
{
	return start_query(r, name, HU_RR_TXT, QUERY_TXT, (void *)cb, arg);
}

int hu_resolver_mx(struct hu_resolver *r, const char *name, hu_mx_cb cb, void *arg)
{
	return start_query(r, name, HU_RR_MX, QUERY_MX, (void *)cb, arg);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hu_resolver_wait(struct hu_resolver *r, int deadline_ms)
{
	int64_t end = deadline_ms > 0 ? mono_ms() + deadline_ms : 0;

	r->deadline_hit = false;
	for (;;) {
		struct pollfd fds[MAX_SOCKETS];
		struct timeval maxtv, tv, *tvp;
		size_t n;
		int tmo, pr;

		run_statics(r, 0);
		if (r->pending == 0)
			return 0;
		if (end && mono_ms() >= end) {
			r->deadline_hit = true;
			ares_cancel(r->ch); /* every callback runs with -ETIMEDOUT */
			run_statics(r, 0);
			r->deadline_hit = false;
			return 0;
		}
		maxtv.tv_sec = 1;
		maxtv.tv_usec = 0;
		if (end) {
			int64_t left = end - mono_ms();
			if (left < 1000) {
				maxtv.tv_sec = 0;
				maxtv.tv_usec = (suseconds_t)(left > 0 ? left * 1000 : 0);
			}
		}
		tvp = ares_timeout(r->ch, &maxtv, &tv);
		tmo = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);

		/* Callbacks may change r->fds: work on a copy. */
		n = r->n_fds;
		memcpy(fds, r->fds, n * sizeof(*fds));
		pr = poll(fds, n, tmo);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (size_t i = 0; i < n && pr > 0; i++) {
			short ev = fds[i].revents;
			if (!ev)
				continue;
			bool rd = ev & (POLLIN | POLLERR | POLLHUP), wr = ev & (POLLOUT | POLLERR);
			ares_process_fd(r->ch, rd ? fds[i].fd : ARES_SOCKET_BAD,
					wr ? fds[i].fd : ARES_SOCKET_BAD);
		}
		/* Let c-ares expire queries whose time has come. */
		ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	}
}
