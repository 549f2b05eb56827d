/* SPDX-License-Identifier: MIT */
/*
 * The catalog's database (catalog.db in catalog.dir): what each upstream
 * feed said when it was last read cleanly, and when each was read.
 *
 * A feed's facts are replaced in one transaction (catalog_db_begin, the
 * parser's rows, catalog_db_commit), so a feed that fails to fetch or
 * parse leaves its previous facts whole.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_DB_H
#define HUOLTO_COLLECTOR_CATALOG_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "huolto/err.h"

struct catalog_db;

/* What is known about reading one feed. Times are Unix seconds, 0 for never. */
struct catalog_feed {
	char *name;
	char *url;
	char *etag; /* the validators of the body the facts came from */
	char *last_modified;
	int64_t checked_at; /* the last attempt */
	int64_t ok_at;      /* the last attempt that ended with current facts (200 or 304) */
	int64_t changed_at; /* the facts were last replaced */
	int64_t expires;    /* the feed's own expiry (Joomla's TUF metadata), 0 for none */
	int64_t items;      /* rows the facts hold */
	char *error;        /* why the last attempt failed, or NULL */
};

void catalog_feed_clear(struct catalog_feed *f);

/* One release cycle (branch) of a product: php 8.3, mysql 8.0, drupal 10.4, joomla 5. */
struct catalog_cycle {
	const char *product;     /* php, mysql, mariadb, drupal, joomla */
	const char *cycle;       /* "8.3" */
	const char *latest;      /* the newest release of the cycle, or NULL */
	const char *released;    /* YYYY-MM-DD, or NULL */
	const char *support_end; /* end of active support, YYYY-MM-DD, or NULL */
	const char *eol;         /* end of security support, YYYY-MM-DD, or NULL */
	int eol_flag;            /* without a date: 1 the source says ended, 0 not, -1 unknown */
	const char *state;       /* php.net's state (stable, security, eol, future), or NULL */
	bool lts;
};

int catalog_db_open(const char *path, struct catalog_db **ret, struct hu_err *err);
void catalog_db_close(struct catalog_db *db);

/* The feed called name; -ENOENT when it was never read. */
int catalog_db_feed_get(struct catalog_db *db, const char *name, struct catalog_feed *ret,
			struct hu_err *err);
/*
 * An attempt that did not replace the facts: error NULL when the feed said
 * nothing changed (304: the facts are current, ok_at moves), else why it
 * failed (the facts stay, and so does ok_at).
 */
int catalog_db_feed_checked(struct catalog_db *db, const char *name, const char *url, time_t now,
			    const char *error, struct hu_err *err);

/* Start replacing feed's facts: everything it held is deleted (not yet committed). */
int catalog_db_begin(struct catalog_db *db, const char *feed, struct hu_err *err);
int catalog_db_add_cycle(struct catalog_db *db, const struct catalog_cycle *c, struct hu_err *err);
/* A WordPress core version and what stable-check says of it (latest, outdated, insecure). */
int catalog_db_add_wp_core(struct catalog_db *db, const char *version, const char *status,
			   struct hu_err *err);
/* A Joomla core package in the TUF targets.json. */
struct catalog_joomla_core {
	const char *file;        /* the target's name: Joomla_5.4.8-Stable-Update_Package.zip */
	const char *version;     /* custom.version */
	const char *channel;     /* "5.x" */
	const char *stability;   /* Stable, RC, Beta, Alpha */
	const char *platform;    /* targetplatform.version: a regular expression over the
				    installed version */
	const char *php_minimum; /* or NULL */
};
int catalog_db_add_joomla_core(struct catalog_db *db, const struct catalog_joomla_core *j,
			       struct hu_err *err);
/*
 * What a per-item feed says of one item it was asked about: a WordPress
 * plugin (key: its file, "akismet/akismet.php"), a theme (its directory), a
 * Drupal project ("token|current").
 */
struct catalog_item {
	const char *kind;    /* wordpress-plugin, wordpress-theme, wordpress-plugin-info,
				drupal-project */
	const char *key;     /* what the item was asked by */
	const char *slug;    /* the upstream's name for it, or NULL */
	const char *latest;  /* the newest release, or NULL */
	const char *status;  /* the feed's word: update, current, absent, closed, ... */
	const json_t *facts; /* what else the judge needs (stored as JSON text), or NULL */
};
int catalog_db_add_item(struct catalog_db *db, const struct catalog_item *it, struct hu_err *err);
/* The items of Joomla's XML update files: an extension update server (keyed by its
 * address), and the legacy core feed. */
#define CATALOG_JOOMLA_SERVER   "joomla-update-server"
#define CATALOG_JOOMLA_LIST     "joomla-core-list"
#define CATALOG_JOOMLA_LIST_KEY "list.xml"
/* A known vulnerability of one software (Wordfence Intelligence). */
struct catalog_vuln {
	const char *type;                      /* plugin, theme, core */
	const char *slug;                      /* wordpress.org's slug; "wordpress" for core */
	const char *id;                        /* the record's UUID */
	const char *title, *cve, *cvss_rating; /* or NULL */
	double cvss_score;                     /* < 0: none */
	const json_t *ranges;  /* [[from, from_inclusive, to, to_inclusive], ...], "*": no bound */
	const json_t *patched; /* [version, ...] */
};
int catalog_db_add_vuln(struct catalog_db *db, const struct catalog_vuln *v, struct hu_err *err);
/* The feed's own expiry (TUF's signed.expires), for the facts being replaced. */
void catalog_db_set_expires(struct catalog_db *db, int64_t expires);

/* Where the new facts came from. */
struct catalog_source {
	const char *url;
	const char *etag; /* the body's validators, or NULL */
	const char *last_modified;
	int64_t expires; /* the feed's own expiry, 0 for none */
};

/* Commit the new facts, with where and when they were read. */
int catalog_db_commit(struct catalog_db *db, const struct catalog_source *src, time_t now,
		      struct hu_err *err);
void catalog_db_rollback(struct catalog_db *db);

/* Reading the facts. */
/* Every cycle of product, newest first by cycle, as JSON rows (with the feed each came from). */
int catalog_db_cycles(struct catalog_db *db, const char *product, json_t **ret, struct hu_err *err);
/* stable-check's word for a WordPress version (latest, outdated, insecure); -ENOENT if unlisted. */
int catalog_db_wp_core_status(struct catalog_db *db, const char *version, char **ret,
			      struct hu_err *err);
/* The items feed said status of: [{kind, key, slug, latest}]. */
int catalog_db_items(struct catalog_db *db, const char *feed, const char *status, json_t **ret,
		     struct hu_err *err);
/* Every row of table (feeds, cycles, wp_core, joomla_core, items, vulns) as JSON objects. */
int catalog_db_rows(struct catalog_db *db, const char *table, json_t **ret, struct hu_err *err);
/* The version stable-check calls latest; -ENOENT when it was never read. */
int catalog_db_wp_core_latest(struct catalog_db *db, char **ret, struct hu_err *err);

#endif
