/* SPDX-License-Identifier: MIT */
/*
 * Joomla's XML update files (../shared/catalog/03-joomla-updates.md B, C):
 * an extension update server's <updates> (one <update> per version and
 * target platform), and a collection's <extensionset> (one <extension> per
 * offer, as attributes), which is also the form of the legacy core feed
 * update.joomla.org/core/list.xml for sites older than 5.1.
 *
 * Each file becomes one item: its entries' element, type, folder, version,
 * target platform (a regular expression Joomla anchors at the start of the
 * installed version; checked here to compile), stability and PHP minimum.
 * An extension update server is the customer's vendor, not ours: what it
 * answers, even nonsense, is recorded as that server's state and never
 * fails the feed; the legacy core feed's errors fail it like any feed's.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog_parse.h"
#include "catalog_plan.h"
#include "huolto/buf.h"
#include "huolto/xml.h"

#define MAX_ENTRIES 1000
#define MAX_TEXT    256
#define MAX_SERVERS 2000 /* distinct update servers asked in one refresh */

struct updates {
	unsigned depth;
	char *root;
	char *field; /* the <update> child being read */
	struct hu_buf text;
	json_t *entries;
	json_t *entry; /* the <update> being read */
	char *tag;     /* its last <tags><tag> */
	unsigned skipped;
};

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

static void set_text(json_t *o, const char *key, const char *v)
{
	size_t n;

	while (v && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
		v++;
	n = v ? strlen(v) : 0;
	while (n > 0 &&
	       (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	if (n > 0 && n <= MAX_TEXT && !json_object_get(o, key))
		json_object_set_new(o, key, json_stringn(v, n));
}

/* Keep e when it names a version and a target platform this collector can match. */
static void keep(struct updates *u, json_t *e)
{
	const char *platform = json_string_value(json_object_get(e, "platform"));
	const char *name = json_string_value(json_object_get(e, "platform_name"));
	regex_t re;

	if (name && strcasecmp(name, "joomla") != 0)
		return; /* for another product */
	if (!json_object_get(e, "version") || !platform ||
	    json_array_size(u->entries) >= MAX_ENTRIES ||
	    catalog_joomla_platform_compile(&re, platform) < 0) {
		u->skipped++;
		return;
	}
	regfree(&re);
	json_object_del(e, "platform_name");
	json_array_append(u->entries, e);
}

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct updates *u = data;

	u->depth++;
	hu_buf_clear(&u->text);
	u->text.max = MAX_TEXT * 4;
	if (u->depth == 1) {
		u->root = strdup(el);
	} else if (u->depth == 2 && u->root && strcmp(u->root, "extensionset") == 0 &&
		   strcmp(el, "extension") == 0) {
		json_t *e = json_object();
		if (!e)
			return;
		set_text(e, "element", attr(atts, "element"));
		set_text(e, "type", attr(atts, "type"));
		set_text(e, "folder", attr(atts, "folder"));
		set_text(e, "version", attr(atts, "version"));
		set_text(e, "platform", attr(atts, "targetplatformversion"));
		set_text(e, "platform_name", attr(atts, "targetplatform"));
		set_text(e, "stability", "stable");
		keep(u, e);
		json_decref(e);
	} else if (u->depth == 2 && strcmp(el, "update") == 0 && !u->entry) {
		u->entry = json_object();
		free(u->tag);
		u->tag = NULL;
	} else if (u->depth == 3 && u->entry && strcmp(el, "targetplatform") == 0) {
		set_text(u->entry, "platform", attr(atts, "version"));
		set_text(u->entry, "platform_name", attr(atts, "name"));
	}
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct updates *u = data;

	if (len > 0 && u->entry)
		hu_buf_append_some(&u->text, s, (size_t)len);
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
	struct updates *u = data;
	static const char *const fields[] = { "element", "type",        "folder", "client",
					      "version", "php_minimum", NULL };
	const char *t = u->text.data ? u->text.data : "";

	if (u->entry && u->depth == 3) {
		for (size_t i = 0; fields[i]; i++)
			if (strcmp(el, fields[i]) == 0)
				set_text(u->entry, el, t);
	} else if (u->entry && u->depth == 4 && strcmp(el, "tag") == 0 && *t) {
		free(u->tag); /* the last tag wins */
		u->tag = strndup(t, MAX_TEXT);
	} else if (u->entry && u->depth == 2) {
		set_text(u->entry, "stability", u->tag ? u->tag : "stable");
		keep(u, u->entry);
		json_decref(u->entry);
		u->entry = NULL;
	}
	hu_buf_clear(&u->text);
	u->depth--;
}

static void updates_clear(struct updates *u)
{
	hu_buf_clear(&u->text);
	free(u->root);
	free(u->tag);
	json_decref(u->entries);
	json_decref(u->entry);
}

/* Parse data into *ret (an array of entries); -EBADMSG with err naming what is wrong. */
static int parse(const char *data, size_t len, const char *what, json_t **ret, unsigned *skipped,
		 struct hu_err *err)
{
	static const struct hu_xml_handlers h = { on_start, on_end, on_text };
	struct updates u = { .text = HU_BUF_INIT(MAX_TEXT * 4) };
	char why[160];
	int r;

	u.entries = json_array();
	if (!u.entries)
		return -ENOMEM;
	r = hu_xml_parse(data, len, &h, &u, why, sizeof(why));
	if (r == -EBADMSG || r == -EFBIG)
		r = hu_err_set(err, r, "%.200s: %s", what, why);
	else if (r >= 0 && (!u.root || (strcmp(u.root, "updates") != 0 &&
					strcmp(u.root, "extensionset") != 0)))
		r = hu_err_set(err, -EBADMSG, "%.200s: not an <updates> or <extensionset> file",
			       what);
	if (r >= 0) {
		*ret = u.entries;
		*skipped = u.skipped;
		u.entries = NULL;
	}
	updates_clear(&u);
	return r;
}

int catalog_joomla_platform_compile(regex_t *re, const char *platform)
{
	char anchored[MAX_TEXT + 2];

	/* Joomla: preg_match('/^' . $targetplatform->version . '/', JVERSION). */
	if ((size_t)snprintf(anchored, sizeof(anchored), "^%s", platform) >= sizeof(anchored))
		return -EINVAL;
	return regcomp(re, anchored, REG_EXTENDED | REG_NOSUB) == 0 ? 0 : -EINVAL;
}

/* Store a server's answer: status and, when listed, its entries. */
static int store(struct catalog_db *db, const char *kind, const char *key, const char *status,
		 json_t *facts, struct hu_err *err)
{
	struct catalog_item it = { .kind = kind, .key = key, .status = status, .facts = facts };
	int r = facts ? catalog_db_add_item(db, &it, err) : -ENOMEM;

	json_decref(facts);
	return r;
}

int catalog_parse_joomla_server(const char *data, size_t len, const char *url,
				struct catalog_db *db, struct hu_err *err)
{
	struct hu_err perr = HU_ERR_INIT;
	json_t *entries = NULL;
	unsigned skipped = 0;
	int r;

	if (!url)
		return hu_err_set(err, -EINVAL, "joomla update server: no address asked");
	r = parse(data, len, url, &entries, &skipped, &perr);
	if (r == -EBADMSG || r == -EFBIG) {
		/* The vendor's problem: the extensions it serves cannot be judged. */
		r = store(db, CATALOG_JOOMLA_SERVER, url, "unreadable",
			  json_pack("{s:s}", "error", hu_err_msg(&perr)), err);
	} else if (r >= 0) {
		r = store(
		    db, CATALOG_JOOMLA_SERVER, url, "listed",
		    json_pack("{s:o,s:i}", "updates", entries, "skipped", (json_int_t)skipped),
		    err);
	}
	hu_err_clear(&perr);
	return r;
}

int catalog_joomla_server_failed(const char *url, const char *why, struct catalog_db *db,
				 struct hu_err *err)
{
	return store(db, CATALOG_JOOMLA_SERVER, url, "unreachable",
		     json_pack("{s:s}", "error", why), err);
}

int catalog_parse_joomla_list(const char *data, size_t len, const char *product,
			      struct catalog_db *db, struct hu_err *err)
{
	json_t *entries = NULL;
	unsigned skipped = 0;
	int r;

	(void)product;
	r = parse(data, len, "joomla core/list.xml", &entries, &skipped, err);
	if (r >= 0 && json_array_size(entries) == 0) {
		json_decref(entries);
		return hu_err_set(err, -EBADMSG, "joomla core/list.xml: no <extension> offers");
	}
	if (r >= 0)
		r = store(
		    db, CATALOG_JOOMLA_LIST, CATALOG_JOOMLA_LIST_KEY, "listed",
		    json_pack("{s:o,s:i}", "updates", entries, "skipped", (json_int_t)skipped),
		    err);
	return r;
}

int catalog_plan_joomla_servers(const char *base, const json_t *inventory, struct catalog_db *db,
				struct catalog_plan *ret, struct hu_err *err)
{
	json_t *seen = json_object(), *item, *url;
	size_t i, k;
	int r = seen ? 0 : -ENOMEM;

	(void)base, (void)db, (void)err;
	json_array_foreach(inventory, i, item)
	{
		const char *kind = json_string_value(json_object_get(item, "kind"));
		if (r < 0 || !kind || strcmp(kind, "joomla-extension") != 0)
			continue;
		json_array_foreach(json_object_get(item, "update_servers"), k, url)
		{
			const char *u = json_string_value(url);
			if (r < 0 || !u || strlen(u) > 2000 || json_object_get(seen, u) ||
			    json_object_size(seen) >= MAX_SERVERS)
				continue;
			r = json_object_set_new(seen, u, json_true()) < 0 ? -ENOMEM : 0;
			if (r >= 0)
				r = catalog_plan_add(ret, strdup(u), NULL, strdup(u), false);
			if (r >= 0)
				ret->v[ret->n - 1].untrusted = true;
		}
	}
	json_decref(seen);
	return r;
}
