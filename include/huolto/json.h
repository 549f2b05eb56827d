/* SPDX-License-Identifier: MIT */
/*
 * Small helpers between huolto's types and jansson.
 */
#ifndef HUOLTO_JSON_H
#define HUOLTO_JSON_H

#include <jansson.h>

#include "huolto/strv.h"

/* A JSON array of the strings (new reference), NULL on ENOMEM. */
json_t *hu_json_strv(const struct hu_strv *sv);

#endif
