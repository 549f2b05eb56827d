/* SPDX-License-Identifier: MIT */
/*
 * What evaluation reads: the catalog's facts loaded from catalog.db into
 * memory once, so that judging an item is a lookup. An index never
 * changes after it is loaded; serve swaps in a new one after a refresh
 * (catalog_live), and threads evaluating with the old one keep their
 * reference until they are done.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_INDEX_H
#define HUOLTO_COLLECTOR_CATALOG_INDEX_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "catalog_conf.h"
#include "huolto/err.h"

/* How far a feed's facts can be trusted at a moment. */
enum catalog_freshness {
	CATALOG_NEVER,   /* never read: nothing to judge with */
	CATALOG_STALE,   /* read, but older than stale_after (or past its own expiry) */
	CATALOG_CURRENT, /* read, and recent */
};

/* A Joomla core release, with its applicability compiled. */
struct catalog_joomla_release;

struct catalog_index {
	int64_t stale_after_s;
	int64_t loaded_at;
	json_t *feeds;   /* feed name → its row (catalog_db's feeds table) */
	json_t *cycles;  /* product → [cycle rows], each with its feed */
	json_t *wp_core; /* WordPress version → latest / outdated / insecure */
	char *wp_latest; /* the version stable-check calls latest, or NULL */
	json_t *items;   /* "kind key" → the per-item feeds' row (catalog_db's items) */
	json_t *vulns;   /* "type slug" → [{id, title, cve, cvss_score, cvss_rating, ranges,
			    patched}] */
	bool wordfence;  /* a vulnerability feed is configured */
	struct catalog_joomla_release *joomla;
	size_t n_joomla;
	unsigned refs; /* guarded by the catalog_live's lock; 1 for a private index */
};

/*
 * Load the facts in conf->dir's catalog.db. A catalog that was never
 * refreshed (no directory, no database) loads as an empty index: every
 * judgement says unknown.
 */
int catalog_index_load(const struct catalog_conf *conf, time_t now, struct catalog_index **ret,
		       struct hu_err *err);
void catalog_index_free(struct catalog_index *idx);

/* Whether facts confirmed at ok_at (0: never), expiring at expires (0: never), are stale at now. */
bool catalog_stale_at(int64_t ok_at, int64_t expires, int64_t stale_after_s, time_t now);

/* The freshness of feed at now, and (when read) its row in *ret_row. */
enum catalog_freshness catalog_index_feed(const struct catalog_index *idx, const char *feed,
					  time_t now, const json_t **ret_row);

/*
 * What a per-item feed said of key (catalog_db's items row: feed, slug,
 * latest, status, facts), or NULL when it was not asked about.
 */
const json_t *catalog_index_item(const struct catalog_index *idx, const char *kind,
				 const char *key);

/* The known vulnerabilities of a plugin, theme or core ("wordpress"), or NULL for none. */
const json_t *catalog_index_vulns(const struct catalog_index *idx, const char *type,
				  const char *slug);

/* One Joomla core release: version, channel, stability ("Stable"), php_minimum or NULL. */
struct catalog_joomla_view {
	const char *version, *channel, *stability, *php_minimum;
};
/*
 * The releases (newest first) whose platform expression matches installed:
 * from *i on, the next one into *ret with *i its position; false past the last.
 */
bool catalog_index_joomla(const struct catalog_index *idx, size_t *i, const char *installed,
			  struct catalog_joomla_view *ret);

/*
 * The index serve shares between threads: get takes a reference (NULL
 * when none is loaded), put drops it, swap installs a new one.
 */
struct catalog_live {
	pthread_mutex_t lock;
	struct catalog_index *idx;
};

void catalog_live_init(struct catalog_live *l);
struct catalog_index *catalog_live_get(struct catalog_live *l);
void catalog_live_put(struct catalog_live *l, struct catalog_index *idx);
/* Install idx (its reference passes to l); the old index goes when its last user is done. */
void catalog_live_swap(struct catalog_live *l, struct catalog_index *idx);
void catalog_live_clear(struct catalog_live *l);

#endif
