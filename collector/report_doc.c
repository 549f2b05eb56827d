/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_doc.h"

void rdoc_init(struct rdoc *d)
{
	*d = (struct rdoc){ 0 };
}

static void block_clear(struct rblock *b)
{
	free(b->text);
	free(b->id);
	for (size_t i = 0; b->head && i < b->cols; i++)
		free(b->head[i]);
	free(b->head);
	for (size_t i = 0; i < b->rows * b->cols; i++)
		free(b->cells[i].text);
	free(b->cells);
	chart_free(b->chart);
}

void rdoc_clear(struct rdoc *d)
{
	for (size_t i = 0; i < d->n; i++)
		block_clear(&d->v[i]);
	free(d->v);
	char **fields[] = { &d->lang,  &d->title,    &d->agency,    &d->logo,
			    &d->color, &d->subtitle, &d->generated, &d->footer };
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		free(*fields[i]);
	*d = (struct rdoc){ 0 };
}

static char *vformat(struct rdoc *d, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		d->error = -ENOMEM;
		return NULL;
	}
	return s;
}

void rdoc_set(struct rdoc *d, char **field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *s = vformat(d, fmt, ap);
	va_end(ap);
	if (s) {
		free(*field);
		*field = s;
	}
}

void rdoc_brand(struct rdoc *d, const struct branding *b, const char *lang)
{
	rdoc_set(d, &d->lang, "%s", lang);
	rdoc_set(d, &d->color, "%s", b->color ? b->color : "#0b5fff");
	if (b->agency)
		rdoc_set(d, &d->agency, "%s", b->agency);
	if (b->logo)
		rdoc_set(d, &d->logo, "%s", b->logo);
}

/* A new block, or NULL (d->error set). */
static struct rblock *add(struct rdoc *d, enum rblock_type type)
{
	if (d->error)
		return NULL;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct rblock *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			d->error = -ENOMEM;
			return NULL;
		}
		d->v = v;
		d->cap = cap;
	}
	struct rblock *b = &d->v[d->n++];
	*b = (struct rblock){ .type = type, .status = -1 };
	return b;
}

void rdoc_heading(struct rdoc *d, int level, const char *id, const char *fmt, ...)
{
	struct rblock *b = add(d, RB_HEADING);
	va_list ap;

	if (!b)
		return;
	b->level = level;
	va_start(ap, fmt);
	b->text = vformat(d, fmt, ap);
	va_end(ap);
	if (id && !(b->id = strdup(id)))
		d->error = -ENOMEM;
}

void rdoc_para(struct rdoc *d, int status, const char *fmt, ...)
{
	struct rblock *b = add(d, RB_PARA);
	va_list ap;

	if (!b)
		return;
	b->status = status;
	va_start(ap, fmt);
	b->text = vformat(d, fmt, ap);
	va_end(ap);
}

void rdoc_verdict(struct rdoc *d, enum hu_status status, const char *text)
{
	struct rblock *b = add(d, RB_VERDICT);

	if (!b)
		return;
	b->status = (int)status;
	if (!(b->text = strdup(text)))
		d->error = -ENOMEM;
}

size_t rdoc_table(struct rdoc *d, const char *caption, size_t cols, const char *const *head)
{
	struct rblock *b = add(d, RB_TABLE);

	if (!b)
		return 0;
	b->cols = cols;
	b->head = calloc(cols, sizeof(*b->head));
	if (!b->head || (caption && !(b->text = strdup(caption)))) {
		d->error = -ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < cols; i++)
		if (!(b->head[i] = strdup(head[i])))
			d->error = -ENOMEM;
	/* The index, not a pointer, stays valid as blocks are added. */
	return d->error ? 0 : d->n;
}

/* The block a table handle names. */
static struct rblock *table_of(struct rdoc *d, size_t i)
{
	return !d->error && i >= 1 && i <= d->n ? &d->v[i - 1] : NULL;
}

void rdoc_row(struct rdoc *d, size_t t, int status, const char *const *cells)
{
	struct rblock *b = table_of(d, t);

	if (!b)
		return;
	struct rcell *v = realloc(b->cells, (b->rows + 1) * b->cols * sizeof(*v));
	if (!v) {
		d->error = -ENOMEM;
		return;
	}
	b->cells = v;
	for (size_t i = 0; i < b->cols; i++) {
		struct rcell *c = &v[b->rows * b->cols + i];
		const char *text = cells[i] ? cells[i] : "";
		c->num = text[0] == '\x01';
		c->status = i == 0 ? status : -1;
		if (!(c->text = strdup(text + (c->num ? 1 : 0))))
			d->error = -ENOMEM;
	}
	b->rows++;
}

size_t rdoc_facts(struct rdoc *d)
{
	static const char *const head[] = { "", "" };
	size_t t = rdoc_table(d, NULL, 2, head);
	struct rblock *b = table_of(d, t);

	if (b)
		b->type = RB_FACTS;
	return t;
}

void rdoc_fact(struct rdoc *d, size_t t, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *value = vformat(d, fmt, ap);
	va_end(ap);
	if (value) {
		const char *cells[] = { what, value };
		rdoc_row(d, t, -1, cells);
		free(value);
	}
}

void rdoc_chart(struct rdoc *d, struct chart *c)
{
	struct rblock *b = c ? add(d, RB_CHART) : NULL;

	if (!c)
		d->error = d->error ? d->error : -ENOMEM;
	if (!b) {
		chart_free(c);
		return;
	}
	b->chart = c;
}

const char *report_status_color(int status)
{
	switch (status) {
	case HU_OK:
		return "#1a7f37";
	case HU_WARNING:
		return "#bf8700";
	case HU_CRITICAL:
		return "#cf222e";
	case HU_UNKNOWN:
		return "#6e7781";
	default:
		return "#1f2328";
	}
}
