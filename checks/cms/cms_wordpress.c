/* SPDX-License-Identifier: MIT */
/*
 * WordPress: core from wp-includes/version.php, then plugins, must-use
 * plugins, drop-ins and themes found and read the way WordPress's own
 * get_plugins(), get_mu_plugins(), _get_dropins() and
 * search_theme_directories() find and read them.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cms.h"

/* What wp-config.php says, as far as it can be read as text. */
struct wp_config {
	char *content_dir; /* WP_CONTENT_DIR, when a literal */
	char *plugin_dir;  /* WP_PLUGIN_DIR */
	char *mu_dir;      /* WPMU_PLUGIN_DIR */
	bool multisite;    /* MULTISITE true */
	bool found;
};

static void wp_config_clear(struct wp_config *c)
{
	free(c->content_dir);
	free(c->plugin_dir);
	free(c->mu_dir);
	*c = (struct wp_config){ 0 };
}

int cms_wp_config_path(struct hu_host *h, const char *root, char **ret)
{
	char *p = cms_path(root, "wp-config.php");

	if (!p)
		return -ENOMEM;
	if (cms_is_file(h, p)) {
		*ret = p;
		return 0;
	}
	free(p);
	/* wp-load.php: one level up, unless that directory is a WordPress too. */
	/* dirname(ABSPATH), as wp-load.php takes it: the text before the last "/". */
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	while (n > 0 && root[n - 1] != '/')
		n--;
	char *parent = strndup(root, n > 1 ? n - 1 : 1);
	if (!parent)
		return -ENOMEM;
	char *settings = cms_path(parent, "wp-settings.php");
	p = cms_path(parent, "wp-config.php");
	free(parent);
	int r = -ENOENT;
	if (!settings || !p)
		r = -ENOMEM;
	else if (cms_is_file(h, p) && !cms_is_file(h, settings))
		r = 0;
	free(settings);
	if (r == 0)
		*ret = p;
	else
		free(p);
	return r;
}

static bool truthy(const char *v)
{
	return v && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static int read_config(struct hu_host *h, const char *root, struct cms_inventory *inv,
		       struct wp_config *c)
{
	struct hu_file f = { 0 };
	char *path = NULL, *v = NULL, *text = NULL;
	int r;

	r = cms_wp_config_path(h, root, &path);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	r = cms_read(h, inv, path, CMS_MAX_CORE_FILE, &f);
	free(path);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	c->found = true;
	/* Comments blanked: a commented-out define() is not in force. */
	text = cms_php_strip_comments(f.data, f.len);
	/* Only literal paths can be known without running the file. */
	if (!text || cms_php_define(text, f.len, "WP_CONTENT_DIR", &c->content_dir) == -ENOMEM ||
	    cms_php_define(text, f.len, "WP_PLUGIN_DIR", &c->plugin_dir) == -ENOMEM ||
	    cms_php_define(text, f.len, "WPMU_PLUGIN_DIR", &c->mu_dir) == -ENOMEM) {
		r = -ENOMEM;
		goto out;
	}
	if (cms_php_define(text, f.len, "MULTISITE", &v) == 0)
		c->multisite = truthy(v);
	/* Relative values resolve against the PHP process's directory: unknowable. */
	char **dirs[] = { &c->content_dir, &c->plugin_dir, &c->mu_dir };
	for (size_t i = 0; i < 3; i++)
		if (*dirs[i] && (*dirs[i])[0] != '/') {
			free(*dirs[i]);
			*dirs[i] = NULL;
		}
out:
	free(v);
	free(text);
	hu_file_clear(&f);
	return r;
}

static int read_core(struct hu_host *h, const char *root, const struct wp_config *c,
		     struct cms_inventory *inv)
{
	static const char *const vars[] = { "wp_version", "wp_db_version", "required_php_version",
					    "wp_local_package", "required_mysql_version" };
	char *val[5] = { NULL };
	struct hu_file f = { 0 };
	char *path = cms_path(root, "wp-includes/version.php");
	json_t *item = NULL;
	int r;

	if (!path)
		return -ENOMEM;
	r = cms_read(h, inv, path, CMS_MAX_CORE_FILE, &f);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < 5; i++)
		if (cms_php_var(f.data, f.len, vars[i], &val[i]) == -ENOMEM) {
			r = -ENOMEM;
			goto out;
		}
	if (!val[0]) {
		r = cms_inventory_skip(inv, path, "no $wp_version assignment");
		goto out;
	}
	item = cms_item_new(CMS_WORDPRESS_CORE, "wordpress", "WordPress", val[0], root);
	r = item ? 0 : -ENOMEM;
	if (r >= 0 && val[1]) {
		char *end;
		long long db = strtoll(val[1], &end, 10);
		if (*end == '\0' && json_object_set_new(item, "db_version", json_integer(db)) < 0)
			r = -ENOMEM;
	}
	if (r >= 0)
		r = cms_item_set(item, "requires_php", val[2]);
	if (r >= 0)
		r = cms_item_set(item, "local_package", val[3]);
	if (r >= 0)
		r = cms_item_set(item, "requires_mysql", val[4]);
	if (r >= 0 && json_object_set_new(item, "multisite", json_boolean(c->multisite)) < 0)
		r = -ENOMEM;
	if (r >= 0)
		r = cms_inventory_install(inv, CMS_WORDPRESS_CORE, val[0], root);
	if (r >= 0) {
		r = cms_inventory_add(inv, item);
		item = NULL;
	}
out:
	json_decref(item);
	for (size_t i = 0; i < 5; i++)
		free(val[i]);
	hu_file_clear(&f);
	free(path);
	return r == -ENOMEM ? r : 0;
}

enum { H_NAME, H_VERSION, H_REQ_WP, H_REQ_PHP, H_UPDATE_URI, H_REQ_PLUGINS, H_TEMPLATE, H_MAX };

static const char *const plugin_headers[] = {
	[H_NAME] = "Plugin Name",         [H_VERSION] = "Version",
	[H_REQ_WP] = "Requires at least", [H_REQ_PHP] = "Requires PHP",
	[H_UPDATE_URI] = "Update URI",    [H_REQ_PLUGINS] = "Requires Plugins",
	[H_TEMPLATE] = "Template", /* unused for plugins */
};

static const char *const theme_headers[] = {
	[H_NAME] = "Theme Name",          [H_VERSION] = "Version",
	[H_REQ_WP] = "Requires at least", [H_REQ_PHP] = "Requires PHP",
	[H_UPDATE_URI] = "Update URI",    [H_REQ_PLUGINS] = "Requires Plugins",
	[H_TEMPLATE] = "Template",
};

static void headers_clear(char **v)
{
	for (size_t i = 0; i < H_MAX; i++) {
		free(v[i]);
		v[i] = NULL;
	}
}

/*
 * Read a file's headers. 1 when read, 0 when it cannot be (noted), -ENOENT
 * when it is not there, -ENOMEM.
 */
static int read_headers(struct hu_host *h, struct cms_inventory *inv, const char *path,
			const char *const *names, char **ret)
{
	struct hu_file f = { 0 };
	int r = cms_read(h, inv, path, CMS_MAX_HEADER, &f);

	if (r < 0)
		return r == -ENOMEM || r == -ENOENT ? r : 0;
	r = cms_wp_headers(f.data, f.len, names, H_MAX, ret);
	hu_file_clear(&f);
	return r < 0 ? r : 1;
}

/*
 * Whether WordPress asks wordpress.org about this plugin or theme: yes
 * unless "Update URI" names another host (wp_update_plugins() reads the
 * value as a URL and only w.org and wordpress.org count; "false" is host
 * "false").
 */
static bool on_wordpress_org(const char *update_uri)
{
	CURLU *u;
	char *host = NULL;
	bool yes = false;

	if (!update_uri)
		return true;
	u = curl_url();
	if (u &&
	    curl_url_set(u, CURLUPART_URL, update_uri,
			 CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		yes = strcasecmp(host, "w.org") == 0 || strcasecmp(host, "wordpress.org") == 0;
	curl_free(host);
	curl_url_cleanup(u);
	return yes;
}

/* The item for a plugin-like file whose headers are in hv. */
static int add_item(struct cms_inventory *inv, enum cms_kind kind, const char *slug,
		    const char *key, const char *fallback_name, const char *path, char **hv)
{
	json_t *item =
	    cms_item_new(kind, slug, hv[H_NAME] ? hv[H_NAME] : fallback_name, hv[H_VERSION], path);
	int r = item ? 0 : -ENOMEM;

	if (r >= 0)
		r = cms_item_set(item, "key", key);
	if (r >= 0)
		r = cms_item_set(item, "requires_wp", hv[H_REQ_WP]);
	if (r >= 0)
		r = cms_item_set(item, "requires_php", hv[H_REQ_PHP]);
	if (r >= 0)
		r = cms_item_set(item, "update_uri", hv[H_UPDATE_URI]);
	if (r >= 0)
		r = cms_item_set(item, "requires_plugins", hv[H_REQ_PLUGINS]);
	if (r >= 0 && kind == CMS_WORDPRESS_THEME)
		r = cms_item_set(item, "parent", hv[H_TEMPLATE]);
	if (r >= 0 && (kind == CMS_WORDPRESS_PLUGIN || kind == CMS_WORDPRESS_THEME) &&
	    json_object_set_new(item, "wordpress_org",
				json_boolean(on_wordpress_org(hv[H_UPDATE_URI]))) < 0)
		r = -ENOMEM;
	if (r < 0) {
		json_decref(item);
		return r;
	}
	return cms_inventory_add(inv, item);
}

static bool ends_with_php(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".php") == 0;
}

/* wordpress.org's slug of a plugin key (dir/file.php or file.php). */
static char *plugin_slug(const char *key)
{
	const char *slash = strchr(key, '/');

	if (slash)
		return strndup(key, (size_t)(slash - key));
	if (strcmp(key, "hello.php") == 0)
		return strdup("hello-dolly");
	return strndup(key, strlen(key) - 4);
}

/* What the directory walks below share. */
struct wp_walk {
	struct hu_host *h;
	struct cms_inventory *inv;
	const char *prefix; /* plugin dir or theme folder being read, or NULL */
	bool found;
	bool multisite;
};

/* One candidate plugin file; key is its basename relative to the plugin dir. */
static int plugin_file(struct wp_walk *w, const char *path, const char *key)
{
	char *hv[H_MAX] = { NULL };
	int r = read_headers(w->h, w->inv, path, plugin_headers, hv);

	if (r == 1 && hv[H_NAME]) {
		char *slug = plugin_slug(key);
		r = slug ? add_item(w->inv, CMS_WORDPRESS_PLUGIN, slug, key, NULL, path, hv)
			 : -ENOMEM;
		free(slug);
		w->found = true;
	}
	headers_clear(hv);
	return r < 0 && r != -ENOENT ? r : 0;
}

/* A PHP file directly inside a plugin's directory. */
static int plugin_dir_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	struct wp_walk *w = ctx;
	char *key;
	int r;

	if (!ends_with_php(name) || type == HU_FILE_DIR)
		return 0;
	key = cms_path(w->prefix, name);
	r = key ? plugin_file(w, path, key) : -ENOMEM;
	free(key);
	return r;
}

/* An entry of the plugin directory: a single-file plugin or a plugin's directory. */
static int plugins_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	struct wp_walk *w = ctx;
	int r;

	if (!cms_entry_is(w->h, path, type, HU_FILE_DIR))
		return ends_with_php(name) ? plugin_file(w, path, name) : 0;
	struct wp_walk sub = { .h = w->h, .inv = w->inv, .prefix = name };
	r = cms_each(w->h, w->inv, path, plugin_dir_entry, &sub);
	if (r >= 0 && !sub.found)
		r = cms_inventory_skip(w->inv, path, "no PHP file here has a Plugin Name header");
	return r;
}

/* Must-use plugins: top-level PHP files only; a tiny index.php is a placeholder. */
static int mu_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	struct wp_walk *w = ctx;
	char *hv[H_MAX] = { NULL };
	struct hu_stat st;
	int r = 0;

	if (!ends_with_php(name) || !cms_entry_is(w->h, path, type, HU_FILE_REGULAR))
		return 0;
	if (strcmp(name, "index.php") == 0 &&
	    (hu_host_stat(w->h, path, true, &st, NULL) < 0 || st.size <= 30))
		return 0;
	r = read_headers(w->h, w->inv, path, plugin_headers, hv);
	if (r == 1) {
		char *slug = strndup(name, strlen(name) - 4);
		r = slug ? add_item(w->inv, CMS_WORDPRESS_MU_PLUGIN, slug, name, name, path, hv)
			 : -ENOMEM;
		free(slug);
	}
	headers_clear(hv);
	return r < 0 && r != -ENOENT ? r : 0;
}

/* Whether WordPress's _get_dropins() knows name (the last four on multisite only). */
static bool is_dropin(const char *name, bool multisite)
{
	static const char *const names[] = {
		"advanced-cache.php", "db.php",
		"db-error.php",       "install.php",
		"maintenance.php",    "object-cache.php",
		"php-error.php",      "fatal-error-handler.php",
		"sunrise.php",        "blog-deleted.php",
		"blog-inactive.php",  "blog-suspended.php",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return i < 8 || multisite;
	return false;
}

/* An entry of the content directory: a drop-in when its name is one. */
static int dropin_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	struct wp_walk *w = ctx;
	char *hv[H_MAX] = { NULL };
	int r;

	if (!is_dropin(name, w->multisite) || !cms_entry_is(w->h, path, type, HU_FILE_REGULAR))
		return 0;
	r = read_headers(w->h, w->inv, path, plugin_headers, hv);
	if (r == 1)
		r = add_item(w->inv, CMS_WORDPRESS_DROPIN, name, name, name, path, hv);
	headers_clear(hv);
	return r < 0 && r != -ENOENT ? r : 0;
}

/*
 * A theme directory: 1 when it has style.css (read, or noted as
 * unreadable), 0 when not.
 */
static int theme(struct hu_host *h, struct cms_inventory *inv, const char *dir, const char *key)
{
	char *css = cms_path(dir, "style.css");
	char *hv[H_MAX] = { NULL };
	int r;

	if (!css)
		return -ENOMEM;
	r = read_headers(h, inv, css, theme_headers, hv);
	if (r == -ENOENT) {
		free(css);
		return 0;
	}
	if (r == 1 && !hv[H_NAME])
		r = cms_inventory_skip(inv, css,
				       "no Theme Name header (WordPress lists it as broken)");
	else if (r == 1)
		r = add_item(inv, CMS_WORDPRESS_THEME, key, key, NULL, dir, hv);
	headers_clear(hv);
	free(css);
	return r < 0 ? r : 1;
}

/* A theme in a folder of themes (w->prefix is the folder's name). */
static int theme_folder_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	struct wp_walk *w = ctx;
	char *key;
	int r;

	if (strcmp(name, "CVS") == 0 || !cms_entry_is(w->h, path, type, HU_FILE_DIR))
		return 0;
	key = cms_path(w->prefix, name);
	r = key ? theme(w->h, w->inv, path, key) : -ENOMEM;
	free(key);
	return r < 0 ? r : 0;
}

/* A theme, or (without style.css) a folder of themes one level deep. */
static int themes_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	struct wp_walk *w = ctx;
	int r;

	if (strcmp(name, "CVS") == 0 || !cms_entry_is(w->h, path, type, HU_FILE_DIR))
		return 0;
	r = theme(w->h, w->inv, path, name);
	if (r != 0)
		return r < 0 ? r : 0;
	struct wp_walk sub = { .h = w->h, .inv = w->inv, .prefix = name };
	return cms_each(w->h, w->inv, path, theme_folder_entry, &sub);
}

int cms_wordpress_read(struct hu_host *h, const char *root, struct cms_inventory *inv)
{
	struct wp_config c = { 0 };
	char *content = NULL, *plugins = NULL, *mu = NULL, *themes = NULL;
	int r;

	r = read_config(h, root, inv, &c);
	if (r < 0)
		goto out;
	r = read_core(h, root, &c, inv);
	if (r < 0)
		goto out;
	content = c.content_dir ? strdup(c.content_dir) : cms_path(root, "wp-content");
	if (!content) {
		r = -ENOMEM;
		goto out;
	}
	plugins = c.plugin_dir ? strdup(c.plugin_dir) : cms_path(content, "plugins");
	mu = c.mu_dir ? strdup(c.mu_dir) : cms_path(content, "mu-plugins");
	themes = cms_path(content, "themes");
	if (!plugins || !mu || !themes) {
		r = -ENOMEM;
		goto out;
	}
	struct wp_walk w = { .h = h, .inv = inv, .multisite = c.multisite };
	r = cms_each(h, inv, plugins, plugins_entry, &w);
	if (r >= 0)
		r = cms_each(h, inv, mu, mu_entry, &w);
	if (r >= 0)
		r = cms_each(h, inv, content, dropin_entry, &w);
	if (r >= 0)
		r = cms_each(h, inv, themes, themes_entry, &w);
out:
	free(content);
	free(plugins);
	free(mu);
	free(themes);
	wp_config_clear(&c);
	return r;
}
