/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "huolto/buf.h"
#include "huolto/conf.h"
#include "huolto/fileio.h"

struct parse_state {
	yaml_parser_t parser;
	const char *file;
	size_t nodes;
	struct hu_err *err;
};

static void node_free(struct hu_conf_node *n)
{
	if (!n)
		return;
	free(n->value);
	for (size_t i = 0; i < n->n_items; i++)
		node_free(n->items[i]);
	free(n->items);
	for (size_t i = 0; i < n->n_pairs; i++) {
		node_free(n->pairs[i].key);
		node_free(n->pairs[i].value);
	}
	free(n->pairs);
	free(n);
}

void hu_conf_free(struct hu_conf *c)
{
	if (!c)
		return;
	node_free(c->root);
	free(c->file);
	free(c);
}

static int mark_error(struct parse_state *ps, const yaml_mark_t *m, int code, const char *what)
{
	return hu_err_set(ps->err, code, "%s:%zu:%zu: %s", ps->file, m->line + 1, m->column + 1,
			  what);
}

static int parser_error(struct parse_state *ps)
{
	const yaml_parser_t *p = &ps->parser;
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;

	if (p->error == YAML_MEMORY_ERROR)
		return hu_err_set(ps->err, -ENOMEM, "%s: out of memory", ps->file);
	return hu_err_set(ps->err, -EINVAL, "%s:%zu:%zu: YAML syntax error: %s%s%s", ps->file,
			  m->line + 1, m->column + 1, p->problem ? p->problem : "malformed",
			  p->context ? " " : "", p->context ? p->context : "");
}

static int next_event(struct parse_state *ps, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&ps->parser, ev))
		return parser_error(ps);
	return 0;
}

static struct hu_conf_node *node_new(struct parse_state *ps, enum hu_conf_type type,
				     const yaml_mark_t *m)
{
	struct hu_conf_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->type = type;
	n->file = ps->file;
	n->line = (unsigned)m->line + 1;
	n->column = (unsigned)m->column + 1;
	return n;
}

static int parse_node(struct parse_state *ps, yaml_event_t *ev, unsigned depth,
		      struct hu_conf_node **ret);

/* Parse the items of a sequence or mapping until its end event. */
static int parse_children(struct parse_state *ps, struct hu_conf_node *n, unsigned depth)
{
	for (;;) {
		yaml_event_t ev;
		struct hu_conf_node *child = NULL, *value = NULL;
		int r = next_event(ps, &ev);
		if (r < 0)
			return r;
		if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		r = parse_node(ps, &ev, depth + 1, &child);
		if (r < 0)
			return r;
		if (n->type == HU_CONF_SEQUENCE) {
			struct hu_conf_node **v = realloc(n->items, (n->n_items + 1) * sizeof(*v));
			if (!v) {
				node_free(child);
				return -ENOMEM;
			}
			n->items = v;
			n->items[n->n_items++] = child;
			continue;
		}
		/* Mapping: child is the key; the value follows. */
		if (child->type != HU_CONF_SCALAR) {
			r = hu_err_set(ps->err, -EINVAL, "%s:%u:%u: a mapping key must be a scalar",
				       ps->file, child->line, child->column);
			node_free(child);
			return r;
		}
		r = next_event(ps, &ev);
		if (r >= 0)
			r = parse_node(ps, &ev, depth + 1, &value);
		if (r < 0) {
			node_free(child);
			return r;
		}
		struct hu_conf_pair *p = realloc(n->pairs, (n->n_pairs + 1) * sizeof(*p));
		if (!p) {
			node_free(child);
			node_free(value);
			return -ENOMEM;
		}
		n->pairs = p;
		n->pairs[n->n_pairs++] = (struct hu_conf_pair){ child, value };
	}
}

/* Takes ownership of ev (deleted in every case). */
static int parse_node(struct parse_state *ps, yaml_event_t *ev, unsigned depth,
		      struct hu_conf_node **ret)
{
	struct hu_conf_node *n = NULL;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	int r = 0;

	if (depth > HU_CONF_MAX_DEPTH) {
		r = mark_error(ps, &ev->start_mark, -EINVAL, "nested too deeply");
		goto out;
	}
	if (++ps->nodes > HU_CONF_MAX_NODES) {
		r = mark_error(ps, &ev->start_mark, -E2BIG, "too many values");
		goto out;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	case YAML_ALIAS_EVENT:
		r = mark_error(ps, &ev->start_mark, -EINVAL,
			       "aliases are not supported in configuration");
		goto out;
	default:
		r = mark_error(ps, &ev->start_mark, -EINVAL, "unexpected YAML structure");
		goto out;
	}
	if (anchor) {
		r = mark_error(ps, &ev->start_mark, -EINVAL,
			       "anchors are not supported in configuration");
		goto out;
	}
	if (tag) {
		r = mark_error(ps, &ev->start_mark, -EINVAL,
			       "explicit tags are not supported in configuration");
		goto out;
	}
	if (ev->type == YAML_SCALAR_EVENT) {
		n = node_new(ps, HU_CONF_SCALAR, &ev->start_mark);
		if (!n) {
			r = -ENOMEM;
			goto out;
		}
		n->value = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		if (!n->value) {
			r = -ENOMEM;
			goto out;
		}
		if (strlen(n->value) != ev->data.scalar.length) {
			r = mark_error(ps, &ev->start_mark, -EINVAL, "NUL byte in a value");
			goto out;
		}
	} else {
		n = node_new(
		    ps, ev->type == YAML_SEQUENCE_START_EVENT ? HU_CONF_SEQUENCE : HU_CONF_MAPPING,
		    &ev->start_mark);
		if (!n) {
			r = -ENOMEM;
			goto out;
		}
		yaml_event_delete(ev);
		r = parse_children(ps, n, depth);
		if (r < 0)
			goto out_node;
		*ret = n;
		return 0;
	}
out:
	yaml_event_delete(ev);
out_node:
	if (r < 0) {
		node_free(n);
		return r;
	}
	*ret = n;
	return 0;
}

static int expect_event(struct parse_state *ps, yaml_event_type_t type)
{
	yaml_event_t ev;
	int r = next_event(ps, &ev);

	if (r < 0)
		return r;
	if (ev.type != type)
		r = mark_error(ps, &ev.start_mark, -EINVAL,
			       type == YAML_DOCUMENT_END_EVENT || type == YAML_STREAM_END_EVENT
				   ? "only one YAML document is allowed"
				   : "unexpected YAML structure");
	yaml_event_delete(&ev);
	return r;
}

int hu_conf_load_string(const char *name, const char *text, size_t len, struct hu_conf **ret,
			struct hu_err *err)
{
	struct parse_state ps = { .err = err };
	struct hu_conf *c = NULL;
	yaml_event_t ev;
	int r;

	if (len > HU_CONF_MAX_BYTES)
		return hu_err_set(err, -EFBIG, "%s: larger than %u bytes", name, HU_CONF_MAX_BYTES);
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->file = strdup(name);
	if (!c->file) {
		free(c);
		return -ENOMEM;
	}
	ps.file = c->file;
	if (!yaml_parser_initialize(&ps.parser)) {
		hu_conf_free(c);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&ps.parser, (const unsigned char *)text, len);

	r = expect_event(&ps, YAML_STREAM_START_EVENT);
	if (r < 0)
		goto out;
	r = next_event(&ps, &ev);
	if (r < 0)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev); /* empty file: no root */
		goto done;
	}
	if (ev.type != YAML_DOCUMENT_START_EVENT) {
		r = mark_error(&ps, &ev.start_mark, -EINVAL, "unexpected YAML structure");
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev);
	r = next_event(&ps, &ev);
	if (r < 0)
		goto out;
	r = parse_node(&ps, &ev, 0, &c->root);
	if (r < 0)
		goto out;
	if (c->root->type == HU_CONF_SCALAR && !c->root->quoted && hu_conf_is_null(c->root)) {
		node_free(c->root); /* a document of only "~" or comments */
		c->root = NULL;
	}
	r = expect_event(&ps, YAML_DOCUMENT_END_EVENT);
	if (r < 0)
		goto out;
	r = expect_event(&ps, YAML_STREAM_END_EVENT);
	if (r < 0)
		goto out;
done:
	yaml_parser_delete(&ps.parser);
	*ret = c;
	return 0;
out:
	yaml_parser_delete(&ps.parser);
	hu_conf_free(c);
	return r;
}

int hu_conf_load_file(const char *path, struct hu_conf **ret, struct hu_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int r = hu_read_local_file(path, HU_CONF_MAX_BYTES, &text, &len, NULL, err);

	if (r < 0)
		return r;
	r = hu_conf_load_string(path, text, len, ret, err);
	free(text);
	return r;
}

int hu_conf_error(const struct hu_conf_node *n, struct hu_err *err, int code, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return code;
	if (n)
		hu_err_set(err, code, "%s:%u:%u: %s", n->file, n->line, n->column, msg);
	else
		hu_err_set(err, code, "%s", msg);
	free(msg);
	return code;
}

static const char *type_name(const struct hu_conf_node *n)
{
	switch (n->type) {
	case HU_CONF_SEQUENCE:
		return "a list";
	case HU_CONF_MAPPING:
		return "a mapping";
	case HU_CONF_SCALAR:
		break;
	}
	if (!n->quoted && hu_conf_is_null(n))
		return "nothing (null)";
	return n->quoted ? "a string" : "a scalar";
}

int hu_conf_expect_mapping(const struct hu_conf_node *n, const char *what, struct hu_err *err)
{
	if (n && n->type == HU_CONF_MAPPING)
		return 0;
	return hu_conf_error(n, err, -EINVAL, "%s must be a mapping, not %s", what,
			     n ? type_name(n) : "nothing");
}

int hu_conf_check_keys(const struct hu_conf_node *n, const char *const *allowed, struct hu_err *err)
{
	if (!n || n->type != HU_CONF_MAPPING)
		return 0;
	for (size_t i = 0; i < n->n_pairs; i++) {
		const struct hu_conf_node *k = n->pairs[i].key;
		bool ok = false;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, k->value) == 0)
				ok = true;
		if (!ok) {
			struct hu_buf list = HU_BUF_INIT(0);
			for (const char *const *a = allowed; *a; a++)
				hu_buf_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
			hu_conf_error(k, err, -EINVAL, "unknown key \"%s\" (expected one of: %s)",
				      k->value, list.data ? list.data : "none");
			hu_buf_clear(&list);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(n->pairs[j].key->value, k->value) == 0)
				return hu_conf_error(k, err, -EINVAL,
						     "duplicate key \"%s\" (first at line %u)",
						     k->value, n->pairs[j].key->line);
	}
	return 0;
}

const struct hu_conf_node *hu_conf_get(const struct hu_conf_node *n, const char *key)
{
	if (!n || n->type != HU_CONF_MAPPING)
		return NULL;
	for (size_t i = 0; i < n->n_pairs; i++)
		if (strcmp(n->pairs[i].key->value, key) == 0)
			return n->pairs[i].value;
	return NULL;
}

bool hu_conf_is_null(const struct hu_conf_node *n)
{
	if (!n || n->type != HU_CONF_SCALAR || n->quoted)
		return false;
	const char *v = n->value;
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

int hu_conf_string(const struct hu_conf_node *n, char **ret, struct hu_err *err)
{
	if (n->type != HU_CONF_SCALAR || hu_conf_is_null(n))
		return hu_conf_error(n, err, -EINVAL, "expected a string, not %s", type_name(n));
	char *s = strdup(n->value);
	if (!s)
		return -ENOMEM;
	free(*ret);
	*ret = s;
	return 0;
}

int hu_conf_bool(const struct hu_conf_node *n, bool *ret, struct hu_err *err)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };

	if (n->type == HU_CONF_SCALAR && !n->quoted)
		for (size_t i = 0; i < 3; i++) {
			if (strcmp(n->value, yes[i]) == 0) {
				*ret = true;
				return 0;
			}
			if (strcmp(n->value, no[i]) == 0) {
				*ret = false;
				return 0;
			}
		}
	return hu_conf_error(n, err, -EINVAL, "expected true or false, not %s%s%s%s", type_name(n),
			     n->type == HU_CONF_SCALAR ? " \"" : "",
			     n->type == HU_CONF_SCALAR ? n->value : "",
			     n->type == HU_CONF_SCALAR ? "\"" : "");
}

int hu_conf_int(const struct hu_conf_node *n, int64_t min, int64_t max, int64_t *ret,
		struct hu_err *err)
{
	char *end = NULL;
	long long v;

	if (n->type != HU_CONF_SCALAR || n->quoted || hu_conf_is_null(n))
		return hu_conf_error(n, err, -EINVAL, "expected an integer, not %s", type_name(n));
	errno = 0;
	v = strtoll(n->value, &end, 10);
	if (errno || end == n->value || *end)
		return hu_conf_error(n, err, -EINVAL, "expected an integer, not \"%s\"", n->value);
	if (v < min || v > max)
		return hu_conf_error(n, err, -ERANGE,
				     "%lld is out of range (%" PRId64 "..%" PRId64 ")", v, min,
				     max);
	*ret = v;
	return 0;
}

/* A unit and what one of it is worth. */
struct unit {
	const char *name;
	int64_t scale;
};

/* A non-negative decimal number followed directly by one of units. */
static int parse_scaled(const char *s, const struct unit *units, size_t n, int64_t *ret)
{
	char *end = NULL;
	long long v;

	if (!s || !(*s >= '0' && *s <= '9'))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v < 0)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(end, units[i].name) == 0) {
			if (v > INT64_MAX / units[i].scale)
				return -ERANGE;
			*ret = v * units[i].scale;
			return 0;
		}
	return -EINVAL;
}

int hu_duration_parse_ms(const char *s, int64_t *ret)
{
	static const struct unit units[] = {
		{ "ms", 1 },      { "s", 1000 },     { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 }, { "w", 604800000 },
	};

	/* A bare number is refused (its unit would be a guess), except 0. */
	if (s && strcmp(s, "0") == 0) {
		*ret = 0;
		return 0;
	}
	return parse_scaled(s, units, sizeof(units) / sizeof(*units), ret);
}

int hu_size_parse(const char *s, int64_t *ret)
{
	static const struct unit units[] = {
		{ "", 1 },
		{ "B", 1 },
		{ "KiB", 1024 },
		{ "MiB", 1024 * 1024 },
		{ "GiB", 1024 * 1024 * 1024 },
	};

	return parse_scaled(s, units, sizeof(units) / sizeof(*units), ret);
}

int hu_conf_size(const struct hu_conf_node *n, int64_t min, int64_t max, int64_t *ret,
		 struct hu_err *err)
{
	int64_t v = 0;
	int r;

	if (n->type != HU_CONF_SCALAR || hu_conf_is_null(n))
		return hu_conf_error(n, err, -EINVAL,
				     "expected a size such as 512KiB, 8MiB or 1GiB, not %s",
				     type_name(n));
	r = hu_size_parse(n->value, &v);
	if (r == -EINVAL)
		return hu_conf_error(n, err, -EINVAL,
				     "expected a size such as 512KiB, 8MiB or 1GiB, not \"%s\"",
				     n->value);
	if (r < 0 || v < min || v > max)
		return hu_conf_error(n, err, -ERANGE,
				     "size \"%s\" is out of range (%" PRId64 "..%" PRId64 " bytes)",
				     n->value, min, max);
	*ret = v;
	return 0;
}

int hu_conf_get_size(const struct hu_conf_node *n, const char *key, int64_t min, int64_t max,
		     int64_t *ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	return v ? hu_conf_size(v, min, max, ret, err) : 0;
}

int hu_conf_duration_ms(const struct hu_conf_node *n, int64_t min_ms, int64_t max_ms, int64_t *ret,
			struct hu_err *err)
{
	int64_t v;

	if (n->type != HU_CONF_SCALAR || hu_conf_is_null(n))
		return hu_conf_error(n, err, -EINVAL,
				     "expected a duration such as 30s, 5m, 6h or 7d, not %s",
				     type_name(n));
	if (hu_duration_parse_ms(n->value, &v) < 0)
		return hu_conf_error(n, err, -EINVAL,
				     "expected a duration such as 500ms, 30s, 5m, 6h, 7d or 2w, "
				     "not \"%s\"",
				     n->value);
	if (v < min_ms || v > max_ms)
		return hu_conf_error(n, err, -ERANGE,
				     "duration \"%s\" is out of range (%" PRId64 "ms..%" PRId64
				     "ms)",
				     n->value, min_ms, max_ms);
	*ret = v;
	return 0;
}

int hu_conf_string_list(const struct hu_conf_node *n, struct hu_strv *ret, struct hu_err *err)
{
	struct hu_strv v = HU_STRV_INIT;

	if (n->type != HU_CONF_SEQUENCE)
		return hu_conf_error(n, err, -EINVAL, "expected a list of strings, not %s",
				     type_name(n));
	for (size_t i = 0; i < n->n_items; i++) {
		char *s = NULL;
		int r = hu_conf_string(n->items[i], &s, err);
		if (r < 0 || (r = hu_strv_push_owned(&v, s)) < 0) {
			hu_strv_clear(&v);
			return r;
		}
	}
	hu_strv_clear(ret);
	*ret = v;
	return 0;
}

int hu_conf_get_string(const struct hu_conf_node *n, const char *key, char **ret,
		       struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	return v ? hu_conf_string(v, ret, err) : 0;
}

int hu_conf_get_bool(const struct hu_conf_node *n, const char *key, bool *ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	return v ? hu_conf_bool(v, ret, err) : 0;
}

int hu_conf_get_int(const struct hu_conf_node *n, const char *key, int64_t min, int64_t max,
		    int64_t *ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	return v ? hu_conf_int(v, min, max, ret, err) : 0;
}

int hu_conf_get_duration_ms(const struct hu_conf_node *n, const char *key, int64_t min_ms,
			    int64_t max_ms, int64_t *ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	return v ? hu_conf_duration_ms(v, min_ms, max_ms, ret, err) : 0;
}

int hu_conf_get_string_list(const struct hu_conf_node *n, const char *key, struct hu_strv *ret,
			    struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	return v ? hu_conf_string_list(v, ret, err) : 0;
}
