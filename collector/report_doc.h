/* SPDX-License-Identifier: MIT */
/*
 * A report as a list of blocks of plain text (headings, paragraphs, the
 * verdict, tables, key/value facts, charts), built in one language by
 * report_site.c and report_overview.c, and drawn by the two renderers:
 * HTML (report_html.c, which escapes every text) and PDF (report_pdf.c,
 * cairo + pango). No block holds markup, so nothing a customer server
 * wrote can become an element in either.
 */
#ifndef HUOLTO_COLLECTOR_REPORT_DOC_H
#define HUOLTO_COLLECTOR_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "customer_conf.h"
#include "huolto/err.h"
#include "huolto/status.h"
#include "report_chart.h"

enum rblock_type {
	RB_HEADING, /* level 1 or 2 */
	RB_PARA,    /* a paragraph; with a status, a coloured mark before it */
	RB_VERDICT, /* the overall status as a colour and one sentence */
	RB_TABLE,   /* a header row and rows */
	RB_FACTS,   /* two columns: what, value */
	RB_CHART,   /* a chart (report_chart.h) */
};

/* A table cell: text, and optionally a status to colour it by. */
struct rcell {
	char *text;
	int status; /* enum hu_status, or -1 for none */
	bool num;   /* a number: aligned right, kept on one line */
};

struct rblock {
	enum rblock_type type;
	int level;           /* RB_HEADING */
	int status;          /* RB_VERDICT, RB_PARA: enum hu_status or -1 */
	char *text;          /* RB_HEADING, RB_PARA, RB_VERDICT; a table's caption */
	char *id;            /* RB_HEADING: an anchor ("work", "billing") or NULL */
	size_t cols;         /* RB_TABLE, RB_FACTS (2) */
	size_t rows;         /* body rows; the header is row -1 */
	char **head;         /* cols texts */
	struct rcell *cells; /* rows * cols */
	bool total_row;      /* the last row is a total (bold) */
	struct chart *chart;
};

/* A header above the blocks: who made the report, for whom, when. */
struct rdoc {
	char *lang;      /* "fi", "en" */
	char *title;     /* the document title */
	char *agency;    /* branding.agency, or NULL */
	char *logo;      /* branding.logo (a file), or NULL */
	char *color;     /* branding.color, "#0b5fff" */
	char *subtitle;  /* customer, site, period */
	char *generated; /* "Generated 22.11.2026" */
	char *footer;    /* on every PDF page, with "page / pages" */
	struct rblock *v;
	size_t n, cap;
	int error; /* the first failure of a builder call: -ENOMEM */
};

/* The builders record a failure in d->error and carry on (doing nothing). */
void rdoc_init(struct rdoc *d);
void rdoc_clear(struct rdoc *d);
/* Set one of the header fields (a copy of a printf format). */
void rdoc_set(struct rdoc *d, char **field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The document's language and the header's branding (colour, agency, logo). */
void rdoc_brand(struct rdoc *d, const struct branding *b, const char *lang);
void rdoc_heading(struct rdoc *d, int level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rdoc_para(struct rdoc *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rdoc_verdict(struct rdoc *d, enum hu_status status, const char *text);
/* A table of cols columns with these headers: a handle for rdoc_row (0 on failure). */
size_t rdoc_table(struct rdoc *d, const char *caption, size_t cols, const char *const *head);
/*
 * A row of table t: cols cells (NULL: empty); a cell text starting with
 * "\x01" is a number. status >= 0 colours the first cell.
 */
void rdoc_row(struct rdoc *d, size_t t, int status, const char *const *cells);
/* A facts block (what, value rows). */
size_t rdoc_facts(struct rdoc *d);
void rdoc_fact(struct rdoc *d, size_t t, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Takes c (freed with the document). */
void rdoc_chart(struct rdoc *d, struct chart *c);

/* The HTML file at path (report_html.c); the PDF file at path (report_pdf.c). */
int report_html_write(const struct rdoc *d, const char *path, struct hu_err *err);
int report_pdf_write(const struct rdoc *d, const char *path, struct hu_err *err);
/* Let go of the font caches the PDFs used (at the end of the process's reports). */
void report_pdf_cleanup(void);

/* A status's colour: "#1a7f37" for ok, ... */
const char *report_status_color(int status);

#endif
