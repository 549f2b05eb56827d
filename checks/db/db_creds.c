/* SPDX-License-Identifier: MIT */
/*
 * Database credentials from CMS configuration files, read as text (with
 * comments left out) through the host interface, never executed. Only
 * literal values can be known this way; a value computed at run time (an
 * environment variable, a concatenation) is reported as unknowable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../cms/cms.h"
#include "db.h"

void db_account_clear(struct db_account *a)
{
	if (!a)
		return;
	free(a->host);
	free(a->socket);
	free(a->user);
	if (a->password) {
		/* The password leaves memory with the account. */
		volatile char *p = a->password;
		while (*p)
			*p++ = '\0';
		free(a->password);
	}
	free(a->database);
	free(a->source);
	free(a->tls_ca);
	free(a->password_file);
	*a = (struct db_account){ 0 };
}

static bool is_local(const char *host)
{
	return !host || strcmp(host, "localhost") == 0;
}

char *db_account_server(const struct db_account *a)
{
	char *s = NULL;
	int r;

	if (is_local(a->host) && !a->port)
		r = asprintf(&s, "localhost:%s", a->socket ? a->socket : "(default socket)");
	else
		r = asprintf(&s, strchr(a->host, ':') ? "[%s]:%u" : "%s:%u", a->host,
			     a->port ? a->port : 3306);
	return r < 0 ? NULL : s;
}

char *db_account_target(const struct db_account *a)
{
	char *server = db_account_server(a), *s = NULL;

	if (server && asprintf(&s, "%s@%s", a->user ? a->user : "", server) < 0)
		s = NULL;
	free(server);
	return s;
}

int db_split_host(const char *value, struct db_account *a)
{
	const char *v = value, *colon;
	char *end;

	if (strncmp(v, "p:", 2) == 0) /* mysqli's persistent-connection prefix */
		v += 2;
	if (v[0] == '[') { /* [IPv6]:port */
		const char *close = strchr(v, ']');
		if (!close)
			return -EINVAL;
		a->host = strndup(v + 1, (size_t)(close - v - 1));
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strchr(v, ':');
		/* A bare IPv6 address has several colons and no port. */
		if (colon && strchr(colon + 1, ':') && colon[1] != '/')
			colon = NULL;
		a->host = colon ? strndup(v, (size_t)(colon - v)) : strdup(v);
	}
	if (!a->host)
		return -ENOMEM;
	if (a->host[0] == '\0') {
		free(a->host);
		a->host = strdup("localhost");
		if (!a->host)
			return -ENOMEM;
	}
	if (!colon)
		return 0;
	if (colon[1] == '/') {
		a->socket = strdup(colon + 1);
		return a->socket ? 0 : -ENOMEM;
	}
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535)
		return -EINVAL;
	a->port = (unsigned)port;
	return 0;
}

/* Read the configuration file at root/rel with its comments blanked. */
static int read_config(struct hu_host *h, const char *path, char **ret, size_t *ret_len)
{
	struct hu_file f = { 0 };
	int r = hu_host_read_file(h, path, CMS_MAX_CORE_FILE, &f, NULL);

	if (r < 0)
		return r;
	*ret = cms_php_strip_comments(f.data, f.len);
	*ret_len = f.len;
	hu_file_clear(&f);
	return *ret ? 0 : -ENOMEM;
}

/* r from a reader: 0 and -ENOMEM as they are, any other failure -EINVAL with *why = what. */
static int need(int r, const char *what, const char **why)
{
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		*why = what;
		return -EINVAL;
	}
	return 0;
}

static int finish(int r, struct db_account *a, const char *path, struct db_account *ret)
{
	if (r >= 0) {
		a->source = strdup(path);
		if (!a->source)
			r = -ENOMEM;
	}
	if (r < 0) {
		db_account_clear(a);
		return r;
	}
	*ret = *a;
	return 0;
}

/* The names of user, password, database and host, and the reasons they fail. */
struct php_names {
	int (*get)(const char *text, size_t len, const char *name, char **ret);
	const char *name[4];
	const char *why[5]; /* one per name, then "the host is malformed" */
};

/*
 * User (required), password, database and host (optional: absent means
 * none, or localhost) through n->get; a value that is there but not a
 * literal is -EINVAL with *why.
 */
static int php_creds(const struct php_names *n, const char *text, size_t len, struct db_account *a,
		     const char **why)
{
	char **dst[3] = { &a->user, &a->password, &a->database };
	char *host = NULL;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < 4; i++) {
		int g = n->get(text, len, n->name[i], i < 3 ? dst[i] : &host);
		r = g == -ENOENT && i > 0 ? 0 : need(g, n->why[i], why);
	}
	if (r >= 0)
		r = need(db_split_host(host ? host : "localhost", a), n->why[4], why);
	free(host);
	return r;
}

int db_creds_wordpress(struct hu_host *h, const char *root, struct db_account *ret,
		       const char **ret_why)
{
	static const struct php_names names = {
		cms_php_define,
		{ "DB_USER", "DB_PASSWORD", "DB_NAME", "DB_HOST" },
		{ "DB_USER is missing or not a literal", "DB_PASSWORD is not a literal",
		  "DB_NAME is not a literal", "DB_HOST is not a literal", "DB_HOST is malformed" },
	};
	struct db_account a = { 0 };
	char *path = NULL, *text = NULL;
	size_t len = 0;
	int r;

	r = cms_wp_config_path(h, root, &path);
	if (r < 0)
		return r;
	r = read_config(h, path, &text, &len);
	if (r >= 0)
		r = php_creds(&names, text, len, &a, ret_why);
	r = finish(r, &a, path, ret);
	free(text);
	free(path);
	return r;
}

/* The value of 'key' => literal in [p, end). */
static int array_value(const char *p, const char *end, const char *key, char **ret)
{
	size_t n = strlen(key);

	for (; p + n + 2 < end; p++) {
		if ((*p != '\'' && *p != '"') || p[n + 1] != *p || memcmp(p + 1, key, n) != 0)
			continue;
		const char *q = p + n + 2;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		if (q + 1 >= end || q[0] != '=' || q[1] != '>')
			continue;
		q += 2;
		return cms_php_literal(&q, end, ret);
	}
	return -ENOENT;
}

int db_creds_drupal(struct hu_host *h, const char *root, struct db_account *ret,
		    const char **ret_why)
{
	struct db_account a = { 0 };
	char *path = cms_path(root, "sites/default/settings.php"), *text = NULL;
	char *driver = NULL, *host = NULL, *port = NULL;
	size_t len = 0;
	int r;

	if (!path)
		return -ENOMEM;
	r = read_config(h, path, &text, &len);
	if (r < 0)
		goto out;
	/* The first assignment to $databases; its first connection is 'default'. */
	const char *start = strstr(text, "$databases"), *end = text + len;
	if (!start) {
		r = -ENOENT;
		goto out;
	}
	if (array_value(start, end, "driver", &driver) == 0 && strcmp(driver, "mysql") != 0) {
		*ret_why = "the database driver is not mysql";
		r = -EINVAL;
		goto out;
	}
	r = need(array_value(start, end, "username", &a.user), "'username' is not a literal",
		 ret_why);
	if (r >= 0) {
		int p = array_value(start, end, "password", &a.password);
		r = p == -ENOENT ? 0 : need(p, "'password' is not a literal", ret_why);
	}
	if (r >= 0)
		array_value(start, end, "database", &a.database);
	if (r >= 0 && array_value(start, end, "unix_socket", &a.socket) == -EINVAL)
		r = need(-EINVAL, "'unix_socket' is not a literal", ret_why);
	if (r >= 0 && array_value(start, end, "host", &host) == -EINVAL)
		r = need(-EINVAL, "'host' is not a literal", ret_why);
	if (r >= 0 && array_value(start, end, "port", &port) == 0 && *port) {
		char *e;
		unsigned long v = strtoul(port, &e, 10);
		if (*e || v == 0 || v > 65535)
			r = need(-EINVAL, "'port' is not a port number", ret_why);
		a.port = (unsigned)v;
	}
	if (r >= 0 && !(a.host = strdup(host && *host ? host : "localhost")))
		r = -ENOMEM;
out:
	r = finish(r, &a, path, ret);
	free(driver);
	free(host);
	free(port);
	free(text);
	free(path);
	return r;
}

int db_creds_joomla(struct hu_host *h, const char *root, struct db_account *ret,
		    const char **ret_why)
{
	static const struct php_names names = {
		cms_php_var,
		{ "user", "password", "db", "host" },
		{ "$user is missing or not a literal", "$password is not a literal",
		  "$db is not a literal", "$host is not a literal", "$host is malformed" },
	};
	struct db_account a = { 0 };
	char *path = cms_path(root, "configuration.php"), *text = NULL, *type = NULL;
	size_t len = 0;
	int r;

	if (!path)
		return -ENOMEM;
	r = read_config(h, path, &text, &len);
	if (r >= 0 && cms_php_var(text, len, "dbtype", &type) == 0 && strcmp(type, "mysqli") != 0 &&
	    strcmp(type, "mysql") != 0 && strcmp(type, "pdomysql") != 0) {
		*ret_why = "the database type is not MySQL";
		r = -EINVAL;
	}
	if (r >= 0)
		r = php_creds(&names, text, len, &a, ret_why);
	r = finish(r, &a, path, ret);
	free(type);
	free(text);
	free(path);
	return r;
}
