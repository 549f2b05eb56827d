/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alerter.h"
#include "api.h"
#include "huolto/buf.h"
#include "huolto/fileio.h"
#include "huolto/log.h"
#include "huolto/secret.h"
#include "catalog_worker.h"
#include "http.h"
#include "tls_peer.h"
#include "token.h"

#define REPORTS_PATH   "/api/v1/reports"
#define API_PREFIX     "/api/v1/"
#define PEM_MAX        (1024 * 1024)
#define CONN_MEMORY    (128 * 1024) /* headers and MHD's buffers, per connection */
#define TOKEN_MAX      256          /* a longer Authorization value is not ours */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct server {
	struct MHD_Daemon *daemon;
	struct alerter *alerter;        /* NULL without alerts */
	struct catalog_worker *catalog; /* NULL without a catalog section */
	struct api api;
	struct metrics metrics;
	int64_t max_body;
	int64_t in_flight_max;
	atomic_int_fast64_t in_flight; /* bytes reserved by bodies being read */
	bool mtls;
	char *cert, *key, *ca; /* PEM, owned */
};

enum route {
	ROUTE_OTHER,
	ROUTE_REPORT,
};

/* One request, from its headers to its completion. */
struct request {
	struct timespec start;
	enum route route;
	char agent[TLS_PEER_NAME_MAX + 1];
	struct hu_buf body;
	bool too_large;                 /* a chunked body went past max_body */
	bool answered;                  /* a response is queued */
	int64_t reserved;               /* bytes of in_flight held */
	char address[INET6_ADDRSTRLEN]; /* the client's, for log lines */
};

static uint64_t since_us(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000000u +
	       (uint64_t)((t.tv_nsec - t0->tv_nsec) / 1000);
}

static enum MHD_Result send_answer(struct MHD_Connection *c, struct request *q,
				   const struct api_answer *a, const char *header,
				   const char *value)
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(a->len, a->body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result r;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (header)
		MHD_add_response_header(resp, header, value);
	r = MHD_queue_response(c, a->status, resp);
	MHD_destroy_response(resp);
	q->answered = true;
	return r;
}

/*
 * Answer an error, {"error": "<msg><detail>"}, with an optional extra header;
 * for documents, counted and logged under reason.
 */
static enum MHD_Result refuse(struct server *srv, struct MHD_Connection *c, struct request *q,
			      unsigned status, enum reject_reason reason, const char *header,
			      const char *value, const char *msg, const char *detail)
{
	struct api_answer a = { 0 };
	enum MHD_Result r;

	if (q->route == ROUTE_REPORT) {
		metrics_reject(&srv->metrics, reason);
		hu_log_warning("%s: document refused (%u %s): %s%s", q->address, status,
			       reject_reason_name(reason), msg, detail ? detail : "");
	}
	if (api_error(&a, status, NULL, "%s%s", msg, detail ? detail : "") < 0)
		return MHD_NO;
	r = send_answer(c, q, &a, header, value);
	api_answer_clear(&a);
	return r;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/*
 * The holder of the bearer token in the Authorization header: 0 and name,
 * -ENOENT (no credential or an unknown one), or another error from the store.
 */
static int bearer(struct server *srv, struct MHD_Connection *c, enum store_role role, char *name,
		  size_t size)
{
	const char *v = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
	struct store *s = srv->api.store;
	struct hu_err err = HU_ERR_INIT;
	char hash[SHA256_HEX];
	char *found = NULL;

	if (!v || strncasecmp(v, "Bearer ", 7) != 0)
		return -ENOENT;
	v += 7;
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	if (n == 0 || n > TOKEN_MAX || token_hash(v, n, hash) < 0)
		return -ENOENT;
	int r = s->ops->principal_find(s, role, hash, &found, &err);
	if (r == -ENOENT) {
		hu_err_clear(&err);
		return r;
	}
	if (r < 0) {
		hu_log_error("looking up a credential: %s", hu_err_msg(&err));
		hu_err_clear(&err);
		return r;
	}
	snprintf(name, size, "%s", found);
	free(found);
	return 0;
}

/* The agent behind the request: a client certificate when one was sent, else a bearer token. */
static int agent_of(struct server *srv, struct MHD_Connection *c, struct request *q,
		    const char **why)
{
	*why = "no credential: send an agent's token (Authorization: Bearer)";
	if (srv->mtls) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		int r = ci ? tls_peer_name(ci->tls_session, q->agent, sizeof(q->agent)) : -ENOENT;
		if (r == 0) {
			struct hu_err err = HU_ERR_INIT;
			struct store *s = srv->api.store;
			r = s->ops->principal_active(s, STORE_AGENT, q->agent, &err);
			hu_err_clear(&err);
			if (r < 0)
				*why = "the client certificate's CN is not an agent with a live "
				       "credential";
			return r;
		}
		if (r != -ENOENT) {
			*why = "the client certificate does not verify against tls.client_ca";
			return -EACCES;
		}
	}
	int r = bearer(srv, c, STORE_AGENT, q->agent, sizeof(q->agent));
	if (r < 0 && header(c, MHD_HTTP_HEADER_AUTHORIZATION))
		*why = "the token is not an agent's live token";
	return r;
}

static bool is_json(const char *type)
{
	static const char json[] = "application/json";
	size_t n = sizeof(json) - 1;

	if (!type || strncasecmp(type, json, n) != 0)
		return false;
	return type[n] == 0 || type[n] == ';' || type[n] == ' ';
}

static enum MHD_Result refuse_too_large(struct server *srv, struct MHD_Connection *c,
					struct request *q)
{
	char limit[32];

	snprintf(limit, sizeof(limit), "%lld", (long long)srv->max_body);
	return refuse(srv, c, q, MHD_HTTP_CONTENT_TOO_LARGE, REJECT_TOO_LARGE, NULL, NULL,
		      "the document is larger than limits.max_body, bytes: ", limit);
}

/* The headers of POST /api/v1/reports: everything is checked before the body is read. */
static enum MHD_Result begin_report(struct server *srv, struct MHD_Connection *c, struct request *q,
				    const char *method)
{
	const char *len = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *why;

	q->route = ROUTE_REPORT;
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
		return refuse(srv, c, q, MHD_HTTP_METHOD_NOT_ALLOWED, REJECT_METHOD, "Allow",
			      "POST", "use POST", NULL);
	if (!is_json(header(c, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return refuse(srv, c, q, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, REJECT_CONTENT_TYPE, NULL,
			      NULL, "Content-Type must be application/json", NULL);
	int64_t want = srv->max_body;
	if (len) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(len, &end, 10);
		if (errno || *end || n > (unsigned long long)srv->max_body)
			return refuse_too_large(srv, c, q);
		want = (int64_t)n;
	}
	int r = agent_of(srv, c, q, &why);
	if (r == -ENOENT || r == -EACCES)
		return refuse(srv, c, q, MHD_HTTP_UNAUTHORIZED, REJECT_UNAUTHORIZED,
			      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"huolto\"", why,
			      NULL);
	if (r < 0)
		return refuse(srv, c, q, MHD_HTTP_INTERNAL_SERVER_ERROR, REJECT_ERROR, NULL, NULL,
			      "the credential could not be checked", NULL);
	/* Bodies held at once are bounded: beyond, the agent keeps its spool and retries. */
	int64_t held = atomic_fetch_add(&srv->in_flight, want) + want;
	q->reserved = want;
	if (held > srv->in_flight_max)
		return refuse(srv, c, q, MHD_HTTP_SERVICE_UNAVAILABLE, REJECT_BUSY, "Retry-After",
			      "60", "busy: too many documents arriving at once", NULL);
	q->body.max = (size_t)srv->max_body;
	return MHD_YES;
}

static enum MHD_Result finish_report(struct server *srv, struct MHD_Connection *c,
				     struct request *q)
{
	struct api_answer a = { 0 };
	enum reject_reason why = REJECT_ERROR;

	if (q->too_large)
		return refuse_too_large(srv, c, q);
	if (api_report(&srv->api, q->agent, q->body.data ? q->body.data : "", q->body.len,
		       time(NULL), &a, &why) < 0)
		return MHD_NO;
	if (a.status >= 300)
		hu_log_warning("%s: document from agent %s refused (%u %s): %.*s", q->address,
			       q->agent, a.status, reject_reason_name(why), (int)a.len, a.body);
	enum MHD_Result r = send_answer(c, q, &a, NULL, NULL);
	api_answer_clear(&a);
	hu_buf_clear(&q->body);
	return r;
}

static enum MHD_Result begin_read(struct server *srv, struct MHD_Connection *c, struct request *q,
				  const char *url, const char *method)
{
	struct api_answer a = { 0 };
	char who[TLS_PEER_NAME_MAX + 1];
	enum MHD_Result ret;
	int r = 0;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return refuse(srv, c, q, MHD_HTTP_METHOD_NOT_ALLOWED, REJECT_METHOD, "Allow",
			      "GET, HEAD", "use GET", NULL);
	if (strcmp(url, "/healthz") == 0) {
		a = (struct api_answer){ .status = 200,
					 .content_type = API_JSON,
					 .body = strdup("{\"status\":\"ok\"}") };
		a.len = a.body ? strlen(a.body) : 0;
		r = a.body ? 0 : -ENOMEM;
	} else if (strcmp(url, "/metrics") == 0) {
		r = api_metrics(&srv->api, time(NULL), &a);
	} else if (strncmp(url, API_PREFIX, strlen(API_PREFIX)) == 0) {
		r = bearer(srv, c, STORE_OPERATOR, who, sizeof(who));
		if (r == -ENOENT)
			return refuse(srv, c, q, MHD_HTTP_UNAUTHORIZED, REJECT_UNAUTHORIZED,
				      MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"huolto\"",
				      "send an operator's token (Authorization: Bearer)", NULL);
		if (r >= 0)
			r = api_read(&srv->api, url + strlen(API_PREFIX), &a);
	} else {
		return refuse(srv, c, q, MHD_HTTP_NOT_FOUND, REJECT_ERROR, NULL, NULL,
			      "no such resource: ", url);
	}
	if (r < 0) {
		api_answer_clear(&a);
		return refuse(srv, c, q, MHD_HTTP_INTERNAL_SERVER_ERROR, REJECT_ERROR, NULL, NULL,
			      "internal error", NULL);
	}
	ret = send_answer(c, q, &a, NULL, NULL);
	api_answer_clear(&a);
	return ret;
}

static void client_address(struct MHD_Connection *c, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, size, "client");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
			  (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  buf, (socklen_t)size);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct request *q = *con_cls;

	(void)version;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &q->start);
		q->body = (struct hu_buf)HU_BUF_INIT(1);
		client_address(c, q->address, sizeof(q->address));
		*con_cls = q;
		if (strcmp(url, REPORTS_PATH) == 0)
			return begin_report(srv, c, q, method);
		return begin_read(srv, c, q, url, method);
	}
	if (q->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Chunked bodies are capped as they arrive; the rest is read and dropped. */
		if (!q->too_large && hu_buf_append(&q->body, upload, *upload_size) < 0) {
			q->too_large = true;
			hu_buf_clear(&q->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return finish_report(srv, c, q);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct request *q = *con_cls;

	(void)c;
	(void)toe;
	if (!q)
		return;
	metrics_observe(&srv->metrics, since_us(&q->start));
	atomic_fetch_sub(&srv->in_flight, q->reserved);
	hu_buf_clear(&q->body);
	free(q);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = 0;
	hu_log_warning("%s", msg);
}

static int read_pem(const char *what, const char *path, char **ret, struct hu_err *err)
{
	size_t len = 0;

	if (!path)
		return hu_err_set(err, -EINVAL, "serve needs %s in the configuration", what);
	return hu_read_local_file(path, PEM_MAX, ret, &len, NULL, err);
}

void server_stop(struct server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	catalog_worker_stop(srv->catalog); /* it kicks the alerter */
	alerter_stop(srv->alerter);
	free(srv->cert);
	hu_secret_free(srv->key);
	free(srv->ca);
	free(srv);
}

int server_start(const struct coll_conf *conf, struct store *store, const struct hu_schema *schema,
		 struct catalog_live *catalog, struct server **ret, struct hu_err *err)
{
	struct server *srv = calloc(1, sizeof(*srv));
	int r;

	if (!srv)
		return -ENOMEM;
	srv->api = (struct api){ .store = store,
				 .schema = schema,
				 .metrics = &srv->metrics,
				 .grace_ms = conf->grace_ms,
				 .alerts = conf->alerts.enabled ? &conf->alerts.store : NULL,
				 .catalog = catalog };
	srv->max_body = conf->max_body;
	srv->in_flight_max = conf->in_flight;
	r = read_pem("tls.cert", conf->tls_cert, &srv->cert, err);
	if (r >= 0)
		r = read_pem("tls.key", conf->tls_key, &srv->key, err);
	if (r >= 0 && conf->client_ca) {
		r = read_pem("tls.client_ca", conf->client_ca, &srv->ca, err);
		srv->mtls = true;
	}
	if (r >= 0 && conf->alerts.enabled) {
		r = alerter_start(store, &conf->alerts, &srv->metrics, &srv->alerter, err);
		srv->api.alerter = srv->alerter;
	}
	if (r >= 0 && catalog)
		r = catalog_worker_start(conf, store, catalog, srv->alerter, &srv->catalog, err);
	if (r < 0) {
		server_stop(srv);
		return r;
	}
	unsigned flags = MHD_USE_TLS | MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (conf->listen_addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
	    MHD_OPTION_SOCK_ADDR, &conf->listen_addr, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)conf->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)conf->connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)((conf->timeout_ms + 999) / 1000),
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY, MHD_OPTION_HTTPS_MEM_CERT,
	    srv->cert, MHD_OPTION_HTTPS_MEM_KEY, srv->key, MHD_OPTION_HTTPS_PRIORITIES,
	    TLS_PRIORITIES, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    srv->ca ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, srv->ca, MHD_OPTION_END);
	if (!srv->daemon) {
		server_stop(srv);
		return hu_err_set(err, -EADDRNOTAVAIL,
				  "cannot serve on %s (address in use, not ours, or the "
				  "certificate and key do not load; see the messages above)",
				  conf->listen);
	}
	*ret = srv;
	return 0;
}

uint16_t server_port(const struct server *srv)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);

	return i ? i->port : 0;
}
