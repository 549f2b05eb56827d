/* SPDX-License-Identifier: MIT */
#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hours_csv.h"
#include "money.h"

struct parse {
	struct hours_csv *out;
	struct hours_csv_row row; /* being read */
	unsigned line;            /* of the piece being fed */
	int error;
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct parse *p = ctx;
	struct hours_csv_row *r = &p->row;

	if (p->error)
		return;
	if (r->n == 0) {
		/* the record starts where its first field did: lines back by its newlines */
		unsigned nl = 0;
		for (size_t i = 0; i < len; i++)
			nl += ((const char *)data)[i] == '\n';
		r->line = p->line - nl;
	}
	if (r->n < HOURS_CSV_COLUMNS && !(r->f[r->n] = strndup(data ? data : "", len)))
		p->error = -ENOMEM;
	r->n++;
}

static void on_row(int c, void *ctx)
{
	struct parse *p = ctx;
	struct hours_csv *o = p->out;

	(void)c;
	if (p->error)
		return;
	if (o->n == HOURS_CSV_MAX_ROWS) {
		p->error = -EFBIG;
		return;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct hours_csv_row *v = realloc(o->v, cap * sizeof(*v));
		if (!v) {
			p->error = -ENOMEM;
			return;
		}
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = p->row;
	p->row = (struct hours_csv_row){ 0 };
}

static void row_clear(struct hours_csv_row *r)
{
	for (size_t i = 0; i < HOURS_CSV_COLUMNS; i++)
		free(r->f[i]);
	*r = (struct hours_csv_row){ 0 };
}

int hours_csv_parse(const char *data, size_t len, struct hours_csv *ret, struct hu_err *err)
{
	struct csv_parser cp;
	struct parse p = { .out = ret, .line = 1 };
	int r = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	if (csv_init(&cp, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0)
		return -ENOMEM;
	/* Fed a line at a time, so that a record knows the line it is on. */
	for (size_t at = 0; at < len && !p.error; p.line++) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) + 1 : len - at;
		if (csv_parse(&cp, data + at, n, on_field, on_row, &p) != n) {
			r = hu_err_set(err, -EBADMSG, "line %u: %s", p.line,
				       csv_strerror(csv_error(&cp)));
			break;
		}
		at += n;
	}
	if (r >= 0 && !p.error && csv_fini(&cp, on_field, on_row, &p) != 0)
		r = hu_err_set(err, -EBADMSG, "line %u: %s (a quote is not closed)",
			       p.row.line ? p.row.line : p.line, csv_strerror(csv_error(&cp)));
	csv_free(&cp);
	row_clear(&p.row);
	if (r >= 0 && p.error == -EFBIG)
		r = hu_err_set(err, -EFBIG, "more than %u rows", HOURS_CSV_MAX_ROWS);
	else if (r >= 0 && p.error)
		r = p.error;
	if (r < 0)
		hours_csv_clear(ret);
	return r;
}

void hours_csv_clear(struct hours_csv *c)
{
	for (size_t i = 0; i < c->n; i++)
		row_clear(&c->v[i]);
	free(c->v);
	*c = (struct hours_csv){ 0 };
}

static int field(FILE *f, const char *s, bool last)
{
	int r = csv_fwrite(f, s ? s : "", s ? strlen(s) : 0);

	return r == 0 && fputc(last ? '\n' : ',', f) != EOF ? 0 : -EIO;
}

int hours_csv_write(FILE *f, const json_t *entries)
{
	const json_t *e;
	size_t i;
	int r = fputs(HOURS_CSV_HEADER "\n", f) == EOF ? -EIO : 0;

	json_array_foreach(entries, i, e)
	{
		char hours[32];
		money_format(json_integer_value(json_object_get(e, "hours")), hours, sizeof(hours));
		const char *v[HOURS_CSV_COLUMNS] = {
			json_string_value(json_object_get(e, "date")),
			json_string_value(json_object_get(e, "site")),
			hours,
			json_string_value(json_object_get(e, "kind")),
			json_string_value(json_object_get(e, "who")),
			json_string_value(json_object_get(e, "note")),
			json_string_value(json_object_get(e, "finding")),
		};
		for (size_t k = 0; r >= 0 && k < HOURS_CSV_COLUMNS; k++)
			r = field(f, v[k], k == HOURS_CSV_COLUMNS - 1);
	}
	return r;
}
