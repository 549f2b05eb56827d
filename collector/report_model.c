/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_eval.h"
#include "catalog_judge.h"
#include "huolto/status.h"
#include "report_model.h"

int report_month_bounds(const char *month, time_t *from, time_t *to)
{
	struct tm tm = { 0 };
	const char *end = month ? strptime(month, "%Y-%m", &tm) : NULL;

	if (!end || *end || strlen(month) != 7 || tm.tm_year < 70)
		return -EINVAL;
	tm.tm_mday = 1;
	*from = timegm(&tm);
	tm.tm_mon++;
	*to = timegm(&tm); /* timegm normalizes month 12 into the next year */
	return 0;
}

/* The object of sites[] named name in doc, or NULL. */
static json_t *site_of(const json_t *doc, const char *name)
{
	size_t i;
	json_t *s;

	json_array_foreach(json_object_get(doc, "sites"), i, s)
	{
		const char *n = json_string_value(json_object_get(s, "name"));
		if (n && strcmp(n, name) == 0)
			return s;
	}
	return NULL;
}

/* What the month's documents add up to while they are read one by one. */
struct walk {
	json_t *first;    /* the first document's site object */
	json_t *last_doc; /* the last document, whole */
	json_t *times;    /* [at, ...] */
	struct report_series series;
	unsigned unreadable; /* stored documents that could not be read back */
};

/* Take in site's object s of doc (generated at at). */
static int walk_add(struct walk *w, json_t *doc, json_t *s, time_t at)
{
	int r = report_series_add(&w->series, s, at);

	if (r >= 0 && json_array_append_new(w->times, json_integer(at)) < 0)
		r = -ENOMEM;
	if (!w->first)
		w->first = json_incref(s);
	json_decref(w->last_doc);
	w->last_doc = json_incref(doc);
	return r;
}

static void walk_clear(struct walk *w)
{
	json_decref(w->first);
	json_decref(w->last_doc);
	json_decref(w->times);
	report_series_clear(&w->series);
	*w = (struct walk){ 0 };
}

/*
 * Models of several sites at once: each document of the month is read and
 * parsed once for all the sites it reports on (a server's document holds
 * every site of the server).
 */
struct batch {
	const struct report_src *src;
	const char *month;
	time_t from, to;
	const char *const *sites;
	struct walk *w;
	size_t n;
	json_t *index;     /* {site: its walk's index} */
	json_t *evaluated; /* {"%p" of a parsed document: true}: judged against the catalog */
};

/* Read document id once and give it to each of rows[first, end) (its sites). */
static int take_document(struct batch *b, const json_t *rows, size_t first, size_t end,
			 struct hu_err *err)
{
	const char *id =
	    json_string_value(json_object_get(json_array_get(rows, first), "document"));
	char *text = NULL;
	size_t len = 0;
	int r = b->src->store->ops->document_get(b->src->store, id, &text, &len, err);

	if (r < 0)
		return r;
	json_t *doc = json_loadb(text, len, 0, NULL);
	free(text);
	for (size_t i = first; r >= 0 && i < end; i++) {
		const json_t *row = json_array_get(rows, i);
		const char *site = json_string_value(json_object_get(row, "site"));
		json_t *k = json_object_get(b->index, site);
		if (!k)
			continue;
		struct walk *w = &b->w[json_integer_value(k)];
		json_t *s = doc ? site_of(doc, site) : NULL;
		if (!s)
			w->unreadable++;
		else
			r = walk_add(w, doc, s,
				     (time_t)json_integer_value(json_object_get(row, "at")));
	}
	json_decref(doc);
	return r;
}

/* The documents of rows (by time and document), each read once for its rows' sites. */
static int walk_rows(struct batch *b, const json_t *rows, struct hu_err *err)
{
	size_t i = 0, n = json_array_size(rows);
	int r = 0;

	while (r >= 0 && i < n) {
		const char *id =
		    json_string_value(json_object_get(json_array_get(rows, i), "document"));
		size_t end = i + 1;
		while (end < n && strcmp(json_string_value(json_object_get(
					     json_array_get(rows, end), "document")),
					 id) == 0)
			end++;
		r = take_document(b, rows, i, end, err);
		i = end;
	}
	return r;
}

/* A few sites: their own documents; many: every document of the month, once. */
#define FEW_SITES 16

static int walk_all(struct batch *b, struct hu_err *err)
{
	struct store *st = b->src->store;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < (b->n <= FEW_SITES ? b->n : 1); i++) {
		json_t *rows = NULL;
		r = st->ops->site_documents(st, b->n <= FEW_SITES ? b->sites[i] : NULL, b->from,
					    b->to, &rows, err);
		if (r >= 0)
			r = walk_rows(b, rows, err);
		json_decref(rows);
	}
	return r;
}

/* Documents against the daily expectation, and the gaps longer than the grace. */
static json_t *coverage(const struct report_src *src, const json_t *times, time_t from, time_t to)
{
	time_t end = src->now < to ? src->now : to, prev = from;
	int64_t expected = end > from ? (end - from + 86399) / 86400 : 0, days = 0, last_day = -1;
	json_t *silent = json_array();
	size_t i;
	json_t *v;

	json_array_foreach(times, i, v)
	{
		time_t at = (time_t)json_integer_value(v);
		if ((at - from) / 86400 != last_day) {
			last_day = (at - from) / 86400;
			days++;
		}
		if (at - prev > src->grace_s)
			json_array_append_new(
			    silent,
			    json_pack("{s:I,s:I}", "from", (json_int_t)prev, "to", (json_int_t)at));
		prev = at;
	}
	if (end > from && end - prev > src->grace_s)
		json_array_append_new(silent, json_pack("{s:I,s:I}", "from", (json_int_t)prev, "to",
							(json_int_t)end));
	return json_pack("{s:I,s:I,s:I,s:o}", "received", (json_int_t)json_array_size(times),
			 "days", (json_int_t)days, "expected", (json_int_t)expected, "silent",
			 silent);
}

static json_t *plan_json(const struct plan *p)
{
	return json_pack(
	    "{s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "model", p->model == PLAN_FIXED ? "fixed" : "hourly",
	    "monthly_fee", (json_int_t)p->monthly_fee, "included_hours",
	    (json_int_t)p->included_hours, "hourly_rate", (json_int_t)p->hourly_rate, "vat",
	    (json_int_t)p->vat, "max_hours", (json_int_t)p->max_hours, "currency", p->currency);
}

static json_t *bill_json(const struct bill *b)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "used", (json_int_t)b->used,
			 "included", (json_int_t)b->included, "extra", (json_int_t)b->extra,
			 "billed", (json_int_t)b->billed, "fee", (json_int_t)b->fee, "hours_amount",
			 (json_int_t)b->hours_amount, "subtotal", (json_int_t)b->subtotal, "vat",
			 (json_int_t)b->vat, "total", (json_int_t)b->total);
}

/*
 * The customer, plan and bill: a plan is the customer's, so the bill is for
 * the hours of all of the customer's sites (hours_used: this site's).
 */
static int billing(const struct report_src *src, const char *site, const char *month, json_t *hours,
		   json_t *model, struct hu_err *err)
{
	const struct customer *c = customers_of_site(src->customers, site);
	int64_t used = 0, all = 0;
	size_t i;
	json_t *h;
	int r = 0;

	json_array_foreach(hours, i, h) used += json_integer_value(json_object_get(h, "hours"));
	json_object_set_new(model, "hours_used", json_integer(used));
	if (!c) {
		json_object_set_new(model, "customer", json_null());
		json_object_set_new(model, "plan", json_null());
		json_object_set_new(model, "bill", json_null());
		return 0;
	}
	json_t *sites = json_array();
	for (i = 0; r >= 0 && i < c->sites.n; i++) {
		json_t *other = NULL;
		size_t j;
		r = src->store->ops->hours_list(src->store, month, c->sites.v[i], 0, &other, err);
		json_array_foreach(other, j, h) all +=
		    json_integer_value(json_object_get(h, "hours"));
		json_decref(other);
		json_array_append_new(sites, json_string(c->sites.v[i]));
	}
	if (r < 0) {
		json_decref(sites);
		return r;
	}
	struct bill b;
	bill_compute(&c->plan, all, &b);
	json_object_set_new(model, "customer",
			    json_pack("{s:s,s:s,s:s,s:s?,s:o}", "id", c->id, "name", c->name,
				      "language", c->language, "contact", c->contact, "sites",
				      sites));
	json_object_set_new(model, "plan", plan_json(&c->plan));
	json_object_set_new(model, "bill", bill_json(&b));
	json_object_set_new(model, "customer_hours_used", json_integer(all));
	return json_object_get(model, "bill") && json_object_get(model, "customer") ? 0 : -ENOMEM;
}

/* The current state from the month's last document, judged against the catalog. */
static int current(struct batch *b, const char *site, struct walk *w, json_t *model)
{
	const struct report_src *src = b->src;
	json_t *s = NULL;
	char id[32];

	/* A server's last document, read once for its sites, is judged once (by object). */
	snprintf(id, sizeof(id), "%p", (void *)w->last_doc);
	if (w->last_doc && src->catalog && !json_object_get(b->evaluated, id)) {
		if (catalog_eval_doc(src->catalog, w->last_doc, src->now) < 0 ||
		    json_object_set_new(b->evaluated, id, json_true()) < 0)
			return -ENOMEM;
	}
	if (w->last_doc)
		s = site_of(w->last_doc, site);
	json_object_set_new(model, "status",
			    json_string(s ? json_string_value(json_object_get(s, "status"))
					  : hu_status_name(HU_UNKNOWN)));
	const char *keys[] = { "findings", "inventory", "php", "names", "docroot" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		json_t *v = s ? json_object_get(s, keys[i]) : NULL;
		json_object_set_new(model, keys[i],
				    v       ? json_incref(v)
				    : i < 4 ? json_array()
					    : json_null());
	}
	/* Each item's latest version upstream, also for those up to date. */
	if (src->catalog && catalog_judge_inventory(
				src->catalog, json_object_get(model, "inventory"), src->now) < 0)
		return -ENOMEM;
	json_t *agent = w->last_doc ? json_object_get(w->last_doc, "agent") : NULL;
	json_object_set_new(model, "agent",
			    json_string(json_string_value(json_object_get(agent, "name"))));
	json_object_set_new(model, "catalog", json_boolean(src->catalog != NULL));
	json_object_set_new(model, "changes",
			    w->first && s ? report_changes(w->first, s) : json_array());
	return 0;
}

/* The model of b->sites[i], from its walk. */
static int model_of(struct batch *b, size_t i, json_t **ret, struct hu_err *err)
{
	const struct report_src *src = b->src;
	const char *site = b->sites[i];
	struct walk *w = &b->w[i];
	json_t *hours = NULL, *model;
	int r = src->store->ops->hours_list(src->store, b->month, site, 0, &hours, err);

	if (r < 0)
		return r;
	model = json_pack("{s:i,s:s,s:s,s:I,s:I,s:I,s:o,s:o,s:I}", "version", REPORT_MODEL_VERSION,
			  "site", site, "month", b->month, "from", (json_int_t)b->from, "to",
			  (json_int_t)b->to, "generated_at", (json_int_t)src->now, "coverage",
			  coverage(src, w->times, b->from, b->to), "hours", hours, "unreadable",
			  (json_int_t)w->unreadable);
	if (!model)
		r = -ENOMEM;
	if (r >= 0 && (r = billing(src, site, b->month, hours, model, err)) >= 0 &&
	    (r = current(b, site, w, model)) >= 0)
		r = report_series_finish(&w->series, model);
	if (r < 0)
		json_decref(model);
	else
		*ret = model;
	return r;
}

int report_models_build(const struct report_src *src, const char *const *sites, size_t n,
			const char *month, json_t **ret, struct hu_err *err)
{
	struct batch b = { .src = src, .month = month, .sites = sites, .n = n };
	json_t *models = json_array();
	int r = 0;

	if (report_month_bounds(month, &b.from, &b.to) < 0)
		return hu_err_set(err, -EINVAL, "month: expected YYYY-MM, not \"%s\"", month);
	b.w = calloc(n + 1, sizeof(*b.w));
	b.index = json_object();
	b.evaluated = json_object();
	if (!b.w || !b.index || !b.evaluated || !models)
		r = -ENOMEM;
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if ((r = report_series_init(&b.w[i].series)) < 0 ||
		    !(b.w[i].times = json_array()) ||
		    json_object_set_new(b.index, sites[i], json_integer((json_int_t)i)) < 0)
			r = -ENOMEM;
	}
	if (r >= 0)
		r = walk_all(&b, err);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		json_t *m = NULL;
		r = model_of(&b, i, &m, err);
		if (r >= 0 && json_array_append_new(models, m) < 0)
			r = -ENOMEM;
		/* What the model does not hold goes now, not at the end. */
		walk_clear(&b.w[i]);
	}
	for (size_t i = 0; b.w && i < n; i++)
		walk_clear(&b.w[i]);
	free(b.w);
	json_decref(b.index);
	json_decref(b.evaluated);
	if (r < 0)
		json_decref(models);
	else
		*ret = models;
	return r;
}

int report_model_build(const struct report_src *src, const char *site, const char *month,
		       json_t **ret, struct hu_err *err)
{
	json_t *one = NULL;
	int r = report_models_build(src, &site, 1, month, &one, err);

	if (r >= 0)
		*ret = json_incref(json_array_get(one, 0));
	json_decref(one);
	return r;
}
