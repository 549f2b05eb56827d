/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

#include "catalog.h"
#include "catalog_reeval.h"
#include "catalog_worker.h"
#include "huolto/log.h"
#include "waker.h"

/* The shortest wait between rounds: a feed due again soon is read with the next round. */
#define MIN_ROUND_MS (60 * 1000)

struct catalog_worker {
	const struct coll_conf *conf;
	struct store *store;
	struct catalog_live *live;
	struct alerter *alerter;
	struct catalog *catalog;
	struct waker w;
	pthread_t thread;
	bool running;
};

static void log_outcome(void *ctx, const struct catalog_outcome *o)
{
	(void)ctx;
	if (o->result == CATALOG_FAILED)
		hu_log_warning("catalog: %s failed: %s%s", o->feed, o->error,
			       o->changed_at > 0 ? " (the facts read before are kept)" : "");
	else if (o->result == CATALOG_SKIPPED)
		hu_log_debug("catalog: %s not asked: its rate limit is not up yet", o->feed);
	else
		hu_log_info("catalog: %s %s, %lld facts", o->feed,
			    o->result == CATALOG_UPDATED ? "updated" : "not modified",
			    (long long)o->items);
}

/*
 * The feeds due at now into due; returns the milliseconds until the next
 * one is due (at least MIN_ROUND_MS, at most catalog.refresh).
 */
static int64_t due_feeds(struct catalog_worker *w, time_t now, struct hu_strv *due)
{
	struct hu_strv names = HU_STRV_INIT;
	int64_t every = w->conf->catalog.refresh_ms, next = every;

	if (catalog_feed_names(w->catalog, &names) < 0)
		return MIN_ROUND_MS;
	for (size_t i = 0; i < names.n; i++) {
		struct catalog_feed f = { 0 };
		struct hu_err err = HU_ERR_INIT;
		int64_t checked = 0;
		if (catalog_db_feed_get(w->catalog->db, names.v[i], &f, &err) >= 0)
			checked = f.checked_at;
		hu_err_clear(&err);
		catalog_feed_clear(&f);
		int64_t left = (checked * 1000 + every) - (int64_t)now * 1000;
		if (left <= 0)
			hu_strv_push(due, names.v[i]);
		else if (left < next)
			next = left;
	}
	hu_strv_clear(&names);
	return next < MIN_ROUND_MS ? MIN_ROUND_MS : next;
}

static void round_once(struct catalog_worker *w, const struct hu_strv *due)
{
	struct hu_err err = HU_ERR_INIT;
	struct catalog_index *idx = NULL;
	struct catalog_reeval_result res = { 0 };
	time_t now = time(NULL);
	json_t *inventory = NULL;
	int r = 0;

	if (due->n > 0)
		r = w->store->ops->inventory_distinct(w->store, &inventory, &err);
	if (due->n > 0 && r >= 0)
		r = catalog_refresh(w->catalog, due, inventory, now, &w->w.stop, log_outcome, NULL,
				    &err);
	json_decref(inventory);
	if (r < 0) {
		hu_log_warning("catalog: refresh: %s", hu_err_msg(&err));
		hu_err_clear(&err);
	}
	if (waker_stopped(&w->w))
		return;
	r = catalog_index_load(&w->conf->catalog, time(NULL), &idx, &err);
	if (r >= 0) {
		catalog_live_swap(w->live, idx);
		idx = catalog_live_get(w->live);
		r = catalog_reeval(w->store, idx,
				   w->conf->alerts.enabled ? &w->conf->alerts.store : NULL,
				   time(NULL), &res, &err);
		catalog_live_put(w->live, idx);
	}
	if (r < 0) {
		hu_log_warning("catalog: evaluating the documents again: %s", hu_err_msg(&err));
		hu_err_clear(&err);
		return;
	}
	hu_log_debug("catalog: evaluated %u documents again, %u alert deliveries queued",
		     res.documents, res.queued);
	if (res.queued)
		alerter_kick(w->alerter);
}

static void *loop(void *ctx)
{
	struct catalog_worker *w = ctx;

	while (!waker_stopped(&w->w)) {
		struct hu_strv due = HU_STRV_INIT;
		int64_t next = due_feeds(w, time(NULL), &due);
		round_once(w, &due);
		hu_strv_clear(&due);
		waker_sleep(&w->w, next);
	}
	return NULL;
}

int catalog_worker_start(const struct coll_conf *conf, struct store *s, struct catalog_live *live,
			 struct alerter *alerter, struct catalog_worker **ret, struct hu_err *err)
{
	struct catalog_worker *w = calloc(1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	*w = (struct catalog_worker){ .conf = conf, .store = s, .live = live, .alerter = alerter };
	waker_init(&w->w);
	r = catalog_open(&conf->catalog, &w->catalog, err);
	if (r >= 0) {
		r = -pthread_create(&w->thread, NULL, loop, w);
		if (r < 0)
			hu_err_errno(err, -r, "starting the catalog thread");
		w->running = r >= 0;
	}
	if (r < 0) {
		catalog_worker_stop(w);
		return r;
	}
	*ret = w;
	return 0;
}

void catalog_worker_stop(struct catalog_worker *w)
{
	if (!w)
		return;
	waker_stop(&w->w);
	if (w->running)
		pthread_join(w->thread, NULL);
	catalog_close(w->catalog);
	waker_destroy(&w->w);
	free(w);
}
