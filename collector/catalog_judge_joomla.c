/* SPDX-License-Identifier: MIT */
/*
 * Judging Joomla: the core against endoflife.date and update.joomla.org
 * (TUF for 5.1 and later, the legacy core/list.xml before), and an
 * extension against the update servers its manifest names, for the
 * Joomla version the same install runs.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog_db.h"
#include "catalog_judge_int.h"
#include "catalog_parse.h"
#include "huolto/version.h"

#define EXT_FEED "joomla-extensions"

static bool newer(const char *a, const char *b)
{
	int cmp;

	return hu_version_compare_as(HU_VERSION_PHP, a, b, &cmp) == 0 && cmp > 0;
}

static bool same_major(const char *a, const char *b)
{
	size_t n = strcspn(b, ".");

	return strncmp(a, b, n) == 0 && a[n] == '.';
}

static bool is_stable(const char *stability)
{
	return stability && strcasecmp(stability, "stable") == 0;
}

/* Whether entry's target platform takes joomla (an installed version). */
static bool platform_takes(const json_t *entry, const char *joomla)
{
	const char *platform = judge_text(entry, "platform");
	regex_t re;
	bool ok;

	if (!platform || catalog_joomla_platform_compile(&re, platform) < 0)
		return false;
	ok = regexec(&re, joomla, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* The newest stable Joomla release offered to installed in its own major line, or NULL. */
static const char *tuf_latest(const struct catalog_index *idx, const char *installed,
			      const char **ret_upgrade)
{
	struct catalog_joomla_view v;
	const char *same = NULL;

	*ret_upgrade = NULL;
	for (size_t i = 0; catalog_index_joomla(idx, &i, installed, &v); i++) {
		if (!is_stable(v.stability))
			continue;
		if (!*ret_upgrade)
			*ret_upgrade = v.version;
		if (!same && same_major(v.version, installed))
			same = v.version;
	}
	return same;
}

/* The same from the legacy core/list.xml, whose offers are in no order. */
static const char *list_latest(const struct catalog_index *idx, const char *installed,
			       const char **ret_upgrade)
{
	const json_t *row = catalog_index_item(idx, CATALOG_JOOMLA_LIST, CATALOG_JOOMLA_LIST_KEY);
	const json_t *e;
	const char *same = NULL;
	size_t i;

	*ret_upgrade = NULL;
	json_array_foreach(json_object_get(json_object_get(row, "facts"), "updates"), i, e)
	{
		const char *v = judge_text(e, "version"), *element = judge_text(e, "element");
		if (!v || (element && strcmp(element, "joomla") != 0) ||
		    !is_stable(judge_text(e, "stability")) || !platform_takes(e, installed))
			continue;
		if (!*ret_upgrade || newer(v, *ret_upgrade))
			*ret_upgrade = v;
		if (same_major(v, installed) && (!same || newer(v, same)))
			same = v;
	}
	return same;
}

/* Whether a Joomla version updates from the TUF feed (5.1 and later) or the legacy one. */
static bool uses_tuf(const char *version)
{
	int major = 0, minor = 0;

	if (sscanf(version, "%d.%d", &major, &minor) < 1)
		return true;
	return major > 5 || (major == 5 && minor >= 1);
}

int catalog_judge_joomla_core(const struct catalog_index *idx, const char *version, time_t now,
			      struct catalog_judgement *j)
{
	static const char *const eol_feeds[] = { "endoflife-joomla", NULL };
	static const struct life_rule rule = { "joomla", eol_feeds, "Joomla", "joomla.core_eol",
					       "joomla.core_eol_soon" };
	struct cycle_life life;
	char what[80];
	int r = judge_life(idx, &rule, version, now, j, &life);

	/* An ended line is the verdict; an unknown end, too (never "ok" without it). */
	if (r != 0 || j->status == HU_CRITICAL)
		return r < 0 ? r : 0;
	snprintf(what, sizeof(what), "Joomla %.40s", version);
	const char *feed = uses_tuf(version) ? "joomla-core" : "joomla-core-legacy";
	struct catalog_judgement gate = { 0 };
	if ((r = judge_gate(idx, feed, now, what, &gate)) != 0) {
		if (r > 0) {
			catalog_judgement_clear(j);
			*j = gate;
			return 0;
		}
		catalog_judgement_clear(&gate);
		return r;
	}
	catalog_judgement_clear(&gate);
	const char *upgrade, *latest = uses_tuf(version) ? tuf_latest(idx, version, &upgrade)
							 : list_latest(idx, version, &upgrade);
	int cmp;
	j->latest = latest; /* update.joomla.org, not endoflife.date's (it had 5.4.112) */
	judge_fact(j, "latest", latest);
	judge_fact(j, "upgrade", upgrade && upgrade != latest ? upgrade : NULL);
	judge_fact(j, "feed", feed);
	if (!latest) {
		if (j->status == HU_WARNING)
			return 0; /* the end of support is near: that says enough */
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: update.joomla.org offers it no release in its "
				 "own line",
				 what);
	}
	if (hu_version_compare_as(HU_VERSION_PHP, version, latest, &cmp) == 0 && cmp < 0)
		return judge_say(j, HU_WARNING, "joomla.core_outdated",
				 "%s is outdated; the latest %.*s release is %s", what,
				 (int)strcspn(latest, "."), latest, latest);
	return j->status == HU_WARNING
		   ? 0
		   : judge_say(j, HU_OK, NULL, "%s is the latest release", what);
}

/* The version of the Joomla install path belongs to: the core whose root holds it. */
static const char *site_joomla(const json_t *inventory, const char *path)
{
	const char *best = NULL;
	size_t best_len = 0, i;
	const json_t *it;

	json_array_foreach(inventory, i, it)
	{
		const char *kind = judge_text(it, "kind"), *root = judge_text(it, "path");
		size_t n = root ? strlen(root) : 0;
		if (!kind || strcmp(kind, "joomla-core") != 0 || !path || n == 0 ||
		    strncmp(path, root, n) != 0 || (path[n] != '/' && root[n - 1] != '/') ||
		    n <= best_len)
			continue;
		best = judge_text(it, "version");
		best_len = n;
	}
	return best;
}

/* An element without its package prefix ("pkg_akeeba" and the manifest's "akeeba" are one). */
static const char *bare(const char *element, const char *type)
{
	if (type && strcasecmp(type, "package") == 0 && strncasecmp(element, "pkg_", 4) == 0)
		return element + 4;
	return element;
}

/* Whether an update file's entry is about item: element, and type and folder when both say. */
static bool same_extension(const json_t *item, const json_t *e)
{
	const char *type = judge_text(item, "type"), *etype = judge_text(e, "type");
	const char *element =
	    judge_text(item, "element") ? judge_text(item, "element") : judge_text(item, "slug");
	const char *eelement = judge_text(e, "element");
	const char *folder = judge_text(item, "folder"), *efolder = judge_text(e, "folder");

	if (!element || !eelement || strcasecmp(bare(element, type), bare(eelement, etype)) != 0)
		return false;
	if (type && etype && strcasecmp(type, etype) != 0)
		return false;
	return !folder || !efolder || strcasecmp(folder, efolder) == 0;
}

/* What the extension's update servers say: the newest stable release for joomla. */
struct offers {
	const char *latest;
	size_t listed, asked;
	const char *problem, *error; /* the first server's that could not be read */
};

static void read_offers(const struct catalog_index *idx, const json_t *item, const char *joomla,
			struct offers *o)
{
	const json_t *url, *e;
	size_t i, k;

	json_array_foreach(json_object_get(item, "update_servers"), i, url)
	{
		const json_t *row =
		    catalog_index_item(idx, CATALOG_JOOMLA_SERVER, json_string_value(url));
		const char *status = judge_text(row, "status");
		const json_t *facts = json_object_get(row, "facts");
		if (!status)
			continue;
		o->asked++;
		if (strcmp(status, "listed") != 0) {
			if (!o->problem) {
				o->problem = status;
				o->error = judge_text(facts, "error");
			}
			continue;
		}
		o->listed++;
		json_array_foreach(json_object_get(facts, "updates"), k, e)
		{
			const char *v = judge_text(e, "version");
			if (v && is_stable(judge_text(e, "stability")) && same_extension(item, e) &&
			    platform_takes(e, joomla) && (!o->latest || newer(v, o->latest)))
				o->latest = v;
		}
	}
}

int catalog_judge_joomla_extension(const struct catalog_index *idx, const json_t *item,
				   const json_t *inventory, time_t now, struct catalog_judgement *j)
{
	const char *slug = judge_text(item, "slug"), *version = judge_text(item, "version");
	const char *joomla = site_joomla(inventory, judge_text(item, "path"));
	struct offers o = { 0 };
	char what[160];
	int r;

	snprintf(what, sizeof(what), "the Joomla extension %.60s %.40s", slug ? slug : "?",
		 version);
	if ((r = judge_gate(idx, EXT_FEED, now, what, j)) != 0)
		return r < 0 ? r : 0;
	judge_fact(j, "feed", EXT_FEED);
	judge_fact(j, "joomla", joomla);
	if (!joomla) {
		judge_fact(j, "reason", "no joomla core");
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: the inventory has no Joomla core it belongs to, "
				 "and its updates depend on the Joomla version",
				 what);
	}
	read_offers(idx, item, joomla, &o);
	if (o.asked == 0) {
		judge_fact(j, "reason", "not asked yet");
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: it was not in the stored inventories when %s "
				 "was last read",
				 what, EXT_FEED);
	}
	if (o.listed == 0) {
		judge_fact(j, "reason",
			   strcmp(o.problem, "unreachable") == 0 ? "update server unreachable"
								 : "update server unreadable");
		judge_fact(j, "error", o.error);
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: its update server could not be read (%.200s)",
				 what, o.error ? o.error : o.problem);
	}
	if (!o.latest) {
		judge_fact(j, "reason", "not listed");
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge %s: its update server offers no stable release of "
				 "it for Joomla %.40s",
				 what, joomla);
	}
	j->latest = o.latest;
	judge_fact(j, "latest", o.latest);
	if (newer(o.latest, version))
		return judge_say(j, HU_WARNING, "joomla.extension_outdated",
				 "%s is outdated; its vendor offers %s for Joomla %.40s", what,
				 o.latest, joomla);
	return judge_say(j, HU_OK, NULL, "%s is the latest release", what);
}
