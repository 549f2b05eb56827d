/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "huolto/clock.h"
#include "huolto/config.h"
#include "huolto/log.h"
#include "huolto/report.h"
#include "ingest.h"
#include "pull.h"
#include "runner.h"

#define PULL_MAX_ADDRS 8

const char *pull_fail_code(enum pull_fail f)
{
	switch (f) {
	case PULL_FAIL_UNREACHABLE:
		return "pull.unreachable";
	case PULL_FAIL_TIMEOUT:
		return "pull.timeout";
	case PULL_FAIL_HOST_KEY:
		return "pull.host_key";
	case PULL_FAIL_AUTH:
		return "pull.auth_failed";
	case PULL_FAIL_SSH:
		return "pull.failed";
	default:
		return "pull.ok";
	}
}

struct addrs {
	struct hu_addr v[PULL_MAX_ADDRS];
	size_t n;
	int status;
	char why[160];
};

static void on_addrs(void *arg, int status, const struct hu_addrs *a, const char *errmsg)
{
	struct addrs *out = arg;

	out->status = status;
	if (status != 0 || !a) {
		snprintf(out->why, sizeof(out->why), "%s%s%s", hu_resolver_status_name(status),
			 errmsg ? ": " : "", errmsg ? errmsg : "");
		return;
	}
	for (size_t i = 0; i < a->n && out->n < PULL_MAX_ADDRS; i++)
		out->v[out->n++] = a->v[i];
}

/* The SSH host's addresses (numeric, resolver.static, or DNS within the timeout). */
static int resolve(const struct pull_host *h, struct addrs *out, struct hu_err *err)
{
	struct hu_addr *a = &out->v[0];
	struct hu_resolver *res = NULL;
	int r;

	if (inet_pton(AF_INET, h->host, &a->u.v4) == 1 ||
	    inet_pton(AF_INET6, h->host, &a->u.v6) == 1) {
		a->family = strchr(h->host, ':') ? AF_INET6 : AF_INET;
		snprintf(a->text, sizeof(a->text), "%s", h->host);
		out->n = 1;
		return 0;
	}
	r = hu_resolver_new(&h->agent.resolver, &res, err);
	if (r >= 0)
		r = hu_resolver_addrs(res, h->host, on_addrs, out);
	if (r >= 0)
		r = hu_resolver_wait(res, (int)h->timeout_ms);
	hu_resolver_free(res);
	if (r >= 0 && out->n == 0)
		r = hu_err_set(err, -EHOSTUNREACH, "%s: cannot resolve: %s", h->host,
			       out->why[0] ? out->why : "no address");
	return r;
}

/* A document for the configured sites, each with the failure as its finding. */
static json_t *failure_doc(const struct pull_host *h, enum pull_fail f, const char *msg, time_t now,
			   struct hu_err *err)
{
	struct hu_sites sites = HU_SITES_INIT;
	struct hu_report rep = { 0 };
	json_t *doc = NULL;
	char target[300];
	int r = 0;

	snprintf(target, sizeof(target), "%s@%s:%u", h->user, h->host, h->port);
	for (size_t i = 0; r >= 0 && i < h->agent.sites.n; i++) {
		const struct hu_site *c = h->agent.sites.v[i];
		struct hu_site *s = hu_site_new(c->name);
		if (!s || (c->docroot && !(s->docroot = strdup(c->docroot)))) {
			hu_site_free(s);
			r = -ENOMEM;
			break;
		}
		r = hu_sites_push(&sites, s);
	}
	if (r >= 0)
		r = hu_report_init(&rep, h->name, HUOLTO_VERSION, now, &sites, err);
	for (size_t i = 0; r >= 0 && i < rep.sites.n; i++)
		r = hu_findings_add(&rep.site_results[i].findings, HU_CRITICAL, pull_fail_code(f),
				    target, json_pack("{s:s}", "error", msg), "%s", msg);
	if (r >= 0)
		doc = hu_report_to_json(&rep);
	hu_report_clear(&rep);
	hu_sites_clear(&sites);
	return doc;
}

/* Check the host over a sound connection: the document, or NULL with *fail set. */
static json_t *checked_doc(const struct pull_host *h, struct ssh_conn *c, const struct addrs *ad,
			   time_t now, struct pull_outcome *o, struct hu_err *err)
{
	struct hu_strv local = HU_STRV_INIT;
	struct hu_host *host = NULL;
	struct hu_report rep = { 0 };
	struct run_opts opts = { .now = now, .at = now, .local_addrs = &local };
	json_t *doc = NULL;
	const char *why = NULL;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < ad->n; i++)
		r = hu_strv_push_unique(&local, ad->v[i].text);
	if (r >= 0)
		r = ssh_host_new(c, &host);
	if (r >= 0)
		r = agent_run(&h->agent, host, &opts, &rep, err);
	if (r >= 0 && ssh_broken(c, &why)) {
		/* Lost or stalled mid-run: what it found is partial; say so instead. */
		o->fail = ssh_broken(c, NULL);
		snprintf(o->message, sizeof(o->message), "%s", why);
	} else if (r >= 0) {
		doc = hu_report_to_json(&rep);
	} else {
		o->fail = PULL_FAIL_SSH;
		snprintf(o->message, sizeof(o->message), "%s", hu_err_msg(err));
	}
	hu_report_clear(&rep);
	hu_host_free(host);
	hu_strv_clear(&local);
	return doc;
}

static void store_doc(const struct pull_env *env, const struct pull_host *h, json_t *doc,
		      time_t now, struct pull_outcome *o)
{
	struct hu_err err = HU_ERR_INIT;
	struct ingest_result res = { 0 };
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	int r = text ? ingest(env->store, env->schema, env->alerts, env->catalog, text,
			      strlen(text), h->name, now, &res, &err)
		     : -ENOMEM;

	if (r < 0) {
		char buf[128];
		o->store_error = r;
		snprintf(o->message, sizeof(o->message), "storing the document: %s",
			 hu_err_text(&err, r, buf, sizeof(buf)));
	} else {
		snprintf(o->id, sizeof(o->id), "%s", res.id);
	}
	free(text);
	hu_err_clear(&err);
}

/*
 * The directory holding a host's state_dir (pull_options.state_dir), made
 * when missing: the run makes state_dir itself, and goes on without it
 * when it cannot (with a warning).
 */
static void make_state_root(const char *state_dir)
{
	char *parent = strdup(state_dir);
	char *slash = parent ? strrchr(parent, '/') : NULL;

	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0700) < 0 && errno != EEXIST) {
			char buf[128];
			hu_log_warning("pull: cannot make %s: %s", parent,
				       hu_strerror(errno, buf, sizeof(buf)));
		}
	}
	free(parent);
}

static void pull_one(const struct pull_env *env, const struct pull_host *h, struct pull_outcome *o)
{
	struct hu_err err = HU_ERR_INIT;
	struct ssh_conn *c = NULL;
	struct addrs ad = { .n = 0 };
	time_t now = time(NULL);
	int64_t start = hu_mono_ms();
	json_t *doc = NULL;
	int r;

	*o = (struct pull_outcome){ .host = h };
	r = resolve(h, &ad, &err);
	if (r < 0) {
		o->fail = PULL_FAIL_UNREACHABLE;
		snprintf(o->message, sizeof(o->message), "%s", hu_err_msg(&err));
	}
	/* Each address in turn until one answers (a refusal of key or host key ends it). */
	for (size_t i = 0; r >= 0 && i < ad.n; i++) {
		hu_err_clear(&err);
		r = ssh_open(h, &ad.v[i], &c, &o->fail, &err);
		if (r >= 0)
			break;
		snprintf(o->message, sizeof(o->message), "%s", hu_err_msg(&err));
		if (o->fail != PULL_FAIL_UNREACHABLE || i + 1 == ad.n)
			break;
		r = 0;
	}
	hu_err_clear(&err);
	if (c) {
		make_state_root(h->agent.state_dir);
		doc = checked_doc(h, c, &ad, now, o, &err);
	}
	ssh_close(c);
	if (!doc)
		doc = failure_doc(h, o->fail ? o->fail : PULL_FAIL_SSH, o->message, now, &err);
	store_doc(env, h, doc, now, o);
	json_decref(doc);
	hu_err_clear(&err);
	o->seconds = (double)(hu_mono_ms() - start) / 1000.0;
	if (o->fail)
		hu_log_warning("pull %s: %s: %s", h->name, pull_fail_code(o->fail), o->message);
	else
		hu_log_info("pull %s: checked in %.1f s, document %s", h->name, o->seconds,
			    o->id[0] ? o->id : "(not stored)");
}

struct pool {
	const struct pull_env *env;
	const struct pull_host *const *hosts;
	struct pull_outcome *outs;
	size_t n, next;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->lock);
		if (i == p->n)
			return NULL;
		pull_one(p->env, p->hosts[i], &p->outs[i]);
	}
}

void pull_hosts(const struct pull_env *env, const struct pull_host *const *hosts, size_t n,
		unsigned concurrency, struct pull_outcome *outs)
{
	struct pool p = { .env = env, .hosts = hosts, .outs = outs, .n = n };
	size_t want = concurrency < n ? concurrency : n, started = 0;
	pthread_t *tid = calloc(want ? want : 1, sizeof(*tid));

	pthread_mutex_init(&p.lock, NULL);
	/* A thread that cannot be started leaves its share to the others. */
	while (tid && started + 1 < want && pthread_create(&tid[started], NULL, worker, &p) == 0)
		started++;
	worker(&p);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p.lock);
	free(tid);
}
