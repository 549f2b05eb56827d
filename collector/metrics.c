/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "metrics.h"

/* Upper bounds of the latency buckets, in µs (the +Inf bucket follows). */
static const uint64_t bucket_us[METRICS_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 10000000,
};

static const char *const doc_result_names[_DOC_RESULT_MAX] = {
	[DOC_STORED] = "stored",
	[DOC_DUPLICATE] = "duplicate",
	[DOC_REJECTED] = "rejected",
};

static const char *const reject_names[_REJECT_REASON_MAX] = {
	[REJECT_METHOD] = "method",       [REJECT_CONTENT_TYPE] = "content_type",
	[REJECT_TOO_LARGE] = "too_large", [REJECT_UNAUTHORIZED] = "unauthorized",
	[REJECT_FORBIDDEN] = "forbidden", [REJECT_INVALID] = "invalid",
	[REJECT_BUSY] = "busy",           [REJECT_ERROR] = "error",
};

const char *reject_reason_name(enum reject_reason r)
{
	return r >= 0 && r < _REJECT_REASON_MAX ? reject_names[r] : "unknown";
}

void metrics_document(struct metrics *m, enum doc_result result)
{
	atomic_fetch_add_explicit(&m->documents[result], 1, memory_order_relaxed);
}

void metrics_reject(struct metrics *m, enum reject_reason reason)
{
	metrics_document(m, DOC_REJECTED);
	atomic_fetch_add_explicit(&m->rejected[reason], 1, memory_order_relaxed);
}

void metrics_observe(struct metrics *m, uint64_t duration_us)
{
	size_t i = 0;

	while (i < METRICS_BUCKETS && duration_us > bucket_us[i])
		i++;
	atomic_fetch_add_explicit(&m->latency[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->latency_sum_us, duration_us, memory_order_relaxed);
}

static uint64_t get(const atomic_uint_fast64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static const char *const channel_names[_CHANNEL_MAX] = {
	[CHANNEL_ALERTMANAGER] = "alertmanager",
	[CHANNEL_WEBHOOK] = "webhook",
	[CHANNEL_SMTP] = "smtp",
};

void metrics_alert(struct metrics *m, const char *channel, bool sent)
{
	for (int i = 0; i < _CHANNEL_MAX; i++)
		if (strcmp(channel, channel_names[i]) == 0)
			atomic_fetch_add_explicit(&m->alerts[i][sent ? 0 : 1], 1,
						  memory_order_relaxed);
}

static long long gauge(const json_t *state, const char *key)
{
	return (long long)json_integer_value(json_object_get(state, key));
}

int metrics_render(const struct metrics *m, const json_t *state, struct hu_buf *out)
{
	const json_t *findings = json_object_get(state, "findings");
	const char *status;
	json_t *n;
	uint64_t cumulated = 0;
	int r = 0;

	r |= hu_buf_printf(out, "# HELP huolto_documents_total Report documents posted, by what "
				"became of them.\n"
				"# TYPE huolto_documents_total counter\n");
	for (int i = 0; i < _DOC_RESULT_MAX; i++)
		r |= hu_buf_printf(out, "huolto_documents_total{result=\"%s\"} %llu\n",
				   doc_result_names[i], (unsigned long long)get(&m->documents[i]));
	r |= hu_buf_printf(out, "# HELP huolto_documents_rejected_total Report documents refused, "
				"by reason.\n"
				"# TYPE huolto_documents_rejected_total counter\n");
	for (int i = 0; i < _REJECT_REASON_MAX; i++)
		r |= hu_buf_printf(out, "huolto_documents_rejected_total{reason=\"%s\"} %llu\n",
				   reject_names[i], (unsigned long long)get(&m->rejected[i]));
	r |= hu_buf_printf(out,
			   "# HELP huolto_agents Agents with a live credential.\n"
			   "# TYPE huolto_agents gauge\n"
			   "huolto_agents %lld\n"
			   "# HELP huolto_agents_silent Agents without a document for longer than "
			   "heartbeat.grace.\n"
			   "# TYPE huolto_agents_silent gauge\n"
			   "huolto_agents_silent %lld\n"
			   "# HELP huolto_findings Current findings of every site, by status.\n"
			   "# TYPE huolto_findings gauge\n",
			   gauge(state, "agents"), gauge(state, "agents_silent"));
	json_object_foreach((json_t *)findings, status, n) r |= hu_buf_printf(
	    out, "huolto_findings{status=\"%s\"} %lld\n", status, (long long)json_integer_value(n));
	r |= hu_buf_printf(out, "# HELP huolto_http_request_duration_seconds Time from a "
				"request's headers to its answer.\n"
				"# TYPE huolto_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= METRICS_BUCKETS; i++) {
		cumulated += get(&m->latency[i]);
		if (i < METRICS_BUCKETS)
			r |= hu_buf_printf(out,
					   "huolto_http_request_duration_seconds_bucket{le=\"%g\"} "
					   "%llu\n",
					   (double)bucket_us[i] / 1e6,
					   (unsigned long long)cumulated);
		else
			r |= hu_buf_printf(
			    out,
			    "huolto_http_request_duration_seconds_bucket{le=\"+Inf\"} "
			    "%llu\n",
			    (unsigned long long)cumulated);
	}
	r |= hu_buf_printf(out,
			   "huolto_http_request_duration_seconds_sum %.6f\n"
			   "huolto_http_request_duration_seconds_count %llu\n",
			   (double)get(&m->latency_sum_us) / 1e6, (unsigned long long)cumulated);
	r |= hu_buf_printf(out, "# HELP huolto_alerts_total Alert deliveries: sent, or attempts "
				"that failed.\n"
				"# TYPE huolto_alerts_total counter\n");
	for (int i = 0; i < _CHANNEL_MAX; i++)
		for (int k = 0; k < 2; k++)
			r |= hu_buf_printf(
			    out, "huolto_alerts_total{channel=\"%s\",result=\"%s\"} %llu\n",
			    channel_names[i], k ? "failed" : "sent",
			    (unsigned long long)get(&m->alerts[i][k]));
	r |= hu_buf_printf(out,
			   "# HELP huolto_alerts_firing Alerts open now.\n"
			   "# TYPE huolto_alerts_firing gauge\n"
			   "huolto_alerts_firing %lld\n"
			   "# HELP huolto_alerts_queued Alert deliveries waiting to be sent.\n"
			   "# TYPE huolto_alerts_queued gauge\n"
			   "huolto_alerts_queued %lld\n",
			   gauge(state, "alerts_firing"), gauge(state, "alerts_queued"));
	return r < 0 ? -ENOMEM : 0;
}
