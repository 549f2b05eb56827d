/* SPDX-License-Identifier: MIT */
/*
 * Drupal's release history (../shared/catalog/02-drupal-release-history.md):
 * updates.drupal.org/release-history/<project>/<compat>, one request per
 * project the stored inventories hold (core is the project "drupal"),
 * compat "7.x" for Drupal 7 and "current" for Drupal 8 and later.
 *
 * Kept per project: project_status, supported_branches and, for each
 * release (newest first, as drupal.org orders them), its version, whether it
 * is published, and the Release type terms that matter: Security update,
 * Insecure, Unsupported. An unknown project is answered with HTTP 200 and
 * an <error> body: it is kept as "unknown" (custom or sandbox code).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_parse.h"
#include "catalog_plan.h"
#include "huolto/buf.h"
#include "huolto/xml.h"

#define WHAT "drupal release-history"
/* Releases kept per project (core has about 700; the newest matter). */
#define MAX_RELEASES 400
#define MAX_TEXT     256
#define MAX_DEPTH    8

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s && strlen(s) <= MAX_TEXT ? s : NULL;
}

/* "7.x" for Drupal 7 code, else "current". */
static const char *compat_of(const json_t *item)
{
	const char *core = text(item, "core"), *version = text(item, "version");
	const char *kind = text(item, "kind");

	if (core && strcmp(core, "7.x") == 0)
		return "7.x";
	if (version && strncmp(version, "7.x-", 4) == 0)
		return "7.x";
	if (kind && strcmp(kind, "drupal-core") == 0 && version && strncmp(version, "7.", 2) == 0)
		return "7.x";
	return "current";
}

int catalog_drupal_key(const json_t *item, char *buf, size_t len)
{
	const char *project = text(item, "project");

	if (!project || strpbrk(project, "/ \t\n?#%"))
		return -EINVAL;
	if ((size_t)snprintf(buf, len, "%s|%s", project, compat_of(item)) >= len)
		return -EINVAL;
	return 0;
}

int catalog_plan_drupal(const char *base, const json_t *inventory, struct catalog_db *db,
			struct catalog_plan *ret, struct hu_err *err)
{
	json_t *seen = json_object(), *item;
	size_t i;
	int r = seen ? 0 : -ENOMEM;

	(void)db, (void)err;
	json_array_foreach(inventory, i, item)
	{
		const char *kind = text(item, "kind");
		char key[MAX_TEXT + 16], *url = NULL;
		if (r < 0)
			break;
		if (!kind || strncmp(kind, "drupal-", 7) != 0 ||
		    catalog_drupal_key(item, key, sizeof(key)) < 0 || json_object_get(seen, key))
			continue;
		if (json_object_set_new(seen, key, json_true()) < 0) {
			r = -ENOMEM;
			break;
		}
		size_t bar = strcspn(key, "|");
		if (asprintf(&url, "%s/%.*s/%s", base, (int)bar, key, key + bar + 1) < 0)
			url = NULL;
		r = catalog_plan_add(ret, url, NULL, strdup(key), false);
	}
	json_decref(seen);
	return r;
}

/* The parse: what is read, where the parser is. */
struct history {
	unsigned depth;
	char path[MAX_DEPTH][24]; /* element names from the root; "" beyond 23 bytes */
	struct hu_buf text;
	char *root, *short_name, *status, *supported, *majors;
	json_t *releases;
	json_t *release; /* being read */
	char *term_name;
};

static bool at(const struct history *h, unsigned depth, const char *name)
{
	return h->depth == depth && strcmp(h->path[depth - 1], name) == 0;
}

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct history *h = data;

	(void)atts;
	h->depth++;
	if (h->depth <= MAX_DEPTH) {
		size_t n = strlen(el);
		snprintf(h->path[h->depth - 1], sizeof(h->path[0]), "%s",
			 n < sizeof(h->path[0]) ? el : "");
	}
	if (h->depth == 1)
		h->root = strdup(el);
	if (at(h, 3, "release") && strcmp(h->path[1], "releases") == 0 && !h->release)
		h->release = json_object();
	hu_buf_clear(&h->text);
	h->text.max = MAX_TEXT;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct history *h = data;

	if (len > 0)
		hu_buf_append_some(&h->text, s, (size_t)len);
}

/* The text just read, trimmed, or NULL when empty. */
static char *taken(struct history *h)
{
	const char *s = h->text.data ? h->text.data : "";
	size_t n;

	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n ? strndup(s, n) : NULL;
}

static void set_once(char **slot, char *v)
{
	if (*slot)
		free(v);
	else
		*slot = v;
}

static void release_end(struct history *h, const char *el)
{
	json_t *r = h->release;
	char *v;

	if (h->depth == 4 && (strcmp(el, "version") == 0 || strcmp(el, "status") == 0)) {
		if ((v = taken(h)))
			json_object_set_new(r, el, json_string(v));
		free(v);
	} else if (h->depth == 6 && strcmp(el, "name") == 0) {
		free(h->term_name);
		h->term_name = taken(h);
	} else if (h->depth == 6 && strcmp(el, "value") == 0 && h->term_name &&
		   strcmp(h->term_name, "Release type") == 0 && (v = taken(h))) {
		if (strcmp(v, "Security update") == 0)
			json_object_set_new(r, "security", json_true());
		else if (strcmp(v, "Insecure") == 0)
			json_object_set_new(r, "insecure", json_true());
		else if (strcmp(v, "Unsupported") == 0)
			json_object_set_new(r, "unsupported", json_true());
		free(v);
	} else if (h->depth == 3) {
		const char *version = json_string_value(json_object_get(r, "version"));
		if (version && json_array_size(h->releases) < MAX_RELEASES) {
			const char *st = json_string_value(json_object_get(r, "status"));
			if (st && strcmp(st, "published") != 0)
				json_object_set_new(r, "unpublished", json_true());
			json_object_del(r, "status");
			json_array_append(h->releases, r);
		}
		json_decref(r);
		h->release = NULL;
	}
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
	struct history *h = data;

	if (h->release && h->depth >= 3)
		release_end(h, el);
	else if (h->depth == 2 && strcmp(el, "short_name") == 0)
		set_once(&h->short_name, taken(h));
	else if (h->depth == 2 && strcmp(el, "project_status") == 0)
		set_once(&h->status, taken(h));
	else if (h->depth == 2 && strcmp(el, "supported_branches") == 0)
		set_once(&h->supported, taken(h));
	else if (h->depth == 2 && strcmp(el, "supported_majors") == 0)
		set_once(&h->majors, taken(h));
	hu_buf_clear(&h->text);
	h->depth--;
}

static void history_clear(struct history *h)
{
	hu_buf_clear(&h->text);
	free(h->root);
	free(h->short_name);
	free(h->status);
	free(h->supported);
	free(h->majors);
	free(h->term_name);
	json_decref(h->releases);
	json_decref(h->release);
}

/*
 * The supported branches as a JSON array: supported_branches "10.5.,10.6."
 * as it is (the current feed), else the legacy feeds' supported_majors "2,3"
 * in branch form ("7.x-2.", and "7." for core), else null (not said).
 */
static json_t *branches(const struct history *h, const char *project, const char *compat)
{
	const char *s = h->supported ? h->supported : h->majors;
	json_t *a = s ? json_array() : json_null();

	while (json_is_array(a) && *s) {
		size_t n = strcspn(s, ",");
		char b[96];
		if (n > 0 && n <= 64) {
			if (h->supported)
				snprintf(b, sizeof(b), "%.*s", (int)n, s);
			else if (strcmp(project, "drupal") == 0)
				snprintf(b, sizeof(b), "%.*s.", (int)n, s);
			else
				snprintf(b, sizeof(b), "%.16s-%.*s.", compat, (int)n, s);
			json_array_append_new(a, json_string(b));
		}
		s += n + (s[n] == ',');
	}
	return a;
}

/* The newest published release that is neither a snapshot nor a pre-release. */
static const char *newest_stable(const json_t *releases)
{
	const json_t *r;
	size_t i;

	json_array_foreach(releases, i, r)
	{
		const char *v = json_string_value(json_object_get(r, "version"));
		if (!v || json_is_true(json_object_get(r, "unpublished")) || strstr(v, "-dev") ||
		    strstr(v, "-alpha") || strstr(v, "-beta") || strstr(v, "-rc"))
			continue;
		return v;
	}
	return NULL;
}

static int store(struct history *h, const char *key, struct catalog_db *db, struct hu_err *err)
{
	size_t bar = strcspn(key, "|");
	char project[MAX_TEXT + 1];
	json_t *facts = NULL;
	int r;

	snprintf(project, sizeof(project), "%.*s", (int)(bar < MAX_TEXT ? bar : MAX_TEXT), key);
	struct catalog_item it = { .kind = "drupal-project", .key = key, .slug = project };
	if (strcmp(h->root, "error") == 0) {
		it.status =
		    "unknown"; /* "No release history was found for the requested project" */
		return catalog_db_add_item(db, &it, err);
	}
	if (strcmp(h->root, "project") != 0 || !h->short_name)
		return hu_err_set(err, -EBADMSG, WHAT " %.80s: no <project> with a <short_name>",
				  key);
	if (strcmp(h->short_name, project) != 0)
		return hu_err_set(err, -EBADMSG, WHAT " %.80s: the answer is about \"%.80s\"", key,
				  h->short_name);
	it.status = h->status ? h->status : "published";
	it.latest = newest_stable(h->releases);
	facts = json_pack("{s:o,s:O}", "supported_branches", branches(h, project, key + bar + 1),
			  "releases", h->releases);
	if (!facts)
		return -ENOMEM;
	it.facts = facts;
	r = catalog_db_add_item(db, &it, err);
	json_decref(facts);
	return r;
}

int catalog_parse_drupal(const char *data, size_t len, const char *key, struct catalog_db *db,
			 struct hu_err *err)
{
	static const struct hu_xml_handlers handlers = { on_start, on_end, on_text };
	struct history h = { .text = HU_BUF_INIT(MAX_TEXT) };
	char why[160];
	int r;

	if (!key)
		return hu_err_set(err, -EINVAL, WHAT ": no project asked");
	h.releases = json_array();
	if (!h.releases)
		return -ENOMEM;
	r = hu_xml_parse(data, len, &handlers, &h, why, sizeof(why));
	if (r == -EBADMSG || r == -EFBIG)
		r = hu_err_set(err, r, WHAT " %.80s: %s", key, why);
	else if (r >= 0 && !h.root)
		r = hu_err_set(err, -EBADMSG, WHAT " %.80s: empty", key);
	if (r >= 0)
		r = store(&h, key, db, err);
	history_clear(&h);
	return r;
}
