/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alert_channel.h"
#include "alerter.h"
#include "waker.h"
#include "huolto/clock.h"
#include "huolto/log.h"

/* Deliveries per wake-up of a channel's thread, at most. */
#define ROUNDS 100

struct alerter;

/* One thread per channel: a channel that is slow or down delays only itself. */
struct worker {
	struct alerter *alerter;
	struct alert_channel *channel;
	pthread_t thread;
	bool started;
	uint64_t seen; /* the kicks it has seen */
};

struct alerter {
	struct store *store;
	const struct alerts_conf *conf;
	struct metrics *metrics;
	struct worker workers[STORE_CHANNELS_MAX];
	size_t n_workers;
	pthread_t ticker;
	bool ticking;
	struct waker w; /* alerter_kick kicks it */
};

int64_t alerter_backoff_ms(const struct alerts_conf *conf, int64_t attempts)
{
	int64_t ms = conf->retry_min_ms;

	for (int64_t i = 0; i < attempts && ms < conf->retry_max_ms; i++)
		ms *= 2;
	return ms < conf->retry_max_ms ? ms : conf->retry_max_ms;
}

static void log_store(const char *what, int r, struct hu_err *err)
{
	char ebuf[128];

	hu_log_error("alerts: %s: %s", what, hu_err_text(err, r, ebuf, sizeof(ebuf)));
	hu_err_clear(err);
}

/* Deliver q through c; the queue is told what became of it. */
static void deliver(struct alerter *a, struct alert_channel *c, const struct store_queued *q,
		    time_t now)
{
	struct store *s = a->store;
	struct hu_err err = HU_ERR_INIT, serr = HU_ERR_INIT;
	json_t *event = json_loads(q->event, 0, NULL);
	char ebuf[256];
	int r;

	if (!event) {
		hu_log_warning("alerts: %s: dropping a delivery: the queued event is not JSON",
			       q->channel);
		r = s->ops->queue_done(s, q->id, &serr);
		goto out;
	}
	const char *summary = json_string_value(json_object_get(event, "summary"));
	if (!summary)
		summary = "(an event without a summary)";
	r = c->ops->send(c, event, now, &err);
	metrics_alert(a->metrics, q->channel, r >= 0);
	if (r >= 0) {
		hu_log_info("alerts: %s: sent: %s", q->channel, summary);
		r = s->ops->queue_done(s, q->id, &serr);
		goto out;
	}
	const char *why = hu_err_text(&err, r, ebuf, sizeof(ebuf));
	if (r != -EAGAIN || (int64_t)(now - q->created_at) * 1000 >= a->conf->give_up_ms) {
		hu_log_error("alerts: %s: giving up after %lld attempts (%s): %s", q->channel,
			     (long long)q->attempts + 1, why, summary);
		r = s->ops->queue_done(s, q->id, &serr);
		goto out;
	}
	int64_t wait = alerter_backoff_ms(a->conf, q->attempts);
	hu_log_warning("alerts: %s: %s; trying again in %llds", q->channel, why,
		       (long long)(wait / 1000));
	r = s->ops->queue_retry(s, q->id, now + (time_t)((wait + 999) / 1000), why, &serr);
out:
	if (r < 0)
		log_store("updating the queue", r, &serr);
	hu_err_clear(&err);
	json_decref(event);
}

/* A channel's thread: its queue, oldest first, until stopped. */
static void *deliver_loop(void *ctx)
{
	struct worker *w = ctx;
	struct alerter *a = w->alerter;
	const char *name = w->channel->ops->name;
	/* A failed head becomes due again after at least retry.min. */
	const int64_t poll = a->conf->retry_min_ms < a->conf->check_every_ms
				 ? a->conf->retry_min_ms
				 : a->conf->check_every_ms;

	while (!waker_stopped(&a->w)) {
		for (int i = 0; i < ROUNDS && !waker_stopped(&a->w); i++) {
			struct store_queued q;
			struct hu_err err = HU_ERR_INIT;
			int r = a->store->ops->queue_next(a->store, name, time(NULL), &q, &err);
			if (r < 0)
				log_store("reading the queue", r, &err);
			if (r <= 0)
				break;
			deliver(a, w->channel, &q, time(NULL));
			store_queued_clear(&q);
		}
		waker_wait(&a->w, &w->seen, poll);
	}
	return NULL;
}

/* The periodic part: agent.silent and repeats, every check_every. */
static void *tick_loop(void *ctx)
{
	struct alerter *a = ctx;

	while (!waker_stopped(&a->w)) {
		struct hu_err err = HU_ERR_INIT;
		unsigned queued = 0;
		int r =
		    a->store->ops->alert_tick(a->store, &a->conf->store, time(NULL), &queued, &err);
		if (r < 0)
			log_store("the periodic check", r, &err);
		if (queued)
			alerter_kick(a);
		/* Kicks are for the channels: this one waits its period out. */
		waker_sleep(&a->w, a->conf->check_every_ms);
	}
	return NULL;
}

void alerter_kick(struct alerter *a)
{
	if (!a)
		return;
	waker_kick(&a->w);
}

void alerter_stop(struct alerter *a)
{
	if (!a)
		return;
	waker_stop(&a->w);
	if (a->ticking)
		pthread_join(a->ticker, NULL);
	for (size_t i = 0; i < a->n_workers; i++) {
		if (a->workers[i].started)
			pthread_join(a->workers[i].thread, NULL);
		alert_channel_close(a->workers[i].channel);
	}
	waker_destroy(&a->w);
	free(a);
}

/* Deliveries queued for a channel that is no longer configured would wait for ever: drop them. */
static void drop_unconfigured(struct store *s, const struct alerts_conf *conf)
{
	static const char *const known[] = { "alertmanager", "webhook", "smtp" };

	for (size_t k = 0; k < sizeof(known) / sizeof(*known); k++) {
		bool configured = false;
		long dropped = 0;
		for (size_t i = 0; i < conf->store.n_channels; i++)
			configured |= strcmp(conf->store.channels[i], known[k]) == 0;
		for (int r = 1; !configured && r == 1 && dropped < 1000000;) {
			struct store_queued q;
			struct hu_err err = HU_ERR_INIT;
			r = s->ops->queue_next(s, known[k], INT32_MAX, &q, &err);
			if (r == 1) {
				r = s->ops->queue_done(s, q.id, &err) < 0 ? -1 : 1;
				dropped++;
				store_queued_clear(&q);
			}
			if (r < 0)
				log_store("dropping deliveries", r, &err);
		}
		if (dropped)
			hu_log_warning(
			    "alerts: %ld queued %s deliveries dropped: the channel is no "
			    "longer configured",
			    dropped, known[k]);
	}
}

int alerter_start(struct store *s, const struct alerts_conf *conf, struct metrics *m,
		  struct alerter **ret, struct hu_err *err)
{
	struct alerter *a = calloc(1, sizeof(*a));
	int r = 0;

	if (!a)
		return -ENOMEM;
	drop_unconfigured(s, conf);
	*a = (struct alerter){ .store = s, .conf = conf, .metrics = m };
	waker_init(&a->w);
	for (size_t i = 0; r >= 0 && i < conf->store.n_channels; i++) {
		struct worker *w = &a->workers[i];
		w->alerter = a;
		r = alert_channel_open(conf->store.channels[i], conf, &a->w.stop, &w->channel, err);
		if (r >= 0)
			a->n_workers++;
	}
	for (size_t i = 0; r >= 0 && i < a->n_workers; i++) {
		struct worker *w = &a->workers[i];
		r = -pthread_create(&w->thread, NULL, deliver_loop, w);
		w->started = r >= 0;
		if (r < 0)
			hu_err_errno(err, r, "starting the %s thread", w->channel->ops->name);
	}
	if (r >= 0) {
		r = -pthread_create(&a->ticker, NULL, tick_loop, a);
		a->ticking = r >= 0;
		if (r < 0)
			hu_err_errno(err, r, "starting the alert thread");
	}
	if (r < 0) {
		alerter_stop(a);
		return r;
	}
	*ret = a;
	return 0;
}
