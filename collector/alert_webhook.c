/* SPDX-License-Identifier: MIT */
/*
 * A JSON webhook: the event itself as the body, signed with HMAC-SHA256
 * under the shared secret in X-Huolto-Signature: sha256=<hex>, so that the
 * receiver knows it came from this collector and was not changed.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_channel.h"
#include "huolto/secret.h"

int alert_webhook_signature(const char *key, const char *body, size_t len, char out[72])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (!HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)body, len, mac, &n) ||
	    n != 32)
		return -EIO;
	memcpy(out, "sha256=", 7);
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", mac[i]);
	explicit_bzero(mac, sizeof(mac));
	return 0;
}

static int webhook_open(struct alert_channel *c, struct hu_err *err)
{
	int r = hu_secret_read_file(c->conf->webhook_secret_file, &c->secret, err);

	if (r < 0)
		return r;
	return alert_curl_init(c, c->conf->webhook_url, "http,https", c->conf->webhook_ca_file,
			       err);
}

static int webhook_send(struct alert_channel *c, const json_t *event, time_t now,
			struct hu_err *err)
{
	char sig[72], header[96];
	char *text = json_dumps(event, JSON_COMPACT);
	struct curl_slist *headers = NULL, *h;
	int r = text ? 0 : -ENOMEM;

	(void)now;
	if (r >= 0)
		r = alert_webhook_signature(c->secret, text, strlen(text), sig);
	if (r >= 0) {
		snprintf(header, sizeof(header), "X-Huolto-Signature: %s", sig);
		headers = curl_slist_append(NULL, "Content-Type: application/json");
		h = headers ? curl_slist_append(headers, header) : NULL;
		if (!h)
			r = -ENOMEM;
		else
			headers = h;
	}
	if (r >= 0)
		r = alert_http_post(c, headers, text, strlen(text), err);
	curl_slist_free_all(headers);
	free(text);
	return r;
}

const struct alert_channel_ops alert_webhook_ops = {
	.name = "webhook",
	.open = webhook_open,
	.send = webhook_send,
};
