/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pull_conf.h"

/* The keys a pull entry has of its own; the rest are an agent's (agent_conf_from_node). */
static const char *const own_keys[] = {
	"name",          "host",  "port",    "user",      "key", "known_hosts",
	"password_file", "every", "timeout", "state_dir", NULL,
};

static bool good_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n;
}

static int path_at(const struct hu_conf_node *n, const char *key, bool required, char **ret,
		   struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	int r;

	if (!v || hu_conf_is_null(v))
		return required ? hu_conf_error(n, err, -EINVAL, "a pull host needs %s", key) : 0;
	r = hu_conf_string(v, ret, err);
	if (r >= 0 && (*ret)[0] != '/')
		r = hu_conf_error(v, err, -EINVAL, "%s must be an absolute path", key);
	return r;
}

static int parse_host(const struct hu_conf_node *n, const char *state_root, struct pull_host *h,
		      struct hu_err *err)
{
	int64_t port = 22;
	char *state = NULL;
	int r;

	h->every_ms = 24LL * 3600000;
	h->timeout_ms = 30000;
	r = hu_conf_expect_mapping(n, "each entry of pull", err);
	if (r >= 0 && !hu_conf_get(n, "name"))
		r = hu_conf_error(n, err, -EINVAL, "a pull host needs a name");
	if (r >= 0)
		r = hu_conf_get_string(n, "name", &h->name, err);
	if (r >= 0 && !good_name(h->name))
		r = hu_conf_error(hu_conf_get(n, "name"), err, -EINVAL,
				  "pull name \"%s\": letters, digits, '.', '-' and '_' only",
				  h->name);
	if (r >= 0 && !hu_conf_get(n, "host"))
		r = hu_conf_error(n, err, -EINVAL, "pull host \"%s\" needs a host", h->name);
	if (r >= 0)
		r = hu_conf_get_string(n, "host", &h->host, err);
	if (r >= 0)
		r = hu_conf_get_int(n, "port", 1, 65535, &port, err);
	h->port = (unsigned)port;
	if (r >= 0 && !hu_conf_get(n, "user"))
		r = hu_conf_error(n, err, -EINVAL, "pull host \"%s\" needs a user", h->name);
	if (r >= 0)
		r = hu_conf_get_string(n, "user", &h->user, err);
	if (r >= 0)
		r = path_at(n, "password_file", false, &h->password_file, err);
	if (r >= 0)
		r = path_at(n, "key", !h->password_file, &h->key, err);
	if (r >= 0)
		r = path_at(n, "known_hosts", true, &h->known_hosts, err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "every", 60000, 30LL * 86400000, &h->every_ms, err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "timeout", 1000, 600000, &h->timeout_ms, err);
	if (r >= 0)
		r = path_at(n, "state_dir", false, &state, err);
	if (r >= 0 && !state && asprintf(&state, "%s/%s", state_root, h->name) < 0) {
		state = NULL;
		r = -ENOMEM;
	}
	if (r >= 0)
		r = agent_conf_from_node(n, own_keys, h->name, state, &h->agent, err);
	if (r >= 0 && h->agent.sites.n == 0)
		r = hu_conf_error(n, err, -EINVAL, "pull host \"%s\" lists no sites", h->name);
	free(state);
	return r;
}

int pull_conf_parse(const struct hu_conf_node *list, const struct hu_conf_node *options,
		    struct pull_conf *ret, struct hu_err *err)
{
	static const char *const option_keys[] = { "concurrency", "state_dir", NULL };
	struct pull_conf c = { .concurrency = 4 };
	char *state_root = NULL;
	int r = 0;

	if (options && !hu_conf_is_null(options)) {
		r = hu_conf_expect_mapping(options, "pull_options", err);
		if (r >= 0)
			r = hu_conf_check_keys(options, option_keys, err);
		if (r >= 0)
			r = hu_conf_get_int(options, "concurrency", 1, 256, &c.concurrency, err);
		if (r >= 0)
			r = path_at(options, "state_dir", false, &state_root, err);
	}
	if (r >= 0 && !state_root && !(state_root = strdup(PULL_DEFAULT_STATE_DIR)))
		r = -ENOMEM;
	if (r >= 0 && list && !hu_conf_is_null(list)) {
		if (list->type != HU_CONF_SEQUENCE)
			r = hu_conf_error(list, err, -EINVAL, "pull must be a list");
		if (r >= 0 && !(c.v = calloc(list->n_items ? list->n_items : 1, sizeof(*c.v))))
			r = -ENOMEM;
		for (size_t i = 0; r >= 0 && i < list->n_items; i++) {
			r = parse_host(list->items[i], state_root, &c.v[c.n], err);
			c.n++;
			if (r >= 0 && pull_conf_find(&c, c.v[c.n - 1].name) != &c.v[c.n - 1])
				r = hu_conf_error(hu_conf_get(list->items[i], "name"), err, -EINVAL,
						  "pull host \"%s\" is listed twice",
						  c.v[c.n - 1].name);
		}
	}
	free(state_root);
	if (r < 0) {
		pull_conf_clear(&c);
		return r;
	}
	*ret = c;
	return 0;
}

void pull_conf_clear(struct pull_conf *c)
{
	for (size_t i = 0; c && i < c->n; i++) {
		struct pull_host *h = &c->v[i];
		free(h->name);
		free(h->host);
		free(h->user);
		free(h->key);
		free(h->known_hosts);
		free(h->password_file);
		agent_conf_clear(&h->agent);
	}
	if (c) {
		free(c->v);
		*c = (struct pull_conf){ 0 };
	}
}

const struct pull_host *pull_conf_find(const struct pull_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].name && strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}
