/* SPDX-License-Identifier: MIT */
/*
 * The monthly reports: a site's (report_site.c) and the team's overview
 * (report_overview.c), each built from models (report_model.h) into a
 * block document (report_doc.h) in the calling thread's language
 * (report_i18n_use), then written as HTML and PDF.
 */
#ifndef HUOLTO_COLLECTOR_REPORT_H
#define HUOLTO_COLLECTOR_REPORT_H

#include <jansson.h>

#include "customer_conf.h"
#include "report_doc.h"
#include "report_i18n.h"

/* d (initialized here; rdoc_clear it) from a site's model: 0 or -ENOMEM. */
int report_site_doc(const json_t *model, const struct branding *brand, enum report_lang lang,
		    struct rdoc *d);

/*
 * The overview of month from every site's model: sites worst first with
 * their open problems and hours, and billing totals per customer.
 */
int report_overview_doc(const json_t *models, const char *month, time_t now,
			const struct branding *brand, enum report_lang lang, struct rdoc *d);

#endif
