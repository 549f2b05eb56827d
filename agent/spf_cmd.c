/* SPDX-License-Identifier: MIT */
/*
 * `huolto-agent spf IP SENDER [HELO]`: one check_host() evaluation over the
 * network, as a receiving mail server would make it; the diagnostic behind
 * spf.server_not_authorized.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns/spf.h"
#include "output.h"
#include "spf_cmd.h"

#define ROUNDS   40
#define ROUND_MS 30000

struct spf_step {
	struct spf_eval *e;
	const char *domain;
	enum spf_result result;
};

static int step(void *arg)
{
	struct spf_step *s = arg;

	/* a fresh evaluation each round: only the view carries over */
	s->e->lookups = s->e->voids = 0;
	s->e->has_explanation = false;
	s->e->explanation[0] = s->e->reason[0] = '\0';
	return spf_check_host(s->e, s->domain, &s->result);
}

int spf_cmd(struct hu_resolver *res, const char *ip, const char *sender_arg, const char *helo_arg,
	    time_t now, FILE *out)
{
	char helo[256], sender[600];
	const char *domain;
	struct dnsview *dv = NULL;
	unsigned rounds = 0;
	int r;

	if (helo_arg)
		snprintf(helo, sizeof(helo), "%s", helo_arg);
	else if (gethostname(helo, sizeof(helo)) < 0)
		snprintf(helo, sizeof(helo), "localhost");
	helo[sizeof(helo) - 1] = '\0';
	/* RFC 7208 2.4: an empty MAIL FROM is checked as postmaster@HELO; a
	 * sender without a local part gets "postmaster" (4.3). */
	const char *at = strrchr(sender_arg, '@');
	if (!*sender_arg)
		snprintf(sender, sizeof(sender), "postmaster@%s", helo);
	else if (!at)
		snprintf(sender, sizeof(sender), "postmaster@%s", sender_arg);
	else if (at == sender_arg)
		snprintf(sender, sizeof(sender), "postmaster%s", sender_arg);
	else
		snprintf(sender, sizeof(sender), "%s", sender_arg);
	domain = strrchr(sender, '@') + 1;

	struct spf_eval e = { .sender = sender, .helo = helo, .now = now };
	if (spf_eval_set_ip(&e, ip) < 0) {
		fprintf(stderr, "huolto-agent: spf: \"%s\" is not an IP address\n", ip);
		return -EINVAL;
	}
	r = dv_new(NULL, &dv);
	if (r < 0)
		return r;
	dv_set_follow(dv, spf_follow, NULL);
	e.dv = dv;
	struct spf_step s = { .e = &e, .domain = domain };
	r = dv_run(dv, res, ROUND_MS, ROUNDS, step, &s, &rounds);
	if (r == -EAGAIN) {
		fprintf(stderr, "huolto-agent: spf: the lookups did not finish in %u rounds\n",
			rounds);
		r = -ETIMEDOUT;
	}
	if (r >= 0) {
		fprintf(out, "%s\n", spf_result_name(s.result));
		fprintf(out, "  domain: ");
		output_put_safe(out, domain);
		fprintf(out, "\n  sender: ");
		output_put_safe(out, sender);
		fprintf(out, "\n  reason: ");
		output_put_safe(out, e.reason);
		if (e.has_explanation) {
			fprintf(out, "\n  explanation: ");
			output_put_safe(out, e.explanation);
		}
		fprintf(out, "\n  lookups: %u, void lookups: %u, queries: %zu\n", e.lookups,
			e.voids, dv_queries(dv));
	}
	dv_free(dv);
	return r;
}
