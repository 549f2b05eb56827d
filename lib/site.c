/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/json.h"
#include "huolto/site.h"

struct hu_site *hu_site_new(const char *name)
{
	struct hu_site *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name);
	if (!s->name || hu_strv_push(&s->names, name) < 0) {
		hu_site_free(s);
		return NULL;
	}
	return s;
}

void hu_site_free(struct hu_site *s)
{
	if (!s)
		return;
	free(s->name);
	hu_strv_clear(&s->names);
	free(s->docroot);
	for (size_t i = 0; i < s->n_https; i++)
		free(s->https[i].host);
	free(s->https);
	hu_strv_clear(&s->urls);
	free(s->mail_domain);
	hu_strv_clear(&s->cert_files);
	hu_strv_clear(&s->key_files);
	hu_strv_clear(&s->chain_files);
	hu_strv_clear(&s->php_handlers);
	for (size_t i = 0; i < s->n_origins; i++) {
		free(s->origins[i].source);
		free(s->origins[i].file);
	}
	free(s->origins);
	free(s);
}

int hu_site_add_https(struct hu_site *s, const char *host, uint16_t port)
{
	for (size_t i = 0; i < s->n_https; i++)
		if (s->https[i].port == port && strcmp(s->https[i].host, host) == 0)
			return 0;
	struct hu_endpoint *v = realloc(s->https, (s->n_https + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->https = v;
	char *h = strdup(host);
	if (!h)
		return -ENOMEM;
	s->https[s->n_https++] = (struct hu_endpoint){ h, port };
	return 0;
}

int hu_site_add_origin(struct hu_site *s, const char *source, const char *file, unsigned line)
{
	for (size_t i = 0; i < s->n_origins; i++)
		if (s->origins[i].line == line && strcmp(s->origins[i].source, source) == 0 &&
		    strcmp(s->origins[i].file, file) == 0)
			return 0;
	struct hu_origin *v = realloc(s->origins, (s->n_origins + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->origins = v;
	struct hu_origin o = { strdup(source), strdup(file), line };
	if (!o.source || !o.file) {
		free(o.source);
		free(o.file);
		return -ENOMEM;
	}
	s->origins[s->n_origins++] = o;
	return 0;
}

static int set_once(char **dst, const char *v)
{
	if (*dst || !v)
		return 0;
	*dst = strdup(v);
	return *dst ? 0 : -ENOMEM;
}

int hu_site_set_docroot(struct hu_site *s, const char *docroot)
{
	return set_once(&s->docroot, docroot);
}

int hu_site_merge(struct hu_site *dst, const struct hu_site *src)
{
	int r = 0;

	if (!r)
		r = hu_strv_merge(&dst->names, &src->names);
	if (!r)
		r = set_once(&dst->docroot, src->docroot);
	if (!r)
		r = set_once(&dst->mail_domain, src->mail_domain);
	for (size_t i = 0; !r && i < src->n_https; i++)
		r = hu_site_add_https(dst, src->https[i].host, src->https[i].port);
	if (!r)
		r = hu_strv_merge(&dst->urls, &src->urls);
	if (!r)
		r = hu_strv_merge(&dst->cert_files, &src->cert_files);
	if (!r)
		r = hu_strv_merge(&dst->key_files, &src->key_files);
	if (!r)
		r = hu_strv_merge(&dst->chain_files, &src->chain_files);
	if (!r)
		r = hu_strv_merge(&dst->php_handlers, &src->php_handlers);
	for (size_t i = 0; !r && i < src->n_origins; i++)
		r = hu_site_add_origin(dst, src->origins[i].source, src->origins[i].file,
				       src->origins[i].line);
	return r;
}

int hu_sites_push(struct hu_sites *ss, struct hu_site *s)
{
	if (!s)
		return -ENOMEM;
	if (ss->n == ss->cap) {
		size_t cap = ss->cap ? ss->cap * 2 : 16;
		struct hu_site **v = realloc(ss->v, cap * sizeof(*v));
		if (!v) {
			hu_site_free(s);
			return -ENOMEM;
		}
		ss->v = v;
		ss->cap = cap;
	}
	ss->v[ss->n++] = s;
	return 0;
}

struct hu_site *hu_sites_find(const struct hu_sites *ss, const char *name)
{
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->v[i]->name, name) == 0)
			return ss->v[i];
	return NULL;
}

struct hu_site *hu_sites_find_by_any_name(const struct hu_sites *ss, const char *name)
{
	for (size_t i = 0; i < ss->n; i++)
		if (hu_strv_contains(&ss->v[i]->names, name))
			return ss->v[i];
	return NULL;
}

static int cmp_site(const void *a, const void *b)
{
	return strcmp((*(struct hu_site *const *)a)->name, (*(struct hu_site *const *)b)->name);
}

void hu_sites_sort(struct hu_sites *ss)
{
	if (ss->n > 1)
		qsort(ss->v, ss->n, sizeof(*ss->v), cmp_site);
}

void hu_sites_clear(struct hu_sites *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->n; i++)
		hu_site_free(ss->v[i]);
	free(ss->v);
	*ss = (struct hu_sites)HU_SITES_INIT;
}

json_t *hu_site_to_json(const struct hu_site *s)
{
	json_t *https = json_array(), *origins = json_array();

	for (size_t i = 0; https && i < s->n_https; i++)
		json_array_append_new(https, json_pack("{s:s, s:i}", "host", s->https[i].host,
						       "port", (json_int_t)s->https[i].port));
	for (size_t i = 0; origins && i < s->n_origins; i++)
		json_array_append_new(
		    origins, json_pack("{s:s, s:s, s:i}", "source", s->origins[i].source, "file",
				       s->origins[i].file, "line", (json_int_t)s->origins[i].line));
	/* json_pack steals the "o" references, also on failure. */
	return json_pack("{s:s, s:o, s:s?, s:o, s:o, s:s?, s:o, s:o, s:o, s:o, s:o}", "name",
			 s->name, "names", hu_json_strv(&s->names), "docroot", s->docroot, "https",
			 https, "urls", hu_json_strv(&s->urls), "mail_domain", s->mail_domain,
			 "cert_files", hu_json_strv(&s->cert_files), "key_files",
			 hu_json_strv(&s->key_files), "chain_files", hu_json_strv(&s->chain_files),
			 "php_handlers", hu_json_strv(&s->php_handlers), "origins", origins);
}

int hu_site_name_is_concrete(const char *name)
{
	if (!name || !*name || strcmp(name, "_") == 0 || name[0] == '~')
		return 0;
	for (const char *p = name; *p; p++)
		if (*p == '*' || *p == '?' || *p == '$' || *p == '/' || *p == ' ' || *p == '(' ||
		    *p == '^' || *p == '[')
			return 0;
	return 1;
}
