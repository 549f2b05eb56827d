/* SPDX-License-Identifier: MIT */
/* huolto-collector site show NAME: a site's current findings and inventory. */
#ifndef HUOLTO_COLLECTOR_SITE_CMD_H
#define HUOLTO_COLLECTOR_SITE_CMD_H

#include "catalog_index.h"
#include "store.h"

/*
 * args[0] is "site". idx (may be NULL: no catalog) gives each inventory
 * item its latest version and status. format: text (NULL) or json.
 * Returns the exit status.
 */
int site_cmd(struct store *s, const struct catalog_index *idx, char **args, int n_args,
	     const char *format);

#endif
