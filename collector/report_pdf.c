/* SPDX-License-Identifier: MIT */
/*
 * A report as a PDF, drawn with cairo and laid out with pango: A4, DejaVu
 * Sans (cairo embeds the subset used), a footer with "page / pages" on
 * every page. The blocks are laid out twice: once to count the pages, once
 * to draw them.
 */
#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/fileio.h"
#include "huolto/log.h"
#include "report_doc.h"

#define PAGE_W   595.28
#define PAGE_H   841.89
#define MARGIN   50.0
#define TOP      50.0
#define BOTTOM   60.0 /* the footer lives here */
#define CONTENT  (PAGE_W - 2 * MARGIN)
#define PAD      3.0
#define FONT     "DejaVu Sans"
#define PDF_MAX  (64u << 20)
#define LOGO_MAX (1u << 20)

struct pdf {
	cairo_t *cr;
	const struct rdoc *d;
	bool draw;       /* false: only measuring */
	double y;        /* where the next block goes */
	int page, pages; /* pages: counted by the measuring pass */
};

static void color(cairo_t *cr, const char *hex)
{
	unsigned v = 0;

	if (!hex || sscanf(hex, "#%6x", &v) != 1)
		v = 0x1f2328;
	cairo_set_source_rgb(cr, ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
			     (v & 0xff) / 255.0);
}

/* A layout of text in size points (bold or not), wrapped at width (< 0: not wrapped). */
static PangoLayout *layout(struct pdf *p, const char *text, double size, bool bold, double width)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double width_of(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y, const char *hex)
{
	if (!p->draw)
		return;
	color(p->cr, hex);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void footer(struct pdf *p)
{
	char num[32];

	if (!p->draw)
		return;
	snprintf(num, sizeof(num), "%d / %d", p->page, p->pages);
	PangoLayout *l = layout(p, p->d->footer, 8, false, CONTENT - 60);
	show(p, l, MARGIN, PAGE_H - BOTTOM + 20, "#57606a");
	g_object_unref(l);
	l = layout(p, num, 8, false, -1);
	show(p, l, PAGE_W - MARGIN - width_of(l), PAGE_H - BOTTOM + 20, "#57606a");
	g_object_unref(l);
	cairo_show_page(p->cr);
}

static void new_page(struct pdf *p)
{
	footer(p);
	p->page++;
	p->y = TOP;
}

/* Make room for h points (a new page when they do not fit and the page is not empty). */
static void room(struct pdf *p, double h)
{
	if (p->y + h > PAGE_H - BOTTOM && p->y > TOP)
		new_page(p);
}

/* The cairo canvas for the charts. */
static void cr_rect(void *ctx, double x, double y, double w, double h, const char *fill)
{
	cairo_t *cr = ctx;

	color(cr, fill);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static void cr_line(void *ctx, double x1, double y1, double x2, double y2, const char *stroke,
		    double width, bool dashed)
{
	cairo_t *cr = ctx;
	static const double dash[] = { 4, 3 };

	color(cr, stroke);
	cairo_set_line_width(cr, width);
	cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
	cairo_move_to(cr, x1, y1);
	cairo_line_to(cr, x2, y2);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void cr_text(void *ctx, double x, double y, const char *text, double size, int anchor,
		    const char *fill)
{
	cairo_t *cr = ctx;
	struct pdf tmp = { .cr = cr, .draw = true };
	PangoLayout *l = layout(&tmp, text, size, false, -1);
	double w = width_of(l);
	double base = (double)pango_layout_get_baseline(l) / PANGO_SCALE;

	show(&tmp, l, anchor < 0 ? x : anchor > 0 ? x - w : x - w / 2, y - base, fill);
	g_object_unref(l);
}

static const struct canvas_ops cairo_canvas = {
	.rect = cr_rect,
	.line = cr_line,
	.text = cr_text,
};

static void chart(struct pdf *p, const struct chart *c)
{
	double scale = fmin(1.0, CONTENT / c->width);
	PangoLayout *cap = layout(p, c->title, 8.5, false, CONTENT);
	double h = c->height * scale + height_of(cap) + 10;

	room(p, h);
	if (p->draw) {
		cairo_save(p->cr);
		cairo_translate(p->cr, MARGIN, p->y);
		cairo_scale(p->cr, scale, scale);
		chart_draw(c, &cairo_canvas, p->cr);
		cairo_restore(p->cr);
	}
	show(p, cap, MARGIN, p->y + c->height * scale + 2, "#57606a");
	g_object_unref(cap);
	p->y += h;
}

/* Column widths: each column's natural width, shrunk in proportion when they do not fit. */
static void widths(struct pdf *p, const struct rblock *t, double size, double *w)
{
	double total = 0;

	for (size_t i = 0; i < t->cols; i++) {
		w[i] = 24;
		for (size_t r = 0; r <= t->rows; r++) {
			const struct rcell *c = r ? &t->cells[(r - 1) * t->cols + i] : NULL;
			/* Measured in the weight row() draws it in. */
			bool bold = !c || c->status >= 0 || (t->total_row && r == t->rows);
			PangoLayout *l = layout(p, c ? c->text : t->head[i], size, bold, -1);
			w[i] = fmax(w[i], fmin(width_of(l) + 2 * PAD + 1, CONTENT));
			g_object_unref(l);
		}
		total += w[i];
	}
	if (t->type == RB_FACTS) {
		w[0] = fmin(w[0], CONTENT * 0.38);
		w[1] = CONTENT - w[0];
		return;
	}
	/* Too wide: the wide columns give up what is too much, the narrow ones keep theirs. */
	for (int pass = 0; pass < 8 && total > CONTENT + 0.5; pass++) {
		double share = CONTENT / (double)t->cols, over = 0, excess = total - CONTENT;
		for (size_t i = 0; i < t->cols; i++)
			over += w[i] > share ? w[i] - share : 0;
		total = 0;
		for (size_t i = 0; i < t->cols; i++) {
			if (w[i] > share && over > 0)
				w[i] -= fmin(w[i] - share, excess * (w[i] - share) / over);
			total += w[i];
		}
	}
}

/* One row of layouts at y: its height; drawn when p->draw. */
static double row(struct pdf *p, const struct rblock *t, size_t r, const double *w, double size,
		  bool draw_it)
{
	bool header = r == 0, bold = header || (t->total_row && r == t->rows);
	double h = 0, x = MARGIN;
	PangoLayout *ls[16];
	size_t cols = t->cols < 16 ? t->cols : 16;

	for (size_t i = 0; i < cols; i++) {
		const struct rcell *c = header ? NULL : &t->cells[(r - 1) * t->cols + i];
		const char *text = c ? c->text : t->head[i];
		ls[i] = layout(p, text, size, bold || (c && c->status >= 0), w[i] - 2 * PAD);
		if (c && c->num)
			pango_layout_set_alignment(ls[i], PANGO_ALIGN_RIGHT);
		h = fmax(h, height_of(ls[i]) + 2 * PAD);
	}
	if (draw_it && p->draw) {
		if (header && t->type != RB_FACTS) {
			color(p->cr, "#f6f8fa");
			cairo_rectangle(p->cr, MARGIN, p->y, CONTENT, h);
			cairo_fill(p->cr);
		}
		for (size_t i = 0; i < cols; i++) {
			const struct rcell *c = header ? NULL : &t->cells[(r - 1) * t->cols + i];
			const char *ink = c && c->status >= 0 ? report_status_color(c->status)
					  : t->type == RB_FACTS && i == 0 ? "#57606a"
									  : "#1f2328";
			show(p, ls[i], x + PAD, p->y + PAD, ink);
			x += w[i];
		}
		color(p->cr, "#d0d7de");
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN, p->y + h);
		cairo_line_to(p->cr, MARGIN + CONTENT, p->y + h);
		cairo_stroke(p->cr);
	}
	for (size_t i = 0; i < cols; i++)
		g_object_unref(ls[i]);
	return h;
}

static void table(struct pdf *p, const struct rblock *t)
{
	double w[16], size = t->cols > 4 ? 8 : 8.5;
	bool head = t->type != RB_FACTS;

	if (t->cols > 16 || t->cols == 0)
		return;
	widths(p, t, size, w);
	if (t->text) {
		PangoLayout *cap = layout(p, t->text, 9.5, true, CONTENT);
		room(p, height_of(cap) + 40);
		show(p, cap, MARGIN, p->y, "#1f2328");
		p->y += height_of(cap) + 3;
		g_object_unref(cap);
	}
	double hh = head ? row(p, t, 0, w, size, false) : 0;
	room(p, hh + 20);
	if (head)
		p->y += row(p, t, 0, w, size, true);
	for (size_t r = 1; r <= t->rows; r++) {
		double h = row(p, t, r, w, size, false);
		if (p->y + h > PAGE_H - BOTTOM) {
			new_page(p);
			if (head)
				p->y += row(p, t, 0, w, size, true);
		}
		p->y += row(p, t, r, w, size, true);
	}
	p->y += 8;
}

static void text_block(struct pdf *p, const struct rblock *k)
{
	bool heading = k->type == RB_HEADING, verdict = k->type == RB_VERDICT;
	double size = heading ? (k->level == 1 ? 14 : 11) : verdict ? 11.5 : 9.5;
	double indent = verdict ? 14 : k->status >= 0 ? 12 : 0;
	PangoLayout *l = layout(p, k->text, size, heading, CONTENT - indent - (verdict ? 8 : 0));
	double h = height_of(l), before = heading ? (k->level == 1 ? 14 : 8) : 0;

	/* A heading keeps at least a few lines of what follows with it. */
	room(p, before + h + (heading ? 60 : verdict ? 16 : 0));
	p->y += p->y > TOP ? before : 0;
	if (verdict && p->draw) {
		color(p->cr, "#f6f8fa");
		cairo_rectangle(p->cr, MARGIN, p->y, CONTENT, h + 16);
		cairo_fill(p->cr);
		color(p->cr, report_status_color(k->status));
		cairo_rectangle(p->cr, MARGIN, p->y, 6, h + 16);
		cairo_fill(p->cr);
	} else if (k->status >= 0 && p->draw) {
		color(p->cr, report_status_color(k->status));
		cairo_arc(p->cr, MARGIN + 4, p->y + size * 0.7, 3.5, 0, 2 * M_PI);
		cairo_fill(p->cr);
	}
	show(p, l, MARGIN + indent, p->y + (verdict ? 8 : 0), "#1f2328");
	if (heading && k->level == 1 && p->draw) {
		color(p->cr, "#d0d7de");
		cairo_set_line_width(p->cr, 0.6);
		cairo_move_to(p->cr, MARGIN, p->y + h + 2);
		cairo_line_to(p->cr, MARGIN + CONTENT, p->y + h + 2);
		cairo_stroke(p->cr);
	}
	p->y += h + (verdict ? 16 : 0) + (heading ? 6 : 6);
	g_object_unref(l);
}

/* A PNG logo at the top right (an SVG one is shown by the HTML only). */
static void logo(struct pdf *p)
{
	const char *path = p->d->logo;
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (!p->draw || !dot || strcmp(dot, ".png") != 0)
		return;
	cairo_surface_t *img = cairo_image_surface_create_from_png(path);
	if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS &&
	    cairo_image_surface_get_height(img) > 0) {
		double s = fmin(40.0 / cairo_image_surface_get_height(img),
				160.0 / cairo_image_surface_get_width(img));
		cairo_save(p->cr);
		cairo_translate(p->cr, PAGE_W - MARGIN - cairo_image_surface_get_width(img) * s,
				TOP);
		cairo_scale(p->cr, s, s);
		cairo_set_source_surface(p->cr, img, 0, 0);
		cairo_paint(p->cr);
		cairo_restore(p->cr);
	} else {
		hu_log_warning("branding.logo: %s: not a readable PNG; the PDF goes without it",
			       path);
	}
	cairo_surface_destroy(img);
}

static void header(struct pdf *p)
{
	const struct rdoc *d = p->d;
	struct {
		const char *text;
		double size;
		bool bold;
		const char *ink;
	} lines[] = {
		{ d->agency, 10, true, d->color },
		{ d->title, 18, true, "#1f2328" },
		{ d->subtitle, 10, false, "#57606a" },
		{ d->generated, 8.5, false, "#57606a" },
	};

	logo(p);
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		if (!lines[i].text)
			continue;
		/* Beside the logo, when there is one. */
		PangoLayout *l = layout(p, lines[i].text, lines[i].size, lines[i].bold,
					d->logo ? CONTENT - 170 : CONTENT);
		show(p, l, MARGIN, p->y, lines[i].ink);
		p->y += height_of(l) + 3;
		g_object_unref(l);
	}
	if (p->draw) {
		color(p->cr, d->color);
		cairo_rectangle(p->cr, MARGIN, p->y + 2, CONTENT, 3);
		cairo_fill(p->cr);
	}
	p->y += 14;
}

static void pass(struct pdf *p)
{
	p->page = 1;
	p->y = TOP;
	header(p);
	for (size_t i = 0; i < p->d->n; i++) {
		const struct rblock *k = &p->d->v[i];
		if (k->type == RB_TABLE || k->type == RB_FACTS)
			table(p, k);
		else if (k->type == RB_CHART)
			chart(p, k->chart);
		else
			text_block(p, k);
	}
	footer(p);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return hu_buf_append(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR
						     : CAIRO_STATUS_SUCCESS;
}

int report_pdf_write(const struct rdoc *d, const char *path, struct hu_err *err)
{
	struct hu_buf out = HU_BUF_INIT(PDF_MAX);
	cairo_surface_t *surface =
	    cairo_pdf_surface_create_for_stream(to_buf, &out, PAGE_W, PAGE_H);
	struct pdf p = { .cr = cairo_create(surface), .d = d };
	int r = 0;

	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->title);
	if (d->agency)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, d->agency);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "huolto");
	pass(&p); /* counting the pages */
	p.pages = p.page;
	p.draw = true;
	pass(&p);
	cairo_destroy(p.cr);
	cairo_surface_finish(surface);
	cairo_status_t st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS)
		r = hu_err_set(err, -EIO, "%s: %s", path,
			       st == CAIRO_STATUS_WRITE_ERROR ? "the PDF is too large"
							      : cairo_status_to_string(st));
	else
		r = hu_write_local_file(path, out.data, out.len, err);
	hu_buf_clear(&out);
	return r;
}

void report_pdf_cleanup(void)
{
	/* Fontconfig, pango and cairo keep caches for the life of the process. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
