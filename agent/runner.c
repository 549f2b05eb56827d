/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/stat.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "huolto/buf.h"
#include "huolto/config.h"
#include "huolto/log.h"
#include "huolto/resolver.h"
#include "progress.h"
#include "runner.h"

#define OS_RELEASE_MAX 65536

struct active_check {
	const struct hu_check_ops *ops;
	void *state;
};

static bool selected(const struct run_opts *o, const char *name)
{
	return o->only.n == 0 || hu_strv_contains(&o->only, name);
}

static int init_checks(const struct agent_conf *conf, const struct run_opts *o,
		       struct active_check **ret, size_t *ret_n, struct hu_err *err)
{
	size_t n = 0, cap = 0;
	struct active_check *v = NULL;
	int r = 0;

	for (size_t i = 0; i < o->only.n; i++)
		if (!hu_check_find(o->only.v[i])) {
			struct hu_buf names = HU_BUF_INIT(0);
			for (const struct hu_check_ops *const *c = hu_checks; *c; c++)
				hu_buf_printf(&names, "%s%s", c == hu_checks ? "" : ", ",
					      (*c)->name);
			r = hu_err_set(err, -EINVAL, "--only: no check named \"%s\" (checks: %s)",
				       o->only.v[i], names.data ? names.data : "none");
			hu_buf_clear(&names);
			return r;
		}
	for (const struct hu_check_ops *const *c = hu_checks; *c; c++)
		cap++;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (const struct hu_check_ops *const *c = hu_checks; *c; c++) {
		/* Every check validates its section, selected or not: errors show early. */
		void *state = NULL;
		r = (*c)->init(agent_conf_section(conf, (*c)->name), &state, err);
		if (r < 0)
			break;
		if (!selected(o, (*c)->name)) {
			(*c)->free(state);
			continue;
		}
		v[n++] = (struct active_check){ *c, state };
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			v[i].ops->free(v[i].state);
		free(v);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* PRETTY_NAME from os-release, unquoted; NULL when absent. */
static char *os_name(struct hu_host *h)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	char *result = NULL;

	for (size_t i = 0; i < 2 && !result; i++) {
		struct hu_file f = { 0 };
		if (hu_host_read_file(h, paths[i], OS_RELEASE_MAX, &f, NULL) < 0)
			continue;
		for (char *line = f.data, *next; line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (strncmp(line, "PRETTY_NAME=", 12) != 0)
				continue;
			char *v = line + 12;
			size_t n = strlen(v);
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
				v++;
				n -= 2;
			}
			result = strndup(v, n);
			break;
		}
		hu_file_clear(&f);
	}
	return result;
}

/* The addresses of this machine's interfaces (the agent runs on the checked host). */
static int local_addresses(struct hu_strv *ret)
{
	struct ifaddrs *ifs = NULL;

	if (getifaddrs(&ifs) < 0)
		return -errno;
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *a;
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			a = &((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr;
		else if (i->ifa_addr->sa_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(i->ifa_addr->sa_family, a, buf, sizeof(buf)) &&
		    hu_strv_push_unique(ret, buf) < 0) {
			freeifaddrs(ifs);
			return -ENOMEM;
		}
	}
	freeifaddrs(ifs);
	return 0;
}

/* Not loopback, private, link-local, shared (CGNAT) or documentation space. */
static bool global_address(const char *text)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, text, a) == 1)
		return !(a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
			 (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
			 (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224 ||
			 (a[0] == 192 && a[1] == 0 && a[2] == 2) ||
			 (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
			 (a[0] == 203 && a[1] == 0 && a[2] == 113));
	if (inet_pton(AF_INET6, text, a) != 1)
		return false;
	return (a[0] & 0xe0) == 0x20 && /* 2000::/3 global unicast */
	       !(a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8);
}

/* The machine's name, as its kernel knows it; NULL when it cannot be read. */
static char *host_name(struct hu_host *h)
{
	struct hu_file f = { 0 };
	char *name = NULL;

	if (hu_host_read_file(h, "/proc/sys/kernel/hostname", 256, &f, NULL) < 0)
		return NULL;
	size_t n = strcspn(f.data, "\n");
	if (n > 0 && !f.truncated)
		name = strndup(f.data, n);
	hu_file_clear(&f);
	return name;
}

static void check_failed(struct hu_findings *f, const char *check, const char *target, int code,
			 const struct hu_err *e)
{
	char buf[128];

	hu_findings_add(f, HU_UNKNOWN, "check.failed", target,
			json_pack("{s:s, s:s}", "check", check, "error", hu_err_msg(e)),
			"the %s check failed: %s (%s)", check, hu_err_msg(e),
			hu_strerror(code, buf, sizeof(buf)));
}

/* One check over every site, on a pool of threads when the check allows it. */
struct site_pool {
	const struct active_check *check;
	const struct hu_check_ctx *ctx;
	struct hu_report *rep;
	struct progress *prog;
	pthread_mutex_t lock; /* next, done and prog */
	size_t next;          /* the next site to take */
	size_t done;
};

static void run_site(struct site_pool *p, size_t s)
{
	const struct hu_check_ops *ops = p->check->ops;
	const struct hu_site *site = p->rep->sites.v[s];
	struct hu_result *out = &p->rep->site_results[s];
	struct hu_err cerr = HU_ERR_INIT;
	int cr = ops->run_site(p->check->state, p->ctx, site, out, &cerr);

	if (cr < 0)
		check_failed(&out->findings, ops->name, site->name, cr, &cerr);
	hu_err_clear(&cerr);
}

static void *site_worker(void *arg)
{
	struct site_pool *p = arg;
	size_t n = p->rep->sites.n;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t s = p->next < n ? p->next++ : n;
		if (s < n)
			progress_update(p->prog, "%s: %s (%zu/%zu)", p->check->ops->name,
					p->rep->sites.v[s]->name, p->done + 1, n);
		pthread_mutex_unlock(&p->lock);
		if (s == n)
			return NULL;
		run_site(p, s);
		pthread_mutex_lock(&p->lock);
		p->done++;
		pthread_mutex_unlock(&p->lock);
	}
}

/*
 * Run check on every site: on up to workers threads (this one among them)
 * when it runs sites at once, else one site after another. Each site's
 * findings go to its own result, so the document is the same either way.
 */
static void run_sites(const struct active_check *check, const struct hu_check_ctx *ctx,
		      struct hu_report *rep, struct progress *prog, unsigned workers)
{
	struct site_pool p = { .check = check, .ctx = ctx, .rep = rep, .prog = prog };
	pthread_t tid[AGENT_MAX_WORKERS];
	size_t started = 0, want = 1;

	if (check->ops->concurrent_sites && rep->sites.n > 1)
		want = workers < rep->sites.n ? workers : rep->sites.n;
	if (want > sizeof(tid) / sizeof(*tid))
		want = sizeof(tid) / sizeof(*tid);
	pthread_mutex_init(&p.lock, NULL);
	/* A thread that cannot be started leaves its share to the others. */
	while (started + 1 < want && pthread_create(&tid[started], NULL, site_worker, &p) == 0)
		started++;
	site_worker(&p);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

/* Keep only the site named (any of its names) o->site. */
static int select_site(struct hu_sites *sites, const char *name, struct hu_err *err)
{
	struct hu_site *keep = hu_sites_find(sites, name);

	if (!keep)
		keep = hu_sites_find_by_any_name(sites, name);
	if (!keep)
		return hu_err_set(err, -EINVAL,
				  "--site: no site named \"%s\" (huolto-agent discover lists them)",
				  name);
	for (size_t i = 0; i < sites->n; i++)
		if (sites->v[i] != keep)
			hu_site_free(sites->v[i]);
	sites->v[0] = keep;
	sites->n = 1;
	return 0;
}

/*
 * The state directory, made (0700) when missing; NULL when it cannot be
 * had, which turns off what needs it (with a warning), not the run.
 */
static const char *state_dir(const char *dir)
{
	struct stat st;

	if (!dir)
		return NULL;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		char buf[128];
		hu_log_warning("state directory %s: %s; nothing is kept between runs", dir,
			       hu_strerror(errno, buf, sizeof(buf)));
		return NULL;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		hu_log_warning(
		    "state directory %s is not a directory; nothing is kept between runs", dir);
		return NULL;
	}
	return dir;
}

int agent_run(const struct agent_conf *conf, struct hu_host *host, const struct run_opts *o,
	      struct hu_report *ret, struct hu_err *err)
{
	struct active_check *checks = NULL;
	struct hu_findings problems = HU_FINDINGS_INIT;
	struct hu_sites sites = HU_SITES_INIT;
	struct hu_resolver *resolver = NULL;
	struct hu_strv local_addrs = HU_STRV_INIT, outbound = HU_STRV_INIT;
	struct hu_report rep = { 0 };
	struct progress prog;
	size_t n_checks = 0;
	int r;

	progress_init(&prog, o->progress);
	r = init_checks(conf, o, &checks, &n_checks, err);
	if (r < 0)
		return r;
	progress_update(&prog, "discovering sites");
	r = discover_all(host, conf, &sites, &problems);
	if (r < 0) {
		hu_err_set(err, r, "site discovery failed");
		goto out;
	}
	if (o->site) {
		r = select_site(&sites, o->site, err);
		if (r < 0)
			goto out;
	}
	r = hu_resolver_new(&conf->resolver, &resolver, err);
	if (r < 0)
		goto out;
	r = hu_report_init(&rep, conf->agent_name, HUOLTO_VERSION, o->now, &sites, err);
	if (r < 0)
		goto out;
	rep.evaluated_at = o->at;
	rep.hostname = host_name(host);
	rep.os = os_name(host);
	/* Server-wide findings belong to no one site: left out with --site. */
	if (!o->site)
		hu_findings_move(&rep.server.findings, &problems);

	if (o->local_addrs)
		r = hu_strv_merge(&local_addrs, o->local_addrs);
	else if (local_addresses(&local_addrs) < 0)
		hu_log_warning("cannot list this machine's addresses");
	if (r < 0)
		goto out;
	r = hu_strv_merge(&outbound, &conf->mail_outbound);
	for (size_t i = 0; r >= 0 && !conf->mail_outbound_set && i < local_addrs.n; i++)
		if (global_address(local_addrs.v[i]))
			r = hu_strv_push(&outbound, local_addrs.v[i]);
	if (r < 0)
		goto out;
	struct hu_check_ctx ctx = { .host = host,
				    .resolver = resolver,
				    .now = o->at,
				    .sites = &rep.sites,
				    .local_addrs = &local_addrs,
				    .outbound_addrs = &outbound,
				    .hostname = rep.hostname,
				    .state_dir = state_dir(conf->state_dir) };
	for (size_t i = 0; i < n_checks; i++) {
		const struct hu_check_ops *ops = checks[i].ops;
		struct hu_err cerr = HU_ERR_INIT;
		struct hu_result server;

		r = hu_strv_push(&rep.checks, ops->name);
		if (r < 0 || (r = hu_result_init(&server)) < 0)
			goto out;
		if (ops->run_server) {
			progress_update(&prog, "%s: server", ops->name);
			int cr = ops->run_server(checks[i].state, &ctx, &server, &cerr);
			if (cr < 0)
				check_failed(&server.findings, ops->name, NULL, cr, &cerr);
			hu_err_clear(&cerr);
		}
		if (o->site)
			hu_findings_clear(&server.findings);
		json_object_update(rep.server.data, server.data);
		r = hu_findings_move(&rep.server.findings, &server.findings);
		hu_result_clear(&server);
		if (r < 0)
			goto out;
		if (ops->run_site)
			run_sites(&checks[i], &ctx, &rep, &prog, conf->workers);
	}
	hu_findings_sort(&rep.server.findings);
	for (size_t s = 0; s < rep.sites.n; s++)
		hu_findings_sort(&rep.site_results[s].findings);
	*ret = rep;
	rep = (struct hu_report){ 0 };
	r = 0;
out:
	progress_done(&prog);
	hu_report_clear(&rep);
	hu_resolver_free(resolver);
	hu_strv_clear(&local_addrs);
	hu_strv_clear(&outbound);
	hu_sites_clear(&sites);
	hu_findings_clear(&problems);
	for (size_t i = 0; i < n_checks; i++)
		checks[i].ops->free(checks[i].state);
	free(checks);
	return r;
}
