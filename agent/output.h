/* SPDX-License-Identifier: MIT */
/*
 * Printing what a run found: text (people), json (the report document),
 * nagios (monitoring). Everything that came from the server is printed
 * with control characters replaced, so it cannot drive the terminal.
 */
#ifndef HUOLTO_AGENT_OUTPUT_H
#define HUOLTO_AGENT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "huolto/finding.h"
#include "huolto/report.h"
#include "huolto/site.h"

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_JSON,
	OUTPUT_NAGIOS,
	_OUTPUT_FORMAT_MAX,
	_OUTPUT_FORMAT_INVALID = -1,
};

enum output_format output_format_from_name(const char *name);

/* color: use ANSI colours (the caller decides: a TTY, NO_COLOR unset). */
int output_report(FILE *f, const struct hu_report *r, enum output_format fmt, bool color);

/* `discover`: the sites found, where each came from, and the problems met. */
int output_sites(FILE *f, const struct hu_sites *sites, const struct hu_findings *problems,
		 enum output_format fmt);

/* Print s with control characters replaced (text from DNS or the server). */
void output_put_safe(FILE *f, const char *s);

/* Exit status for a report: the worst status, Nagios style. */
int output_exit_status(const struct hu_report *r);

#endif
