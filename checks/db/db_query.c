/* SPDX-License-Identifier: MIT */
/*
 * One connection per account with MariaDB Connector/C: connect and read
 * timeouts, no option files, no LOCAL INFILE, TLS with verification when a
 * CA is configured; then the server's limits and their use.
 */
#include <errno.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"

void db_values_clear(struct db_values *v)
{
	if (!v)
		return;
	free(v->version);
	free(v->flavour);
	free(v->max_used_connections_time);
	json_decref(v->connection_errors);
	*v = (struct db_values){ 0 };
}

static int64_t num(const char *s)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	return *end ? -1 : (int64_t)v;
}

/* Run q; each row's first two columns go to fn. */
static int rows(MYSQL *m, const char *q, void (*fn)(struct db_values *, MYSQL_ROW, unsigned),
		struct db_values *v, struct hu_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	if (mysql_query(m, q) != 0)
		return hu_err_set(err, -EIO, "%s", mysql_error(m));
	res = mysql_store_result(m);
	if (!res)
		return hu_err_set(err, -EIO, "%s", mysql_error(m));
	unsigned nf = mysql_num_fields(res);
	while ((row = mysql_fetch_row(res)))
		fn(v, row, nf);
	mysql_free_result(res);
	return 0;
}

static void take_vars(struct db_values *v, MYSQL_ROW row, unsigned nf)
{
	if (nf < 6)
		return;
	v->version = row[0] ? strdup(row[0]) : NULL;
	const char *comment = row[1] ? row[1] : "";
	bool maria =
	    (v->version && strstr(v->version, "MariaDB")) || strcasestr(comment, "mariadb");
	v->flavour = strdup(maria ? "MariaDB" : "MySQL");
	v->max_connections = num(row[2]);
	v->max_user_connections_global = num(row[3]);
	v->max_user_connections_session = num(row[4]);
	v->user_connections = num(row[5]);
}

static void take_status(struct db_values *v, MYSQL_ROW row, unsigned nf)
{
	const char *name, *val;

	if (nf < 2 || !row[0])
		return;
	name = row[0];
	val = row[1];
	if (strcasecmp(name, "Threads_connected") == 0)
		v->threads_connected = num(val);
	else if (strcasecmp(name, "Max_used_connections") == 0)
		v->max_used_connections = num(val);
	else if (strcasecmp(name, "Max_used_connections_time") == 0 && val)
		v->max_used_connections_time = strdup(val);
	else if (strcasecmp(name, "Uptime") == 0)
		v->uptime = num(val);
	else if (strcasecmp(name, "Aborted_connects") == 0)
		v->aborted_connects = num(val);
	if (strncasecmp(name, "Connection_errors_", 18) == 0) {
		if (strcasecmp(name, "Connection_errors_max_connections") == 0)
			v->connection_errors_max_connections = num(val);
		json_object_set_new(v->connection_errors, name + 18, json_integer(num(val)));
	}
}

int db_query(struct hu_host *host, const struct db_account *a, const struct db_limits *lim,
	     struct db_values *ret, unsigned *ret_errno, struct hu_err *err)
{
	struct db_values v = { .max_connections = -1,
			       .max_user_connections_global = -1,
			       .max_user_connections_session = -1,
			       .threads_connected = -1,
			       .max_used_connections = -1,
			       .uptime = -1,
			       .connection_errors_max_connections = -1,
			       .aborted_connects = -1,
			       .user_connections = -1,
			       .connection_errors = json_object() };
	unsigned ct = (unsigned)lim->connect_timeout_s, rt = (unsigned)lim->read_timeout_s;
	unsigned zero = 0;
	bool local = (!a->host || strcmp(a->host, "localhost") == 0) && !a->port;
	MYSQL *m = mysql_init(NULL);
	struct hu_forward *fw = NULL;
	int r = 0;

	*ret_errno = 0;
	if (!m || !v.connection_errors) {
		r = -ENOMEM;
		goto out;
	}
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rt);
	mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &zero);
	if (!local) {
		enum mysql_protocol_type tcp = MYSQL_PROTOCOL_TCP;
		mysql_options(m, MYSQL_OPT_PROTOCOL, &tcp);
	}
	if (a->tls_ca) {
		my_bool on = 1;
		mysql_options(m, MYSQL_OPT_SSL_CA, a->tls_ca);
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &on);
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
	}
	/* Checked over SSH: through a forward to the server as the checked machine sees it. */
	r = hu_host_forward(host, local ? NULL : a->host, local ? 0 : (a->port ? a->port : 3306),
			    local ? (a->socket ? a->socket : DB_DEFAULT_SOCKET) : NULL, &fw, err);
	if (r < 0)
		goto out;
	if (fw) {
		enum mysql_protocol_type tcp = MYSQL_PROTOCOL_TCP;
		mysql_options(m, MYSQL_OPT_PROTOCOL, &tcp);
	}
	if (!mysql_real_connect(m,
				fw      ? "127.0.0.1"
				: local ? "localhost"
					: a->host,
				a->user, a->password, NULL,
				fw      ? fw->port
				: local ? 0
					: (a->port ? a->port : 3306),
				fw || !local ? NULL : a->socket, 0)) {
		*ret_errno = mysql_errno(m);
		r = hu_err_set(err, -ECONNREFUSED, "%s", mysql_error(m));
		goto out;
	}
	r = rows(
	    m,
	    "SELECT VERSION(), @@version_comment, @@global.max_connections,"
	    " @@global.max_user_connections, @@session.max_user_connections,"
	    " (SELECT COUNT(*) FROM information_schema.PROCESSLIST"
	    "  WHERE USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AND ID <> CONNECTION_ID())",
	    take_vars, &v, err);
	if (r >= 0)
		r = rows(m,
			 "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected',"
			 " 'Max_used_connections', 'Max_used_connections_time', 'Uptime',"
			 " 'Aborted_connects') OR Variable_name LIKE 'Connection\\_errors\\_%'",
			 take_status, &v, err);
	if (r >= 0 && !v.version)
		r = hu_err_set(err, -EIO, "the server sent no version");
	if (r < 0)
		*ret_errno = mysql_errno(m);
out:
	if (m)
		mysql_close(m);
	hu_forward_close(fw);
	if (r < 0) {
		db_values_clear(&v);
		return r;
	}
	*ret = v;
	return 0;
}
