/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coll_conf.h"
#include "huolto/conf.h"

void coll_conf_clear(struct coll_conf *c)
{
	free(c->path);
	free(c->listen);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->client_ca);
	free(c->sqlite);
	alerts_conf_clear(&c->alerts);
	catalog_conf_clear(&c->catalog);
	customers_conf_clear(&c->customers);
	pull_conf_clear(&c->pull);
	hu_conf_free(c->yaml);
	*c = (struct coll_conf){ 0 };
}

int coll_listen_parse(const char *s, struct sockaddr_storage *ret)
{
	const char *colon = strrchr(s, ':');
	char host[INET6_ADDRSTRLEN + 2];
	char *end;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host))
		return -EINVAL;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end || errno || port > 65535)
		return -EINVAL;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	memset(ret, 0, sizeof(*ret));
	if (host[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ret;
		size_t n = strlen(host);
		if (n < 3 || host[n - 1] != ']')
			return -EINVAL;
		host[n - 1] = 0;
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return -EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		return 0;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ret;
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -EINVAL;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return 0;
}

/* An absolute path at key of n (null allowed when nullable). */
static int get_path(const struct hu_conf_node *n, const char *key, bool nullable, char **ret,
		    struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);

	if (!v)
		return 0;
	if (nullable && hu_conf_is_null(v)) {
		free(*ret);
		*ret = NULL;
		return 0;
	}
	int r = hu_conf_get_string(n, key, ret, err);
	if (r >= 0 && (*ret)[0] != '/')
		r = hu_conf_error(v, err, -EINVAL, "%s must be an absolute path", key);
	return r;
}

static int section(const struct hu_conf_node *root, const char *name, const char *const *keys,
		   const struct hu_conf_node **ret, struct hu_err *err)
{
	const struct hu_conf_node *n = hu_conf_get(root, name);
	int r = 0;

	*ret = NULL;
	if (!n || hu_conf_is_null(n))
		return 0;
	r = hu_conf_expect_mapping(n, name, err);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0)
		*ret = n;
	return r;
}

static int parse(struct coll_conf *c, const struct hu_conf_node *root, struct hu_err *err)
{
	static const char *const top[] = { "listen",   "tls",       "storage", "limits",
					   "threads",  "heartbeat", "alerts",  "catalog",
					   "branding", "customers", "pull",    "pull_options",
					   NULL };
	static const char *const tls_keys[] = { "cert", "key", "client_ca", NULL };
	static const char *const storage_keys[] = { "sqlite", NULL };
	static const char *const limits_keys[] = { "max_body", "connections", "timeout",
						   "in_flight", NULL };
	static const char *const heartbeat_keys[] = { "grace", NULL };
	const struct hu_conf_node *n;
	int r;

	r = hu_conf_expect_mapping(root, "the configuration", err);
	if (r >= 0)
		r = hu_conf_check_keys(root, top, err);
	if (r >= 0)
		r = hu_conf_get_string(root, "listen", &c->listen, err);
	if (r >= 0 && coll_listen_parse(c->listen, &c->listen_addr) < 0)
		r = hu_conf_error(hu_conf_get(root, "listen"), err, -EINVAL,
				  "listen: expected ADDRESS:PORT with a numeric address, e.g. "
				  "\"127.0.0.1:8443\" or \"[::1]:8443\", not \"%s\"",
				  c->listen);
	if (r >= 0)
		r = hu_conf_get_int(root, "threads", 1, COLL_MAX_THREADS, &c->threads, err);
	if (r >= 0 && (r = section(root, "tls", tls_keys, &n, err)) >= 0 && n) {
		r = get_path(n, "cert", false, &c->tls_cert, err);
		if (r >= 0)
			r = get_path(n, "key", false, &c->tls_key, err);
		if (r >= 0)
			r = get_path(n, "client_ca", true, &c->client_ca, err);
	}
	if (r >= 0 && (r = section(root, "storage", storage_keys, &n, err)) >= 0 && n)
		r = get_path(n, "sqlite", false, &c->sqlite, err);
	if (r >= 0 && (r = section(root, "limits", limits_keys, &n, err)) >= 0 && n) {
		r = hu_conf_get_size(n, "max_body", 1024, 1024LL * 1024 * 1024, &c->max_body, err);
		if (r >= 0)
			r = hu_conf_get_int(n, "connections", 1, 65536, &c->connections, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(n, "timeout", 1000, 3600000, &c->timeout_ms,
						    err);
		if (r >= 0)
			r = hu_conf_get_size(n, "in_flight", 1024, 64LL * 1024 * 1024 * 1024,
					     &c->in_flight, err);
		if (r >= 0 && c->in_flight < c->max_body)
			r = hu_conf_error(
			    hu_conf_get(n, "in_flight") ? hu_conf_get(n, "in_flight") : n, err,
			    -EINVAL, "limits.in_flight must be at least limits.max_body");
	}
	if (r >= 0 && (r = section(root, "heartbeat", heartbeat_keys, &n, err)) >= 0 && n)
		r = hu_conf_get_duration_ms(n, "grace", 1000, 365LL * 86400000, &c->grace_ms, err);
	if (r >= 0)
		r = alerts_conf_parse(hu_conf_get(root, "alerts"), &c->alerts, err);
	c->alerts.store.grace_s = c->grace_ms / 1000;
	if (r >= 0)
		r = catalog_conf_parse(hu_conf_get(root, "catalog"), &c->catalog, err);
	if (r >= 0)
		r = customers_conf_parse(hu_conf_get(root, "branding"),
					 hu_conf_get(root, "customers"), &c->customers, err);
	if (r >= 0)
		r = pull_conf_parse(hu_conf_get(root, "pull"), hu_conf_get(root, "pull_options"),
				    &c->pull, err);
	return r;
}

int coll_conf_load(const char *path, bool required, struct coll_conf *ret, struct hu_err *err)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct coll_conf c = {
		.max_body = 8LL * 1024 * 1024,
		.connections = 256,
		.timeout_ms = 30000,
		.in_flight = 256LL * 1024 * 1024,
		.threads = cpus < 1   ? 1
			   : cpus > 8 ? 8
				      : cpus,
		.grace_ms = 26LL * 3600000,
	};
	struct hu_conf *yaml = NULL;
	int r;

	alerts_conf_init(&c.alerts);
	catalog_conf_init(&c.catalog);
	c.listen = strdup("127.0.0.1:8443");
	c.sqlite = strdup(COLL_DEFAULT_DB);
	if (!c.listen || !c.sqlite || coll_listen_parse(c.listen, &c.listen_addr) < 0) {
		coll_conf_clear(&c);
		return -ENOMEM;
	}
	r = hu_conf_load_file(path, &yaml, err);
	if (r == -ENOENT && !required) {
		hu_err_clear(err);
		r = catalog_conf_parse(NULL, &c.catalog, err);
		if (r >= 0)
			r = customers_conf_parse(NULL, NULL, &c.customers, err);
		if (r < 0)
			coll_conf_clear(&c);
		else
			*ret = c;
		return r;
	}
	if (r >= 0 && yaml->root)
		r = parse(&c, yaml->root, err);
	else if (r >= 0)
		r = catalog_conf_parse(NULL, &c.catalog, err);
	if (r >= 0 && !yaml->root)
		r = customers_conf_parse(NULL, NULL, &c.customers, err);
	if (r >= 0 && !(c.path = strdup(path)))
		r = -ENOMEM;
	c.yaml = yaml;
	if (r < 0) {
		coll_conf_clear(&c);
		return r;
	}
	*ret = c;
	return 0;
}
