/* SPDX-License-Identifier: MIT */
/*
 * Taking in one report document, the same way for HTTPS and for
 * `huolto-collector ingest`: parse, validate against the schema, check the
 * agent, store (committed before this returns).
 */
#ifndef HUOLTO_COLLECTOR_INGEST_H
#define HUOLTO_COLLECTOR_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "catalog_index.h"
#include "huolto/schema.h"
#include "store.h"

#define INGEST_ID_MAX 64

struct ingest_result {
	char id[INGEST_ID_MAX + 1];
	bool duplicate;         /* stored before: nothing changed */
	char field[128];        /* refused: the path of the first field at fault, or "" */
	unsigned alerts_queued; /* alert deliveries the document queued */
};

/*
 * Errors: -EBADMSG when the document is not valid JSON or not a valid
 * document (err names the line and column, or the field; ret->field has
 * the field's path); -EPERM when
 * agent is given and differs from the document's agent.name; others from
 * the store. With alerts, the findings are taken into the alert state.
 * With catalog (and an index loaded in it), the document is evaluated
 * against the catalog first (catalog_eval.h): the state gets the
 * collector's findings too; the stored text stays as received.
 */
int ingest(struct store *s, const struct hu_schema *schema, const struct store_alerts *alerts,
	   struct catalog_live *catalog, const char *text, size_t len, const char *agent,
	   time_t now, struct ingest_result *ret, struct hu_err *err);

#endif
