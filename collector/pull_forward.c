/* SPDX-License-Identifier: MIT */
/*
 * A forward through the pull's SSH connection: a direct-tcpip channel to
 * the database host as the checked machine sees it, opened first (so a
 * refusal is the check's error), and a listener on 127.0.0.1 that takes
 * one connection and relays it through the channel on its own thread.
 * libssh2 1.10 cannot open a channel to a Unix socket: a database named by
 * its socket is reached at 127.0.0.1:3306 of the checked machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "huolto/clock.h"
#include "pull_ssh_int.h"

#define RELAY_CHUNK 16384

struct ssh_fwd {
	struct hu_forward pub;
	struct ssh_conn *c;
	LIBSSH2_CHANNEL *ch;
	int listener;
	pthread_t thread;
	atomic_bool stop;
};

/* Bytes waiting to be written on one side. */
struct pending {
	char buf[RELAY_CHUNK];
	size_t off, len;
};

/* One round of relaying under the lock: 1 when something moved, 0 idle, -1 done. */
static int relay_round(struct ssh_fwd *f, int fd, struct pending *up, struct pending *down)
{
	struct ssh_conn *c = f->c;
	int moved = 0, done = 0;
	ssize_t n;

	pthread_mutex_lock(&c->lock);
	if (c->dead) {
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	/* checked machine -> client */
	if (down->len == 0) {
		n = libssh2_channel_read(f->ch, down->buf, sizeof(down->buf));
		if (n > 0) {
			down->off = 0;
			down->len = (size_t)n;
		} else if (n == 0 && libssh2_channel_eof(f->ch)) {
			done = 1;
		} else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
			done = 1;
		}
	}
	/* client -> checked machine */
	if (up->len > 0) {
		n = libssh2_channel_write(f->ch, up->buf + up->off, up->len);
		if (n > 0) {
			up->off += (size_t)n;
			up->len -= (size_t)n;
			moved = 1;
		} else if (n != LIBSSH2_ERROR_EAGAIN) {
			done = 1;
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (down->len > 0) {
		n = send(fd, down->buf + down->off, down->len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			down->off += (size_t)n;
			down->len -= (size_t)n;
			moved = 1;
		} else if (n < 0 && errno != EAGAIN) {
			done = 1;
		}
	}
	if (up->len == 0) {
		n = recv(fd, up->buf, sizeof(up->buf), MSG_DONTWAIT);
		if (n > 0) {
			up->off = 0;
			up->len = (size_t)n;
			moved = 1;
		} else if (n == 0 || errno != EAGAIN) { /* EWOULDBLOCK is EAGAIN on Linux */
			done = 1;                       /* the client closed */
		}
	}
	return done ? -1 : moved;
}

static void *relay(void *arg)
{
	struct ssh_fwd *f = arg;
	struct pending *up = calloc(1, sizeof(*up)), *down = calloc(1, sizeof(*down));
	int64_t until = hu_mono_ms() + f->c->step_ms;
	int fd = -1;

	/* The client connects at once; wait no longer than a step. */
	while (up && down && !atomic_load(&f->stop) && hu_mono_ms() < until) {
		struct pollfd p = { .fd = f->listener, .events = POLLIN };
		if (poll(&p, 1, 50) > 0 &&
		    (fd = accept4(f->listener, NULL, NULL, SOCK_CLOEXEC)) >= 0)
			break;
	}
	while (fd >= 0 && !atomic_load(&f->stop)) {
		int r = relay_round(f, fd, up, down);
		if (r < 0)
			break;
		if (r == 0) {
			struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
					       { .fd = f->c->fd, .events = POLLIN } };
			poll(p, 2, 50);
		}
	}
	if (fd >= 0)
		close(fd);
	free(up);
	free(down);
	return NULL;
}

static void fwd_close(struct hu_forward *pub)
{
	struct ssh_fwd *f = (struct ssh_fwd *)pub;
	struct ssh_conn *c = f->c;

	atomic_store(&f->stop, true);
	pthread_join(f->thread, NULL);
	close(f->listener);
	pthread_mutex_lock(&c->lock);
	int64_t deadline = ssh_deadline(c);
	while (!c->dead && libssh2_channel_close(f->ch) == LIBSSH2_ERROR_EAGAIN &&
	       ssh_wait(c, deadline) == 0)
		;
	ssh_channel_free(c, f->ch);
	pthread_mutex_unlock(&c->lock);
	free(f);
}

int ssh_forward(struct ssh_conn *c, const char *host, unsigned port, const char *unix_path,
		struct hu_forward **ret, struct hu_err *err)
{
	struct ssh_fwd *f = calloc(1, sizeof(*f));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int64_t deadline;
	int rc = 0, r = 0;

	if (!f)
		return -ENOMEM;
	if (unix_path) {
		host = "127.0.0.1";
		port = 3306;
	}
	f->c = c;
	f->listener = -1;
	pthread_mutex_lock(&c->lock);
	if (c->dead) {
		r = hu_err_set(err, -ECONNRESET, "%s", c->why);
	} else {
		deadline = ssh_deadline(c);
		SSH_RETRY_PTR(
		    c, deadline, rc, f->ch,
		    libssh2_channel_direct_tcpip_ex(c->s, host, (int)port, "127.0.0.1", 0));
		if (!f->ch) {
			char what[600];
			snprintf(what, sizeof(what), "%s:%u through SSH %s", host, port, c->where);
			r = ssh_error(c, rc, what, err);
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (r < 0) {
		free(f);
		return r;
	}
	f->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->listener < 0 || bind(f->listener, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(f->listener, 1) < 0 ||
	    getsockname(f->listener, (struct sockaddr *)&a, &alen) < 0) {
		r = hu_err_errno(err, errno, "a loopback listener for %s:%u", host, port);
		goto fail;
	}
	f->pub.port = ntohs(a.sin_port);
	f->pub.close = fwd_close;
	if ((r = -pthread_create(&f->thread, NULL, relay, f)) < 0) {
		hu_err_set(err, r, "cannot start the relay");
		goto fail;
	}
	*ret = &f->pub;
	return 0;
fail:
	if (f->listener >= 0)
		close(f->listener);
	pthread_mutex_lock(&c->lock);
	ssh_channel_free(c, f->ch);
	pthread_mutex_unlock(&c->lock);
	free(f);
	return r;
}
