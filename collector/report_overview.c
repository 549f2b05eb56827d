/* SPDX-License-Identifier: MIT */
/*
 * The team's overview of a month: every site worst first with its open
 * problems and hours, and the month's billing per customer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/status.h"
#include "report.h"
#include "report_site_int.h"
#include "report_text.h"

static int rank_of(const json_t *m)
{
	enum hu_status s = hu_status_from_name(jstr(m, "status"));

	return hu_status_rank(s == _HU_STATUS_INVALID ? HU_UNKNOWN : s);
}

static int by_worst(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d = rank_of(y) - rank_of(x);

	return d ? d : strcmp(jstr(x, "site"), jstr(y, "site"));
}

/* The open problems of a model: their count, and the worst one's title. */
static size_t problems(const json_t *m, const char **worst)
{
	size_t i, n = 0;
	json_t *f;
	int w = 0;

	*worst = NULL;
	json_array_foreach(json_object_get(m, "findings"), i, f)
	{
		enum hu_status s = hu_status_from_name(jstr(f, "status"));
		if (s == HU_OK || s == _HU_STATUS_INVALID)
			continue;
		n++;
		if (hu_status_rank(s) > w) {
			w = hu_status_rank(s);
			*worst = report_finding_title(jstr(f, "code"));
		}
	}
	return n;
}

static void sites(struct rdoc *d, json_t **v, size_t n, enum report_lang lang)
{
	static const char *head[] = { N_("Status"), N_("Site"), N_("Customer"), N_("Open problems"),
				      N_("Hours used") };
	const char *hd[] = { _(head[0]), _(head[1]), _(head[2]), _(head[3]), _(head[4]) };
	size_t t = rdoc_table(d, _("Sites, worst first"), 5, hd);

	for (size_t i = 0; i < n; i++) {
		const json_t *m = v[i];
		const char *worst;
		size_t k = problems(m, &worst);
		char probs[512], used[48];
		enum hu_status s = hu_status_from_name(jstr(m, "status"));
		if (jint(json_object_get(m, "coverage"), "received") == 0)
			s = HU_UNKNOWN;
		if (k)
			snprintf(probs, sizeof(probs), "%zu: %s", k, _(worst));
		else
			snprintf(probs, sizeof(probs), "%s",
				 jint(json_object_get(m, "coverage"), "received")
				     ? "0"
				     : _("no results"));
		used[0] = '\x01';
		report_fmt_hours(lang, jint(m, "hours_used"), used + 1, sizeof(used) - 1);
		const json_t *cust = json_object_get(m, "customer");
		const char *cells[] = {
			_(report_status_word(s == _HU_STATUS_INVALID ? HU_UNKNOWN : s)),
			jstr(m, "site"), jstr(cust, "name") ? jstr(cust, "name") : "-", probs, used
		};
		rdoc_row(d, t, s == _HU_STATUS_INVALID ? HU_UNKNOWN : s, cells);
	}
}

/* One row per customer: the bill of the first of its sites' models (they share it). */
static void customers(struct rdoc *d, json_t **v, size_t n, enum report_lang lang)
{
	static const char *head[] = {
		N_("Customer"),    N_("Sites"),    N_("Hours used / included"),
		N_("Extra hours"), N_("Subtotal"), N_("Total with VAT")
	};
	const char *hd[] = {
		_(head[0]), _(head[1]), _(head[2]), _(head[3]), _(head[4]), _(head[5])
	};
	json_t *seen = json_object();
	size_t t = 0;

	for (size_t i = 0; i < n; i++) {
		const json_t *cust = json_object_get(v[i], "customer");
		const json_t *bill = json_object_get(v[i], "bill");
		const char *cur = jstr(json_object_get(v[i], "plan"), "currency");
		char sites_n[32], hrs[48], incl[48], used[112], extra[48], sub[64], total[64];
		if (!json_is_object(cust) || json_object_get(seen, jstr(cust, "id")))
			continue;
		json_object_set_new(seen, jstr(cust, "id"), json_true());
		if (!t)
			t = rdoc_table(d, _("Billing per customer"), 6, hd);
		snprintf(sites_n, sizeof(sites_n), "\x01%zu",
			 json_array_size(json_object_get(cust, "sites")));
		report_fmt_hours(lang, jint(bill, "used"), hrs, sizeof(hrs));
		report_fmt_hours(lang, jint(bill, "included"), incl, sizeof(incl));
		snprintf(used, sizeof(used), "\x01%s%s%s", hrs,
			 jint(bill, "included") > 0 ? " / " : "",
			 jint(bill, "included") > 0 ? incl : "");
		report_fmt_hours(lang, jint(bill, "extra"), extra + 1, sizeof(extra) - 1);
		report_fmt_money(lang, jint(bill, "subtotal"), cur, sub + 1, sizeof(sub) - 1);
		report_fmt_money(lang, jint(bill, "total"), cur, total + 1, sizeof(total) - 1);
		extra[0] = sub[0] = total[0] = '\x01';
		const char *cells[] = { jstr(cust, "name"), sites_n, used, extra, sub, total };
		rdoc_row(d, t, -1, cells);
	}
	if (!t)
		rdoc_para(d, -1, "%s",
			  _("No site of this month belongs to a configured customer."));
	json_decref(seen);
}

int report_overview_doc(const json_t *models, const char *month, time_t now,
			const struct branding *brand, enum report_lang lang, struct rdoc *d)
{
	size_t n = json_array_size(models), counts[4] = { 0 };
	json_t **v = calloc(n + 1, sizeof(*v));
	char m[64], when[48];

	rdoc_init(d);
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i] = json_array_get(models, i);
		enum hu_status s = hu_status_from_name(jstr(v[i], "status"));
		counts[s == _HU_STATUS_INVALID ? HU_UNKNOWN : s]++;
	}
	qsort(v, n, sizeof(*v), by_worst);
	report_fmt_month(month, m, sizeof(m));
	report_fmt_date(lang, now, when, sizeof(when));
	rdoc_set(d, &d->generated, _("Generated %s"), when);
	rdoc_brand(d, brand, report_lang_name(lang));
	rdoc_set(d, &d->title, "%s", _("Maintenance overview"));
	rdoc_set(d, &d->subtitle, "%s", m);
	rdoc_set(d, &d->footer, "%s · %s", brand->agency ? brand->agency : "huolto", m);
	enum hu_status all = counts[HU_CRITICAL]  ? HU_CRITICAL
			     : counts[HU_UNKNOWN] ? HU_UNKNOWN
			     : counts[HU_WARNING] ? HU_WARNING
						  : HU_OK;
	char *text = NULL;
	if (asprintf(&text,
		     _("%zu sites: %zu critical, %zu unknown, %zu with warnings, %zu in order."), n,
		     counts[HU_CRITICAL], counts[HU_UNKNOWN], counts[HU_WARNING],
		     counts[HU_OK]) >= 0) {
		rdoc_verdict(d, all, text);
		free(text);
	}
	sites(d, v, n, lang);
	customers(d, v, n, lang);
	free(v);
	return d->error;
}
