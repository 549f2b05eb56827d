/* SPDX-License-Identifier: MIT */
/* The collector's configuration (YAML), validated like the agent's. */
#ifndef HUOLTO_COLLECTOR_CONF_H
#define HUOLTO_COLLECTOR_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "alert_conf.h"
#include "catalog_conf.h"
#include "customer_conf.h"
#include "huolto/conf.h"
#include "huolto/err.h"
#include "pull_conf.h"

#define COLL_DEFAULT_CONFIG "/etc/huolto/collector.yaml"
#define COLL_DEFAULT_DB     "/var/lib/huolto-collector/collector.db"

struct coll_conf {
	char *path;                          /* the file read; NULL on defaults */
	char *listen;                        /* "127.0.0.1:8443" */
	char *tls_cert;                      /* tls.cert */
	char *tls_key;                       /* tls.key */
	char *client_ca;                     /* tls.client_ca, or NULL */
	char *sqlite;                        /* storage.sqlite */
	struct sockaddr_storage listen_addr; /* listen, parsed */
	int64_t max_body;                    /* limits.max_body, bytes */
	int64_t connections;                 /* limits.connections: open connections at most */
	int64_t timeout_ms;          /* limits.timeout: a connection idle this long is closed */
	int64_t in_flight;           /* limits.in_flight: bytes of bodies held at once, at most */
	int64_t threads;             /* threads: serving threads */
	int64_t grace_ms;            /* heartbeat.grace */
	struct alerts_conf alerts;   /* alerts; alerts.enabled when the section is there */
	struct catalog_conf catalog; /* catalog; catalog.enabled when the section is there */
	struct customers_conf customers; /* branding, customers */
	struct pull_conf pull;           /* pull, pull_options */
	struct hu_conf *yaml;            /* kept: the pull hosts' checks read their sections */
};

#define COLL_MAX_THREADS 64

/* "127.0.0.1:8443" or "[::1]:8443" (numeric addresses only). */
int coll_listen_parse(const char *s, struct sockaddr_storage *ret);

/* Read path; when it does not exist and required is false, the defaults. */
int coll_conf_load(const char *path, bool required, struct coll_conf *ret, struct hu_err *err);
void coll_conf_clear(struct coll_conf *c);

#endif
