/* SPDX-License-Identifier: MIT */
/*
 * A site: one website on the server, as discovery found it in the web
 * servers' configuration and as the agent's configuration describes it.
 */
#ifndef HUOLTO_SITE_H
#define HUOLTO_SITE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "huolto/strv.h"

/* An HTTPS endpoint: a name to connect to (and send as SNI) and a port. */
struct hu_endpoint {
	char *host;
	uint16_t port;
};

/* Where a site (or part of it) came from. */
struct hu_origin {
	char *source; /* "nginx", "apache" or "config" */
	char *file;
	unsigned line;
};

struct hu_site {
	char *name;           /* primary name; unique among sites */
	struct hu_strv names; /* every name, the primary first */
	char *docroot;        /* may be NULL */
	struct hu_endpoint *https;
	size_t n_https;
	struct hu_strv urls; /* configured URLs */
	char *mail_domain;   /* may be NULL */
	struct hu_strv cert_files;
	struct hu_strv key_files;
	struct hu_strv chain_files;
	/*
	 * FastCGI addresses of the PHP serving this site: "unix:/run/php/x.sock"
	 * or "tcp:HOST:PORT" (HOST may be "*"); "module:php8.2" for Apache's
	 * mod_php.
	 */
	struct hu_strv php_handlers;
	struct hu_origin *origins;
	size_t n_origins;
};

struct hu_sites {
	struct hu_site **v;
	size_t n;
	size_t cap;
};

#define HU_SITES_INIT      \
	{                  \
		NULL, 0, 0 \
	}

/* A new empty site named name. Caller frees with hu_site_free(). */
struct hu_site *hu_site_new(const char *name);
void hu_site_free(struct hu_site *s);

/* Add an endpoint unless present. */
int hu_site_add_https(struct hu_site *s, const char *host, uint16_t port);
int hu_site_add_origin(struct hu_site *s, const char *source, const char *file, unsigned line);
/* Set docroot unless already set (the first source wins). */
int hu_site_set_docroot(struct hu_site *s, const char *docroot);

/*
 * Merge everything src knows into dst (names, endpoints, files, handlers,
 * origins; docroot and mail_domain only when dst has none).
 */
int hu_site_merge(struct hu_site *dst, const struct hu_site *src);

/* Append a site, taking ownership (freed on failure). */
int hu_sites_push(struct hu_sites *ss, struct hu_site *s);
struct hu_site *hu_sites_find(const struct hu_sites *ss, const char *name);
/* The site that has name among its names, or NULL. */
struct hu_site *hu_sites_find_by_any_name(const struct hu_sites *ss, const char *name);
void hu_sites_sort(struct hu_sites *ss);
void hu_sites_clear(struct hu_sites *ss);

/* The site as a JSON object (new reference; NULL on ENOMEM). */
json_t *hu_site_to_json(const struct hu_site *s);

/* True for a name that names one host: not "_", "", a wildcard or a regex. */
int hu_site_name_is_concrete(const char *name);

#endif
