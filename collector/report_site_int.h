/* SPDX-License-Identifier: MIT */
/* What the site report's builders share (report_site.c, report_state.c). */
#ifndef HUOLTO_COLLECTOR_REPORT_SITE_INT_H
#define HUOLTO_COLLECTOR_REPORT_SITE_INT_H

#include <jansson.h>

#include "report_doc.h"
#include "report_i18n.h"

struct site_ctx {
	struct rdoc *d;
	const json_t *m; /* the model (report_model.h) */
	enum report_lang lang;
};

/* o[k] as a string, or NULL; as an integer, or 0. */
const char *jstr(const json_t *o, const char *k);
json_int_t jint(const json_t *o, const char *k);
/* A finding's status (enum hu_status), -1 when it has none. */
int finding_status(const json_t *f);
/* "2026-11-22..." (an ISO 8601 date or time) as the language's date; "-" when not one. */
void fmt_iso_date(enum report_lang l, const char *iso, char *buf, size_t len);
/* The current-state sections: CMS, PHP, certificates, mail, database (report_state.c). */
void site_state(struct site_ctx *c);

#endif
