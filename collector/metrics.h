/* SPDX-License-Identifier: MIT */
/*
 * The counters behind GET /metrics, updated by the serving threads without
 * a lock, and their Prometheus text rendering. One struct metrics per
 * server; nothing here is global.
 */
#ifndef HUOLTO_COLLECTOR_METRICS_H
#define HUOLTO_COLLECTOR_METRICS_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "huolto/buf.h"

/* What became of a document posted to /api/v1/reports. */
enum doc_result {
	DOC_STORED,
	DOC_DUPLICATE,
	DOC_REJECTED,
	_DOC_RESULT_MAX,
};

/* Why a document was refused: the reason label of huolto_documents_rejected_total. */
enum reject_reason {
	REJECT_METHOD,       /* 405 */
	REJECT_CONTENT_TYPE, /* 415 */
	REJECT_TOO_LARGE,    /* 413 */
	REJECT_UNAUTHORIZED, /* 401 */
	REJECT_FORBIDDEN,    /* 403 */
	REJECT_INVALID,      /* 400 */
	REJECT_BUSY,         /* 503: limits.in_flight reached */
	REJECT_ERROR,        /* 500: storage failed */
	_REJECT_REASON_MAX,
};

#define METRICS_BUCKETS 12

/* The alert channels, as huolto_alerts_total's channel label. */
enum alert_channel_kind {
	CHANNEL_ALERTMANAGER,
	CHANNEL_WEBHOOK,
	CHANNEL_SMTP,
	_CHANNEL_MAX,
};

struct metrics {
	atomic_uint_fast64_t documents[_DOC_RESULT_MAX];
	atomic_uint_fast64_t rejected[_REJECT_REASON_MAX];
	/* Request latency: counts per upper bound (cumulated when rendered), sum in µs. */
	atomic_uint_fast64_t latency[METRICS_BUCKETS + 1];
	atomic_uint_fast64_t latency_sum_us;
	/* Alert deliveries by channel: [0] sent, [1] failed attempts. */
	atomic_uint_fast64_t alerts[_CHANNEL_MAX][2];
};

const char *reject_reason_name(enum reject_reason r);

void metrics_document(struct metrics *m, enum doc_result result);
void metrics_reject(struct metrics *m, enum reject_reason reason);
void metrics_observe(struct metrics *m, uint64_t duration_us);
/* One delivery to the channel called name: sent, or a failed attempt. */
void metrics_alert(struct metrics *m, const char *channel, bool sent);

/*
 * The text exposition: the counters of m, and the gauges in state
 * ({agents, agents_silent, findings: {status: n}, alerts_firing, alerts_queued}).
 */
int metrics_render(const struct metrics *m, const json_t *state, struct hu_buf *out);

#endif
