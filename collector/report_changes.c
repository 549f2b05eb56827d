/* SPDX-License-Identifier: MIT */
/*
 * The work the month's documents show: what differs between the site in the
 * month's first document and in its last. Installed items updated, added
 * or removed; the PHP serving the site; each HTTPS endpoint's certificate;
 * each mail domain's SPF, DMARC and MX records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"

/* One area's state as {key: {name, value, kind}}. */
typedef void (*collect_fn)(const json_t *site, json_t *into);

static void put(json_t *into, const char *key, const char *name, const char *value,
		const char *kind)
{
	if (key && value)
		json_object_set_new(into, key,
				    json_pack("{s:s,s:s,s:s?}", "name", name ? name : key, "value",
					      value, "kind", kind));
}

static void collect_inventory(const json_t *site, json_t *into)
{
	size_t i;
	json_t *it;
	char key[1200];

	json_array_foreach(json_object_get(site, "inventory"), i, it)
	{
		const char *kind = json_string_value(json_object_get(it, "kind"));
		const char *path = json_string_value(json_object_get(it, "path"));
		const char *name = json_string_value(json_object_get(it, "name"));
		const char *version = json_string_value(json_object_get(it, "version"));
		snprintf(key, sizeof(key), "%s\t%s", kind ? kind : "", path ? path : "");
		put(into, key, name ? name : json_string_value(json_object_get(it, "slug")),
		    version ? version : "", kind);
	}
}

static void collect_php(const json_t *site, json_t *into)
{
	size_t i;
	json_t *p;

	json_array_foreach(json_object_get(site, "php"), i, p)
	{
		const char *handler = json_string_value(json_object_get(p, "handler"));
		put(into, handler, handler, json_string_value(json_object_get(p, "version")), NULL);
	}
}

static void collect_certs(const json_t *site, json_t *into)
{
	size_t i;
	json_t *f;
	char key[512], value[512];

	json_array_foreach(json_object_get(site, "findings"), i, f)
	{
		const json_t *facts = json_object_get(f, "facts");
		const char *fp = json_string_value(json_object_get(facts, "fingerprint_sha256"));
		const char *name = json_string_value(json_object_get(facts, "name"));
		const char *until = json_string_value(json_object_get(facts, "not_after"));
		if (!fp || !name || json_object_get(facts, "file"))
			continue;
		snprintf(key, sizeof(key), "%s:%lld", name,
			 (long long)json_integer_value(json_object_get(facts, "port")));
		/* Compared by fingerprint; shown by its end date. */
		snprintf(value, sizeof(value), "%s\t%s", until ? until : "", fp);
		put(into, key, key, value, NULL);
	}
}

/* The MX list as "10 mx1.example.fi, 20 mx2.example.fi". */
static char *mx_text(const json_t *mx)
{
	char *out = NULL;
	size_t n = 0, i;
	json_t *e;
	FILE *f = open_memstream(&out, &n);

	if (!f)
		return NULL;
	json_array_foreach(mx, i, e)
	    fprintf(f, "%s%lld %s", i ? ", " : "",
		    (long long)json_integer_value(json_object_get(e, "preference")),
		    json_string_value(json_object_get(e, "exchange")));
	fclose(f);
	return out;
}

static void collect_mail(const json_t *site, json_t *into)
{
	size_t i;
	json_t *f;
	char key[600];

	json_array_foreach(json_object_get(site, "findings"), i, f)
	{
		const char *code = json_string_value(json_object_get(f, "code"));
		const json_t *facts = json_object_get(f, "facts");
		const char *domain = json_string_value(json_object_get(facts, "domain"));
		const char *area = NULL;
		if (!code || !domain)
			continue;
		if (strncmp(code, "spf.", 4) == 0)
			area = "spf";
		else if (strncmp(code, "dmarc.", 6) == 0)
			area = "dmarc";
		else if (strncmp(code, "mx.", 3) == 0)
			area = "mx";
		else
			continue;
		snprintf(key, sizeof(key), "%s\t%s", area, domain);
		if (strcmp(area, "mx") == 0 && json_is_array(json_object_get(facts, "mx"))) {
			char *text = mx_text(json_object_get(facts, "mx"));
			put(into, key, domain, text, area);
			free(text);
		} else if (json_is_string(json_object_get(facts, "record"))) {
			put(into, key, domain, json_string_value(json_object_get(facts, "record")),
			    area);
		}
	}
}

/* A change of area: what is "updated", "added", "removed" or "changed". */
static void change(json_t *out, const char *area, const char *what, const json_t *e,
		   const char *from, const char *to)
{
	json_array_append_new(out, json_pack("{s:s,s:s,s:O,s:O?,s:s?,s:s?}", "area", area, "what",
					     what, "name", json_object_get(e, "name"), "kind",
					     json_object_get(e, "kind"), "from", from, "to", to));
}

static const char *value_of(const json_t *e)
{
	return json_string_value(json_object_get(e, "value"));
}

static void diff(json_t *out, const char *area, collect_fn collect, const json_t *first,
		 const json_t *last, bool additions)
{
	json_t *a = json_object(), *b = json_object();
	const char *k;
	json_t *e;

	collect(first, a);
	collect(last, b);
	json_object_foreach(b, k, e)
	{
		json_t *was = json_object_get(a, k);
		if (was && strcmp(value_of(was), value_of(e)) != 0)
			change(out, area, strcmp(area, "cms") == 0 ? "updated" : "changed", e,
			       value_of(was), value_of(e));
		else if (!was && additions)
			change(out, area, "added", e, NULL, value_of(e));
	}
	json_object_foreach(a, k, e) if (additions && !json_object_get(b, k))
	    change(out, area, "removed", e, value_of(e), NULL);
	json_decref(a);
	json_decref(b);
}

json_t *report_changes(const json_t *first, const json_t *last)
{
	json_t *out = json_array();

	if (!out)
		return NULL;
	diff(out, "cms", collect_inventory, first, last, true);
	diff(out, "php", collect_php, first, last, false);
	diff(out, "tls", collect_certs, first, last, false);
	diff(out, "mail", collect_mail, first, last, true);
	/* A renewed certificate is shown by its end dates, not its fingerprints. */
	size_t i;
	json_t *c;
	json_array_foreach(out, i, c)
	{
		const char *area = json_string_value(json_object_get(c, "area"));
		if (strcmp(area, "tls") != 0)
			continue;
		json_object_set_new(c, "what", json_string("renewed"));
		for (int j = 0; j < 2; j++) {
			const char *key = j ? "to" : "from";
			const char *v = json_string_value(json_object_get(c, key));
			const char *tab = v ? strchr(v, '\t') : NULL;
			if (tab)
				json_object_set_new(c, key, json_stringn(v, (size_t)(tab - v)));
		}
	}
	return out;
}
