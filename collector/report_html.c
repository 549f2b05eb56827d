/* SPDX-License-Identifier: MIT */
/*
 * A report as one self-contained HTML file: inline CSS, inline SVG charts,
 * the logo as a data: URI, no scripts and no external requests (a
 * Content-Security-Policy that allows neither says so to the browser too).
 * Every text is escaped here, whatever its origin.
 */
#include <errno.h>
#include <stdarg.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/fileio.h"
#include "huolto/log.h"
#include "report_doc.h"

#define HTML_MAX (64u << 20)
#define LOGO_MAX (1u << 20)

/* The file being made; the first failure sticks. */
struct html {
	struct hu_buf b;
	int r;
};

static void emit(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct html *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = h->r < 0 ? h->r : hu_buf_vprintf(&h->b, fmt, ap);
	va_end(ap);
	if (r < 0)
		h->r = r;
}

/* Text as HTML character data or an attribute value: every markup character an entity. */
static void esc(struct html *h, const char *s)
{
	struct hu_buf *b = &h->b;
	int r = h->r;

	for (; s && *s && r >= 0; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&':
			r = hu_buf_append(b, "&amp;", 5);
			break;
		case '<':
			r = hu_buf_append(b, "&lt;", 4);
			break;
		case '>':
			r = hu_buf_append(b, "&gt;", 4);
			break;
		case '"':
			r = hu_buf_append(b, "&quot;", 6);
			break;
		case '\'':
			r = hu_buf_append(b, "&#39;", 5);
			break;
		default:
			/* Control characters are not allowed in HTML text: a space instead. */
			r = hu_buf_append(b, c < 0x20 && c != '\n' ? " " : s, 1);
		}
	}
	h->r = r;
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#1f2328;margin:0 auto;"
    "max-width:52em;padding:1.5em;line-height:1.45}"
    "header{border-bottom:4px solid var(--brand);margin-bottom:1em;padding-bottom:.5em}"
    "header img{max-height:48px;max-width:200px;float:right}"
    ".agency{font-weight:bold;color:var(--brand)}"
    "h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin-top:1.6em;"
    "border-bottom:1px solid #d0d7de}h3{font-size:1em;margin-top:1.2em}"
    ".sub,.gen{color:#57606a;margin:.2em 0}"
    ".verdict{border-left:.6em solid;padding:.6em 1em;background:#f6f8fa;font-size:1.1em}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}"
    "th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #d0d7de;"
    "vertical-align:top;overflow-wrap:anywhere}"
    "thead th{background:#f6f8fa}caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "td.num{text-align:right;white-space:nowrap}tr.total td{font-weight:bold}"
    "table.facts th{width:35%;font-weight:normal;color:#57606a}"
    ".st{font-weight:bold;white-space:nowrap}.mark{font-weight:bold}"
    "figure{margin:.8em 0}figcaption{color:#57606a;font-size:.85em}"
    "svg{max-width:100%;height:auto}"
    "footer{margin-top:2em;color:#57606a;font-size:.85em;border-top:1px solid #d0d7de}"
    "@media print{body{max-width:none;padding:0}h2{break-after:avoid}"
    "table,figure{break-inside:avoid}}";

/* The logo file as a data: URI (SVG or PNG), or nothing with a warning. */
static void logo(struct html *h, const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	const char *type = !dot                       ? NULL
			   : strcmp(dot, ".svg") == 0 ? "image/svg+xml"
			   : strcmp(dot, ".png") == 0 ? "image/png"
						      : NULL;
	struct hu_err err = HU_ERR_INIT;
	char *data = NULL;
	size_t len = 0;

	if (!type)
		return;
	if (hu_read_local_file(path, LOGO_MAX, &data, &len, NULL, &err) < 0) {
		hu_log_warning("branding.logo: %s; the report goes without it", hu_err_msg(&err));
		hu_err_clear(&err);
		return;
	}
	unsigned char *enc = malloc(4 * ((len + 2) / 3) + 1);
	if (!enc)
		h->r = -ENOMEM;
	else {
		EVP_EncodeBlock(enc, (const unsigned char *)data, (int)len);
		emit(h, "<img alt=\"\" src=\"data:%s;base64,%s\">", type, enc);
	}
	free(enc);
	free(data);
}

/* The SVG canvas: chart_draw's calls as SVG elements. */
static void svg_rect(void *ctx, double x, double y, double w, double h, const char *fill)
{
	emit(ctx, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x, y,
	     w, h, fill);
}

static void svg_line(void *ctx, double x1, double y1, double x2, double y2, const char *stroke,
		     double width, bool dashed)
{
	emit(ctx,
	     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
	     "stroke-width=\"%.1f\"%s/>",
	     x1, y1, x2, y2, stroke, width, dashed ? " stroke-dasharray=\"4 3\"" : "");
}

static void svg_text(void *ctx, double x, double y, const char *text, double size, int anchor,
		     const char *fill)
{
	emit(ctx, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">",
	     x, y, size,
	     anchor < 0   ? "start"
	     : anchor > 0 ? "end"
			  : "middle",
	     fill);
	esc(ctx, text);
	emit(ctx, "</text>");
}

static const struct canvas_ops svg_canvas = {
	.rect = svg_rect,
	.line = svg_line,
	.text = svg_text,
};

static void chart(struct html *h, const struct chart *c, size_t n)
{
	emit(h,
	     "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	     "aria-labelledby=\"c%zu-t c%zu-d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	     "height=\"%.0f\" font-family=\"DejaVu Sans,Verdana,sans-serif\">"
	     "<title id=\"c%zu-t\">",
	     n, n, c->width, c->height, c->width * 1.333, c->height * 1.333, n);
	esc(h, c->title);
	emit(h, "</title><desc id=\"c%zu-d\">", n);
	esc(h, c->desc);
	emit(h, "</desc>");
	chart_draw(c, &svg_canvas, h);
	emit(h, "</svg><figcaption>");
	esc(h, c->title);
	emit(h, "</figcaption></figure>\n");
}

static void cell(struct html *h, const struct rcell *c, const char *tag, const char *scope)
{
	emit(h, "<%s%s", tag, scope);
	if (c->status >= 0)
		emit(h, " class=\"st\" style=\"color:%s\"", report_status_color(c->status));
	else if (c->num)
		emit(h, " class=\"num\"");
	emit(h, ">");
	esc(h, c->text);
	emit(h, "</%s>", tag);
}

static void table(struct html *h, const struct rblock *t)
{
	bool facts = t->type == RB_FACTS;

	emit(h, "<table%s>", facts ? " class=\"facts\"" : "");
	if (t->text) {
		emit(h, "<caption>");
		esc(h, t->text);
		emit(h, "</caption>");
	}
	if (!facts) {
		emit(h, "<thead><tr>");
		for (size_t i = 0; i < t->cols; i++) {
			emit(h, "<th scope=\"col\">");
			esc(h, t->head[i]);
			emit(h, "</th>");
		}
		emit(h, "</tr></thead>");
	}
	emit(h, "<tbody>");
	for (size_t r = 0; r < t->rows; r++) {
		bool total = t->total_row && r + 1 == t->rows;
		emit(h, "<tr%s>", total ? " class=\"total\"" : "");
		for (size_t i = 0; i < t->cols; i++)
			cell(h, &t->cells[r * t->cols + i], facts && i == 0 ? "th" : "td",
			     facts && i == 0 ? " scope=\"row\"" : "");
		emit(h, "</tr>");
	}
	emit(h, "</tbody></table>\n");
}

static void block(struct html *h, const struct rblock *k, size_t n)
{
	switch (k->type) {
	case RB_HEADING:
		emit(h, "<h%d", k->level + 1);
		if (k->id) {
			emit(h, " id=\"");
			esc(h, k->id);
			emit(h, "\"");
		}
		emit(h, ">");
		esc(h, k->text);
		emit(h, "</h%d>\n", k->level + 1);
		break;
	case RB_PARA:
		emit(h, "<p>");
		if (k->status >= 0)
			emit(h,
			     "<span class=\"mark\" aria-hidden=\"true\" "
			     "style=\"color:%s\">&#9679;</span> ",
			     report_status_color(k->status));
		esc(h, k->text);
		emit(h, "</p>\n");
		break;
	case RB_VERDICT:
		emit(h, "<section class=\"verdict\" style=\"border-color:%s\"><p>",
		     report_status_color(k->status));
		esc(h, k->text);
		emit(h, "</p></section>\n");
		break;
	case RB_TABLE:
	case RB_FACTS:
		table(h, k);
		break;
	case RB_CHART:
		chart(h, k->chart, n);
		break;
	}
}

static void head(struct html *h, const struct rdoc *d)
{
	emit(h,
	     "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	     "style-src 'unsafe-inline'; img-src data:\">\n"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	     "<title>",
	     d->lang);
	esc(h, d->title);
	emit(h, "</title>\n<style>:root{--brand:%s}%s</style>\n</head>\n<body>\n<header>",
	     d->color ? d->color : "#0b5fff", css);
	logo(h, d->logo);
	if (d->agency) {
		emit(h, "<p class=\"agency\">");
		esc(h, d->agency);
		emit(h, "</p>");
	}
	emit(h, "<h1>");
	esc(h, d->title);
	emit(h, "</h1><p class=\"sub\">");
	esc(h, d->subtitle);
	emit(h, "</p><p class=\"gen\">");
	esc(h, d->generated);
	emit(h, "</p></header>\n<main>\n");
}

int report_html_write(const struct rdoc *d, const char *path, struct hu_err *err)
{
	struct html h = { .b = HU_BUF_INIT(HTML_MAX) };
	int r;

	head(&h, d);
	for (size_t i = 0; i < d->n; i++)
		block(&h, &d->v[i], i);
	emit(&h, "</main>\n<footer><p>");
	esc(&h, d->footer);
	emit(&h, "</p></footer>\n</body>\n</html>\n");
	if (h.r == -E2BIG)
		r = hu_err_set(err, h.r, "%s: the report is larger than %u MiB", path,
			       HTML_MAX >> 20);
	else if (h.r < 0)
		r = h.r;
	else
		r = hu_write_local_file(path, h.b.data, h.b.len, err);
	hu_buf_clear(&h.b);
	return r;
}
