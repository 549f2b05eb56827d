/* SPDX-License-Identifier: MIT */
/*
 * Configuration: YAML (libyaml) read into a small tree whose every node
 * knows its file, line and column, with typed getters that report errors
 * as "file:line:column: message". Each consumer (the agent core, each
 * check) reads its own subtree and rejects keys it does not know.
 *
 * Anchors, aliases, tags and multiple documents are refused: configuration
 * is plain data.
 */
#ifndef HUOLTO_CONF_H
#define HUOLTO_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huolto/err.h"
#include "huolto/strv.h"

enum hu_conf_type {
	HU_CONF_SCALAR,
	HU_CONF_SEQUENCE,
	HU_CONF_MAPPING,
};

struct hu_conf_node;

struct hu_conf_pair {
	struct hu_conf_node *key; /* always a scalar */
	struct hu_conf_node *value;
};

struct hu_conf_node {
	enum hu_conf_type type;
	const char *file; /* owned by the struct hu_conf */
	unsigned line;    /* 1-based */
	unsigned column;  /* 1-based */
	/* scalar */
	char *value;
	bool quoted;
	/* sequence */
	struct hu_conf_node **items;
	size_t n_items;
	/* mapping */
	struct hu_conf_pair *pairs;
	size_t n_pairs;
};

struct hu_conf {
	char *file;
	struct hu_conf_node *root; /* NULL for an empty document */
};

/* Limits on what a configuration may hold. */
#define HU_CONF_MAX_BYTES (4u << 20)
#define HU_CONF_MAX_DEPTH 32
#define HU_CONF_MAX_NODES 100000

/* Load a file. -ENOENT when it does not exist; other errors name file:line:column. */
int hu_conf_load_file(const char *path, struct hu_conf **ret, struct hu_err *err);
/* Load from memory; name is used in error messages. */
int hu_conf_load_string(const char *name, const char *text, size_t len, struct hu_conf **ret,
			struct hu_err *err);
void hu_conf_free(struct hu_conf *c);

/* Return code, with err set to "file:line:column: <message>" at node n. */
int hu_conf_error(const struct hu_conf_node *n, struct hu_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* n must be a mapping (what names it in the message: "the php section"). */
int hu_conf_expect_mapping(const struct hu_conf_node *n, const char *what, struct hu_err *err);
/*
 * Every key of mapping n must be in allowed (NULL-terminated); keys must be
 * unique. The error names the key and lists the allowed ones.
 */
int hu_conf_check_keys(const struct hu_conf_node *n, const char *const *allowed,
		       struct hu_err *err);
/* The value of key in mapping n, or NULL when absent (or n is NULL). */
const struct hu_conf_node *hu_conf_get(const struct hu_conf_node *n, const char *key);

/* A plain "null", "~" or empty scalar. */
bool hu_conf_is_null(const struct hu_conf_node *n);

/*
 * Typed readers of one node. Each returns 0 and sets *ret, or a negative
 * errno with err naming the node's position and what was expected.
 */
int hu_conf_string(const struct hu_conf_node *n, char **ret, struct hu_err *err);
int hu_conf_bool(const struct hu_conf_node *n, bool *ret, struct hu_err *err);
int hu_conf_int(const struct hu_conf_node *n, int64_t min, int64_t max, int64_t *ret,
		struct hu_err *err);
/* "500ms", "30s", "5m", "6h", "7d", "2w" (one number and one unit) → milliseconds. */
int hu_conf_duration_ms(const struct hu_conf_node *n, int64_t min_ms, int64_t max_ms, int64_t *ret,
			struct hu_err *err);
/* "8MiB", "512KiB", "1GiB", "100B" or a plain number of bytes → bytes. */
int hu_conf_size(const struct hu_conf_node *n, int64_t min, int64_t max, int64_t *ret,
		 struct hu_err *err);
/* A sequence of strings (a single string is refused: say what you mean). */
int hu_conf_string_list(const struct hu_conf_node *n, struct hu_strv *ret, struct hu_err *err);

/*
 * Key-based variants for mapping n: when key is absent they return 0 and
 * leave *ret as it was, so defaults are set before the call.
 */
int hu_conf_get_string(const struct hu_conf_node *n, const char *key, char **ret,
		       struct hu_err *err);
int hu_conf_get_bool(const struct hu_conf_node *n, const char *key, bool *ret, struct hu_err *err);
int hu_conf_get_int(const struct hu_conf_node *n, const char *key, int64_t min, int64_t max,
		    int64_t *ret, struct hu_err *err);
int hu_conf_get_duration_ms(const struct hu_conf_node *n, const char *key, int64_t min_ms,
			    int64_t max_ms, int64_t *ret, struct hu_err *err);
int hu_conf_get_size(const struct hu_conf_node *n, const char *key, int64_t min, int64_t max,
		     int64_t *ret, struct hu_err *err);
/* Replaces *ret's contents when key is present. */
int hu_conf_get_string_list(const struct hu_conf_node *n, const char *key, struct hu_strv *ret,
			    struct hu_err *err);

/* Parse a size as hu_conf_size does (-EINVAL when malformed, -ERANGE when too big). */
int hu_size_parse(const char *s, int64_t *ret);
/* Parse a duration string as hu_conf_duration_ms does (-EINVAL when malformed). */
int hu_duration_parse_ms(const char *s, int64_t *ret);

#endif
