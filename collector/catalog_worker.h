/* SPDX-License-Identifier: MIT */
/*
 * The catalog's thread in `serve` (with a catalog section): every round it
 * refreshes the feeds that are due (last tried catalog.refresh ago or
 * more), loads the new facts into the index ingest evaluates with, and
 * evaluates every agent's latest document again (catalog_reeval.h), so
 * that facts turning stale show as catalog.stale without a new document.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_WORKER_H
#define HUOLTO_COLLECTOR_CATALOG_WORKER_H

#include "alerter.h"
#include "catalog_index.h"
#include "coll_conf.h"
#include "store.h"

struct catalog_worker;

/* Start the thread; alerter (may be NULL) is kicked when evaluation queued alerts. */
int catalog_worker_start(const struct coll_conf *conf, struct store *s, struct catalog_live *live,
			 struct alerter *alerter, struct catalog_worker **ret, struct hu_err *err);
/* Stop (a fetch under way is aborted) and free; w may be NULL. */
void catalog_worker_stop(struct catalog_worker *w);

#endif
