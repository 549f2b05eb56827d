/* SPDX-License-Identifier: MIT */
/*
 * One agent run: set up the selected checks from their configuration,
 * discover the sites, run every check on the server and on each site, and
 * collect the report document.
 */
#ifndef HUOLTO_AGENT_RUNNER_H
#define HUOLTO_AGENT_RUNNER_H

#include <stdbool.h>
#include <time.h>

#include "agent_conf.h"
#include "huolto/report.h"

struct run_opts {
	struct hu_strv only; /* check names; empty: every check */
	const char *site;    /* only this site (any of its names); NULL: all */
	time_t now;          /* when the report is made */
	time_t at;           /* the time dates are judged against (usually now) */
	bool progress;       /* progress lines on stderr (a TTY) */
	/*
	 * The checked machine's addresses when it is not this one (a pull
	 * over SSH); NULL: this machine's interfaces.
	 */
	const struct hu_strv *local_addrs;
};

/*
 * Errors: -EINVAL for configuration errors and unknown check or site names
 * (err says which), others for failures of the run itself.
 */
int agent_run(const struct agent_conf *conf, struct hu_host *host, const struct run_opts *opts,
	      struct hu_report *ret, struct hu_err *err);

#endif
