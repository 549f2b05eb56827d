/* SPDX-License-Identifier: MIT */
/*
 * ingest_load: the load generator of bench/ingest.sh. Posts TOTAL report
 * documents to a collector from CONCURRENCY connections at once (libcurl
 * multi, connections kept open), each connection one agent of AGENTS (lines
 * "name token"), each document the TEMPLATE with its own id. Prints
 * documents/s, latency percentiles and the answers by status.
 *
 * ingest_load URL CA_FILE AGENTS TEMPLATE TOTAL CONCURRENCY
 *
 * The template holds IDPLACEHOLDER (a 36-character id) and AGENTNAME.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "huolto/buf.h"
#include "huolto/fileio.h"

#define MAX_AGENTS 256
#define MAX_SLOTS  256

struct agent {
	char name[128];
	char token[128];
};

struct slot {
	CURL *h;
	struct curl_slist *headers;
	struct hu_buf body;
	const struct agent *agent;
};

static size_t discard(char *p, size_t s, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return s * n;
}

/* The template with every placeholder replaced. */
static int make_body(const char *tpl, const char *id, const char *agent, struct hu_buf *out)
{
	out->len = 0;
	for (const char *p = tpl; *p;) {
		const char *a = strstr(p, "IDPLACEHOLDER"), *b = strstr(p, "AGENTNAME");
		const char *next = a && (!b || a < b) ? a : b;
		if (!next)
			return hu_buf_append(out, p, strlen(p));
		int r = hu_buf_append(out, p, (size_t)(next - p));
		if (r >= 0)
			r = next == a ? hu_buf_append(out, id, strlen(id))
				      : hu_buf_append(out, agent, strlen(agent));
		if (r < 0)
			return r;
		p = next + (next == a ? strlen("IDPLACEHOLDER") : strlen("AGENTNAME"));
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void start(CURLM *m, struct slot *s, const char *tpl, unsigned long n)
{
	char id[64];

	snprintf(id, sizeof(id), "%08lx-0000-4000-8000-%012lx",
		 (unsigned long)getpid() & 0xffffffffUL, n & 0xffffffffffffUL);
	if (make_body(tpl, id, s->agent->name, &s->body) < 0) {
		fprintf(stderr, "ingest_load: out of memory\n");
		exit(1);
	}
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, s->body.data);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s->body.len);
	curl_multi_add_handle(m, s->h);
}

int main(int argc, char **argv)
{
	static struct agent agents[MAX_AGENTS];
	static struct slot slots[MAX_SLOTS];
	unsigned long statuses[600] = { 0 }, failed = 0;
	size_t n_agents = 0, len = 0;
	char *tpl = NULL, url[1024], line[512];

	if (argc != 7) {
		fprintf(stderr,
			"usage: ingest_load URL CA_FILE AGENTS TEMPLATE TOTAL CONCURRENCY\n");
		return 2;
	}
	unsigned long total = strtoul(argv[5], NULL, 10);
	unsigned long conc = strtoul(argv[6], NULL, 10);
	if (total == 0 || conc == 0 || conc > MAX_SLOTS) {
		fprintf(stderr, "ingest_load: TOTAL > 0, CONCURRENCY 1..%d\n", MAX_SLOTS);
		return 2;
	}
	FILE *f = fopen(argv[3], "r");
	while (f && n_agents < MAX_AGENTS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %127s", agents[n_agents].name, agents[n_agents].token) == 2)
			n_agents++;
	if (f)
		fclose(f);
	if (!n_agents || hu_read_local_file(argv[4], 64u << 20, &tpl, &len, NULL, NULL) < 0) {
		fprintf(stderr, "ingest_load: cannot read %s or %s\n", argv[3], argv[4]);
		return 2;
	}
	snprintf(url, sizeof(url), "%s/api/v1/reports", argv[1]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURLM *m = curl_multi_init();
	uint64_t *lat = calloc(total, sizeof(*lat));
	if (!m || !lat)
		return 1;
	for (unsigned long i = 0; i < conc; i++) {
		struct slot *s = &slots[i];
		char auth[200];
		s->agent = &agents[i % n_agents];
		s->body = (struct hu_buf)HU_BUF_INIT(0);
		s->h = curl_easy_init();
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", s->agent->token);
		s->headers = curl_slist_append(NULL, "Content-Type: application/json");
		s->headers = curl_slist_append(s->headers, auth);
		s->headers = curl_slist_append(s->headers, "Expect:");
		curl_easy_setopt(s->h, CURLOPT_URL, url);
		curl_easy_setopt(s->h, CURLOPT_CAINFO, argv[2]);
		curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->headers);
		curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(s->h, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
	}
	unsigned long started = 0, done = 0;
	double t0 = now_s();
	for (unsigned long i = 0; i < conc && started < total; i++)
		start(m, &slots[i], tpl, started++);
	while (done < total) {
		int running = 0, left = 0;
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct slot *s = NULL;
			long code = 0;
			curl_off_t us = 0;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_TOTAL_TIME_T, &us);
			if (msg->data.result != CURLE_OK)
				failed++;
			else if (code >= 0 && code < 600)
				statuses[code]++;
			lat[done++] = (uint64_t)us;
			curl_multi_remove_handle(m, s->h);
			if (started < total)
				start(m, s, tpl, started++);
		}
		if (done < total)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	double wall = now_s() - t0;
	qsort(lat, total, sizeof(*lat), cmp_u64);
	printf("documents %lu, %zu bytes each, %lu connections, %zu agents\n", total, len, conc,
	       n_agents);
	printf("wall %.2f s, %.0f documents/s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
	       wall, (double)total / wall, (double)lat[total / 2] / 1000,
	       (double)lat[total * 99 / 100] / 1000, (double)lat[total - 1] / 1000);
	printf("answers:");
	for (int c = 0; c < 600; c++)
		if (statuses[c])
			printf(" %d x%lu", c, statuses[c]);
	printf(", %lu failed\n", failed);
	for (unsigned long i = 0; i < conc; i++) {
		curl_easy_cleanup(slots[i].h);
		curl_slist_free_all(slots[i].headers);
		hu_buf_clear(&slots[i].body);
	}
	curl_multi_cleanup(m);
	curl_global_cleanup();
	free(lat);
	free(tpl);
	return failed || statuses[201] + statuses[200] != total;
}
