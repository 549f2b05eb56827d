/* SPDX-License-Identifier: MIT */
/*
 * Progress on stderr: one line, rewritten in place, only when stderr is a
 * terminal and the run has taken longer than a second. Nothing otherwise.
 */
#ifndef HUOLTO_AGENT_PROGRESS_H
#define HUOLTO_AGENT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool enabled;
	bool shown; /* a line is on the terminal */
	int64_t start_ms;
};

void progress_init(struct progress *p, bool enabled);
void progress_update(struct progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Erase the line, if one is shown. */
void progress_done(struct progress *p);

#endif
