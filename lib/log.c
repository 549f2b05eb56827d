/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "huolto/err.h"
#include "huolto/log.h"

/* The only process-wide settings: set once by main() before any work. */
static const char *log_progname = "huolto";
static enum hu_log_level log_max_level = HU_LOG_WARNING;

static const char *const level_names[_HU_LOG_LEVEL_MAX] = {
	[HU_LOG_ERROR] = "error",
	[HU_LOG_WARNING] = "warning",
	[HU_LOG_INFO] = "info",
	[HU_LOG_DEBUG] = "debug",
};

void hu_log_setup(const char *progname, enum hu_log_level max_level)
{
	if (progname)
		log_progname = progname;
	if (max_level >= 0 && max_level < _HU_LOG_LEVEL_MAX)
		log_max_level = max_level;
}

enum hu_log_level hu_log_get_level(void)
{
	return log_max_level;
}

static void log_write(enum hu_log_level level, const char *suffix, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (level > log_max_level || level < 0)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	/* One fprintf per line, so that concurrent writers do not interleave. */
	fprintf(stderr, "%s: %s: %s%s%s\n", log_progname, level_names[level], msg,
		suffix ? ": " : "", suffix ? suffix : "");
	free(msg);
}

void hu_log(enum hu_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(level, NULL, fmt, ap);
	va_end(ap);
}

int hu_log_errno(enum hu_log_level level, int errnum, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	log_write(level, hu_strerror(errnum, buf, sizeof(buf)), fmt, ap);
	va_end(ap);
	return errnum < 0 ? errnum : -errnum;
}
