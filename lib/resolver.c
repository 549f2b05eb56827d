/* SPDX-License-Identifier: MIT */
/*
 * Name resolution on c-ares: one channel; queries wait in a queue and at
 * most max_in_flight are handed to c-ares at once, so that a burst of
 * answers fits the socket's receive buffer; poll() drives the sockets
 * c-ares reports through its socket-state callback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "huolto/buf.h"
#include "resolver_int.h"
#include "huolto/clock.h"

/* EDNS buffer size of DNS Flag Day 2020: no IP fragmentation. */
#define EDNS_PAYLOAD 1232

int resolver_ares_errno(int status)
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

int resolver_cb_status(const struct hu_resolver *r, int ares_status)
{
	int e = resolver_ares_errno(ares_status);

	if (e == -ECANCELED && r->deadline_hit && !r->destroying)
		return -ETIMEDOUT;
	return e;
}

const char *resolver_cb_errmsg(const struct hu_resolver *r, int ares_status)
{
	if (ares_status == ARES_SUCCESS)
		return NULL;
	if (ares_status == ARES_ECANCELLED && r->deadline_hit && !r->destroying)
		return "no answer before the run's deadline";
	return ares_strerror(ares_status);
}

const char *hu_resolver_status_name(int status)
{
	switch (status) {
	case 0:
		return "NOERROR";
	case -ENOENT:
		return "NXDOMAIN";
	case -ENODATA:
		return "NODATA";
	case -ETIMEDOUT:
		return "TIMEOUT";
	case -EIO:
		return "SERVFAIL";
	case -ECONNREFUSED:
		return "REFUSED";
	case -EBADMSG:
		return "BADRESPONSE";
	case -ECANCELED:
		return "CANCELLED";
	default:
		return "ERROR";
	}
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
		if (r->n_fds == RESOLVER_MAX_SOCKETS)
			return; /* c-ares' own timeouts still end the query */
		r->n_fds++;
	}
	r->fds[i] = (struct pollfd){
		.fd = fd, .events = (short)((readable ? POLLIN : 0) | (writable ? POLLOUT : 0))
	};
}

static void queue_push(struct queue *qu, struct query *q)
{
	q->next = NULL;
	if (qu->tail)
		qu->tail->next = q;
	else
		qu->head = q;
	qu->tail = q;
}

static struct query *queue_pop(struct queue *qu)
{
	struct query *q = qu->head;

	if (q) {
		qu->head = q->next;
		if (!qu->head)
			qu->tail = NULL;
	}
	return q;
}

void resolver_query_done(struct query *q)
{
	q->r->pending--;
	if (q->launched)
		q->r->in_flight--;
	free(q->name);
	free(q);
}

/* Call back a query that never reached c-ares. */
static void query_fail(struct query *q, int status, const char *why)
{
	switch (q->kind) {
	case QUERY_ADDRS:
		q->cb.addrs(q->arg, status, NULL, why);
		break;
	case QUERY_RAW:
		q->cb.raw(q->arg, status, NULL, 0, why);
		break;
	case QUERY_TXT:
		q->cb.txt(q->arg, status, NULL, why);
		break;
	case QUERY_MX:
		q->cb.mx(q->arg, status, NULL, 0, why);
		break;
	}
	resolver_query_done(q);
}

/* Fail every query of a queue. */
static void fail_all(struct queue *qu, int status, const char *why)
{
	struct query *q;

	while ((q = queue_pop(qu)))
		query_fail(q, status, why);
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
	r->max_in_flight = conf->max_in_flight > 0 ? (size_t)conf->max_in_flight
						   : HU_RESOLVER_MAX_IN_FLIGHT_DEFAULT;
	e = copy_statics(&r->conf, conf);
	if (e < 0)
		goto fail;

	/* No search list: checks look up full names. */
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
		e = hu_err_set(err, resolver_ares_errno(st), "c-ares initialisation failed: %s",
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
			e = hu_err_set(err, resolver_ares_errno(st),
				       "cannot use nameservers %s: %s", csv.data,
				       ares_strerror(st));
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

void hu_resolver_free(struct hu_resolver *r)
{
	if (!r)
		return;
	r->destroying = true;
	fail_all(&r->statics, -ECANCELED, "cancelled");
	fail_all(&r->waiting, -ECANCELED, "cancelled");
	if (r->ch)
		ares_destroy(r->ch); /* calls back every launched query with ARES_EDESTRUCTION */
	hu_resolver_conf_clear(&r->conf);
	free(r);
}

size_t hu_resolver_pending(const struct hu_resolver *r)
{
	return r->pending;
}

static struct query *query_new(struct hu_resolver *r, enum query_kind kind, const char *name,
			       int rrtype, void *arg)
{
	struct query *q;

	if (!name || !*name)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->name = strdup(name);
	if (!q->name) {
		free(q);
		return NULL;
	}
	q->r = r;
	q->kind = kind;
	q->rrtype = rrtype;
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

int hu_resolver_addrs(struct hu_resolver *r, const char *name, hu_addrs_cb cb, void *arg)
{
	struct query *q;

	if (!name || !*name)
		return -EINVAL;
	q = query_new(r, QUERY_ADDRS, name, 0, arg);
	if (!q)
		return -ENOMEM;
	q->cb.addrs = cb;
	q->st = find_static(r, name);
	queue_push(q->st ? &r->statics : &r->waiting, q);
	return 0;
}

static int start_query(struct hu_resolver *r, const char *name, int rrtype, enum query_kind kind,
		       void *arg, struct query **ret)
{
	if (!name || !*name || rrtype <= 0 || rrtype > 65535)
		return -EINVAL;
	*ret = query_new(r, kind, name, rrtype, arg);
	if (!*ret)
		return -ENOMEM;
	queue_push(&r->waiting, *ret);
	return 0;
}

int hu_resolver_query(struct hu_resolver *r, const char *name, int rrtype, hu_raw_cb cb, void *arg)
{
	struct query *q;
	int e = start_query(r, name, rrtype, QUERY_RAW, arg, &q);

	if (e == 0)
		q->cb.raw = cb;
	return e;
}

int hu_resolver_txt(struct hu_resolver *r, const char *name, hu_txt_cb cb, void *arg)
{
	struct query *q;
	int e = start_query(r, name, HU_RR_TXT, QUERY_TXT, arg, &q);

	if (e == 0)
		q->cb.txt = cb;
	return e;
}

int hu_resolver_mx(struct hu_resolver *r, const char *name, hu_mx_cb cb, void *arg)
{
	struct query *q;
	int e = start_query(r, name, HU_RR_MX, QUERY_MX, arg, &q);

	if (e == 0)
		q->cb.mx = cb;
	return e;
}

/* Hand waiting queries to c-ares while there are free slots. */
static void launch(struct hu_resolver *r)
{
	struct query *q;

	while (r->in_flight < r->max_in_flight && (q = queue_pop(&r->waiting))) {
		q->launched = true;
		r->in_flight++;
		if (q->kind == QUERY_ADDRS) {
			struct ares_addrinfo_hints hints = { .ai_family = AF_UNSPEC,
							     .ai_flags = ARES_AI_NOSORT };
			ares_getaddrinfo(r->ch, q->name, NULL, &hints, resolver_addrinfo_cb, q);
		} else {
			ares_query(r->ch, q->name, 1 /* class IN */, q->rrtype, resolver_query_cb,
				   q);
		}
	}
}

int hu_resolver_wait(struct hu_resolver *r, int deadline_ms)
{
	int64_t end = deadline_ms > 0 ? hu_mono_ms() + deadline_ms : 0;
	struct query *q;

	for (;;) {
		struct pollfd fds[RESOLVER_MAX_SOCKETS];
		struct timeval maxtv = { 1, 0 }, tv, *tvp;
		size_t n;
		int tmo, pr;

		while ((q = queue_pop(&r->statics)))
			resolver_static_answer(q);
		if (end && hu_mono_ms() >= end) {
			r->deadline_hit = true;
			fail_all(&r->waiting, -ETIMEDOUT, "no answer before the run's deadline");
			ares_cancel(r->ch); /* launched ones call back with -ETIMEDOUT */
			r->deadline_hit = false;
			return 0;
		}
		launch(r);
		if (r->pending == 0)
			return 0;
		if (end) {
			int64_t left = end - hu_mono_ms();
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
