/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_judge.h"
#include "catalog_judge_int.h"
#include "huolto/version.h"

#define DAY 86400

void catalog_judgement_clear(struct catalog_judgement *j)
{
	free(j->message);
	json_decref(j->facts);
	*j = (struct catalog_judgement){ 0 };
}

/* Set the verdict and its message. Returns 0 or -ENOMEM. */
static int say(struct catalog_judgement *j, enum hu_status status, const char *code,
	       const char *fmt, va_list ap)
{
	int n;

	free(j->message);
	j->message = NULL;
	n = vasprintf(&j->message, fmt, ap);
	j->status = status;
	j->code = code;
	if (n < 0) {
		j->message = NULL;
		return -ENOMEM;
	}
	return 0;
}

int judge_say(struct catalog_judgement *j, enum hu_status status, const char *code, const char *fmt,
	      ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = say(j, status, code, fmt, ap);
	va_end(ap);
	return r;
}

const char *judge_text(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

json_t *judge_facts(struct catalog_judgement *j)
{
	if (!j->facts)
		j->facts = json_object();
	return j->facts;
}

void judge_fact(struct catalog_judgement *j, const char *key, const char *value)
{
	json_t *f = judge_facts(j);

	if (f && value)
		json_object_set_new(f, key, json_string(value));
}

/*
 * Whether feed can be judged with at now: 0 when it is current; else the
 * judgement becomes catalog.unknown (never read) or catalog.stale about
 * what, and 1 is returned.
 */
int judge_gate(const struct catalog_index *idx, const char *feed, time_t now, const char *what,
	       struct catalog_judgement *j)
{
	const json_t *row;
	enum catalog_freshness f = catalog_index_feed(idx, feed, now, &row);
	int r;

	if (f == CATALOG_CURRENT)
		return 0;
	judge_fact(j, "feed", feed);
	if (f == CATALOG_NEVER) {
		r = judge_say(j, HU_UNKNOWN, "catalog.unknown",
			      "cannot judge %s: the catalog feed %s was never read", what, feed);
		return r < 0 ? r : 1;
	}
	json_int_t ok_at = json_integer_value(json_object_get(row, "ok_at"));
	json_int_t expires = json_integer_value(json_object_get(row, "expires"));
	json_object_set_new(judge_facts(j), "feed_ok_at", json_integer(ok_at));
	if (expires > 0 && (int64_t)now >= expires) {
		json_object_set_new(judge_facts(j), "feed_expires", json_integer(expires));
		r = judge_say(j, HU_UNKNOWN, "catalog.stale",
			      "cannot judge %s: the catalog feed %s expired %lld days ago", what,
			      feed, (long long)(((int64_t)now - expires) / DAY));
	} else {
		r = judge_say(j, HU_UNKNOWN, "catalog.stale",
			      "cannot judge %s: the catalog feed %s was last read %lld days ago",
			      what, feed, (long long)(((int64_t)now - ok_at) / DAY));
	}
	return r < 0 ? r : 1;
}

int judge_item_row(const struct catalog_index *idx, const char *feed, const char *kind,
		   const char *key, time_t now, const char *what, struct catalog_judgement *j,
		   const json_t **ret_row)
{
	int r = judge_gate(idx, feed, now, what, j);

	if (r != 0)
		return r;
	*ret_row = catalog_index_item(idx, kind, key);
	judge_fact(j, "feed", feed);
	if (judge_text(*ret_row, "status"))
		return 0;
	judge_fact(j, "reason", "not asked yet");
	r = judge_say(j, HU_UNKNOWN, "catalog.unknown",
		      "cannot judge %s: it was not in the stored inventories when %s was last "
		      "read",
		      what, feed);
	return r < 0 ? r : 1;
}

void catalog_judge_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

/* A "YYYY-MM-DD" column of row as Unix seconds (midnight UTC); false when absent. */
static bool row_date(const json_t *row, const char *key, time_t *ret)
{
	const char *s = json_string_value(json_object_get(row, key));
	struct tm tm = { 0 };
	const char *end;

	if (!s || !(end = strptime(s, "%Y-%m-%d", &tm)) || *end)
		return false;
	*ret = timegm(&tm);
	return *ret != (time_t)-1;
}

/* Whether release belongs to cycle ("10.6" holds "10.6.15", not "10.61.0"). */
static bool in_cycle(const char *cycle, const char *release)
{
	size_t n = strlen(cycle);

	return n > 0 && strncmp(cycle, release, n) == 0 &&
	       (release[n] == '\0' || release[n] == '.' || release[n] == '-');
}

/* The cycle of product from feed holding release (the longest match), or NULL. */
static const json_t *find_cycle(const struct catalog_index *idx, const char *product,
				const char *feed, const char *release)
{
	const json_t *best = NULL, *row;
	size_t i, best_len = 0;

	json_array_foreach(json_object_get(idx->cycles, product), i, row)
	{
		const char *c = json_string_value(json_object_get(row, "cycle"));
		const char *f = json_string_value(json_object_get(row, "feed"));
		if (c && f && strcmp(f, feed) == 0 && in_cycle(c, release) &&
		    strlen(c) > best_len) {
			best = row;
			best_len = strlen(c);
		}
	}
	return best;
}

/*
 * When release is older than every cycle of product in feed: the oldest
 * cycle (had that one ended, so has release's older line), else NULL.
 */
static const json_t *older_than_all(const struct catalog_index *idx, const char *product,
				    const char *feed, const char *release)
{
	const json_t *oldest = NULL, *row;
	size_t i;

	json_array_foreach(json_object_get(idx->cycles, product), i, row)
	{
		const char *c = json_string_value(json_object_get(row, "cycle"));
		const char *f = json_string_value(json_object_get(row, "feed"));
		if (!c || !f || strcmp(f, feed) != 0)
			continue;
		if (hu_version_compare(release, c) >= 0)
			return NULL;
		if (!oldest ||
		    hu_version_compare(c, json_string_value(json_object_get(oldest, "cycle"))) < 0)
			oldest = row;
	}
	return oldest;
}

/* The first of feeds that is current, else the first (for the gate to explain). */
static const char *choose_feed(const struct catalog_index *idx, const char *const *feeds,
			       time_t now)
{
	for (size_t i = 0; feeds[i]; i++)
		if (catalog_index_feed(idx, feeds[i], now, NULL) == CATALOG_CURRENT)
			return feeds[i];
	return feeds[0];
}

static void cycle_life(const json_t *row, time_t now, struct cycle_life *ret)
{
	json_int_t flag = json_integer_value(json_object_get(row, "eol_flag"));

	*ret = (struct cycle_life){ .life = LIFE_SUPPORTED };
	if (!row_date(row, "eol", &ret->eol))
		ret->eol = 0;
	if (!row_date(row, "support_end", &ret->support_end))
		ret->support_end = 0;
	if (ret->eol && now >= ret->eol) {
		ret->life = LIFE_ENDED;
		ret->days = (long)((now - ret->eol) / DAY);
	} else if (ret->eol && ret->eol - now <= (time_t)CATALOG_EOL_WARN_DAYS * DAY) {
		ret->life = LIFE_ENDING;
		ret->days = (long)((ret->eol - now) / DAY);
	} else if (!ret->eol && flag == 1) {
		ret->life = LIFE_ENDED;
	} else if (!ret->eol && flag != 0) {
		ret->life = LIFE_UNKNOWN;
	} else if (ret->support_end && now >= ret->support_end) {
		ret->life = LIFE_SECURITY_ONLY;
	}
}

/* The cycle's facts into j. */
static void cycle_facts(struct catalog_judgement *j, const json_t *row, const char *feed)
{
	static const char *const keys[] = { "cycle", "released", "support_end", "eol", "latest" };

	judge_fact(j, "feed", feed);
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		judge_fact(j, keys[i], json_string_value(json_object_get(row, keys[i])));
	j->latest = json_string_value(json_object_get(row, "latest"));
}

/*
 * Judge release by its cycle: ended (critical), ending within 90 days
 * (warning), or 0 with j->status ok. Returns 1 when j holds an unknown.
 */
int judge_life(const struct catalog_index *idx, const struct life_rule *rule, const char *release,
	       time_t now, struct catalog_judgement *j, struct cycle_life *life)
{
	const char *feed = choose_feed(idx, rule->feeds, now);
	char what[96];
	int r;

	snprintf(what, sizeof(what), "%s %s", rule->name, release);
	if ((r = judge_gate(idx, feed, now, what, j)) != 0)
		return r;
	const json_t *row = find_cycle(idx, rule->product, feed, release);
	const json_t *oldest = row ? NULL : older_than_all(idx, rule->product, feed, release);
	if (oldest) {
		cycle_life(oldest, now, life);
		if (life->life == LIFE_ENDED) {
			judge_fact(j, "feed", feed);
			judge_fact(j, "older_than",
				   json_string_value(json_object_get(oldest, "cycle")));
			return judge_say(j, HU_CRITICAL, rule->ended,
					 "%s: older than the %s %s line, whose support has ended",
					 what, rule->name,
					 json_string_value(json_object_get(oldest, "cycle")));
		}
	}
	if (!row) {
		judge_fact(j, "feed", feed);
		r = judge_say(j, HU_UNKNOWN, "catalog.unknown",
			      "cannot judge %s: %s lists no release cycle it belongs to", what,
			      feed);
		return r < 0 ? r : 1;
	}
	cycle_facts(j, row, feed);
	cycle_life(row, now, life);
	const char *cycle = json_string_value(json_object_get(row, "cycle"));
	char eol[16] = "";
	if (life->eol)
		catalog_judge_date(life->eol, eol, sizeof(eol));
	switch (life->life) {
	case LIFE_ENDED:
		return judge_say(j, HU_CRITICAL, rule->ended,
				 *eol ? "%s: the %s %s line has had no security support since %s"
				      : "%s: the %s %s line has no security support%s",
				 what, rule->name, cycle, eol);
	case LIFE_ENDING:
		return judge_say(j, HU_WARNING, rule->ending,
				 "%s: the %s %s line loses security support on %s, in %ld days",
				 what, rule->name, cycle, eol, life->days);
	case LIFE_UNKNOWN:
		r = judge_say(j, HU_UNKNOWN, "catalog.unknown",
			      "cannot judge %s: %s gives no end of support for the %s line", what,
			      feed, cycle);
		return r < 0 ? r : 1;
	default:
		return judge_say(j, HU_OK, NULL, "%s: the %s %s line is supported%s%s", what,
				 rule->name, cycle, *eol ? " until " : "", eol);
	}
}

static const char *const php_feeds[] = { "php", "endoflife-php", NULL };

int catalog_judge_php(const struct catalog_index *idx, const char *version, time_t now,
		      struct catalog_judgement *j)
{
	static const struct life_rule rule = { "php", php_feeds, "PHP", "php.eol", "php.eol_soon" };
	struct cycle_life life;
	int r;

	*j = (struct catalog_judgement){ 0 };
	r = judge_life(idx, &rule, version, now, j, &life);
	if (r != 0 || j->status != HU_OK)
		return r < 0 ? r : 0;
	if (life.life == LIFE_SECURITY_ONLY) {
		char end[16];
		catalog_judge_date(life.support_end, end, sizeof(end));
		return judge_say(j, HU_WARNING, "php.security_only",
				 "PHP %s gets security fixes only since %s", version, end);
	}
	j->code = "php.ok";
	return 0;
}

static const char *const mysql_feeds[] = { "endoflife-mysql", NULL };
static const char *const mariadb_feeds[] = { "endoflife-mariadb", NULL };

int catalog_judge_db(const struct catalog_index *idx, const char *version, const char *flavour,
		     time_t now, struct catalog_judgement *j)
{
	static const struct life_rule mysql = { "mysql", mysql_feeds, "MySQL", "db.version_eol",
						"db.version_eol_soon" };
	static const struct life_rule mariadb = { "mariadb", mariadb_feeds, "MariaDB",
						  "db.version_eol", "db.version_eol_soon" };
	bool is_mariadb = (flavour && strcasecmp(flavour, "mariadb") == 0) ||
			  (version && strstr(version, "MariaDB"));
	char release[64];
	struct cycle_life life;

	*j = (struct catalog_judgement){ 0 };
	if (!version || hu_version_mysql_release(version, release, sizeof(release)) < 0)
		return judge_say(j, HU_UNKNOWN, "catalog.unknown",
				 "cannot judge the database server: its version \"%.40s\" has no "
				 "release number",
				 version ? version : "");
	int r = judge_life(idx, is_mariadb ? &mariadb : &mysql, release, now, j, &life);
	return r < 0 ? r : 0;
}

int catalog_judge_inventory(const struct catalog_index *idx, json_t *inventory, time_t now)
{
	size_t i;
	json_t *item;

	json_array_foreach(inventory, i, item)
	{
		struct catalog_judgement j = { 0 };
		json_t *c = json_null();
		int r = idx ? catalog_judge_item(idx, item, inventory, now, &j) : 1;
		if (r < 0)
			return r;
		if (r == 0)
			c = json_pack("{s:s, s:s?, s:s?, s:s?}", "status", hu_status_name(j.status),
				      "code", j.code, "latest", j.latest, "message", j.message);
		catalog_judgement_clear(&j);
		if (!c || json_object_set_new(item, "catalog", c) < 0)
			return -ENOMEM;
	}
	return 0;
}
