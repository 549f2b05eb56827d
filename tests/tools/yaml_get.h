/* SPDX-License-Identifier: MIT */
/* Reading libyaml documents in test programs. */
#ifndef HUOLTO_TESTS_YAML_GET_H
#define HUOLTO_TESTS_YAML_GET_H

#include <string.h>
#include <yaml.h>

/* The value of key in a mapping node, or NULL. */
static inline yaml_node_t *yaml_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

#endif
