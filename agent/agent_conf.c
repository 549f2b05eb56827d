/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_conf.h"
#include "huolto/check.h"

#define DEFAULT_NGINX_ROOT        "/etc/nginx"
#define DEFAULT_APACHE_ROOT       "/etc/apache2"
#define DEFAULT_STATE_DIR         "/var/lib/huolto"
#define AGENT_DEFAULT_MAX_WORKERS 8 /* the default: a worker per processor, this many at most */

void agent_conf_clear(struct agent_conf *c)
{
	if (!c)
		return;
	free(c->path);
	hu_conf_free(c->yaml);
	free(c->agent_name);
	free(c->state_dir);
	hu_sites_clear(&c->sites);
	free(c->nginx_root);
	free(c->apache_root);
	hu_resolver_conf_clear(&c->resolver);
	hu_strv_clear(&c->mail_outbound);
	submit_conf_clear(&c->collector);
	*c = (struct agent_conf){ 0 };
}

int agent_site_add_url(struct hu_site *s, const char *url, char **ret_error)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int r = 0;

	if (!u)
		return -ENOMEM;
	CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	if (uc != CURLUE_OK) {
		if (asprintf(ret_error, "not a URL: %s", curl_url_strerror(uc)) < 0)
			*ret_error = NULL;
		r = -EINVAL;
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		if (asprintf(ret_error, "scheme \"%s\" is not http or https", scheme) < 0)
			*ret_error = NULL;
		r = -EINVAL;
		goto out;
	}
	for (char *p = host; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	r = hu_strv_push_unique(&s->names, host);
	if (r >= 0)
		r = hu_strv_push_unique(&s->urls, url);
	if (r >= 0 && strcmp(scheme, "https") == 0)
		r = hu_site_add_https(s, host, (uint16_t)strtoul(port, NULL, 10));
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return r;
}

static int parse_site(struct agent_conf *c, const struct hu_conf_node *n, struct hu_err *err)
{
	static const char *const keys[] = { "name", "aliases",     "docroot",
					    "urls", "mail_domain", NULL };
	const struct hu_conf_node *v;
	struct hu_site *s = NULL;
	char *name = NULL;
	int r;

	r = hu_conf_expect_mapping(n, "each entry of sites", err);
	if (r < 0)
		return r;
	r = hu_conf_check_keys(n, keys, err);
	if (r < 0)
		return r;
	v = hu_conf_get(n, "name");
	if (!v)
		return hu_conf_error(n, err, -EINVAL, "a site needs a name");
	r = hu_conf_string(v, &name, err);
	if (r < 0)
		return r;
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (!hu_site_name_is_concrete(name)) {
		r = hu_conf_error(v, err, -EINVAL, "\"%s\" is not a host name", name);
		goto out;
	}
	if (hu_sites_find(&c->sites, name)) {
		r = hu_conf_error(v, err, -EINVAL, "site \"%s\" is listed twice", name);
		goto out;
	}
	s = hu_site_new(name);
	if (!s) {
		r = -ENOMEM;
		goto out;
	}
	r = hu_site_add_origin(s, "config", n->file, n->line);
	if (r >= 0)
		r = hu_conf_get_string(n, "docroot", &s->docroot, err);
	if (r >= 0 && s->docroot && s->docroot[0] != '/')
		r = hu_conf_error(hu_conf_get(n, "docroot"), err, -EINVAL,
				  "docroot must be an absolute path");
	if (r >= 0)
		r = hu_conf_get_string(n, "mail_domain", &s->mail_domain, err);
	v = hu_conf_get(n, "aliases");
	if (r >= 0 && v) {
		struct hu_strv aliases = HU_STRV_INIT;
		r = hu_conf_string_list(v, &aliases, err);
		for (size_t i = 0; r >= 0 && i < aliases.n; i++) {
			if (!hu_site_name_is_concrete(aliases.v[i]))
				r = hu_conf_error(v->items[i], err, -EINVAL,
						  "\"%s\" is not a host name", aliases.v[i]);
			else
				r = hu_strv_push_unique(&s->names, aliases.v[i]);
		}
		hu_strv_clear(&aliases);
	}
	v = hu_conf_get(n, "urls");
	if (r >= 0 && v) {
		struct hu_strv urls = HU_STRV_INIT;
		r = hu_conf_string_list(v, &urls, err);
		for (size_t i = 0; r >= 0 && i < urls.n; i++) {
			char *why = NULL;
			r = agent_site_add_url(s, urls.v[i], &why);
			if (r == -EINVAL)
				r = hu_conf_error(v->items[i], err, r, "\"%s\": %s", urls.v[i],
						  why ? why : "not a URL");
			free(why);
		}
		hu_strv_clear(&urls);
	}
	if (r >= 0) {
		r = hu_sites_push(&c->sites, s);
		s = NULL;
	}
out:
	hu_site_free(s);
	free(name);
	return r;
}

/* discover.nginx / discover.apache: a path, or false. */
static int parse_root(const struct hu_conf_node *n, const char *key, char **root,
		      struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);

	if (!v)
		return 0;
	if (v->type == HU_CONF_SCALAR && !v->quoted && strcmp(v->value, "false") == 0) {
		free(*root);
		*root = NULL;
		return 0;
	}
	if (v->type != HU_CONF_SCALAR || hu_conf_is_null(v) || v->value[0] != '/')
		return hu_conf_error(v, err, -EINVAL,
				     "discover.%s must be an absolute path or false", key);
	return hu_conf_string(v, root, err);
}

static int parse_agent_section(struct agent_conf *c, const struct hu_conf_node *n,
			       struct hu_err *err)
{
	static const char *const keys[] = { "name", "state_dir", "workers", NULL };
	int64_t workers = c->workers;
	int r;

	if (!n)
		return 0;
	r = hu_conf_expect_mapping(n, "the agent section", err);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "name", &c->agent_name, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "state_dir", &c->state_dir, err);
	if (r >= 0 && c->state_dir[0] != '/')
		r = hu_conf_error(hu_conf_get(n, "state_dir"), err, -EINVAL,
				  "state_dir must be an absolute path");
	if (r >= 0)
		r = hu_conf_get_int(n, "workers", 1, AGENT_MAX_WORKERS, &workers, err);
	c->workers = (unsigned)workers;
	return r;
}

/*
 * The sections at root: those named in core_keys (of "agent", "sites",
 * "discover", "resolver", "mail", "collector"), the checks', and the
 * caller's own (other_keys, read by the caller; may be NULL).
 */
static int parse_document(struct agent_conf *c, const struct hu_conf_node *root,
			  const char *const *core_keys, const char *const *other_keys,
			  struct hu_err *err)
{
	static const char *const discover_keys[] = { "nginx", "apache", NULL };
	static const char *const mail_keys[] = { "outbound", NULL };
	const char *allowed[64];
	const struct hu_conf_node *v;
	size_t n = 0;
	int r;

	if (!root)
		return 0; /* an empty file: defaults */
	r = hu_conf_expect_mapping(root, "the configuration", err);
	if (r < 0)
		return r;
	for (const char *const *k = core_keys; *k && n < 32; k++)
		allowed[n++] = *k;
	for (const struct hu_check_ops *const *ck = hu_checks; *ck && n < 48; ck++)
		allowed[n++] = (*ck)->name;
	for (const char *const *k = other_keys; k && *k && n < 63; k++)
		allowed[n++] = *k;
	allowed[n] = NULL;
	r = hu_conf_check_keys(root, allowed, err);
	if (r < 0)
		return r;
	r = parse_agent_section(c, hu_conf_get(root, "agent"), err);
	if (r >= 0)
		r = submit_conf_parse(hu_conf_get(root, "collector"), &c->collector, err);
	if (r < 0)
		return r;
	v = hu_conf_get(root, "sites");
	if (v && !hu_conf_is_null(v)) {
		if (v->type != HU_CONF_SEQUENCE)
			return hu_conf_error(v, err, -EINVAL, "sites must be a list");
		for (size_t i = 0; i < v->n_items; i++) {
			r = parse_site(c, v->items[i], err);
			if (r < 0)
				return r;
		}
	}
	v = hu_conf_get(root, "discover");
	if (v && !hu_conf_is_null(v)) {
		r = hu_conf_expect_mapping(v, "the discover section", err);
		if (r >= 0)
			r = hu_conf_check_keys(v, discover_keys, err);
		if (r >= 0)
			r = parse_root(v, "nginx", &c->nginx_root, err);
		if (r >= 0)
			r = parse_root(v, "apache", &c->apache_root, err);
		if (r < 0)
			return r;
	}
	v = hu_conf_get(root, "mail");
	if (v && !hu_conf_is_null(v)) {
		r = hu_conf_expect_mapping(v, "the mail section", err);
		if (r >= 0)
			r = hu_conf_check_keys(v, mail_keys, err);
		if (r >= 0)
			r = hu_conf_get_string_list(v, "outbound", &c->mail_outbound, err);
		c->mail_outbound_set = hu_conf_get(v, "outbound") != NULL;
		for (size_t i = 0; r >= 0 && i < c->mail_outbound.n; i++) {
			unsigned char a[16];
			if (inet_pton(AF_INET, c->mail_outbound.v[i], a) != 1 &&
			    inet_pton(AF_INET6, c->mail_outbound.v[i], a) != 1)
				r = hu_conf_error(hu_conf_get(v, "outbound")->items[i], err,
						  -EINVAL,
						  "mail.outbound: \"%s\" is not an IP address",
						  c->mail_outbound.v[i]);
		}
		if (r < 0)
			return r;
	}
	return hu_resolver_conf_parse(hu_conf_get(root, "resolver"), &c->resolver, err);
}

/* One worker per processor, at most AGENT_DEFAULT_MAX_WORKERS. */
static unsigned default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > AGENT_DEFAULT_MAX_WORKERS ? AGENT_DEFAULT_MAX_WORKERS : (unsigned)n;
}

int agent_conf_load(const char *path, bool required, struct agent_conf *ret, struct hu_err *err)
{
	static const char *const file_keys[] = { "agent", "sites",     "discover", "resolver",
						 "mail",  "collector", NULL };
	struct agent_conf c = { 0 };
	char host[256];
	int r;

	hu_resolver_conf_init(&c.resolver);
	submit_conf_init(&c.collector);
	c.nginx_root = strdup(DEFAULT_NGINX_ROOT);
	c.apache_root = strdup(DEFAULT_APACHE_ROOT);
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	c.agent_name = strdup(host);
	c.state_dir = strdup(DEFAULT_STATE_DIR);
	c.workers = default_workers();
	if (!c.nginx_root || !c.apache_root || !c.agent_name || !c.state_dir) {
		r = -ENOMEM;
		goto fail;
	}
	r = hu_conf_load_file(path, &c.yaml, err);
	if (r == -ENOENT && !required) {
		hu_err_clear(err);
		*ret = c;
		return 0;
	}
	if (r < 0)
		goto fail;
	c.path = strdup(path);
	if (!c.path) {
		r = -ENOMEM;
		goto fail;
	}
	c.root = c.yaml->root;
	r = parse_document(&c, c.root, file_keys, NULL, err);
	if (r < 0)
		goto fail;
	*ret = c;
	return 0;
fail:
	agent_conf_clear(&c);
	return r;
}

int agent_conf_from_node(const struct hu_conf_node *n, const char *const *own_keys,
			 const char *name, const char *state_dir, struct agent_conf *ret,
			 struct hu_err *err)
{
	static const char *const keys[] = { "sites", "resolver", "mail", NULL };
	struct agent_conf c = { .root = n, .workers = 1 };
	int r;

	hu_resolver_conf_init(&c.resolver);
	submit_conf_init(&c.collector);
	c.agent_name = strdup(name);
	c.state_dir = strdup(state_dir);
	if (!c.agent_name || !c.state_dir)
		r = -ENOMEM;
	else
		r = parse_document(&c, n, keys, own_keys, err);
	if (r < 0) {
		agent_conf_clear(&c);
		return r;
	}
	*ret = c;
	return 0;
}

const struct hu_conf_node *agent_conf_section(const struct agent_conf *c, const char *name)
{
	return c->root ? hu_conf_get(c->root, name) : NULL;
}
