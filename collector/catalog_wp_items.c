/* SPDX-License-Identifier: MIT */
/*
 * WordPress.org's plugin and theme feeds (../shared/catalog/01-wordpress-api.md):
 * the update checks, asked in bulk about every plugin and theme the stored
 * inventories hold, and plugin information for the plugins the update check
 * does not know (closed ones say why they were closed).
 *
 * Each item is asked about once, whatever version each site runs: the
 * answer's new_version is the latest release, and the judge compares it
 * with each site's own version.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_parse.h"
#include "catalog_plan.h"

/* Items per update-check request (WordPress itself sends a site's all at once). */
#define WP_BATCH 100
/* The longest key or version asked about or taken from an answer. */
#define WP_TEXT_MAX 200

/* The two update checks differ in names only. */
struct wp_check {
	const char *kind;  /* the inventory's kind, and the items' kind */
	const char *field; /* the form field, and the answer's map of updates */
	const char *path;  /* under wordpress_api */
	const char *what;  /* for errors */
};

static const struct wp_check plugins_check = { "wordpress-plugin", "plugins",
					       "/plugins/update-check/1.1/",
					       "plugins update-check" };
static const struct wp_check themes_check = { "wordpress-theme", "themes",
					      "/themes/update-check/1.1/", "themes update-check" };

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s && strlen(s) <= WP_TEXT_MAX ? s : NULL;
}

/* The keys of kind's items that wordpress.org updates, each once: key → [version, slug]. */
static int wanted(const json_t *inventory, const char *kind, json_t **ret)
{
	json_t *keys = json_object(), *item;
	size_t i;

	if (!keys)
		return -ENOMEM;
	json_array_foreach(inventory, i, item)
	{
		const char *k = text(item, "kind"), *key = text(item, "key");
		const char *v = text(item, "version");
		if (!k || strcmp(k, kind) != 0 || !key ||
		    json_is_false(json_object_get(item, "wordpress_org")))
			continue;
		if (json_object_set_new(keys, key,
					json_pack("[s,s?]", v ? v : "0", text(item, "slug"))) < 0) {
			json_decref(keys);
			return -ENOMEM;
		}
	}
	*ret = keys;
	return 0;
}

/*
 * The form body asking about batch (key → [version, slug]); the call is
 * about the keys asked, as a JSON object of key → the inventory's slug.
 */
static int batch_call(const struct wp_check *c, const char *base, json_t *batch,
		      struct catalog_plan *p)
{
	json_t *items = json_object(), *asked = json_object(), *v;
	const char *key;
	char *json = NULL, *esc = NULL, *post = NULL, *url = NULL, *about = NULL;
	int r = -ENOMEM;

	if (!items || !asked)
		goto out;
	json_object_foreach(batch, key, v)
	{
		json_t *o = json_pack("{s:O}", "Version", json_array_get(v, 0));
		if (!o || json_object_set_new(items, key, o) < 0 ||
		    json_object_set(asked, key, json_array_get(v, 1)) < 0)
			goto out;
		if (c == &themes_check &&
		    json_object_set_new(o, "Stylesheet", json_string(key)) < 0)
			goto out;
	}
	/* plugins={"plugins":{…},"active":[]}, themes={"active":"","themes":{…}} */
	json_t *wrap = c == &plugins_check ? json_pack("{s:O,s:[]}", "plugins", items, "active")
					   : json_pack("{s:s,s:O}", "active", "", "themes", items);
	json = wrap ? json_dumps(wrap, JSON_COMPACT) : NULL;
	json_decref(wrap);
	if (!json || !(esc = catalog_form_escape(json)))
		goto out;
	if (asprintf(&post, "%s=%s&translations=%%5B%%5D&locale=%%5B%%5D&all=true", c->field, esc) <
	    0) {
		post = NULL;
		goto out;
	}
	if (asprintf(&url, "%s%s", base, c->path) < 0)
		url = NULL;
	about = json_dumps(asked, JSON_COMPACT);
	r = catalog_plan_add(p, url, post, about, false);
	post = NULL;
out:
	free(post);
	free(esc);
	free(json);
	json_decref(items);
	json_decref(asked);
	return r;
}

static int plan_check(const struct wp_check *c, const char *base, const json_t *inventory,
		      struct catalog_plan *p)
{
	json_t *keys = NULL, *batch = NULL, *v;
	const char *key;
	int r = wanted(inventory, c->kind, &keys);

	json_object_foreach(keys, key, v)
	{
		if (r < 0)
			break;
		if (!batch && !(batch = json_object())) {
			r = -ENOMEM;
			break;
		}
		if (json_object_set(batch, key, v) < 0)
			r = -ENOMEM;
		if (r >= 0 && json_object_size(batch) == WP_BATCH) {
			r = batch_call(c, base, batch, p);
			json_decref(batch);
			batch = NULL;
		}
	}
	if (r >= 0 && batch)
		r = batch_call(c, base, batch, p);
	json_decref(batch);
	json_decref(keys);
	return r;
}

int catalog_plan_wp_plugins(const char *base, const json_t *inventory, struct catalog_db *db,
			    struct catalog_plan *ret, struct hu_err *err)
{
	(void)db, (void)err;
	return plan_check(&plugins_check, base, inventory, ret);
}

int catalog_plan_wp_themes(const char *base, const json_t *inventory, struct catalog_db *db,
			   struct catalog_plan *ret, struct hu_err *err)
{
	(void)db, (void)err;
	return plan_check(&themes_check, base, inventory, ret);
}

/* The answer's map called name: an object, or [] for an empty one (PHP's habit). */
static int answer_map(const struct wp_check *c, const json_t *j, const char *name,
		      const json_t **ret, struct hu_err *err)
{
	const json_t *m = json_object_get(j, name);

	if (json_is_object(m) || (json_is_array(m) && json_array_size(m) == 0)) {
		*ret = m;
		return 0;
	}
	return hu_err_set(err, -EBADMSG, "%s: \"%s\" missing or not an object", c->what, name);
}

static int parse_check(const struct wp_check *c, const char *data, size_t len, const char *about,
		       struct catalog_db *db, struct hu_err *err)
{
	json_t *j = NULL, *asked = NULL, *slug;
	const json_t *updates, *current;
	const char *key;
	int r = catalog_json_load(data, len, c->what, &j, err);

	if (r < 0)
		return r;
	if (!json_is_object(j))
		r = hu_err_set(err, -EBADMSG, "%s: expected an object", c->what);
	if (r >= 0)
		r = answer_map(c, j, c->field, &updates, err);
	if (r >= 0)
		r = answer_map(c, j, "no_update", &current, err);
	if (r >= 0 && !(asked = json_loads(about ? about : "{}", 0, NULL)))
		r = -ENOMEM;
	json_object_foreach(asked, key, slug)
	{
		const json_t *u = json_object_get(updates, key),
			     *e = u ? u : json_object_get(current, key);
		struct catalog_item it = { .kind = c->kind,
					   .key = key,
					   .slug = json_string_value(slug),
					   .status = "absent" };
		if (r < 0)
			break;
		if (e) {
			it.status = u ? "update" : "current";
			it.latest = text(e, "new_version");
			if (text(e, c == &plugins_check ? "slug" : "theme"))
				it.slug = text(e, c == &plugins_check ? "slug" : "theme");
			if (!it.latest) {
				r = hu_err_set(err, -EBADMSG,
					       "%s: %.80s: new_version missing or not a string",
					       c->what, key);
				break;
			}
		}
		r = catalog_db_add_item(db, &it, err);
	}
	json_decref(asked);
	json_decref(j);
	return r;
}

int catalog_parse_wp_plugins(const char *data, size_t len, const char *about, struct catalog_db *db,
			     struct hu_err *err)
{
	return parse_check(&plugins_check, data, len, about, db, err);
}

int catalog_parse_wp_themes(const char *data, size_t len, const char *about, struct catalog_db *db,
			    struct hu_err *err)
{
	return parse_check(&themes_check, data, len, about, db, err);
}

/* Plugin information for each plugin the plugins update check did not know. */
int catalog_plan_wp_plugin_info(const char *base, const json_t *inventory, struct catalog_db *db,
				struct catalog_plan *ret, struct hu_err *err)
{
	json_t *rows = NULL, *row, *slugs = json_object();
	size_t i;
	int r = slugs ? catalog_db_items(db, "wordpress-plugins", "absent", &rows, err) : -ENOMEM;

	(void)inventory;
	json_array_foreach(rows, i, row)
	{
		const char *slug = text(row, "slug");
		if (r < 0)
			break;
		if (!slug || json_object_get(slugs, slug))
			continue;
		char *esc = catalog_form_escape(slug), *url = NULL;
		if (!esc || json_object_set_new(slugs, slug, json_true()) < 0 ||
		    asprintf(&url, "%s/plugins/info/1.2/?action=plugin_information&slug=%s", base,
			     esc) < 0)
			url = NULL;
		free(esc);
		r = catalog_plan_add(ret, url, NULL, strdup(slug), true);
	}
	json_decref(rows);
	json_decref(slugs);
	return r;
}

#define INFO "plugins info"

int catalog_parse_wp_plugin_info(const char *data, size_t len, const char *slug,
				 struct catalog_db *db, struct hu_err *err)
{
	json_t *j = NULL, *facts = NULL;
	int r = catalog_json_load(data, len, INFO, &j, err);
	struct catalog_item it = { .kind = "wordpress-plugin-info", .key = slug, .slug = slug };

	if (r < 0)
		return r;
	const char *error = json_string_value(json_object_get(j, "error"));
	if (!json_is_object(j) || !slug) {
		r = hu_err_set(err, -EBADMSG, INFO ": %.80s: expected an object",
			       slug ? slug : "?");
	} else if (error && strcmp(error, "closed") == 0) {
		it.status = "closed";
		facts =
		    json_pack("{s:s?,s:s?,s:s?}", "closed_date", text(j, "closed_date"), "reason",
			      text(j, "reason"), "reason_text", text(j, "reason_text"));
		if (!facts)
			r = -ENOMEM;
	} else if (error) {
		it.status = "not_found"; /* "Plugin not found.": not on wordpress.org */
	} else if (text(j, "version")) {
		it.status = "listed"; /* known, but not under the key the site has */
		it.latest = text(j, "version");
	} else {
		r = hu_err_set(err, -EBADMSG, INFO ": %.80s: neither an error nor a version", slug);
	}
	it.facts = facts;
	if (r >= 0)
		r = catalog_db_add_item(db, &it, err);
	json_decref(facts);
	json_decref(j);
	return r;
}
