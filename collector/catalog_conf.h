/* SPDX-License-Identifier: MIT */
/* The collector's `catalog` section: where the upstream feeds are and how often to read them. */
#ifndef HUOLTO_COLLECTOR_CATALOG_CONF_H
#define HUOLTO_COLLECTOR_CATALOG_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "huolto/conf.h"
#include "huolto/err.h"

#define CATALOG_DEFAULT_DIR "/var/lib/huolto-collector/catalog"

struct catalog_conf {
	bool enabled;           /* the section is there: serve refreshes on its own */
	char *dir;              /* dir: the feeds' bodies and catalog.db */
	int64_t refresh_ms;     /* refresh: how often serve reads the feeds */
	int64_t stale_after_ms; /* stale_after: data older than this is "unknown" */
	int64_t timeout_ms;     /* timeout: one request, at most */
	int64_t max_body;       /* max_body: a larger answer is refused */
	char *ca_file;          /* ca_file: CA bundle for every source, or NULL (system) */
	char *wordpress_api;    /* sources.wordpress_api */
	char *drupal_updates;   /* sources.drupal_updates */
	char *joomla_updates;   /* sources.joomla_updates */
	char *php_releases;     /* sources.php_releases */
	char *endoflife;        /* sources.endoflife */
	char *wordfence_url;    /* sources.wordfence.url; NULL: not configured */
	char *wordfence_token_file;
	int64_t wordfence_max_body; /* sources.wordfence.max_body */
	/* extension_servers: the update servers Joomla extensions' manifests name */
	bool ext_enabled;       /* .enabled (default true) */
	bool ext_allow_http;    /* .allow_http: plain http:// servers (default false) */
	bool ext_allow_private; /* .allow_private: loopback and private addresses (default false) */
	int64_t ext_timeout_ms; /* .timeout: one server (default 20 s) */
};

void catalog_conf_init(struct catalog_conf *c);
/* Parse the catalog node n (absent or null: the defaults, not enabled). */
int catalog_conf_parse(const struct hu_conf_node *n, struct catalog_conf *c, struct hu_err *err);
void catalog_conf_clear(struct catalog_conf *c);

#endif
