/* SPDX-License-Identifier: MIT */
/*
 * Site discovery: the sites of this server, from the web servers' own
 * configuration (nginx, Apache, as Debian lays them out) and from the
 * agent's configuration. Files that cannot be read or parsed become
 * findings naming the file and line; discovery never stops at one.
 *
 * Finding codes: discovery.unreadable, discovery.syntax, discovery.limit.
 */
#ifndef HUOLTO_AGENT_DISCOVER_H
#define HUOLTO_AGENT_DISCOVER_H

#include "huolto/finding.h"
#include "huolto/host.h"
#include "huolto/site.h"
#include "huolto/strmap.h"

/* Bounds on what discovery may read. */
#define DISCOVER_MAX_FILE_BYTES  (4u << 20)
#define DISCOVER_MAX_TOTAL_BYTES (256u << 20)
#define DISCOVER_MAX_FILES       65536
#define DISCOVER_MAX_DEPTH       16
#define DISCOVER_MAX_GLOB        65536

struct discover_ctx {
	struct hu_host *host;
	const char *server;     /* "nginx" or "apache": set before each */
	struct hu_sites *sites; /* sites found so far (merged by name) */
	struct hu_findings *problems;
	struct hu_strmap files; /* path -> struct cached_file: each file read once */
	size_t total_bytes;
	struct hu_strmap names; /* every name of every site -> its struct hu_site */
};

void discover_ctx_init(struct discover_ctx *ctx, struct hu_host *h, struct hu_sites *sites,
		       struct hu_findings *problems);
/* Frees the file cache and the index; the sites stay the caller's. */
void discover_ctx_clear(struct discover_ctx *ctx);

/* A problem finding (warning) at file:line (line 0: the whole file). */
void discover_problem(struct discover_ctx *ctx, const char *code, const char *file, unsigned line,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * A configuration file's content, read through the host once per
 * discovery (snippets included by every site are not read again). *ret is
 * borrowed until discover_ctx_clear(). A file that cannot be read, is too
 * large or is binary is reported once (unless quiet_missing and it does not
 * exist) and its error returned every time.
 */
int discover_read(struct discover_ctx *ctx, const char *path, bool quiet_missing,
		  const struct hu_file **ret);

/*
 * Add a site found by the web server; merged into an existing site that
 * shares a name. Takes ownership of s.
 */
int discover_add_site(struct discover_ctx *ctx, struct hu_site *s);

/* path made absolute against base (returned as a new string). */
char *discover_path(const char *base, const char *path);

/* nginx: root is a directory holding nginx.conf, or the main file itself. */
int discover_nginx(struct discover_ctx *ctx, const char *root);
/* Apache: root is a directory holding apache2.conf (or httpd.conf), or the main file. */
int discover_apache(struct discover_ctx *ctx, const char *root);

struct agent_conf;

/*
 * Everything: the web servers the configuration names, then the
 * configured sites merged in (a configured site that shares a name with a
 * discovered one is that site, under the configured name). Sorted by name.
 */
int discover_all(struct hu_host *h, const struct agent_conf *conf, struct hu_sites *ret,
		 struct hu_findings *problems);

#endif
