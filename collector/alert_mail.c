/* SPDX-License-Identifier: MIT */
/*
 * Mail over SMTP with libcurl: a plain-text message (UTF-8, 8bit) whose
 * subject is the alert's summary and whose body is its text. STARTTLS is
 * used when the server offers it (required with require_tls or a
 * password); smtps:// is TLS from the start. Certificates are always
 * verified.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alert_channel.h"
#include "huolto/report.h"
#include "huolto/secret.h"

/* Bytes of UTF-8 per encoded word: 45 -> 60 base64 characters, 72 with the frame. */
#define WORD_BYTES 45

struct mail {
	struct curl_slist *rcpt;
	char *from; /* "<from>" */
};

struct reader {
	const char *data;
	size_t len, pos;
};

static const char *str(const json_t *event, const char *key)
{
	const char *s = json_string_value(json_object_get(event, key));

	return s ? s : "";
}

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* The subject as RFC 2047 encoded words when it is not ASCII, folded. */
static int put_subject(struct hu_buf *out, const char *s)
{
	if (ascii(s))
		return hu_buf_printf(out, "Subject: %s\r\n", s);
	int r = hu_buf_append(out, "Subject:", 8);
	size_t len = strlen(s);
	for (size_t i = 0; r >= 0 && i < len;) {
		size_t n = len - i < WORD_BYTES ? len - i : WORD_BYTES;
		while (i + n < len && ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--; /* do not split a character */
		unsigned char b64[4 * ((WORD_BYTES + 2) / 3) + 1];
		EVP_EncodeBlock(b64, (const unsigned char *)s + i, (int)n);
		r = hu_buf_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", (const char *)b64);
		i += n;
	}
	return r < 0 ? r : hu_buf_append(out, "\r\n", 2);
}

int alert_mail_compose(const json_t *event, const char *from, const struct hu_strv *to, time_t now,
		       struct hu_buf *out)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	char id[37];
	int r;

	if (!gmtime_r(&now, &tm) || hu_uuid4(id) < 0)
		return -EIO;
	r = hu_buf_printf(out, "Date: %s, %02d %s %d %02d:%02d:%02d +0000\r\nFrom: %s\r\nTo: ",
			  days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
			  tm.tm_hour, tm.tm_min, tm.tm_sec, from);
	for (size_t i = 0; r >= 0 && i < to->n; i++)
		r = hu_buf_printf(out, "%s%s", i ? ", " : "", to->v[i]);
	if (r >= 0)
		r = hu_buf_append(out, "\r\n", 2);
	if (r >= 0)
		r = put_subject(out, str(event, "summary"));
	/* The X- headers hold codes and names; summary and text were made one-line clean. */
	if (r >= 0)
		r = hu_buf_printf(out,
				  "Message-ID: <%s@huolto>\r\nMIME-Version: 1.0\r\n"
				  "Content-Type: text/plain; charset=utf-8\r\n"
				  "Content-Transfer-Encoding: 8bit\r\n"
				  "Auto-Submitted: auto-generated\r\n"
				  "X-Huolto-Event: %s\r\n\r\n",
				  id, str(event, "event"));
	const char *t = str(event, "text");
	while (r >= 0 && *t) {
		size_t n = strcspn(t, "\r\n");
		r = hu_buf_append(out, t, n);
		if (r >= 0)
			r = hu_buf_append(out, "\r\n", 2);
		t += n;
		if (*t == '\r')
			t++;
		if (*t == '\n')
			t++;
	}
	return r;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ctx)
{
	struct reader *rd = ctx;
	size_t k = rd->len - rd->pos;

	if (k > size * n)
		k = size * n;
	memcpy(buf, rd->data + rd->pos, k);
	rd->pos += k;
	return k;
}

static int smtp_open(struct alert_channel *c, struct hu_err *err)
{
	const struct alerts_conf *conf = c->conf;
	struct mail *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	c->data = m;
	if (asprintf(&m->from, "<%s>", conf->smtp_from) < 0) {
		m->from = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; i < conf->smtp_to.n; i++) {
		struct curl_slist *l = curl_slist_append(m->rcpt, conf->smtp_to.v[i]);
		if (!l)
			return -ENOMEM;
		m->rcpt = l;
	}
	if (conf->smtp_password_file &&
	    (r = hu_secret_read_file(conf->smtp_password_file, &c->secret, err)) < 0)
		return r;
	r = alert_curl_init(c, conf->smtp_url, "smtp,smtps", conf->smtp_ca_file, err);
	if (r < 0)
		return r;
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, m->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, m->rcpt);
	curl_easy_setopt(
	    h, CURLOPT_USE_SSL,
	    (long)(conf->smtp_require_tls || c->secret ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	if (c->secret) {
		curl_easy_setopt(h, CURLOPT_USERNAME, conf->smtp_username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->secret);
	}
	return 0;
}

static int smtp_send(struct alert_channel *c, const json_t *event, time_t now, struct hu_err *err)
{
	struct hu_buf msg = HU_BUF_INIT(0);
	int r = alert_mail_compose(event, c->conf->smtp_from, &c->conf->smtp_to, now, &msg);

	if (r >= 0) {
		struct reader rd = { .data = msg.data, .len = msg.len };
		curl_easy_setopt(c->curl, CURLOPT_READDATA, &rd);
		curl_easy_setopt(c->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
		r = alert_curl_perform(c, err);
		curl_easy_setopt(c->curl, CURLOPT_READDATA, NULL);
	}
	hu_buf_clear(&msg);
	return r;
}

static void smtp_close(struct alert_channel *c)
{
	struct mail *m = c->data;

	if (!m)
		return;
	curl_slist_free_all(m->rcpt);
	free(m->from);
	free(m);
}

const struct alert_channel_ops alert_smtp_ops = {
	.name = "smtp",
	.open = smtp_open,
	.send = smtp_send,
	.close = smtp_close,
};
