/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "progress.h"
#include "huolto/clock.h"

#define PROGRESS_DELAY_MS 1000

void progress_init(struct progress *p, bool enabled)
{
	*p = (struct progress){ .enabled = enabled, .start_ms = hu_mono_ms() };
}

void progress_update(struct progress *p, const char *fmt, ...)
{
	char line[120];
	va_list ap;

	if (!p->enabled || hu_mono_ms() - p->start_ms < PROGRESS_DELAY_MS)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Keep it on one terminal line: no control characters from data. */
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	p->shown = true;
}

void progress_done(struct progress *p)
{
	if (p->shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	p->shown = false;
}
