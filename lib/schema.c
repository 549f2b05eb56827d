/* SPDX-License-Identifier: MIT */
/* The report document's schema from docs/report-schema.md, and checking a document against it. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/schema.h"
#include "huolto/strmap.h"

/* Type bits of a field. */
enum {
	T_OBJECT = 1 << 0,
	T_ARRAY = 1 << 1,
	T_STRING = 1 << 2,
	T_INTEGER = 1 << 3,
	T_NUMBER = 1 << 4,
	T_BOOLEAN = 1 << 5,
	T_NULL = 1 << 6,
};

struct field {
	char *path; /* sites[].name */
	unsigned types;
	const char *type_text; /* as documented, for messages */
	bool required;
	bool free_form;
	unsigned line;
	/* The required direct children of this field (indexes), for objects. */
	size_t *required_children;
	size_t n_required;
};

struct hu_schema {
	struct field *f;
	size_t n;
	struct hu_strmap by_path; /* path -> field index + 1 */
	size_t *top_required;     /* required fields of the document itself */
	size_t n_top_required;
	char *text; /* the type texts point into it */
};

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Whether word is one of the words of text (separated by spaces, "|" or ","). */
static bool has_word(const char *text, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = text; (p = strstr(p, word)); p += wl) {
		bool start = p == text || p[-1] == ' ' || p[-1] == '|';
		bool end = p[wl] == '\0' || p[wl] == ' ' || p[wl] == '|' || p[wl] == ',';
		if (start && end)
			return true;
	}
	return false;
}

static unsigned parse_types(const char *text)
{
	static const struct {
		const char *word;
		unsigned bit;
	} words[] = {
		{ "object", T_OBJECT },   { "array", T_ARRAY },   { "string", T_STRING },
		{ "integer", T_INTEGER }, { "number", T_NUMBER }, { "boolean", T_BOOLEAN },
		{ "null", T_NULL },
	};
	unsigned t = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (has_word(text, words[i].word))
			t |= words[i].bit;
	return t;
}

static int push_index(size_t **v, size_t *n, size_t i)
{
	size_t *p = realloc(*v, (*n + 1) * sizeof(**v));

	if (!p)
		return -ENOMEM;
	p[(*n)++] = i;
	*v = p;
	return 0;
}

/* The parent of path ("" for a top-level field), in place: returns its length. */
static size_t parent_len(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? (size_t)(dot - path) : 0;
}

/* One table row, in place in line; 0 when it is not a field row. */
static int add_row(struct hu_schema *s, char *line, unsigned ln)
{
	char *cells[4], *p = line + 1;
	int n = 0;

	for (char *bar; n < 4 && (bar = strchr(p, '|')); p = bar + 1) {
		*bar = '\0';
		cells[n++] = trim(p);
	}
	size_t pl = n == 4 ? strlen(cells[0]) : 0;
	if (pl < 3 || cells[0][0] != '`' || cells[0][pl - 1] != '`')
		return 0;
	cells[0][pl - 1] = '\0';
	struct field *v = realloc(s->f, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->f = v;
	struct field *f = &s->f[s->n];
	*f = (struct field){
		.path = strdup(cells[0] + 1),
		.types = parse_types(cells[1]),
		.type_text = cells[1],
		.required = strcmp(cells[2], "yes") == 0,
		.free_form = strstr(cells[1], "free-form") != NULL,
		.line = ln,
	};
	if (!f->path)
		return -ENOMEM;
	s->n++;
	return hu_strmap_put(&s->by_path, f->path, (void *)(uintptr_t)s->n);
}

static const struct field *find(const struct hu_schema *s, const char *path)
{
	uintptr_t i = (uintptr_t)hu_strmap_get(&s->by_path, path);

	return i ? &s->f[i - 1] : NULL;
}

/* Link each required field to its parent object (or the document). */
static int link_required(struct hu_schema *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *p = s->f[i].path;
		if (!s->f[i].required || strstr(p + parent_len(p), "[]"))
			continue; /* array items are checked as items, not as keys */
		size_t pl = parent_len(p);
		if (pl == 0) {
			if (push_index(&s->top_required, &s->n_top_required, i) < 0)
				return -ENOMEM;
			continue;
		}
		char *parent = strndup(p, pl);
		if (!parent)
			return -ENOMEM;
		uintptr_t pi = (uintptr_t)hu_strmap_get(&s->by_path, parent);
		free(parent);
		if (pi &&
		    push_index(&s->f[pi - 1].required_children, &s->f[pi - 1].n_required, i) < 0)
			return -ENOMEM;
	}
	return 0;
}

int hu_schema_parse(const char *name, const char *text, size_t len, struct hu_schema **ret,
		    struct hu_err *err)
{
	struct hu_schema *s = calloc(1, sizeof(*s));
	unsigned ln = 0;
	int r = 0;

	if (!s || !(s->text = strndup(text, len))) {
		free(s);
		return -ENOMEM;
	}
	for (char *line = s->text, *next; line && r >= 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		if (strncmp(line, "| `", 3) == 0)
			r = add_row(s, line, ln);
	}
	if (r >= 0)
		r = link_required(s);
	if (r >= 0 && s->n < 10)
		r = hu_err_set(err, -EINVAL, "%s: only %zu field rows; is it the schema?", name,
			       s->n);
	if (r < 0) {
		hu_schema_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

void hu_schema_free(struct hu_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->f[i].path);
		free(s->f[i].required_children);
	}
	free(s->f);
	free(s->top_required);
	hu_strmap_clear(&s->by_path, NULL);
	free(s->text);
	free(s);
}

size_t hu_schema_size(const struct hu_schema *s)
{
	return s->n;
}

/* ---- checking ----------------------------------------------------------- */

struct check {
	const struct hu_schema *s;
	unsigned flags;
	size_t max;
	long problems;
	hu_schema_report_fn report;
	void *ctx;
	bool *seen;
	struct hu_buf spath; /* the schema path: sites[].name */
	struct hu_buf dpath; /* the document path: sites[3].name */
	bool nomem;
};

static void problem(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct check *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if ((size_t)c->problems++ >= c->max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->report(c->ctx, c->dpath.len ? c->dpath.data : "(document)", msg);
}

static unsigned type_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return T_OBJECT;
	case JSON_ARRAY:
		return T_ARRAY;
	case JSON_STRING:
		return T_STRING;
	case JSON_INTEGER:
		return T_INTEGER;
	case JSON_REAL:
		return T_NUMBER;
	case JSON_TRUE:
	case JSON_FALSE:
		return T_BOOLEAN;
	default:
		return T_NULL;
	}
}

static const char *type_name(unsigned t)
{
	static const char *const names[] = { "an object", "an array",  "a string", "an integer",
					     "a number",  "a boolean", "null" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (t == 1u << i)
			return names[i];
	return "?";
}

/* Append s to b (paths are built for every value: no printf on this path). */
static void put(struct check *c, struct hu_buf *b, const char *s)
{
	if (hu_buf_append(b, s, strlen(s)) < 0)
		c->nomem = true;
}

/* Append "[i]" to the document path. */
static void put_index(struct check *c, size_t i)
{
	char buf[24], *p = buf + sizeof(buf);

	*--p = '\0';
	*--p = ']';
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10) > 0);
	*--p = '[';
	put(c, &c->dpath, p);
}

/* Append to both paths; returns the lengths to restore. */
static void push(struct check *c, const char *skey, const char *dkey, size_t *sl, size_t *dl)
{
	*sl = c->spath.len;
	*dl = c->dpath.len;
	put(c, &c->spath, skey);
	put(c, &c->dpath, dkey);
}

static void pop(struct check *c, size_t sl, size_t dl)
{
	c->spath.len = sl;
	c->dpath.len = dl;
	if (c->spath.data)
		c->spath.data[sl] = '\0';
	if (c->dpath.data)
		c->dpath.data[dl] = '\0';
}

static void check_value(struct check *c, const struct field *f, json_t *v);

static void check_object(struct check *c, const size_t *req, size_t n_req, json_t *obj)
{
	const char *key;
	json_t *child;

	for (size_t i = 0; i < n_req; i++) {
		const struct field *r = &c->s->f[req[i]];
		const char *name = r->path + parent_len(r->path) + (strchr(r->path, '.') ? 1 : 0);
		if (!json_object_get(obj, name)) {
			size_t sl, dl;
			push(c, "", c->dpath.len ? "." : "", &sl, &dl);
			put(c, &c->dpath, name);
			problem(c, "required, missing");
			pop(c, sl, dl);
		}
	}
	json_object_foreach(obj, key, child)
	{
		size_t sl, dl;
		const char *sep = c->spath.len ? "." : "";
		push(c, sep, sep, &sl, &dl);
		put(c, &c->spath, key);
		put(c, &c->dpath, key);
		const struct field *f = c->nomem ? NULL : find(c->s, c->spath.data);
		if (f)
			check_value(c, f, child);
		else if (c->flags & HU_SCHEMA_STRICT)
			problem(c, "not documented");
		pop(c, sl, dl);
	}
}

static void check_value(struct check *c, const struct field *f, json_t *v)
{
	unsigned t = type_of(v);

	if (c->seen)
		c->seen[f - c->s->f] = true;
	if (!(f->types & t) && !(t == T_INTEGER && (f->types & T_NUMBER))) {
		problem(c, "is %s, expected %s", type_name(t), f->type_text);
		return;
	}
	if (f->free_form || c->nomem)
		return;
	if (t == T_OBJECT) {
		check_object(c, f->required_children, f->n_required, v);
	} else if (t == T_ARRAY) {
		size_t i, sl, dl;
		json_t *item;
		push(c, "[]", "", &sl, &dl);
		const struct field *items = c->nomem ? NULL : find(c->s, c->spath.data);
		json_array_foreach(v, i, item)
		{
			size_t dl2 = c->dpath.len;
			put_index(c, i);
			if (items)
				check_value(c, items, item);
			else if (c->flags & HU_SCHEMA_STRICT)
				problem(c, "not documented");
			pop(c, c->spath.len, dl2);
			if (c->nomem || (size_t)c->problems > c->max)
				break;
		}
		pop(c, sl, dl);
	}
}

long hu_schema_check(const struct hu_schema *s, json_t *doc, unsigned flags, size_t max_problems,
		     hu_schema_report_fn report, void *ctx, bool *seen)
{
	struct check c = { .s = s,
			   .flags = flags,
			   .max = max_problems,
			   .report = report,
			   .ctx = ctx,
			   .seen = seen,
			   .spath = HU_BUF_INIT(4096),
			   .dpath = HU_BUF_INIT(4096) };

	if (!json_is_object(doc)) {
		problem(&c, "is %s, expected an object", type_name(type_of(doc)));
	} else {
		/* Start with empty, allocated paths: lookups use .data. */
		if (hu_buf_append(&c.spath, "", 1) < 0 || hu_buf_append(&c.dpath, "", 1) < 0)
			c.nomem = true;
		pop(&c, 0, 0);
		if (!c.nomem)
			check_object(&c, s->top_required, s->n_top_required, doc);
	}
	hu_buf_clear(&c.spath);
	hu_buf_clear(&c.dpath);
	return c.nomem ? -ENOMEM : c.problems;
}
