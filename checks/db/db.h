/* SPDX-License-Identifier: MIT */
/*
 * The db check: each site's database account, read from its CMS
 * configuration as text (or a monitoring account from the agent's
 * configuration), connected to once per run with MariaDB Connector/C, and
 * its server's connection limits compared with their use.
 *
 * db_creds.c reads credentials, db_query.c talks to the server,
 * db_state.c keeps counters between runs, db_judge.c turns values into
 * findings, db.c is the check.
 */
#ifndef HUOLTO_CHECKS_DB_H
#define HUOLTO_CHECKS_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "huolto/err.h"
#include "huolto/finding.h"
#include "huolto/host.h"

/* An account to connect with. The password is never copied into anything reported. */
struct db_account {
	char *host;    /* NULL or "localhost" with socket: a Unix socket */
	unsigned port; /* 0: the default, 3306 */
	char *socket;  /* Unix socket path, or NULL for the library's default */
	char *user;
	char *password;      /* may be NULL */
	char *database;      /* may be NULL */
	char *source;        /* the file it was read from, or "config" */
	char *tls_ca;        /* verify the server against this CA (TLS required), or NULL */
	char *password_file; /* db.accounts: read at each run, first line */
};

void db_account_clear(struct db_account *a);
/* "user@host:port" or "user@localhost:/run/mysqld/mysqld.sock" (malloc'd). */
char *db_account_target(const struct db_account *a);
/* The server's address without the user, the key of its counters (malloc'd). */
char *db_account_server(const struct db_account *a);

/*
 * Credentials of the CMS installed at root (WordPress wp-config.php, Drupal
 * sites/default/settings.php, Joomla configuration.php), read as text with
 * comments left out. Returns 0 and fills *ret; -ENOENT when there is no
 * configuration; -EINVAL with *ret_why (static text) when there is one whose
 * values cannot be known without running it (an expression, a non-MySQL
 * driver).
 */
int db_creds_wordpress(struct hu_host *h, const char *root, struct db_account *ret,
		       const char **ret_why);
int db_creds_drupal(struct hu_host *h, const char *root, struct db_account *ret,
		    const char **ret_why);
int db_creds_joomla(struct hu_host *h, const char *root, struct db_account *ret,
		    const char **ret_why);
/* Split a WordPress/Joomla host value ("h", "h:3307", "h:/sock", "[::1]:3307", "p:h"). */
int db_split_host(const char *value, struct db_account *a);

/* What one connection read. -1 for a value the server did not give. */
struct db_values {
	char *version; /* as the server reports it */
	char *flavour; /* "MariaDB" or "MySQL" */
	int64_t max_connections;
	int64_t max_user_connections_global;
	int64_t max_user_connections_session; /* the account's own limit when it has one */
	int64_t threads_connected;
	int64_t max_used_connections;
	char *max_used_connections_time;
	int64_t uptime;
	int64_t connection_errors_max_connections;
	json_t *connection_errors; /* every Connection_errors_* */
	int64_t aborted_connects;
	int64_t user_connections; /* the account's processlist rows, this connection left out */
};

void db_values_clear(struct db_values *v);

struct db_limits {
	int connect_timeout_s;
	int read_timeout_s;
};

/*
 * Connect and read; through a forward of host's when it is another machine
 * (hu_host_forward). On a failure to connect, returns a negative errno and
 * sets *ret_errno to the server's or library's error number (1045 access
 * denied, 1040 too many connections, 1226 user limit, 2002/2003 cannot
 * connect, ...) and err to its message (which never holds the password).
 */
int db_query(struct hu_host *host, const struct db_account *a, const struct db_limits *lim,
	     struct db_values *ret, unsigned *ret_errno, struct hu_err *err);

/* The Unix socket of "localhost" without one, reached over SSH (Debian's, and MariaDB's). */
#define DB_DEFAULT_SOCKET "/run/mysqld/mysqld.sock"

/* Counters kept between runs, per server. */
struct db_counter {
	int64_t uptime;
	int64_t refused; /* Connection_errors_max_connections */
	bool known;
};

/* The state file, as a JSON object (new reference; an empty object when there is none). */
json_t *db_state_load(const char *path, struct hu_err *err);
int db_state_save(const char *path, json_t *state, struct hu_err *err);
struct db_counter db_state_get(json_t *state, const char *server);
int db_state_set(json_t *state, const char *server, const struct db_counter *c, time_t now);

struct db_policy {
	int warn_percent;
	int critical_percent;
};

/*
 * The findings for one account: what was read (v), the counters of the
 * previous run (prev; prev->known false on the first), appended to out.
 */
int db_judge(const struct db_account *a, const struct db_values *v, const struct db_counter *prev,
	     const struct db_policy *p, struct hu_findings *out);
/* The finding for a failed connection. */
int db_judge_failure(const struct db_account *a, unsigned server_errno, const char *message,
		     struct hu_findings *out);

#endif
