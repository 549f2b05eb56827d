/* SPDX-License-Identifier: MIT */
/*
 * huolto-collector: keeps every agent's report documents, and who may send them.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog_cmd.h"
#include "cli_util.h"
#include "coll_conf.h"
#include "huolto/buf.h"
#include "huolto/config.h"
#include "huolto/fileio.h"
#include "huolto/log.h"
#include "huolto/schema.h"
#include "hours_cmd.h"
#include "http.h"
#include "ingest.h"
#include "pull_sched.h"
#include "report_cmd.h"
#include "site_cmd.h"
#include "store.h"
#include "token.h"

extern const char coll_report_schema[];
extern const size_t coll_report_schema_len;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: huolto-collector COMMAND [OPTIONS]\n"
		"\n"
		"Keeps the report documents of every huolto-agent.\n"
		"\n"
		"Commands:\n"
		"  serve                 take documents over HTTPS and answer the API\n"
		"                        (until SIGTERM or SIGINT)\n"
		"  agent add NAME        make a token for agent NAME; printed once, only its\n"
		"                        hash is kept\n"
		"  agent list            agents with their document count and last report\n"
		"  agent revoke NAME     revoke NAME's token\n"
		"  operator add NAME     make a token for reading the API; printed once\n"
		"  operator list\n"
		"  operator revoke NAME\n"
		"  ingest FILE...        store report documents from files (validated as\n"
		"                        over HTTPS; - reads standard input)\n"
		"  catalog refresh [FEED...]\n"
		"                        read the upstream feeds (all, or those named) into\n"
		"                        the catalog; a feed that fails keeps its old facts\n"
		"  catalog status        each feed: current, stale or never read\n"
		"  pull [NAME...]        check the pull hosts (all, or those named) over SSH\n"
		"                        and store their documents as agents' (serve pulls\n"
		"                        each one every `every` on its own)\n"
		"  site show NAME        a site's current findings, and its inventory with\n"
		"                        the latest versions the catalog knows\n"
		"  hours add --site S --date YYYY-MM-DD --hours H --kind K --who NAME\n"
		"            --note TEXT [--finding CODE]\n"
		"                        log work (K: maintenance, development, support)\n"
		"  hours list --month YYYY-MM [--site S] [--format text|csv|json]\n"
		"  hours edit ID [--site ...]   change an entry's fields\n"
		"  hours delete ID\n"
		"  hours import FILE.csv all rows or none (header date,site,hours,kind,who,\n"
		"                        note,finding)\n"
		"  hours export --month YYYY-MM [--site S]   CSV for invoicing\n"
		"  month close|reopen|show YYYY-MM\n"
		"                        lock a month's hours and reports (reopen is logged)\n"
		"  report --month YYYY-MM (--site S | --customer C | --all)\n"
		"         [--format html,pdf] [--out DIR] [--language fi|en]\n"
		"                        the month's site reports (DIR/SITE-YYYY-MM.html, .pdf);\n"
		"                        --all also the team overview (overview-YYYY-MM.*)\n"
		"\n"
		"Options:\n"
		"  -c, --config PATH     configuration file (default %s;\n"
		"                        when that file is absent: defaults)\n"
		"  -f, --format FORMAT   list, catalog status, site show, month show: text or\n"
		"                        json; hours list: text, csv or json; report: html,\n"
		"                        pdf or html,pdf (the default)\n"
		"  -v, --verbose         serve: log every request's outcome (debug)\n"
		"  -h, --help            this help\n"
		"  -V, --version         the version\n"
		"\n"
		"Exit status: 0 done, 1 failed (ingest: some document refused; pull: some\n"
		"host not checked), 2 usage or\n"
		"configuration error. See docs/collector.md.\n",
		COLL_DEFAULT_CONFIG);
}

struct cli {
	const char *config;
	const char *format;
	struct cli_opts o; /* hours, month, report */
	int verbose;
	char **args;
	int n_args;
};

/* -1 to go on, or an exit status. */
static int parse_cli(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "site", required_argument, NULL, 1 },
		{ "date", required_argument, NULL, 2 },
		{ "hours", required_argument, NULL, 3 },
		{ "kind", required_argument, NULL, 4 },
		{ "who", required_argument, NULL, 5 },
		{ "note", required_argument, NULL, 6 },
		{ "finding", required_argument, NULL, 7 },
		{ "month", required_argument, NULL, 8 },
		{ "customer", required_argument, NULL, 9 },
		{ "out", required_argument, NULL, 10 },
		{ "language", required_argument, NULL, 11 },
		{ "all", no_argument, NULL, 12 },
		{ NULL, 0, NULL, 0 },
	};
	const char **values[] = { NULL,        &c->o.site,     &c->o.date, &c->o.hours,
				  &c->o.kind,  &c->o.who,      &c->o.note, &c->o.finding,
				  &c->o.month, &c->o.customer, &c->o.out,  &c->o.language };
	int opt;

	/* Options anywhere: GNU getopt permutes the arguments. */
	while ((opt = getopt_long(argc, argv, "c:f:vhV", opts, NULL)) != -1) {
		if (opt >= 1 && opt <= 11) {
			*values[opt] = optarg;
			continue;
		}
		if (opt == 12) {
			c->o.all = true;
			continue;
		}
		switch (opt) {
		case 'c':
			c->config = optarg;
			break;
		case 'f':
			c->format = optarg;
			break;
		case 'v':
			c->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("huolto-collector %s\n", HUOLTO_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'huolto-collector --help'.\n");
			return EXIT_USAGE;
		}
	}
	c->args = argv + optind;
	c->n_args = argc - optind;
	if (c->n_args == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* hours list takes csv too (hours_cmd checks it); report html,pdf (report_cmd
	 * checks it); the rest text or json */
	bool hours = strcmp(c->args[0], "hours") == 0;
	if (c->format && strcmp(c->args[0], "report") != 0 && strcmp(c->format, "text") != 0 &&
	    strcmp(c->format, "json") != 0 && !(hours && strcmp(c->format, "csv") == 0)) {
		fprintf(stderr, "huolto-collector: --format: expected text or json%s, not \"%s\"\n",
			hours ? " or csv" : "", c->format);
		return EXIT_USAGE;
	}
	c->o.format = c->format;
	return -1;
}

static int load_schema(struct hu_schema **ret)
{
	struct hu_err err = HU_ERR_INIT;
	int r = hu_schema_parse("docs/report-schema.md", coll_report_schema, coll_report_schema_len,
				ret, &err);

	if (r < 0)
		fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(&err));
	hu_err_clear(&err);
	return r;
}

/* What a command works with; closed by session_close. */
struct session {
	struct coll_conf conf;
	struct store *store;
	struct hu_schema *schema; /* when asked for */
	struct catalog_live catalog;
	bool catalog_on; /* catalog.enabled, with the schema: ingest evaluates */
};

static void session_close(struct session *ses)
{
	if (ses->catalog_on)
		catalog_live_clear(&ses->catalog);
	hu_schema_free(ses->schema);
	store_close(ses->store);
	coll_conf_clear(&ses->conf);
}

/* Configuration, storage and, with want_schema, the schema: 0 or an exit status. */
static int session_open(const struct cli *c, bool want_schema, struct session *ses)
{
	struct coll_conf *conf = &ses->conf;
	struct hu_err err = HU_ERR_INIT;
	const char *path = c->config ? c->config : COLL_DEFAULT_CONFIG;
	int r = coll_conf_load(path, c->config != NULL, conf, &err);

	if (r < 0) {
		fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return EXIT_USAGE;
	}
	r = store_sqlite_open(conf->sqlite, &ses->store, &err);
	if (r < 0) {
		fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return EXIT_FAIL;
	}
	if (want_schema && load_schema(&ses->schema) < 0)
		return EXIT_FAIL;
	if (want_schema && conf->catalog.enabled) {
		struct catalog_index *idx = NULL;
		catalog_live_init(&ses->catalog);
		ses->catalog_on = true;
		r = catalog_index_load(&conf->catalog, time(NULL), &idx, &err);
		if (r < 0) {
			fprintf(stderr, "huolto-collector: catalog: %s\n", hu_err_msg(&err));
			hu_err_clear(&err);
			return EXIT_FAIL;
		}
		catalog_live_swap(&ses->catalog, idx);
	}
	return 0;
}

/* Names are what the documents carry as agent.name: printable, no spaces, at most 253. */
static bool good_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_",
			    s[i]))
			return false;
	return true;
}

static int list(struct store *s, enum store_role role, const char *format)
{
	struct hu_err err = HU_ERR_INIT;
	json_t *rows = NULL;
	size_t i;
	json_t *o;

	if (s->ops->principal_list(s, role, &rows, &err) < 0) {
		fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return EXIT_FAIL;
	}
	if (format && strcmp(format, "json") == 0) {
		json_dumpf(rows, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(rows);
		return 0;
	}
	printf("%-24s %-21s %-21s", "NAME", "CREATED", "REVOKED");
	if (role == STORE_AGENT)
		printf(" %9s %s", "DOCUMENTS", "LAST REPORT");
	putchar('\n');
	json_array_foreach(rows, i, o)
	{
		printf("%-24s ", json_string_value(json_object_get(o, "name")));
		cli_print_time(json_integer_value(json_object_get(o, "created_at")));
		putchar(' ');
		cli_print_time(json_integer_value(json_object_get(o, "revoked_at")));
		if (role == STORE_AGENT) {
			printf(" %9lld ",
			       (long long)json_integer_value(json_object_get(o, "documents")));
			cli_print_time(json_integer_value(json_object_get(o, "last_report")));
		}
		putchar('\n');
	}
	json_decref(rows);
	return 0;
}

static int cmd_principal(const struct cli *c, enum store_role role)
{
	const char *what = role == STORE_AGENT ? "agent" : "operator";
	const char *verb = c->n_args > 1 ? c->args[1] : "";
	struct hu_err err = HU_ERR_INIT;
	struct session ses = { 0 };
	struct store *s;
	char ebuf[128];
	int status, r = 0;

	if (strcmp(verb, "list") == 0                                 ? c->n_args != 2
	    : strcmp(verb, "add") == 0 || strcmp(verb, "revoke") == 0 ? c->n_args != 3
								      : true) {
		fprintf(stderr, "huolto-collector: usage: %s add NAME | list | revoke NAME\n",
			what);
		return EXIT_USAGE;
	}
	if (c->n_args == 3 && !good_name(c->args[2])) {
		fprintf(stderr,
			"huolto-collector: %s name \"%s\": use letters, digits, '.', '-' and '_' "
			"(as in agent.name)\n",
			what, c->args[2]);
		return EXIT_USAGE;
	}
	status = session_open(c, false, &ses);
	s = ses.store;
	if (status)
		goto out;
	if (strcmp(verb, "list") == 0) {
		status = list(s, role, c->format);
	} else if (strcmp(verb, "revoke") == 0) {
		r = s->ops->principal_revoke(s, role, c->args[2], time(NULL), &err);
		if (r >= 0)
			printf("revoked %s %s\n", what, c->args[2]);
	} else {
		char token[TOKEN_LEN + 1], hash[SHA256_HEX];
		r = token_new(token);
		if (r >= 0)
			r = token_hash(token, strlen(token), hash);
		if (r >= 0)
			r = s->ops->principal_add(s, role, c->args[2], hash, time(NULL), &err);
		if (r >= 0) {
			/* The only time the token is shown: the store keeps its hash. */
			printf("%s\n", token);
			fprintf(stderr,
				"huolto-collector: %s %s added; its token is printed above, once: "
				"keep it in the %s's token_file\n",
				what, c->args[2], what);
		}
		explicit_bzero(token, sizeof(token));
	}
	if (r < 0) {
		fprintf(stderr, "huolto-collector: %s\n", hu_err_text(&err, r, ebuf, sizeof(ebuf)));
		status = EXIT_FAIL;
	}
out:
	hu_err_clear(&err);
	session_close(&ses);
	return status;
}

/* Read a whole file or standard input, at most max bytes. */
static int slurp(const char *path, size_t max, char **ret, size_t *ret_len, struct hu_err *err)
{
	if (strcmp(path, "-") != 0)
		return hu_read_local_file(path, max, ret, ret_len, NULL, err);
	struct hu_buf b = HU_BUF_INIT(max + 1); /* one more byte tells it is too big */
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (hu_buf_append_some(&b, chunk, n) < n)
			break;
	if (b.len > max) {
		hu_buf_clear(&b);
		return hu_err_set(err, -EFBIG, "standard input: larger than %zu bytes", max);
	}
	if (ferror(stdin)) {
		hu_buf_clear(&b);
		return hu_err_set(err, -EIO, "standard input: read error");
	}
	*ret_len = b.len;
	*ret = hu_buf_steal(&b);
	return *ret ? 0 : -ENOMEM;
}

static int cmd_ingest(const struct cli *c)
{
	struct session ses = { 0 };
	struct hu_err err = HU_ERR_INIT;
	int status, refused = 0;

	if (c->n_args < 2) {
		fprintf(stderr, "huolto-collector: usage: ingest FILE...\n");
		return EXIT_USAGE;
	}
	status = session_open(c, true, &ses);
	if (status)
		goto out;
	for (int i = 1; i < c->n_args; i++) {
		const char *path = c->args[i];
		struct ingest_result res = { 0 };
		char ebuf[128];
		char *text = NULL;
		size_t len = 0;
		int r = slurp(path, (size_t)ses.conf.max_body, &text, &len, &err);
		if (r >= 0)
			r = ingest(ses.store, ses.schema,
				   ses.conf.alerts.enabled ? &ses.conf.alerts.store : NULL,
				   ses.catalog_on ? &ses.catalog : NULL, text, len, NULL,
				   time(NULL), &res, &err);
		free(text);
		if (r < 0) {
			fprintf(stderr, "huolto-collector: %s: %s\n", path,
				hu_err_text(&err, r, ebuf, sizeof(ebuf)));
			hu_err_clear(&err);
			refused++;
			continue;
		}
		printf("%s: %s %s", path, res.id, res.duplicate ? "duplicate" : "stored");
		if (res.alerts_queued)
			printf(", %u alert deliveries queued", res.alerts_queued);
		printf("\n");
	}
	status = refused ? EXIT_FAIL : 0;
out:
	hu_err_clear(&err);
	session_close(&ses);
	return status;
}

/* Wait for SIGTERM or SIGINT (blocked in every thread, so only this one takes them). */
static void wait_for_stop(const sigset_t *set)
{
	for (;;) {
		int sig = sigwaitinfo(set, NULL);
		if (sig == SIGTERM || sig == SIGINT) {
			hu_log_info("signal %d: stopping", sig);
			return;
		}
		if (sig == SIGHUP)
			hu_log_info("SIGHUP: nothing to reload; restart to read the configuration");
	}
}

static int cmd_catalog(const struct cli *c)
{
	struct hu_err err = HU_ERR_INIT;
	struct coll_conf conf;
	const char *path = c->config ? c->config : COLL_DEFAULT_CONFIG;
	int r = coll_conf_load(path, c->config != NULL, &conf, &err);

	if (r < 0) {
		fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return EXIT_USAGE;
	}
	hu_log_setup("huolto-collector", c->verbose ? HU_LOG_DEBUG : HU_LOG_INFO);
	r = catalog_cmd(&conf, c->args, c->n_args, c->format);
	coll_conf_clear(&conf);
	return r;
}

static struct pull_env pull_env_of(struct session *ses)
{
	return (struct pull_env){
		.store = ses->store,
		.schema = ses->schema,
		.alerts = ses->conf.alerts.enabled ? &ses->conf.alerts.store : NULL,
		.catalog = ses->catalog_on ? &ses->catalog : NULL,
	};
}

static int cmd_serve(const struct cli *c)
{
	struct session ses = { 0 };
	struct hu_err err = HU_ERR_INIT;
	struct server *srv = NULL;
	sigset_t set;
	int status;

	if (c->n_args != 1) {
		fprintf(stderr, "huolto-collector: serve takes no arguments\n");
		return EXIT_USAGE;
	}
	hu_log_setup("huolto-collector", c->verbose ? HU_LOG_DEBUG : HU_LOG_INFO);
	status = session_open(c, true, &ses);
	if (status)
		goto out;
	/* Before any thread starts: the serving threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	int r = server_start(&ses.conf, ses.store, ses.schema, ses.catalog_on ? &ses.catalog : NULL,
			     &srv, &err);
	if (r < 0) {
		fprintf(stderr, "huolto-collector: %s\n", hu_err_msg(&err));
		status = r == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
		goto out;
	}
	hu_log_info("serving on %s (port %u), %lld threads, database %s", ses.conf.listen,
		    server_port(srv), (long long)ses.conf.threads, ses.conf.sqlite);
	struct pull_env env = pull_env_of(&ses);
	struct pull_sched *pulls = NULL;
	if (pull_sched_start(&env, &ses.conf.pull, &pulls, &err) < 0)
		hu_log_error("pull: %s; no pulls", hu_err_msg(&err));
	wait_for_stop(&set);
	pull_sched_stop(pulls);
	server_stop(srv);
	status = 0;
out:
	hu_err_clear(&err);
	session_close(&ses);
	return status;
}

static int cmd_pull(const struct cli *c)
{
	struct session ses = { 0 };
	const struct pull_host **hosts = NULL;
	struct pull_outcome *outs = NULL;
	size_t n = 0;
	int status = session_open(c, true, &ses);

	if (status)
		goto out;
	const struct pull_conf *pc = &ses.conf.pull;
	if (pc->n == 0) {
		fprintf(stderr, "huolto-collector: pull: the configuration lists no pull hosts\n");
		status = EXIT_USAGE;
		goto out;
	}
	hosts = calloc(pc->n + (size_t)c->n_args, sizeof(*hosts));
	outs = calloc(pc->n + (size_t)c->n_args, sizeof(*outs));
	if (!hosts || !outs) {
		status = EXIT_FAIL;
		goto out;
	}
	for (int i = 1; i < c->n_args; i++) {
		if (!(hosts[n] = pull_conf_find(pc, c->args[i]))) {
			fprintf(stderr, "huolto-collector: pull: no pull host named \"%s\"\n",
				c->args[i]);
			status = EXIT_USAGE;
			goto out;
		}
		n++;
	}
	for (size_t i = 0; c->n_args == 1 && i < pc->n; i++)
		hosts[n++] = &pc->v[i];
	hu_log_setup("huolto-collector", c->verbose ? HU_LOG_DEBUG : HU_LOG_ERROR);
	struct pull_env env = pull_env_of(&ses);
	pull_hosts(&env, hosts, n, (unsigned)pc->concurrency, outs);
	for (size_t i = 0; i < n; i++) {
		const struct pull_outcome *o = &outs[i];
		if (!o->fail && !o->store_error) {
			printf("%s: checked in %.1f s, document %s\n", o->host->name, o->seconds,
			       o->id);
			continue;
		}
		status = EXIT_FAIL;
		if (o->fail)
			printf("%s: %s after %.1f s: %s%s%s\n", o->host->name,
			       pull_fail_code(o->fail), o->seconds, o->message,
			       o->id[0] ? "; document " : "", o->id);
		else
			printf("%s: %s\n", o->host->name, o->message);
	}
out:
	free(hosts);
	free(outs);
	session_close(&ses);
	return status;
}

static int cmd_site(const struct cli *c)
{
	struct session ses = { 0 };
	int status = session_open(c, true, &ses);

	if (!status) {
		struct catalog_index *idx = ses.catalog_on ? catalog_live_get(&ses.catalog) : NULL;
		status = site_cmd(ses.store, idx, c->args, c->n_args, c->format);
		if (idx)
			catalog_live_put(&ses.catalog, idx);
	}
	session_close(&ses);
	return status;
}

/*
 * hours ..., month ..., report ...: the store, the configuration's
 * customers and, for what renders reports (month close freezes them), the
 * catalog.
 */
static int cmd_hours(const struct cli *c)
{
	struct session ses = { 0 };
	bool hours = strcmp(c->args[0], "hours") == 0;
	int status = session_open(c, !hours, &ses);

	if (status) {
		session_close(&ses);
		return status;
	}
	if (hours) {
		status = hours_cmd(&ses.conf, ses.store, &c->o, c->args, c->n_args);
	} else {
		struct catalog_index *idx = ses.catalog_on ? catalog_live_get(&ses.catalog) : NULL;
		struct report_src src = {
			.store = ses.store,
			.customers = &ses.conf.customers,
			.catalog = idx,
			.grace_s = ses.conf.grace_ms / 1000,
			.now = time(NULL),
		};
		if (strcmp(c->args[0], "month") == 0)
			status = month_cmd(&src, &c->o, c->args, c->n_args);
		else if (c->n_args != 1)
			status = (fprintf(stderr, "huolto-collector: report takes options only\n"),
				  EXIT_USAGE);
		else
			status = report_cmd(&src, &c->o);
		if (idx)
			catalog_live_put(&ses.catalog, idx);
	}
	session_close(&ses);
	return status;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	int status = parse_cli(argc, argv, &c);

	if (status >= 0)
		return status;
	const char *cmd = c.args[0];
	if (strcmp(cmd, "agent") == 0)
		return cmd_principal(&c, STORE_AGENT);
	if (strcmp(cmd, "operator") == 0)
		return cmd_principal(&c, STORE_OPERATOR);
	if (strcmp(cmd, "ingest") == 0)
		return cmd_ingest(&c);
	if (strcmp(cmd, "catalog") == 0)
		return cmd_catalog(&c);
	if (strcmp(cmd, "site") == 0)
		return cmd_site(&c);
	if (strcmp(cmd, "pull") == 0 || strcmp(cmd, "serve") == 0) {
		/* libssh2's global state: before any thread. */
		if (ssh_global_init() < 0) {
			fprintf(stderr, "huolto-collector: cannot initialise libssh2\n");
			return EXIT_FAIL;
		}
		status = strcmp(cmd, "pull") == 0 ? cmd_pull(&c) : cmd_serve(&c);
		ssh_global_done();
		return status;
	}
	if (strcmp(cmd, "hours") == 0 || strcmp(cmd, "month") == 0 || strcmp(cmd, "report") == 0)
		return cmd_hours(&c);
	fprintf(stderr, "huolto-collector: unknown command \"%s\"; try --help\n", cmd);
	return EXIT_USAGE;
}
