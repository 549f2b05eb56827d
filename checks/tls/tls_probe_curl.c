/* SPDX-License-Identifier: MIT */
/*
 * STARTTLS handshakes (smtp, imap, pop3), many at once: one libcurl easy
 * handle per probe in one multi handle, CONNECT_ONLY (curl connects, speaks
 * the protocol up to STARTTLS, does the TLS handshake, then stops),
 * CONNECT_TO pinning the address while the name stays the SNI. The shared
 * info callback (tls_probe.c) records what the server served.
 */
#include <curl/curl.h>
#include <errno.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"

/* curl hands us each connection's SSL_CTX before the handshake. */
static CURLcode ssl_ctx_cb(CURL *curl, void *sslctx, void *parm)
{
	SSL_CTX *ctx = sslctx;
	struct tls_probe *p = parm;

	(void)curl;
	SSL_CTX_set_app_data(ctx, p); /* curl makes one SSL_CTX per connection */
	return tls_probe_ctx_setup(ctx, p->old_only) < 0 ? CURLE_SSL_CIPHER : CURLE_OK;
}

struct handle {
	CURL *easy;
	struct curl_slist *connect_to;
	struct tls_probe *p;
	size_t slot; /* in the table of live handles */
	char errbuf[CURL_ERROR_SIZE];
};

static void handle_free(struct handle *h)
{
	if (!h)
		return;
	if (h->easy)
		curl_easy_cleanup(h->easy);
	curl_slist_free_all(h->connect_to);
	free(h);
}

static struct handle *handle_new(struct tls_probe *p, const struct tls_probe_opts *o)
{
	struct handle *h = calloc(1, sizeof(*h));
	char url[600], to[600];
	bool v6 = strchr(p->address, ':') != NULL;
	bool starttls =
	    !strcmp(p->scheme, "smtp") || !strcmp(p->scheme, "imap") || !strcmp(p->scheme, "pop3");
	CURLcode c = CURLE_OK;

	if (!h)
		return NULL;
	h->p = p;
	h->easy = curl_easy_init();
	snprintf(url, sizeof(url), "%s://%s:%u/", p->scheme, p->host, p->port);
	snprintf(to, sizeof(to), "%s:%u:%s%s%s:%u", p->host, p->port, v6 ? "[" : "", p->address,
		 v6 ? "]" : "", p->port);
	h->connect_to = curl_slist_append(NULL, to);
	if (!h->easy || !h->connect_to) {
		handle_free(h);
		return NULL;
	}
#define SET(opt, val)                                            \
	do {                                                     \
		if (c == CURLE_OK)                               \
			c = curl_easy_setopt(h->easy, opt, val); \
	} while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_CONNECT_TO, h->connect_to);
	SET(CURLOPT_CONNECT_ONLY, 1L);
	SET(CURLOPT_PROTOCOLS_STR, "https,smtp,smtps,imap,imaps,pop3,pop3s");
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, o->connect_timeout_ms + o->handshake_timeout_ms);
	/* Fetch permissively; tls_verify_chain() verifies strictly afterwards. */
	SET(CURLOPT_SSL_VERIFYPEER, 0L);
	SET(CURLOPT_SSL_VERIFYHOST, 0L);
	SET(CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
	SET(CURLOPT_SSLVERSION, p->old_only
				    ? (long)(CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_1)
				    : (long)CURL_SSLVERSION_TLSv1_0);
	SET(CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
	SET(CURLOPT_SSL_CTX_DATA, p);
	if (starttls)
		SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	SET(CURLOPT_ERRORBUFFER, h->errbuf);
	SET(CURLOPT_PRIVATE, h);
#undef SET
	if (c != CURLE_OK) {
		handle_free(h);
		return NULL;
	}
	return h;
}

/* Record how a probe ended. */
static void finish(struct handle *h, CURLcode result)
{
	struct tls_probe *p = h->p;
	curl_off_t connect_us = 0, app_us = 0;

	curl_easy_getinfo(h->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	curl_easy_getinfo(h->easy, CURLINFO_APPCONNECT_TIME_T, &app_us);
	p->connect_ms = (long)(connect_us / 1000);
	p->handshake_ms = app_us ? (long)((app_us - connect_us) / 1000) : 0;
	if (result == CURLE_OK && p->chain && sk_X509_num(p->chain) > 0) {
		p->ok = true;
		return;
	}
	p->ok = false;
	tls_probe_clear(p);
	snprintf(p->error, sizeof(p->error), "%s",
		 h->errbuf[0] ? h->errbuf : curl_easy_strerror(result));
	p->timed_out = result == CURLE_OPERATION_TIMEDOUT;
	if (connect_us == 0 && !p->handshake_started)
		p->stage = TLS_STAGE_CONNECT;
	else if (!p->handshake_started)
		p->stage = TLS_STAGE_STARTTLS;
	else
		p->stage = TLS_STAGE_HANDSHAKE;
	/* Refused, no route, or no answer in time: unreachable. Anything else
	 * (an alert, no STARTTLS, not TLS at all) is a failed handshake. */
	p->unreachable = p->timed_out || p->stage == TLS_STAGE_CONNECT;
}

int tls_probe_run_curl(struct tls_probe **probes, size_t n, const struct tls_probe_opts *o,
		       struct hu_err *err)
{
	size_t width = o->concurrency ? o->concurrency : 1;
	struct handle **live = calloc(width, sizeof(*live));
	CURLM *m = curl_multi_init();
	size_t next = 0, active = 0;
	int r = 0;

	if (!m || !live) {
		r = hu_err_set(err, -ENOMEM, "cannot set up the TLS probes");
		goto out;
	}
	while (next < n || active > 0) {
		/* Keep the pipeline full, within the bound. */
		for (size_t slot = 0; next < n && slot < width; slot++) {
			if (live[slot])
				continue;
			struct handle *h = handle_new(probes[next], o);
			if (!h || curl_multi_add_handle(m, h->easy) != CURLM_OK) {
				handle_free(h);
				r = hu_err_set(err, -ENOMEM, "cannot set up a TLS probe");
				goto out;
			}
			h->slot = slot;
			live[slot] = h;
			next++;
			active++;
		}
		int running = 0;
		CURLMcode mc = curl_multi_perform(m, &running);
		if (mc != CURLM_OK) {
			r = hu_err_set(err, -EIO, "curl: %s", curl_multi_strerror(mc));
			goto out;
		}
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			struct handle *h = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&h);
			finish(h, msg->data.result);
			curl_multi_remove_handle(m, h->easy);
			live[h->slot] = NULL;
			handle_free(h);
			active--;
		}
		if (active > 0 && curl_multi_poll(m, NULL, 0, 1000, NULL) != CURLM_OK) {
			r = hu_err_set(err, -EIO, "curl_multi_poll failed");
			goto out;
		}
	}
out:
	/* On failure, probes still running stay unfinished (ok == false, no stage). */
	for (size_t slot = 0; live && slot < width; slot++)
		if (live[slot]) {
			curl_multi_remove_handle(m, live[slot]->easy);
			handle_free(live[slot]);
		}
	free(live);
	if (m)
		curl_multi_cleanup(m);
	return r;
}
