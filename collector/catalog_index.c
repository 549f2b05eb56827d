/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "catalog_db.h"
#include "catalog_index.h"
#include "catalog_parse.h"
#include "huolto/version.h"

struct catalog_joomla_release {
	char *version, *channel, *stability, *php_minimum;
	regex_t platform;
};

bool catalog_stale_at(int64_t ok_at, int64_t expires, int64_t stale_after_s, time_t now)
{
	if (expires > 0 && (int64_t)now >= expires)
		return true;
	return ok_at <= 0 || (int64_t)now - ok_at > stale_after_s;
}

static const char *row_text(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* rows keyed by their column key into an object (for cycles: arrays per key). */
static int index_by(json_t *rows, const char *key, bool many, json_t **ret)
{
	json_t *o = json_object(), *row;
	size_t i;

	if (!o)
		return -ENOMEM;
	json_array_foreach(rows, i, row)
	{
		const char *k = row_text(row, key);
		if (!k)
			continue;
		if (!many) {
			json_object_set(o, k, row);
			continue;
		}
		json_t *a = json_object_get(o, k);
		if (!a && (json_object_set_new(o, k, a = json_array()) < 0 || !a)) {
			json_decref(o);
			return -ENOMEM;
		}
		json_array_append(a, row);
	}
	*ret = o;
	return 0;
}

static int load_wp_core(struct catalog_index *idx, json_t *rows)
{
	json_t *row;
	size_t i;

	if (!(idx->wp_core = json_object()))
		return -ENOMEM;
	json_array_foreach(rows, i, row)
	{
		const char *v = row_text(row, "version"), *st = row_text(row, "status");
		if (!v || !st || json_object_set_new(idx->wp_core, v, json_string(st)) < 0)
			return -ENOMEM;
		if (strcmp(st, "latest") == 0 && !idx->wp_latest && !(idx->wp_latest = strdup(v)))
			return -ENOMEM;
	}
	return 0;
}

/* Newest first, as Joomla's TufAdapter sorts them (version_compare). */
static int newest_first(const void *a, const void *b)
{
	const struct catalog_joomla_release *x = a, *y = b;

	return hu_version_compare(y->version, x->version);
}

static int load_joomla(struct catalog_index *idx, json_t *rows)
{
	json_t *row;
	size_t i;

	idx->joomla = calloc(json_array_size(rows) + 1, sizeof(*idx->joomla));
	if (!idx->joomla)
		return -ENOMEM;
	json_array_foreach(rows, i, row)
	{
		struct catalog_joomla_release *j = &idx->joomla[idx->n_joomla];
		const char *platform = row_text(row, "platform");
		if (!platform || catalog_joomla_platform_compile(&j->platform, platform) < 0)
			continue; /* the parser refused such rows; a hand-edited database */
		idx->n_joomla++;
		j->version = dup_or_null(row_text(row, "version"));
		j->channel = dup_or_null(row_text(row, "channel"));
		j->stability = dup_or_null(row_text(row, "stability"));
		j->php_minimum = dup_or_null(row_text(row, "php_minimum"));
		if (!j->version)
			return -ENOMEM;
	}
	qsort(idx->joomla, idx->n_joomla, sizeof(*idx->joomla), newest_first);
	return 0;
}

/* Items keyed "kind key" (catalog_index_item), their facts parsed. */
static int load_items(struct catalog_index *idx, json_t *rows)
{
	json_t *row;
	size_t i;
	char k[512];

	if (!(idx->items = json_object()))
		return -ENOMEM;
	json_array_foreach(rows, i, row)
	{
		const char *kind = row_text(row, "kind"), *key = row_text(row, "key");
		const char *facts = row_text(row, "facts");
		if (!kind || !key ||
		    (size_t)snprintf(k, sizeof(k), "%s %s", kind, key) >= sizeof(k))
			continue;
		if (facts)
			json_object_set_new(row, "facts", json_loads(facts, 0, NULL));
		if (json_object_set(idx->items, k, row) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Vulnerabilities by "type slug", their ranges and patched versions parsed. */
static int load_vulns(struct catalog_index *idx, json_t *rows)
{
	json_t *row;
	size_t i;
	char k[320];

	if (!(idx->vulns = json_object()))
		return -ENOMEM;
	json_array_foreach(rows, i, row)
	{
		const char *type = row_text(row, "type"), *slug = row_text(row, "slug");
		json_t *ranges = json_loads(row_text(row, "ranges"), 0, NULL);
		json_t *patched = json_loads(row_text(row, "patched"), 0, NULL);
		if (!type || !slug || !json_is_array(ranges) || !json_is_array(patched) ||
		    (size_t)snprintf(k, sizeof(k), "%s %s", type, slug) >= sizeof(k)) {
			json_decref(ranges);
			json_decref(patched);
			continue;
		}
		json_object_del(row, "feed");
		json_object_del(row, "type");
		json_object_del(row, "slug");
		json_object_set_new(row, "ranges", ranges);
		json_object_set_new(row, "patched", patched);
		json_t *a = json_object_get(idx->vulns, k);
		if (!a && (json_object_set_new(idx->vulns, k, a = json_array()) < 0 || !a))
			return -ENOMEM;
		if (json_array_append(a, row) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int load_tables(struct catalog_index *idx, struct catalog_db *db, struct hu_err *err)
{
	json_t *feeds = NULL, *cycles = NULL, *wp = NULL, *joomla = NULL, *items = NULL;
	json_t *vulns = NULL;
	int r;

	if ((r = catalog_db_rows(db, "feeds", &feeds, err)) >= 0 &&
	    (r = catalog_db_rows(db, "cycles", &cycles, err)) >= 0 &&
	    (r = catalog_db_rows(db, "wp_core", &wp, err)) >= 0 &&
	    (r = catalog_db_rows(db, "joomla_core", &joomla, err)) >= 0 &&
	    (r = catalog_db_rows(db, "items", &items, err)) >= 0 &&
	    (r = load_items(idx, items)) >= 0 &&
	    (r = catalog_db_rows(db, "vulns", &vulns, err)) >= 0 &&
	    (r = load_vulns(idx, vulns)) >= 0 &&
	    (r = index_by(feeds, "name", false, &idx->feeds)) >= 0 &&
	    (r = index_by(cycles, "product", true, &idx->cycles)) >= 0 &&
	    (r = load_wp_core(idx, wp)) >= 0)
		r = load_joomla(idx, joomla);
	json_decref(feeds);
	json_decref(cycles);
	json_decref(wp);
	json_decref(joomla);
	json_decref(items);
	json_decref(vulns);
	return r;
}

int catalog_index_load(const struct catalog_conf *conf, time_t now, struct catalog_index **ret,
		       struct hu_err *err)
{
	struct catalog_index *idx = calloc(1, sizeof(*idx));
	struct catalog_db *db = NULL;
	char *path = NULL;
	int r = 0;

	if (!idx || asprintf(&path, "%s/catalog.db", conf->dir) < 0) {
		free(idx);
		return -ENOMEM;
	}
	idx->refs = 1;
	idx->stale_after_s = conf->stale_after_ms / 1000;
	idx->wordfence = conf->wordfence_url != NULL;
	idx->loaded_at = (int64_t)now;
	/*
	 * Never refreshed: seed the catalog from the compiled-in snapshot. When
	 * catalog.dir cannot be made (catalog refresh and status say why), the
	 * index is empty and every judgement says unknown.
	 */
	if (access(path, F_OK) != 0) {
		struct catalog *c = NULL;
		struct hu_err ignored = HU_ERR_INIT;
		if (catalog_open(conf, &c, &ignored) >= 0)
			catalog_close(c);
		hu_err_clear(&ignored);
	}
	if (access(path, F_OK) == 0)
		r = catalog_db_open(path, &db, err);
	if (r >= 0 && db)
		r = load_tables(idx, db, err);
	else if (r >= 0)
		r = (idx->feeds = json_object()) && (idx->cycles = json_object()) &&
			    (idx->wp_core = json_object()) && (idx->items = json_object()) &&
			    (idx->vulns = json_object())
			? 0
			: -ENOMEM;
	catalog_db_close(db);
	free(path);
	if (r < 0) {
		catalog_index_free(idx);
		return r;
	}
	*ret = idx;
	return 0;
}

void catalog_index_free(struct catalog_index *idx)
{
	if (!idx)
		return;
	json_decref(idx->feeds);
	json_decref(idx->cycles);
	json_decref(idx->wp_core);
	json_decref(idx->items);
	json_decref(idx->vulns);
	free(idx->wp_latest);
	for (size_t i = 0; i < idx->n_joomla; i++) {
		struct catalog_joomla_release *j = &idx->joomla[i];
		free(j->version);
		free(j->channel);
		free(j->stability);
		free(j->php_minimum);
		regfree(&j->platform);
	}
	free(idx->joomla);
	free(idx);
}

const json_t *catalog_index_vulns(const struct catalog_index *idx, const char *type,
				  const char *slug)
{
	char k[320];

	if (!slug || (size_t)snprintf(k, sizeof(k), "%s %s", type, slug) >= sizeof(k))
		return NULL;
	return json_object_get(idx->vulns, k);
}

const json_t *catalog_index_item(const struct catalog_index *idx, const char *kind, const char *key)
{
	char k[512];

	if (!key || (size_t)snprintf(k, sizeof(k), "%s %s", kind, key) >= sizeof(k))
		return NULL;
	return json_object_get(idx->items, k);
}

enum catalog_freshness catalog_index_feed(const struct catalog_index *idx, const char *feed,
					  time_t now, const json_t **ret_row)
{
	const json_t *row = json_object_get(idx->feeds, feed);

	if (ret_row)
		*ret_row = row;
	/* A feed that failed every time has a row but no facts. */
	if (!row || json_integer_value(json_object_get(row, "changed_at")) <= 0)
		return CATALOG_NEVER;
	if (catalog_stale_at(json_integer_value(json_object_get(row, "ok_at")),
			     json_integer_value(json_object_get(row, "expires")),
			     idx->stale_after_s, now))
		return CATALOG_STALE;
	return CATALOG_CURRENT;
}

bool catalog_index_joomla(const struct catalog_index *idx, size_t *i, const char *installed,
			  struct catalog_joomla_view *ret)
{
	for (; *i < idx->n_joomla; (*i)++) {
		const struct catalog_joomla_release *j = &idx->joomla[*i];
		if (regexec(&j->platform, installed, 0, NULL, 0) != 0)
			continue;
		*ret = (struct catalog_joomla_view){
			.version = j->version,
			.channel = j->channel,
			.stability = j->stability,
			.php_minimum = j->php_minimum,
		};
		return true;
	}
	return false;
}

void catalog_live_init(struct catalog_live *l)
{
	pthread_mutex_init(&l->lock, NULL);
	l->idx = NULL;
}

struct catalog_index *catalog_live_get(struct catalog_live *l)
{
	struct catalog_index *idx;

	pthread_mutex_lock(&l->lock);
	idx = l->idx;
	if (idx)
		idx->refs++;
	pthread_mutex_unlock(&l->lock);
	return idx;
}

void catalog_live_put(struct catalog_live *l, struct catalog_index *idx)
{
	bool last;

	if (!idx)
		return;
	pthread_mutex_lock(&l->lock);
	last = --idx->refs == 0;
	pthread_mutex_unlock(&l->lock);
	if (last)
		catalog_index_free(idx);
}

void catalog_live_swap(struct catalog_live *l, struct catalog_index *idx)
{
	struct catalog_index *old;

	pthread_mutex_lock(&l->lock);
	old = l->idx;
	l->idx = idx;
	pthread_mutex_unlock(&l->lock);
	catalog_live_put(l, old);
}

void catalog_live_clear(struct catalog_live *l)
{
	catalog_live_swap(l, NULL);
	pthread_mutex_destroy(&l->lock);
}
