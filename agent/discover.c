/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_conf.h"
#include "discover.h"

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

int discover_read(struct discover_ctx *ctx, const char *path, bool quiet_missing,
		  struct hu_file *ret)
{
	struct hu_err err = HU_ERR_INIT;
	int r;

	if (ctx->files_read >= DISCOVER_MAX_FILES) {
		discover_problem(ctx, "discovery.limit", path, 0,
				 "not read: more than %d configuration files", DISCOVER_MAX_FILES);
		return -E2BIG;
	}
	r = hu_host_read_file(ctx->host, path, DISCOVER_MAX_FILE_BYTES, ret, &err);
	if (r < 0) {
		char buf[128];
		if (!(quiet_missing && r == -ENOENT))
			discover_problem(ctx, "discovery.unreadable", path, 0, "cannot read: %s",
					 hu_strerror(r, buf, sizeof(buf)));
		hu_err_clear(&err);
		return r;
	}
	ctx->files_read++;
	if (ret->truncated) {
		discover_problem(ctx, "discovery.limit", path, 0, "larger than %u bytes; not read",
				 DISCOVER_MAX_FILE_BYTES);
		hu_file_clear(ret);
		return -EFBIG;
	}
	if (memchr(ret->data, '\0', ret->len)) {
		discover_problem(ctx, "discovery.syntax", path, 0,
				 "contains NUL bytes; not a configuration file");
		hu_file_clear(ret);
		return -EINVAL;
	}
	return 0;
}

static bool shares_name(const struct hu_site *a, const struct hu_site *b)
{
	for (size_t i = 0; i < b->names.n; i++)
		if (hu_strv_contains(&a->names, b->names.v[i]))
			return true;
	return false;
}

int discover_add_site(struct hu_sites *sites, struct hu_site *s)
{
	for (size_t i = 0; i < sites->n; i++)
		if (shares_name(sites->v[i], s)) {
			int r = hu_site_merge(sites->v[i], s);
			hu_site_free(s);
			return r;
		}
	return hu_sites_push(sites, s);
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
static int merge_configured(struct hu_sites *sites, const struct hu_site *conf_site)
{
	struct hu_site *s = NULL;

	for (size_t i = 0; i < sites->n && !s; i++)
		if (shares_name(sites->v[i], conf_site))
			s = sites->v[i];
	if (!s) {
		s = hu_site_new(conf_site->name);
		if (!s)
			return -ENOMEM;
		int r = hu_site_merge(s, conf_site);
		if (r < 0) {
			hu_site_free(s);
			return r;
		}
		return hu_sites_push(sites, s);
	}
	/* The configured name becomes the primary name; configured values win. */
	struct hu_strv names = HU_STRV_INIT;
	char *name = strdup(conf_site->name);
	int r = name ? hu_strv_push(&names, conf_site->name) : -ENOMEM;
	if (r >= 0)
		r = hu_strv_merge(&names, &s->names);
	if (r >= 0 && conf_site->docroot) {
		free(s->docroot);
		s->docroot = NULL;
	}
	if (r >= 0 && conf_site->mail_domain) {
		free(s->mail_domain);
		s->mail_domain = NULL;
	}
	if (r < 0) {
		free(name);
		hu_strv_clear(&names);
		return r;
	}
	free(s->name);
	s->name = name;
	hu_strv_clear(&s->names);
	s->names = names;
	return hu_site_merge(s, conf_site);
}

int discover_all(struct hu_host *h, const struct agent_conf *conf, struct hu_sites *ret,
		 struct hu_findings *problems)
{
	struct hu_sites sites = HU_SITES_INIT;
	struct discover_ctx ctx = { .host = h, .sites = &sites, .problems = problems };
	int r = 0;

	if (conf->nginx_root) {
		ctx.server = "nginx";
		ctx.files_read = 0;
		r = discover_nginx(&ctx, conf->nginx_root);
	}
	if (r >= 0 && conf->apache_root) {
		ctx.server = "apache";
		ctx.files_read = 0;
		r = discover_apache(&ctx, conf->apache_root);
	}
	for (size_t i = 0; r >= 0 && i < conf->sites.n; i++)
		r = merge_configured(&sites, conf->sites.v[i]);
	if (r < 0) {
		hu_sites_clear(&sites);
		return r;
	}
	hu_sites_sort(&sites);
	*ret = sites;
	return 0;
}
