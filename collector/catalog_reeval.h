/* SPDX-License-Identifier: MIT */
/*
 * Evaluation after a refresh: every agent's latest document is judged
 * again with the new index, so that a release or an end of support
 * published since the document came reaches the state and the alerts
 * without waiting for the agent's next run.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_REEVAL_H
#define HUOLTO_COLLECTOR_CATALOG_REEVAL_H

#include <time.h>

#include "catalog_index.h"
#include "store.h"

struct catalog_reeval_result {
	unsigned documents; /* evaluated again */
	unsigned queued;    /* alert deliveries queued */
};

/*
 * Evaluate each agent's latest document against idx at now and take the
 * catalog's findings into the state (store_doc.catalog_only). A document
 * that cannot be read or parsed is skipped with a log line; an error of the
 * store stops the pass.
 */
int catalog_reeval(struct store *s, const struct catalog_index *idx,
		   const struct store_alerts *alerts, time_t now, struct catalog_reeval_result *ret,
		   struct hu_err *err);

#endif
