/* SPDX-License-Identifier: MIT */
/* Pieces the collector's configuration sections share (alerts, catalog). */
#ifndef HUOLTO_COLLECTOR_CONF_UTIL_H
#define HUOLTO_COLLECTOR_CONF_UTIL_H

#include "huolto/conf.h"
#include "huolto/err.h"

/* A mapping at key of n, its keys checked; *ret NULL when absent or null. */
int conf_sub(const struct hu_conf_node *n, const char *key, const char *what,
	     const char *const *keys, const struct hu_conf_node **ret, struct hu_err *err);

/*
 * The URL at key of n ("what.key" in errors), its scheme one of schemes
 * ("a|b"); left as it is when absent.
 */
int conf_url(const struct hu_conf_node *n, const char *what, const char *key, const char *schemes,
	     char **ret, struct hu_err *err);

/* The absolute path at key of n; left as it is when absent. */
int conf_path(const struct hu_conf_node *n, const char *what, const char *key, char **ret,
	      struct hu_err *err);

#endif
