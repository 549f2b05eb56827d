/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_conf.h"
#include "discover.h"

/* A file as discovery read it, or why it could not. */
struct cached_file {
	struct hu_file f;
	int error;
};

static void cached_file_free(void *p)
{
	struct cached_file *c = p;

	hu_file_clear(&c->f);
	free(c);
}

void discover_ctx_init(struct discover_ctx *ctx, struct hu_host *h, struct hu_sites *sites,
		       struct hu_findings *problems)
{
	*ctx = (struct discover_ctx){ .host = h,
				      .server = "?",
				      .sites = sites,
				      .problems = problems,
				      .files = HU_STRMAP_INIT,
				      .names = HU_STRMAP_INIT };
}

void discover_ctx_clear(struct discover_ctx *ctx)
{
	hu_strmap_clear(&ctx->files, cached_file_free);
	hu_strmap_clear(&ctx->names, NULL);
}

void discover_problem(struct discover_ctx *ctx, const char *code, const char *file, unsigned line,
		      const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	json_t *facts = json_pack("{s:s, s:s}", "server", ctx->server, "file", file);
	if (facts && line)
		json_object_set_new(facts, "line", json_integer(line));
	if (line)
		hu_findings_add(ctx->problems, HU_WARNING, code, file, facts, "%s:%u: %s", file,
				line, msg);
	else
		hu_findings_add(ctx->problems, HU_WARNING, code, file, facts, "%s: %s", file, msg);
	free(msg);
}

/* Read path through the host and check what was read; problems are reported. */
static int read_checked(struct discover_ctx *ctx, const char *path, bool quiet_missing,
			struct hu_file *f)
{
	char buf[128];
	int r;

	if (ctx->files.n >= DISCOVER_MAX_FILES) {
		discover_problem(ctx, "discovery.limit", path, 0,
				 "not read: more than %d configuration files", DISCOVER_MAX_FILES);
		return -E2BIG;
	}
	r = hu_host_read_file(ctx->host, path, DISCOVER_MAX_FILE_BYTES, f, NULL);
	if (r < 0) {
		if (!(quiet_missing && r == -ENOENT))
			discover_problem(ctx, "discovery.unreadable", path, 0, "cannot read: %s",
					 hu_strerror(r, buf, sizeof(buf)));
		return r;
	}
	if (f->truncated) {
		discover_problem(ctx, "discovery.limit", path, 0, "larger than %u bytes; not read",
				 DISCOVER_MAX_FILE_BYTES);
		return -EFBIG;
	}
	if (ctx->total_bytes + f->len > DISCOVER_MAX_TOTAL_BYTES) {
		discover_problem(ctx, "discovery.limit", path, 0,
				 "not read: more than %u bytes of configuration in all",
				 DISCOVER_MAX_TOTAL_BYTES);
		return -E2BIG;
	}
	if (memchr(f->data, '\0', f->len)) {
		discover_problem(ctx, "discovery.syntax", path, 0,
				 "contains NUL bytes; not a configuration file");
		return -EINVAL;
	}
	ctx->total_bytes += f->len;
	return 0;
}

int discover_read(struct discover_ctx *ctx, const char *path, bool quiet_missing,
		  const struct hu_file **ret)
{
	struct cached_file *c = hu_strmap_get(&ctx->files, path);

	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return -ENOMEM;
		c->error = read_checked(ctx, path, quiet_missing, &c->f);
		if (c->error < 0)
			hu_file_clear(&c->f);
		if (c->error == -ENOMEM || hu_strmap_put(&ctx->files, path, c) < 0) {
			cached_file_free(c);
			return -ENOMEM;
		}
	}
	if (c->error < 0)
		return c->error;
	*ret = &c->f;
	return 0;
}

/* Point every name of s at s. */
static int index_names(struct discover_ctx *ctx, struct hu_site *s)
{
	for (size_t i = 0; i < s->names.n; i++)
		if (hu_strmap_put(&ctx->names, s->names.v[i], s) < 0)
			return -ENOMEM;
	return 0;
}

/* The site that has one of s's names, or NULL. */
static struct hu_site *find_sharing(const struct discover_ctx *ctx, const struct hu_site *s)
{
	for (size_t i = 0; i < s->names.n; i++) {
		struct hu_site *t = hu_strmap_get(&ctx->names, s->names.v[i]);
		if (t)
			return t;
	}
	return NULL;
}

int discover_add_site(struct discover_ctx *ctx, struct hu_site *s)
{
	struct hu_site *t = find_sharing(ctx, s);
	int r;

	if (t) {
		r = hu_site_merge(t, s);
		hu_site_free(s);
		return r < 0 ? r : index_names(ctx, t);
	}
	r = hu_sites_push(ctx->sites, s); /* frees s on failure */
	return r < 0 ? r : index_names(ctx, s);
}

char *discover_path(const char *base, const char *path)
{
	char *s = NULL;

	if (path[0] == '/')
		return strdup(path);
	size_t bl = strlen(base);
	if (asprintf(&s, "%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", path) < 0)
		return NULL;
	return s;
}

/* Merge a configured site: it names the site it shares a name with. */
static int merge_configured(struct discover_ctx *ctx, const struct hu_site *conf_site)
{
	struct hu_site *s = find_sharing(ctx, conf_site);
	struct hu_strv names = HU_STRV_INIT;
	char *name = NULL;
	int r;

	if (!s) {
		s = hu_site_new(conf_site->name);
		if (!s)
			return -ENOMEM;
		r = hu_site_merge(s, conf_site);
		if (r < 0) {
			hu_site_free(s);
			return r;
		}
		return discover_add_site(ctx, s);
	}
	/* The configured name becomes the primary name; configured values win. */
	name = strdup(conf_site->name);
	r = name ? hu_strv_push(&names, conf_site->name) : -ENOMEM;
	if (r >= 0)
		r = hu_strv_merge(&names, &s->names);
	if (r < 0) {
		free(name);
		hu_strv_clear(&names);
		return r;
	}
	if (conf_site->docroot) {
		free(s->docroot);
		s->docroot = NULL;
	}
	if (conf_site->mail_domain) {
		free(s->mail_domain);
		s->mail_domain = NULL;
	}
	free(s->name);
	s->name = name;
	hu_strv_clear(&s->names);
	s->names = names;
	r = hu_site_merge(s, conf_site);
	return r < 0 ? r : index_names(ctx, s);
}

int discover_all(struct hu_host *h, const struct agent_conf *conf, struct hu_sites *ret,
		 struct hu_findings *problems)
{
	struct hu_sites sites = HU_SITES_INIT;
	struct discover_ctx ctx;
	int r = 0;

	discover_ctx_init(&ctx, h, &sites, problems);
	if (conf->nginx_root) {
		ctx.server = "nginx";
		r = discover_nginx(&ctx, conf->nginx_root);
	}
	if (r >= 0 && conf->apache_root) {
		ctx.server = "apache";
		r = discover_apache(&ctx, conf->apache_root);
	}
	for (size_t i = 0; r >= 0 && i < conf->sites.n; i++)
		r = merge_configured(&ctx, conf->sites.v[i]);
	discover_ctx_clear(&ctx);
	if (r < 0) {
		hu_sites_clear(&sites);
		return r;
	}
	hu_sites_sort(&sites);
	*ret = sites;
	return 0;
}
