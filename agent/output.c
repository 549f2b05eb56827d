/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/json.h"
#include "output.h"

static const char *const format_names[_OUTPUT_FORMAT_MAX] = {
	[OUTPUT_TEXT] = "text",
	[OUTPUT_JSON] = "json",
	[OUTPUT_NAGIOS] = "nagios",
};

static const char *const status_colors[_HU_STATUS_MAX] = {
	[HU_OK] = "\033[32m",         /* green */
	[HU_WARNING] = "\033[33m",    /* yellow */
	[HU_CRITICAL] = "\033[1;31m", /* bold red */
	[HU_UNKNOWN] = "\033[35m",    /* magenta */
};

static const char *const status_upper[_HU_STATUS_MAX] = {
	[HU_OK] = "OK",
	[HU_WARNING] = "WARNING",
	[HU_CRITICAL] = "CRITICAL",
	[HU_UNKNOWN] = "UNKNOWN",
};

enum output_format output_format_from_name(const char *name)
{
	for (int i = 0; i < _OUTPUT_FORMAT_MAX; i++)
		if (strcmp(format_names[i], name) == 0)
			return (enum output_format)i;
	return _OUTPUT_FORMAT_INVALID;
}

/* Print s with control characters (and, for nagios, "|") replaced. */
static void put_safe(FILE *f, const char *s, bool nagios)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fputc(c == '\t' || c == '\n' ? ' ' : '?', f);
		else if (nagios && c == '|')
			fputc('/', f);
		else
			fputc(c, f);
	}
}

void output_put_safe(FILE *f, const char *s)
{
	put_safe(f, s, false);
}

/* The status word, padded to width (0: not padded). */
static void put_status(FILE *f, enum hu_status s, bool upper, bool color, int width)
{
	const char *name = upper ? status_upper[s] : hu_status_name(s);

	if (color)
		fprintf(f, "%s%-*s\033[0m", status_colors[s], width, name);
	else
		fprintf(f, "%-*s", width, name);
}

struct group {
	const char *name; /* NULL: the server */
	const struct hu_findings *findings;
	enum hu_status worst;
};

static int cmp_group(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	int d = hu_status_rank(b->worst) - hu_status_rank(a->worst);

	if (d)
		return d;
	if (!a->name || !b->name)
		return a->name ? 1 : (b->name ? -1 : 0);
	return strcmp(a->name, b->name);
}

static int output_text(FILE *f, const struct hu_report *r, bool color)
{
	unsigned long counts[_HU_STATUS_MAX];
	struct group *g = calloc(r->sites.n + 1, sizeof(*g));
	char when[32];
	size_t n = 0;

	if (!g)
		return -ENOMEM;
	hu_report_count(r, counts);
	fprintf(f, "huolto-agent %s on ", r->agent_version);
	put_safe(f, r->agent_name, false);
	fprintf(f, " at %s: ", hu_time_iso8601(r->generated_at, when, sizeof(when)));
	put_status(f, hu_report_worst(r), true, color, 0);
	fprintf(f, "\n%lu critical, %lu warning, %lu unknown, %lu ok; %zu site%s; checks:",
		counts[HU_CRITICAL], counts[HU_WARNING], counts[HU_UNKNOWN], counts[HU_OK],
		r->sites.n, r->sites.n == 1 ? "" : "s");
	for (size_t i = 0; i < r->checks.n; i++)
		fprintf(f, " %s", r->checks.v[i]);
	fputc('\n', f);

	if (r->server.findings.n)
		g[n++] = (struct group){ NULL, &r->server.findings,
					 hu_findings_worst(&r->server.findings) };
	for (size_t i = 0; i < r->sites.n; i++)
		g[n++] = (struct group){ r->sites.v[i]->name, &r->site_results[i].findings,
					 hu_findings_worst(&r->site_results[i].findings) };
	qsort(g, n, sizeof(*g), cmp_group);
	for (size_t i = 0; i < n; i++) {
		fputc('\n', f);
		put_status(f, g[i].worst, true, color, 8);
		fputc(' ', f);
		if (g[i].name)
			put_safe(f, g[i].name, false);
		else
			fputs("(server)", f);
		fputc('\n', f);
		if (g[i].findings->n == 0)
			fputs("  (no findings)\n", f);
		for (size_t j = 0; j < g[i].findings->n; j++) {
			const struct hu_finding *x = &g[i].findings->v[j];
			fputs("  ", f);
			put_status(f, x->status, false, color, 8);
			fputc(' ', f);
			put_safe(f, x->code, false);
			fputs(": ", f);
			put_safe(f, x->message, false);
			fputc('\n', f);
		}
		if (g[i].findings->dropped)
			fprintf(f, "  (%zu more findings not kept)\n", g[i].findings->dropped);
	}
	free(g);
	return ferror(f) ? -EIO : 0;
}

static int output_json(FILE *f, const struct hu_report *r)
{
	json_t *doc = hu_report_to_json(r);
	int rc;

	if (!doc)
		return -ENOMEM;
	/* Into memory first: json_dumpf writes token by token through stdio,
	 * which was most of the cost of printing a large report. */
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (!text)
		return -ENOMEM;
	rc = fputs(text, f) < 0 || fputc('\n', f) == EOF ? -EIO : 0;
	free(text);
	return rc < 0 || ferror(f) ? -EIO : 0;
}

static void nagios_lines(FILE *f, const char *where, const struct hu_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct hu_finding *x = &fs->v[i];
		if (x->status == HU_OK)
			continue;
		fprintf(f, "%s: ", status_upper[x->status]);
		put_safe(f, where, true);
		fputs(": ", f);
		put_safe(f, x->code, true);
		fputs(": ", f);
		put_safe(f, x->message, true);
		fputc('\n', f);
	}
}

static int output_nagios(FILE *f, const struct hu_report *r)
{
	unsigned long c[_HU_STATUS_MAX];
	const char *st = status_upper[hu_report_worst(r)];

	hu_report_count(r, c);
	fprintf(f,
		"HUOLTO %s - %lu critical, %lu warning, %lu unknown, %lu ok in %zu site%s | "
		"critical=%lu;;;0 warning=%lu;;;0 unknown=%lu;;;0 ok=%lu;;;0 sites=%zu;;;0\n",
		st, c[HU_CRITICAL], c[HU_WARNING], c[HU_UNKNOWN], c[HU_OK], r->sites.n,
		r->sites.n == 1 ? "" : "s", c[HU_CRITICAL], c[HU_WARNING], c[HU_UNKNOWN], c[HU_OK],
		r->sites.n);
	nagios_lines(f, "server", &r->server.findings);
	for (size_t i = 0; i < r->sites.n; i++)
		nagios_lines(f, r->sites.v[i]->name, &r->site_results[i].findings);
	return ferror(f) ? -EIO : 0;
}

int output_report(FILE *f, const struct hu_report *r, enum output_format fmt, bool color)
{
	switch (fmt) {
	case OUTPUT_TEXT:
		return output_text(f, r, color);
	case OUTPUT_JSON:
		return output_json(f, r);
	case OUTPUT_NAGIOS:
		return output_nagios(f, r);
	default:
		return -EINVAL;
	}
}

int output_exit_status(const struct hu_report *r)
{
	return (int)hu_report_worst(r);
}

static void text_list(FILE *f, const char *label, const struct hu_strv *v)
{
	if (!v->n)
		return;
	fprintf(f, "  %-10s", label);
	for (size_t i = 0; i < v->n; i++) {
		fputc(' ', f);
		put_safe(f, v->v[i], false);
	}
	fputc('\n', f);
}

int output_sites(FILE *f, const struct hu_sites *sites, const struct hu_findings *problems,
		 enum output_format fmt)
{
	if (fmt == OUTPUT_JSON) {
		json_t *a = json_array(), *doc;
		for (size_t i = 0; a && i < sites->n; i++)
			json_array_append_new(a, hu_site_to_json(sites->v[i]));
		doc =
		    json_pack("{s:o, s:o}", "sites", a, "problems", hu_findings_to_json(problems));
		if (!doc)
			return -ENOMEM;
		int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		json_decref(doc);
		fputc('\n', f);
		return rc < 0 || ferror(f) ? -EIO : 0;
	}
	if (fmt != OUTPUT_TEXT)
		return -EINVAL;
	fprintf(f, "%zu site%s found\n", sites->n, sites->n == 1 ? "" : "s");
	for (size_t i = 0; i < sites->n; i++) {
		const struct hu_site *s = sites->v[i];
		fputc('\n', f);
		put_safe(f, s->name, false);
		fputc('\n', f);
		text_list(f, "names:", &s->names);
		if (s->docroot) {
			fprintf(f, "  %-10s ", "docroot:");
			put_safe(f, s->docroot, false);
			fputc('\n', f);
		}
		if (s->n_https) {
			fprintf(f, "  %-10s", "https:");
			for (size_t j = 0; j < s->n_https; j++) {
				fputc(' ', f);
				put_safe(f, s->https[j].host, false);
				fprintf(f, ":%u", s->https[j].port);
			}
			fputc('\n', f);
		}
		text_list(f, "urls:", &s->urls);
		if (s->mail_domain) {
			fprintf(f, "  %-10s ", "mail:");
			put_safe(f, s->mail_domain, false);
			fputc('\n', f);
		}
		text_list(f, "cert:", &s->cert_files);
		text_list(f, "key:", &s->key_files);
		text_list(f, "chain:", &s->chain_files);
		text_list(f, "php:", &s->php_handlers);
		for (size_t j = 0; j < s->n_origins; j++) {
			fprintf(f, "  %-10s %s ", j ? "" : "from:", s->origins[j].source);
			put_safe(f, s->origins[j].file, false);
			if (s->origins[j].line)
				fprintf(f, ":%u", s->origins[j].line);
			fputc('\n', f);
		}
	}
	if (problems->n) {
		fprintf(f, "\n%zu problem%s while reading the configuration:\n", problems->n,
			problems->n == 1 ? "" : "s");
		for (size_t i = 0; i < problems->n; i++) {
			fputs("  ", f);
			put_safe(f, problems->v[i].message, false);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}
