/* SPDX-License-Identifier: MIT */
/*
 * Joomla: core from libraries/src/Version.php (3.8 and later: MAJOR, MINOR,
 * PATCH and EXTRA constants) or libraries/cms/version/version.php (2.5 to
 * 3.7: RELEASE . "." . DEV_LEVEL, as constants or public properties), and
 * extensions from their manifest XML (read with expat; entity declarations
 * are refused) in the places Joomla's installer adapters keep them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/json.h"
#include "huolto/xml.h"
#include "cms.h"

#define MAX_SERVERS 16

/* What a manifest says. */
struct manifest {
	char *root_name; /* "extension" (or "install", Joomla 1.5) */
	char *type, *client, *group;
	char *name, *version, *author, *element, *packagename;
	struct hu_strv servers;
	/* parsing */
	unsigned depth;
	bool in_servers;
	char *field; /* the child of the root element being read */
	struct hu_buf text;
};

static void manifest_clear(struct manifest *m)
{
	free(m->root_name);
	free(m->type);
	free(m->client);
	free(m->group);
	free(m->name);
	free(m->version);
	free(m->author);
	free(m->element);
	free(m->packagename);
	hu_strv_clear(&m->servers);
	free(m->field);
	hu_buf_clear(&m->text);
}

static char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return strdup(atts[i + 1]);
	return NULL;
}

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct manifest *m = data;

	m->depth++;
	if (m->depth == 1) {
		m->root_name = strdup(el);
		m->type = attr(atts, "type");
		m->client = attr(atts, "client");
		m->group = attr(atts, "group");
	} else if (m->depth == 2) {
		free(m->field);
		m->field = strdup(el);
		m->in_servers = strcmp(el, "updateservers") == 0;
	}
	hu_buf_clear(&m->text);
	m->text.max = CMS_MAX_STRING * 4;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct manifest *m = data;

	if (len > 0)
		hu_buf_append_some(&m->text, s, (size_t)len);
}

static void take(char **dst, struct hu_buf *b)
{
	if (!*dst && b->data)
		*dst = cms_clean(b->data);
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
	struct manifest *m = data;

	if (m->depth == 2 && m->field) {
		if (strcmp(el, "name") == 0)
			take(&m->name, &m->text);
		else if (strcmp(el, "version") == 0)
			take(&m->version, &m->text);
		else if (strcmp(el, "author") == 0)
			take(&m->author, &m->text);
		else if (strcmp(el, "element") == 0)
			take(&m->element, &m->text);
		else if (strcmp(el, "packagename") == 0)
			take(&m->packagename, &m->text);
		m->in_servers = false;
	} else if (m->depth == 3 && m->in_servers && strcmp(el, "server") == 0 &&
		   m->servers.n < MAX_SERVERS) {
		char *url = cms_clean(m->text.data);
		if (url)
			hu_strv_push_owned(&m->servers, url);
	}
	hu_buf_clear(&m->text);
	m->depth--;
}

/* Parse data; 0, or -EINVAL with *ret_why set (static text or a malloc'd copy in why). */
static int parse_manifest(const char *data, size_t len, struct manifest *m, char **ret_why)
{
	static const struct hu_xml_handlers h = { on_start, on_end, on_text };
	char why[160];
	int r = hu_xml_parse(data, len, &h, m, why, sizeof(why));

	if (r == -EBADMSG || r == -EFBIG) {
		if (asprintf(ret_why, "unreadable XML: %s", why) < 0)
			return -ENOMEM;
		return -EINVAL;
	}
	return r;
}

/* One manifest file; element is the extension's element, client "site" or "administrator". */
static int manifest(struct hu_host *h, struct cms_inventory *inv, const char *path,
		    const char *element, const char *client)
{
	struct hu_file f = { 0 };
	struct manifest m = { .text = HU_BUF_INIT(CMS_MAX_STRING * 4) };
	char *why = NULL;
	json_t *item = NULL;
	int r;

	r = cms_read(h, inv, path, CMS_MAX_MANIFEST, &f);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	if (f.truncated) {
		r = cms_inventory_skip(inv, path, "larger than %u bytes", CMS_MAX_MANIFEST);
		goto out;
	}
	r = parse_manifest(f.data, f.len, &m, &why);
	if (r == -EINVAL) {
		r = cms_inventory_skip(inv, path, "%s", why);
		goto out;
	}
	if (r < 0)
		goto out;
	if (!m.root_name ||
	    (strcmp(m.root_name, "extension") != 0 && strcmp(m.root_name, "install") != 0)) {
		r = 0; /* some other XML (a form, a config): not a manifest */
		goto out;
	}
	/* Joomla's own extensions are part of core and updated with it. */
	if (m.author && strcmp(m.author, "Joomla! Project") == 0)
		goto out;
	const char *el = m.element ? m.element : m.packagename ? m.packagename : element;
	item = cms_item_new(CMS_JOOMLA_EXTENSION, el, m.name, m.version, path);
	r = item ? 0 : -ENOMEM;
	if (r >= 0)
		r = cms_item_set(item, "type", m.type);
	if (r >= 0)
		r = cms_item_set(item, "element", el);
	if (r >= 0)
		r = cms_item_set(item, "client", m.client ? m.client : client);
	if (r >= 0 && m.type && strcmp(m.type, "plugin") == 0)
		r = cms_item_set(item, "folder", m.group);
	if (r >= 0 && json_object_set_new(item, "update_servers", hu_json_strv(&m.servers)) < 0)
		r = -ENOMEM;
	if (r >= 0) {
		r = cms_inventory_add(inv, item);
		item = NULL;
	}
out:
	json_decref(item);
	free(why);
	manifest_clear(&m);
	hu_file_clear(&f);
	return r == -ENOMEM ? r : 0;
}

/* Where the manifests of one kind are, for the walks below. */
struct where {
	struct hu_host *h;
	struct cms_inventory *inv;
	const char *prefix; /* directory names start with it */
	size_t strip;       /* characters of the name not in the manifest's name */
	const char *fixed;  /* the manifest's name, or NULL for "<name>.xml" */
	const char *client; /* "site" or "administrator" */
};

/* A directory holding one extension and its manifest. */
static int ext_dir_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	const struct where *w = ctx;
	char *file = NULL, *mpath = NULL;
	int r = 0;

	if (!cms_entry_is(w->h, path, type, HU_FILE_DIR))
		return 0;
	if (strncmp(name, w->prefix, strlen(w->prefix)) != 0 || strlen(name) <= w->strip)
		return 0;
	if (w->fixed)
		file = strdup(w->fixed);
	else if (asprintf(&file, "%s.xml", name + w->strip) < 0)
		file = NULL;
	mpath = file ? cms_path(path, file) : NULL;
	if (!mpath)
		r = -ENOMEM;
	else if (cms_is_file(w->h, mpath))
		r = manifest(w->h, w->inv, mpath, name, w->client);
	free(file);
	free(mpath);
	return r;
}

/* administrator/manifests/{packages,libraries,files}/<element>.xml */
static int flat_entry(void *ctx, const char *name, const char *path, enum hu_file_type type)
{
	const struct where *w = ctx;
	size_t l = strlen(name);
	char *el;
	int r;

	(void)type; /* a manifest that is not a file is noted as unreadable */
	if (l <= 4 || strcmp(name + l - 4, ".xml") != 0 || strcmp(name, "joomla.xml") == 0)
		return 0;
	el = strndup(name, l - 4);
	r = el ? manifest(w->h, w->inv, path, el, "site") : -ENOMEM;
	free(el);
	return r;
}

/* plugins/<folder>/<element>/<element>.xml */
static int plugin_folder_entry(void *ctx, const char *name, const char *path,
			       enum hu_file_type type)
{
	const struct where *w = ctx;

	(void)name;
	if (!cms_entry_is(w->h, path, type, HU_FILE_DIR))
		return 0;
	return cms_each(w->h, w->inv, path, ext_dir_entry, ctx);
}

/* Run fn over root/rel with w. */
static int each_in(const struct where *w, const char *root, const char *rel, cms_entry_fn fn)
{
	char *dir = cms_path(root, rel);
	int r = dir ? cms_each(w->h, w->inv, dir, fn, (void *)w) : -ENOMEM;

	free(dir);
	return r;
}

static int read_extensions(struct hu_host *h, const char *root, struct cms_inventory *inv)
{
	static const struct {
		const char *rel, *prefix;
		size_t strip;
		const char *fixed, *client;
	} kinds[] = {
		{ "components", "com_", 4, NULL, "site" },
		{ "administrator/components", "com_", 4, NULL, "administrator" },
		{ "modules", "mod_", 0, NULL, "site" },
		{ "administrator/modules", "mod_", 0, NULL, "administrator" },
		{ "templates", "", 0, "templateDetails.xml", "site" },
		{ "administrator/templates", "", 0, "templateDetails.xml", "administrator" },
	};
	static const char *const flat[] = { "administrator/manifests/packages",
					    "administrator/manifests/libraries",
					    "administrator/manifests/files" };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < sizeof(kinds) / sizeof(*kinds); i++) {
		struct where w = {
			h, inv, kinds[i].prefix, kinds[i].strip, kinds[i].fixed, kinds[i].client
		};
		r = each_in(&w, root, kinds[i].rel, ext_dir_entry);
	}
	struct where plugins = { h, inv, "", 0, NULL, "site" };
	if (r >= 0)
		r = each_in(&plugins, root, "plugins", plugin_folder_entry);
	for (size_t i = 0; r >= 0 && i < 3; i++)
		r = each_in(&plugins, root, flat[i], flat_entry);
	return r;
}

/*
 * administrator/manifests/files/joomla.xml: core's update servers, and its
 * version, which differs from Version.php after a half-finished update.
 */
static int core_manifest(struct hu_host *h, const char *root, struct cms_inventory *inv,
			 json_t *core)
{
	struct manifest m = { .text = HU_BUF_INIT(CMS_MAX_STRING * 4) };
	struct hu_file f = { 0 };
	char *path = cms_path(root, "administrator/manifests/files/joomla.xml"), *why = NULL;
	int r;

	if (!path)
		return -ENOMEM;
	r = cms_read(h, inv, path, CMS_MAX_MANIFEST, &f);
	if (r < 0)
		goto out;
	r = parse_manifest(f.data, f.len, &m, &why);
	if (r == -EINVAL)
		r = cms_inventory_skip(inv, path, "%s", why);
	if (r < 0 || !m.version)
		goto out;
	r = cms_item_set(core, "manifest_version", m.version);
	if (r >= 0 && json_object_set_new(core, "update_servers", hu_json_strv(&m.servers)) < 0)
		r = -ENOMEM;
out:
	free(why);
	manifest_clear(&m);
	hu_file_clear(&f);
	free(path);
	return r == -ENOMEM ? r : 0;
}

/* 4.x+ (and 3.8+): MAJOR.MINOR.PATCH[-EXTRA]. */
static int version_new(const char *t, size_t n, char **ret)
{
	char *maj = NULL, *min = NULL, *pat = NULL, *extra = NULL;
	int r = -ENOENT;

	if (cms_php_const(t, n, "MAJOR_VERSION", &maj) == 0 &&
	    cms_php_const(t, n, "MINOR_VERSION", &min) == 0 &&
	    cms_php_const(t, n, "PATCH_VERSION", &pat) == 0) {
		cms_php_const(t, n, "EXTRA_VERSION", &extra);
		if (asprintf(ret, "%s.%s.%s%s%s", maj, min, pat, extra && *extra ? "-" : "",
			     extra ? extra : "") < 0)
			r = -ENOMEM;
		else
			r = 0;
	}
	free(maj);
	free(min);
	free(pat);
	free(extra);
	return r;
}

/* 2.5 to 3.7: RELEASE . "." . DEV_LEVEL, as constants or public properties. */
static int version_old(const char *t, size_t n, char **ret)
{
	char *rel = NULL, *lev = NULL;
	int r = -ENOENT;

	if (cms_php_const(t, n, "RELEASE", &rel) < 0)
		cms_php_var(t, n, "RELEASE", &rel);
	if (cms_php_const(t, n, "DEV_LEVEL", &lev) < 0)
		cms_php_var(t, n, "DEV_LEVEL", &lev);
	if (rel && lev)
		r = asprintf(ret, "%s.%s", rel, lev) < 0 ? -ENOMEM : 0;
	free(rel);
	free(lev);
	return r;
}

int cms_joomla_read(struct hu_host *h, const char *root, struct cms_inventory *inv)
{
	static const char *const files[] = { "libraries/src/Version.php",
					     "libraries/cms/version/version.php" };
	struct hu_file f = { 0 };
	char *version = NULL, *path = NULL, *status = NULL;
	json_t *core = NULL;
	int r = -ENOENT;

	for (size_t i = 0; i < 2 && r == -ENOENT; i++) {
		free(path);
		path = cms_path(root, files[i]);
		if (!path)
			return -ENOMEM;
		hu_file_clear(&f);
		if (cms_read(h, inv, path, CMS_MAX_CORE_FILE, &f) < 0)
			continue;
		r = version_new(f.data, f.len, &version);
		if (r == -ENOENT)
			r = version_old(f.data, f.len, &version);
		if (r == 0 && cms_php_const(f.data, f.len, "DEV_STATUS", &status) < 0)
			cms_php_var(f.data, f.len, "DEV_STATUS", &status);
	}
	if (r == -ENOENT) {
		r = cms_inventory_skip(inv, path, "no version constants");
		goto out;
	}
	if (r < 0)
		goto out;
	core = cms_item_new(CMS_JOOMLA_CORE, "joomla", "Joomla!", version, root);
	r = core ? cms_item_set(core, "dev_status", status) : -ENOMEM;
	if (r >= 0)
		r = core_manifest(h, root, inv, core);
	if (r >= 0)
		r = cms_inventory_install(inv, CMS_JOOMLA_CORE, version, root);
	if (r >= 0) {
		r = cms_inventory_add(inv, core);
		core = NULL;
	}
	if (r >= 0)
		r = read_extensions(h, root, inv);
out:
	json_decref(core);
	hu_file_clear(&f);
	free(path);
	free(version);
	free(status);
	return r == -ENOMEM ? r : 0;
}
