/* SPDX-License-Identifier: MIT */
/*
 * huolto-agent: checks the websites of this server and reports their health.
 */
#include <ares.h>
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_conf.h"
#include "deliver.h"
#include "discover.h"
#include "huolto/buf.h"
#include "huolto/config.h"
#include "huolto/log.h"
#include "huolto/resolver.h"
#include "output.h"
#include "runner.h"
#include "spf_cmd.h"
#include "spool.h"
#include "submit.h"

/* Nagios: 3 (unknown) also for usage and configuration errors. */
#define EXIT_CONFIG         3
#define RESOLVE_DEADLINE_MS 60000

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: huolto-agent COMMAND [OPTIONS]\n"
		"\n"
		"Checks the websites of this server (CMS, PHP, TLS, DNS mail records,\n"
		"database limits) and reports their health.\n"
		"\n"
		"Commands:\n"
		"  check       run the checks and print the report\n"
		"  run         run the checks and send the report to the collector\n"
		"              (kept in the spool until the collector has it)\n"
		"  send        only send what waits in the spool\n"
		"  discover    list the sites found and where each came from\n"
		"  resolve     look names up as the checks do (a diagnostic)\n"
		"  spf IP SENDER [HELO]\n"
		"              evaluate SPF for mail from IP sending as SENDER\n"
		"              (user@domain, a domain, or \"\" for HELO's own)\n"
		"\n"
		"Options:\n"
		"  -c, --config PATH     configuration file (default %s;\n"
		"                        when that file is absent: defaults plus discovery)\n"
		"  -f, --format FORMAT   check: text, json or nagios; discover: text or json\n"
		"  -o, --only CHECKS     check: run only these checks (comma-separated)\n"
		"  -s, --site NAME       check: only this site (any of its names)\n"
		"      --at DATE         check: judge dates as of DATE (YYYY-MM-DD or\n"
		"                        YYYY-MM-DDTHH:MM:SSZ) instead of now\n"
		"  -t, --type TYPE       resolve: addr (default), txt or mx\n"
		"  -v, --verbose         more log messages on stderr (repeat for debug)\n"
		"  -h, --help            this help\n"
		"  -V, --version         the version\n"
		"\n"
		"Checks:\n",
		HUOLTO_DEFAULT_AGENT_CONFIG);
	for (const struct hu_check_ops *const *c = hu_checks; *c; c++)
		fprintf(f, "  %-10s  %s\n", (*c)->name, (*c)->summary);
	fprintf(f,
		"\nExit status of check: 0 ok, 1 warning, 2 critical, 3 unknown or error.\n"
		"Exit status of run and send: 0 delivered, 1 kept in the spool for the next run,\n"
		"2 refused by the collector, 3 configuration error.\n"
		"See huolto-agent(1).\n");
}

struct cli {
	const char *command;
	const char *config;
	const char *format;
	const char *site;
	const char *type;
	struct hu_strv only;
	time_t at;
	int verbose;
	char **names;
	int n_names;
};

static int parse_at(const char *s, time_t *ret)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);

	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d", &tm);
		if (!end || *end)
			return -EINVAL;
	}
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*ret = t;
	return 0;
}

static int split_only(const char *arg, struct hu_strv *only)
{
	char *copy = strdup(arg), *save = NULL;
	int r = copy ? 0 : -ENOMEM;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && r >= 0;
	     t = strtok_r(NULL, ",", &save))
		r = hu_strv_push_unique(only, t);
	free(copy);
	return r;
}

/* Returns -1 to continue, or an exit status. */
static int parse_cli(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "only", required_argument, NULL, 'o' },
		{ "site", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+c:f:o:s:t:vhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			c->config = optarg;
			break;
		case 'f':
			c->format = optarg;
			break;
		case 'o':
			if (split_only(optarg, &c->only) < 0 || c->only.n == 0) {
				fprintf(stderr, "huolto-agent: --only needs check names\n");
				return EXIT_CONFIG;
			}
			break;
		case 's':
			c->site = optarg;
			break;
		case 't':
			c->type = optarg;
			break;
		case 'A':
			if (parse_at(optarg, &c->at) < 0) {
				fprintf(stderr,
					"huolto-agent: --at: expected YYYY-MM-DD or "
					"YYYY-MM-DDTHH:MM:SSZ, not \"%s\"\n",
					optarg);
				return EXIT_CONFIG;
			}
			break;
		case 'v':
			c->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("huolto-agent %s\n", HUOLTO_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'huolto-agent --help'.\n");
			return EXIT_CONFIG;
		}
	}
	if (!c->command) {
		if (optind >= argc) {
			usage(stderr);
			return EXIT_CONFIG;
		}
		c->command = argv[optind++];
		return parse_cli(argc, argv, c); /* options may follow the command */
	}
	c->names = argv + optind;
	c->n_names = argc - optind;
	return -1;
}

static int load_conf(const struct cli *c, struct agent_conf *conf)
{
	struct hu_err err = HU_ERR_INIT;
	const char *path = c->config ? c->config : HUOLTO_DEFAULT_AGENT_CONFIG;
	int r = agent_conf_load(path, c->config != NULL, conf, &err);

	if (r < 0) {
		fprintf(stderr, "huolto-agent: %s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return r;
	}
	if (!conf->path)
		hu_log_info("%s not found: running on defaults plus discovery", path);
	return 0;
}

static int cmd_check(const struct cli *c)
{
	struct agent_conf conf = { 0 };
	struct hu_report rep = { 0 };
	struct hu_host *host = NULL;
	struct hu_err err = HU_ERR_INIT;
	enum output_format fmt = output_format_from_name(c->format ? c->format : "text");
	int status = EXIT_CONFIG, r;

	if (fmt == _OUTPUT_FORMAT_INVALID) {
		fprintf(stderr,
			"huolto-agent: --format: expected text, json or nagios, not \"%s\"\n",
			c->format);
		return EXIT_CONFIG;
	}
	if (c->n_names) {
		fprintf(stderr, "huolto-agent: check takes no arguments (\"%s\")\n", c->names[0]);
		return EXIT_CONFIG;
	}
	if (load_conf(c, &conf) < 0)
		return EXIT_CONFIG;
	if (hu_host_local_new(&host) < 0)
		goto out;
	struct run_opts o = { .only = c->only,
			      .site = c->site,
			      .now = time(NULL),
			      .progress = isatty(STDERR_FILENO) == 1 };
	o.at = c->at ? c->at : o.now;
	r = agent_run(&conf, host, &o, &rep, &err);
	if (r < 0) {
		fprintf(stderr, "huolto-agent: %s\n", hu_err_msg(&err));
		goto out;
	}
	const char *term = getenv("TERM");
	bool color = isatty(STDOUT_FILENO) == 1 && !getenv("NO_COLOR") &&
		     !(term && strcmp(term, "dumb") == 0);
	r = output_report(stdout, &rep, fmt, color);
	if (fflush(stdout) != 0 || r < 0) {
		hu_log_errno(HU_LOG_ERROR, r < 0 ? r : -EIO, "writing the report");
		goto out;
	}
	status = output_exit_status(&rep);
out:
	hu_err_clear(&err);
	hu_report_clear(&rep);
	hu_host_free(host);
	agent_conf_clear(&conf);
	return status;
}

/* Exit statuses of run. */
#define RUN_DELIVERED 0
#define RUN_WAITING   1
#define RUN_REFUSED   2

/* The report as its JSON document. */
static int report_text(const struct hu_report *rep, char **ret, size_t *ret_len)
{
	FILE *f = open_memstream(ret, ret_len);
	int r;

	if (!f)
		return -errno;
	r = output_report(f, rep, OUTPUT_JSON, false);
	if (fclose(f) != 0 && r >= 0)
		r = -EIO;
	if (r < 0) {
		free(*ret);
		*ret = NULL;
	}
	return r;
}

/* The collector connection and the spool of conf: 0, or EXIT_CONFIG with a message. */
static int open_delivery(const struct agent_conf *conf, struct submit **sub, struct spool *sp)
{
	struct hu_err err = HU_ERR_INIT;

	if (!conf->collector.url) {
		fprintf(stderr,
			"huolto-agent: collector.url is needed in %s (see huolto-agent(1))\n",
			conf->path ? conf->path : HUOLTO_DEFAULT_AGENT_CONFIG);
		return EXIT_CONFIG;
	}
	if (submit_open(&conf->collector, sub, &err) < 0 ||
	    spool_open(conf->state_dir, conf->collector.spool_max_documents,
		       conf->collector.spool_max_bytes, sp, &err) < 0) {
		fprintf(stderr, "huolto-agent: %s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return EXIT_CONFIG;
	}
	return 0;
}

/* Send what the spool holds and say how it went: the exit status of run and send. */
static int send_spool(const struct agent_conf *conf, const struct spool *sp, struct submit *sub,
		      const char *what, unsigned dropped)
{
	struct deliver_stats st = { 0 };
	struct hu_err err = HU_ERR_INIT;

	if (deliver_spool(sp, sub, (size_t)conf->collector.spool_max_bytes, &st, &err) < 0)
		fprintf(stderr, "huolto-agent: not delivered: %s\n", hu_err_msg(&err));
	hu_err_clear(&err);
	printf("%s: %u delivered, %u refused, %u waiting in %s%s\n", what, st.sent, st.refused,
	       st.waiting, sp->dir, dropped ? " (oldest dropped: spool full)" : "");
	return st.waiting ? RUN_WAITING : st.refused ? RUN_REFUSED : RUN_DELIVERED;
}

/* Check, keep the document in the spool, send everything the spool holds. */
static int cmd_run(const struct cli *c)
{
	struct agent_conf conf = { 0 };
	struct hu_report rep = { 0 };
	struct hu_host *host = NULL;
	struct spool sp = { 0 };
	struct submit *sub = NULL;
	struct hu_err err = HU_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	unsigned dropped = 0;
	int status = EXIT_CONFIG, r;

	if (c->n_names || c->format) {
		fprintf(stderr, "huolto-agent: run takes no arguments and no --format\n");
		return EXIT_CONFIG;
	}
	if (load_conf(c, &conf) < 0)
		return EXIT_CONFIG;
	status = open_delivery(&conf, &sub, &sp);
	if (status)
		goto out;
	r = hu_host_local_new(&host);
	struct run_opts o = { .only = c->only, .site = c->site, .now = time(NULL) };
	o.at = c->at ? c->at : o.now;
	if (r >= 0)
		r = agent_run(&conf, host, &o, &rep, &err);
	if (r >= 0)
		r = report_text(&rep, &text, &len);
	if (r >= 0)
		r = spool_put(&sp, rep.id, text, len, &dropped, &err);
	if (r < 0) {
		/* What waits from earlier runs still goes. */
		fprintf(stderr, "huolto-agent: %s\n",
			err.msg ? err.msg : "making the report failed");
		hu_err_clear(&err);
	}
	char what[64];
	snprintf(what, sizeof(what), "report %s", rep.id[0] ? rep.id : "(none)");
	status = send_spool(&conf, &sp, sub, what, dropped);
	if (r < 0)
		status = r == -EINVAL ? EXIT_CONFIG : RUN_WAITING;
out:
	free(text);
	hu_err_clear(&err);
	hu_report_clear(&rep);
	hu_host_free(host);
	submit_close(sub);
	spool_close(&sp);
	agent_conf_clear(&conf);
	return status;
}

/* Only send what waits in the spool (after an outage, or from a test). */
static int cmd_send(const struct cli *c)
{
	struct agent_conf conf = { 0 };
	struct spool sp = { 0 };
	struct submit *sub = NULL;
	int status;

	if (c->n_names || c->format) {
		fprintf(stderr, "huolto-agent: send takes no arguments and no --format\n");
		return EXIT_CONFIG;
	}
	if (load_conf(c, &conf) < 0)
		return EXIT_CONFIG;
	status = open_delivery(&conf, &sub, &sp);
	if (!status)
		status = send_spool(&conf, &sp, sub, "spool", 0);
	submit_close(sub);
	spool_close(&sp);
	agent_conf_clear(&conf);
	return status;
}

static int cmd_discover(const struct cli *c)
{
	struct agent_conf conf = { 0 };
	struct hu_sites sites = HU_SITES_INIT;
	struct hu_findings problems = HU_FINDINGS_INIT;
	struct hu_host *host = NULL;
	enum output_format fmt = output_format_from_name(c->format ? c->format : "text");
	int status = EXIT_CONFIG;

	if (fmt != OUTPUT_TEXT && fmt != OUTPUT_JSON) {
		fprintf(stderr, "huolto-agent: --format: discover prints text or json\n");
		return EXIT_CONFIG;
	}
	if (load_conf(c, &conf) < 0)
		return EXIT_CONFIG;
	if (hu_host_local_new(&host) < 0 || discover_all(host, &conf, &sites, &problems) < 0) {
		hu_log_error("site discovery failed");
		goto out;
	}
	if (output_sites(stdout, &sites, &problems, fmt) < 0 || fflush(stdout) != 0)
		goto out;
	status = 0;
out:
	hu_sites_clear(&sites);
	hu_findings_clear(&problems);
	hu_host_free(host);
	agent_conf_clear(&conf);
	return status;
}

struct lookup {
	const char *name;
	int status;
	char *text; /* the answer, printed */
	const char *errmsg;
};

static void set_text(struct lookup *l, int status, const char *errmsg, struct hu_buf *b)
{
	l->status = status;
	l->errmsg = errmsg ? errmsg : "";
	l->text = status ? NULL : hu_buf_steal(b);
	hu_buf_clear(b);
}

static void on_addrs(void *arg, int status, const struct hu_addrs *a, const char *errmsg)
{
	struct hu_buf b = HU_BUF_INIT(0);

	for (size_t i = 0; !status && i < a->n; i++)
		hu_buf_printf(&b, "%s%s", i ? " " : "", a->v[i].text);
	if (!status && a->from_static)
		hu_buf_printf(&b, " (static)");
	set_text(arg, status, errmsg, &b);
}

static void on_txt(void *arg, int status, const struct hu_strv *t, const char *errmsg)
{
	struct hu_buf b = HU_BUF_INIT(0);

	for (size_t i = 0; !status && i < t->n; i++) {
		hu_buf_printf(&b, "%s\"", i ? "\n  " : "");
		/* a record may hold anything: control characters are not printed */
		for (const char *p = t->v[i]; *p; p++) {
			unsigned char ch = (unsigned char)*p;
			char c = ch < 0x20 || ch == 0x7f ? '?' : *p;
			hu_buf_append(&b, &c, 1);
		}
		hu_buf_append(&b, "\"", 1);
	}
	set_text(arg, status, errmsg, &b);
}

static void on_mx(void *arg, int status, const struct hu_mx *mx, size_t n, const char *errmsg)
{
	struct hu_buf b = HU_BUF_INIT(0);

	for (size_t i = 0; !status && i < n; i++)
		hu_buf_printf(&b, "%s%u %s", i ? "\n  " : "", mx[i].preference, mx[i].host);
	set_text(arg, status, errmsg, &b);
}

static int cmd_resolve(const struct cli *c)
{
	struct agent_conf conf = { 0 };
	struct hu_resolver *res = NULL;
	struct hu_err err = HU_ERR_INIT;
	struct lookup *l = NULL;
	const char *type = c->type ? c->type : "addr";
	int status = EXIT_CONFIG;

	if (strcmp(type, "addr") && strcmp(type, "txt") && strcmp(type, "mx")) {
		fprintf(stderr, "huolto-agent: --type: expected addr, txt or mx\n");
		return EXIT_CONFIG;
	}
	if (c->n_names == 0) {
		fprintf(stderr, "huolto-agent: resolve needs at least one name\n");
		return EXIT_CONFIG;
	}
	if (load_conf(c, &conf) < 0)
		return EXIT_CONFIG;
	l = calloc((size_t)c->n_names, sizeof(*l));
	if (!l || hu_resolver_new(&conf.resolver, &res, &err) < 0) {
		fprintf(stderr, "huolto-agent: %s\n", hu_err_msg(&err));
		goto out;
	}
	for (int i = 0; i < c->n_names; i++) {
		l[i].name = c->names[i];
		int r = !strcmp(type, "addr")  ? hu_resolver_addrs(res, l[i].name, on_addrs, &l[i])
			: !strcmp(type, "txt") ? hu_resolver_txt(res, l[i].name, on_txt, &l[i])
					       : hu_resolver_mx(res, l[i].name, on_mx, &l[i]);
		if (r < 0) {
			l[i].status = r;
			l[i].errmsg = "cannot start the query";
		}
	}
	if (hu_resolver_wait(res, RESOLVE_DEADLINE_MS) < 0)
		goto out;
	status = 0;
	for (int i = 0; i < c->n_names; i++) {
		if (l[i].status == 0) {
			printf("%s %s %s\n", l[i].name, type, l[i].text);
			continue;
		}
		printf("%s %s %s (%s)\n", l[i].name, type, hu_resolver_status_name(l[i].status),
		       l[i].errmsg ? l[i].errmsg : "");
		status = 1;
	}
out:
	for (int i = 0; l && i < c->n_names; i++)
		free(l[i].text);
	free(l);
	hu_resolver_free(res);
	hu_err_clear(&err);
	agent_conf_clear(&conf);
	return status;
}

static int cmd_spf(const struct cli *c)
{
	struct agent_conf conf = { 0 };
	struct hu_resolver *res = NULL;
	struct hu_err err = HU_ERR_INIT;
	int status = EXIT_CONFIG;

	if (c->n_names < 2 || c->n_names > 3) {
		fprintf(stderr, "huolto-agent: usage: spf IP SENDER [HELO]\n");
		return EXIT_CONFIG;
	}
	if (load_conf(c, &conf) < 0)
		return EXIT_CONFIG;
	if (hu_resolver_new(&conf.resolver, &res, &err) < 0)
		fprintf(stderr, "huolto-agent: %s\n", hu_err_msg(&err));
	else if (spf_cmd(res, c->names[0], c->names[1], c->n_names > 2 ? c->names[2] : NULL,
			 c->at ? c->at : time(NULL), stdout) >= 0)
		status = 0;
	hu_resolver_free(res);
	hu_err_clear(&err);
	agent_conf_clear(&conf);
	return status;
}

int main(int argc, char **argv)
{
	struct cli c = { .only = HU_STRV_INIT };
	int status = parse_cli(argc, argv, &c);

	if (status >= 0)
		goto out;
	hu_log_setup("huolto-agent",
		     c.verbose >= 2 ? HU_LOG_DEBUG : (c.verbose ? HU_LOG_INFO : HU_LOG_WARNING));
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "huolto-agent: cannot initialise libraries\n");
		status = EXIT_CONFIG;
		goto out;
	}
	if (strcmp(c.command, "check") == 0)
		status = cmd_check(&c);
	else if (strcmp(c.command, "run") == 0)
		status = cmd_run(&c);
	else if (strcmp(c.command, "send") == 0)
		status = cmd_send(&c);
	else if (strcmp(c.command, "discover") == 0)
		status = cmd_discover(&c);
	else if (strcmp(c.command, "resolve") == 0)
		status = cmd_resolve(&c);
	else if (strcmp(c.command, "spf") == 0)
		status = cmd_spf(&c);
	else {
		fprintf(stderr, "huolto-agent: unknown command \"%s\"; try --help\n", c.command);
		status = EXIT_CONFIG;
	}
	curl_global_cleanup();
	ares_library_cleanup();
out:
	hu_strv_clear(&c.only);
	return status;
}
