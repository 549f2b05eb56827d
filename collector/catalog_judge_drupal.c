/* SPDX-License-Identifier: MIT */
/*
 * Judging Drupal core, modules and themes with drupal.org's release
 * history (catalog_drupal.c) and, for core, endoflife.date's dates. The
 * rule (../shared/catalog/02-drupal-release-history.md): an installed
 * release is insecure when it carries "Insecure" or a newer release of its
 * branch carries "Security update"; unsupported when its branch is not in
 * supported_branches or the project is not published; outdated when its
 * branch has a newer stable release.
 */
#include <stdio.h>
#include <string.h>

#include "catalog_judge.h"
#include "catalog_judge_int.h"
#include "catalog_parse.h"
#include "huolto/version.h"

#define FEED "drupal-release-history"

/* A release's branch: the version up to its last dot ("8.x-1.14" → "8.x-1."). */
static size_t branch_len(const char *v)
{
	const char *dot = strrchr(v, '.');
	const char *dash = strchr(v, '-');

	/* "11.0.0-rc1": the dot before the suffix */
	if (dash && dot && dot > dash && strncmp(v, "7.x-", 4) != 0 && strncmp(v, "8.x-", 4) != 0)
		for (dot = dash; dot > v && *dot != '.'; dot--)
			;
	return dot && *dot == '.' ? (size_t)(dot - v) + 1 : 0;
}

static bool same_branch(const char *a, const char *b)
{
	size_t n = branch_len(a);

	return n > 0 && n == branch_len(b) && strncmp(a, b, n) == 0;
}

static bool stable(const char *v)
{
	return !strstr(v, "-dev") && !strstr(v, "-alpha") && !strstr(v, "-beta") &&
	       !strstr(v, "-rc");
}

/* What the release history says of one installed release. */
struct standing {
	bool insecure;         /* the installed release carries "Insecure" */
	const char *fixed_in;  /* the newest "Security update" of its branch newer than it */
	const char *latest;    /* the newest stable release of its branch */
	bool branch_supported; /* its branch is in supported_branches */
};

static void stand(const json_t *row, const char *version, struct standing *s)
{
	const json_t *facts = json_object_get(row, "facts"), *r, *b;
	size_t i, n = branch_len(version);
	int cmp;

	*s = (struct standing){ 0 };
	/* A feed that names no supported branches does not say this one is not. */
	s->branch_supported = !json_is_array(json_object_get(facts, "supported_branches"));
	json_array_foreach(json_object_get(facts, "supported_branches"), i, b)
	{
		const char *br = json_string_value(b);
		if (br && n > 0 && strlen(br) == n && strncmp(br, version, n) == 0)
			s->branch_supported = true;
	}
	json_array_foreach(json_object_get(facts, "releases"), i, r)
	{
		const char *v = judge_text(r, "version");
		if (!v || !same_branch(v, version) ||
		    hu_version_compare_as(HU_VERSION_DRUPAL, v, version, &cmp) < 0)
			continue;
		if (cmp == 0 && json_is_true(json_object_get(r, "insecure")))
			s->insecure = true;
		if (cmp <= 0 || json_is_true(json_object_get(r, "unpublished")))
			continue;
		if (!s->fixed_in && json_is_true(json_object_get(r, "security")))
			s->fixed_in = v; /* newest first: the first is the newest */
		if (!s->latest && stable(v))
			s->latest = v;
	}
}

/* The codes of core or a contributed project. */
struct drupal_codes {
	const char *security, *unsupported, *outdated;
};

static const struct drupal_codes core_codes = { "drupal.core_security_update",
						"drupal.core_unsupported", "drupal.core_outdated" };
static const struct drupal_codes module_codes = { "drupal.module_security_update",
						  "drupal.module_unsupported",
						  "drupal.module_outdated" };

/*
 * The release history's verdict on item into j; 1 when it says nothing
 * beyond "ok" (so that an earlier warning can stand).
 */
static int judge_history(const struct catalog_index *idx, const json_t *item, const char *what,
			 const struct drupal_codes *codes, time_t now, struct catalog_judgement *j)
{
	const char *version = judge_text(item, "version");
	char key[320];
	struct standing s;
	int r;

	const json_t *row;
	if (catalog_drupal_key(item, key, sizeof(key)) < 0)
		key[0] = 0; /* no project: never asked about */
	if ((r = judge_item_row(idx, FEED, "drupal-project", key, now, what, j, &row)) != 0)
		return r < 0 ? r : 0;
	const char *status = judge_text(row, "status");
	if (strcmp(status, "unknown") == 0) {
		judge_fact(j, "reason", "not on drupal.org");
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: drupal.org has no release history for it", what);
	}
	judge_fact(j, "project_status", status);
	if (strcmp(status, "insecure") == 0)
		return judge_say(j, HU_CRITICAL, codes->security,
				 "%s: the Drupal security team labeled the project insecure; "
				 "remove or replace it",
				 what);
	if (strcmp(status, "published") != 0)
		return judge_say(j, HU_CRITICAL, codes->unsupported,
				 "%s: drupal.org lists the project as %s; it gets no updates", what,
				 status);
	stand(row, version, &s);
	j->latest = s.latest ? s.latest : judge_text(row, "latest");
	judge_fact(j, "latest", j->latest);
	if (s.insecure || s.fixed_in) {
		const char *fix = s.fixed_in ? s.fixed_in : s.latest;
		judge_fact(j, "fixed_in", fix);
		return judge_say(j, HU_CRITICAL, codes->security,
				 "%s has a security problem drupal.org published a fix for; update "
				 "to %s or later",
				 what, fix ? fix : "a supported release");
	}
	if (!s.branch_supported) {
		json_object_set(
		    j->facts, "supported_branches",
		    json_object_get(json_object_get(row, "facts"), "supported_branches"));
		return judge_say(j, HU_CRITICAL, codes->unsupported,
				 "%s: its branch is no longer supported; the latest is %s", what,
				 judge_text(row, "latest") ? judge_text(row, "latest") : "?");
	}
	if (s.latest) {
		int cmp;
		if (hu_version_compare_as(HU_VERSION_DRUPAL, version, s.latest, &cmp) == 0 &&
		    cmp < 0)
			return judge_say(j, HU_WARNING, codes->outdated,
					 "%s is outdated; the latest of its branch is %s", what,
					 s.latest);
	}
	int w = judge_say(j, HU_OK, NULL, "%s is the latest release of a supported branch", what);
	return w < 0 ? w : 1;
}

static const char *const drupal_feeds[] = { "endoflife-drupal", NULL };

int catalog_judge_drupal_core(const struct catalog_index *idx, const json_t *item, time_t now,
			      struct catalog_judgement *j)
{
	static const struct life_rule rule = { "drupal", drupal_feeds, "Drupal",
					       "drupal.core_unsupported", "drupal.core_eol_soon" };
	const char *version = judge_text(item, "version");
	struct cycle_life life;
	char what[80];
	int r = judge_life(idx, &rule, version, now, j, &life);

	if (r != 0 || j->status == HU_CRITICAL)
		return r < 0 ? r : 0;
	snprintf(what, sizeof(what), "Drupal %.40s", version);
	struct catalog_judgement h = { 0 };
	r = judge_history(idx, item, what, &core_codes, now, &h);
	/* An end of support within 90 days stands over "ok" or "unknown" from the history. */
	if (r >= 0 && j->status == HU_WARNING && (r == 1 || h.status == HU_UNKNOWN)) {
		if (h.latest) /* drupal.org's word over endoflife.date's */
			j->latest = h.latest;
		catalog_judgement_clear(&h);
		return 0;
	}
	catalog_judgement_clear(j);
	*j = h;
	return r < 0 ? r : 0;
}

int catalog_judge_drupal_project(const struct catalog_index *idx, const json_t *item, time_t now,
				 struct catalog_judgement *j)
{
	const char *project = judge_text(item, "project"), *version = judge_text(item, "version");
	char what[160];

	snprintf(what, sizeof(what), "the Drupal %s %.60s %.40s",
		 strcmp(judge_text(item, "kind"), "drupal-theme") == 0 ? "theme" : "module",
		 project ? project : "?", version);
	int r = judge_history(idx, item, what, &module_codes, now, j);
	return r < 0 ? r : 0;
}
