/* SPDX-License-Identifier: MIT */
/*
 * Drupal: core from core/lib/Drupal.php (8 and later) or
 * includes/bootstrap.inc (7), extensions from their .info.yml / .info files
 * (the packaging block's version and project), and Composer's
 * vendor/composer/installed.json where the site has one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cms.h"

#define EXT_DEPTH 6 /* directories below a discovery root */

/* Directories that hold no extension of the site's own. */
static bool entered(const char *name)
{
	return name[0] != '.' && strcmp(name, "tests") != 0 && strcmp(name, "node_modules") != 0 &&
	       strcmp(name, "bower_components") != 0 && strcmp(name, "vendor") != 0 &&
	       strcmp(name, "files") != 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

struct ext_walk {
	struct hu_host *h;
	struct cms_inventory *inv;
	bool d7;
	json_t *composer; /* path of each package's directory -> package object */
};

/* Composer's extra.drupal data for the package installed at dir, if any. */
static int add_composer(const struct ext_walk *w, json_t *item, const char *dir)
{
	json_t *pkg = w->composer ? json_object_get(w->composer, dir) : NULL;
	json_t *drupal = json_object_get(json_object_get(pkg, "extra"), "drupal");
	int r = 0;

	if (!pkg)
		return 0;
	r = cms_item_set(item, "composer_name", json_string_value(json_object_get(pkg, "name")));
	if (r >= 0)
		r = cms_item_set(item, "composer_version",
				 json_string_value(json_object_get(pkg, "version")));
	if (r >= 0)
		r = cms_item_set(item, "security_coverage",
				 json_string_value(json_object_get(
				     json_object_get(drupal, "security-coverage"), "status")));
	/* A git checkout has no packaging block: Composer's drupal.org version stands in. */
	if (r >= 0 && json_is_null(json_object_get(item, "version")))
		r = cms_item_set(item, "version",
				 json_string_value(json_object_get(drupal, "version")));
	return r;
}

static int extension(const struct ext_walk *w, const char *dir, const char *file)
{
	char *path = cms_path(dir, file), *machine = NULL;
	char *name = NULL, *version = NULL, *project = NULL, *type = NULL, *hidden = NULL,
	     *package = NULL, *status_url = NULL, *core = NULL, *core_req = NULL;
	struct hu_file f = { 0 };
	json_t *item = NULL;
	int r;

	if (!path)
		return -ENOMEM;
	r = cms_read(w->h, w->inv, path, CMS_MAX_INFO, &f);
	if (r < 0)
		goto out;
	int (*get)(const char *, size_t, const char *, char **) =
	    w->d7 ? cms_ini_value : cms_yaml_value;
	get(f.data, f.len, "name", &name);
	get(f.data, f.len, "version", &version);
	get(f.data, f.len, "project", &project);
	get(f.data, f.len, "type", &type);
	get(f.data, f.len, "hidden", &hidden);
	get(f.data, f.len, "package", &package);
	get(f.data, f.len, "project status url", &status_url);
	get(f.data, f.len, "core", &core);
	get(f.data, f.len, "core_version_requirement", &core_req);
	machine = strndup(file, strlen(file) - (w->d7 ? 5 : 9));
	if (!machine) {
		r = -ENOMEM;
		goto out;
	}
	/* Core's own extensions come with core; test and hidden ones are not in use. */
	if ((project && strcmp(project, "drupal") == 0) ||
	    (hidden && strcasecmp(hidden, "true") == 0) ||
	    (package && strcasecmp(package, "Testing") == 0))
		goto out;
	if (!name) {
		r = cms_inventory_skip(w->inv, path, "no name: not an extension");
		goto out;
	}
	if (version && strcmp(version, "VERSION") == 0) {
		free(version); /* core's own "version: VERSION": its version is core's */
		version = NULL;
	}
	bool theme = w->d7 ? strstr(path, "/themes/") != NULL : (type && !strcmp(type, "theme"));
	item = cms_item_new(theme ? CMS_DRUPAL_THEME : CMS_DRUPAL_MODULE, machine, name, version,
			    path);
	r = item ? 0 : -ENOMEM;
	if (r >= 0)
		r = cms_item_set(item, "project", project);
	if (r >= 0 && type && strcmp(type, "module") != 0 && strcmp(type, "theme") != 0)
		r = cms_item_set(item, "extension_type", type);
	if (r >= 0)
		r = cms_item_set(item, "update_url", status_url);
	if (r >= 0)
		r = cms_item_set(item, "core", core);
	if (r >= 0)
		r = cms_item_set(item, "core_version_requirement", core_req);
	if (r >= 0)
		r = add_composer(w, item, dir);
	if (r >= 0) {
		r = cms_inventory_add(w->inv, item);
		item = NULL;
	}
out:
	json_decref(item);
	hu_file_clear(&f);
	free(path);
	free(machine);
	free(name);
	free(version);
	free(project);
	free(type);
	free(hidden);
	free(package);
	free(status_url);
	free(core);
	free(core_req);
	return r == -ENOMEM ? r : 0;
}

static int walk(const struct ext_walk *w, const char *dir, unsigned depth)
{
	struct hu_dir names = HU_DIR_INIT;
	const char *suffix = w->d7 ? ".info" : ".info.yml";
	int r = cms_list(w->h, w->inv, dir, &names);

	if (r < 0)
		return r == -ENOMEM ? r : 0;
	for (size_t i = 0; r >= 0 && i < names.n; i++) {
		const char *n = names.v[i].name;
		if (has_suffix(n, suffix)) {
			r = extension(w, dir, n);
		} else if (depth > 0 && entered(n) && !strchr(n, '.')) {
			char *sub = cms_path(dir, n);
			if (!sub)
				r = -ENOMEM;
			else if (cms_entry_is(w->h, sub, names.v[i].type, HU_FILE_DIR))
				r = walk(w, sub, depth - 1);
			free(sub);
		}
	}
	hu_dir_clear(&names);
	return r;
}

/* Resolve "." and ".." in an absolute path, textually, in place. */
static void normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		while (*in == '/')
			in++;
		char *seg = in;
		while (*in && *in != '/')
			in++;
		size_t n = (size_t)(in - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/*
 * vendor/composer/installed.json (Composer 2's object or Composer 1's
 * array) beside the Drupal root or one level up (web/ layouts), as a map
 * from each package's absolute directory (normalized) to the package.
 * root is normalized.
 */
static int read_composer(struct hu_host *h, const char *root, struct cms_inventory *inv,
			 json_t **ret, json_t *core_item)
{
	static const char *const where[] = { "vendor/composer", "../vendor/composer" };
	struct hu_file f = { 0 };
	json_t *doc = NULL, *map = NULL;
	char *dir = NULL, *path = NULL;
	int r = 0;

	for (size_t i = 0; i < 2 && !doc; i++) {
		free(dir);
		free(path);
		hu_file_clear(&f);
		dir = cms_path(root, where[i]);
		path = dir ? cms_path(dir, "installed.json") : NULL;
		if (!path) {
			r = -ENOMEM;
			goto out;
		}
		if (cms_read(h, inv, path, CMS_MAX_INSTALLED, &f) < 0)
			continue;
		if (f.truncated) {
			r = cms_inventory_skip(inv, path, "larger than %u bytes",
					       CMS_MAX_INSTALLED);
			break;
		}
		json_error_t je;
		doc = json_loadb(f.data, f.len, JSON_REJECT_DUPLICATES, &je);
		if (!doc) {
			r = cms_inventory_skip(inv, path, "not JSON (line %d: %s)", je.line,
					       je.text);
			break;
		}
	}
	json_t *pkgs = json_is_array(doc) ? doc : json_object_get(doc, "packages");
	map = json_object();
	if (r < 0 || !map) {
		r = -ENOMEM;
		goto out;
	}
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p)
	{
		const char *ip = json_string_value(json_object_get(p, "install-path"));
		const char *name = json_string_value(json_object_get(p, "name"));
		if (!ip || !name || ip[0] == '/')
			continue;
		/* install-path is relative to vendor/composer. */
		char *abs = cms_path(dir, ip);
		if (abs)
			normalize(abs);
		if (!abs || json_object_set(map, abs, p) < 0) {
			free(abs);
			r = -ENOMEM;
			goto out;
		}
		free(abs);
		if (strcmp(name, "drupal/core") == 0 && core_item &&
		    (r = cms_item_set(core_item, "composer_version",
				      json_string_value(json_object_get(p, "version")))) < 0)
			goto out;
	}
	*ret = map;
	map = NULL;
out:
	json_decref(map);
	json_decref(doc);
	hu_file_clear(&f);
	free(dir);
	free(path);
	return r;
}

int cms_drupal_read(struct hu_host *h, const char *root, bool d7, struct cms_inventory *inv)
{
	static const char *const roots8[] = { "modules", "themes", "profiles", "sites" };
	static const char *const roots7[] = { "sites", "profiles" };
	struct hu_file f = { 0 };
	char *path = cms_path(root, d7 ? "includes/bootstrap.inc" : "core/lib/Drupal.php");
	char *version = NULL, *real_root = NULL;
	struct ext_walk w = { .h = h, .inv = inv, .d7 = d7 };
	json_t *core = NULL;
	int r;

	if (!path)
		return -ENOMEM;
	r = cms_read(h, inv, path, CMS_MAX_CORE_FILE, &f);
	if (r < 0)
		goto out;
	r = d7 ? cms_php_define(f.data, f.len, "VERSION", &version)
	       : cms_php_const(f.data, f.len, "VERSION", &version);
	if (r == -ENOMEM)
		goto out;
	if (r < 0) {
		r = cms_inventory_skip(inv, path, "no VERSION constant");
		goto out;
	}
	core = cms_item_new(CMS_DRUPAL_CORE, "drupal", "Drupal", version, root);
	r = core ? cms_item_set(core, "project", "drupal") : -ENOMEM;
	if (r < 0)
		goto out;
	/* Extension paths are compared with Composer's install paths: both normalized. */
	real_root = strdup(root);
	if (!real_root) {
		r = -ENOMEM;
		goto out;
	}
	normalize(real_root);
	if (!d7 && (r = read_composer(h, real_root, inv, &w.composer, core)) < 0)
		goto out;
	r = cms_inventory_install(inv, CMS_DRUPAL_CORE, version, root);
	if (r >= 0) {
		r = cms_inventory_add(inv, core);
		core = NULL;
	}
	const char *const *roots = d7 ? roots7 : roots8;
	size_t n_roots = d7 ? 2 : 4;
	for (size_t i = 0; r >= 0 && i < n_roots; i++) {
		char *dir = cms_path(real_root, roots[i]);
		r = dir ? walk(&w, dir, EXT_DEPTH) : -ENOMEM;
		free(dir);
	}
out:
	json_decref(core);
	json_decref(w.composer);
	hu_file_clear(&f);
	free(path);
	free(version);
	free(real_root);
	return r == -ENOMEM ? r : 0;
}
