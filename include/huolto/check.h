/* SPDX-License-Identifier: MIT */
/*
 * The check interface. A check is one file (or a small folder) with one
 * ops struct, registered in checks/registry.c. Checks fill in results;
 * they never print, send or store them. They read files and run commands
 * only through ctx->host and look names up only through ctx->resolver.
 */
#ifndef HUOLTO_CHECK_H
#define HUOLTO_CHECK_H

#include <jansson.h>
#include <time.h>

#include "huolto/conf.h"
#include "huolto/err.h"
#include "huolto/finding.h"
#include "huolto/host.h"
#include "huolto/site.h"

struct hu_resolver;

/* What one part of a run produced: findings, and data for the report document. */
struct hu_result {
	struct hu_findings findings;
	/*
	 * A JSON object; its keys are added to the server (or site) object of
	 * the report document, e.g. "php". Each key belongs to one check and is
	 * documented in docs/report-schema.md.
	 */
	json_t *data;
};

struct hu_check_ctx {
	struct hu_host *host;
	struct hu_resolver *resolver;
	time_t now;                   /* the run's clock; tests set it */
	const struct hu_sites *sites; /* every site of the run */
	/* The checked machine's own addresses (text, as inet_ntop writes them). */
	const struct hu_strv *local_addrs;
	/* The addresses its mail leaves from (mail.outbound, else its global addresses). */
	const struct hu_strv *outbound_addrs;
	const char *hostname; /* its name, also as HELO */
	/*
	 * Where a check may keep files between runs (agent.state_dir); it
	 * exists when set. NULL: nothing is kept.
	 */
	const char *state_dir;
};

struct hu_check_ops {
	const char *name;    /* as used by --only and as the config key */
	const char *summary; /* one line for --help */

	/*
	 * Read the check's own configuration subtree (NULL when the section
	 * is absent: use defaults) and build its state. Unknown keys are an
	 * error naming file:line:column.
	 */
	int (*init)(const struct hu_conf_node *conf, void **ret_state, struct hu_err *err);
	void (*free)(void *state);

	/* Optional: once per run, before any site. */
	int (*run_server)(void *state, const struct hu_check_ctx *ctx, struct hu_result *out,
			  struct hu_err *err);
	/* Optional: once per site, after run_server. */
	int (*run_site)(void *state, const struct hu_check_ctx *ctx, const struct hu_site *site,
			struct hu_result *out, struct hu_err *err);
	/*
	 * run_site may run for several sites at once, on agent.workers threads:
	 * it only reads state and ctx (ctx->host, not ctx->resolver), writes
	 * only out, and keeps nothing between sites.
	 */
	bool concurrent_sites;
};

/* Every check, in run order; NULL-terminated. */
extern const struct hu_check_ops *const hu_checks[];

/* The check named name, or NULL. */
const struct hu_check_ops *hu_check_find(const char *name);

int hu_result_init(struct hu_result *r);
void hu_result_clear(struct hu_result *r);

#endif
