/* SPDX-License-Identifier: MIT */
/* Shared by pull_ssh.c, pull_host.c and pull_forward.c: the connection. */
#ifndef HUOLTO_COLLECTOR_PULL_SSH_INT_H
#define HUOLTO_COLLECTOR_PULL_SSH_INT_H

#include <libssh2.h>
#include <libssh2_sftp.h>
#include <pthread.h>
#include <stdint.h>

#include "pull_ssh.h"

struct ssh_conn {
	int fd;
	LIBSSH2_SESSION *s; /* non-blocking */
	LIBSSH2_SFTP *sftp;
	/*
	 * Held for the whole of each libssh2 call sequence on s (an SFTP
	 * request, a command, a relay round): the checks' threads and a
	 * forward's share one session.
	 */
	pthread_mutex_t lock;
	int64_t step_ms;     /* each step's timeout */
	enum pull_fail dead; /* set once a step timed out or the link failed */
	char why[600];       /* and what happened */
	char where[300];     /* "user@host:port", for messages */
};

/* The deadline of a step starting now. */
int64_t ssh_deadline(const struct ssh_conn *c);

/*
 * Wait until the socket is ready the way libssh2 wants it, at most 100 ms
 * at a time: 0 to try again, -ETIMEDOUT past deadline (and the connection
 * is marked timed out).
 */
int ssh_wait(struct ssh_conn *c, int64_t deadline);

/*
 * A libssh2 error rc of an operation on c as an errno, with err set
 * ("what: message"); a timeout or a lost connection also marks c dead.
 */
int ssh_error(struct ssh_conn *c, int rc, const char *what, struct hu_err *err);

/* Retry expr (an int libssh2 call) while it says EAGAIN, until deadline. */
#define SSH_RETRY(c, deadline, rc, expr)                          \
	do {                                                      \
		while (((rc) = (expr)) == LIBSSH2_ERROR_EAGAIN) { \
			if (ssh_wait((c), (deadline)) < 0) {      \
				(rc) = LIBSSH2_ERROR_TIMEOUT;     \
				break;                            \
			}                                         \
		}                                                 \
	} while (0)

/* The same for a call that returns a pointer, NULL on failure (rc: the error). */
#define SSH_RETRY_PTR(c, deadline, rc, ptr, expr)                  \
	do {                                                       \
		(rc) = 0;                                          \
		while (!((ptr) = (expr))) {                        \
			(rc) = libssh2_session_last_errno((c)->s); \
			if ((rc) != LIBSSH2_ERROR_EAGAIN)          \
				break;                             \
			if (ssh_wait((c), (deadline)) < 0) {       \
				(rc) = LIBSSH2_ERROR_TIMEOUT;      \
				break;                             \
			}                                          \
		}                                                  \
	} while (0)

/* Close an SFTP handle, free a channel: retried within one step (lock held). */
void ssh_sftp_close(struct ssh_conn *c, LIBSSH2_SFTP_HANDLE *h);
void ssh_channel_free(struct ssh_conn *c, LIBSSH2_CHANNEL *ch);

/* The forward op of the host interface (pull_forward.c). */
int ssh_forward(struct ssh_conn *c, const char *host, unsigned port, const char *unix_path,
		struct hu_forward **ret, struct hu_err *err);

#endif
