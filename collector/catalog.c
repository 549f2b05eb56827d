/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "catalog_fetch.h"
#include "catalog_index.h"
#include "catalog_parse.h"
#include "catalog_plan.h"
#include "huolto/fileio.h"
#include "huolto/secret.h"

/* One feed: its name (a contract: `catalog refresh NAME`), where it is, how it is read. */
struct feed_def {
	const char *name;
	const char *product; /* endoflife.date's product, else NULL */
	size_t base;         /* offset of the base URL in struct catalog_conf */
	const char *path;    /* joined to the base; NULL: the endoflife.date form */
	catalog_parse_fn parse;
	catalog_plan_fn plan; /* a per-item feed: its calls (path unused), else NULL */
	/* Wordfence: the base is the whole address, and optional (no base: no feed) */
	bool whole_url;
	catalog_parse_file_fn parse_file; /* streamed from the body on disk, instead of parse */
	bool token;                       /* Authorization: Bearer from the token file */
	int64_t min_interval_s;           /* the feed allows one request per this long */
	bool big;                         /* its own max_body (wordfence.max_body) */
	/* A per-item feed whose calls may fail one by one: recorded by this, not a failed feed. */
	catalog_fail_fn failed;
	bool extension_servers; /* addresses from the inventories: catalog.extension_servers */
};

#define BASE(field) offsetof(struct catalog_conf, field)

/* A feed with one address under base; an endoflife.date product; a per-item feed. */
#define ONE(n, b, p, fn)                                           \
	{                                                          \
		.name = n, .base = BASE(b), .path = p, .parse = fn \
	}
#define EOL(p)                                                                 \
	{                                                                      \
		.name = "endoflife-" p, .product = p, .base = BASE(endoflife), \
		.parse = catalog_parse_eol                                     \
	}
#define ITEMS(n, b, fn, pl)                                         \
	{                                                           \
		.name = n, .base = BASE(b), .parse = fn, .plan = pl \
	}

/* Wordfence's default limit: one request every 30 minutes (file 05). */
#define WORDFENCE_INTERVAL_S (30 * 60)

static const struct feed_def feeds[] = {
	ONE("wordpress-core", wordpress_api, "/core/stable-check/1.0/", catalog_parse_wp_stable),
	ITEMS("wordpress-plugins", wordpress_api, catalog_parse_wp_plugins,
	      catalog_plan_wp_plugins),
	/* After wordpress-plugins: it asks about the plugins that feed did not know. */
	ITEMS("wordpress-plugin-info", wordpress_api, catalog_parse_wp_plugin_info,
	      catalog_plan_wp_plugin_info),
	ITEMS("wordpress-themes", wordpress_api, catalog_parse_wp_themes, catalog_plan_wp_themes),
	ITEMS("drupal-release-history", drupal_updates, catalog_parse_drupal, catalog_plan_drupal),
	ONE("joomla-core", joomla_updates, "/cms/targets.json", catalog_parse_joomla_tuf),
	ONE("joomla-core-legacy", joomla_updates, "/core/list.xml", catalog_parse_joomla_list),
	{ .name = "joomla-extensions",
	  .base = BASE(joomla_updates),
	  .parse = catalog_parse_joomla_server,
	  .plan = catalog_plan_joomla_servers,
	  .failed = catalog_joomla_server_failed,
	  .extension_servers = true },
	ONE("php", php_releases, "/branches.php", catalog_parse_php_branches),
	EOL("php"),
	EOL("mysql"),
	EOL("mariadb"),
	EOL("drupal"),
	EOL("joomla"),
	{ .name = "wordfence",
	  .base = BASE(wordfence_url),
	  .whole_url = true,
	  .parse_file = catalog_parse_wordfence_file,
	  .token = true,
	  .min_interval_s = WORDFENCE_INTERVAL_S,
	  .big = true },
};

#define N_FEEDS (sizeof(feeds) / sizeof(*feeds))

/* data/catalog-snapshot.json, compiled in (scripts/make-catalog-snapshot writes it). */
extern const char catalog_snapshot_json[];
extern const size_t catalog_snapshot_json_len;

/* Replace feed d's facts with body, read at `when` from where. */
static int take_text(struct catalog *c, const struct feed_def *d, const json_t *body,
		     const char *where, time_t when, struct hu_err *err)
{
	char *text = json_dumps(body, JSON_COMPACT);
	struct catalog_source src = { .url = where };
	int r = text ? catalog_db_begin(c->db, d->name, err) : -ENOMEM;

	if (r >= 0) {
		r = d->parse(text, strlen(text), d->product, c->db, err);
		if (r >= 0)
			r = catalog_db_commit(c->db, &src, when, err);
		else
			catalog_db_rollback(c->db);
	}
	free(text);
	return r;
}

int catalog_seed(struct catalog *c, struct hu_err *err)
{
	json_error_t je;
	json_t *snap = json_loadb(catalog_snapshot_json, catalog_snapshot_json_len, 0, &je);
	const char *date = json_string_value(json_object_get(snap, "snapshot"));
	struct tm tm = { 0 };
	char where[64];
	int r = 0;

	if (!snap || !date || !strptime(date, "%Y-%m-%d", &tm)) {
		json_decref(snap);
		return hu_err_set(err, -EBADMSG, "the compiled-in catalog snapshot is broken");
	}
	snprintf(where, sizeof(where), "snapshot:%s", date);
	for (size_t i = 0; r >= 0 && i < N_FEEDS; i++) {
		const struct feed_def *d = &feeds[i];
		const json_t *body = json_object_get(json_object_get(snap, "feeds"), d->name);
		struct catalog_feed f = { 0 };
		if (!body || d->plan || d->parse_file)
			continue;
		r = catalog_db_feed_get(c->db, d->name, &f, err);
		bool read = r >= 0 && f.changed_at > 0;
		catalog_feed_clear(&f);
		if (r == -ENOENT || (r >= 0 && !read))
			r = take_text(c, d, body, where, timegm(&tm), err);
	}
	json_decref(snap);
	return r;
}

int catalog_open(const struct catalog_conf *conf, struct catalog **ret, struct hu_err *err)
{
	struct catalog *c;
	char *path = NULL;
	int r;

	if (mkdir(conf->dir, 0750) < 0 && errno != EEXIST)
		return hu_err_errno(err, errno, "catalog.dir %s", conf->dir);
	if (asprintf(&path, "%s/catalog.db", conf->dir) < 0)
		return -ENOMEM;
	c = calloc(1, sizeof(*c));
	if (!c) {
		free(path);
		return -ENOMEM;
	}
	c->conf = conf;
	r = catalog_db_open(path, &c->db, err);
	free(path);
	if (r >= 0)
		r = catalog_seed(c, err);
	if (r < 0) {
		catalog_close(c);
		return r;
	}
	*ret = c;
	return 0;
}

void catalog_close(struct catalog *c)
{
	if (!c)
		return;
	catalog_db_close(c->db);
	free(c);
}

static const char *feed_base(const struct catalog_conf *conf, const struct feed_def *d)
{
	return *(char *const *)((const char *)conf + d->base);
}

/* Whether this configuration reads d (an optional source must be configured). */
static bool feed_on(const struct catalog *c, const struct feed_def *d)
{
	if (d->extension_servers && !c->conf->ext_enabled)
		return false;
	return feed_base(c->conf, d) != NULL;
}

bool catalog_feed_known(const struct catalog *c, const char *name)
{
	for (size_t i = 0; i < N_FEEDS; i++)
		if (strcmp(feeds[i].name, name) == 0 && feed_on(c, &feeds[i]))
			return true;
	return false;
}

int catalog_feed_names(const struct catalog *c, struct hu_strv *ret)
{
	for (size_t i = 0; i < N_FEEDS; i++) {
		int r = feed_on(c, &feeds[i]) ? hu_strv_push(ret, feeds[i].name) : 0;
		if (r < 0)
			return r;
	}
	return 0;
}

bool catalog_stale(const struct catalog_conf *conf, const struct catalog_feed *f, time_t now)
{
	return catalog_stale_at(f->ok_at, f->expires, conf->stale_after_ms / 1000, now);
}

static char *feed_url(const struct catalog_conf *conf, const struct feed_def *d)
{
	const char *base = feed_base(conf, d);
	size_t n = strlen(base);
	char *url = NULL;
	int r;

	if (d->extension_servers)
		r = asprintf(&url, "%s", "(the update servers Joomla manifests name)");
	else if (d->plan || d->whole_url)
		r = asprintf(&url, "%s", base);
	else if (d->path)
		r = asprintf(&url, "%s%s", base, d->path);
	else if (n >= 3 && strcmp(base + n - 3, "/v1") == 0)
		r = asprintf(&url, "%s/products/%s", base, d->product);
	else
		r = asprintf(&url, "%s/%s.json", base, d->product);
	return r < 0 ? NULL : url;
}

/*
 * Parse the n bodies at parts into the feed's facts and commit them, all or
 * none, with src. Each body is about plan's call of the same index (a
 * per-item feed), or the feed's product; why[i], when set, says why call i
 * has no body (d->failed records it).
 */
static int take_bodies(struct catalog *c, const struct feed_def *d, char *const *parts,
		       char *const *why, size_t n, const struct catalog_plan *plan,
		       const struct catalog_source *src, time_t now, struct hu_err *err)
{
	int r = catalog_db_begin(c->db, d->name, err);

	if (r < 0)
		return r;
	for (size_t i = 0; r >= 0 && i < n; i++) {
		char *data = NULL;
		size_t len = 0;
		if (why && why[i]) {
			r = d->failed(plan->v[i].about, why[i], c->db, err);
			continue;
		}
		if (d->parse_file) {
			r = d->parse_file(parts[i], d->product, c->db, err);
			continue;
		}
		r = hu_read_local_file(parts[i], (size_t)c->conf->max_body, &data, &len, NULL, err);
		if (r >= 0)
			r = d->parse(data, len, plan ? plan->v[i].about : d->product, c->db, err);
		free(data);
	}
	if (r >= 0)
		return catalog_db_commit(c->db, src, now, err);
	catalog_db_rollback(c->db);
	return r;
}

/* The request to url into out_path, with c's limits (d's own, when it has them). */
static struct catalog_request request(const struct catalog *c, const struct feed_def *d,
				      const char *url, const char *out_path,
				      const atomic_bool *stop)
{
	return (struct catalog_request){
		.url = url,
		.max_body = d->big ? c->conf->wordfence_max_body : c->conf->max_body,
		.timeout_ms = c->conf->timeout_ms,
		.ca_file = c->conf->ca_file,
		.out_path = out_path,
		.stop = stop,
	};
}

/* Add Retry-After to a refused request's error. */
static int say_retry(int r, const struct catalog_answer *a, struct hu_err *err)
{
	if (r == -EPROTO && a->retry_after_s > 0) {
		char *m = strdup(hu_err_msg(err));
		r = hu_err_set(err, r, "%s, retry after %lld s", m ? m : "refused",
			       (long long)a->retry_after_s);
		free(m);
	}
	return r;
}

/*
 * Fetch call to part; a call that may fail alone (d->failed) and did gets
 * *ret_why, and 0. A customer server named an untrusted call's address:
 * catalog.extension_servers says what may be asked, and how long.
 */
static int fetch_call(struct catalog *c, const struct feed_def *d, const struct catalog_call *call,
		      const char *part, const atomic_bool *stop, char **ret_why, struct hu_err *err)
{
	struct catalog_answer a = { 0 };
	struct catalog_request q = request(c, d, call->url, part, stop);
	int r;

	q.post = call->post;
	q.post_len = call->post_len;
	q.not_found_ok = call->not_found_ok;
	if (call->untrusted) {
		q.https_only = !c->conf->ext_allow_http;
		q.public_only = !c->conf->ext_allow_private;
		q.timeout_ms = c->conf->ext_timeout_ms;
	}
	r = say_retry(catalog_fetch(&q, &a, err), &a, err);
	catalog_answer_clear(&a);
	if (r < 0 && d->failed && r != -ENOMEM && r != -ECANCELED) {
		if (!(*ret_why = strdup(hu_err_msg(err))))
			return -ENOMEM;
		hu_err_clear(err);
		r = 0;
	}
	return r;
}

/*
 * Refresh a per-item feed: plan its calls from the inventory, fetch each to
 * DIR/<feed>.<n>.part, then parse them all into one replacement. Answers
 * are not conditional (the calls are POSTs, or many); 0 or < 0.
 */
static int refresh_calls(struct catalog *c, const struct feed_def *d, const char *url,
			 const json_t *inventory, time_t now, const atomic_bool *stop,
			 struct hu_err *err)
{
	struct catalog_plan plan = { 0 };
	char **parts = NULL, **why = NULL;
	size_t fetched = 0;
	int r = d->plan(feed_base(c->conf, d), inventory, c->db, &plan, err);

	if (r >= 0 && plan.n > 0 &&
	    (!(parts = calloc(plan.n, sizeof(*parts))) || !(why = calloc(plan.n, sizeof(*why)))))
		r = -ENOMEM;
	for (size_t i = 0; r >= 0 && i < plan.n; i++) {
		if (asprintf(&parts[i], "%s/%s.%zu.part", c->conf->dir, d->name, i) < 0) {
			parts[i] = NULL;
			r = -ENOMEM;
			break;
		}
		fetched = i + 1;
		r = fetch_call(c, d, &plan.v[i], parts[i], stop, &why[i], err);
	}
	if (r >= 0) {
		struct catalog_source src = { .url = url };
		r = take_bodies(c, d, parts, why, plan.n, &plan, &src, now, err);
	}
	for (size_t i = 0; i < fetched; i++) {
		unlink(parts[i]);
		free(parts[i]);
		free(why[i]);
	}
	free(parts);
	free(why);
	catalog_plan_clear(&plan);
	return r;
}

/*
 * Refresh one feed: 0 updated, 1 not modified, 2 not asked (too soon for its
 * rate limit), < 0 failed (err says why).
 */
static int refresh_one(struct catalog *c, const struct feed_def *d, const char *url, time_t now,
		       const atomic_bool *stop, struct hu_err *err)
{
	struct catalog_feed old = { 0 };
	struct catalog_answer a = { 0 };
	char *part = NULL, *body = NULL, *token = NULL;
	int r = 0;

	if ((asprintf(&part, "%s/%s.part", c->conf->dir, d->name) < 0 ||
	     asprintf(&body, "%s/%s.body", c->conf->dir, d->name) < 0))
		r = -ENOMEM;
	if (r >= 0)
		r = catalog_db_feed_get(c->db, d->name, &old, err);
	if (r == -ENOENT)
		r = 0;
	if (r < 0)
		goto out;
	/* Validators only for the same address, and only while its body is still here. */
	/* A feed that allows one request per min_interval_s: not again before it is up. */
	if (d->min_interval_s > 0 && old.checked_at > 0 &&
	    (int64_t)now - old.checked_at < d->min_interval_s) {
		r = 2;
		goto out;
	}
	if (d->token && (r = hu_secret_read_file(c->conf->wordfence_token_file, &token, err)) < 0)
		goto out;
	bool validate = old.url && strcmp(old.url, url) == 0 && access(body, R_OK) == 0;
	struct catalog_request q = request(c, d, url, part, stop);
	q.etag = validate ? old.etag : NULL;
	q.last_modified = validate ? old.last_modified : NULL;
	q.bearer = token;
	r = say_retry(catalog_fetch(&q, &a, err), &a, err);
	if (r >= 0 && a.status == 304) {
		r = 1;
	} else if (r >= 0) {
		struct catalog_source src = { .url = url,
					      .etag = a.etag,
					      .last_modified = a.last_modified };
		r = take_bodies(c, d, &part, NULL, 1, NULL, &src, now, err);
		if (r >= 0 && rename(part, body) < 0)
			r = hu_err_errno(err, errno, "%s", body);
	}
	if (r < 0 || a.status == 304)
		unlink(part);
out:
	catalog_answer_clear(&a);
	catalog_feed_clear(&old);
	hu_secret_free(token);
	free(part);
	free(body);
	return r;
}

int catalog_refresh(struct catalog *c, const struct hu_strv *only, const json_t *inventory,
		    time_t now, const atomic_bool *stop, catalog_report_fn report, void *ctx,
		    struct hu_err *err)
{
	int failed = 0;

	for (size_t i = 0; only && i < only->n; i++)
		if (!catalog_feed_known(c, only->v[i]))
			return hu_err_set(err, -ENOENT, "no feed is called \"%s\"", only->v[i]);
	for (size_t i = 0; i < N_FEEDS; i++) {
		const struct feed_def *d = &feeds[i];
		bool wanted = !only || only->n == 0;
		for (size_t k = 0; !wanted && k < only->n; k++)
			wanted = strcmp(only->v[k], d->name) == 0;
		if (!wanted || !feed_on(c, d))
			continue;
		if (stop && atomic_load(stop))
			break;
		struct hu_err ferr = HU_ERR_INIT;
		struct catalog_feed f = { 0 };
		char *url = feed_url(c->conf, d);
		int r = !url      ? -ENOMEM
			: d->plan ? refresh_calls(c, d, url, inventory, now, stop, &ferr)
				  : refresh_one(c, d, url, now, stop, &ferr);
		if (r == -ENOMEM) {
			free(url);
			hu_err_clear(&ferr);
			return r;
		}
		struct catalog_outcome o = { .feed = d->name,
					     .result = r < 0    ? CATALOG_FAILED
						       : r == 2 ? CATALOG_SKIPPED
						       : r == 1 ? CATALOG_NOT_MODIFIED
								: CATALOG_UPDATED };
		char ebuf[128];
		if (r < 0) {
			o.error = hu_err_text(&ferr, r, ebuf, sizeof(ebuf));
			failed++;
		}
		if (r != 0 && r != 2) {
			int w = catalog_db_feed_checked(c->db, d->name, url, now, o.error, err);
			if (w < 0) {
				free(url);
				hu_err_clear(&ferr);
				return w;
			}
		}
		if (catalog_db_feed_get(c->db, d->name, &f, NULL) >= 0) {
			o.items = f.items;
			o.changed_at = f.changed_at;
		}
		if (report)
			report(ctx, &o);
		catalog_feed_clear(&f);
		free(url);
		hu_err_clear(&ferr);
	}
	return failed;
}
