/* SPDX-License-Identifier: MIT */
/* huolto-collector catalog refresh|status. */
#ifndef HUOLTO_COLLECTOR_CATALOG_CMD_H
#define HUOLTO_COLLECTOR_CATALOG_CMD_H

#include "coll_conf.h"

/* args[0] is "catalog"; returns the exit status. format: text (NULL) or json. */
int catalog_cmd(const struct coll_conf *conf, char **args, int n_args, const char *format);

#endif
