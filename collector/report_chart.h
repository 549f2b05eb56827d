/* SPDX-License-Identifier: MIT */
/*
 * The reports' charts, drawn once through a canvas: report_html.c's writes
 * SVG elements, report_pdf.c's draws with cairo, so the chart in the HTML
 * and in the PDF is the same drawing. Coordinates are points (1/72 in)
 * from the chart's top left; a chart's labels are plain text, pre-formatted
 * in the report's language.
 */
#ifndef HUOLTO_COLLECTOR_REPORT_CHART_H
#define HUOLTO_COLLECTOR_REPORT_CHART_H

#include <stdbool.h>
#include <stddef.h>

/* What a canvas does. Colours are "#rrggbb". */
struct canvas_ops {
	void (*rect)(void *ctx, double x, double y, double w, double h, const char *fill);
	void (*line)(void *ctx, double x1, double y1, double x2, double y2, const char *stroke,
		     double width, bool dashed);
	/* anchor: -1 start, 0 middle, 1 end; y is the baseline. */
	void (*text)(void *ctx, double x, double y, const char *text, double size, int anchor,
		     const char *fill);
};

enum chart_type {
	CHART_TIMELINE, /* a bar per span over a time axis: certificates' validity */
	CHART_BARS,     /* two series of bars per day, with limit lines: connections */
};

struct chart_tick {
	double at;   /* a time (timeline) or a bar index (bars) */
	char *label; /* "1.11." */
};

struct chart_span {
	char *label; /* the row's label */
	double from, to;
	bool current; /* drawn in the strong colour */
};

struct chart_line {
	double value; /* a limit */
	char *label;
};

struct chart {
	enum chart_type type;
	char *title; /* the caption, and the SVG's <title> */
	char *desc;  /* one sentence saying what it shows, the SVG's <desc> */
	double width, height;
	struct chart_tick *ticks;
	size_t n_ticks;
	/* CHART_TIMELINE: the axis [t0, t1], its spans, a marker at now. */
	double t0, t1, now;
	char *now_label;
	struct chart_span *spans;
	size_t n_spans;
	/* CHART_BARS: n values of each series (NaN: no sample), their names, limit lines. */
	double *a, *b;
	size_t n;
	char *a_name, *b_name;
	struct chart_line lines[2];
	size_t n_lines;
};

struct chart *chart_new(enum chart_type type, const char *title, const char *desc);
void chart_free(struct chart *c);
/* Append (copying label); -ENOMEM. */
int chart_tick(struct chart *c, double at, const char *label);
int chart_span(struct chart *c, const char *label, double from, double to, bool current);
int chart_line(struct chart *c, double value, const char *label);
/* n values of both series (copied); -ENOMEM. */
int chart_values(struct chart *c, const double *a, const double *b, size_t n, const char *a_name,
		 const char *b_name);

void chart_draw(const struct chart *c, const struct canvas_ops *ops, void *ctx);

#endif
