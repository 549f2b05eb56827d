/* SPDX-License-Identifier: MIT */
/*
 * The cms check: every WordPress, Drupal and Joomla install in a site's
 * document root (and subdirectories, to cms.depth levels), with its core,
 * plugins, modules, themes and extensions as the site's "inventory".
 *
 * Findings: cms.ok, cms.unreadable, cms.none_found.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../checks.h"
#include "cms.h"

struct cms_state {
	unsigned depth;
	struct hu_strv ignore_sites;
};

static void cms_free(void *data)
{
	struct cms_state *st = data;

	if (!st)
		return;
	hu_strv_clear(&st->ignore_sites);
	free(st);
}

static int cms_init(const struct hu_conf_node *conf, void **ret_state, struct hu_err *err)
{
	static const char *const keys[] = { "depth", "ignore_sites", NULL };
	struct cms_state *st = calloc(1, sizeof(*st));
	int64_t depth = CMS_DEPTH_DEFAULT;
	int r = 0;

	if (!st)
		return -ENOMEM;
	if (conf && !hu_conf_is_null(conf)) {
		r = hu_conf_expect_mapping(conf, "the cms section", err);
		if (r >= 0)
			r = hu_conf_check_keys(conf, keys, err);
		if (r >= 0)
			r = hu_conf_get_int(conf, "depth", 0, CMS_DEPTH_MAX, &depth, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "ignore_sites", &st->ignore_sites, err);
	}
	if (r < 0) {
		cms_free(st);
		return r;
	}
	st->depth = (unsigned)depth;
	*ret_state = st;
	return 0;
}

/* Items sorted by kind (in the order of enum cms_kind), then path. */
static int item_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *kx = json_string_value(json_object_get(x, "kind"));
	const char *ky = json_string_value(json_object_get(y, "kind"));
	int rx = 0, ry = 0;

	for (int k = 0; k < _CMS_KIND_MAX; k++) {
		if (strcmp(kx, cms_kind_name(k)) == 0)
			rx = k;
		if (strcmp(ky, cms_kind_name(k)) == 0)
			ry = k;
	}
	if (rx != ry)
		return rx - ry;
	const char *px = json_string_value(json_object_get(x, "path"));
	const char *py = json_string_value(json_object_get(y, "path"));
	return strcmp(px ? px : "", py ? py : "");
}

static json_t *sorted(json_t *items)
{
	size_t n = json_array_size(items);
	json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
	json_t *out = json_array();

	if ((n && !v) || !out) {
		free(v);
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	if (n > 1)
		qsort(v, n, sizeof(*v), item_cmp);
	for (size_t i = 0; i < n; i++)
		if (json_array_append(out, v[i]) < 0) {
			json_decref(out);
			out = NULL;
			break;
		}
	free(v);
	return out;
}

/* Counts of items by kind, for cms.ok's facts. */
static json_t *counts(json_t *items)
{
	json_t *c = json_object();
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
	{
		const char *k = json_string_value(json_object_get(it, "kind"));
		json_int_t n = json_integer_value(json_object_get(c, k));
		json_object_set_new(c, k, json_integer(n + 1));
	}
	return c;
}

static int report(const struct hu_site *site, unsigned depth, struct cms_inventory *inv,
		  struct hu_result *out)
{
	struct hu_findings *f = &out->findings;
	json_t *items = sorted(inv->items);
	size_t i;
	json_t *u;
	int r;

	if (!items || json_object_set_new(out->data, "inventory", items) < 0)
		return -ENOMEM;
	json_array_foreach(inv->unreadable, i, u)
	{
		const char *path = json_string_value(json_object_get(u, "path"));
		const char *e = json_string_value(json_object_get(u, "error"));
		r = hu_findings_add(f, HU_WARNING, "cms.unreadable", path, json_deep_copy(u),
				    "%s cannot be read: %s", path, e);
		if (r < 0 && r != -E2BIG)
			return r;
	}
	if (json_array_size(inv->installs) == 0) {
		json_t *facts = json_pack("{s:s,s:i}", "docroot", site->docroot, "depth", depth);
		return hu_findings_add(f, HU_OK, "cms.none_found", site->docroot, facts,
				       "no WordPress, Drupal or Joomla in %s (%u levels down)",
				       site->docroot, depth);
	}
	json_t *facts =
	    json_pack("{s:O,s:o,s:O,s:I,s:I,s:I,s:I,s:I}", "installs", inv->installs, "counts",
		      counts(items), "skipped", inv->skipped, "skipped_total",
		      (json_int_t)inv->n_skipped, "unreadable_total", (json_int_t)inv->n_unreadable,
		      "items_dropped", (json_int_t)inv->items_dropped, "files_read",
		      (json_int_t)inv->files_read, "dirs_listed", (json_int_t)inv->dirs_listed);
	json_t *first = json_array_get(inv->installs, 0);
	return hu_findings_add(f, HU_OK, "cms.ok", site->docroot, facts,
			       "%zu install(s), %zu item(s); first: %s %s",
			       json_array_size(inv->installs), json_array_size(items),
			       json_string_value(json_object_get(first, "kind")),
			       json_is_string(json_object_get(first, "version"))
				   ? json_string_value(json_object_get(first, "version"))
				   : "(version unknown)");
}

int cms_inventory_site(struct hu_host *h, const char *docroot, unsigned depth,
		       struct cms_inventory *inv)
{
	struct cms_installs is = { 0 };
	int r = cms_find(h, docroot, depth, inv, &is);

	for (size_t i = 0; r >= 0 && i < is.n; i++) {
		const char *root = is.v[i].root;
		switch (is.v[i].family) {
		case CMS_FAMILY_WORDPRESS:
			r = cms_wordpress_read(h, root, inv);
			break;
		case CMS_FAMILY_DRUPAL8:
		case CMS_FAMILY_DRUPAL7:
			r = cms_drupal_read(h, root, is.v[i].family == CMS_FAMILY_DRUPAL7, inv);
			break;
		case CMS_FAMILY_JOOMLA:
		case CMS_FAMILY_JOOMLA3:
			r = cms_joomla_read(h, root, inv);
			break;
		}
	}
	cms_installs_clear(&is);
	return r;
}

static int cms_run_site(void *state, const struct hu_check_ctx *ctx, const struct hu_site *site,
			struct hu_result *out, struct hu_err *err)
{
	struct cms_state *st = state;
	struct cms_inventory inv;
	struct hu_stat sb;
	int r;

	if (hu_strv_contains(&st->ignore_sites, site->name))
		return 0;
	if (!site->docroot) {
		json_t *facts = json_pack("{s:n}", "docroot");
		return hu_findings_add(&out->findings, HU_OK, "cms.none_found", NULL, facts,
				       "the site has no document root to look in");
	}
	r = hu_host_stat(ctx->host, site->docroot, true, &sb, err);
	if (r < 0 || sb.type != HU_FILE_DIR) {
		char buf[128];
		json_t *facts =
		    json_pack("{s:s,s:s}", "path", site->docroot, "error",
			      r < 0 ? hu_strerror(r, buf, sizeof(buf)) : "not a directory");
		hu_err_clear(err);
		return hu_findings_add(&out->findings, HU_WARNING, "cms.unreadable", site->docroot,
				       facts, "the document root %s cannot be read", site->docroot);
	}
	r = cms_inventory_init(&inv);
	if (r < 0)
		return r;
	r = cms_inventory_site(ctx->host, site->docroot, st->depth, &inv);
	if (r >= 0)
		r = report(site, st->depth, &inv, out);
	cms_inventory_clear(&inv);
	return r == -E2BIG ? 0 : r;
}

const struct hu_check_ops hu_check_cms = {
	.name = "cms",
	.summary = "WordPress, Drupal and Joomla: core, plugins, modules, themes, extensions",
	.init = cms_init,
	.free = cms_free,
	.run_site = cms_run_site,
	.concurrent_sites = true,
};
