/* SPDX-License-Identifier: MIT */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/config.h"
#include "huolto/fileio.h"
#include "huolto/log.h"
#include "huolto/secret.h"
#include "huolto/url.h"
#include "submit.h"

#define ANSWER_MAX (64 * 1024) /* the collector's answers are small */

struct submit {
	CURL *curl;
	char *endpoint;
	char *token; /* secret: zeroed when freed */
	struct curl_slist *headers;
};

void submit_conf_init(struct submit_conf *c)
{
	*c = (struct submit_conf){
		.connect_timeout_ms = 10000,
		.timeout_ms = 120000,
		.spool_max_documents = 60,
		.spool_max_bytes = 256LL * 1024 * 1024,
	};
}

void submit_conf_clear(struct submit_conf *c)
{
	free(c->url);
	free(c->token_file);
	free(c->ca_file);
	free(c->cert);
	free(c->key);
	submit_conf_init(c);
}

static int get_path(const struct hu_conf_node *n, const char *key, char **ret, struct hu_err *err)
{
	int r = hu_conf_get_string(n, key, ret, err);

	if (r >= 0 && *ret && (*ret)[0] != '/')
		r = hu_conf_error(hu_conf_get(n, key), err, -EINVAL,
				  "collector.%s must be an absolute path", key);
	return r;
}

static int check_url(const struct hu_conf_node *v, const char *url, struct hu_err *err)
{
	char *scheme = NULL;
	const char *why = NULL;
	int r = hu_url_scheme(url, &scheme, &why);

	if (r == -EINVAL)
		r = hu_conf_error(v, err, r, "collector.url: not a URL: %s", why);
	else if (r >= 0 && strcmp(scheme, "https") != 0)
		r = hu_conf_error(v, err, -EINVAL,
				  "collector.url must be https (documents carry the server's "
				  "inventory), not %s",
				  scheme);
	free(scheme);
	return r;
}

int submit_conf_parse(const struct hu_conf_node *n, struct submit_conf *c, struct hu_err *err)
{
	static const char *const keys[] = { "url",     "token_file", "ca_file",
					    "cert",    "key",        "connect_timeout",
					    "timeout", "spool",      NULL };
	static const char *const spool_keys[] = { "max_documents", "max_size", NULL };
	const struct hu_conf_node *sp;
	int r;

	if (!n || hu_conf_is_null(n))
		return 0;
	r = hu_conf_expect_mapping(n, "the collector section", err);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "url", &c->url, err);
	if (r >= 0 && c->url)
		r = check_url(hu_conf_get(n, "url"), c->url, err);
	if (r >= 0)
		r = get_path(n, "token_file", &c->token_file, err);
	if (r >= 0)
		r = get_path(n, "ca_file", &c->ca_file, err);
	if (r >= 0)
		r = get_path(n, "cert", &c->cert, err);
	if (r >= 0)
		r = get_path(n, "key", &c->key, err);
	if (r >= 0 && !c->cert != !c->key)
		r = hu_conf_error(n, err, -EINVAL, "collector: cert and key go together");
	if (r >= 0 && c->url && !c->token_file && !c->cert)
		r = hu_conf_error(n, err, -EINVAL,
				  "collector: a token_file or a cert and key is needed to send "
				  "to %s",
				  c->url);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "connect_timeout", 100, 600000,
					    &c->connect_timeout_ms, err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "timeout", 1000, 3600000, &c->timeout_ms, err);
	sp = hu_conf_get(n, "spool");
	if (r >= 0 && sp && !hu_conf_is_null(sp)) {
		r = hu_conf_expect_mapping(sp, "collector.spool", err);
		if (r >= 0)
			r = hu_conf_check_keys(sp, spool_keys, err);
		if (r >= 0)
			r = hu_conf_get_int(sp, "max_documents", 1, 100000, &c->spool_max_documents,
					    err);
		if (r >= 0)
			r = hu_conf_get_size(sp, "max_size", 64 * 1024, 64LL * 1024 * 1024 * 1024,
					     &c->spool_max_bytes, err);
	}
	return r;
}

void submit_close(struct submit *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	curl_slist_free_all(s->headers);
	free(s->endpoint);
	hu_secret_free(s->token);
	free(s);
}

int submit_open(const struct submit_conf *c, struct submit **ret, struct hu_err *err)
{
	struct submit *s = calloc(1, sizeof(*s));
	int r = 0;

	if (!s)
		return -ENOMEM;
	size_t n = strlen(c->url);
	while (n && c->url[n - 1] == '/')
		n--;
	if (asprintf(&s->endpoint, "%.*s/api/v1/reports", (int)n, c->url) < 0) {
		s->endpoint = NULL;
		r = -ENOMEM;
	}
	if (r >= 0 && c->token_file)
		r = hu_secret_read_file(c->token_file, &s->token, err);
	if (r >= 0 && !(s->curl = curl_easy_init()))
		r = -ENOMEM;
	if (r >= 0) {
		s->headers = curl_slist_append(NULL, "Content-Type: application/json");
		if (!s->headers)
			r = -ENOMEM;
	}
	if (r < 0) {
		submit_close(s);
		return r;
	}
	CURL *h = s->curl;
	curl_easy_setopt(h, CURLOPT_URL, s->endpoint);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "huolto-agent/" HUOLTO_VERSION);
	if (c->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	if (c->cert) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert);
		curl_easy_setopt(h, CURLOPT_SSLKEY, c->key);
	}
	if (s->token) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, s->token);
	}
	*ret = s;
	return 0;
}

static size_t on_answer(char *data, size_t size, size_t n, void *ctx)
{
	hu_buf_append_some(ctx, data, size * n);
	return size * n; /* the rest of a long answer is dropped, not an error */
}

int submit_post(struct submit *s, const char *body, size_t len, long *ret_status,
		struct hu_err *err)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	struct hu_buf answer = HU_BUF_INIT(ANSWER_MAX);
	CURL *h = s->curl;
	CURLcode cc;

	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	cc = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	if (cc != CURLE_OK) {
		hu_buf_clear(&answer);
		return hu_err_set(err,
				  cc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT
				  : cc == CURLE_COULDNT_CONNECT  ? -ECONNREFUSED
								 : -EPROTO,
				  "%s: %s", s->endpoint,
				  curl_err[0] ? curl_err : curl_easy_strerror(cc));
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, ret_status);
	if (*ret_status >= 300) {
		json_t *j = answer.data ? json_loadb(answer.data, answer.len, 0, NULL) : NULL;
		const char *e = json_string_value(json_object_get(j, "error"));
		hu_err_set(err, -EPROTO, "%s", e ? e : "no reason given");
		json_decref(j);
	}
	hu_buf_clear(&answer);
	return 0;
}
