/* SPDX-License-Identifier: MIT */
/*
 * The collector's `pull` section: shared-hosting accounts checked over SSH
 * (docs/collector.md, "Pull over SSH"), and `pull_options`.
 */
#ifndef HUOLTO_COLLECTOR_PULL_CONF_H
#define HUOLTO_COLLECTOR_PULL_CONF_H

#include <stdint.h>

#include "agent_conf.h"
#include "huolto/conf.h"
#include "huolto/err.h"

#define PULL_DEFAULT_STATE_DIR "/var/lib/huolto-collector/pull"

struct pull_host {
	char *name; /* the agent name its documents carry */
	char *host;
	unsigned port;
	char *user;
	char *key;           /* private key file, or NULL with password_file */
	char *known_hosts;   /* OpenSSH known_hosts file */
	char *password_file; /* password authentication, only when set */
	int64_t every_ms;    /* serve pulls it this often */
	int64_t timeout_ms;  /* connect, and each SFTP or command step */
	/* Its sites and the checks' sections, as an agent's configuration. */
	struct agent_conf agent;
};

struct pull_conf {
	struct pull_host *v;
	size_t n;
	int64_t concurrency; /* pull_options.concurrency: hosts pulled at once */
};

/*
 * list: the `pull` node (a list, or NULL), options: `pull_options` (or
 * NULL). Both must outlive the result (the checks read their sections from
 * them at each pull).
 */
int pull_conf_parse(const struct hu_conf_node *list, const struct hu_conf_node *options,
		    struct pull_conf *ret, struct hu_err *err);
void pull_conf_clear(struct pull_conf *c);

/* The host named name, or NULL. */
const struct pull_host *pull_conf_find(const struct pull_conf *c, const char *name);

#endif
