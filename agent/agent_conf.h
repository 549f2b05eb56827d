/* SPDX-License-Identifier: MIT */
/*
 * The agent's configuration (/etc/huolto/agent.yaml): its own sections
 * (agent, sites, discover, resolver) and one section per check, which the
 * check reads itself.
 */
#ifndef HUOLTO_AGENT_CONF_H
#define HUOLTO_AGENT_CONF_H

#include <stdbool.h>

#include "huolto/conf.h"
#include "huolto/resolver.h"
#include "huolto/site.h"
#include "submit.h"

#define AGENT_MAX_WORKERS 64 /* agent.workers, at most */

struct agent_conf {
	char *path;                      /* the file read; NULL when running on defaults */
	struct hu_conf *yaml;            /* NULL when running on defaults, or built from a node */
	const struct hu_conf_node *root; /* the sections (in yaml, or the node's); or NULL */
	char *agent_name;
	char *state_dir;       /* agent.state_dir: what the agent keeps between runs */
	unsigned workers;      /* agent.workers: threads for checks that run sites at once */
	struct hu_sites sites; /* explicit sites, merged with discovered ones */
	char *nginx_root;      /* NULL: do not look at nginx */
	char *apache_root;     /* NULL: do not look at Apache */
	struct hu_resolver_conf resolver;
	struct submit_conf collector; /* where run sends documents */
	struct hu_strv mail_outbound; /* mail.outbound */
	bool mail_outbound_set;       /* else: the global addresses */
};

/*
 * Read path. When the file does not exist and required is false, the
 * defaults are used (defaults plus discovery); otherwise that is an error.
 */
int agent_conf_load(const char *path, bool required, struct agent_conf *ret, struct hu_err *err);
void agent_conf_clear(struct agent_conf *c);

/*
 * The configuration of a run on another machine, from a mapping n that
 * holds "sites", "resolver", "mail" and the checks' sections besides the
 * caller's own keys (own_keys, NULL-terminated; the caller reads them):
 * no discovery, no collector section, one worker, agent name and state
 * directory given. n must outlive the result.
 */
int agent_conf_from_node(const struct hu_conf_node *n, const char *const *own_keys,
			 const char *name, const char *state_dir, struct agent_conf *ret,
			 struct hu_err *err);

/* The configuration section of a check, or NULL. */
const struct hu_conf_node *agent_conf_section(const struct agent_conf *c, const char *name);

/* Parse a site URL: adds its host to the names and, for https, an endpoint. */
int agent_site_add_url(struct hu_site *s, const char *url, char **ret_error);

#endif
