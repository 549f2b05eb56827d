/* SPDX-License-Identifier: MIT */
/* huolto-collector report: the month's site reports and the overview, as HTML and PDF. */
#ifndef HUOLTO_COLLECTOR_REPORT_CMD_H
#define HUOLTO_COLLECTOR_REPORT_CMD_H

#include "cli_util.h"
#include "report_model.h"

/*
 * report --month M (--site S | --customer C | --all) [--format html,pdf]
 * [--out DIR] [--language fi|en]: returns the exit status.
 */
int report_cmd(const struct report_src *src, const struct cli_opts *o);

/*
 * The models of every site of month (those documents reported on, and the
 * configured customers' sites), for month close to freeze: [model, ...].
 */
int report_models_all(const struct report_src *src, const char *month, json_t **ret,
		      struct hu_err *err);

#endif
