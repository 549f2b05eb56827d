/* SPDX-License-Identifier: MIT */
/*
 * The tls check: every HTTPS endpoint of every site and every configured
 * mail endpoint, each address separately, in one concurrent run; every
 * certificate file the web servers (and a local Postfix and Dovecot) name.
 * The network work happens once, in run_server, for all sites at once;
 * run_site hands each site its findings.
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../checks.h"
#include "huolto/json.h"
#include "huolto/resolver.h"
#include "huolto/strmap.h"
#include "tls.h"
#include "huolto/clock.h"
#include "../site_findings.h"

#define RESOLVE_DEADLINE_MS 60000

static const char *const compare_names[_TLS_COMPARE_MAX] = {
	[TLS_COMPARE_LOCAL] = "local",
	[TLS_COMPARE_ALWAYS] = "always",
	[TLS_COMPARE_NEVER] = "never",
};

static const struct {
	const char *scheme;
	uint16_t port;
} mail_schemes[] = {
	{ "smtp", 25 },   { "smtps", 465 }, { "imap", 143 },
	{ "imaps", 993 }, { "pop3", 110 },  { "pop3s", 995 },
};

struct tls_state {
	struct tls_conf conf;
	struct site_findings site_findings; /* filled by run_server */
};

static void conf_clear(struct tls_conf *c)
{
	for (size_t i = 0; i < c->n_mail; i++) {
		free(c->mail[i].url);
		free(c->mail[i].scheme);
		free(c->mail[i].host);
	}
	free(c->mail);
	hu_strv_clear(&c->cert_files);
	free(c->ca_file);
	free(c->postfix_main_cf);
	free(c->dovecot_conf);
	hu_strv_clear(&c->ignore_sites);
}

static void tls_free(void *data)
{
	struct tls_state *st = data;

	if (!st)
		return;
	site_findings_clear(&st->site_findings);
	conf_clear(&st->conf);
	free(st);
}

static int parse_mail_url(const struct hu_conf_node *n, struct tls_mail_endpoint *e,
			  struct hu_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int r = 0;

	if (!u)
		return -ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, n->value, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		r = hu_conf_error(n, err, -EINVAL, "tls.mail: \"%s\" is not a URL", n->value);
		goto out;
	}
	e->port = 0;
	for (size_t i = 0; i < sizeof(mail_schemes) / sizeof(mail_schemes[0]); i++)
		if (!strcmp(scheme, mail_schemes[i].scheme))
			e->port = mail_schemes[i].port;
	if (!e->port) {
		r = hu_conf_error(n, err, -EINVAL,
				  "tls.mail: scheme \"%s\" is not one of smtp, smtps, imap, imaps, "
				  "pop3, pop3s",
				  scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
		e->port = (uint16_t)strtoul(port, NULL, 10);
	/* curl gives IPv6 hosts in brackets; the probe adds its own. */
	size_t hl = strlen(host);
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']')
		e->host = strndup(host + 1, hl - 2);
	else
		e->host = strdup(host);
	e->scheme = strdup(scheme);
	e->url = strdup(n->value);
	if (!e->host || !e->scheme || !e->url)
		r = -ENOMEM;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return r;
}

static int parse_mail_config(const struct hu_conf_node *n, struct tls_conf *c, struct hu_err *err)
{
	static const char *const keys[] = { "postfix", "dovecot", NULL };
	const char *names[2] = { "postfix", "dovecot" };
	char **dst[2] = { &c->postfix_main_cf, &c->dovecot_conf };
	int r = hu_conf_expect_mapping(n, "tls.mail_config", err);

	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	for (int i = 0; r >= 0 && i < 2; i++) {
		const struct hu_conf_node *v = hu_conf_get(n, names[i]);
		if (!v)
			continue;
		if (v->type == HU_CONF_SCALAR && !v->quoted && !strcmp(v->value, "false")) {
			free(*dst[i]);
			*dst[i] = NULL;
		} else if (v->type != HU_CONF_SCALAR || v->value[0] != '/') {
			r = hu_conf_error(v, err, -EINVAL,
					  "tls.mail_config.%s must be an absolute path or false",
					  names[i]);
		} else {
			r = hu_conf_string(v, dst[i], err);
		}
	}
	return r;
}

static int parse_conf(const struct hu_conf_node *n, struct tls_conf *c, struct hu_err *err)
{
	static const char *const keys[] = { "mail",
					    "cert_files",
					    "ca_file",
					    "concurrency",
					    "connect_timeout",
					    "handshake_timeout",
					    "expires_warn_days",
					    "expires_warn_percent",
					    "expires_critical_days",
					    "expires_critical_percent",
					    "max_validity_days",
					    "probe_old_protocols",
					    "compare_disk",
					    "mail_config",
					    "ignore_sites",
					    "check_keys",
					    NULL };
	const struct hu_conf_node *v;
	int64_t i64;
	int r;

	r = hu_conf_expect_mapping(n, "the tls section", err);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r < 0)
		return r;
	v = hu_conf_get(n, "mail");
	if (v) {
		if (v->type != HU_CONF_SEQUENCE)
			return hu_conf_error(v, err, -EINVAL, "tls.mail must be a list of URLs");
		c->mail = calloc(v->n_items ? v->n_items : 1, sizeof(*c->mail));
		if (!c->mail)
			return -ENOMEM;
		for (size_t i = 0; i < v->n_items; i++) {
			if (v->items[i]->type != HU_CONF_SCALAR)
				return hu_conf_error(v->items[i], err, -EINVAL,
						     "tls.mail: expected a URL");
			c->n_mail++;
			r = parse_mail_url(v->items[i], &c->mail[i], err);
			if (r < 0)
				return r;
		}
	}
	r = hu_conf_get_string_list(n, "cert_files", &c->cert_files, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "ca_file", &c->ca_file, err);
	if (r >= 0)
		r = hu_conf_get_string_list(n, "ignore_sites", &c->ignore_sites, err);
	i64 = (int64_t)c->probe.concurrency;
	if (r >= 0)
		r = hu_conf_get_int(n, "concurrency", 1, 1024, &i64, err);
	c->probe.concurrency = (size_t)i64;
	int64_t connect_ms = c->probe.connect_timeout_ms,
		handshake_ms = c->probe.handshake_timeout_ms;
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "connect_timeout", 100, 120000, &connect_ms, err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "handshake_timeout", 100, 120000, &handshake_ms,
					    err);
	c->probe.connect_timeout_ms = (long)connect_ms;
	c->probe.handshake_timeout_ms = (long)handshake_ms;
	struct {
		const char *key;
		double *dst;
		int64_t max;
	} nums[] = {
		{ "expires_warn_days", &c->thresholds.warn_days, 3650 },
		{ "expires_warn_percent", &c->thresholds.warn_percent, 100 },
		{ "expires_critical_days", &c->thresholds.critical_days, 3650 },
		{ "expires_critical_percent", &c->thresholds.critical_percent, 100 },
	};
	for (size_t i = 0; r >= 0 && i < sizeof(nums) / sizeof(nums[0]); i++) {
		i64 = (int64_t)*nums[i].dst;
		r = hu_conf_get_int(n, nums[i].key, 0, nums[i].max, &i64, err);
		*nums[i].dst = (double)i64;
	}
	i64 = c->thresholds.max_validity_days;
	if (r >= 0 && hu_conf_get(n, "max_validity_days")) {
		r = hu_conf_get_int(n, "max_validity_days", 0, 100000, &i64, err);
		c->thresholds.max_validity_days = (long)i64;
	}
	if (r >= 0)
		r = hu_conf_get_bool(n, "probe_old_protocols", &c->probe_old_protocols, err);
	if (r >= 0)
		r = hu_conf_get_bool(n, "check_keys", &c->check_keys, err);
	v = hu_conf_get(n, "compare_disk");
	if (r >= 0 && v) {
		char *s = NULL;
		r = hu_conf_string(v, &s, err);
		int found = -1;
		for (int i = 0; r >= 0 && i < _TLS_COMPARE_MAX; i++)
			if (!strcmp(s, compare_names[i]))
				found = i;
		if (r >= 0 && found < 0)
			r = hu_conf_error(v, err, -EINVAL,
					  "tls.compare_disk must be local, always or never");
		if (found >= 0)
			c->compare_disk = (enum tls_compare_disk)found;
		free(s);
	}
	v = hu_conf_get(n, "mail_config");
	if (r >= 0 && v)
		r = parse_mail_config(v, c, err);
	return r;
}

static int tls_init(const struct hu_conf_node *conf, void **ret_state, struct hu_err *err)
{
	struct tls_state *st = calloc(1, sizeof(*st));
	struct tls_conf *c;
	int r = 0;

	if (!st)
		return -ENOMEM;
	c = &st->conf;
	c->probe = (struct tls_probe_opts){ .concurrency = 32,
					    .connect_timeout_ms = 5000,
					    .handshake_timeout_ms = 10000 };
	c->thresholds = (struct tls_thresholds){ .warn_days = 21,
						 .warn_percent = 25,
						 .critical_days = 7,
						 .critical_percent = 10,
						 .max_validity_days = -1 };
	c->probe_old_protocols = true;
	c->check_keys = true;
	c->compare_disk = TLS_COMPARE_LOCAL;
	c->postfix_main_cf = strdup("/etc/postfix/main.cf");
	c->dovecot_conf = strdup("/etc/dovecot/dovecot.conf");
	c->resolve_deadline_ms = RESOLVE_DEADLINE_MS;
	if (!c->postfix_main_cf || !c->dovecot_conf)
		r = -ENOMEM;
	if (r >= 0 && conf && !hu_conf_is_null(conf))
		r = parse_conf(conf, c, err);
	if (r < 0) {
		tls_free(st);
		return r;
	}
	*ret_state = st;
	return 0;
}

/* ---- one run ---- */

struct endpoint {
	int site; /* index in ctx->sites, -1 for a mail endpoint */
	const char *scheme;
	const char *host;
	uint16_t port;
};

struct name_addrs {
	int status;
	char why[128];
	struct hu_strv addrs;
};

struct run {
	struct tls_state *st;
	const struct hu_check_ctx *ctx;
	struct endpoint *eps;
	size_t n_eps;
	struct hu_strmap names; /* host -> struct name_addrs */
	struct hu_strmap files; /* certificate path -> struct tls_disk_cert */
	struct tls_probe *probes;
	size_t n_probes;
	size_t *probe_ep; /* endpoint of each main probe; old probes follow their main probe */
	X509_STORE *store;
};

static void name_addrs_free(void *p)
{
	struct name_addrs *na = p;

	hu_strv_clear(&na->addrs);
	free(na);
}

static void disk_cert_free(void *p)
{
	struct tls_disk_cert *c = p;

	if (c->chain)
		sk_X509_pop_free(c->chain, X509_free);
	free(c->path);
	free(c);
}

static void on_addrs(void *arg, int status, const struct hu_addrs *a, const char *why)
{
	struct name_addrs *na = arg;

	na->status = status;
	snprintf(na->why, sizeof(na->why), "%s", why ? why : "");
	for (size_t i = 0; !status && i < a->n; i++)
		hu_strv_push_unique(&na->addrs, a->v[i].text);
}

static int add_endpoint(struct run *rn, int site, const char *scheme, const char *host,
			uint16_t port)
{
	for (size_t i = 0; i < rn->n_eps; i++)
		if (rn->eps[i].site == site && rn->eps[i].port == port &&
		    !strcmp(rn->eps[i].host, host) && !strcmp(rn->eps[i].scheme, scheme))
			return 0;
	struct endpoint *v = realloc(rn->eps, (rn->n_eps + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	rn->eps = v;
	rn->eps[rn->n_eps++] = (struct endpoint){ site, scheme, host, port };
	if (hu_strmap_get(&rn->names, host))
		return 0;
	struct name_addrs *na = calloc(1, sizeof(*na));
	if (!na || hu_strmap_put(&rn->names, host, na) < 0) {
		free(na);
		return -ENOMEM;
	}
	return hu_resolver_addrs(rn->ctx->resolver, host, on_addrs, na);
}

static int collect_endpoints(struct run *rn)
{
	const struct hu_sites *sites = rn->ctx->sites;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < sites->n; i++)
		for (size_t j = 0; r >= 0 && j < sites->v[i]->n_https; j++)
			r = add_endpoint(rn, (int)i, "https", sites->v[i]->https[j].host,
					 sites->v[i]->https[j].port);
	for (size_t i = 0; r >= 0 && i < rn->st->conf.n_mail; i++)
		r = add_endpoint(rn, -1, rn->st->conf.mail[i].scheme, rn->st->conf.mail[i].host,
				 rn->st->conf.mail[i].port);
	if (r >= 0)
		r = hu_resolver_wait(rn->ctx->resolver, rn->st->conf.resolve_deadline_ms);
	return r;
}

static int plan_probes(struct run *rn)
{
	size_t cap = 0;
	bool old = rn->st->conf.probe_old_protocols;

	for (size_t i = 0; i < rn->n_eps; i++) {
		struct name_addrs *na = hu_strmap_get(&rn->names, rn->eps[i].host);
		cap += na->addrs.n * (old ? 2 : 1);
	}
	rn->probes = calloc(cap ? cap : 1, sizeof(*rn->probes));
	rn->probe_ep = calloc(cap ? cap : 1, sizeof(*rn->probe_ep));
	if (!rn->probes || !rn->probe_ep)
		return -ENOMEM;
	for (size_t i = 0; i < rn->n_eps; i++) {
		struct name_addrs *na = hu_strmap_get(&rn->names, rn->eps[i].host);
		for (size_t a = 0; a < na->addrs.n; a++)
			for (int o = 0; o < (old ? 2 : 1); o++) {
				struct tls_probe *p = &rn->probes[rn->n_probes];
				*p = (struct tls_probe){ .scheme = rn->eps[i].scheme,
							 .host = rn->eps[i].host,
							 .port = rn->eps[i].port,
							 .address = na->addrs.v[a],
							 .old_only = o == 1 };
				rn->probe_ep[rn->n_probes++] = i;
			}
	}
	return 0;
}

/* The certificate file at path, read once per run. */
static struct tls_disk_cert *disk_cert(struct run *rn, const char *path)
{
	struct tls_disk_cert *c = hu_strmap_get(&rn->files, path);
	struct hu_err err = HU_ERR_INIT;

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path)) || hu_strmap_put(&rn->files, path, c) < 0) {
		if (c)
			free(c->path);
		free(c);
		return NULL;
	}
	if (tls_read_chain(rn->ctx->host, path, &c->chain, &err) < 0)
		snprintf(c->error, sizeof(c->error), "%s", hu_err_msg(&err));
	else
		tls_cert_inspect(sk_X509_value(c->chain, 0), rn->ctx->now, &rn->st->conf.thresholds,
				 &c->leaf);
	hu_err_clear(&err);
	return c;
}

/* Disk findings for certificate files and their keys (paired in order). */
static int judge_files(struct run *rn, const struct tls_judge *j, const struct hu_strv *certs,
		       const struct hu_strv *keys, struct hu_findings *out)
{
	struct tls_disk_cert **cs = calloc(certs->n ? certs->n : 1, sizeof(*cs));
	int r = cs ? 0 : -ENOMEM;

	for (size_t i = 0; r >= 0 && i < certs->n; i++) {
		cs[i] = disk_cert(rn, certs->v[i]);
		r = cs[i] ? tls_judge_disk(j, cs[i], out) : -ENOMEM;
	}
	for (size_t k = 0; r >= 0 && rn->st->conf.check_keys && k < keys->n && certs->n; k++) {
		/* nginx and Apache pair them in order; otherwise any certificate will do. */
		const struct tls_disk_cert *pair = NULL;
		if (keys->n == certs->n) {
			pair = cs[k];
		} else {
			for (size_t i = 0; i < certs->n && !pair; i++)
				if (cs[i]->chain &&
				    tls_key_matches(rn->ctx->host, keys->v[k],
						    sk_X509_value(cs[i]->chain, 0), NULL) == 1)
					pair = cs[i];
			if (!pair)
				pair = cs[0];
		}
		r = tls_judge_key(rn->ctx->host, pair, keys->v[k], out);
	}
	free(cs);
	return r;
}

static void target_of(struct tls_target *t, const struct endpoint *ep, const char *address)
{
	*t = (struct tls_target){ ep->scheme, ep->host, address, ep->port, "" };
	if (address)
		snprintf(t->name, sizeof(t->name), "%s:%u@%s", ep->host, ep->port, address);
	else
		snprintf(t->name, sizeof(t->name), "%s:%u", ep->host, ep->port);
}

/* Findings of every endpoint into its site's list (or the server's). */
static int judge_endpoints(struct run *rn, const struct tls_judge *j, struct hu_findings *server)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < rn->n_eps; i++) {
		const struct endpoint *ep = &rn->eps[i];
		struct hu_findings *out =
		    ep->site < 0 ? server
				 : site_findings_at(&rn->st->site_findings, (size_t)ep->site);
		struct name_addrs *na = hu_strmap_get(&rn->names, ep->host);
		struct tls_target t;

		if (na->status < 0 || na->addrs.n == 0) {
			target_of(&t, ep, NULL);
			r = tls_judge_unresolved(&t, na->status < 0 ? na->status : -ENODATA,
						 na->why[0] ? na->why : NULL, out);
			continue;
		}
		/* The site's certificate files, to compare with what is served. */
		struct tls_disk_cert *disk[16];
		size_t n_disk = 0;
		if (ep->site >= 0) {
			const struct hu_site *s = rn->ctx->sites->v[ep->site];
			for (size_t f = 0; f < s->cert_files.n && n_disk < 16; f++)
				if ((disk[n_disk] = disk_cert(rn, s->cert_files.v[f])))
					n_disk++;
		}
		for (size_t p = 0; r >= 0 && p < rn->n_probes; p++) {
			const struct tls_probe *pr = &rn->probes[p];
			if (rn->probe_ep[p] != i || pr->old_only)
				continue;
			const struct tls_probe *old =
			    p + 1 < rn->n_probes && rn->probes[p + 1].old_only ? &rn->probes[p + 1]
									       : NULL;
			target_of(&t, ep, pr->address);
			r = tls_judge_handshake(j, &t, pr, old, disk, n_disk, out);
		}
	}
	return r;
}

static int judge_sites_on_disk(struct run *rn, const struct tls_judge *j)
{
	const struct hu_sites *sites = rn->ctx->sites;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < sites->n; i++) {
		const struct hu_site *s = sites->v[i];
		r = judge_files(rn, j, &s->cert_files, &s->key_files,
				site_findings_at(&rn->st->site_findings, i));
		if (r < 0 || s->n_https || s->cert_files.n ||
		    hu_strv_contains(&rn->st->conf.ignore_sites, s->name))
			continue;
		r = hu_findings_add(site_findings_at(&rn->st->site_findings, i), HU_WARNING,
				    "tls.no_https", s->name, json_pack("{s:s}", "site", s->name),
				    "no HTTPS endpoint is known for %s: the web server has no TLS "
				    "listener for its names and no https:// URL is configured",
				    s->name);
		if (r == -E2BIG)
			r = 0;
	}
	return r;
}

static int judge_server_files(struct run *rn, const struct tls_judge *j, struct hu_findings *out)
{
	struct hu_strv certs = HU_STRV_INIT, keys = HU_STRV_INIT, none = HU_STRV_INIT;
	int r = tls_mail_config_files(rn->ctx->host, rn->st->conf.postfix_main_cf,
				      rn->st->conf.dovecot_conf, &certs, &keys, out);

	if (r >= 0)
		r = judge_files(rn, j, &certs, &keys, out);
	if (r >= 0)
		r = judge_files(rn, j, &rn->st->conf.cert_files, &none, out);
	hu_strv_clear(&certs);
	hu_strv_clear(&keys);
	return r;
}

static void run_clear(struct run *rn)
{
	for (size_t i = 0; i < rn->n_probes; i++)
		tls_probe_clear(&rn->probes[i]);
	free(rn->probes);
	free(rn->probe_ep);
	free(rn->eps);
	hu_strmap_clear(&rn->names, name_addrs_free);
	hu_strmap_clear(&rn->files, disk_cert_free);
	X509_STORE_free(rn->store);
}

/*
 * The files on disk are read and judged by a second thread while the
 * handshakes wait on the network: the two share no data and the host
 * interface is used by the worker alone until it is joined.
 */
struct disk_job {
	struct run *rn;
	const struct tls_judge *j;
	struct hu_findings server;
	pthread_t thread;
	int r;
};

static void *disk_worker(void *arg)
{
	struct disk_job *job = arg;
	const struct hu_sites *sites = job->rn->ctx->sites;

	job->r = judge_sites_on_disk(job->rn, job->j);
	/* Read every site's certificate files now: handshakes are compared with them. */
	for (size_t i = 0; job->r >= 0 && i < sites->n; i++)
		for (size_t f = 0; f < sites->v[i]->cert_files.n; f++)
			if (!disk_cert(job->rn, sites->v[i]->cert_files.v[f]))
				job->r = -ENOMEM;
	if (job->r >= 0)
		job->r = judge_server_files(job->rn, job->j, &job->server);
	return NULL;
}

static int tls_run_server(void *data, const struct hu_check_ctx *ctx, struct hu_result *out,
			  struct hu_err *err)
{
	struct tls_state *st = data;
	struct run rn = { .st = st, .ctx = ctx, .names = HU_STRMAP_INIT, .files = HU_STRMAP_INIT };
	struct tls_judge j = { &st->conf, NULL, ctx->now, ctx->local_addrs };
	struct disk_job job = { .rn = &rn, .j = &j, .server = HU_FINDINGS_INIT };
	bool worker = false;
	int64_t start = hu_mono_ms();
	int r;

	r = site_findings_reset(&st->site_findings, ctx->sites);
	if (r < 0)
		return r;
	r = tls_store_new(st->conf.ca_file, &rn.store, err);
	if (r < 0)
		goto out;
	j.store = rn.store;
	r = collect_endpoints(&rn);
	if (r >= 0)
		r = plan_probes(&rn);
	if (r < 0)
		goto out;
	r = -pthread_create(&job.thread, NULL, disk_worker, &job);
	if (r < 0) {
		disk_worker(&job); /* no thread: do it here, first */
		r = 0;
	} else {
		worker = true;
	}
	r = tls_probe_run(rn.probes, rn.n_probes, &st->conf.probe, err);
	if (worker)
		pthread_join(job.thread, NULL);
	worker = false;
	if (r >= 0)
		r = job.r;
	if (r >= 0)
		r = judge_endpoints(&rn, &j, &out->findings);
	if (r >= 0)
		r = hu_findings_move(&out->findings, &job.server);
	if (r >= 0)
		json_object_set_new(out->data, "tls",
				    json_pack("{s:i, s:i, s:i, s:i}", "endpoints",
					      (json_int_t)rn.n_eps, "handshakes",
					      (json_int_t)rn.n_probes, "concurrency",
					      (json_int_t)st->conf.probe.concurrency, "elapsed_ms",
					      (json_int_t)(hu_mono_ms() - start)));
out:
	if (worker)
		pthread_join(job.thread, NULL);
	hu_findings_clear(&job.server);
	run_clear(&rn);
	return r;
}

static int tls_run_site(void *data, const struct hu_check_ctx *ctx, const struct hu_site *site,
			struct hu_result *out, struct hu_err *err)
{
	struct tls_state *st = data;

	(void)ctx;
	return site_findings_take(&st->site_findings, "tls", site, &out->findings, err);
}

const struct hu_check_ops hu_check_tls = {
	.name = "tls",
	.summary = "TLS certificates served (HTTPS, mail, every address) and kept on disk",
	.init = tls_init,
	.free = tls_free,
	.run_server = tls_run_server,
	.run_site = tls_run_site,
};
