/* SPDX-License-Identifier: MIT */
/*
 * The db check. For every site, the CMS installs in its docroot (as the cms
 * check finds them) give database accounts; db.accounts adds monitoring
 * accounts. Each distinct account (server and user) is connected to once;
 * every site that uses it gets its findings. Counters for
 * db.connections_refused are kept in <state_dir>/db-counters.json.
 *
 * Findings: db.ok, db.connections_near_limit, db.user_connections_near_limit,
 * db.connections_refused, db.unreachable, db.auth_failed, db.no_credentials.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/fileio.h"
#include "huolto/log.h"
#include "../checks.h"
#include "../cms/cms.h"
#include "../site_findings.h"
#include "db.h"

#define DB_MAX_SECRET 4096

struct db_state {
	struct db_limits limits;
	struct db_policy policy;
	unsigned depth;              /* how deep to look for installs: cms.depth's default */
	char *tls_ca;                /* for TCP connections to other hosts */
	struct db_account *accounts; /* db.accounts */
	size_t n_accounts;
	struct hu_strv ignore_sites;
	struct site_findings per_site;
};

static void db_free(void *data)
{
	struct db_state *st = data;

	if (!st)
		return;
	for (size_t i = 0; i < st->n_accounts; i++)
		db_account_clear(&st->accounts[i]);
	free(st->accounts);
	free(st->tls_ca);
	hu_strv_clear(&st->ignore_sites);
	site_findings_clear(&st->per_site);
	free(st);
}

/* A password file's first line. Its contents never reach a message. */
static int read_secret(const char *path, char **ret, struct hu_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int r = hu_read_local_file(path, DB_MAX_SECRET, &text, &len, NULL, err);

	if (r < 0)
		return r;
	text[strcspn(text, "\r\n")] = '\0';
	*ret = text;
	return 0;
}

static int parse_account(const struct hu_conf_node *n, struct db_account *a, struct hu_err *err)
{
	static const char *const keys[] = { "host",          "port",   "socket", "user",
					    "password_file", "tls_ca", NULL };
	int64_t port = 0;
	int r;

	r = hu_conf_expect_mapping(n, "each entry of db.accounts", err);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0 && !hu_conf_get(n, "user"))
		r = hu_conf_error(n, err, -EINVAL, "an account needs a user");
	if (r >= 0)
		r = hu_conf_get_string(n, "user", &a->user, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "host", &a->host, err);
	if (r >= 0)
		r = hu_conf_get_int(n, "port", 1, 65535, &port, err);
	a->port = (unsigned)port;
	if (r >= 0)
		r = hu_conf_get_string(n, "socket", &a->socket, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "tls_ca", &a->tls_ca, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "password_file", &a->password_file, err);
	if (r >= 0 && !a->host && !(a->host = strdup("localhost")))
		r = -ENOMEM;
	if (r >= 0 && !(a->source = strdup("config")))
		r = -ENOMEM;
	return r;
}

static int db_init(const struct hu_conf_node *conf, void **ret_state, struct hu_err *err)
{
	static const char *const keys[] = { "accounts",         "connect_timeout",
					    "read_timeout",     "warn_percent",
					    "critical_percent", "tls_ca",
					    "ignore_sites",     NULL };
	struct db_state *st = calloc(1, sizeof(*st));
	int64_t ct = 5000, rt = 10000, warn = 80, crit = 95;
	int r = 0;

	if (!st)
		return -ENOMEM;
	st->depth = CMS_DEPTH_DEFAULT;
	if (conf && !hu_conf_is_null(conf)) {
		r = hu_conf_expect_mapping(conf, "the db section", err);
		if (r >= 0)
			r = hu_conf_check_keys(conf, keys, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(conf, "connect_timeout", 1000, 300000, &ct,
						    err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(conf, "read_timeout", 1000, 300000, &rt, err);
		if (r >= 0)
			r = hu_conf_get_int(conf, "warn_percent", 1, 100, &warn, err);
		if (r >= 0)
			r = hu_conf_get_int(conf, "critical_percent", warn, 100, &crit, err);
		if (r >= 0)
			r = hu_conf_get_string(conf, "tls_ca", &st->tls_ca, err);
		if (r >= 0)
			r = hu_conf_get_string_list(conf, "ignore_sites", &st->ignore_sites, err);
		const struct hu_conf_node *acc = hu_conf_get(conf, "accounts");
		if (r >= 0 && acc && acc->type != HU_CONF_SEQUENCE)
			r = hu_conf_error(acc, err, -EINVAL, "db.accounts must be a list");
		if (r >= 0 && acc) {
			st->accounts = calloc(acc->n_items + 1, sizeof(*st->accounts));
			if (!st->accounts)
				r = -ENOMEM;
			for (size_t i = 0; r >= 0 && i < acc->n_items; i++, st->n_accounts++)
				r = parse_account(acc->items[i], &st->accounts[i], err);
			if (r < 0 && st->accounts)
				st->n_accounts++; /* the half-read one is freed too */
		}
	}
	if (r < 0) {
		db_free(st);
		return r;
	}
	st->limits = (struct db_limits){ (int)((ct + 999) / 1000), (int)((rt + 999) / 1000) };
	st->policy = (struct db_policy){ (int)warn, (int)crit };
	*ret_state = st;
	return 0;
}

/* One account and the sites (indexes) that use it. */
struct use {
	struct db_account account;
	size_t *sites;
	size_t n_sites;
	bool server; /* from db.accounts: findings go to the server */
};

struct uses {
	struct use *v;
	size_t n;
};

static void uses_clear(struct uses *u)
{
	for (size_t i = 0; i < u->n; i++) {
		db_account_clear(&u->v[i].account);
		free(u->v[i].sites);
	}
	free(u->v);
	*u = (struct uses){ 0 };
}

static bool same(const struct db_account *a, const struct db_account *b)
{
	char *x = db_account_target(a), *y = db_account_target(b);
	/* Two sites with the same user but different passwords are two accounts to try. */
	bool eq = x && y && strcmp(x, y) == 0 &&
		  strcmp(a->password ? a->password : "", b->password ? b->password : "") == 0;

	free(x);
	free(y);
	return eq;
}

/* Add account a (taken) used by site (or the server when site is SIZE_MAX). */
static int uses_add(struct uses *u, struct db_account *a, size_t site)
{
	struct use *e = NULL;

	for (size_t i = 0; i < u->n && !e; i++)
		if (same(&u->v[i].account, a))
			e = &u->v[i];
	if (e) {
		db_account_clear(a);
	} else {
		struct use *v = realloc(u->v, (u->n + 1) * sizeof(*v));
		if (!v) {
			db_account_clear(a);
			return -ENOMEM;
		}
		u->v = v;
		e = &v[u->n++];
		*e = (struct use){ .account = *a };
		*a = (struct db_account){ 0 };
	}
	if (site == SIZE_MAX) {
		e->server = true;
		return 0;
	}
	size_t *s = realloc(e->sites, (e->n_sites + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	e->sites = s;
	s[e->n_sites++] = site;
	return 0;
}

/* The accounts of the installs in one site's docroot. */
static int site_accounts(struct db_state *st, const struct hu_check_ctx *ctx, size_t idx,
			 struct uses *u)
{
	const struct hu_site *site = ctx->sites->v[idx];
	struct cms_installs is = { 0 };
	int r;

	if (!site->docroot || hu_strv_contains(&st->ignore_sites, site->name))
		return 0;
	r = cms_find(ctx->host, site->docroot, st->depth, NULL, &is);
	for (size_t i = 0; r >= 0 && i < is.n; i++) {
		struct db_account a = { 0 };
		const char *why = NULL;
		switch (is.v[i].family) {
		case CMS_FAMILY_WORDPRESS:
			r = db_creds_wordpress(ctx->host, is.v[i].root, &a, &why);
			break;
		case CMS_FAMILY_DRUPAL8:
		case CMS_FAMILY_DRUPAL7:
			r = db_creds_drupal(ctx->host, is.v[i].root, &a, &why);
			break;
		default:
			r = db_creds_joomla(ctx->host, is.v[i].root, &a, &why);
			break;
		}
		if (r == 0) {
			if (st->tls_ca && a.host && strcmp(a.host, "localhost") != 0 &&
			    strcmp(a.host, "127.0.0.1") != 0 && strcmp(a.host, "::1") != 0 &&
			    !(a.tls_ca = strdup(st->tls_ca)))
				r = -ENOMEM;
			r = r < 0 ? r : uses_add(u, &a, idx);
			db_account_clear(&a);
		} else if (r == -EINVAL) {
			json_t *f = json_pack("{s:s,s:s}", "install", is.v[i].root, "reason", why);
			r = hu_findings_add(site_findings_at(&st->per_site, idx), HU_UNKNOWN,
					    "db.no_credentials", is.v[i].root, f,
					    "the database credentials cannot be read: %s", why);
		} else if (r != -ENOMEM) {
			r = 0; /* no configuration file (or it cannot be read) */
		}
	}
	cms_installs_clear(&is);
	return r;
}

/* prev: the counters as the last run left them; counters: this run's, updated. */
static int check_account(struct db_state *st, const struct hu_check_ctx *ctx, struct use *use,
			 json_t *prev_counters, json_t *counters, struct hu_findings *found)
{
	struct db_values v = { 0 };
	struct hu_err qerr = HU_ERR_INIT;
	unsigned server_errno = 0;
	char *server = db_account_server(&use->account);
	int r;

	if (!server)
		return -ENOMEM;
	r = db_query(ctx->host, &use->account, &st->limits, &v, &server_errno, &qerr);
	if (r == -ENOMEM)
		goto out;
	if (r < 0) {
		r = db_judge_failure(&use->account, server_errno, hu_err_msg(&qerr), found);
		goto out;
	}
	struct db_counter prev = prev_counters ? db_state_get(prev_counters, server)
					       : (struct db_counter){ .known = false };
	r = db_judge(&use->account, &v, &prev, &st->policy, found);
	if (r >= 0 && counters && v.connection_errors_max_connections >= 0) {
		struct db_counter now = { .uptime = v.uptime,
					  .refused = v.connection_errors_max_connections,
					  .known = true };
		r = db_state_set(counters, server, &now, ctx->now);
	}
out:
	hu_err_clear(&qerr);
	db_values_clear(&v);
	free(server);
	return r;
}

/* Copy every finding of src onto dst. */
static int copy_findings(struct hu_findings *dst, const struct hu_findings *src)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < src->n; i++) {
		const struct hu_finding *f = &src->v[i];
		r = hu_findings_add(dst, f->status, f->code, f->target, json_deep_copy(f->facts),
				    "%s", f->message);
	}
	return r;
}

/*
 * An account of db.accounts, with its password read now (a file that cannot
 * be read is db.no_credentials for the server), added to u.
 */
static int add_configured(const struct db_account *a, struct uses *u, struct hu_findings *server)
{
	struct db_account c = { .host = a->host ? strdup(a->host) : NULL,
				.port = a->port,
				.socket = a->socket ? strdup(a->socket) : NULL,
				.user = strdup(a->user),
				.source = strdup(a->source),
				.tls_ca = a->tls_ca ? strdup(a->tls_ca) : NULL };
	struct hu_err perr = HU_ERR_INIT;
	int r = 0;

	if (!c.user || !c.source || (a->host && !c.host) || (a->socket && !c.socket) ||
	    (a->tls_ca && !c.tls_ca))
		r = -ENOMEM;
	else if (a->password_file && read_secret(a->password_file, &c.password, &perr) < 0) {
		char *target = db_account_target(&c);
		json_t *f =
		    json_pack("{s:s,s:s}", "install", "config", "reason", hu_err_msg(&perr));
		r = hu_findings_add(server, HU_UNKNOWN, "db.no_credentials", target, f,
				    "db.accounts: %s", hu_err_msg(&perr));
		free(target);
		hu_err_clear(&perr);
		db_account_clear(&c);
		return r;
	}
	if (r < 0) {
		db_account_clear(&c);
		return r;
	}
	return uses_add(u, &c, SIZE_MAX);
}

static int db_run_server(void *state, const struct hu_check_ctx *ctx, struct hu_result *out,
			 struct hu_err *err)
{
	struct db_state *st = state;
	struct uses u = { 0 };
	struct hu_err serr = HU_ERR_INIT;
	char *state_path = NULL;
	json_t *counters = NULL, *prev = NULL;
	int r;

	(void)err;
	r = site_findings_reset(&st->per_site, ctx->sites);
	for (size_t i = 0; r >= 0 && i < ctx->sites->n; i++)
		r = site_accounts(st, ctx, i, &u);
	for (size_t i = 0; r >= 0 && i < st->n_accounts; i++)
		r = add_configured(&st->accounts[i], &u, &out->findings);
	if (r < 0 || u.n == 0)
		goto out;
	if (ctx->state_dir && asprintf(&state_path, "%s/db-counters.json", ctx->state_dir) > 0) {
		counters = db_state_load(state_path, &serr);
		if (!counters) {
			hu_log_warning("%s", hu_err_msg(&serr));
			counters = json_object();
		}
		prev = json_deep_copy(counters);
	}
	for (size_t i = 0; r >= 0 && i < u.n; i++) {
		struct hu_findings found = HU_FINDINGS_INIT;
		r = check_account(st, ctx, &u.v[i], prev, counters, &found);
		for (size_t s = 0; r >= 0 && s < u.v[i].n_sites; s++)
			r = copy_findings(site_findings_at(&st->per_site, u.v[i].sites[s]), &found);
		if (r >= 0 && u.v[i].server)
			r = copy_findings(&out->findings, &found);
		hu_findings_clear(&found);
	}
	hu_err_clear(&serr);
	if (r >= 0 && counters && db_state_save(state_path, counters, &serr) < 0)
		hu_log_warning("cannot keep the database counters: %s", hu_err_msg(&serr));
out:
	hu_err_clear(&serr);
	json_decref(counters);
	json_decref(prev);
	free(state_path);
	uses_clear(&u);
	return r == -E2BIG ? 0 : r;
}

static int db_run_site(void *state, const struct hu_check_ctx *ctx, const struct hu_site *site,
		       struct hu_result *out, struct hu_err *err)
{
	struct db_state *st = state;

	(void)ctx;
	return site_findings_take(&st->per_site, "db", site, &out->findings, err);
}

const struct hu_check_ops hu_check_db = {
	.name = "db",
	.summary = "database connection limits of each site's account (MySQL, MariaDB)",
	.init = db_init,
	.free = db_free,
	.run_server = db_run_server,
	.run_site = db_run_site,
};
