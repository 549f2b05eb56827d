/* SPDX-License-Identifier: MIT */
/*
 * The report command: which sites, their models (frozen ones for a closed
 * month), each rendered in its customer's language as HTML and PDF into
 * the output directory, and with --all the team's overview. Every file
 * written is printed, one path per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "huolto/log.h"
#include "report.h"
#include "report_cmd.h"

struct run {
	const struct report_src *src;
	const struct cli_opts *o;
	struct report_i18n i18n;
	bool html, pdf;
	const char *out;
	int failures;
};

static int fail(const char *what, struct hu_err *err)
{
	fprintf(stderr, "huolto-collector: %s%s%s\n", what ? what : "", what ? ": " : "",
		hu_err_msg(err));
	hu_err_clear(err);
	return EXIT_FAIL;
}

/* A site name that is safe as a file name: no '/', not starting with '.'. */
static bool file_safe(const char *name)
{
	return name && *name && *name != '.' && !strchr(name, '/') && strlen(name) < 200;
}

/* The sites of month: documents' and the configured customers', sorted, once each. */
static int all_sites(const struct report_src *src, const char *month, struct hu_strv *ret,
		     struct hu_err *err)
{
	time_t from, to;
	json_t *names = NULL;
	size_t i;
	json_t *v;
	int r;

	report_month_bounds(month, &from, &to);
	r = src->store->ops->sites_between(src->store, from, to, &names, err);
	json_array_foreach(names, i, v) if (r >= 0) r =
	    hu_strv_push_unique(ret, json_string_value(v));
	json_decref(names);
	for (i = 0; r >= 0 && i < src->customers->n; i++)
		r = hu_strv_merge(ret, &src->customers->v[i].sites);
	hu_strv_sort(ret);
	return r;
}

int report_models_all(const struct report_src *src, const char *month, json_t **ret,
		      struct hu_err *err)
{
	struct hu_strv sites = HU_STRV_INIT;
	int r = all_sites(src, month, &sites, err);

	if (r >= 0)
		r = report_models_build(src, (const char *const *)sites.v, sites.n, month, ret,
					err);
	hu_strv_clear(&sites);
	return r;
}

/* The language of a report: --language, else the customer's, else Finnish. */
static enum report_lang lang_of(const struct run *run, const json_t *model)
{
	enum report_lang l = REPORT_FI;
	const char *want = run->o->language;

	if (!want)
		want = json_string_value(
		    json_object_get(json_object_get(model, "customer"), "language"));
	report_lang_parse(want, &l);
	return l;
}

/* Render d as name-month.html / .pdf. */
static void write_doc(struct run *run, const struct rdoc *d, const char *name)
{
	struct hu_err err = HU_ERR_INIT;
	char path[4096];

	for (int k = 0; k < 2; k++) {
		if (!(k ? run->pdf : run->html))
			continue;
		snprintf(path, sizeof(path), "%s/%s-%s.%s", run->out, name, run->o->month,
			 k ? "pdf" : "html");
		int r = k ? report_pdf_write(d, path, &err) : report_html_write(d, path, &err);
		if (r < 0) {
			fail(NULL, &err);
			run->failures++;
		} else {
			printf("%s\n", path);
		}
	}
}

static void render_site(struct run *run, const json_t *model)
{
	const char *site = json_string_value(json_object_get(model, "site"));
	enum report_lang l = lang_of(run, model);
	struct rdoc d;

	if (!file_safe(site)) {
		fprintf(stderr,
			"huolto-collector: site \"%s\": not usable as a file name; skipped\n",
			site ? site : "");
		run->failures++;
		return;
	}
	locale_t was = report_i18n_use(&run->i18n, l);
	int r = report_site_doc(model, &run->src->customers->branding, l, &d);
	if (r < 0) {
		fprintf(stderr, "huolto-collector: %s: out of memory\n", site);
		run->failures++;
	} else {
		write_doc(run, &d, site);
	}
	rdoc_clear(&d);
	uselocale(was);
}

static void render_overview(struct run *run, const json_t *models)
{
	enum report_lang l = REPORT_FI;
	struct rdoc d;

	report_lang_parse(run->o->language, &l);
	locale_t was = report_i18n_use(&run->i18n, l);
	if (report_overview_doc(models, run->o->month, run->src->now,
				&run->src->customers->branding, l, &d) < 0) {
		fprintf(stderr, "huolto-collector: overview: out of memory\n");
		run->failures++;
	} else {
		write_doc(run, &d, "overview");
	}
	rdoc_clear(&d);
	uselocale(was);
}

/* --format html,pdf (either, or both). */
static int formats(struct run *run, const char *f)
{
	char *copy = strdup(f ? f : "html,pdf"), *save = NULL;
	int r = copy ? 0 : -ENOMEM;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && r == 0;
	     t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "html") == 0)
			run->html = true;
		else if (strcmp(t, "pdf") == 0)
			run->pdf = true;
		else
			r = -EINVAL;
	}
	free(copy);
	return r == 0 && (run->html || run->pdf) ? 0 : -EINVAL;
}

/* The frozen models of a closed month, or NULL when it is open. */
static int frozen(const struct report_src *src, const char *month, json_t **ret, struct hu_err *err)
{
	json_t *m = NULL, *rows = NULL;
	int r = src->store->ops->month_get(src->store, month, &m, err);
	bool closed = r >= 0 && json_is_true(json_object_get(m, "closed"));

	json_decref(m);
	*ret = NULL;
	if (r < 0 || !closed)
		return r;
	r = src->store->ops->month_frozen(src->store, month, &rows, err);
	if (r < 0)
		return r;
	json_t *models = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_t *model =
		    json_loads(json_string_value(json_object_get(row, "model")), 0, NULL);
		if (!model ||
		    json_integer_value(json_object_get(model, "version")) != REPORT_MODEL_VERSION) {
			json_decref(model);
			r = hu_err_set(err, -EBADMSG,
				       "the frozen report of %s for %s is not one this version "
				       "reads: reopen and close the month again",
				       json_string_value(json_object_get(row, "site")), month);
			break;
		}
		json_array_append_new(models, model);
	}
	json_decref(rows);
	if (r < 0)
		json_decref(models);
	else
		*ret = models;
	return r;
}

/* The frozen models of the sites want, in its order; -ENOENT for one not frozen. */
static int pick_frozen(const json_t *locked, const struct hu_strv *want, const char *month,
		       json_t **ret, struct hu_err *err)
{
	json_t *models = json_array();
	int r = models ? 0 : -ENOMEM;

	for (size_t i = 0; r >= 0 && i < want->n; i++) {
		json_t *m = NULL, *v;
		size_t k;
		json_array_foreach(locked, k, v)
		{
			const char *name = json_string_value(json_object_get(v, "site"));
			if (!m && name && strcmp(name, want->v[i]) == 0)
				m = v;
		}
		if (!m)
			r = hu_err_set(err, -ENOENT,
				       "the month %s is closed and has no report of %s: reopen it "
				       "(month reopen %s) to include the site",
				       month, want->v[i], month);
		else
			json_array_append(models, m);
	}
	if (r < 0)
		json_decref(models);
	else
		*ret = models;
	return r;
}

/* The models asked for: a closed month's from the store, else built now. */
static int models_of(struct run *run, json_t **ret, struct hu_err *err)
{
	const struct report_src *src = run->src;
	const struct cli_opts *o = run->o;
	json_t *locked = NULL;
	struct hu_strv want = HU_STRV_INIT;
	int r = frozen(src, o->month, &locked, err);

	if (r < 0)
		return r;
	if (o->all) {
		if (locked) {
			*ret = locked;
			return 0;
		}
		return report_models_all(src, o->month, ret, err);
	}
	if (o->customer) {
		const struct customer *c = customers_find(src->customers, o->customer);
		if (!c)
			r = hu_err_set(err, -ENOENT,
				       "--customer: no customer \"%s\" in the configuration",
				       o->customer);
		else
			r = hu_strv_merge(&want, &c->sites);
	} else if (!locked && !customers_of_site(src->customers, o->site)) {
		/* A site no customer lists must have reported at some time. */
		json_t *known = NULL;
		r = src->store->ops->site_get(src->store, o->site, &known, err);
		json_decref(known);
		if (r == -ENOENT) {
			hu_err_clear(err);
			r = hu_err_set(err, -ENOENT,
				       "--site: no site \"%s\": no document names it and no "
				       "customer lists it",
				       o->site);
		}
	}
	if (r >= 0 && o->site)
		r = hu_strv_push(&want, o->site);
	if (r >= 0 && !locked)
		r = report_models_build(src, (const char *const *)want.v, want.n, o->month, ret,
					err);
	else if (r >= 0)
		r = pick_frozen(locked, &want, o->month, ret, err);
	json_decref(locked);
	hu_strv_clear(&want);
	return r;
}

int report_cmd(const struct report_src *src, const struct cli_opts *o)
{
	struct run run = { .src = src, .o = o, .out = o->out ? o->out : "." };
	struct hu_err err = HU_ERR_INIT;
	time_t from, to;
	json_t *models = NULL;
	struct stat st;
	int given = (o->site != NULL) + (o->customer != NULL) + o->all;

	if (!o->month || report_month_bounds(o->month, &from, &to) < 0) {
		fprintf(stderr, "huolto-collector: report: --month YYYY-MM is required%s%s%s\n",
			o->month ? " (not \"" : "", o->month ? o->month : "",
			o->month ? "\")" : "");
		return EXIT_USAGE;
	}
	if (given != 1) {
		fprintf(stderr,
			"huolto-collector: report: give one of --site, --customer, --all\n");
		return EXIT_USAGE;
	}
	if (formats(&run, o->format) < 0) {
		fprintf(stderr,
			"huolto-collector: report: --format: expected html, pdf or "
			"html,pdf, not \"%s\"\n",
			o->format);
		return EXIT_USAGE;
	}
	enum report_lang l;
	if (o->language && report_lang_parse(o->language, &l) < 0) {
		fprintf(stderr,
			"huolto-collector: report: --language: expected fi or en, not \"%s\"\n",
			o->language);
		return EXIT_USAGE;
	}
	if (stat(run.out, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "huolto-collector: report: --out %s: not a directory\n", run.out);
		return EXIT_USAGE;
	}
	if (report_i18n_open(&run.i18n, NULL, &err) < 0)
		return fail("report", &err);
	int status = 0;
	if (models_of(&run, &models, &err) < 0) {
		status = fail("report", &err);
	} else {
		size_t i;
		json_t *m;
		json_array_foreach(models, i, m) render_site(&run, m);
		if (o->all)
			render_overview(&run, models);
		status = run.failures ? EXIT_FAIL : 0;
	}
	json_decref(models);
	report_i18n_close(&run.i18n);
	if (run.pdf)
		report_pdf_cleanup();
	return status;
}
