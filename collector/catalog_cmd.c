/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "catalog_cmd.h"
#include "catalog_reeval.h"
#include "cli_util.h"

static void print_outcome(void *ctx, const struct catalog_outcome *o)
{
	static const char *const words[] = { "updated", "not modified", "FAILED",
					     "skipped (rate limit)" };

	(void)ctx;
	printf("%-22s %-13s %7lld facts, read ", o->feed, words[o->result], (long long)o->items);
	cli_print_time(o->changed_at);
	if (o->error)
		printf("\n    %s%s", o->error,
		       o->changed_at > 0 ? " (the facts read before are kept)" : "");
	putchar('\n');
}

/* After a refresh: every agent's latest document judged with the new facts. */
static int reevaluate(const struct coll_conf *conf)
{
	struct hu_err err = HU_ERR_INIT;
	struct store *s = NULL;
	struct catalog_index *idx = NULL;
	struct catalog_reeval_result res = { 0 };
	time_t now = time(NULL);
	int r = store_sqlite_open(conf->sqlite, &s, &err);

	if (r >= 0)
		r = catalog_index_load(&conf->catalog, now, &idx, &err);
	if (r >= 0)
		r = catalog_reeval(s, idx, conf->alerts.enabled ? &conf->alerts.store : NULL, now,
				   &res, &err);
	catalog_index_free(idx);
	store_close(s);
	if (r < 0) {
		char ebuf[128];
		fprintf(stderr, "huolto-collector: catalog refresh: evaluating the documents: %s\n",
			hu_err_text(&err, r, ebuf, sizeof(ebuf)));
		hu_err_clear(&err);
		return EXIT_FAIL;
	}
	printf("evaluated %u document%s again", res.documents, res.documents == 1 ? "" : "s");
	if (res.queued)
		printf(", %u alert deliveries queued", res.queued);
	putchar('\n');
	return 0;
}

/* The distinct items of the stored inventories, which the per-item feeds ask about. */
static int stored_inventory(const struct coll_conf *conf, json_t **ret, struct hu_err *err)
{
	struct store *s = NULL;
	int r = store_sqlite_open(conf->sqlite, &s, err);

	if (r >= 0)
		r = s->ops->inventory_distinct(s, ret, err);
	store_close(s);
	return r;
}

static int refresh(const struct coll_conf *conf, struct catalog *c, char **feeds, int n)
{
	struct hu_strv only = HU_STRV_INIT;
	struct hu_err err = HU_ERR_INIT;
	json_t *inventory = NULL;
	int r = 0;

	for (int i = 0; r >= 0 && i < n; i++)
		r = hu_strv_push(&only, feeds[i]);
	if (r >= 0)
		r = stored_inventory(conf, &inventory, &err);
	if (r >= 0)
		r = catalog_refresh(c, &only, inventory, time(NULL), NULL, print_outcome, NULL,
				    &err);
	json_decref(inventory);
	hu_strv_clear(&only);
	if (r < 0) {
		char ebuf[128];
		fprintf(stderr, "huolto-collector: catalog refresh: %s\n",
			hu_err_text(&err, r, ebuf, sizeof(ebuf)));
		hu_err_clear(&err);
		return r == -ENOENT ? EXIT_USAGE : EXIT_FAIL;
	}
	/*
	 * Failed feeds keep their facts, which may have turned stale: evaluate
	 * anyway. Only with a catalog section, as ingest does: otherwise the
	 * next document would sweep what this evaluation added.
	 */
	int status = conf->catalog.enabled ? reevaluate(conf) : 0;
	if (!conf->catalog.enabled)
		printf("no catalog section in the configuration: documents are not evaluated\n");
	if (r > 0)
		fprintf(stderr, "huolto-collector: catalog refresh: %d feed%s failed\n", r,
			r == 1 ? "" : "s");
	return r > 0 ? EXIT_FAIL : status;
}

/* Every feed this configuration reads, with what catalog.db knows of it. */
static int status(struct catalog *c, const char *format)
{
	struct hu_strv names = HU_STRV_INIT;
	struct hu_err err = HU_ERR_INIT;
	time_t now = time(NULL);
	json_t *out = json_array();
	int r = out ? catalog_feed_names(c, &names) : -ENOMEM;

	for (size_t i = 0; r >= 0 && i < names.n; i++) {
		struct catalog_feed f = { 0 };
		int g = catalog_db_feed_get(c->db, names.v[i], &f, &err);
		if (g < 0 && g != -ENOENT) {
			r = g;
			break;
		}
		const char *state = g == -ENOENT || f.changed_at == 0 ? "never read"
				    : catalog_stale(c->conf, &f, now) ? "stale"
								      : "current";
		json_t *o =
		    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s?}", "feed", names.v[i], "state",
			      state, "checked_at", (json_int_t)f.checked_at, "ok_at",
			      (json_int_t)f.ok_at, "changed_at", (json_int_t)f.changed_at, "facts",
			      (json_int_t)f.items, "error", f.error);
		catalog_feed_clear(&f);
		if (!o || json_array_append_new(out, o) < 0)
			r = -ENOMEM;
	}
	hu_strv_clear(&names);
	if (r < 0) {
		char ebuf[128];
		fprintf(stderr, "huolto-collector: catalog status: %s\n",
			hu_err_text(&err, r, ebuf, sizeof(ebuf)));
		hu_err_clear(&err);
		json_decref(out);
		return EXIT_FAIL;
	}
	if (format && strcmp(format, "json") == 0) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		size_t i;
		json_t *o;
		printf("%-22s %-11s %-21s %-21s %7s\n", "FEED", "STATE", "LAST CONFIRMED",
		       "FACTS READ", "FACTS");
		json_array_foreach(out, i, o)
		{
			printf("%-22s %-11s ", json_string_value(json_object_get(o, "feed")),
			       json_string_value(json_object_get(o, "state")));
			cli_print_time(json_integer_value(json_object_get(o, "ok_at")));
			putchar(' ');
			cli_print_time(json_integer_value(json_object_get(o, "changed_at")));
			printf(" %7lld\n",
			       (long long)json_integer_value(json_object_get(o, "facts")));
			if (json_is_string(json_object_get(o, "error")))
				printf("    last attempt failed: %s\n",
				       json_string_value(json_object_get(o, "error")));
		}
	}
	json_decref(out);
	return 0;
}

int catalog_cmd(const struct coll_conf *conf, char **args, int n_args, const char *format)
{
	const char *verb = n_args > 1 ? args[1] : "";
	struct hu_err err = HU_ERR_INIT;
	struct catalog *c = NULL;
	int status_code;

	if (strcmp(verb, "refresh") != 0 && strcmp(verb, "status") != 0) {
		fprintf(stderr, "huolto-collector: usage: catalog refresh [FEED...] | catalog "
				"status\n");
		return EXIT_USAGE;
	}
	if (strcmp(verb, "status") == 0 && n_args != 2) {
		fprintf(stderr, "huolto-collector: catalog status takes no arguments\n");
		return EXIT_USAGE;
	}
	int r = catalog_open(&conf->catalog, &c, &err);
	if (r < 0) {
		char ebuf[128];
		fprintf(stderr, "huolto-collector: catalog: %s\n",
			hu_err_text(&err, r, ebuf, sizeof(ebuf)));
		hu_err_clear(&err);
		return EXIT_FAIL;
	}
	status_code = strcmp(verb, "refresh") == 0 ? refresh(conf, c, args + 2, n_args - 2)
						   : status(c, format);
	catalog_close(c);
	return status_code;
}
