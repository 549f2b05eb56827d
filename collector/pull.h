/* SPDX-License-Identifier: MIT */
/*
 * Pulling: the agent's checks run from the collector over SSH against a
 * shared-hosting account (pull_ssh.h), their report document stored and
 * evaluated exactly like an agent's (ingest.h), with the pull host's name
 * as agent name. A host that cannot be reached, stalls, shows an unknown
 * host key or refuses the key still gets a document: each of its sites
 * carries the critical finding (pull.unreachable, pull.timeout,
 * pull.host_key, pull.auth_failed, pull.failed) that says why.
 */
#ifndef HUOLTO_COLLECTOR_PULL_H
#define HUOLTO_COLLECTOR_PULL_H

#include <stdbool.h>
#include <time.h>

#include "catalog_index.h"
#include "ingest.h"
#include "huolto/schema.h"
#include "pull_conf.h"
#include "pull_ssh.h"
#include "store.h"

/* Where the documents go. */
struct pull_env {
	struct store *store;
	const struct hu_schema *schema;
	const struct store_alerts *alerts; /* or NULL */
	struct catalog_live *catalog;      /* or NULL */
};

struct pull_outcome {
	const struct pull_host *host;
	enum pull_fail fail;        /* PULL_FAIL_NONE: checked */
	char message[512];          /* why it failed (never a secret) */
	char id[INGEST_ID_MAX + 1]; /* the document stored, or "" */
	int store_error;            /* storing failed (message says why): a negative errno, or 0 */
	double seconds;             /* how long it took */
};

/* The finding code of a failure ("pull.unreachable", ...). */
const char *pull_fail_code(enum pull_fail f);

/*
 * Pull hosts[0..n) with at most concurrency at once; outs[i] is hosts[i]'s.
 * One host's failure or slowness costs only its own timeouts.
 */
void pull_hosts(const struct pull_env *env, const struct pull_host *const *hosts, size_t n,
		unsigned concurrency, struct pull_outcome *outs);

#endif
