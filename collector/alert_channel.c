/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alert_channel.h"
#include "huolto/config.h"
#include "huolto/secret.h"

/* Bytes of an answer kept for an error message. */
#define ANSWER_MAX 512

static const struct alert_channel_ops *const channels[] = {
	&alert_alertmanager_ops,
	&alert_webhook_ops,
	&alert_smtp_ops,
};

int alert_channel_open(const char *name, const struct alerts_conf *conf, const atomic_bool *stop,
		       struct alert_channel **ret, struct hu_err *err)
{
	const struct alert_channel_ops *ops = NULL;

	for (size_t i = 0; i < sizeof(channels) / sizeof(*channels); i++)
		if (strcmp(channels[i]->name, name) == 0)
			ops = channels[i];
	if (!ops)
		return hu_err_set(err, -ENOENT, "no alert channel called \"%s\"", name);
	struct alert_channel *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = (struct alert_channel){ .ops = ops, .conf = conf, .stop = stop };
	int r = ops->open(c, err);
	if (r < 0) {
		alert_channel_close(c);
		return r;
	}
	*ret = c;
	return 0;
}

void alert_channel_close(struct alert_channel *c)
{
	if (!c)
		return;
	if (c->ops->close)
		c->ops->close(c);
	curl_easy_cleanup(c->curl);
	hu_secret_free(c->secret);
	free(c);
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	const struct alert_channel *c = ctx;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return atomic_load(c->stop) ? 1 : 0;
}

int alert_curl_init(struct alert_channel *c, const char *url, const char *protocols,
		    const char *ca_file, struct hu_err *err)
{
	CURL *h = curl_easy_init();

	if (!h)
		return hu_err_set(err, -ENOMEM, "%s: out of memory", c->ops->name);
	c->curl = h;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(c->conf->timeout_ms < 10000 ? c->conf->timeout_ms : 10000));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->conf->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "huolto-collector/" HUOLTO_VERSION);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
	if (ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
	return 0;
}

int alert_curl_perform(struct alert_channel *c, struct hu_err *err)
{
	char ebuf[CURL_ERROR_SIZE] = "";

	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode cc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, NULL);
	if (cc == CURLE_OK)
		return 0;
	/* A refused recipient or sender will be refused again. */
	int code = (cc == CURLE_LOGIN_DENIED || cc == CURLE_SEND_FAIL_REWIND ||
		    cc == CURLE_UNSUPPORTED_PROTOCOL || cc == CURLE_URL_MALFORMAT)
		       ? -EPROTO
		       : -EAGAIN;
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return hu_err_set(err, -EAGAIN, "stopped");
	return hu_err_set(err, code, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
}

static size_t on_answer(char *data, size_t size, size_t n, void *ctx)
{
	hu_buf_append_some(ctx, data, size * n);
	return size * n;
}

int alert_http_post(struct alert_channel *c, struct curl_slist *headers, const char *body,
		    size_t len, struct hu_err *err)
{
	struct hu_buf answer = HU_BUF_INIT(ANSWER_MAX);
	long status = 0;
	CURL *h = c->curl;

	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
	int r = alert_curl_perform(c, err);
	if (r >= 0) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299) {
			/* The channel's own words, on one line. */
			for (size_t i = 0; i < answer.len; i++)
				if ((unsigned char)answer.data[i] < 0x20)
					answer.data[i] = ' ';
			bool later = status == 408 || status == 429 || status >= 500;
			r = hu_err_set(err, later ? -EAGAIN : -EPROTO, "HTTP %ld%s%.200s", status,
				       answer.len ? ": " : "", answer.len ? answer.data : "");
		}
	}
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	hu_buf_clear(&answer);
	return r;
}
