/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>

#include "huolto/clock.h"
#include "waker.h"

void waker_init(struct waker *w)
{
	pthread_condattr_t ca;

	w->kicks = 0;
	atomic_init(&w->stop, false);
	pthread_mutex_init(&w->lock, NULL);
	/* Waits are measured on the monotonic clock: a clock step does not stretch them. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
}

void waker_destroy(struct waker *w)
{
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
}

void waker_wait(struct waker *w, uint64_t *seen, int64_t ms)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(ms / 1000);
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	while (w->kicks == *seen && !atomic_load(&w->stop))
		if (pthread_cond_timedwait(&w->wake, &w->lock, &until) == ETIMEDOUT)
			break;
	*seen = w->kicks;
	pthread_mutex_unlock(&w->lock);
}

void waker_sleep(struct waker *w, int64_t ms)
{
	uint64_t seen = 0;

	while (ms > 0 && !atomic_load(&w->stop)) {
		int64_t start = hu_mono_ms();
		waker_wait(w, &seen, ms);
		ms -= hu_mono_ms() - start;
	}
}

void waker_kick(struct waker *w)
{
	pthread_mutex_lock(&w->lock);
	w->kicks++;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void waker_stop(struct waker *w)
{
	atomic_store(&w->stop, true);
	waker_kick(w);
}
