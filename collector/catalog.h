/* SPDX-License-Identifier: MIT */
/*
 * The catalog: upstream feeds read into catalog.db (catalog_db.h) under
 * catalog.dir. Each feed is fetched with its last validators; a body is
 * kept in DIR/<feed>.part until it parsed cleanly, then its facts replace
 * the old ones in one transaction and it becomes DIR/<feed>.body. A feed
 * that fails keeps its old facts; when they are older than stale_after,
 * evaluation says so instead of judging with them.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_H
#define HUOLTO_COLLECTOR_CATALOG_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "catalog_conf.h"
#include "catalog_db.h"
#include "huolto/strv.h"

struct catalog {
	const struct catalog_conf *conf;
	struct catalog_db *db;
};

/* SKIPPED: not asked, the feed's rate limit (Wordfence: once in 30 minutes) not yet up. */
enum catalog_result { CATALOG_UPDATED, CATALOG_NOT_MODIFIED, CATALOG_FAILED, CATALOG_SKIPPED };

/* What became of one feed in a refresh. */
struct catalog_outcome {
	const char *feed;
	enum catalog_result result;
	int64_t items;      /* rows the feed's facts hold now */
	int64_t changed_at; /* when those facts were read, 0 for never */
	const char *error;  /* CATALOG_FAILED: why */
};

typedef void (*catalog_report_fn)(void *ctx, const struct catalog_outcome *o);

/*
 * Create catalog.dir when needed and open its database; every feed never
 * read is seeded from the compiled-in snapshot (catalog_seed).
 */
int catalog_open(const struct catalog_conf *conf, struct catalog **ret, struct hu_err *err);
/*
 * The offline snapshot (data/catalog-snapshot.json): the facts of every
 * feed it holds that was never read, dated the snapshot's day (so they turn
 * stale like any feed's), from "snapshot:DATE".
 */
int catalog_seed(struct catalog *c, struct hu_err *err);
void catalog_close(struct catalog *c);

/* Whether name is a feed this collector knows (catalog_feed_names lists them). */
bool catalog_feed_known(const struct catalog *c, const char *name);
/* The feeds this configuration reads, in refresh order. */
int catalog_feed_names(const struct catalog *c, struct hu_strv *ret);

/*
 * Refresh the feeds in only (every feed when only is empty), reporting each
 * to report. The per-item feeds (catalog_plan.h) ask about the items in
 * inventory: the distinct stored inventory items (store_ops.inventory_distinct),
 * or NULL for none. Returns how many failed (their old facts stay), or an error
 * that stopped the refresh (the database, an unknown feed name).
 */
int catalog_refresh(struct catalog *c, const struct hu_strv *only, const json_t *inventory,
		    time_t now, const atomic_bool *stop, catalog_report_fn report, void *ctx,
		    struct hu_err *err);

/* Whether a feed's facts, last confirmed at ok_at (or expiring at expires), are stale at now. */
bool catalog_stale(const struct catalog_conf *conf, const struct catalog_feed *f, time_t now);

#endif
