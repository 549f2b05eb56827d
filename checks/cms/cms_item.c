/* SPDX-License-Identifier: MIT */
/*
 * Inventory items, and the bookkeeping of what was read, skipped or could
 * not be read while one site's inventory is taken.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "cms.h"

static const char *const kind_names[_CMS_KIND_MAX] = {
	[CMS_WORDPRESS_CORE] = "wordpress-core",
	[CMS_WORDPRESS_PLUGIN] = "wordpress-plugin",
	[CMS_WORDPRESS_MU_PLUGIN] = "wordpress-mu-plugin",
	[CMS_WORDPRESS_DROPIN] = "wordpress-dropin",
	[CMS_WORDPRESS_THEME] = "wordpress-theme",
	[CMS_DRUPAL_CORE] = "drupal-core",
	[CMS_DRUPAL_MODULE] = "drupal-module",
	[CMS_DRUPAL_THEME] = "drupal-theme",
	[CMS_JOOMLA_CORE] = "joomla-core",
	[CMS_JOOMLA_EXTENSION] = "joomla-extension",
};

const char *cms_kind_name(enum cms_kind k)
{
	return k < _CMS_KIND_MAX ? kind_names[k] : NULL;
}

int cms_inventory_init(struct cms_inventory *inv)
{
	*inv = (struct cms_inventory){ .items = json_array(),
				       .installs = json_array(),
				       .skipped = json_array(),
				       .unreadable = json_array() };
	if (!inv->items || !inv->installs || !inv->skipped || !inv->unreadable) {
		cms_inventory_clear(inv);
		return -ENOMEM;
	}
	return 0;
}

void cms_inventory_clear(struct cms_inventory *inv)
{
	if (!inv)
		return;
	json_decref(inv->items);
	json_decref(inv->installs);
	json_decref(inv->skipped);
	json_decref(inv->unreadable);
	*inv = (struct cms_inventory){ 0 };
}

int cms_item_set(json_t *item, const char *key, const char *s)
{
	char *c = cms_clean(s);

	if (!c)
		return 0;
	int r = json_object_set_new(item, key, json_string(c));
	free(c);
	return r < 0 ? -ENOMEM : 0;
}

/* key: the cleaned text, or null. */
static int set_or_null(json_t *item, const char *key, const char *s)
{
	char *c = cms_clean(s);
	int r = json_object_set_new(item, key, c ? json_string(c) : json_null());

	free(c);
	return r < 0 ? -ENOMEM : 0;
}

json_t *cms_item_new(enum cms_kind kind, const char *slug, const char *name, const char *version,
		     const char *path)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (json_object_set_new(o, "kind", json_string(cms_kind_name(kind))) < 0 ||
	    set_or_null(o, "slug", slug) < 0 || set_or_null(o, "name", name) < 0 ||
	    set_or_null(o, "version", version) < 0 || set_or_null(o, "path", path) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int cms_inventory_add(struct cms_inventory *inv, json_t *item)
{
	if (!item)
		return -ENOMEM;
	if (json_array_size(inv->items) >= CMS_MAX_ITEMS) {
		inv->items_dropped++;
		json_decref(item);
		return 0;
	}
	return json_array_append_new(inv->items, item) < 0 ? -ENOMEM : 0;
}

static int note(json_t *list, size_t *count, size_t max, const char *path, const char *key,
		const char *text)
{
	char *p = cms_clean(path);
	json_t *o;
	int r = 0;

	(*count)++;
	if (json_array_size(list) >= max)
		goto out;
	o = json_pack("{s:s?,s:s}", "path", p, key, text);
	if (!o || json_array_append_new(list, o) < 0)
		r = -ENOMEM;
out:
	free(p);
	return r;
}

int cms_inventory_skip(struct cms_inventory *inv, const char *path, const char *fmt, ...)
{
	struct hu_buf b = HU_BUF_INIT(CMS_MAX_STRING * 2);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = hu_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (r >= 0) {
		char *reason = cms_clean(b.data);
		r = note(inv->skipped, &inv->n_skipped, CMS_MAX_SKIPPED, path, "reason",
			 reason ? reason : "");
		free(reason);
	}
	hu_buf_clear(&b);
	return r;
}

int cms_inventory_unreadable(struct cms_inventory *inv, const char *path, int errnum)
{
	char buf[128];

	return note(inv->unreadable, &inv->n_unreadable, CMS_MAX_UNREADABLE, path, "error",
		    hu_strerror(errnum, buf, sizeof(buf)));
}

int cms_inventory_install(struct cms_inventory *inv, enum cms_kind kind, const char *version,
			  const char *path)
{
	json_t *o = json_object();

	if (!o || json_object_set_new(o, "kind", json_string(cms_kind_name(kind))) < 0 ||
	    set_or_null(o, "version", version) < 0 || set_or_null(o, "path", path) < 0 ||
	    json_array_append_new(inv->installs, o) < 0) {
		json_decref(o);
		return -ENOMEM;
	}
	return 0;
}

char *cms_path(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	/* Called for every entry walked: no printf machinery. */
	p = malloc(dl + 1 + nl + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, name, nl + 1);
	return p;
}

static bool is_type(struct hu_host *h, const char *path, enum hu_file_type t)
{
	struct hu_stat st;

	return hu_host_stat(h, path, true, &st, NULL) == 0 && st.type == t;
}

bool cms_entry_is(struct hu_host *h, const char *path, enum hu_file_type listed,
		  enum hu_file_type want)
{
	return hu_host_entry_type(h, path, listed) == want;
}

bool cms_is_file(struct hu_host *h, const char *path)
{
	return is_type(h, path, HU_FILE_REGULAR);
}

int cms_read(struct hu_host *h, struct cms_inventory *inv, const char *path, size_t max,
	     struct hu_file *ret)
{
	int r = hu_host_read_file(h, path, max, ret, NULL);

	if (r == 0) {
		inv->files_read++;
		return 0;
	}
	if (r != -ENOENT && r != -ENOMEM) {
		int n = cms_inventory_unreadable(inv, path, r);
		if (n < 0)
			return n;
	}
	return r;
}

int cms_list(struct hu_host *h, struct cms_inventory *inv, const char *dir, struct hu_dir *ret)
{
	int r;

	if (inv && inv->dirs_listed >= CMS_MAX_DIRS) {
		if (inv->dirs_listed++ == CMS_MAX_DIRS)
			cms_inventory_skip(inv, dir, "more than %d directories: not listed",
					   CMS_MAX_DIRS);
		return -E2BIG;
	}
	r = hu_host_list_dir(h, dir, ret, NULL);
	if (inv)
		inv->dirs_listed++;
	if (r < 0) {
		if (inv && r != -ENOENT && r != -ENOTDIR && r != -ENOMEM) {
			int n = cms_inventory_unreadable(inv, dir, r);
			if (n < 0)
				return n;
		}
		return r;
	}
	hu_dir_sort(ret);
	return 0;
}

int cms_each(struct hu_host *h, struct cms_inventory *inv, const char *dir, cms_entry_fn fn,
	     void *ctx)
{
	struct hu_dir names = HU_DIR_INIT;
	int r = cms_list(h, inv, dir, &names);

	if (r < 0)
		return r == -ENOMEM ? r : 0;
	for (size_t i = 0; r >= 0 && i < names.n; i++) {
		const struct hu_dirent *e = &names.v[i];
		if (e->name[0] == '.')
			continue;
		char *path = cms_path(dir, e->name);
		r = path ? fn(ctx, e->name, path, e->type) : -ENOMEM;
		free(path);
	}
	hu_dir_clear(&names);
	return r < 0 ? r : 0;
}
