/* SPDX-License-Identifier: MIT */
/*
 * The php check: every PHP on the host (CLI binaries, FPM and its pools),
 * the one serving each site, and each branch's end of life.
 *
 * Findings: php.ok, php.eol, php.security_only, php.eol_soon,
 * php.eol_data_stale, php.branch_unknown, php.version_unknown,
 * php.cli_mismatch, php.pool_not_found, php.not_detected,
 * php.not_installed, php.pool_config_error, php.binary_missing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/fcgi.h"
#include "huolto/fileio.h"
#include "huolto/json.h"
#include "huolto/version.h"
#include "../checks.h"
#include "php.h"

#define PHP_WARN_DAYS_DEFAULT  90
#define PHP_MAX_AGE_S_DEFAULT  (180 * 86400)
#define PHP_TIMEOUT_MS_DEFAULT 10000

struct php_state {
	struct php_find_conf find;
	struct php_eol_table table;
	struct php_eol_policy policy;
	struct hu_strv ignore_sites;
	struct php_inventory inv;
	bool have_inventory;
};

static void php_free(void *data)
{
	struct php_state *st = data;

	if (!st)
		return;
	hu_strv_clear(&st->find.cli_dirs);
	hu_strv_clear(&st->find.fpm_dirs);
	hu_strv_clear(&st->find.binaries);
	hu_strv_clear(&st->find.pool_globs);
	free(st->find.cron_path);
	php_eol_table_clear(&st->table);
	hu_strv_clear(&st->ignore_sites);
	php_inventory_clear(&st->inv);
	free(st);
}

static int set_defaults(struct php_state *st)
{
	static const char *const cli[] = { "/usr/local/bin", "/usr/bin", "/bin", NULL };
	static const char *const fpm[] = { "/usr/local/sbin", "/usr/sbin", NULL };
	int r = 0;

	for (const char *const *p = cli; !r && *p; p++)
		r = hu_strv_push(&st->find.cli_dirs, *p);
	for (const char *const *p = fpm; !r && *p; p++)
		r = hu_strv_push(&st->find.fpm_dirs, *p);
	if (!r)
		r = hu_strv_push(&st->find.pool_globs, "/etc/php/*/fpm/pool.d/*.conf");
	st->find.cron_path = strdup("/usr/bin:/bin");
	if (!r && !st->find.cron_path)
		r = -ENOMEM;
	st->find.command_timeout_ms = PHP_TIMEOUT_MS_DEFAULT;
	st->policy.warn_days = PHP_WARN_DAYS_DEFAULT;
	st->policy.max_age_s = PHP_MAX_AGE_S_DEFAULT;
	return r;
}

static int load_table(struct php_state *st, const struct hu_conf_node *node, struct hu_err *err)
{
	char *path = NULL, *text = NULL;
	size_t len = 0;
	int64_t mtime = 0;
	int r;

	if (!node)
		return php_eol_table_builtin(&st->table, err);
	r = hu_conf_string(node, &path, err);
	if (r < 0)
		return r;
	r = hu_read_local_file(path, PHP_EOL_MAX_BYTES, &text, &len, &mtime, err);
	if (r >= 0)
		r = php_eol_table_parse(path, text, len, (time_t)mtime, &st->table, err);
	if (r < 0)
		hu_err_prefix(err, "%s:%u:%u: php.eol_table", node->file, node->line, node->column);
	free(text);
	free(path);
	return r;
}

static int php_init(const struct hu_conf_node *conf, void **ret_state, struct hu_err *err)
{
	static const char *const keys[] = {
		"cli_dirs",         "fpm_dirs",        "binaries",  "pool_globs",
		"cron_path",        "command_timeout", "eol_table", "eol_warn_days",
		"eol_data_max_age", "ignore_sites",    NULL
	};
	struct php_state *st = calloc(1, sizeof(*st));
	int64_t v;
	int r;

	if (!st)
		return -ENOMEM;
	r = set_defaults(st);
	if (r < 0)
		goto fail;
	if (conf && !hu_conf_is_null(conf)) {
		r = hu_conf_expect_mapping(conf, "the php section", err);
		if (r >= 0)
			r = hu_conf_check_keys(conf, keys, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "cli_dirs", &st->find.cli_dirs, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "fpm_dirs", &st->find.fpm_dirs, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "binaries", &st->find.binaries, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "pool_globs", &st->find.pool_globs, err);
		if (r >= 0)
			r = hu_conf_get_string(conf, "cron_path", &st->find.cron_path, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "ignore_sites", &st->ignore_sites, err);
		v = st->find.command_timeout_ms;
		if (r >= 0)
			r = hu_conf_get_duration_ms(conf, "command_timeout", 100, 300000, &v, err);
		st->find.command_timeout_ms = (int)v;
		v = st->policy.warn_days;
		if (r >= 0)
			r = hu_conf_get_int(conf, "eol_warn_days", 0, 3650, &v, err);
		st->policy.warn_days = (int)v;
		v = st->policy.max_age_s * 1000;
		if (r >= 0)
			r = hu_conf_get_duration_ms(conf, "eol_data_max_age", 86400000LL,
						    3650LL * 86400000LL, &v, err);
		st->policy.max_age_s = v / 1000;
		if (r < 0)
			goto fail;
		for (size_t i = 0; i < st->find.binaries.n; i++)
			if (st->find.binaries.v[i][0] != '/') {
				const struct hu_conf_node *b = hu_conf_get(conf, "binaries");
				r = hu_conf_error(b->items[i], err, -EINVAL,
						  "php.binaries: \"%s\" is not an absolute path",
						  st->find.binaries.v[i]);
				goto fail;
			}
		for (size_t i = 0; i < st->find.pool_globs.n; i++)
			if (st->find.pool_globs.v[i][0] != '/') {
				const struct hu_conf_node *b = hu_conf_get(conf, "pool_globs");
				r = hu_conf_error(b->items[i], err, -EINVAL,
						  "php.pool_globs: \"%s\" is not an absolute path",
						  st->find.pool_globs.v[i]);
				goto fail;
			}
	}
	r = load_table(st, hu_conf_get(conf, "eol_table"), err);
	if (r < 0)
		goto fail;
	*ret_state = st;
	return 0;
fail:
	php_free(st);
	return r;
}

static long days_between(time_t from, time_t to)
{
	double d = difftime(to, from) / 86400.0;
	return (long)(d < 0 ? d - 0.999999 : d); /* floor */
}

static json_t *date_json(time_t t)
{
	char buf[16];
	return t ? json_string(php_format_date(t, buf, sizeof(buf))) : json_null();
}

/* Add the end-of-life finding for one PHP (version known, or branch only). */
static int add_verdict(const struct php_state *st, time_t now, struct hu_findings *out,
		       const char *target, enum php_sapi sapi, const char *binary,
		       const char *version, unsigned major, unsigned minor, json_t *extra)
{
	struct php_verdict v;
	char retrieved[16], sec[16], act[16], branch[32];
	json_t *facts;
	const struct php_branch *b;

	php_eol_judge(&st->table, &st->policy, major, minor, now, &v);
	b = v.branch;
	snprintf(branch, sizeof(branch), "%u.%u", major, minor);
	facts =
	    json_pack("{s:s, s:s, s:s, s:s?, s:{s:s, s:s, s:s, s:i, s:b}}", "version", version,
		      "branch", branch, "sapi", php_sapi_name(sapi), "binary", binary, "eol_data",
		      "source", st->table.source, "origin", st->table.origin, "retrieved",
		      php_format_date(st->table.retrieved, retrieved, sizeof(retrieved)),
		      "age_days", (json_int_t)v.table_age_days, "stale", v.stale);
	if (!facts) {
		json_decref(extra);
		return -ENOMEM;
	}
	if (b) {
		json_object_set_new(facts, "initial_release", date_json(b->initial_release));
		json_object_set_new(facts, "active_support_end", date_json(b->active_support_end));
		json_object_set_new(facts, "security_support_end",
				    date_json(b->security_support_end));
		if (b->security_support_end)
			json_object_set_new(
			    facts, "days_to_security_end",
			    json_integer(days_between(now, b->security_support_end)));
		if (b->active_support_end)
			json_object_set_new(facts, "days_to_active_end",
					    json_integer(days_between(now, b->active_support_end)));
	}
	if (extra) {
		json_object_update(facts, extra);
		json_decref(extra);
	}
	if (b && b->security_support_end)
		php_format_date(b->security_support_end, sec, sizeof(sec));
	if (b && b->active_support_end)
		php_format_date(b->active_support_end, act, sizeof(act));

	if (strcmp(v.code, "php.eol") == 0)
		return hu_findings_add(out, v.status, v.code, target, facts,
				       "PHP %s (%s) has had no security support since %s", version,
				       target, sec);
	if (strcmp(v.code, "php.eol_soon") == 0)
		return hu_findings_add(out, v.status, v.code, target, facts,
				       "PHP %s (%s) loses security support on %s, in %ld days",
				       version, target, sec,
				       days_between(now, b->security_support_end));
	if (strcmp(v.code, "php.security_only") == 0)
		return hu_findings_add(
		    out, v.status, v.code, target, facts,
		    "PHP %s (%s) gets security fixes only since %s; security support ends %s",
		    version, target, act, sec);
	if (strcmp(v.code, "php.ok") == 0)
		return hu_findings_add(out, v.status, v.code, target, facts,
				       "PHP %s (%s) is supported until %s", version, target, sec);
	if (strcmp(v.code, "php.eol_data_stale") == 0)
		return hu_findings_add(
		    out, v.status, v.code, target, facts,
		    "cannot judge PHP %s (%s): the end-of-life data is %ld days old "
		    "(from %s, limit %ld days)",
		    version, target, v.table_age_days, retrieved,
		    (long)(st->policy.max_age_s / 86400));
	return hu_findings_add(out, v.status, v.code, target, facts,
			       "PHP branch %s (%s) is not in the end-of-life data (from %s)",
			       branch, target, retrieved);
}

static int install_finding(const struct php_state *st, time_t now, const struct php_install *in,
			   struct hu_findings *out)
{
	if (!in->version)
		return hu_findings_add(out, HU_UNKNOWN, "php.version_unknown", in->binary,
				       json_pack("{s:s, s:s, s:s?}", "binary", in->binary, "sapi",
						 php_sapi_name(in->sapi), "error", in->error),
				       "cannot tell the version of %s: %s", in->binary,
				       in->error ? in->error : "no output");
	if (!in->has_branch)
		return hu_findings_add(
		    out, HU_UNKNOWN, "php.version_unknown", in->binary,
		    json_pack("{s:s, s:s}", "binary", in->binary, "version", in->version),
		    "%s reports version %s, which has no MAJOR.MINOR branch", in->binary,
		    in->version);
	return add_verdict(st, now, out, in->binary, in->sapi, in->binary, in->version, in->major,
			   in->minor, json_pack("{s:b}", "cron", in->cron));
}

static json_t *pool_json(const struct php_pool *p)
{
	return json_pack("{s:s, s:s, s:i, s:s?, s:s?}", "name", p->name, "file", p->file, "line",
			 (json_int_t)p->line, "listen", p->listen, "user", p->user);
}

static bool pool_belongs(const struct php_pool *p, const struct php_install *in)
{
	return p->has_branch && in->sapi == PHP_SAPI_FPM && in->has_branch &&
	       p->major == in->major && p->minor == in->minor;
}

/* server.php: every install, FPM ones with their pools; pools without a binary too. */
static json_t *inventory_json(const struct php_inventory *inv)
{
	json_t *a = json_array();
	bool *placed = inv->n_pools ? calloc(inv->n_pools, sizeof(bool)) : NULL;

	if (!a || (inv->n_pools && !placed)) {
		json_decref(a);
		free(placed);
		return NULL;
	}
	for (size_t i = 0; i < inv->n_installs; i++) {
		const struct php_install *in = &inv->installs[i];
		json_t *paths = json_array(), *pools = json_array();
		char branch[32];
		for (size_t j = 0; j < in->paths.n; j++)
			json_array_append_new(paths, json_string(in->paths.v[j]));
		for (size_t j = 0; j < inv->n_pools; j++)
			if (!placed[j] && pool_belongs(&inv->pools[j], in)) {
				placed[j] = true;
				json_array_append_new(pools, pool_json(&inv->pools[j]));
			}
		snprintf(branch, sizeof(branch), "%u.%u", in->major, in->minor);
		json_t *o = json_pack(
		    "{s:s, s:s, s:o, s:s?, s:s?, s:b, s:s?}", "sapi", php_sapi_name(in->sapi),
		    "binary", in->binary, "paths", paths, "version", in->version, "branch",
		    in->has_branch ? branch : NULL, "cron", in->cron, "error", in->error);
		if (o && in->sapi == PHP_SAPI_FPM)
			json_object_set_new(o, "pools", pools);
		else
			json_decref(pools);
		json_array_append_new(a, o);
	}
	for (size_t j = 0; j < inv->n_pools; j++) {
		const struct php_pool *p = &inv->pools[j];
		char branch[32];
		if (placed[j])
			continue;
		snprintf(branch, sizeof(branch), "%u.%u", p->major, p->minor);
		json_array_append_new(a, json_pack("{s:s, s:n, s:[], s:n, s:s?, s:b, s:[o]}",
						   "sapi", "fpm", "binary", "paths", "version",
						   "branch", p->has_branch ? branch : NULL, "cron",
						   0, "pools", pool_json(p)));
	}
	free(placed);
	return a;
}

static int php_run_server(void *data, const struct hu_check_ctx *ctx, struct hu_result *out,
			  struct hu_err *err)
{
	struct php_state *st = data;
	int r;

	php_inventory_clear(&st->inv);
	st->have_inventory = false;
	r = php_inventory_build(ctx->host, &st->find, &st->inv, &out->findings);
	if (r < 0)
		return hu_err_set(err, r, "finding PHP installations failed");
	st->have_inventory = true;

	for (size_t i = 0; i < st->inv.n_installs; i++) {
		r = install_finding(st, ctx->now, &st->inv.installs[i], &out->findings);
		if (r < 0 && r != -E2BIG)
			return r;
	}
	if (st->inv.n_installs == 0 && st->inv.n_pools == 0) {
		r = hu_findings_add(&out->findings, HU_OK, "php.not_installed", NULL,
				    json_pack("{s:s}", "cron_path", st->find.cron_path),
				    "no PHP binaries or PHP-FPM pools found");
		if (r < 0 && r != -E2BIG)
			return r;
	}
	return json_object_set_new(out->data, "php", inventory_json(&st->inv)) < 0 ? -ENOMEM : 0;
}

static const struct php_install *cron_cli(const struct php_inventory *inv)
{
	for (size_t i = 0; i < inv->n_installs; i++)
		if (inv->installs[i].cron)
			return &inv->installs[i];
	return NULL;
}

/* What serves a site through one handler. */
struct served_by {
	enum php_sapi sapi;
	const struct php_pool *pool;
	const struct php_install *install;
	bool has_branch;
	unsigned major, minor;
	char version[64];
	const char *version_source;
};

static bool branch_from_module(const char *handler, unsigned *major, unsigned *minor)
{
	const char *base = strrchr(handler, '/');
	base = base ? base + 1 : handler + strlen("module:");
	return sscanf(base, "libphp%u.%u.so", major, minor) == 2;
}

static const struct php_install *only_fpm(const struct php_inventory *inv)
{
	const struct php_install *found = NULL;

	for (size_t i = 0; i < inv->n_installs; i++)
		if (inv->installs[i].sapi == PHP_SAPI_FPM) {
			if (found)
				return NULL;
			found = &inv->installs[i];
		}
	return found;
}

static void resolve_handler(const struct php_inventory *inv, const char *handler,
			    struct served_by *sb)
{
	*sb = (struct served_by){ 0 };
	if (strncmp(handler, "module:", 7) == 0) {
		sb->sapi = PHP_SAPI_APACHE2;
		sb->has_branch = branch_from_module(handler, &sb->major, &sb->minor);
		if (sb->has_branch)
			sb->install =
			    php_inventory_find_branch(inv, PHP_SAPI_CLI, sb->major, sb->minor);
		if (sb->install && sb->install->version) {
			snprintf(sb->version, sizeof(sb->version), "%s", sb->install->version);
			sb->version_source = "cli of the same branch";
		} else if (sb->has_branch) {
			snprintf(sb->version, sizeof(sb->version), "%u.%u", sb->major, sb->minor);
			sb->version_source = "module file name";
		}
		return;
	}
	sb->sapi = PHP_SAPI_FPM;
	for (size_t i = 0; i < inv->n_pools; i++)
		if (hu_fcgi_match(handler, inv->pools[i].listen)) {
			sb->pool = &inv->pools[i];
			break;
		}
	if (!sb->pool)
		return;
	if (sb->pool->has_branch)
		sb->install =
		    php_inventory_find_branch(inv, PHP_SAPI_FPM, sb->pool->major, sb->pool->minor);
	else
		sb->install = only_fpm(inv);
	if (sb->install && sb->install->version && sb->install->has_branch) {
		sb->has_branch = true;
		sb->major = sb->install->major;
		sb->minor = sb->install->minor;
		snprintf(sb->version, sizeof(sb->version), "%s", sb->install->version);
		sb->version_source = "php-fpm -v";
	} else if (sb->pool->has_branch) {
		sb->has_branch = true;
		sb->major = sb->pool->major;
		sb->minor = sb->pool->minor;
		snprintf(sb->version, sizeof(sb->version), "%u.%u", sb->major, sb->minor);
		sb->version_source = "pool file path";
	}
}

static int site_handler(const struct php_state *st, const struct hu_check_ctx *ctx,
			const char *handler, struct hu_result *out, json_t *site_php)
{
	const struct php_install *cron = cron_cli(&st->inv);
	struct served_by sb;
	int r;

	resolve_handler(&st->inv, handler, &sb);
	json_array_append_new(site_php, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "handler",
						  handler, "sapi", php_sapi_name(sb.sapi), "pool",
						  sb.pool ? sb.pool->name : NULL, "pool_file",
						  sb.pool ? sb.pool->file : NULL, "binary",
						  sb.install ? sb.install->binary : NULL, "version",
						  sb.version[0] ? sb.version : NULL));
	if (sb.sapi == PHP_SAPI_FPM && !sb.pool)
		return hu_findings_add(&out->findings, HU_WARNING, "php.pool_not_found", handler,
				       json_pack("{s:s, s:o}", "handler", handler, "pool_globs",
						 hu_json_strv(&st->find.pool_globs)),
				       "no PHP-FPM pool listens on %s, which the web server sends "
				       "this site's PHP requests to",
				       handler);
	if (!sb.has_branch)
		return hu_findings_add(&out->findings, HU_UNKNOWN, "php.version_unknown", handler,
				       json_pack("{s:s, s:s?}", "handler", handler, "binary",
						 sb.install ? sb.install->binary : NULL),
				       "cannot tell which PHP version serves this site through %s",
				       handler);
	r = add_verdict(st, ctx->now, &out->findings, handler, sb.sapi,
			sb.install ? sb.install->binary : NULL, sb.version, sb.major, sb.minor,
			json_pack("{s:s?, s:s?, s:s}", "pool", sb.pool ? sb.pool->name : NULL,
				  "pool_file", sb.pool ? sb.pool->file : NULL, "version_source",
				  sb.version_source));
	if (r < 0)
		return r;
	if (cron && cron->version && hu_version_compare(cron->version, sb.version) != 0)
		r = hu_findings_add(&out->findings, HU_WARNING, "php.cli_mismatch", handler,
				    json_pack("{s:s, s:s, s:s, s:s}", "site_version", sb.version,
					      "handler", handler, "cli_version", cron->version,
					      "cli_binary", cron->binary),
				    "the site runs PHP %s but cron's php (%s) is %s: scheduled "
				    "jobs run on a different PHP",
				    sb.version, cron->binary, cron->version);
	return r;
}

static int php_run_site(void *data, const struct hu_check_ctx *ctx, const struct hu_site *site,
			struct hu_result *out, struct hu_err *err)
{
	struct php_state *st = data;
	json_t *site_php;
	int r = 0;

	if (!st->have_inventory)
		return hu_err_set(err, -EINVAL, "the php check's server part did not run");
	if (hu_strv_contains(&st->ignore_sites, site->name))
		return 0;
	if (site->php_handlers.n == 0) {
		r = hu_findings_add(&out->findings, HU_UNKNOWN, "php.not_detected", site->name,
				    json_pack("{s:s}", "site", site->name),
				    "no PHP handler found for %s in the web server configuration "
				    "(list it in php.ignore_sites if it does not use PHP)",
				    site->name);
		return r == -E2BIG ? 0 : r;
	}
	site_php = json_array();
	if (!site_php)
		return -ENOMEM;
	for (size_t i = 0; i < site->php_handlers.n; i++) {
		r = site_handler(st, ctx, site->php_handlers.v[i], out, site_php);
		if (r == -E2BIG)
			r = 0;
		if (r < 0)
			break;
	}
	if (json_object_set_new(out->data, "php", site_php) < 0 && r >= 0)
		r = -ENOMEM;
	return r;
}

const struct hu_check_ops hu_check_php = {
	.name = "php",
	.summary = "PHP versions (CLI, FPM pools, per site) and branch end of life",
	.init = php_init,
	.free = php_free,
	.run_server = php_run_server,
	.run_site = php_run_site,
};
