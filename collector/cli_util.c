/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <time.h>

#include "cli_util.h"

void cli_print_time(int64_t v)
{
	char buf[32];
	time_t t = (time_t)v;
	struct tm tm;

	if (v <= 0 || !gmtime_r(&t, &tm)) {
		printf("%-21s", "-");
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%-21s", buf);
}
