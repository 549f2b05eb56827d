/* SPDX-License-Identifier: MIT */
/*
 * huolto-collector serve: HTTPS with libmicrohttpd (GnuTLS), a pool of
 * serving threads, per-connection limits. Requests are checked here
 * (method, path, type, length, credential) before any body is read; the
 * answers come from api.c.
 */
#ifndef HUOLTO_COLLECTOR_HTTP_H
#define HUOLTO_COLLECTOR_HTTP_H

#include <stdint.h>

#include "catalog_index.h"
#include "coll_conf.h"
#include "huolto/err.h"
#include "huolto/schema.h"
#include "store.h"

struct server;

/*
 * Start serving conf->listen; store and schema must outlive the server.
 * With catalog (conf->catalog.enabled), documents are evaluated with its
 * index and a catalog thread refreshes the feeds (catalog_worker.h).
 */
int server_start(const struct coll_conf *conf, struct store *store, const struct hu_schema *schema,
		 struct catalog_live *catalog, struct server **ret, struct hu_err *err);
/* The port bound (useful with port 0). */
uint16_t server_port(const struct server *srv);
/* Stop: open requests finish or are cut at their timeout; then free. */
void server_stop(struct server *srv);

#endif
