/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_chart.h"

#define INK     "#1f2328"
#define MUTED   "#6e7781"
#define GRID    "#d0d7de"
#define STRONG  "#0b5fff"
#define PALE    "#9ec5ff"
#define SERIES2 "#bf8700"
#define LIMIT   "#cf222e"

struct chart *chart_new(enum chart_type type, const char *title, const char *desc)
{
	struct chart *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->type = type;
	c->width = 480;
	c->height = type == CHART_TIMELINE ? 60 : 180;
	c->title = strdup(title);
	c->desc = strdup(desc);
	if (!c->title || !c->desc) {
		chart_free(c);
		return NULL;
	}
	return c;
}

void chart_free(struct chart *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_ticks; i++)
		free(c->ticks[i].label);
	for (size_t i = 0; i < c->n_spans; i++)
		free(c->spans[i].label);
	for (size_t i = 0; i < c->n_lines; i++)
		free(c->lines[i].label);
	free(c->ticks);
	free(c->spans);
	free(c->a);
	free(c->b);
	free(c->a_name);
	free(c->b_name);
	free(c->now_label);
	free(c->title);
	free(c->desc);
	free(c);
}

int chart_tick(struct chart *c, double at, const char *label)
{
	struct chart_tick *v = realloc(c->ticks, (c->n_ticks + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->ticks = v;
	if (!(v[c->n_ticks].label = strdup(label)))
		return -ENOMEM;
	v[c->n_ticks++].at = at;
	return 0;
}

int chart_span(struct chart *c, const char *label, double from, double to, bool current)
{
	struct chart_span *v = realloc(c->spans, (c->n_spans + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->spans = v;
	if (!(v[c->n_spans].label = strdup(label)))
		return -ENOMEM;
	v[c->n_spans].from = from;
	v[c->n_spans].to = to;
	v[c->n_spans++].current = current;
	/* A row of 18 points per span, and room for the axis. */
	c->height = 34 + 18.0 * (double)c->n_spans;
	return 0;
}

int chart_line(struct chart *c, double value, const char *label)
{
	if (c->n_lines >= sizeof(c->lines) / sizeof(*c->lines))
		return -E2BIG;
	if (!(c->lines[c->n_lines].label = strdup(label)))
		return -ENOMEM;
	c->lines[c->n_lines++].value = value;
	return 0;
}

int chart_values(struct chart *c, const double *a, const double *b, size_t n, const char *a_name,
		 const char *b_name)
{
	c->a = malloc(n * sizeof(double) + 1);
	c->b = malloc(n * sizeof(double) + 1);
	c->a_name = strdup(a_name);
	c->b_name = strdup(b_name);
	if (!c->a || !c->b || !c->a_name || !c->b_name)
		return -ENOMEM;
	memcpy(c->a, a, n * sizeof(double));
	memcpy(c->b, b, n * sizeof(double));
	c->n = n;
	return 0;
}

/*
 * A label cut to at most max characters (UTF-8 code points), the last one an
 * ellipsis when cut, so that it stays in the space left of the bars: the
 * canvases cannot measure text before drawing it. At 8 points a character of
 * DejaVu Sans is at most about 5.5 units wide.
 */
#define ELLIPSIS "\xe2\x80\xa6"

static const char *fit_label(const char *s, size_t max, char *buf, size_t size)
{
	size_t n = 0, cut = 0;

	for (size_t i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (++n == max)
			cut = i; /* where the max-th character starts */
	}
	if (n <= max || cut + sizeof(ELLIPSIS) > size)
		return s;
	memcpy(buf, s, cut);
	memcpy(buf + cut, ELLIPSIS, sizeof(ELLIPSIS));
	return buf;
}

/* The timeline: labels in the left third, spans over [t0, t1] right of them. */
static void draw_timeline(const struct chart *c, const struct canvas_ops *o, void *ctx)
{
	double left = c->width * 0.34, right = c->width - 8, top = 6, row = 18;
	double axis = top + row * (double)c->n_spans + 4;
	double span = c->t1 > c->t0 ? c->t1 - c->t0 : 1;
#define X(t) (left + (right - left) * (fmin(fmax((t), c->t0), c->t1) - c->t0) / span)

	for (size_t i = 0; i < c->n_ticks; i++) {
		double x = X(c->ticks[i].at);
		o->line(ctx, x, top, x, axis, GRID, 0.5, false);
		o->text(ctx, x, axis + 12, c->ticks[i].label, 8, 0, MUTED);
	}
	for (size_t i = 0; i < c->n_spans; i++) {
		const struct chart_span *s = &c->spans[i];
		double y = top + row * (double)i;
		char fit[160]; /* 29 characters of at most 4 bytes, and the ellipsis */
		o->text(ctx, left - 6, y + 12, fit_label(s->label, 30, fit, sizeof(fit)), 8, 1,
			INK);
		double x1 = X(s->from), x2 = X(s->to);
		o->rect(ctx, x1, y + 3, fmax(x2 - x1, 1.5), row - 6, s->current ? STRONG : PALE);
	}
	o->line(ctx, left, axis, right, axis, MUTED, 0.8, false);
	if (c->now_label && c->now >= c->t0 && c->now <= c->t1) {
		double x = X(c->now);
		o->line(ctx, x, top - 2, x, axis, LIMIT, 1, true);
		o->text(ctx, x + 3, top + 6, c->now_label, 7, -1, LIMIT);
	}
#undef X
}

/* The bars: both series side by side per day, limits as dashed lines. */
static void draw_bars(const struct chart *c, const struct canvas_ops *o, void *ctx)
{
	double left = 34, right = c->width - 8, top = 22, bottom = c->height - 18;
	double max = 1;
	char num[32];

	for (size_t i = 0; i < c->n; i++)
		max = fmax(max, fmax(isnan(c->a[i]) ? 0 : c->a[i], isnan(c->b[i]) ? 0 : c->b[i]));
	for (size_t i = 0; i < c->n_lines; i++)
		max = fmax(max, c->lines[i].value);
	max *= 1.08;
#define Y(v) (bottom - (bottom - top) * (v) / max)
	/* Four grid lines with their values. */
	for (int g = 0; g <= 4; g++) {
		double v = max * g / 4.0, y = Y(v);
		o->line(ctx, left, y, right, y, GRID, 0.5, false);
		snprintf(num, sizeof(num), "%lld", (long long)llround(v));
		o->text(ctx, left - 4, y + 3, num, 7, 1, MUTED);
	}
	double slot = c->n ? (right - left) / (double)c->n : right - left;
	double bar = fmax(slot * 0.38, 0.8);
	for (size_t i = 0; i < c->n; i++) {
		double x = left + slot * (double)i + slot * 0.1;
		if (!isnan(c->a[i]))
			o->rect(ctx, x, Y(c->a[i]), bar, bottom - Y(c->a[i]), STRONG);
		if (!isnan(c->b[i]))
			o->rect(ctx, x + bar, Y(c->b[i]), bar, bottom - Y(c->b[i]), SERIES2);
	}
	for (size_t i = 0; i < c->n_ticks; i++)
		o->text(ctx, left + slot * (c->ticks[i].at + 0.5), bottom + 11, c->ticks[i].label,
			7, 0, MUTED);
	for (size_t i = 0; i < c->n_lines; i++) {
		double y = Y(c->lines[i].value);
		o->line(ctx, left, y, right, y, LIMIT, 1, true);
		o->text(ctx, right, y - 3, c->lines[i].label, 7, 1, LIMIT);
	}
	o->line(ctx, left, bottom, right, bottom, MUTED, 0.8, false);
	/* The legend. */
	o->rect(ctx, left, 4, 8, 8, STRONG);
	o->text(ctx, left + 12, 11, c->a_name, 8, -1, INK);
	o->rect(ctx, left + c->width / 2 - 20, 4, 8, 8, SERIES2);
	o->text(ctx, left + c->width / 2 - 8, 11, c->b_name, 8, -1, INK);
#undef Y
}

void chart_draw(const struct chart *c, const struct canvas_ops *ops, void *ctx)
{
	if (c->type == CHART_TIMELINE)
		draw_timeline(c, ops, ctx);
	else
		draw_bars(c, ops, ctx);
}
