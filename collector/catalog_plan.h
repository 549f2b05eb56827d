/* SPDX-License-Identifier: MIT */
/*
 * Per-item feeds: the requests one refresh makes for the items the stored
 * inventories hold (the WordPress plugins and themes seen, each Drupal
 * project), planned from those inventories before anything is fetched.
 * Every answer is parsed into the same replacement of the feed's facts, so
 * the feed is swapped in whole or not at all.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_PLAN_H
#define HUOLTO_COLLECTOR_CATALOG_PLAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "catalog_db.h"
#include "huolto/err.h"

/* One request, and what its answer is about (handed to the parser). */
struct catalog_call {
	char *url;
	char *post; /* a form body, or NULL for a GET */
	size_t post_len;
	char *about;       /* the parser's product argument: what was asked, or NULL */
	bool not_found_ok; /* a 404 carries an answer (plugin information) */
	bool untrusted;    /* a customer server named the address: the extension servers' policy */
};

struct catalog_plan {
	struct catalog_call *v;
	size_t n, cap;
};

/* Add a call, taking url, post and about (freed on failure too). 0 or -ENOMEM. */
int catalog_plan_add(struct catalog_plan *p, char *url, char *post, char *about, bool not_found_ok);
void catalog_plan_clear(struct catalog_plan *p);

/*
 * Plan a feed's calls. base: the feed's configured base URL; inventory: the
 * distinct stored inventory items (store_ops.inventory_distinct); db: the
 * catalog, for feeds that follow another's answers.
 */
typedef int (*catalog_plan_fn)(const char *base, const json_t *inventory, struct catalog_db *db,
			       struct catalog_plan *ret, struct hu_err *err);

/* %-encode s for a URL query or form body. NULL on -ENOMEM. */
char *catalog_form_escape(const char *s);

/* The WordPress.org update checks (bulk POSTs) and plugin information (one GET per slug). */
int catalog_plan_wp_plugins(const char *base, const json_t *inventory, struct catalog_db *db,
			    struct catalog_plan *ret, struct hu_err *err);
int catalog_plan_wp_themes(const char *base, const json_t *inventory, struct catalog_db *db,
			   struct catalog_plan *ret, struct hu_err *err);
int catalog_plan_wp_plugin_info(const char *base, const json_t *inventory, struct catalog_db *db,
				struct catalog_plan *ret, struct hu_err *err);

/* Drupal's release history: one GET per project and compat the inventories hold. */
int catalog_plan_drupal(const char *base, const json_t *inventory, struct catalog_db *db,
			struct catalog_plan *ret, struct hu_err *err);

/* Joomla extensions' update servers: one GET per distinct address the manifests name. */
int catalog_plan_joomla_servers(const char *base, const json_t *inventory, struct catalog_db *db,
				struct catalog_plan *ret, struct hu_err *err);

#endif
