/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "catalog_fetch.h"
#include "huolto/config.h"

/* A header value longer than this is not kept (ETags are short). */
#define HEADER_VALUE_MAX 512

struct transfer {
	const struct catalog_request *q;
	FILE *out;
	int64_t size;
	bool too_big, write_failed;
	char *etag, *last_modified;
	int64_t retry_after_s;
	char refused[INET6_ADDRSTRLEN]; /* the address public_only refused, or "" */
};

void catalog_answer_clear(struct catalog_answer *a)
{
	free(a->etag);
	free(a->last_modified);
	*a = (struct catalog_answer){ 0 };
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	size_t len = size * n;

	if (t->size + (int64_t)len > t->q->max_body) {
		t->too_big = true;
		return 0;
	}
	if (fwrite(data, 1, len, t->out) != len) {
		t->write_failed = true;
		return 0;
	}
	t->size += (int64_t)len;
	return len;
}

/* The value of header line [p, p + len) when it is called name, trimmed; NULL otherwise. */
static char *header_value(const char *p, size_t len, const char *name)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(p, name, nl) != 0 || p[nl] != ':')
		return NULL;
	p += nl + 1;
	len -= nl + 1;
	while (len > 0 && (*p == ' ' || *p == '\t'))
		p++, len--;
	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	if (len == 0 || len > HEADER_VALUE_MAX)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return NULL;
	return strndup(p, len);
}

static void take(char **slot, char *v)
{
	if (v) {
		free(*slot);
		*slot = v;
	}
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	size_t len = size * n;
	char *v;

	/* A new status line (after a redirect or a 100): what came before was not the answer's. */
	if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {
		free(t->etag);
		free(t->last_modified);
		t->etag = t->last_modified = NULL;
		t->retry_after_s = 0;
		return len;
	}
	take(&t->etag, header_value(data, len, "ETag"));
	take(&t->last_modified, header_value(data, len, "Last-Modified"));
	if ((v = header_value(data, len, "Retry-After"))) {
		char *end;
		long long s = strtoll(v, &end, 10);
		if (*end == 0 && s > 0)
			t->retry_after_s = s;
		else {
			time_t when = curl_getdate(v, NULL);
			time_t now = time(NULL);
			t->retry_after_s = when > now ? (int64_t)(when - now) : 0;
		}
		free(v);
	}
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	const struct transfer *t = ctx;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return t->q->stop && atomic_load(t->q->stop) ? 1 : 0;
}

/* Whether a 32-bit IPv4 address (host order) is on the public internet. */
static bool v4_public(uint32_t a)
{
	return !((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || /* this, private, loop */
		 (a & 0xffc00000u) == 0x64400000u ||                      /* 100.64/10 CGNAT */
		 (a >> 16) == 0xa9feu ||                                  /* 169.254/16 */
		 (a & 0xfff00000u) == 0xac100000u ||                      /* 172.16/12 */
		 (a >> 8) == 0xc00000u ||                                 /* 192.0.0/24 */
		 (a >> 16) == 0xc0a8u ||                                  /* 192.168/16 */
		 (a & 0xfffe0000u) == 0xc6120000u ||                      /* 198.18/15 */
		 a >= 0xe0000000u);                                       /* multicast, reserved */
}

/* Whether sa is on the public internet: not loopback, private, link-local, multicast. */
static bool address_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return v4_public(
		    ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return false;
	const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
		uint32_t v4;
		memcpy(&v4, &a->s6_addr[12], sizeof(v4));
		return v4_public(ntohl(v4));
	}
	return !(IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
		 IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) || IN6_IS_ADDR_MULTICAST(a) ||
		 (a->s6_addr[0] & 0xfe) == 0xfc); /* fc00::/7 */
}

/* libcurl's socket, refused for an address that is not public (public_only). */
static curl_socket_t on_open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *address)
{
	struct transfer *t = ctx;

	(void)purpose;
	if (!address_public(&address->addr)) {
		const void *in =
		    address->family == AF_INET6
			? (const void *)&((struct sockaddr_in6 *)(void *)&address->addr)->sin6_addr
			: (const void *)&((struct sockaddr_in *)(void *)&address->addr)->sin_addr;
		if (!inet_ntop(address->family, in, t->refused, sizeof(t->refused)))
			snprintf(t->refused, sizeof(t->refused), "?");
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

/* The headers of q's request; NULL with *ret_r < 0 when out of memory. */
static struct curl_slist *request_headers(const struct catalog_request *q, int *ret_r)
{
	struct curl_slist *h = NULL, *n;
	char line[HEADER_VALUE_MAX + 64];
	const char *names[] = { "If-None-Match", "If-Modified-Since", "Authorization" };
	const char *values[] = { q->etag, q->last_modified, q->bearer };

	*ret_r = 0;
	for (size_t i = 0; i < 3; i++) {
		if (!values[i])
			continue;
		int len = snprintf(line, sizeof(line), "%s: %s%s", names[i],
				   i == 2 ? "Bearer " : "", values[i]);
		if (len < 0 || (size_t)len >= sizeof(line) || strpbrk(values[i], "\r\n"))
			continue; /* a validator we could not send is a full fetch */
		n = curl_slist_append(h, line);
		explicit_bzero(line, sizeof(line));
		if (!n) {
			curl_slist_free_all(h);
			*ret_r = -ENOMEM;
			return NULL;
		}
		h = n;
	}
	return h;
}

static int classify(CURLcode cc, const struct transfer *t, const char *ebuf, struct hu_err *err)
{
	const char *u = t->q->url;

	if (t->refused[0])
		return hu_err_set(err, -EACCES,
				  "%s: refused to connect to %s (not a public address)", u,
				  t->refused);
	if (t->too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return hu_err_set(err, -EFBIG, "%s: the answer is larger than %lld bytes", u,
				  (long long)t->q->max_body);
	if (t->write_failed)
		return hu_err_set(err, -EIO, "%s: %s: %m", u, t->q->out_path);
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return hu_err_set(err, -ECANCELED, "%s: stopped", u);
	if (cc == CURLE_OPERATION_TIMEDOUT)
		return hu_err_set(err, -ETIMEDOUT, "%s: %s", u, ebuf[0] ? ebuf : "timed out");
	return hu_err_set(err, -EIO, "%s: %s", u, ebuf[0] ? ebuf : curl_easy_strerror(cc));
}

int catalog_fetch(const struct catalog_request *q, struct catalog_answer *ret, struct hu_err *err)
{
	struct transfer t = { .q = q };
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	long status = 0;
	CURL *h = NULL;
	int fd, r;

	if (q->https_only && strncasecmp(q->url, "https://", 8) != 0)
		return hu_err_set(err, -EACCES, "%s: refused: not an https:// address", q->url);
	fd = open(q->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return hu_err_errno(err, errno, "%s", q->out_path);
	t.out = fdopen(fd, "w");
	if (!t.out) {
		close(fd);
		return -ENOMEM;
	}
	headers = request_headers(q, &r);
	if (r >= 0 && !(h = curl_easy_init()))
		r = -ENOMEM;
	if (r < 0)
		goto out;
	bool https = strncasecmp(q->url, "https:", 6) == 0;
	curl_easy_setopt(h, CURLOPT_URL, q->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Redirects: a few, and never from HTTPS down to HTTP. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (q->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, q->ca_file);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(q->timeout_ms < 15000 ? q->timeout_ms : 15000));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)q->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* what libcurl can decode */
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)q->max_body);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "huolto-collector/" HUOLTO_VERSION);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	if (q->post) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->post);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->post_len);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	if (q->public_only) {
		curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
		curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &t);
	}
	CURLcode cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		r = classify(cc, &t, ebuf, err);
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (fflush(t.out) != 0 || fsync(fileno(t.out)) < 0) {
		r = hu_err_errno(err, errno, "%s", q->out_path);
		goto out;
	}
	*ret = (struct catalog_answer){ .status = status,
					.etag = t.etag,
					.last_modified = t.last_modified,
					.retry_after_s = t.retry_after_s };
	t.etag = t.last_modified = NULL;
	if (status != 200 && status != 304 && !(status == 404 && q->not_found_ok))
		r = hu_err_set(err, -EPROTO, "%s: HTTP %ld%s", q->url, status,
			       status == 429 || status == 503 ? " (the feed asks us to wait)" : "");
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(headers);
	fclose(t.out);
	free(t.etag);
	free(t.last_modified);
	return r;
}
