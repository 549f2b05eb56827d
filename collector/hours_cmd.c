/* SPDX-License-Identifier: MIT */
/*
 * The hours log from the command line. Every entry is checked the same way
 * whether it comes from options or a CSV row: a real date, hours in
 * hundredths (0.01–24.00), one of the three kinds, a known site, a finding
 * code of the form area.name; an import stores all of its rows or none.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hours_cmd.h"
#include "hours_csv.h"
#include "report_cmd.h"
#include "huolto/fileio.h"
#include "money.h"

#define MAX_TEXT 2000

static const char *const kinds[] = { "maintenance", "development", "support", NULL };

/* "YYYY-MM-DD", a real day. */
static bool is_date(const char *s)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
	char back[16];

	if (!end || *end || strlen(s) != 10)
		return false;
	time_t t = timegm(&tm);
	return gmtime_r(&t, &tm) && strftime(back, sizeof(back), "%Y-%m-%d", &tm) &&
	       strcmp(back, s) == 0;
}

/* "YYYY-MM" (report_month_bounds reads it). */
static bool is_month(const char *s)
{
	time_t from, to;

	return report_month_bounds(s, &from, &to) == 0;
}

/* Text a person wrote: not empty, bounded, no control characters. */
static bool is_text(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* A finding code: area.name, lower case letters, digits, '_' and '.'. */
static bool is_code(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 64 || !strchr(s, '.') || s[0] == '.' || s[n - 1] == '.')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.") == n;
}

/* Whether site belongs to a configured customer or has reported (known_sites). */
static bool site_known(const struct coll_conf *conf, const json_t *known, const char *site)
{
	const json_t *o;
	size_t i;

	if (customers_of_site(&conf->customers, site))
		return true;
	json_array_foreach(known, i, o) if (strcmp(json_string_value(json_object_get(o, "name")),
						   site) == 0) return true;
	return false;
}

/* Check h (hours_text: what was written for h->hours); 0, or -EINVAL with why. */
static int check(const struct coll_conf *conf, const json_t *known, struct store_hours *h,
		 const char *hours_text, char *why, size_t len)
{
	bool kind_ok = false;

	for (size_t i = 0; h->kind && kinds[i]; i++)
		kind_ok |= strcmp(h->kind, kinds[i]) == 0;
	if (!is_date(h->date))
		snprintf(why, len, "date: expected YYYY-MM-DD, a real day, not \"%.40s\"",
			 h->date ? h->date : "");
	else if (!h->site || !*h->site)
		snprintf(why, len, "site: required");
	else if (!site_known(conf, known, h->site))
		snprintf(why, len,
			 "site \"%.100s\" is unknown: not in customers[].sites, and no agent has "
			 "reported it",
			 h->site);
	else if (!hours_text || money_parse(hours_text, &h->hours) < 0 || h->hours == 0 ||
		 h->hours > 2400)
		snprintf(why, len,
			 "hours: expected 0.01 to 24 with at most two decimals (1.5, 0.25), not "
			 "\"%.40s\"",
			 hours_text ? hours_text : "");
	else if (!kind_ok)
		snprintf(why, len,
			 "kind: expected maintenance, development or support, not \"%.40s\"",
			 h->kind ? h->kind : "");
	else if (!is_text(h->who, 100))
		snprintf(why, len, "who: required, at most 100 characters, no control characters");
	else if (!is_text(h->note, MAX_TEXT))
		snprintf(why, len,
			 "note: required, at most %d characters, no control characters (one line)",
			 MAX_TEXT);
	else if (h->finding && *h->finding && !is_code(h->finding))
		snprintf(why, len,
			 "finding: expected a finding code such as wp.plugin_outdated, "
			 "not \"%.60s\"",
			 h->finding);
	else {
		if (h->finding && !*h->finding)
			h->finding = NULL;
		return 0;
	}
	return -EINVAL;
}

/* Say what err says; the exit status of a command that failed. */
static int fail(struct hu_err *err)
{
	fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(err));
	hu_err_clear(err);
	return EXIT_FAIL;
}

static int64_t parse_id(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;

	return s && *s && !*end && v > 0 ? v : 0;
}

static int cmd_add(const struct coll_conf *conf, struct store *s, const json_t *known,
		   const struct cli_opts *o)
{
	struct store_hours h = { .date = o->date,
				 .site = o->site,
				 .kind = o->kind,
				 .who = o->who,
				 .note = o->note,
				 .finding = o->finding };
	struct hu_err err = HU_ERR_INIT;
	char why[256];
	int64_t id = 0;
	int r;

	if (check(conf, known, &h, o->hours, why, sizeof(why)) < 0) {
		fprintf(stderr, "huolto-collector: hours add: --%s\n", why);
		return EXIT_USAGE;
	}
	r = s->ops->hours_add(s, &h, 1, time(NULL), &id, &err);
	if (r < 0)
		return fail(&err);
	printf("added hours entry %lld\n", (long long)id);
	return 0;
}

static int cmd_edit(const struct coll_conf *conf, struct store *s, const json_t *known,
		    const struct cli_opts *o, const char *id_text)
{
	struct hu_err err = HU_ERR_INIT;
	int64_t id = parse_id(id_text);
	json_t *rows = NULL;
	char why[256], hours[32];
	int r;

	if (id == 0) {
		fprintf(stderr, "huolto-collector: hours edit: expected an entry id, not \"%s\"\n",
			id_text);
		return EXIT_USAGE;
	}
	r = s->ops->hours_list(s, NULL, NULL, id, &rows, &err);
	if (r < 0)
		return fail(&err);
	const json_t *e = json_array_get(rows, 0);
	if (!e) {
		json_decref(rows);
		fprintf(stderr, "huolto-collector: no hours entry has the id %lld\n",
			(long long)id);
		return EXIT_FAIL;
	}
	money_format(json_integer_value(json_object_get(e, "hours")), hours, sizeof(hours));
#define OR(opt, key) ((opt) ? (opt) : json_string_value(json_object_get(e, key)))
	struct store_hours h = { .id = id,
				 .date = OR(o->date, "date"),
				 .site = OR(o->site, "site"),
				 .kind = OR(o->kind, "kind"),
				 .who = OR(o->who, "who"),
				 .note = OR(o->note, "note"),
				 .finding = OR(o->finding, "finding") };
#undef OR
	if (check(conf, known, &h, o->hours ? o->hours : hours, why, sizeof(why)) < 0) {
		json_decref(rows);
		fprintf(stderr, "huolto-collector: hours edit: --%s\n", why);
		return EXIT_USAGE;
	}
	r = s->ops->hours_edit(s, &h, time(NULL), &err);
	json_decref(rows);
	if (r < 0)
		return fail(&err);
	printf("changed hours entry %lld\n", (long long)id);
	return 0;
}

static int cmd_delete(struct store *s, const char *id_text)
{
	struct hu_err err = HU_ERR_INIT;
	int64_t id = parse_id(id_text);
	int r;

	if (id == 0) {
		fprintf(stderr,
			"huolto-collector: hours delete: expected an entry id, not \"%s\"\n",
			id_text);
		return EXIT_USAGE;
	}
	r = s->ops->hours_delete(s, id, &err);
	if (r < 0)
		return fail(&err);
	printf("deleted hours entry %lld\n", (long long)id);
	return 0;
}

static void print_text(const json_t *rows)
{
	const json_t *e;
	int64_t total = 0;
	size_t i;
	char h[32];

	printf("%-6s %-10s %-24s %6s %-11s %-16s %-24s %s\n", "ID", "DATE", "SITE", "HOURS", "KIND",
	       "WHO", "FINDING", "NOTE");
	json_array_foreach(rows, i, e)
	{
		int64_t v = json_integer_value(json_object_get(e, "hours"));
		const char *f = json_string_value(json_object_get(e, "finding"));
		total += v;
		money_format(v, h, sizeof(h));
		printf("%-6lld %-10s %-24s %6s %-11s %-16s %-24s %s\n",
		       (long long)json_integer_value(json_object_get(e, "id")),
		       json_string_value(json_object_get(e, "date")),
		       json_string_value(json_object_get(e, "site")), h,
		       json_string_value(json_object_get(e, "kind")),
		       json_string_value(json_object_get(e, "who")), f ? f : "-",
		       json_string_value(json_object_get(e, "note")));
	}
	money_format(total, h, sizeof(h));
	printf("%zu entries, %s hours\n", json_array_size(rows), h);
}

/* hours list / export: the month's entries (of one site) as text, csv or json. */
static int cmd_list(struct store *s, const struct cli_opts *o, const char *format)
{
	struct hu_err err = HU_ERR_INIT;
	json_t *rows = NULL;
	int r;

	if (!is_month(o->month)) {
		fprintf(stderr, "huolto-collector: --month: expected YYYY-MM%s%s%s\n",
			o->month ? ", not \"" : "", o->month ? o->month : "", o->month ? "\"" : "");
		return EXIT_USAGE;
	}
	r = s->ops->hours_list(s, o->month, o->site, 0, &rows, &err);
	if (r < 0)
		return fail(&err);
	if (strcmp(format, "csv") == 0) {
		r = hours_csv_write(stdout, rows);
	} else if (strcmp(format, "json") == 0) {
		r = json_dumpf(rows, stdout, JSON_INDENT(2)) < 0 ? -EIO : 0;
		putchar('\n');
	} else {
		print_text(rows);
	}
	json_decref(rows);
	if (r < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "huolto-collector: writing the list failed\n");
		return EXIT_FAIL;
	}
	return 0;
}

/* hours import FILE.csv: every row checked first, all stored or none. */
static int cmd_import(const struct coll_conf *conf, struct store *s, const json_t *known,
		      const char *path)
{
	struct hu_err err = HU_ERR_INIT;
	struct hours_csv csv = { 0 };
	struct store_hours *v = NULL;
	char *data = NULL;
	size_t len = 0;
	unsigned bad = 0;
	int64_t first = 0;
	int r;

	r = hu_read_local_file(path, HOURS_CSV_MAX_BYTES, &data, &len, NULL, &err);
	if (r >= 0 && (r = hours_csv_parse(data, len, &csv, &err)) < 0)
		hu_err_prefix(&err, "%s", path);
	if (r < 0) {
		free(data);
		return fail(&err);
	}
	static const char *const columns[HOURS_CSV_COLUMNS] = { "date", "site", "hours",  "kind",
								"who",  "note", "finding" };
	const struct hours_csv_row *hdr = csv.n ? &csv.v[0] : NULL;
	bool header_ok = hdr && hdr->n == HOURS_CSV_COLUMNS;
	for (size_t k = 0; header_ok && k < HOURS_CSV_COLUMNS; k++)
		header_ok = strcmp(hdr->f[k], columns[k]) == 0;
	if (!header_ok) {
		fprintf(stderr, "huolto-collector: %s: line 1: expected the header %s\n", path,
			HOURS_CSV_HEADER);
		bad++;
	}
	v = calloc(csv.n ? csv.n : 1, sizeof(*v));
	for (size_t i = 1; v && header_ok && i < csv.n; i++) {
		const struct hours_csv_row *row = &csv.v[i];
		char why[256];
		if (row->n != HOURS_CSV_COLUMNS) {
			fprintf(stderr,
				"huolto-collector: %s: line %u: %zu fields, expected %d (%s)\n",
				path, row->line, row->n, HOURS_CSV_COLUMNS, HOURS_CSV_HEADER);
			bad++;
			continue;
		}
		v[i - 1] = (struct store_hours){ .date = row->f[0],
						 .site = row->f[1],
						 .kind = row->f[3],
						 .who = row->f[4],
						 .note = row->f[5],
						 .finding = row->f[6] };
		if (check(conf, known, &v[i - 1], row->f[2], why, sizeof(why)) < 0) {
			fprintf(stderr, "huolto-collector: %s: line %u: %s\n", path, row->line,
				why);
			bad++;
		}
	}
	if (!v)
		r = hu_err_set(&err, -ENOMEM, "out of memory");
	else if (bad > 0)
		fprintf(stderr, "huolto-collector: %s: %u bad rows: nothing imported\n", path, bad);
	else if (csv.n > 1)
		r = s->ops->hours_add(s, v, csv.n - 1, time(NULL), &first, &err);
	if (r >= 0 && bad == 0)
		printf("imported %zu hours entries (ids %lld-%lld)\n", csv.n ? csv.n - 1 : 0,
		       (long long)first, (long long)(first + (int64_t)(csv.n > 1 ? csv.n - 2 : 0)));
	free(v);
	hours_csv_clear(&csv);
	free(data);
	if (r < 0)
		return fail(&err);
	return bad ? EXIT_FAIL : 0;
}

int hours_cmd(const struct coll_conf *conf, struct store *s, const struct cli_opts *o, char **args,
	      int n_args)
{
	const char *verb = n_args > 1 ? args[1] : "";
	const char *format = o->format ? o->format : "text";
	struct hu_err err = HU_ERR_INIT;
	json_t *known = NULL;
	int status;

	if (strcmp(verb, "add") == 0 && n_args == 2) {
		if (!o->site || !o->date || !o->hours || !o->kind || !o->who || !o->note) {
			fprintf(stderr,
				"huolto-collector: hours add needs --site, --date, --hours, "
				"--kind, --who and --note\n");
			return EXIT_USAGE;
		}
	} else if ((strcmp(verb, "list") == 0 || strcmp(verb, "export") == 0) && n_args == 2) {
		if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 &&
		    strcmp(format, "json") != 0) {
			fprintf(stderr,
				"huolto-collector: hours %s: --format: expected text, csv or "
				"json\n",
				verb);
			return EXIT_USAGE;
		}
		return cmd_list(s, o, strcmp(verb, "export") == 0 ? "csv" : format);
	} else if (strcmp(verb, "delete") == 0 && n_args == 3) {
		return cmd_delete(s, args[2]);
	} else if (!((strcmp(verb, "edit") == 0 || strcmp(verb, "import") == 0) && n_args == 3)) {
		fprintf(stderr, "huolto-collector: usage: hours add|list|edit ID|delete ID|import "
				"FILE.csv|export (see --help)\n");
		return EXIT_USAGE;
	}
	/* add, edit, import: the sites that have reported, for checking entries' sites */
	if (s->ops->site_list(s, &known, &err) < 0)
		return fail(&err);
	if (strcmp(verb, "add") == 0)
		status = cmd_add(conf, s, known, o);
	else if (strcmp(verb, "edit") == 0)
		status = cmd_edit(conf, s, known, o, args[2]);
	else
		status = cmd_import(conf, s, known, args[2]);
	json_decref(known);
	return status;
}

/* Who closes or reopens a month: --who, else the login name. */
static const char *operator_name(const struct cli_opts *o)
{
	const struct passwd *pw;

	if (o->who)
		return o->who;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

int month_cmd(const struct report_src *src, const struct cli_opts *o, char **args, int n_args)
{
	struct store *s = src->store;
	const char *verb = n_args > 1 ? args[1] : "";
	struct hu_err err = HU_ERR_INIT;
	json_t *m = NULL;
	int r;

	if (n_args != 3 || (strcmp(verb, "close") != 0 && strcmp(verb, "reopen") != 0 &&
			    strcmp(verb, "show") != 0)) {
		fprintf(stderr, "huolto-collector: usage: month close|reopen|show YYYY-MM\n");
		return EXIT_USAGE;
	}
	if (!is_month(args[2])) {
		fprintf(stderr, "huolto-collector: month %s: expected YYYY-MM, not \"%s\"\n", verb,
			args[2]);
		return EXIT_USAGE;
	}
	if (strcmp(verb, "show") == 0) {
		r = s->ops->month_get(s, args[2], &m, &err);
		if (r < 0)
			return fail(&err);
		if (o->format && strcmp(o->format, "json") == 0) {
			json_dumpf(m, stdout, JSON_INDENT(2));
			putchar('\n');
		} else {
			const json_t *e;
			size_t i;
			printf("%s: %s\n", args[2],
			       json_is_true(json_object_get(m, "closed")) ? "closed" : "open");
			json_array_foreach(json_object_get(m, "log"), i, e)
			{
				printf("  ");
				cli_print_time(json_integer_value(json_object_get(e, "at")));
				printf(" %-6s by %s\n",
				       json_string_value(json_object_get(e, "action")),
				       json_string_value(json_object_get(e, "who")));
			}
		}
		json_decref(m);
		return 0;
	}
	bool closing = strcmp(verb, "close") == 0;
	const char *who = operator_name(o);
	json_t *models = NULL;
	struct store_frozen *frozen = NULL;
	char **texts = NULL;
	size_t n = 0;
	r = closing ? report_models_all(src, args[2], &models, &err) : 0;
	if (r >= 0 && closing) {
		n = json_array_size(models);
		frozen = calloc(n + 1, sizeof(*frozen));
		texts = calloc(n + 1, sizeof(*texts));
		r = frozen && texts ? 0 : -ENOMEM;
		for (size_t i = 0; r >= 0 && i < n; i++) {
			json_t *model = json_array_get(models, i);
			frozen[i].site = json_string_value(json_object_get(model, "site"));
			frozen[i].model = texts[i] = json_dumps(model, JSON_COMPACT);
			if (!texts[i])
				r = -ENOMEM;
		}
		if (r == -ENOMEM)
			hu_err_set(&err, r, "out of memory");
	}
	if (r >= 0)
		r = s->ops->month_set(s, args[2], closing, who, time(NULL), frozen, n, &err);
	for (size_t i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
	free(frozen);
	json_decref(models);
	if (r < 0)
		return fail(&err);
	printf("month %s %s by %s", args[2], closing ? "closed" : "reopened", who);
	if (closing)
		printf("; the reports of its %zu sites are frozen", n);
	printf("\n");
	return 0;
}
