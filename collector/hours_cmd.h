/* SPDX-License-Identifier: MIT */
/* huolto-collector hours add|list|edit|delete|import|export, and month close|reopen|show. */
#ifndef HUOLTO_COLLECTOR_HOURS_CMD_H
#define HUOLTO_COLLECTOR_HOURS_CMD_H

#include "cli_util.h"
#include "coll_conf.h"
#include "report_model.h"
#include "store.h"

/* args[0] is "hours" / "month"; returns the exit status. */
int hours_cmd(const struct coll_conf *conf, struct store *s, const struct cli_opts *o, char **args,
	      int n_args);
/* Closing a month freezes its reports' models (report_cmd.h), built from src. */
int month_cmd(const struct report_src *src, const struct cli_opts *o, char **args, int n_args);

#endif
