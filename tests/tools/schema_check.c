/* SPDX-License-Identifier: MIT */
/*
 * Checks a report document against docs/report-schema.md: every field in
 * the document must be documented there with a matching type, and every
 * field documented as required must be present.
 *
 *   schema_check docs/report-schema.md < document.json
 *
 * The documentation's field tables have rows "| `path` | type | required |
 * meaning |", where path uses "[]" for array items (sites[].name), type is
 * string, integer, number, boolean, object, array or null, several joined
 * by "|"... written as "string or null", and an object documented as
 * "object (free-form)" may hold any keys.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 512

struct field {
	char path[256];
	char types[128];
	bool required;
	bool free_form;
	unsigned line;
	bool seen;
};

struct spec {
	struct field f[MAX_FIELDS];
	size_t n;
};

static int errors;

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static int load_spec(const char *file, struct spec *sp)
{
	FILE *f = fopen(file, "r");
	char line[2048];
	unsigned ln = 0;

	if (!f) {
		perror(file);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *cells[4];
		char *p = line;
		int n = 0;

		ln++;
		if (strncmp(line, "| `", 3) != 0)
			continue;
		p++;
		for (char *bar; n < 4 && (bar = strchr(p, '|')); p = bar + 1) {
			*bar = '\0';
			cells[n++] = trim(p);
		}
		if (n < 4 || sp->n >= MAX_FIELDS)
			continue;
		struct field *fl = &sp->f[sp->n];
		size_t pl = strlen(cells[0]);
		if (pl < 3 || pl - 2 >= sizeof(fl->path) || cells[0][0] != '`' ||
		    cells[0][pl - 1] != '`')
			continue;
		memcpy(fl->path, cells[0] + 1, pl - 2);
		fl->path[pl - 2] = '\0';
		snprintf(fl->types, sizeof(fl->types), "%s", cells[1]);
		fl->required = strcmp(cells[2], "yes") == 0;
		fl->free_form = strstr(cells[1], "free-form") != NULL;
		fl->line = ln;
		sp->n++;
	}
	fclose(f);
	return 0;
}

static struct field *find(struct spec *sp, const char *path)
{
	for (size_t i = 0; i < sp->n; i++)
		if (strcmp(sp->f[i].path, path) == 0)
			return &sp->f[i];
	return NULL;
}

static const char *type_of(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* types is "string or null", "integer", "object (free-form)", ... */
static bool type_ok(const char *types, const char *t)
{
	const char *p = types;
	size_t tl = strlen(t);

	while ((p = strstr(p, t))) {
		bool start = p == types || p[-1] == ' ' || p[-1] == '|';
		bool end = p[tl] == '\0' || p[tl] == ' ' || p[tl] == '|' || p[tl] == ',';
		if (start && end)
			return true;
		p += tl;
	}
	return !strcmp(t, "integer") && type_ok(types, "number");
}

static void walk(struct spec *sp, json_t *v, const char *path)
{
	if (json_is_object(v)) {
		/* Required fields of this object. */
		size_t pl = strlen(path);
		for (size_t i = 0; i < sp->n; i++) {
			const char *fp = sp->f[i].path;
			const char *rest = pl ? fp + pl + 1 : fp;
			if (!sp->f[i].required || (pl && (strncmp(fp, path, pl) || fp[pl] != '.')))
				continue;
			if (strchr(rest, '.') || strstr(rest, "[]"))
				continue; /* not a direct child */
			if (!json_object_get(v, rest)) {
				fprintf(stderr,
					"missing required field %s (documented at line %u)\n", fp,
					sp->f[i].line);
				errors++;
			}
		}
		const char *key;
		json_t *child;
		json_object_foreach(v, key, child)
		{
			char cp[512];
			snprintf(cp, sizeof(cp), "%s%s%s", path, pl ? "." : "", key);
			struct field *f = find(sp, cp);
			if (!f) {
				fprintf(stderr, "undocumented field %s\n", cp);
				errors++;
				continue;
			}
			f->seen = true;
			if (!type_ok(f->types, type_of(child))) {
				fprintf(stderr, "field %s is %s, documented as %s (line %u)\n", cp,
					type_of(child), f->types, f->line);
				errors++;
			}
			if (!f->free_form)
				walk(sp, child, cp);
		}
	} else if (json_is_array(v)) {
		char ip[512];
		size_t i;
		json_t *item;
		snprintf(ip, sizeof(ip), "%s[]", path);
		struct field *f = find(sp, ip);
		json_array_foreach(v, i, item)
		{
			if (!f) {
				fprintf(stderr, "undocumented array items %s\n", ip);
				errors++;
				return;
			}
			f->seen = true;
			if (!type_ok(f->types, type_of(item))) {
				fprintf(stderr, "item of %s is %s, documented as %s (line %u)\n",
					ip, type_of(item), f->types, f->line);
				errors++;
			}
			if (!f->free_form)
				walk(sp, item, ip);
		}
	}
}

int main(int argc, char **argv)
{
	static struct spec sp;
	json_error_t e;
	json_t *doc;

	if (argc != 2) {
		fprintf(stderr, "usage: schema_check SCHEMA.md < DOCUMENT.json\n");
		return 2;
	}
	if (load_spec(argv[1], &sp) < 0)
		return 2;
	if (sp.n < 10) {
		fprintf(stderr, "%s: found only %zu field rows\n", argv[1], sp.n);
		return 2;
	}
	doc = json_loadf(stdin, JSON_REJECT_DUPLICATES, &e);
	if (!doc) {
		fprintf(stderr, "document: %d:%d: %s\n", e.line, e.column, e.text);
		return 2;
	}
	walk(&sp, doc, "");
	size_t seen = 0;
	for (size_t i = 0; i < sp.n; i++)
		seen += sp.f[i].seen;
	printf("%zu documented fields, %zu present in the document, %d error%s\n", sp.n, seen,
	       errors, errors == 1 ? "" : "s");
	json_decref(doc);
	return errors ? 1 : 0;
}
