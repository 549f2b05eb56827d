/* SPDX-License-Identifier: MIT */
/*
 * The site report's current state, one section per area in plain words
 * with the facts: site software, PHP, certificates (with a timeline),
 * mail DNS and the database (with the connections chart).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "huolto/status.h"
#include "report_site_int.h"
#include "report_text.h"

#define DAY 86400.0

static bool starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The worst status of the findings with prefix (NULL: any) and target (NULL: any); -1: none. */
static int worst(const json_t *m, const char *prefix, const char *target, const json_t **which)
{
	size_t i;
	json_t *f;
	int w = -1;

	json_array_foreach(json_object_get(m, "findings"), i, f)
	{
		const char *t = jstr(f, "target");
		/* The inventory's own finding (cms.ok) targets the document root, a core's path. */
		if ((!prefix && starts(jstr(f, "code"), "cms.")) ||
		    (prefix && !starts(jstr(f, "code"), prefix)) ||
		    (target && (!t || strcmp(t, target) != 0)))
			continue;
		int s = finding_status(f);
		if (w < 0 || (s >= 0 && hu_status_rank((enum hu_status)s) >
					    hu_status_rank((enum hu_status)w))) {
			w = s;
			if (which)
				*which = f;
		}
	}
	return w;
}

static const char *kind_word(const char *kind)
{
	static const struct {
		const char *kind, *word;
	} words[] = {
		{ "wordpress-core", N_("WordPress") },
		{ "wordpress-plugin", N_("Plugin") },
		{ "wordpress-mu-plugin", N_("Must-use plugin") },
		{ "wordpress-dropin", N_("Drop-in") },
		{ "wordpress-theme", N_("Theme") },
		{ "drupal-core", N_("Drupal") },
		{ "drupal-module", N_("Module") },
		{ "drupal-theme", N_("Theme") },
		{ "joomla-core", N_("Joomla") },
		{ "joomla-extension", N_("Extension") },
	};

	for (size_t i = 0; kind && i < sizeof(words) / sizeof(*words); i++)
		if (strcmp(kind, words[i].kind) == 0)
			return _(words[i].word);
	return kind ? kind : "-";
}

static void cms(struct site_ctx *c)
{
	static const char *head[] = { N_("Status"), N_("Name"), N_("Type"), N_("Installed"),
				      N_("Latest") };
	const char *hd[] = { _(head[0]), _(head[1]), _(head[2]), _(head[3]), _(head[4]) };
	json_t *inv = json_object_get(c->m, "inventory");
	bool judged = json_is_true(json_object_get(c->m, "catalog"));
	size_t i;
	json_t *it;

	rdoc_heading(c->d, 2, NULL, "%s", _("Site software"));
	if (json_array_size(inv) == 0) {
		rdoc_para(c->d, -1, "%s",
			  _("No WordPress, Drupal or Joomla installation was found."));
		return;
	}
	json_array_foreach(inv, i, it)
	{
		const char *kind = jstr(it, "kind");
		if (kind && strstr(kind, "-core"))
			rdoc_para(c->d, -1, _("%s %s, installed in %s."), kind_word(kind),
				  jstr(it, "version") ? jstr(it, "version") : "?",
				  jstr(it, "path"));
	}
	if (!judged)
		rdoc_para(c->d, -1, "%s",
			  _("The versions were not compared with upstream releases: the collector "
			    "has no release catalog configured."));
	size_t t = rdoc_table(c->d, NULL, 5, hd);
	json_array_foreach(inv, i, it)
	{
		const json_t *f = NULL;
		int s = worst(c->m, NULL, jstr(it, "path"), &f);
		const char *latest = jstr(json_object_get(it, "catalog"), "latest");
		if (!latest)
			latest = jstr(json_object_get(f, "facts"), "latest");
		const char *name = jstr(it, "name") ? jstr(it, "name") : jstr(it, "slug");
		const char *word = s >= 0   ? _(report_status_word(s))
				   : judged ? _("Up to date")
					    : "-";
		const char *cells[] = { word, name ? name : "-", kind_word(jstr(it, "kind")),
					jstr(it, "version") ? jstr(it, "version") : "-",
					latest ? latest : "" };
		rdoc_row(c->d, t, s >= 0 ? s : judged ? HU_OK : -1, cells);
	}
}

static void php(struct site_ctx *c)
{
	static const char *head[] = { N_("Status"), N_("PHP"), N_("Security fixes until"),
				      N_("Served by") };
	const char *hd[] = { _(head[0]), _(head[1]), _(head[2]), _(head[3]) };
	size_t i;
	json_t *f;
	size_t t = 0;

	rdoc_heading(c->d, 2, NULL, "%s", _("PHP"));
	json_array_foreach(json_object_get(c->m, "findings"), i, f)
	{
		const json_t *facts = json_object_get(f, "facts");
		char until[48];
		if (!starts(jstr(f, "code"), "php.") || !jstr(facts, "branch"))
			continue;
		if (!t) {
			rdoc_para(
			    c->d, -1, "%s",
			    _("PHP runs the site's code. Each version gets security fixes for "
			      "a few years; after that it should be replaced."));
			t = rdoc_table(c->d, NULL, 4, hd);
		}
		fmt_iso_date(c->lang, jstr(facts, "security_support_end"), until, sizeof(until));
		const char *cells[] = { _(report_status_word(finding_status(f))),
					jstr(facts, "version") ? jstr(facts, "version") : "-",
					until, jstr(f, "target") ? jstr(f, "target") : "-" };
		rdoc_row(c->d, t, finding_status(f), cells);
	}
	if (!t)
		rdoc_para(c->d, -1, "%s", _("No PHP version was found for the site."));
}

/* The part of an RFC 2253 name a person reads: its CN, else its O, else the whole. */
static void short_name(const char *dn, char *buf, size_t len)
{
	const char *keys[] = { "CN=", "O=" };

	for (size_t k = 0; dn && k < 2; k++) {
		const char *p = strstr(dn, keys[k]);
		if (p && (p == dn || p[-1] == ',')) {
			p += strlen(keys[k]);
			size_t n = strcspn(p, ",");
			n = n < len - 1 ? n : len - 1;
			memcpy(buf, p, n);
			buf[n] = 0;
			return;
		}
	}
	snprintf(buf, len, "%s", dn ? dn : "-");
}

static time_t iso_time(const char *s)
{
	struct tm tm = { 0 };

	return s && strptime(s, "%Y-%m-%d", &tm) ? timegm(&tm) : 0;
}

static struct chart *cert_chart(struct site_ctx *c)
{
	json_t *eps = json_object_get(c->m, "certs");
	double from = (double)jint(c->m, "from"), to = (double)jint(c->m, "to");
	double t0 = from - 60 * DAY, t1 = to + 90 * DAY;
	struct chart *ch = chart_new(
	    CHART_TIMELINE, _("Certificates served during the month, by validity"),
	    _("Each bar is one certificate, from its start to its end date; the dashed line is "
	      "the end of the month."));
	size_t i, j;
	json_t *ep, *cert;
	char date[48];

	if (!ch)
		return NULL;
	ch->t0 = t0;
	ch->t1 = t1;
	ch->now = to;
	ch->now_label = strdup(_("month end"));
	json_array_foreach(eps, i, ep) json_array_foreach(json_object_get(ep, "certs"), j, cert)
	{
		/* The address only: the table above gives issuer and dates. */
		chart_span(ch, jstr(ep, "endpoint"), (double)iso_time(jstr(cert, "not_before")),
			   (double)iso_time(jstr(cert, "not_after")),
			   j + 1 == json_array_size(json_object_get(ep, "certs")));
	}
	/* A tick at the start of every other month in the window. */
	struct tm tm;
	time_t t = (time_t)t0;
	gmtime_r(&t, &tm);
	for (int k = 0; k < 12; k++) {
		tm.tm_mday = 1;
		tm.tm_mon++;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		time_t tick = timegm(&tm);
		gmtime_r(&tick, &tm);
		if ((double)tick > t1)
			break;
		if (k % 2)
			continue;
		report_fmt_date(c->lang, tick, date, sizeof(date));
		chart_tick(ch, (double)tick, date);
	}
	return ch;
}

static void certs(struct site_ctx *c)
{
	static const char *head[] = { N_("Status"), N_("Address"), N_("Issued by"), N_("Expires"),
				      N_("Days left") };
	const char *hd[] = { _(head[0]), _(head[1]), _(head[2]), _(head[3]), _(head[4]) };
	json_t *seen = json_object();
	size_t i, t = 0;
	json_t *f;

	rdoc_heading(c->d, 2, NULL, "%s", _("Certificates"));
	json_array_foreach(json_object_get(c->m, "findings"), i, f)
	{
		const json_t *facts = json_object_get(f, "facts");
		char ep[512], issuer[256], until[48], days[32];
		if (!starts(jstr(f, "code"), "tls.") || !jstr(facts, "fingerprint_sha256") ||
		    !jstr(facts, "name") || json_object_get(facts, "file"))
			continue;
		snprintf(ep, sizeof(ep), "%s:%lld", jstr(facts, "name"),
			 (long long)jint(facts, "port"));
		if (json_object_get(seen, ep))
			continue;
		json_object_set_new(seen, ep, json_true());
		if (!t) {
			rdoc_para(c->d, -1, "%s",
				  _("A certificate lets browsers verify the site and encrypt the "
				    "connection. It must be renewed before it expires."));
			t = rdoc_table(c->d, NULL, 5, hd);
		}
		short_name(jstr(facts, "issuer"), issuer, sizeof(issuer));
		fmt_iso_date(c->lang, jstr(facts, "not_after"), until, sizeof(until));
		snprintf(days, sizeof(days), "\x01%lld",
			 (long long)floor(json_number_value(json_object_get(facts, "days_left"))));
		/* The worst finding of any address of this endpoint. */
		int s = finding_status(f);
		const char *cells[] = { _(report_status_word(s)), ep, issuer, until, days };
		rdoc_row(c->d, t, s, cells);
	}
	json_decref(seen);
	if (worst(c->m, "tls.no_https", NULL, NULL) >= 0)
		rdoc_para(c->d, HU_WARNING, "%s", _("The site has no HTTPS address."));
	else if (!t)
		rdoc_para(c->d, -1, "%s", _("No certificate was checked this month."));
	if (json_array_size(json_object_get(c->m, "certs")))
		rdoc_chart(c->d, cert_chart(c));
}

/* What a mail finding means, in a sentence. */
static void mail_row(struct site_ctx *c, size_t t, const char *what, const json_t *f)
{
	const json_t *facts = json_object_get(f, "facts");
	const char *code = jstr(f, "code"), *p = jstr(facts, "effective_policy");
	char *text = NULL;
	int r;

	if (strcmp(code, "spf.ok") == 0)
		r = asprintf(&text, "%s: %s",
			     _("In order; it lists the servers allowed to send "
			       "the domain's mail"),
			     jstr(facts, "record"));
	else if (strcmp(code, "dmarc.ok") == 0 && p && strcmp(p, "reject") == 0)
		r = asprintf(&text, "%s",
			     _("In order: receivers reject mail that fails the checks."));
	else if (strcmp(code, "dmarc.ok") == 0)
		r = asprintf(&text, "%s",
			     _("In order: receivers treat mail that fails the checks "
			       "as spam."));
	else if (strcmp(code, "mx.ok") == 0 || strcmp(code, "mx.null") == 0) {
		char *list = NULL;
		size_t n = 0, i;
		json_t *e;
		FILE *mf = open_memstream(&list, &n);
		json_array_foreach(json_object_get(facts, "mx"), i, e) if (mf)
		    fprintf(mf, "%s%s", i ? ", " : "", jstr(e, "exchange"));
		if (mf)
			fclose(mf);
		r = asprintf(&text, "%s %s", _("Mail to the domain is received by:"),
			     list ? list : "-");
		free(list);
	} else
		r = asprintf(&text, "%s: %s", _(report_status_word(finding_status(f))),
			     _(report_finding_title(code)));
	if (r >= 0) {
		const char *cells[] = { what, text };
		rdoc_row(c->d, t, -1, cells);
	}
	free(text);
}

static void mail(struct site_ctx *c)
{
	static const char *areas[][2] = { { "spf.", "SPF" },
					  { "dmarc.", "DMARC" },
					  { "mx.", "MX" } };
	json_t *domains = json_object();
	size_t i;
	json_t *f;
	const char *dom;
	json_t *v;

	rdoc_heading(c->d, 2, NULL, "%s", _("Mail"));
	json_array_foreach(json_object_get(c->m, "findings"), i, f)
	{
		const char *d = jstr(json_object_get(f, "facts"), "domain");
		if (d && (starts(jstr(f, "code"), "spf.") || starts(jstr(f, "code"), "dmarc.") ||
			  starts(jstr(f, "code"), "mx.")))
			json_object_set_new(domains, d, json_true());
	}
	if (json_object_size(domains) == 0)
		rdoc_para(c->d, -1, "%s", _("No mail domain was checked for the site."));
	else
		rdoc_para(c->d, -1, "%s",
			  _("SPF says which servers may send the domain's mail, DMARC tells "
			    "receivers what to do with forged mail, and MX says which servers "
			    "receive it."));
	json_object_foreach(domains, dom, v)
	{
		size_t t = rdoc_facts(c->d);
		rdoc_fact(c->d, t, _("Domain"), "%s", dom);
		for (size_t a = 0; a < 3; a++) {
			const json_t *w = NULL;
			size_t k;
			json_t *g;
			/* The worst finding of the area for this domain. */
			json_array_foreach(json_object_get(c->m, "findings"), k, g)
			{
				if (!starts(jstr(g, "code"), areas[a][0]) ||
				    strcmp(jstr(json_object_get(g, "facts"), "domain") ?: "", dom))
					continue;
				if (!w || hu_status_rank((enum hu_status)finding_status(g)) >
					      hu_status_rank((enum hu_status)finding_status(w)))
					w = g;
			}
			if (w)
				mail_row(c, t, areas[a][1], w);
		}
	}
	json_decref(domains);
}

static struct chart *db_chart(struct site_ctx *c, const json_t *acc)
{
	const json_t *days = json_object_get(acc, "days");
	time_t from = (time_t)jint(c->m, "from");
	size_t n = (size_t)((jint(c->m, "to") - from) / 86400), i;
	double *a = calloc(n + 1, sizeof(double)), *b = calloc(n + 1, sizeof(double));
	struct chart *ch = chart_new(CHART_BARS, _("Database connections, the highest of each day"),
				     _("Bars: the server's connections and the site's account's "
				       "connections at each day's checks; dashed lines: their "
				       "limits."));
	json_t *d;
	char label[48];

	if (!ch || !a || !b) {
		free(a);
		free(b);
		chart_free(ch);
		return NULL;
	}
	for (i = 0; i < n; i++)
		a[i] = b[i] = NAN;
	json_array_foreach(days, i, d)
	{
		struct tm tm = { 0 };
		if (!strptime(jstr(d, "day"), "%Y-%m-%d", &tm))
			continue;
		size_t k = (size_t)((timegm(&tm) - from) / 86400);
		if (k >= n)
			continue;
		if (json_is_integer(json_object_get(d, "server")))
			a[k] = (double)jint(d, "server");
		if (json_is_integer(json_object_get(d, "account")))
			b[k] = (double)jint(d, "account");
	}
	chart_values(ch, a, b, n, _("server"), _("the site's account"));
	free(a);
	free(b);
	for (i = 0; i < n; i += 7) {
		report_fmt_date(c->lang, from + (time_t)i * 86400, label, sizeof(label));
		chart_tick(ch, (double)i, label);
	}
	snprintf(label, sizeof(label), "max_connections %lld",
		 (long long)jint(acc, "max_connections"));
	chart_line(ch, (double)jint(acc, "max_connections"), label);
	if (json_is_integer(json_object_get(acc, "user_limit"))) {
		snprintf(label, sizeof(label), "max_user_connections %lld",
			 (long long)jint(acc, "user_limit"));
		chart_line(ch, (double)jint(acc, "user_limit"), label);
	}
	return ch;
}

static void database(struct site_ctx *c)
{
	size_t i, n = 0;
	json_t *f;

	rdoc_heading(c->d, 2, NULL, "%s", _("Database"));
	json_array_foreach(json_object_get(c->m, "findings"), i, f)
	{
		const json_t *x = json_object_get(f, "facts");
		if (!starts(jstr(f, "code"), "db.") || !jstr(x, "server"))
			continue;
		if (n++ == 0)
			rdoc_para(
			    c->d, -1, "%s",
			    _("A database server accepts only so many connections at once, in "
			      "all and per account; a busy site that reaches the limit stops "
			      "working."));
		size_t t = rdoc_facts(c->d);
		rdoc_fact(c->d, t, _("Status"), "%s: %s", _(report_status_word(finding_status(f))),
			  _(report_finding_title(jstr(f, "code"))));
		rdoc_fact(c->d, t, _("Account"), "%s", jstr(f, "target") ? jstr(f, "target") : "-");
		if (jstr(x, "version"))
			rdoc_fact(c->d, t, _("Server"), "%s %s",
				  jstr(x, "flavour") ? jstr(x, "flavour") : "", jstr(x, "version"));
		if (json_is_integer(json_object_get(x, "max_connections"))) {
			rdoc_fact(c->d, t, _("Connections now / limit"), "%lld / %lld",
				  (long long)jint(x, "threads_connected"),
				  (long long)jint(x, "max_connections"));
			rdoc_fact(c->d, t, _("Highest since the server started / limit"),
				  "%lld / %lld", (long long)jint(x, "max_used_connections"),
				  (long long)jint(x, "max_connections"));
		}
		if (json_is_integer(json_object_get(x, "user_connections")))
			rdoc_fact(c->d, t, _("The site's account now"), "%lld",
				  (long long)jint(x, "user_connections"));
	}
	if (n == 0)
		rdoc_para(c->d, -1, "%s", _("No database was checked for the site."));
	json_array_foreach(json_object_get(c->m, "db"), i, f) rdoc_chart(c->d, db_chart(c, f));
}

void site_state(struct site_ctx *c)
{
	rdoc_heading(c->d, 1, "state", "%s", _("Current state"));
	cms(c);
	php(c);
	certs(c);
	mail(c);
	database(c);
}
