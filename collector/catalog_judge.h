/* SPDX-License-Identifier: MIT */
/*
 * Judging one thing a site runs against the catalog: an inventory item
 * (a WordPress, Drupal or Joomla core), a PHP, a database server. Every
 * judgement names the feed it used; when that feed was never read or is
 * stale, the judgement is catalog.unknown or catalog.stale (status
 * unknown), never ok. docs/catalog.md lists the rules.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_JUDGE_H
#define HUOLTO_COLLECTOR_CATALOG_JUDGE_H

#include <jansson.h>
#include <time.h>

#include "catalog_index.h"
#include "huolto/status.h"

/* Days before an end of support that it becomes a warning. */
#define CATALOG_EOL_WARN_DAYS 90

struct catalog_judgement {
	enum hu_status status;
	const char *code;   /* the finding's code; NULL when ok and there is nothing to say */
	char *message;      /* one English sentence (owned), or NULL */
	json_t *facts;      /* what it was judged with (owned), or NULL */
	const char *latest; /* the newest version upstream offers this line, or NULL */
};

void catalog_judgement_clear(struct catalog_judgement *j);

/*
 * An inventory item (report document's sites[].inventory[]): 0 and *ret,
 * 1 when the catalog has nothing to say about its kind (drop-ins, must-use
 * plugins, items updated from elsewhere), -ENOMEM. inventory: the whole
 * site's, which says what a Joomla extension runs on (or NULL).
 */
int catalog_judge_item(const struct catalog_index *idx, const json_t *item, const json_t *inventory,
		       time_t now, struct catalog_judgement *ret);

/*
 * Each item of a site's inventory gets "catalog": {status, code, latest,
 * message}, or null when not judged (idx NULL, or nothing to say about its
 * kind): what `site show` and the monthly reports list. 0 or -ENOMEM.
 */
int catalog_judge_inventory(const struct catalog_index *idx, json_t *inventory, time_t now);

/* A PHP branch ("8.2") at version: php.ok / php.security_only / php.eol_soon / php.eol. */
int catalog_judge_php(const struct catalog_index *idx, const char *version, time_t now,
		      struct catalog_judgement *ret);

/* A database server's version as it reports it: db.version_eol / db.version_eol_soon. */
int catalog_judge_db(const struct catalog_index *idx, const char *version, const char *flavour,
		     time_t now, struct catalog_judgement *ret);

#endif
