/* SPDX-License-Identifier: MIT */
/*
 * The "resolver:" configuration section.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/resolver.h"

void hu_resolver_conf_init(struct hu_resolver_conf *c)
{
	*c = (struct hu_resolver_conf){
		.servers = HU_STRV_INIT,
		.timeout_ms = HU_RESOLVER_TIMEOUT_MS_DEFAULT,
		.attempts = HU_RESOLVER_ATTEMPTS_DEFAULT,
		.use_hosts = true,
		.max_in_flight = HU_RESOLVER_MAX_IN_FLIGHT_DEFAULT,
	};
}

void hu_resolver_conf_clear(struct hu_resolver_conf *c)
{
	if (!c)
		return;
	hu_strv_clear(&c->servers);
	for (size_t i = 0; i < c->n_statics; i++) {
		free(c->statics[i].name);
		hu_strv_clear(&c->statics[i].addrs);
	}
	free(c->statics);
	c->statics = NULL;
	c->n_statics = 0;
}

static bool is_ip_literal(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int hu_resolver_parse_server(const char *s, char *ret_host, size_t host_len, uint16_t *ret_port)
{
	char host[64];
	const char *port = NULL;
	size_t hl;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end)
			return -EINVAL;
		hl = (size_t)(end - s - 1);
		if (hl == 0 || hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return -EINVAL;
	} else {
		const char *colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL; /* a bare IPv6 address */
		hl = colon ? (size_t)(colon - s) : strlen(s);
		if (hl == 0 || hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (colon)
			port = colon + 1;
	}
	if (!is_ip_literal(host))
		return -EINVAL;
	unsigned long p = 53;
	if (port) {
		char *end = NULL;
		if (!*port || !isdigit((unsigned char)*port))
			return -EINVAL;
		p = strtoul(port, &end, 10);
		if (*end || p == 0 || p > 65535)
			return -EINVAL;
	}
	if (strlen(host) >= host_len)
		return -ENAMETOOLONG;
	memcpy(ret_host, host, strlen(host) + 1);
	*ret_port = (uint16_t)p;
	return 0;
}

/* Lowercase, without a trailing dot; NULL when the name is not usable. */
static char *normalize_name(const char *name)
{
	size_t n = strlen(name);
	char *s;

	if (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return NULL;
	s = strndup(name, n);
	if (!s)
		return NULL;
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static int parse_statics(const struct hu_conf_node *n, struct hu_resolver_conf *c,
			 struct hu_err *err)
{
	int r = hu_conf_expect_mapping(n, "resolver.static", err);

	if (r < 0)
		return r;
	if (n->n_pairs) {
		c->statics = calloc(n->n_pairs, sizeof(*c->statics));
		if (!c->statics)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct hu_conf_node *k = n->pairs[i].key, *v = n->pairs[i].value;
		struct hu_resolver_static *st = &c->statics[c->n_statics];

		st->name = normalize_name(k->value);
		if (!st->name)
			return hu_conf_error(k, err, -EINVAL, "not a host name: \"%s\"", k->value);
		c->n_statics++;
		for (size_t j = 0; j + 1 < c->n_statics; j++)
			if (strcmp(c->statics[j].name, st->name) == 0)
				return hu_conf_error(k, err, -EINVAL, "duplicate name \"%s\"",
						     k->value);
		r = hu_conf_string_list(v, &st->addrs, err);
		if (r < 0)
			return r;
		if (st->addrs.n == 0)
			return hu_conf_error(v, err, -EINVAL,
					     "resolver.static.%s needs at least one address",
					     k->value);
		for (size_t j = 0; j < v->n_items; j++)
			if (!is_ip_literal(st->addrs.v[j]))
				return hu_conf_error(v->items[j], err, -EINVAL,
						     "not an IPv4 or IPv6 address: \"%s\"",
						     st->addrs.v[j]);
	}
	return 0;
}

int hu_resolver_conf_parse(const struct hu_conf_node *n, struct hu_resolver_conf *c,
			   struct hu_err *err)
{
	static const char *const keys[] = { "servers",       "timeout_ms", "attempts", "use_hosts",
					    "max_in_flight", "static",     NULL };
	const struct hu_conf_node *v;
	int64_t i64;
	int r;

	if (!n || hu_conf_is_null(n))
		return 0;
	r = hu_conf_expect_mapping(n, "the resolver section", err);
	if (r < 0)
		return r;
	r = hu_conf_check_keys(n, keys, err);
	if (r < 0)
		return r;
	v = hu_conf_get(n, "servers");
	if (v) {
		r = hu_conf_string_list(v, &c->servers, err);
		if (r < 0)
			return r;
		for (size_t i = 0; i < c->servers.n; i++) {
			char host[64];
			uint16_t port;
			if (hu_resolver_parse_server(c->servers.v[i], host, sizeof(host), &port) <
			    0)
				return hu_conf_error(v->items[i], err, -EINVAL,
						     "not a nameserver address (IP, IP:PORT or "
						     "[IPv6]:PORT): \"%s\"",
						     c->servers.v[i]);
		}
	}
	i64 = c->timeout_ms;
	r = hu_conf_get_int(n, "timeout_ms", 10, 60000, &i64, err);
	if (r < 0)
		return r;
	c->timeout_ms = (int)i64;
	i64 = c->attempts;
	r = hu_conf_get_int(n, "attempts", 1, 10, &i64, err);
	if (r < 0)
		return r;
	c->attempts = (int)i64;
	i64 = c->max_in_flight;
	r = hu_conf_get_int(n, "max_in_flight", 1, 1024, &i64, err);
	if (r < 0)
		return r;
	c->max_in_flight = (int)i64;
	r = hu_conf_get_bool(n, "use_hosts", &c->use_hosts, err);
	if (r < 0)
		return r;
	v = hu_conf_get(n, "static");
	if (v && !hu_conf_is_null(v)) {
		r = parse_statics(v, c, err);
		if (r < 0)
			return r;
	}
	return 0;
}
