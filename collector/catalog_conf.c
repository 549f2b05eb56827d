/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_conf.h"
#include "conf_util.h"

/* The upstream addresses, as the issue and ../docs/catalog.md give them. */
static const struct {
	size_t offset;
	const char *key;
	const char *url;
} sources[] = {
	{ offsetof(struct catalog_conf, wordpress_api), "wordpress_api",
	  "https://api.wordpress.org" },
	{ offsetof(struct catalog_conf, drupal_updates), "drupal_updates",
	  "https://updates.drupal.org/release-history" },
	{ offsetof(struct catalog_conf, joomla_updates), "joomla_updates",
	  "https://update.joomla.org" },
	{ offsetof(struct catalog_conf, php_releases), "php_releases",
	  "https://www.php.net/releases" },
	{ offsetof(struct catalog_conf, endoflife), "endoflife", "https://endoflife.date/api" },
};

#define SOURCE(c, i) ((char **)((char *)(c) + sources[i].offset))

void catalog_conf_init(struct catalog_conf *c)
{
	*c = (struct catalog_conf){
		.refresh_ms = 6LL * 3600000,
		.stale_after_ms = 7LL * 86400000,
		.timeout_ms = 120000,
		.max_body = 32LL * 1024 * 1024,
		.wordfence_max_body = 512LL * 1024 * 1024,
		.ext_enabled = true,
		.ext_timeout_ms = 20000,
	};
}

void catalog_conf_clear(struct catalog_conf *c)
{
	free(c->dir);
	free(c->ca_file);
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++)
		free(*SOURCE(c, i));
	free(c->wordfence_url);
	free(c->wordfence_token_file);
	catalog_conf_init(c);
}

/* A base URL without its trailing slashes, so that paths join with one. */
static void trim_slashes(char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		url[--n] = 0;
}

static int parse_sources(const struct hu_conf_node *n, struct catalog_conf *c, struct hu_err *err)
{
	static const char *const keys[] = { "wordpress_api",
					    "drupal_updates",
					    "joomla_updates",
					    "php_releases",
					    "endoflife",
					    "wordfence",
					    NULL };
	static const char *const wf_keys[] = { "url", "token_file", "max_body", NULL };
	const struct hu_conf_node *s, *w;
	int r = conf_sub(n, "sources", "catalog.sources", keys, &s, err);

	for (size_t i = 0; r >= 0 && s && i < sizeof(sources) / sizeof(*sources); i++)
		r = conf_url(s, "catalog.sources", sources[i].key, "https|http", SOURCE(c, i), err);
	if (r >= 0 && s &&
	    (r = conf_sub(s, "wordfence", "catalog.sources.wordfence", wf_keys, &w, err)) >= 0 &&
	    w) {
		if (!hu_conf_get(w, "url"))
			r = hu_conf_error(w, err, -EINVAL,
					  "catalog.sources.wordfence.url is required");
		if (r >= 0)
			r = conf_url(w, "catalog.sources.wordfence", "url", "https|http",
				     &c->wordfence_url, err);
		if (r >= 0)
			r = conf_path(w, "catalog.sources.wordfence", "token_file",
				      &c->wordfence_token_file, err);
		if (r >= 0 && !c->wordfence_token_file)
			r = hu_conf_error(w, err, -EINVAL,
					  "catalog.sources.wordfence.token_file is required: the "
					  "feed answers 401 without a token");
		if (r >= 0)
			r = hu_conf_get_size(w, "max_body", 1024 * 1024, 8LL * 1024 * 1024 * 1024,
					     &c->wordfence_max_body, err);
	}
	return r;
}

/* extension_servers: addresses a customer server names are fetched under this policy. */
static int parse_ext(const struct hu_conf_node *n, struct catalog_conf *c, struct hu_err *err)
{
	static const char *const keys[] = { "enabled", "allow_http", "allow_private", "timeout",
					    NULL };
	const struct hu_conf_node *e;
	int r = conf_sub(n, "extension_servers", "catalog.extension_servers", keys, &e, err);

	if (r < 0 || !e)
		return r;
	r = hu_conf_get_bool(e, "enabled", &c->ext_enabled, err);
	if (r >= 0)
		r = hu_conf_get_bool(e, "allow_http", &c->ext_allow_http, err);
	if (r >= 0)
		r = hu_conf_get_bool(e, "allow_private", &c->ext_allow_private, err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(e, "timeout", 1000, 600000, &c->ext_timeout_ms, err);
	return r;
}

/* The defaults of what the file left out. */
static int fill_defaults(struct catalog_conf *c)
{
	if (!c->dir && !(c->dir = strdup(CATALOG_DEFAULT_DIR)))
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++) {
		char **v = SOURCE(c, i);
		if (!*v && !(*v = strdup(sources[i].url)))
			return -ENOMEM;
		trim_slashes(*v);
	}
	if (c->wordfence_url)
		trim_slashes(c->wordfence_url);
	return 0;
}

int catalog_conf_parse(const struct hu_conf_node *n, struct catalog_conf *c, struct hu_err *err)
{
	static const char *const keys[] = { "refresh", "stale_after",       "dir",
					    "timeout", "max_body",          "ca_file",
					    "sources", "extension_servers", NULL };
	int r = 0;

	if (n && !hu_conf_is_null(n)) {
		r = hu_conf_expect_mapping(n, "catalog", err);
		if (r >= 0)
			r = hu_conf_check_keys(n, keys, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(n, "refresh", 60000, 30LL * 86400000,
						    &c->refresh_ms, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(n, "stale_after", 1000, 365LL * 86400000,
						    &c->stale_after_ms, err);
		if (r >= 0)
			r = conf_path(n, "catalog", "dir", &c->dir, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(n, "timeout", 1000, 3600000, &c->timeout_ms,
						    err);
		if (r >= 0)
			r = hu_conf_get_size(n, "max_body", 64 * 1024, 1024LL * 1024 * 1024,
					     &c->max_body, err);
		if (r >= 0)
			r = conf_path(n, "catalog", "ca_file", &c->ca_file, err);
		if (r >= 0)
			r = parse_sources(n, c, err);
		if (r >= 0)
			r = parse_ext(n, c, err);
		if (r >= 0)
			c->enabled = true;
	}
	if (r >= 0)
		r = fill_defaults(c);
	return r;
}
