/* SPDX-License-Identifier: MIT */
/*
 * The resolver without a DNS server: configuration, static answers, and
 * timeouts against a UDP socket that never answers. Answers from a real
 * server are tested by tests/integration/resolver_nsd.sh.
 */
#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "huolto/resolver.h"
#include "huolto/clock.h"

struct answer {
	int calls;
	int status;
	char text[256];
};

static void on_addrs(void *arg, int status, const struct hu_addrs *a, const char *errmsg)
{
	struct answer *x = arg;

	(void)errmsg;
	x->calls++;
	x->status = status;
	x->text[0] = '\0';
	for (size_t i = 0; !status && i < a->n; i++) {
		size_t l = strlen(x->text);
		snprintf(x->text + l, sizeof(x->text) - l, "%s%s", i ? " " : "", a->v[i].text);
	}
	if (!status && a->from_static) {
		size_t l = strlen(x->text);
		snprintf(x->text + l, sizeof(x->text) - l, " (static)");
	}
}

static void on_txt(void *arg, int status, const struct hu_strv *t, const char *errmsg)
{
	struct answer *x = arg;

	(void)t;
	(void)errmsg;
	x->calls++;
	x->status = status;
}

static struct hu_resolver_conf parse(const char *yaml, int want, const char *want_msg)
{
	struct hu_resolver_conf c;
	struct hu_conf *doc = NULL;
	struct hu_err err = HU_ERR_INIT;

	hu_resolver_conf_init(&c);
	assert_int_equal(hu_conf_load_string("r.yaml", yaml, strlen(yaml), &doc, &err), 0);
	int r = hu_resolver_conf_parse(hu_conf_get(doc->root, "resolver"), &c, &err);
	if (r != want)
		fail_msg("%s: got %d (%s)", yaml, r, hu_err_msg(&err));
	if (want_msg && !strstr(hu_err_msg(&err), want_msg))
		fail_msg("%s: message \"%s\"", yaml, hu_err_msg(&err));
	hu_err_clear(&err);
	hu_conf_free(doc);
	return c;
}

static void config(void **state)
{
	struct hu_resolver_conf c;
	char host[64];
	uint16_t port;

	(void)state;
	c = parse("resolver:\n  servers: [\"127.0.0.1:5353\", \"[::1]:53\", \"192.0.2.1\"]\n"
		  "  timeout_ms: 500\n  attempts: 3\n  use_hosts: false\n"
		  "  static:\n    WWW.Example.FI.: [192.0.2.10, \"2001:db8::10\"]\n",
		  0, NULL);
	assert_int_equal(c.servers.n, 3);
	assert_int_equal(c.timeout_ms, 500);
	assert_int_equal(c.attempts, 3);
	assert_false(c.use_hosts);
	assert_int_equal(c.n_statics, 1);
	assert_string_equal(c.statics[0].name, "www.example.fi");
	hu_resolver_conf_clear(&c);

	c = parse("resolver:\n  servers: [\"ns1.example.fi\"]\n", -EINVAL,
		  "r.yaml:2:13: not a nameserver address");
	hu_resolver_conf_clear(&c);
	c = parse("resolver:\n  static:\n    a.fi: [not-an-ip]\n", -EINVAL,
		  "r.yaml:3:12: not an IPv4 or IPv6 address: \"not-an-ip\"");
	hu_resolver_conf_clear(&c);
	c = parse("resolver:\n  static:\n    a.fi: []\n", -EINVAL, "needs at least one address");
	hu_resolver_conf_clear(&c);
	c = parse("resolver:\n  timeout_ms: 0\n", -ERANGE, "r.yaml:2:15: 0 is out of range");
	hu_resolver_conf_clear(&c);
	c = parse("resolver:\n  timeout: 5\n", -EINVAL, "unknown key \"timeout\"");
	hu_resolver_conf_clear(&c);

	assert_int_equal(hu_resolver_parse_server("[2001:db8::1]:5353", host, sizeof(host), &port),
			 0);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 5353);
	assert_int_equal(hu_resolver_parse_server("2001:db8::1", host, sizeof(host), &port), 0);
	assert_int_equal(port, 53);
	assert_int_equal(hu_resolver_parse_server("127.0.0.1:0", host, sizeof(host), &port),
			 -EINVAL);
	assert_int_equal(hu_resolver_parse_server("127.0.0.1:", host, sizeof(host), &port),
			 -EINVAL);
	assert_int_equal(hu_resolver_parse_server("[::1", host, sizeof(host), &port), -EINVAL);
}

/* A UDP socket on 127.0.0.1 that never answers; returns its port. */
static int blackhole(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	*fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(*fd >= 0);
	assert_int_equal(bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

static void statics_and_timeouts(void **state)
{
	struct hu_resolver_conf c =
	    parse("resolver:\n  use_hosts: false\n"
		  "  timeout_ms: 100\n  attempts: 1\n"
		  "  static: {www.example.fi: [192.0.2.10, \"2001:db8::10\"]}\n",
		  0, NULL);
	struct hu_resolver *r = NULL;
	struct hu_err err = HU_ERR_INIT;
	struct answer st = { 0 }, lit = { 0 }, txt = { 0 }, slow = { 0 };
	char server[64];
	int fd;

	(void)state;
	snprintf(server, sizeof(server), "127.0.0.1:%d", blackhole(&fd));
	hu_strv_push(&c.servers, server);
	assert_int_equal(hu_resolver_new(&c, &r, &err), 0);

	assert_int_equal(hu_resolver_addrs(r, "WWW.example.fi.", on_addrs, &st), 0);
	assert_int_equal(st.calls, 0); /* static answers come from wait() */
	assert_int_equal(hu_resolver_addrs(r, "192.0.2.77", on_addrs, &lit), 0);
	assert_int_equal(hu_resolver_txt(r, "example.fi", on_txt, &txt), 0);
	int64_t t0 = hu_mono_ms();
	assert_int_equal(hu_resolver_wait(r, 0), 0);
	assert_int_equal(hu_resolver_pending(r), 0);
	assert_int_equal(st.calls, 1);
	assert_int_equal(st.status, 0);
	assert_string_equal(st.text, "192.0.2.10 2001:db8::10 (static)");
	assert_int_equal(lit.status, 0);
	assert_string_equal(lit.text, "192.0.2.77");
	assert_int_equal(txt.calls, 1);
	assert_int_equal(txt.status, -ETIMEDOUT); /* a timeout, never "no record" */
	assert_true(hu_mono_ms() - t0 < 10000);
	hu_resolver_free(r);

	/* Long per-query timeouts, a short run deadline: the deadline wins. */
	c.timeout_ms = 30000;
	assert_int_equal(hu_resolver_new(&c, &r, &err), 0);
	assert_int_equal(hu_resolver_txt(r, "example.fi", on_txt, &slow), 0);
	t0 = hu_mono_ms();
	assert_int_equal(hu_resolver_wait(r, 200), 0);
	assert_true(hu_mono_ms() - t0 < 10000); /* not 30 s */
	assert_int_equal(slow.calls, 1);
	assert_int_equal(slow.status, -ETIMEDOUT);
	hu_resolver_free(r);

	/* Freeing with queries in flight cancels them. */
	struct answer gone = { 0 };
	assert_int_equal(hu_resolver_new(&c, &r, &err), 0);
	assert_int_equal(hu_resolver_txt(r, "example.fi", on_txt, &gone), 0);
	hu_resolver_free(r);
	assert_int_equal(gone.calls, 1);
	assert_int_equal(gone.status, -ECANCELED);

	close(fd);
	hu_resolver_conf_clear(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config),
		cmocka_unit_test(statics_and_timeouts),
	};
	assert_int_equal(ares_library_init(ARES_LIB_INIT_ALL), ARES_SUCCESS);
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	ares_library_cleanup();
	return r;
}
