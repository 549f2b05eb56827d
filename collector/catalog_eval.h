/* SPDX-License-Identifier: MIT */
/*
 * Evaluating a report document against the catalog, on ingest and again
 * after each refresh: the collector's own findings join the agent's in the
 * same state and alerts.
 */
#ifndef HUOLTO_COLLECTOR_CATALOG_EVAL_H
#define HUOLTO_COLLECTOR_CATALOG_EVAL_H

#include <jansson.h>
#include <time.h>

#include "catalog_index.h"
#include "store.h"

/* The "origin" of a finding the collector added; agents' findings have none. */
#define CATALOG_ORIGIN STORE_ORIGIN_CATALOG

/*
 * Evaluate doc (a validated report document) in place:
 *   - every judged inventory item with something to say adds a finding
 *     (target: the item's path);
 *   - every database server the db check reached adds db.version_eol(_soon)
 *     or catalog.unknown/stale (target: the db finding's target);
 *   - the agent's own PHP verdicts (php.ok, php.eol, ...) are judged again
 *     with the catalog's PHP data when it is current, and replaced (facts
 *     agent_code: the agent's code); without current data the agent's
 *     verdict stands (facts catalog: catalog.unknown or catalog.stale);
 *   - each site's status becomes the worst of its findings.
 * Added and replaced findings carry "origin": "catalog", a replaced one
 * also "replaces": the agent's code (an agent's "origin" and "replaces"
 * are removed first: only the collector sets them). Returns 0 or
 * -ENOMEM.
 */
int catalog_eval_doc(const struct catalog_index *idx, json_t *doc, time_t now);

#endif
