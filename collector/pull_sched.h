/* SPDX-License-Identifier: MIT */
/* serve's schedule of pulls (pull.h): each host at start, then every `every`. */
#ifndef HUOLTO_COLLECTOR_PULL_SCHED_H
#define HUOLTO_COLLECTOR_PULL_SCHED_H

#include "pull.h"

struct pull_sched;

/* *ret NULL when conf has no hosts. conf and env's parts must outlive it. */
int pull_sched_start(const struct pull_env *env, const struct pull_conf *conf,
		     struct pull_sched **ret, struct hu_err *err);
/* Stops after the pull under way (bounded by its timeouts); s may be NULL. */
void pull_sched_stop(struct pull_sched *s);

#endif
