/* SPDX-License-Identifier: MIT */
/* What the collector's commands share when they print. */
#ifndef HUOLTO_COLLECTOR_CLI_UTIL_H
#define HUOLTO_COLLECTOR_CLI_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define EXIT_USAGE 2
#define EXIT_FAIL  1

/* A Unix time as "2026-11-22T10:00:00Z" in a 21-column field; "-" for 0 or less. */
void cli_print_time(int64_t t);

/* The options the hours, month and report commands take (NULL: not given). */
struct cli_opts {
	const char *format;
	const char *site, *date, *hours, *kind, *who, *note, *finding;
	const char *month, *customer, *out, *language;
	bool all;
};

#endif
