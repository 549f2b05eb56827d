/* SPDX-License-Identifier: MIT */
/*
 * The feed parsers: each reads one body and adds its facts to the feed
 * being replaced in the catalog database (catalog_db_begin has run). Any
 * error aborts the replacement, and names the field it is about.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_PARSE_H
#define HUOLTO_COLLECTOR_CATALOG_PARSE_H

#include <jansson.h>
#include <regex.h>
#include <stddef.h>

#include "catalog_db.h"
#include "huolto/err.h"

/* A parser that streams the body from its file (a feed too large to read whole). */
typedef int (*catalog_parse_file_fn)(const char *path, const char *product, struct catalog_db *db,
				     struct hu_err *err);

/* A per-item feed's call that could not be asked (why): record it as the feed's fact. */
typedef int (*catalog_fail_fn)(const char *about, const char *why, struct catalog_db *db,
			       struct hu_err *err);

/* product: the product a per-product feed is about (endoflife.date), else NULL. */
typedef int (*catalog_parse_fn)(const char *data, size_t len, const char *product,
				struct catalog_db *db, struct hu_err *err);

/* api.wordpress.org core/stable-check/1.0: every version, latest / outdated / insecure. */
int catalog_parse_wp_stable(const char *data, size_t len, const char *product,
			    struct catalog_db *db, struct hu_err *err);
/* php.net releases/branches.php: each branch's latest release, state and support ends. */
int catalog_parse_php_branches(const char *data, size_t len, const char *product,
			       struct catalog_db *db, struct hu_err *err);
/* endoflife.date, API v0 (<product>.json) or v1 (products/<product>): each cycle. */
int catalog_parse_eol(const char *data, size_t len, const char *product, struct catalog_db *db,
		      struct hu_err *err);

/* Joomla's TUF targets.json (update.joomla.org/cms/): the core packages, signed.expires. */
int catalog_parse_joomla_tuf(const char *data, size_t len, const char *product,
			     struct catalog_db *db, struct hu_err *err);

/*
 * Joomla's XML update files (catalog_joomla_xml.c). An extension update
 * server's answer (<updates> or <extensionset>) is stored as the item
 * (CATALOG_JOOMLA_SERVER, url), "listed" or, when it is not such a file,
 * "unreadable": a vendor's broken file does not fail the feed.
 * catalog_joomla_server_failed records a server that could not be asked
 * ("unreachable", why). The legacy core/list.xml is one item
 * (CATALOG_JOOMLA_LIST, CATALOG_JOOMLA_LIST_KEY); its errors fail the feed.
 */
int catalog_parse_joomla_server(const char *data, size_t len, const char *url,
				struct catalog_db *db, struct hu_err *err);
int catalog_joomla_server_failed(const char *url, const char *why, struct catalog_db *db,
				 struct hu_err *err);
int catalog_parse_joomla_list(const char *data, size_t len, const char *product,
			      struct catalog_db *db, struct hu_err *err);
/* A target platform's version expression, anchored at the start as Joomla does; -EINVAL. */
int catalog_joomla_platform_compile(regex_t *re, const char *platform);

/*
 * WordPress.org's update checks and plugin information (catalog_wp_items.c):
 * about is what the call asked (catalog_plan.h): the update checks' keys as
 * a JSON array, plugin information's slug.
 */
int catalog_parse_wp_plugins(const char *data, size_t len, const char *about, struct catalog_db *db,
			     struct hu_err *err);
int catalog_parse_wp_themes(const char *data, size_t len, const char *about, struct catalog_db *db,
			    struct hu_err *err);
int catalog_parse_wp_plugin_info(const char *data, size_t len, const char *slug,
				 struct catalog_db *db, struct hu_err *err);

/* Drupal's release history of one project; key is "project|compat" (catalog_drupal.c). */
int catalog_parse_drupal(const char *data, size_t len, const char *key, struct catalog_db *db,
			 struct hu_err *err);
/* An inventory item's key among the release histories ("token|current"); -EINVAL: none. */
int catalog_drupal_key(const json_t *item, char *buf, size_t len);

/*
 * Wordfence Intelligence v3, streamed from the body at path (it is too large
 * to read whole): each non-informational record's software (catalog_wordfence.c).
 */
int catalog_parse_wordfence_file(const char *path, const char *product, struct catalog_db *db,
				 struct hu_err *err);

/* Shared by the parsers. */
/* Parse data as JSON; an error names what, the line and the column. */
int catalog_json_load(const char *data, size_t len, const char *what, json_t **ret,
		      struct hu_err *err);
/* The "YYYY-MM-DD" a string starts with (ISO dates and date-times), in out; false if none. */
bool catalog_date(const json_t *v, char out[11]);
/* A UTC date-time "YYYY-MM-DDTHH:MM:SS[.fff]Z" as Unix seconds; false if v is not one. */
bool catalog_datetime(const json_t *v, int64_t *ret);

#endif
