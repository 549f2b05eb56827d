/* SPDX-License-Identifier: MIT */
/*
 * The measuring half of bench/catalog.sh, on the collector's own code:
 *   catalog_bench load FEED DIR   stream a Wordfence body into DIR/catalog.db
 *   catalog_bench eval DIR DOCS   load DIR's index, evaluate every document
 *                                 in the JSON array DOCS (as ingest does)
 * Each prints its phases' wall milliseconds, what it read or found, and the
 * process's peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "catalog_db.h"
#include "catalog_eval.h"
#include "catalog_index.h"
#include "catalog_parse.h"

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static long peak_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int load(const char *feed, const char *dir)
{
	struct hu_err err = HU_ERR_INIT;
	struct catalog_db *db = NULL;
	struct catalog_source src = { .url = "bench" };
	struct timespec t0;
	char path[4096];
	json_t *rows = NULL;

	snprintf(path, sizeof(path), "%s/catalog.db", dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (catalog_db_open(path, &db, &err) < 0 || catalog_db_begin(db, "wordfence", &err) < 0 ||
	    catalog_parse_wordfence_file(feed, NULL, db, &err) < 0 ||
	    catalog_db_commit(db, &src, time(NULL), &err) < 0) {
		fprintf(stderr, "catalog_bench: %s\n", hu_err_msg(&err));
		return 1;
	}
	double ms = ms_since(&t0);
	catalog_db_rows(db, "vulns", &rows, &err);
	printf("load: %.0f ms, %zu rows, peak RSS %ld KiB\n", ms, json_array_size(rows),
	       peak_kib());
	json_decref(rows);
	catalog_db_close(db);
	return 0;
}

static int eval(const char *dir, const char *docs_path)
{
	struct hu_err err = HU_ERR_INIT;
	struct catalog_conf conf;
	struct catalog_index *idx = NULL;
	struct timespec t0;
	json_error_t je;
	json_t *docs = json_load_file(docs_path, 0, &je), *doc;
	size_t i, items = 0, vulnerable = 0;

	if (!json_is_array(docs)) {
		fprintf(stderr, "catalog_bench: %s: %s\n", docs_path, je.text);
		return 1;
	}
	catalog_conf_init(&conf);
	free(conf.dir);
	conf.dir = strdup(dir);
	conf.wordfence_url = strdup("https://bench.invalid/");
	long before = peak_kib();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (catalog_index_load(&conf, time(NULL), &idx, &err) < 0) {
		fprintf(stderr, "catalog_bench: %s\n", hu_err_msg(&err));
		return 1;
	}
	double load_ms = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	json_array_foreach(docs, i, doc)
	{
		if (catalog_eval_doc(idx, doc, time(NULL)) < 0)
			return 1;
	}
	double eval_ms = ms_since(&t0);
	json_array_foreach(docs, i, doc)
	{
		json_t *site = json_array_get(json_object_get(doc, "sites"), 0), *f;
		size_t k;
		items += json_array_size(json_object_get(site, "inventory"));
		json_array_foreach(json_object_get(site, "findings"), k, f)
		{
			const char *code = json_string_value(json_object_get(f, "code"));
			vulnerable += code && strstr(code, "_vulnerable") != NULL;
		}
	}
	printf("index: %.0f ms; evaluate %zu sites, %zu items: %.0f ms; %zu vulnerable; "
	       "peak RSS %ld KiB (documents alone %ld KiB)\n",
	       load_ms, json_array_size(docs), items, eval_ms, vulnerable, peak_kib(), before);
	catalog_index_free(idx);
	catalog_conf_clear(&conf);
	json_decref(docs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "load") == 0)
		return load(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "eval") == 0)
		return eval(argv[2], argv[3]);
	fprintf(stderr, "usage: catalog_bench load FEED DIR | eval DIR DOCS\n");
	return 2;
}
