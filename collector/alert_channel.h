/* SPDX-License-Identifier: MIT */
/*
 * Where alerts go: one ops struct per channel (Alertmanager, webhook, mail),
 * each given an event (alert_event.h) to deliver. The delivery thread
 * (alerter.c) decides about retries from the answer:
 *   0        delivered;
 *   -EAGAIN  not now (the channel is down, busy, or timed out): retry later;
 *   other    refused for good (a 4xx, say): retrying will not help.
 */
#ifndef HUOLTO_COLLECTOR_ALERT_CHANNEL_H
#define HUOLTO_COLLECTOR_ALERT_CHANNEL_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "alert_conf.h"
#include "huolto/buf.h"
#include "huolto/err.h"

struct alert_channel;

struct alert_channel_ops {
	const char *name; /* as in store_alerts.channels */
	int (*open)(struct alert_channel *c, struct hu_err *err);
	int (*send)(struct alert_channel *c, const json_t *event, time_t now, struct hu_err *err);
	void (*close)(struct alert_channel *c);
};

struct alert_channel {
	const struct alert_channel_ops *ops;
	const struct alerts_conf *conf;
	const atomic_bool *stop; /* set: abort a delivery under way */
	CURL *curl;
	char *secret; /* the webhook's key or the SMTP password; zeroed when freed */
	void *data;   /* the channel's own */
};

extern const struct alert_channel_ops alert_alertmanager_ops;
extern const struct alert_channel_ops alert_webhook_ops;
extern const struct alert_channel_ops alert_smtp_ops;

/* The channel called name, configured in conf. -ENOENT for a name no channel has. */
int alert_channel_open(const char *name, const struct alerts_conf *conf, const atomic_bool *stop,
		       struct alert_channel **ret, struct hu_err *err);
void alert_channel_close(struct alert_channel *c);

/* A curl handle with the settings every channel shares: timeouts, TLS 1.2+, abort on stop. */
int alert_curl_init(struct alert_channel *c, const char *url, const char *protocols,
		    const char *ca_file, struct hu_err *err);
/* Run c->curl; a failure says why (libcurl's words) and classifies as the header says. */
int alert_curl_perform(struct alert_channel *c, struct hu_err *err);

/* POST body to url (c->curl set up) with headers; the answer's status classified. */
int alert_http_post(struct alert_channel *c, struct curl_slist *headers, const char *body,
		    size_t len, struct hu_err *err);

/* Pieces the unit tests check. */
/* The Alertmanager API v2 body for event, sent at now: a JSON array of one alert. */
json_t *alert_am_payload(const json_t *event, int64_t repeat_s, time_t now);
/* "sha256=" and the hex HMAC-SHA256 of body under key. */
int alert_webhook_signature(const char *key, const char *body, size_t len, char out[72]);
/* The mail (headers, a blank line, the text; CRLF line ends) for event. */
int alert_mail_compose(const json_t *event, const char *from, const struct hu_strv *to, time_t now,
		       struct hu_buf *out);

#endif
