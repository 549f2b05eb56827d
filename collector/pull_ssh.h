/* SPDX-License-Identifier: MIT */
/*
 * One SSH connection of a pull (libssh2): TCP with a timeout, the host key
 * checked against known_hosts (an unknown or changed key is refused with
 * the fingerprint offered), key authentication (a password only when
 * configured), SFTP; and the host interface over it (pull_host.c), so that
 * the agent's checks run unchanged. Every step has the pull's timeout.
 */
#ifndef HUOLTO_COLLECTOR_PULL_SSH_H
#define HUOLTO_COLLECTOR_PULL_SSH_H

#include <stdbool.h>

#include "huolto/err.h"
#include "huolto/host.h"
#include "huolto/resolver.h"
#include "pull_conf.h"

/* Why a connection could not be had: the finding it becomes. */
enum pull_fail {
	PULL_FAIL_NONE = 0,
	PULL_FAIL_UNREACHABLE, /* pull.unreachable: no TCP connection, or it was lost */
	PULL_FAIL_TIMEOUT,     /* pull.timeout: a step took longer than timeout */
	PULL_FAIL_HOST_KEY,    /* pull.host_key: unknown or changed host key */
	PULL_FAIL_AUTH,        /* pull.auth_failed: the key (or password) was refused */
	PULL_FAIL_SSH,         /* pull.failed: another SSH or SFTP failure */
};

struct ssh_conn;

/* libssh2_init: once, before any thread uses SSH. 0 or -EIO. */
int ssh_global_init(void);
void ssh_global_done(void);

/*
 * Connect to h at addr (from h->host), verify, authenticate, open SFTP.
 * On failure *fail says which finding it is and err the precise reason.
 */
int ssh_open(const struct pull_host *h, const struct hu_addr *addr, struct ssh_conn **ret,
	     enum pull_fail *fail, struct hu_err *err);
/* Closes (politely, bounded by the timeout) and frees; c may be NULL. */
void ssh_close(struct ssh_conn *c);

/*
 * After a step failed mid-run (timeout, connection lost): what it was, and
 * its message. PULL_FAIL_NONE while the connection is sound.
 */
enum pull_fail ssh_broken(const struct ssh_conn *c, const char **why);

/* The host interface over c (which must outlive it). */
int ssh_host_new(struct ssh_conn *c, struct hu_host **ret);

#endif
