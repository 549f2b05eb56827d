/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "huolto/report.h"

const char *hu_time_iso8601(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}

int hu_time_parse_iso8601(const char *s, time_t *ret)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;

	if (!end || *end)
		return -EINVAL;
	*ret = timegm(&tm);
	return 0;
}

int hu_uuid4(char buf[37])
{
	unsigned char b[16];

	/* The kernel's generator: no user-space DRBG to seed for 16 bytes. */
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -EIO;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
	return 0;
}

int hu_result_init(struct hu_result *r)
{
	*r = (struct hu_result){ .findings = HU_FINDINGS_INIT, .data = json_object() };
	return r->data ? 0 : -ENOMEM;
}

void hu_result_clear(struct hu_result *r)
{
	if (!r)
		return;
	hu_findings_clear(&r->findings);
	json_decref(r->data);
	r->data = NULL;
}

int hu_report_init(struct hu_report *r, const char *agent_name, const char *agent_version,
		   time_t generated_at, struct hu_sites *sites, struct hu_err *err)
{
	int ret;

	*r = (struct hu_report){ .generated_at = generated_at };
	ret = hu_uuid4(r->id);
	if (ret < 0)
		return hu_err_set(err, ret, "cannot draw a random document id (getrandom)");
	r->agent_name = strdup(agent_name);
	r->agent_version = strdup(agent_version);
	if (!r->agent_name || !r->agent_version)
		goto nomem;
	if (hu_result_init(&r->server) < 0)
		goto nomem;
	if (sites->n) {
		r->site_results = calloc(sites->n, sizeof(*r->site_results));
		if (!r->site_results)
			goto nomem;
		for (size_t i = 0; i < sites->n; i++)
			if (hu_result_init(&r->site_results[i]) < 0) {
				for (size_t j = 0; j <= i; j++)
					hu_result_clear(&r->site_results[j]);
				free(r->site_results);
				r->site_results = NULL;
				goto nomem;
			}
	}
	r->sites = *sites;
	*sites = (struct hu_sites)HU_SITES_INIT;
	return 0;
nomem:
	hu_report_clear(r);
	return hu_err_set(err, -ENOMEM, "out of memory");
}

void hu_report_clear(struct hu_report *r)
{
	if (!r)
		return;
	free(r->agent_name);
	free(r->agent_version);
	free(r->hostname);
	free(r->os);
	hu_strv_clear(&r->checks);
	hu_result_clear(&r->server);
	if (r->site_results)
		for (size_t i = 0; i < r->sites.n; i++)
			hu_result_clear(&r->site_results[i]);
	free(r->site_results);
	hu_sites_clear(&r->sites);
	*r = (struct hu_report){ 0 };
}

enum hu_status hu_report_worst(const struct hu_report *r)
{
	enum hu_status w = hu_findings_worst(&r->server.findings);

	for (size_t i = 0; i < r->sites.n; i++)
		w = hu_status_worst(w, hu_findings_worst(&r->site_results[i].findings));
	return w;
}

static void count_findings(const struct hu_findings *f, unsigned long counts[_HU_STATUS_MAX])
{
	for (size_t i = 0; i < f->n; i++)
		counts[f->v[i].status]++;
}

void hu_report_count(const struct hu_report *r, unsigned long counts[_HU_STATUS_MAX])
{
	memset(counts, 0, sizeof(unsigned long) * _HU_STATUS_MAX);
	count_findings(&r->server.findings, counts);
	for (size_t i = 0; i < r->sites.n; i++)
		count_findings(&r->site_results[i].findings, counts);
}

/* A result as a JSON object: its data keys, then findings. */
static json_t *result_json(const struct hu_result *res, json_t *base)
{
	json_t *findings = hu_findings_to_json(&res->findings);

	if (!base || !findings || json_object_update_missing(base, res->data) < 0 ||
	    json_object_set_new(base, "status",
				json_string(hu_status_name(hu_findings_worst(&res->findings)))) <
		0 ||
	    json_object_set_new(base, "findings", findings) < 0) {
		json_decref(base);
		return NULL;
	}
	if (res->findings.dropped &&
	    json_object_set_new(base, "findings_dropped",
				json_integer((json_int_t)res->findings.dropped)) < 0) {
		json_decref(base);
		return NULL;
	}
	return base;
}

json_t *hu_report_to_json(const struct hu_report *r)
{
	unsigned long counts[_HU_STATUS_MAX];
	char when[32], judged[32];
	json_t *doc, *sites, *checks, *server;

	hu_report_count(r, counts);
	checks = json_array();
	for (size_t i = 0; checks && i < r->checks.n; i++)
		json_array_append_new(checks, json_string(r->checks.v[i]));
	server = result_json(&r->server, json_object());
	sites = json_array();
	for (size_t i = 0; sites && i < r->sites.n; i++) {
		json_t *s = result_json(&r->site_results[i], hu_site_to_json(r->sites.v[i]));
		if (!s || json_array_append_new(sites, s) < 0) {
			json_decref(sites);
			sites = NULL;
		}
	}
	doc = json_pack("{s:i, s:s, s:{s:s, s:s}, s:s, s:s, s:{s:s?, s:s?}, s:o, s:s, "
			"s:{s:i, s:i, s:i, s:i}, s:o, s:o}",
			"schema", (json_int_t)HU_REPORT_SCHEMA, "id", r->id, "agent", "name",
			r->agent_name, "version", r->agent_version, "generated_at",
			hu_time_iso8601(r->generated_at, when, sizeof(when)), "evaluated_at",
			hu_time_iso8601(r->evaluated_at ? r->evaluated_at : r->generated_at, judged,
					sizeof(judged)),
			"host", "hostname", r->hostname, "os", r->os, "checks", checks, "status",
			hu_status_name(hu_report_worst(r)), "counts", "ok",
			(json_int_t)counts[HU_OK], "warning", (json_int_t)counts[HU_WARNING],
			"critical", (json_int_t)counts[HU_CRITICAL], "unknown",
			(json_int_t)counts[HU_UNKNOWN], "server", server, "sites", sites);
	return doc;
}
