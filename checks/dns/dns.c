/* SPDX-License-Identifier: MIT */
/*
 * The dns check: SPF, DMARC and MX of every site's mail domain (each domain
 * once), all at once: every lint runs against one DNS view, the answers it
 * lacks are fetched together through the resolver, following what each
 * answer leads to as it arrives (include targets, MX exchanges, report
 * authorizations), and the lints run again until they have what they need:
 * usually two or three rounds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../checks.h"
#include "../site_findings.h"
#include "dnslint.h"
#include "spf.h"
#include "huolto/strmap.h"
#include "huolto/clock.h"

#define MAX_ROUNDS       40
#define N_LINTS          3 /* SPF, DMARC, MX */
#define ROUND_TIMEOUT_MS 30000

struct domain {
	char *name;
	struct hu_findings findings;
	struct hu_findings part[N_LINTS]; /* each lint's, until all are done */
	bool lint_done[N_LINTS];
	size_t *sites; /* indexes of the sites whose mail domain this is */
	size_t n_sites;
	bool server; /* listed in dns.domains: reported for the server */
	bool done;
};

struct dns_state {
	struct hu_strv domains; /* configured, checked for the server */
	struct hu_strv ignore_sites;
	int64_t round_timeout_ms;
	struct site_findings site_findings; /* filled by run_server */
};

static void dns_free(void *data)
{
	struct dns_state *st = data;

	if (!st)
		return;
	site_findings_clear(&st->site_findings);
	hu_strv_clear(&st->domains);
	hu_strv_clear(&st->ignore_sites);
	free(st);
}

static int dns_init(const struct hu_conf_node *conf, void **ret_state, struct hu_err *err)
{
	static const char *const keys[] = { "domains", "ignore_sites", "round_timeout", NULL };
	struct dns_state *st = calloc(1, sizeof(*st));
	int r = 0;

	if (!st)
		return -ENOMEM;
	st->round_timeout_ms = ROUND_TIMEOUT_MS;
	if (conf && !hu_conf_is_null(conf)) {
		r = hu_conf_expect_mapping(conf, "the dns section", err);
		if (r >= 0)
			r = hu_conf_check_keys(conf, keys, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "domains", &st->domains, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "ignore_sites", &st->ignore_sites, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(conf, "round_timeout", 100, 300000,
						    &st->round_timeout_ms, err);
	}
	if (r < 0) {
		dns_free(st);
		return r;
	}
	*ret_state = st;
	return 0;
}

static void domain_free(void *p)
{
	struct domain *d = p;

	free(d->name);
	hu_findings_clear(&d->findings);
	for (int k = 0; k < N_LINTS; k++)
		hu_findings_clear(&d->part[k]);
	free(d->sites);
	free(d);
}

/* The mail domain of a site: configured, else its name without "www.". */
static const char *mail_domain(const struct hu_site *s)
{
	if (s->mail_domain)
		return s->mail_domain;
	return strncasecmp(s->name, "www.", 4) ? s->name : s->name + 4;
}

static int add_domain(struct hu_strmap *map, struct domain ***list, size_t *n, const char *name,
		      long site)
{
	char key[256];
	size_t l = strlen(name);

	if (l && name[l - 1] == '.')
		l--;
	if (l == 0 || l >= sizeof(key))
		return 0;
	for (size_t i = 0; i < l; i++)
		key[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] - 'A' + 'a' : name[i]);
	key[l] = '\0';
	struct domain *d = hu_strmap_get(map, key);
	if (!d) {
		struct domain **v = realloc(*list, (*n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		*list = v;
		d = calloc(1, sizeof(*d));
		if (!d || !(d->name = strdup(key)) || hu_strmap_put(map, key, d) < 0) {
			if (d)
				free(d->name);
			free(d);
			return -ENOMEM;
		}
		(*list)[(*n)++] = d;
	}
	if (site < 0)
		d->server = true;
	else {
		size_t *s = realloc(d->sites, (d->n_sites + 1) * sizeof(*s));
		if (!s)
			return -ENOMEM;
		d->sites = s;
		d->sites[d->n_sites++] = (size_t)site;
	}
	return 0;
}

static int copy_findings(struct hu_findings *dst, const struct hu_findings *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct hu_finding *f = &src->v[i];
		int r = hu_findings_add(dst, f->status, f->code, f->target,
					json_deep_copy(f->facts), "%s", f->message);
		if (r < 0 && r != -E2BIG)
			return r;
	}
	return 0;
}

static int (*const lints[N_LINTS])(const struct dns_lint_ctx *, const char *,
				   struct hu_findings *) = { spf_lint, dmarc_lint, mx_lint };

/*
 * One pass over a domain: each lint not finished yet runs (all of them, so
 * that one round fetches what every lint needs); one that lacks answers
 * drops what it found and runs again next round. 0 when all are done (the
 * findings joined in d->findings), -EAGAIN to come back.
 */
static int lint_domain(const struct dns_lint_ctx *c, struct domain *d)
{
	bool waiting = false;

	for (int k = 0; k < N_LINTS; k++) {
		if (d->lint_done[k])
			continue;
		int r = lints[k](c, d->name, &d->part[k]);
		if (r == -EAGAIN) {
			hu_findings_clear(&d->part[k]);
			waiting = true;
		} else if (r < 0) {
			return r;
		} else {
			d->lint_done[k] = true;
		}
	}
	if (waiting)
		return -EAGAIN;
	for (int k = 0; k < N_LINTS; k++) {
		int r = hu_findings_move(&d->findings, &d->part[k]);
		if (r < 0)
			return r;
	}
	d->done = true;
	return 0;
}

/* What answers lead to, asked for as they arrive (arg: the lint context). */
static void follow(void *arg, struct dnsview *v, enum dv_type t, const char *name,
		   const struct dv_answer *a, unsigned depth)
{
	const struct dns_lint_ctx *c = arg;

	spf_follow(NULL, v, t, name, a, depth);
	if (t == DV_TXT)
		dmarc_follow(c->psl, v, name, a, depth);
}

struct lint_round {
	const struct dns_lint_ctx *c;
	struct domain **domains;
	size_t n;
};

/* One round: lint every domain not done yet; -EAGAIN while some wait for answers. */
static int lint_round(void *arg)
{
	struct lint_round *lr = arg;
	size_t left = 0;

	for (size_t i = 0; i < lr->n; i++) {
		if (lr->domains[i]->done)
			continue;
		int r = lint_domain(lr->c, lr->domains[i]);
		if (r == -EAGAIN)
			left++;
		else if (r < 0)
			return r;
	}
	return left ? -EAGAIN : 0;
}

static int dns_run_server(void *data, const struct hu_check_ctx *ctx, struct hu_result *out,
			  struct hu_err *err)
{
	struct dns_state *st = data;
	struct hu_strmap map = HU_STRMAP_INIT;
	struct domain **domains = NULL;
	struct dnsview *dv = NULL;
	psl_ctx_t *psl = psl_latest(NULL);
	size_t n = 0;
	unsigned rounds = 0;
	int64_t start = hu_mono_ms();
	int r;

	r = site_findings_reset(&st->site_findings, ctx->sites);
	if (r >= 0)
		r = dv_new(NULL, &dv);
	for (size_t i = 0; r >= 0 && i < ctx->sites->n; i++)
		if (!hu_strv_contains(&st->ignore_sites, ctx->sites->v[i]->name))
			r = add_domain(&map, &domains, &n, mail_domain(ctx->sites->v[i]), (long)i);
	for (size_t i = 0; r >= 0 && i < st->domains.n; i++)
		r = add_domain(&map, &domains, &n, st->domains.v[i], -1);
	if (r < 0)
		goto out;
	struct dns_lint_ctx c = { .dv = dv,
				  .psl = psl ? psl : psl_builtin(),
				  .outbound = ctx->outbound_addrs,
				  .helo = ctx->hostname ? ctx->hostname : "localhost",
				  .now = ctx->now };
	dv_set_follow(dv, follow, &c);
	struct lint_round lr = { .c = &c, .domains = domains, .n = n };
	r = dv_run(dv, ctx->resolver, (int)st->round_timeout_ms, MAX_ROUNDS, lint_round, &lr,
		   &rounds);
	if (r < 0 && r != -EAGAIN) {
		hu_err_set(err, r, "the DNS lookups failed");
		goto out;
	}
	r = 0;
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct domain *d = domains[i];
		if (!d->done)
			r = hu_findings_add(&d->findings, HU_UNKNOWN, "dns.incomplete", d->name,
					    json_pack("{s:s, s:i}", "domain", d->name, "rounds",
						      (json_int_t)rounds),
					    "the lookups of %s did not finish in %u rounds",
					    d->name, rounds);
		if (r == -E2BIG)
			r = 0;
		for (size_t k = 0; r >= 0 && k < d->n_sites; k++)
			r = copy_findings(site_findings_at(&st->site_findings, d->sites[k]),
					  &d->findings);
		if (r >= 0 && d->server)
			r = copy_findings(&out->findings, &d->findings);
	}
	if (r >= 0)
		json_object_set_new(out->data, "dns",
				    json_pack("{s:i, s:i, s:i, s:i}", "domains", (json_int_t)n,
					      "queries", (json_int_t)dv_queries(dv), "rounds",
					      (json_int_t)rounds, "elapsed_ms",
					      (json_int_t)(hu_mono_ms() - start)));
out:
	hu_strmap_clear(&map, domain_free);
	free(domains);
	dv_free(dv);
	if (psl)
		psl_free(psl);
	return r;
}

static int dns_run_site(void *data, const struct hu_check_ctx *ctx, const struct hu_site *site,
			struct hu_result *out, struct hu_err *err)
{
	struct dns_state *st = data;

	(void)ctx;
	return site_findings_take(&st->site_findings, "dns", site, &out->findings, err);
}

const struct hu_check_ops hu_check_dns = {
	.name = "dns",
	.summary = "SPF (evaluated and linted), DMARC and MX of every site's mail domain",
	.init = dns_init,
	.free = dns_free,
	.run_server = dns_run_server,
	.run_site = dns_run_site,
};
