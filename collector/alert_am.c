/* SPDX-License-Identifier: MIT */
/*
 * Prometheus Alertmanager, API v2: POST /api/v2/alerts with one alert. Its
 * labels (alertname, site, code, target, severity, agent) are the alert's
 * identity, so a resolve carries the same ones with endsAt set to now. A
 * firing alert carries endsAt far enough ahead that the repeat (and, while
 * the collector runs, the tick) renews it before Alertmanager would call it
 * resolved on its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_channel.h"
#include "huolto/report.h"

struct am {
	char *endpoint;
	struct curl_slist *headers;
};

static const char *str(const json_t *event, const char *key)
{
	return json_string_value(json_object_get(event, key));
}

json_t *alert_am_payload(const json_t *event, int64_t repeat_s, time_t now)
{
	bool resolved = strcmp(str(event, "event") ? str(event, "event") : "", "resolved") == 0;
	char ends[32];
	json_t *labels =
	    json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?}", "alertname", str(event, "code"), "site",
		      str(event, "site"), "code", str(event, "code"), "severity",
		      str(event, "severity"), "agent", str(event, "agent"));

	if (labels && str(event, "target") &&
	    json_object_set_new(labels, "target", json_string(str(event, "target"))) < 0) {
		json_decref(labels);
		return NULL;
	}
	hu_time_iso8601(resolved ? now : now + 2 * repeat_s, ends, sizeof(ends));
	return json_pack("[{s:o,s:{s:s?,s:s?,s:s?,s:s?},s:s?,s:s}]", "labels", labels,
			 "annotations", "summary", str(event, "summary"), "description",
			 str(event, "text"), "advice", str(event, "advice"), "message",
			 str(event, "message"), "startsAt", str(event, "since"), "endsAt", ends);
}

static int am_open(struct alert_channel *c, struct hu_err *err)
{
	const struct alerts_conf *conf = c->conf;
	struct am *am = calloc(1, sizeof(*am));
	size_t n = strlen(conf->am_url);

	if (!am)
		return -ENOMEM;
	c->data = am;
	while (n && conf->am_url[n - 1] == '/')
		n--;
	if (asprintf(&am->endpoint, "%.*s/api/v2/alerts", (int)n, conf->am_url) < 0) {
		am->endpoint = NULL;
		return -ENOMEM;
	}
	am->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!am->headers)
		return -ENOMEM;
	return alert_curl_init(c, am->endpoint, "http,https", conf->am_ca_file, err);
}

static int am_send(struct alert_channel *c, const json_t *event, time_t now, struct hu_err *err)
{
	struct am *am = c->data;
	json_t *body = alert_am_payload(event, c->conf->store.policy.repeat_s, now);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int r = text ? alert_http_post(c, am->headers, text, strlen(text), err) : -ENOMEM;

	json_decref(body);
	free(text);
	return r;
}

static void am_close(struct alert_channel *c)
{
	struct am *am = c->data;

	if (!am)
		return;
	free(am->endpoint);
	curl_slist_free_all(am->headers);
	free(am);
}

const struct alert_channel_ops alert_alertmanager_ops = {
	.name = "alertmanager",
	.open = am_open,
	.send = am_send,
	.close = am_close,
};
