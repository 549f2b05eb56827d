/* SPDX-License-Identifier: MIT */
/* Judging inventory items: which judge takes which kind, and the WordPress core; the rest is in
 * catalog_judge_{wp,drupal,joomla}.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_judge.h"
#include "catalog_judge_int.h"
#include "huolto/version.h"

/* stable-check's word for version: as written, or without trailing ".0" parts. */
static const char *wp_status(const struct catalog_index *idx, const char *version)
{
	char v[64];
	size_t n;
	const char *s = json_string_value(json_object_get(idx->wp_core, version));

	if (s || (size_t)snprintf(v, sizeof(v), "%s", version) >= sizeof(v))
		return s;
	while (!s && (n = strlen(v)) > 2 && strcmp(v + n - 2, ".0") == 0) {
		v[n - 2] = 0;
		s = json_string_value(json_object_get(idx->wp_core, v));
	}
	return s;
}

static int judge_wp_core(const struct catalog_index *idx, const char *version, time_t now,
			 struct catalog_judgement *j)
{
	char what[80];
	int r, cmp;

	snprintf(what, sizeof(what), "WordPress %.40s", version);
	if ((r = judge_gate(idx, "wordpress-core", now, what, j)) != 0)
		return r < 0 ? r : 0;
	j->latest = idx->wp_latest;
	judge_fact(j, "feed", "wordpress-core");
	judge_fact(j, "latest", idx->wp_latest);
	const char *status = wp_status(idx, version);
	judge_fact(j, "stable_check", status);
	if (!status) {
		bool newer = idx->wp_latest &&
			     hu_version_compare_as(HU_VERSION_WORDPRESS, version, idx->wp_latest,
						   &cmp) == 0 &&
			     cmp > 0;
		return judge_say(j, HU_UNKNOWN, "catalog.unknown", "cannot judge %s: %s", what,
				 newer ? "it is newer than the latest release (a development "
					 "or pre-release version)"
				       : "WordPress.org does not list it");
	}
	if (strcmp(status, "insecure") == 0)
		return judge_say(j, HU_CRITICAL, "wp.core_insecure",
				 "%s has known security problems; the latest is %s", what,
				 idx->wp_latest ? idx->wp_latest : "?");
	if (strcmp(status, "outdated") == 0)
		return judge_say(j, HU_WARNING, "wp.core_outdated",
				 "%s is outdated (its security fixes are in); the latest is %s",
				 what, idx->wp_latest ? idx->wp_latest : "?");
	return judge_say(j, HU_OK, NULL, "%s is the latest release", what);
}

int catalog_judge_item(const struct catalog_index *idx, const json_t *item, const json_t *inventory,
		       time_t now, struct catalog_judgement *j)
{
	const char *kind = judge_text(item, "kind"), *version = judge_text(item, "version");
	bool core = kind && (strcmp(kind, "wordpress-core") == 0 ||
			     strcmp(kind, "drupal-core") == 0 || strcmp(kind, "joomla-core") == 0);

	*j = (struct catalog_judgement){ 0 };
	if (!kind)
		return 1;
	if (strcmp(kind, "wordpress-plugin") == 0 || strcmp(kind, "wordpress-theme") == 0) {
		/* Updated from somewhere else (Update URI): wordpress.org cannot judge it. */
		if (json_is_false(json_object_get(item, "wordpress_org")))
			return 1;
	} else if (strcmp(kind, "drupal-module") == 0 || strcmp(kind, "drupal-theme") == 0) {
		if (!judge_text(item, "project")) /* custom code, not on drupal.org */
			return 1;
	} else if (strcmp(kind, "joomla-extension") == 0) {
		if (json_array_size(json_object_get(item, "update_servers")) == 0)
			return 1;
	} else if (!core) {
		return 1; /* drop-ins, must-use plugins: no upstream says anything of them */
	}
	judge_fact(j, "kind", kind);
	judge_fact(j, "slug", judge_text(item, "slug"));
	judge_fact(j, "version", version);
	if (!version)
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge the %s %.60s: its files do not say its version",
				 kind, judge_text(item, "slug") ? judge_text(item, "slug") : "");
	if (strcmp(kind, "wordpress-core") == 0)
		return judge_wp_core(idx, version, now, j);
	if (strcmp(kind, "drupal-core") == 0)
		return catalog_judge_drupal_core(idx, item, now, j);
	if (strcmp(kind, "joomla-core") == 0)
		return catalog_judge_joomla_core(idx, version, now, j);
	if (strncmp(kind, "wordpress-", 10) == 0)
		return catalog_judge_wp_item(idx, item, now, j);
	if (strncmp(kind, "drupal-", 7) == 0)
		return catalog_judge_drupal_project(idx, item, now, j);
	return catalog_judge_joomla_extension(idx, item, inventory, now, j);
}
