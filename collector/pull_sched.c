/* SPDX-License-Identifier: MIT */
/*
 * serve's pulls: every host once at start, then each again `every` after
 * its last pull began, at most pull_options.concurrency at once, on one
 * thread of its own (and the pull's workers).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "huolto/clock.h"
#include "pull_sched.h"

struct pull_sched {
	struct pull_env env;
	const struct pull_conf *conf;
	int64_t *due; /* monotonic ms */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
};

static void *run(void *arg)
{
	struct pull_sched *s = arg;
	size_t n = s->conf->n;
	const struct pull_host **todo = calloc(n, sizeof(*todo));
	struct pull_outcome *outs = calloc(n, sizeof(*outs));

	pthread_mutex_lock(&s->lock);
	while (todo && outs && !s->stop) {
		int64_t now = hu_mono_ms(), next = now + 3600000;
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (s->due[i] <= now) {
				todo[k++] = &s->conf->v[i];
				s->due[i] = now + s->conf->v[i].every_ms;
			}
			if (s->due[i] < next)
				next = s->due[i];
		}
		if (k) {
			pthread_mutex_unlock(&s->lock);
			pull_hosts(&s->env, todo, k, (unsigned)s->conf->concurrency, outs);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t wait = next - now;
		ts.tv_sec += wait / 1000;
		ts.tv_nsec += (wait % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
	free(todo);
	free(outs);
	return NULL;
}

int pull_sched_start(const struct pull_env *env, const struct pull_conf *conf,
		     struct pull_sched **ret, struct hu_err *err)
{
	struct pull_sched *s;
	pthread_condattr_t ca;
	int r;

	*ret = NULL;
	if (conf->n == 0)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->due = calloc(conf->n, sizeof(*s->due)))) {
		free(s);
		return -ENOMEM;
	}
	s->env = *env;
	s->conf = conf;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	r = -pthread_create(&s->thread, NULL, run, s);
	if (r < 0) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		free(s->due);
		free(s);
		return hu_err_set(err, r, "cannot start the pull thread");
	}
	*ret = s;
	return 0;
}

void pull_sched_stop(struct pull_sched *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	/* A pull under way ends within its hosts' timeouts. */
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s->due);
	free(s);
}
