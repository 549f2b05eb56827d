/* SPDX-License-Identifier: MIT */
/* Time for deadlines and durations, which the wall clock must not move. */
#ifndef HUOLTO_CLOCK_H
#define HUOLTO_CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock (from an arbitrary start). */
int64_t hu_mono_ms(void);

#endif
