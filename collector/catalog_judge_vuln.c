/* SPDX-License-Identifier: MIT */
/*
 * Known vulnerabilities (Wordfence Intelligence, catalog_wordfence.c) of a
 * WordPress plugin or theme: a lookup by (type, slug), then the ranges
 * matched the way Wordfence's CLI matches them (version_compare, "*" for no
 * bound, each bound inclusive or not).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "catalog_judge.h"
#include "catalog_judge_int.h"
#include "huolto/version.h"

#define FEED "wordfence"

static bool in_range(const json_t *range, const char *v)
{
	const char *from = json_string_value(json_array_get(range, 0));
	const char *to = json_string_value(json_array_get(range, 2));
	bool from_in = json_is_true(json_array_get(range, 1));
	bool to_in = json_is_true(json_array_get(range, 3));

	if (!from || !to)
		return false;
	int a = strcmp(from, "*") == 0 ? -1 : hu_version_compare(from, v);
	int b = strcmp(to, "*") == 0 ? 1 : hu_version_compare(to, v);
	return (a < 0 || (from_in && a == 0)) && (b > 0 || (to_in && b == 0));
}

/* The smallest patched version above v, or NULL. */
static const char *fixed_in(const json_t *patched, const char *v)
{
	const char *best = NULL;
	const json_t *p;
	size_t i;

	json_array_foreach(patched, i, p)
	{
		const char *s = json_string_value(p);
		if (s && hu_version_compare(s, v) > 0 && (!best || hu_version_compare(s, best) < 0))
			best = s;
	}
	return best;
}

/* The records of vulns whose ranges hold version, as facts; the worst (by CVSS) in *worst. */
static json_t *matches(const json_t *vulns, const char *version, const json_t **worst)
{
	json_t *out = json_array();
	const json_t *v, *range;
	size_t i, k;
	double top = -2;

	*worst = NULL;
	json_array_foreach(vulns, i, v)
	{
		bool hit = false;
		json_array_foreach(json_object_get(v, "ranges"), k, range) hit =
		    hit || in_range(range, version);
		if (!hit)
			continue;
		const json_t *score = json_object_get(v, "cvss_score");
		double s = json_is_number(score) ? json_number_value(score) : -1;
		json_array_append_new(
		    out,
		    json_pack("{s:O,s:O,s:O,s:O,s:O,s:s?}", "id", json_object_get(v, "id"), "title",
			      json_object_get(v, "title"), "cve", json_object_get(v, "cve"), "cvss",
			      json_object_get(v, "cvss_score"), "rating",
			      json_object_get(v, "cvss_rating"), "fixed_in",
			      fixed_in(json_object_get(v, "patched"), version)));
		if (s > top) {
			top = s;
			*worst = v;
		}
	}
	return out;
}

int judge_vulns(const struct catalog_index *idx, const char *type, const char *slug,
		const char *version, const char *what, const char *code, time_t now,
		struct catalog_judgement *j)
{
	if (!idx->wordfence) {
		judge_fact(j, "vulnerabilities", "not checked: no wordfence source configured");
		return 0;
	}
	struct catalog_judgement gate = { 0 };
	int r = judge_gate(idx, FEED, now, what, &gate);
	if (r != 0) {
		/* Without current vulnerability data nothing is "ok". */
		if (r > 0 && j->status == HU_OK) {
			const char *latest = j->latest;
			catalog_judgement_clear(j);
			*j = gate;
			j->latest = latest;
			return 0;
		}
		judge_fact(j, "vulnerabilities", gate.code);
		catalog_judgement_clear(&gate);
		return r < 0 ? r : 0;
	}
	catalog_judgement_clear(&gate);
	const json_t *worst;
	json_t *found = matches(catalog_index_vulns(idx, type, slug), version, &worst);
	if (!found)
		return -ENOMEM;
	if (json_array_size(found) == 0) {
		json_decref(found);
		judge_fact(j, "vulnerabilities", "none known");
		return 0;
	}
	json_object_set_new(judge_facts(j), "vulnerabilities", found);
	const char *title = json_string_value(json_object_get(worst, "title"));
	const char *cve = json_string_value(json_object_get(worst, "cve"));
	const char *fix = fixed_in(json_object_get(worst, "patched"), version);
	judge_fact(j, "cve", cve);
	judge_fact(j, "fixed_in", fix);
	if (json_is_number(json_object_get(worst, "cvss_score")))
		json_object_set(judge_facts(j), "cvss", json_object_get(worst, "cvss_score"));
	size_t n = json_array_size(found);
	return judge_say(j, HU_CRITICAL, code,
			 "%s has %zu known vulnerabilit%s: %.160s%s%s%s; %s%s", what, n,
			 n == 1 ? "y" : "ies", title ? title : "?", cve ? " (" : "", cve ? cve : "",
			 cve ? ")" : "", fix ? "fixed in " : "no fix released", fix ? fix : "");
}
