/* SPDX-License-Identifier: MIT */
/*
 * One logging API. Log settings are the only process-wide state huolto
 * keeps; they are set once by main() before any work starts.
 *
 * Messages go to stderr as "huolto-agent: warning: text". Secrets must never
 * be passed to these functions.
 */
#ifndef HUOLTO_LOG_H
#define HUOLTO_LOG_H

#include <stdarg.h>

enum hu_log_level {
	HU_LOG_ERROR = 0,
	HU_LOG_WARNING = 1,
	HU_LOG_INFO = 2,
	HU_LOG_DEBUG = 3,
	_HU_LOG_LEVEL_MAX,
};

/* Set the program name shown before each message and the most verbose level shown. */
void hu_log_setup(const char *progname, enum hu_log_level max_level);

enum hu_log_level hu_log_get_level(void);

void hu_log(enum hu_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like hu_log, with ": <text of errnum>" appended; returns -abs(errnum). */
int hu_log_errno(enum hu_log_level level, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define hu_log_error(...)   hu_log(HU_LOG_ERROR, __VA_ARGS__)
#define hu_log_warning(...) hu_log(HU_LOG_WARNING, __VA_ARGS__)
#define hu_log_info(...)    hu_log(HU_LOG_INFO, __VA_ARGS__)
#define hu_log_debug(...)   hu_log(HU_LOG_DEBUG, __VA_ARGS__)

#endif
