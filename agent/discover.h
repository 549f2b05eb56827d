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

/* Bounds on what one web server's configuration may make us read. */
#define DISCOVER_MAX_FILE_BYTES (4u << 20)
#define DISCOVER_MAX_FILES      4096
#define DISCOVER_MAX_DEPTH      16
#define DISCOVER_MAX_GLOB       4096

struct discover_ctx {
	struct hu_host *host;
	const char *server;     /* "nginx" or "apache" */
	struct hu_sites *sites; /* sites found so far (merged by name) */
	struct hu_findings *problems;
	size_t files_read;
};

/* A problem finding (warning) at file:line (line 0: the whole file). */
void discover_problem(struct discover_ctx *ctx, const char *code, const char *file, unsigned line,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Read a configuration file through the host, within the bounds; problems
 * are reported (unless quiet_missing and the file does not exist) and
 * a negative errno returned.
 */
int discover_read(struct discover_ctx *ctx, const char *path, bool quiet_missing,
		  struct hu_file *ret);

/*
 * Add a site found by the web server; merged into an existing site that
 * shares a name. Takes ownership of s.
 */
int discover_add_site(struct hu_sites *sites, struct hu_site *s);

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
