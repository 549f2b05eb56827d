/* SPDX-License-Identifier: MIT */
/*
 * A site's monthly report, from its model, in the calling thread's
 * language: the verdict, the work done, the current state, monitoring
 * coverage, recommendations and billing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advice.h"
#include "huolto/status.h"
#include "report.h"
#include "report_site_int.h"
#include "report_text.h"

const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int finding_status(const json_t *f)
{
	enum hu_status s = hu_status_from_name(jstr(f, "status"));

	return s == _HU_STATUS_INVALID ? -1 : (int)s;
}

void fmt_iso_date(enum report_lang l, const char *iso, char *buf, size_t len)
{
	struct tm tm = { 0 };

	if (!iso || !strptime(iso, "%Y-%m-%d", &tm))
		snprintf(buf, len, "-");
	else
		report_fmt_date(l, timegm(&tm), buf, len);
}

json_int_t jint(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The problems: every finding that is not ok, worst first. */
static json_t *problems(const json_t *m)
{
	json_t *v = json_array();
	size_t i;
	json_t *f;

	for (int rank = 3; rank >= 1; rank--)
		json_array_foreach(json_object_get(m, "findings"), i, f)
		{
			int s = finding_status(f);
			if (s > 0 && hu_status_rank((enum hu_status)s) == rank)
				json_array_append(v, f);
		}
	return v;
}

static void verdict(struct site_ctx *c, const json_t *probs)
{
	const char *site = jstr(c->m, "site");
	enum hu_status s = hu_status_from_name(jstr(c->m, "status"));
	unsigned long n = (unsigned long)json_array_size(probs);
	char *text = NULL;
	int r;

	if (json_integer_value(json_object_get(json_object_get(c->m, "coverage"), "received")) ==
	    0) {
		s = HU_UNKNOWN;
		r = asprintf(&text, _("No health check results were received for %s this month."),
			     site);
	} else if (s == HU_OK) {
		r = asprintf(&text, _("Everything checked on %s is in order."), site);
	} else if (s == HU_CRITICAL) {
		r = asprintf(&text,
			     dngettext(REPORT_DOMAIN,
				       "%s has %lu open problem; the worst needs fixing now.",
				       "%s has %lu open problems; the worst need fixing now.", n),
			     site, n);
	} else if (s == HU_WARNING) {
		r = asprintf(&text,
			     dngettext(REPORT_DOMAIN,
				       "%s works, but %lu thing needs attention soon.",
				       "%s works, but %lu things need attention soon.", n),
			     site, n);
	} else {
		r = asprintf(&text, _("Not everything on %s could be checked this month."), site);
	}
	if (r < 0) {
		c->d->error = -ENOMEM;
		return;
	}
	rdoc_verdict(c->d, s == _HU_STATUS_INVALID ? HU_UNKNOWN : s, text);
	free(text);
}

static const char *kind_word(const char *kind)
{
	if (kind && strcmp(kind, "maintenance") == 0)
		return _("Maintenance");
	if (kind && strcmp(kind, "development") == 0)
		return _("Development");
	if (kind && strcmp(kind, "support") == 0)
		return _("Support");
	return kind;
}

static const char *change_word(const json_t *ch)
{
	const char *area = jstr(ch, "area"), *what = jstr(ch, "what"), *kind = jstr(ch, "kind");

	if (strcmp(area, "php") == 0)
		return _("PHP version changed");
	if (strcmp(area, "tls") == 0)
		return _("Certificate renewed");
	if (strcmp(area, "mail") == 0) {
		if (kind && strcmp(kind, "spf") == 0)
			return _("SPF record changed");
		if (kind && strcmp(kind, "dmarc") == 0)
			return _("DMARC record changed");
		return _("Mail servers (MX) changed");
	}
	if (strcmp(what, "added") == 0)
		return _("Installed");
	if (strcmp(what, "removed") == 0)
		return _("Removed");
	return _("Updated");
}

static void work(struct site_ctx *c)
{
	static const char *head_h[] = { N_("Date"), N_("Work"), N_("Hours"), N_("Description") };
	static const char *head_c[] = { N_("Change"), N_("Of what"), N_("From"), N_("To") };
	const char *hh[4], *hc[4];
	json_t *hours = json_object_get(c->m, "hours"), *changes = json_object_get(c->m, "changes");
	size_t i;
	json_t *e;
	char date[48], h[48], hrs[64];

	for (i = 0; i < 4; i++) {
		hh[i] = _(head_h[i]);
		hc[i] = _(head_c[i]);
	}
	rdoc_heading(c->d, 1, "work", "%s", _("Work done"));
	if (json_array_size(hours) == 0) {
		rdoc_para(c->d, -1, "%s", _("No hours were logged for this site this month."));
	} else {
		size_t t = rdoc_table(c->d, _("Hours logged"), 4, hh);
		json_array_foreach(hours, i, e)
		{
			char *desc = NULL;
			fmt_iso_date(c->lang, jstr(e, "date"), date, sizeof(date));
			report_fmt_hours(c->lang, jint(e, "hours"), h, sizeof(h));
			snprintf(hrs, sizeof(hrs), "\x01%s", h);
			if (asprintf(&desc, jstr(e, "finding") ? "%s (%s: %s)" : "%s",
				     jstr(e, "note"), _("fixes"), jstr(e, "finding")) < 0)
				desc = NULL;
			const char *cells[] = { date, kind_word(jstr(e, "kind")), hrs, desc };
			rdoc_row(c->d, t, -1, cells);
			free(desc);
		}
		report_fmt_hours(c->lang, jint(c->m, "hours_used"), h, sizeof(h));
		snprintf(hrs, sizeof(hrs), "\x01%s", h);
		const char *total[] = { _("Total"), "", hrs, "" };
		rdoc_row(c->d, t, -1, total);
		if (!c->d->error)
			c->d->v[t - 1].total_row = true;
	}
	if (json_array_size(changes) == 0) {
		rdoc_para(c->d, -1, "%s",
			  _("No changes were detected between the month's first and last check."));
		return;
	}
	size_t t = rdoc_table(c->d, _("Changes detected by the checks"), 4, hc);
	json_array_foreach(changes, i, e)
	{
		const char *from = jstr(e, "from"), *to = jstr(e, "to");
		char f[48], tt[48];
		if (strcmp(jstr(e, "area"), "tls") == 0) {
			fmt_iso_date(c->lang, from, f, sizeof(f));
			fmt_iso_date(c->lang, to, tt, sizeof(tt));
			from = f;
			to = tt;
		}
		const char *cells[] = { change_word(e), jstr(e, "name"), from ? from : "-",
					to ? to : "-" };
		rdoc_row(c->d, t, -1, cells);
	}
}

static void coverage(struct site_ctx *c)
{
	const json_t *cov = json_object_get(c->m, "coverage");
	json_t *silent = json_object_get(cov, "silent");
	static const char *head[] = { N_("Silent from"), N_("Until"), N_("Days") };
	const char *hd[] = { _(head[0]), _(head[1]), _(head[2]) };
	size_t i;
	json_t *g;

	rdoc_heading(c->d, 1, "coverage", "%s", _("Monitoring coverage"));
	rdoc_para(c->d, -1,
		  _("%lld health checks were received, on %lld of the month's %lld days."),
		  (long long)jint(cov, "received"), (long long)jint(cov, "days"),
		  (long long)jint(cov, "expected"));
	if (json_array_size(silent) == 0) {
		rdoc_para(c->d, HU_OK, "%s", _("The checks ran without gaps."));
		return;
	}
	rdoc_para(c->d, HU_WARNING, "%s",
		  _("There were periods with no results: the site was not watched then."));
	size_t t = rdoc_table(c->d, NULL, 3, hd);
	json_array_foreach(silent, i, g)
	{
		char a[48], b[48], days[32];
		report_fmt_date(c->lang, (time_t)jint(g, "from"), a, sizeof(a));
		report_fmt_date(c->lang, (time_t)jint(g, "to"), b, sizeof(b));
		long long tenths = (long long)((jint(g, "to") - jint(g, "from")) * 10 / 86400);
		snprintf(days, sizeof(days), "\x01%lld%s%lld", tenths / 10,
			 c->lang == REPORT_FI ? "," : ".", tenths % 10);
		const char *cells[] = { a, b, days };
		rdoc_row(c->d, t, -1, cells);
	}
}

static void recommendations(struct site_ctx *c, const json_t *probs)
{
	static const char *head[] = { N_("Status"), N_("Problem"), N_("Where"), N_("What to do") };
	const char *hd[] = { _(head[0]), _(head[1]), _(head[2]), _(head[3]) };
	size_t i;
	json_t *f;

	rdoc_heading(c->d, 1, "recommendations", "%s", _("Recommendations"));
	if (json_array_size(probs) == 0) {
		rdoc_para(c->d, HU_OK, "%s", _("Nothing needs doing now."));
		return;
	}
	size_t t = rdoc_table(c->d, NULL, 4, hd);
	json_array_foreach(probs, i, f)
	{
		const char *code = jstr(f, "code");
		const char *cells[] = { _(report_status_word(finding_status(f))),
					_(report_finding_title(code)),
					jstr(f, "target") ? jstr(f, "target") : jstr(c->m, "site"),
					_(advice_for(code)) };
		rdoc_row(c->d, t, finding_status(f), cells);
	}
}

/* One row of the billing facts: a label and an amount of money or hours. */
static void money_row(struct site_ctx *c, size_t t, const char *what, int64_t v,
		      const char *currency)
{
	char buf[64];

	if (currency)
		report_fmt_money(c->lang, v, currency, buf, sizeof(buf));
	else
		report_fmt_hours(c->lang, v, buf, sizeof(buf));
	const char *cells[] = { what, buf };
	rdoc_row(c->d, t, -1, cells);
}

static void billing(struct site_ctx *c)
{
	const json_t *plan = json_object_get(c->m, "plan"), *bill = json_object_get(c->m, "bill");
	const char *cur = jstr(plan, "currency");
	char vat[96], pct[64];

	rdoc_heading(c->d, 1, "billing", "%s", _("Hours and billing"));
	if (!json_is_object(bill)) {
		rdoc_para(
		    c->d, -1, "%s",
		    _("This site is not assigned to a customer, so nothing is billed for it."));
		return;
	}
	bool fixed = strcmp(jstr(plan, "model"), "fixed") == 0;
	rdoc_para(c->d, -1, "%s",
		  fixed ? _("Fixed monthly fee: hours beyond those included are billed at the "
			    "hourly rate.")
			: _("Billed by the hour."));
	const json_t *cust = json_object_get(c->m, "customer");
	if (json_array_size(json_object_get(cust, "sites")) > 1) {
		char here[48];
		report_fmt_hours(c->lang, jint(c->m, "hours_used"), here, sizeof(here));
		rdoc_para(c->d, -1,
			  _("The plan covers all of %s's sites; %s of the hours were for %s."),
			  jstr(cust, "name"), here, jstr(c->m, "site"));
	}
	size_t t = rdoc_facts(c->d);
	if (fixed)
		money_row(c, t, _("Hours included"), jint(bill, "included"), NULL);
	money_row(c, t, _("Hours used"), jint(bill, "used"), NULL);
	if (fixed)
		money_row(c, t, _("Extra hours"), jint(bill, "extra"), NULL);
	else
		money_row(c, t, _("Hours billed"), jint(bill, "billed"), NULL);
	money_row(c, t, _("Hourly rate"), jint(plan, "hourly_rate"), cur);
	if (fixed)
		money_row(c, t, _("Monthly fee"), jint(bill, "fee"), cur);
	money_row(c, t, _("Hours"), jint(bill, "hours_amount"), cur);
	money_row(c, t, _("Subtotal"), jint(bill, "subtotal"), cur);
	/* Basis points as a percentage: 2550 is "25,5", 2400 "24", 1205 "12,05". */
	json_int_t bp = jint(plan, "vat");
	const char *sep = c->lang == REPORT_FI ? "," : ".";
	if (bp % 100 == 0)
		snprintf(pct, sizeof(pct), "%lld", (long long)(bp / 100));
	else if (bp % 10 == 0)
		snprintf(pct, sizeof(pct), "%lld%s%lld", (long long)(bp / 100), sep,
			 (long long)(bp % 100 / 10));
	else
		snprintf(pct, sizeof(pct), "%lld%s%02lld", (long long)(bp / 100), sep,
			 (long long)(bp % 100));
	snprintf(vat, sizeof(vat), _("VAT %s %%"), pct);
	money_row(c, t, vat, jint(bill, "vat"), cur);
	money_row(c, t, _("Total"), jint(bill, "total"), cur);
	if (!c->d->error)
		c->d->v[t - 1].total_row = true;
}

int report_site_doc(const json_t *model, const struct branding *brand, enum report_lang lang,
		    struct rdoc *d)
{
	struct site_ctx c = { .d = d, .m = model, .lang = lang };
	const json_t *cust = json_object_get(model, "customer");
	char month[64], when[48];
	json_t *probs = problems(model);

	rdoc_init(d);
	report_fmt_month(jstr(model, "month"), month, sizeof(month));
	report_fmt_date(lang, (time_t)jint(model, "generated_at"), when, sizeof(when));
	rdoc_set(d, &d->generated, _("Generated %s"), when);
	rdoc_brand(d, brand, report_lang_name(lang));
	rdoc_set(d, &d->title, "%s: %s", _("Maintenance report"), jstr(model, "site"));
	rdoc_set(d, &d->subtitle, "%s%s%s", jstr(cust, "name") ? jstr(cust, "name") : "",
		 jstr(cust, "name") ? " · " : "", month);
	rdoc_set(d, &d->footer, "%s · %s · %s", brand->agency ? brand->agency : "huolto",
		 jstr(model, "site"), month);
	verdict(&c, probs);
	work(&c);
	site_state(&c);
	coverage(&c);
	recommendations(&c, probs);
	billing(&c);
	json_decref(probs);
	return d->error;
}
