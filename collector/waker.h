/* SPDX-License-Identifier: MIT */
/*
 * What a background thread of `serve` sleeps on: a period measured on the
 * monotonic clock, cut short by a kick (new work) or by stop.
 */
#ifndef HUOLTO_COLLECTOR_WAKER_H
#define HUOLTO_COLLECTOR_WAKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct waker {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	uint64_t kicks; /* under lock */
	atomic_bool stop;
};

void waker_init(struct waker *w);
void waker_destroy(struct waker *w);
/* Wait until kicked (since *seen), stopped, or ms passed; *seen becomes the kicks seen. */
void waker_wait(struct waker *w, uint64_t *seen, int64_t ms);
/* Wait ms out whatever the kicks, unless stopped. */
void waker_sleep(struct waker *w, int64_t ms);
void waker_kick(struct waker *w);
/* Stop: every wait returns, and waker_stopped says so from now on. */
void waker_stop(struct waker *w);
static inline bool waker_stopped(struct waker *w)
{
	return atomic_load(&w->stop);
}

#endif
