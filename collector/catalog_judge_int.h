/* SPDX-License-Identifier: MIT */
/* What the judging files share (catalog_judge*.c). */
#ifndef HUOLTO_COLLECTOR_CATALOG_JUDGE_INT_H
#define HUOLTO_COLLECTOR_CATALOG_JUDGE_INT_H

#include "catalog_judge.h"

/* Where a release stands in its cycle's life. */
enum life { LIFE_SUPPORTED, LIFE_SECURITY_ONLY, LIFE_ENDING, LIFE_ENDED, LIFE_UNKNOWN };

struct cycle_life {
	enum life life;
	time_t eol, support_end; /* 0 when the cycle has no such date */
	long days;               /* to the end (LIFE_ENDING), or since it (LIFE_ENDED) */
};

/* What a product's life cycle says of release: the codes for ended and ending. */
struct life_rule {
	const char *product;      /* endoflife.date's name */
	const char *const *feeds; /* in order of preference */
	const char *name;         /* for messages: "PHP", "Drupal" */
	const char *ended, *ending;
};

/* A string member of o, or NULL. */
const char *judge_text(const json_t *o, const char *key);
/* j's facts, created empty when there are none yet (NULL only out of memory). */
json_t *judge_facts(struct catalog_judgement *j);
/* t as "YYYY-MM-DD" (UTC) into buf. */
void catalog_judge_date(time_t t, char *buf, size_t len);
/* Set j's verdict and message. 0 or -ENOMEM. */
int judge_say(struct catalog_judgement *j, enum hu_status status, const char *code, const char *fmt,
	      ...) __attribute__((format(printf, 4, 5)));
/* Add a string fact (nothing when value is NULL). */
void judge_fact(struct catalog_judgement *j, const char *key, const char *value);
/*
 * 0 when feed is current at now; else j says catalog.unknown (never read)
 * or catalog.stale about what, and 1 is returned.
 */
int judge_gate(const struct catalog_index *idx, const char *feed, time_t now, const char *what,
	       struct catalog_judgement *j);
/*
 * What per-item feed said of (kind, key) into *ret_row: 0 when the feed is
 * current and asked about it (j's facts name the feed); else j says
 * catalog.unknown / catalog.stale (feed not current) or catalog.unknown
 * with reason "not asked yet", and 1 is returned.
 */
int judge_item_row(const struct catalog_index *idx, const char *feed, const char *kind,
		   const char *key, time_t now, const char *what, struct catalog_judgement *j,
		   const json_t **ret_row);
/*
 * Judge release by its cycle: ended (rule->ended, critical), ending within
 * CATALOG_EOL_WARN_DAYS (rule->ending, warning), else ok; *life tells which.
 * Returns 1 when j holds an unknown (no current feed, no cycle, no date).
 */
int judge_life(const struct catalog_index *idx, const struct life_rule *rule, const char *release,
	       time_t now, struct catalog_judgement *j, struct cycle_life *life);

/* A WordPress plugin or theme (catalog_judge_wp.c); the item has a version. */
int catalog_judge_wp_item(const struct catalog_index *idx, const json_t *item, time_t now,
			  struct catalog_judgement *j);

/*
 * Known vulnerabilities of type ("plugin", "theme") slug at version: j
 * becomes code (critical) when any is known; without current data, an "ok"
 * j becomes catalog.unknown or catalog.stale. 0 or -ENOMEM.
 */
int judge_vulns(const struct catalog_index *idx, const char *type, const char *slug,
		const char *version, const char *what, const char *code, time_t now,
		struct catalog_judgement *j);

/* Drupal core; a Drupal module or theme with a project (catalog_judge_drupal.c). */
int catalog_judge_drupal_core(const struct catalog_index *idx, const json_t *item, time_t now,
			      struct catalog_judgement *j);
int catalog_judge_drupal_project(const struct catalog_index *idx, const json_t *item, time_t now,
				 struct catalog_judgement *j);

/* Joomla's core at version; an extension, in the site inventory (catalog_judge_joomla.c). */
int catalog_judge_joomla_core(const struct catalog_index *idx, const char *version, time_t now,
			      struct catalog_judgement *j);
int catalog_judge_joomla_extension(const struct catalog_index *idx, const json_t *item,
				   const json_t *inventory, time_t now,
				   struct catalog_judgement *j);

#endif
