/* SPDX-License-Identifier: MIT */
#include <time.h>

#include "huolto/clock.h"

int64_t hu_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
