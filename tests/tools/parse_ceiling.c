/* SPDX-License-Identifier: MIT */
/*
 * parse_ceiling: of bench/ingest.sh. What the two steps every collector
 * takes before storing a document cost on one core: jansson's json_loadb
 * (as ingest() calls it) and the check against docs/report-schema.md (as
 * the collector checks). Prints the median of RUNS timings and the
 * documents/s those steps alone leave on CORES cores: a ceiling that no
 * storing, TLS or HTTP can raise.
 *
 *   parse_ceiling SCHEMA.md DOCUMENT.json RUNS CORES
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "huolto/fileio.h"
#include "huolto/schema.h"

#define MAX_RUNS 1000

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void first_problem(void *ctx, const char *path, const char *problem)
{
	(void)ctx;
	fprintf(stderr, "document: %s: %s\n", path, problem);
}

/* s as a whole number 1..max, or 0. */
static int count_arg(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= 1 && v <= max ? (int)v : 0;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), by_value);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static double parse[MAX_RUNS], check[MAX_RUNS];
	struct hu_err err = HU_ERR_INIT;
	struct hu_schema *s = NULL;
	char *schema = NULL, *text = NULL;
	size_t schema_len = 0, len = 0;
	int runs, cores, rc = 2;

	if (argc != 5 || !(runs = count_arg(argv[3], MAX_RUNS)) ||
	    !(cores = count_arg(argv[4], 1024))) {
		fprintf(stderr, "usage: parse_ceiling SCHEMA.md DOCUMENT.json RUNS(1-%d) CORES\n",
			MAX_RUNS);
		return 2;
	}
	if (hu_read_local_file(argv[1], 1 << 20, &schema, &schema_len, NULL, &err) < 0 ||
	    hu_schema_parse(argv[1], schema, schema_len, &s, &err) < 0 ||
	    hu_read_local_file(argv[2], 64u << 20, &text, &len, NULL, &err) < 0) {
		fprintf(stderr, "%s\n", hu_err_msg(&err));
		goto out;
	}
	for (int i = 0; i < runs; i++) {
		json_error_t je;
		double t0 = now_ms();
		json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
		double t1 = now_ms();
		if (!doc) {
			fprintf(stderr, "%s: %d:%d: %s\n", argv[2], je.line, je.column, je.text);
			goto out;
		}
		long problems = hu_schema_check(s, doc, 0, 1, first_problem, NULL, NULL);
		double t2 = now_ms();
		json_decref(doc);
		if (problems != 0)
			goto out;
		parse[i] = t1 - t0;
		check[i] = t2 - t1;
	}
	double p = median(parse, runs), c = median(check, runs);
	printf("json_loadb %.2f ms, schema check %.2f ms per document: at most %.0f documents/s "
	       "on %d cores\n",
	       p, c, 1000.0 / (p + c) * cores, cores);
	rc = 0;
out:
	hu_err_clear(&err);
	free(schema);
	free(text);
	hu_schema_free(s);
	return rc;
}
