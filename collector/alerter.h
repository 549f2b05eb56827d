/* SPDX-License-Identifier: MIT */
/*
 * The alert threads of `serve`: one raises agent.silent and due repeats
 * every alerts.check_every (store alert_tick); one per channel sends that
 * channel's queue oldest first, retrying a failed delivery with a doubling
 * back-off and dropping what stays undelivered past alerts.retry.give_up.
 * Ingest only queues; a channel that is down or slow delays its own thread
 * and nothing else.
 */
#ifndef HUOLTO_COLLECTOR_ALERTER_H
#define HUOLTO_COLLECTOR_ALERTER_H

#include <time.h>

#include "alert_conf.h"
#include "metrics.h"
#include "store.h"

struct alerter;

/* Open the configured channels (reading their secrets) and start the thread. */
int alerter_start(struct store *s, const struct alerts_conf *conf, struct metrics *m,
		  struct alerter **ret, struct hu_err *err);
/* Something was queued: deliver now rather than at the next round. */
void alerter_kick(struct alerter *a);
/* Stop (a delivery under way is aborted; it stays queued) and free; a may be NULL. */
void alerter_stop(struct alerter *a);

/* The back-off after the attempts-th failure: min doubled each time, at most max. */
int64_t alerter_backoff_ms(const struct alerts_conf *conf, int64_t attempts);

#endif
