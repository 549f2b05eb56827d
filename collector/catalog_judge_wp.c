/* SPDX-License-Identifier: MIT */
/*
 * Judging WordPress plugins and themes with what WordPress.org's update
 * checks and plugin information said of them (catalog_wp_items.c).
 */
#include <stdio.h>
#include <string.h>

#include "catalog_judge.h"
#include "catalog_judge_int.h"
#include "huolto/version.h"

/* Installed against latest: outdated (warning) or the latest (ok). */
static int judge_latest(const char *what, const char *version, const char *latest,
			const char *outdated, struct catalog_judgement *j)
{
	int cmp;

	j->latest = latest;
	judge_fact(j, "latest", latest);
	if (hu_version_compare_as(HU_VERSION_PHP, version, latest, &cmp) < 0)
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: its version cannot be compared with the "
				 "latest, %s",
				 what, latest);
	if (cmp < 0)
		return judge_say(j, HU_WARNING, outdated, "%s is outdated; the latest is %s", what,
				 latest);
	return judge_say(j, HU_OK, NULL, "%s is the latest release", what);
}

/* A plugin the update check did not know: closed, or not on wordpress.org. */
static int judge_absent(const struct catalog_index *idx, const char *what, const char *slug,
			const char *version, time_t now, struct catalog_judgement *j)
{
	const json_t *info;
	int r;

	if (slug && (r = judge_gate(idx, "wordpress-plugin-info", now, what, j)) != 0)
		return r < 0 ? r : 0;
	info = slug ? catalog_index_item(idx, "wordpress-plugin-info", slug) : NULL;
	const char *status = judge_text(info, "status");
	if (status && strcmp(status, "closed") == 0) {
		const json_t *f = json_object_get(info, "facts");
		const char *reason = judge_text(f, "reason"), *date = judge_text(f, "closed_date");
		const char *why =
		    judge_text(f, "reason_text") ? judge_text(f, "reason_text") : reason;
		bool security = reason && strcmp(reason, "security-issue") == 0;
		judge_fact(j, "feed", "wordpress-plugin-info");
		judge_fact(j, "closed_date", date);
		judge_fact(j, "reason", reason);
		return judge_say(j, security ? HU_CRITICAL : HU_WARNING, "wp.plugin_closed",
				 "%s was closed on wordpress.org%s%s (%s) and gets no updates "
				 "there: replace or remove it",
				 what, date ? " on " : "", date ? date : "",
				 why ? why : "no reason given");
	}
	if (status && strcmp(status, "listed") == 0 && judge_text(info, "latest"))
		return judge_latest(what, version, judge_text(info, "latest"), "wp.plugin_outdated",
				    j);
	judge_fact(j, "reason", "not on wordpress.org");
	return judge_say(j, HU_UNKNOWN, "catalog.unknown",
			 "cannot judge %s: wordpress.org does not list it (a premium or custom "
			 "one; its own vendor is not asked)",
			 what);
}

/* The update checks' verdict on a plugin or theme (what: how messages name it). */
static int judge_updates(const struct catalog_index *idx, const json_t *item, const char *what,
			 time_t now, struct catalog_judgement *j)
{
	const char *kind = judge_text(item, "kind"), *key = judge_text(item, "key");
	const char *version = judge_text(item, "version");
	bool theme = strcmp(kind, "wordpress-theme") == 0;
	const char *feed = theme ? "wordpress-themes" : "wordpress-plugins";
	int r;

	const json_t *row;
	if ((r = judge_item_row(idx, feed, kind, key, now, what, j, &row)) != 0)
		return r < 0 ? r : 0;
	const char *status = judge_text(row, "status");
	if (strcmp(status, "absent") == 0)
		return theme ? judge_absent(idx, what, NULL, version, now, j)
			     : judge_absent(idx, what, judge_text(row, "slug"), version, now, j);
	return judge_latest(what, version, judge_text(row, "latest"),
			    theme ? "wp.theme_outdated" : "wp.plugin_outdated", j);
}

int catalog_judge_wp_item(const struct catalog_index *idx, const json_t *item, time_t now,
			  struct catalog_judgement *j)
{
	bool theme = strcmp(judge_text(item, "kind"), "wordpress-theme") == 0;
	const char *slug = judge_text(item, "slug"), *version = judge_text(item, "version");
	const char *key = judge_text(item, "key");
	char what[160];

	snprintf(what, sizeof(what), "the WordPress %s %.60s %.40s", theme ? "theme" : "plugin",
		 slug  ? slug
		 : key ? key
		       : "?",
		 version);
	int r = judge_updates(idx, item, what, now, j);
	if (r < 0)
		return r;
	return judge_vulns(idx, theme ? "theme" : "plugin", slug, version, what,
			   theme ? "wp.theme_vulnerable" : "wp.plugin_vulnerable", now, j);
}
