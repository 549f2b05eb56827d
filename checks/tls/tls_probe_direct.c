/* SPDX-License-Identifier: MIT */
/*
 * Implicit TLS handshakes (https, smtps, imaps, pop3s) with OpenSSL on
 * non-blocking sockets, all in one poll() loop: connect, then
 * SSL_do_handshake until it completes, each stage with its deadline. Two
 * SSL_CTXs serve every probe (creating one per connection costs more than
 * the handshake itself in OpenSSL 3.0).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "huolto/err.h"
#include "tls.h"
#include "huolto/clock.h"

struct conn {
	struct tls_probe *p;
	int fd;
	SSL *ssl;
	int64_t started, connected, deadline;
	short events; /* what to wait for */
};

static void fail(struct conn *c, enum tls_stage stage, bool timed_out, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct conn *c, enum tls_stage stage, bool timed_out, const char *fmt, ...)
{
	struct tls_probe *p = c->p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->ok = false;
	p->stage = stage;
	p->timed_out = timed_out;
	/* Refused, no route, or no answer in time: unreachable. */
	p->unreachable = timed_out || stage == TLS_STAGE_CONNECT;
	tls_probe_clear(p);
}

static void conn_close(struct conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	*c = (struct conn){ .fd = -1 };
}

static int conn_start(struct conn *c, struct tls_probe *p, const struct tls_probe_opts *o)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	char buf[128];

	*c = (struct conn){ .p = p, .fd = -1, .started = hu_mono_ms() };
	c->deadline = c->started + o->connect_timeout_ms;
	if (inet_pton(AF_INET, p->address, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(p->port);
		len = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, p->address, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(p->port);
		len = sizeof(struct sockaddr_in6);
	} else {
		fail(c, TLS_STAGE_CONNECT, false, "not an IP address: %s", p->address);
		return 0;
	}
	c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		if (errno == ENOMEM || errno == EMFILE || errno == ENFILE)
			return -errno;
		fail(c, TLS_STAGE_CONNECT, false, "socket: %s",
		     hu_strerror(errno, buf, sizeof(buf)));
		return 0;
	}
	if (connect(c->fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		fail(c, TLS_STAGE_CONNECT, false, "connect to %s port %u: %s", p->address, p->port,
		     hu_strerror(errno, buf, sizeof(buf)));
		conn_close(c);
		return 0;
	}
	c->events = POLLOUT;
	return 1;
}

/* The connection is up: set up TLS. 1 when in progress, 0 when it ended. */
static int tls_start(struct conn *c, SSL_CTX *ctx, const struct tls_probe_opts *o)
{
	struct tls_probe *p = c->p;
	unsigned char ip[16];

	c->connected = hu_mono_ms();
	p->connect_ms = (long)(c->connected - c->started);
	c->deadline = c->connected + o->handshake_timeout_ms;
	c->ssl = SSL_new(ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd)) {
		fail(c, TLS_STAGE_HANDSHAKE, false, "cannot set up TLS");
		return 0;
	}
	/* SNI is for names; an address is not sent (RFC 6066 3). */
	if (inet_pton(AF_INET, p->host, ip) != 1 && inet_pton(AF_INET6, p->host, ip) != 1)
		SSL_set_tlsext_host_name(c->ssl, p->host);
	SSL_set_connect_state(c->ssl);
	p->handshake_started = true;
	return 1;
}

/* Why a handshake failed, as OpenSSL or the system says. */
static void handshake_error(struct conn *c, int ret)
{
	int e = SSL_get_error(c->ssl, ret);
	unsigned long ossl = ERR_peek_last_error();
	char buf[256];

	if (ossl) {
		ERR_error_string_n(ossl, buf, sizeof(buf));
		fail(c, TLS_STAGE_HANDSHAKE, false, "%s", buf);
	} else if (e == SSL_ERROR_SYSCALL && errno) {
		fail(c, TLS_STAGE_HANDSHAKE, false, "%s", hu_strerror(errno, buf, sizeof(buf)));
	} else {
		fail(c, TLS_STAGE_HANDSHAKE, false,
		     "the server closed the connection during the handshake");
	}
	ERR_clear_error();
}

/* Move a connection on after poll(). 1: still running; 0: finished. */
static int step(struct conn *c, short revents, SSL_CTX *ctx, SSL_CTX *old_ctx,
		const struct tls_probe_opts *o)
{
	struct tls_probe *p = c->p;
	char buf[128];

	if (!c->ssl) {
		int soerr = 0;
		socklen_t l = sizeof(soerr);
		if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
			return 1;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0)
			soerr = errno;
		if (soerr) {
			fail(c, TLS_STAGE_CONNECT, false, "connect to %s port %u: %s", p->address,
			     p->port, hu_strerror(soerr, buf, sizeof(buf)));
			return 0;
		}
		if (!tls_start(c, p->old_only ? old_ctx : ctx, o))
			return 0;
	}
	ERR_clear_error();
	int ret = SSL_do_handshake(c->ssl);
	if (ret == 1) {
		p->handshake_ms = (long)(hu_mono_ms() - c->connected);
		tls_probe_collect(p, c->ssl);
		p->ok = p->chain && sk_X509_num(p->chain) > 0;
		if (!p->ok)
			fail(c, TLS_STAGE_HANDSHAKE, false, "the server sent no certificate");
		else
			(void)SSL_shutdown(c->ssl); /* a courtesy; not waited for */
		return 0;
	}
	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		c->events = POLLIN;
		return 1;
	case SSL_ERROR_WANT_WRITE:
		c->events = POLLOUT;
		return 1;
	default:
		handshake_error(c, ret);
		return 0;
	}
}

int tls_probe_run_direct(struct tls_probe **probes, size_t n, const struct tls_probe_opts *o,
			 struct hu_err *err)
{
	size_t width = o->concurrency ? o->concurrency : 1, next = 0, active = 0;
	struct conn *conns = calloc(width, sizeof(*conns));
	struct pollfd *pfd = calloc(width, sizeof(*pfd));
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method()),
		*old_ctx = SSL_CTX_new(TLS_client_method());
	int r = 0;

	if (!conns || !pfd || !ctx || !old_ctx || tls_probe_ctx_setup(ctx, false) < 0 ||
	    tls_probe_ctx_setup(old_ctx, true) < 0) {
		r = hu_err_set(err, -ENOMEM, "cannot set up the TLS probes");
		goto out;
	}
	for (size_t i = 0; i < width; i++)
		conns[i].fd = -1;
	while (next < n || active > 0) {
		/* Keep the pipeline full, within the bound. */
		for (size_t i = 0; i < width && next < n; i++) {
			if (conns[i].p)
				continue;
			int s = conn_start(&conns[i], probes[next++], o);
			if (s < 0) {
				r = hu_err_errno(err, s, "cannot open a socket");
				goto out;
			}
			if (s == 0)
				conn_close(&conns[i]);
			else
				active++;
		}
		if (active == 0)
			continue;
		/* Wait for the sockets, or the nearest deadline. */
		int64_t now = hu_mono_ms(), wait = 1000;
		for (size_t i = 0; i < width; i++) {
			pfd[i] = (struct pollfd){ .fd = conns[i].p ? conns[i].fd : -1,
						  .events = conns[i].events };
			if (conns[i].p && conns[i].deadline - now < wait)
				wait = conns[i].deadline - now;
		}
		if (poll(pfd, width, wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR) {
			r = hu_err_errno(err, errno, "poll");
			goto out;
		}
		now = hu_mono_ms();
		for (size_t i = 0; i < width; i++) {
			struct conn *c = &conns[i];
			int running;
			if (!c->p)
				continue;
			if (pfd[i].revents)
				running = step(c, pfd[i].revents, ctx, old_ctx, o);
			else if (now >= c->deadline) {
				fail(c, c->ssl ? TLS_STAGE_HANDSHAKE : TLS_STAGE_CONNECT, true,
				     "%s timed out after %ld ms",
				     c->ssl ? "handshake" : "connection",
				     c->ssl ? o->handshake_timeout_ms : o->connect_timeout_ms);
				running = 0;
			} else
				running = 1;
			if (!running) {
				conn_close(c);
				active--;
			}
		}
	}
out:
	for (size_t i = 0; conns && i < width; i++)
		if (conns[i].p)
			conn_close(&conns[i]);
	free(conns);
	free(pfd);
	SSL_CTX_free(ctx);
	SSL_CTX_free(old_ctx);
	return r;
}
