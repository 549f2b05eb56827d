/* SPDX-License-Identifier: MIT */
/*
 * The lints of the dns check (SPF, DMARC, MX) on zones held in memory: each
 * test builds a small zone, runs one lint on a domain and compares the
 * finding codes exactly, then the facts that matter. The DMARC cases follow
 * ../shared/reference/dmarc-cases.md, judged by RFC 7489.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns/dnslint.h"
#include "fake_zone.h"
#include "huolto/buf.h"

typedef int (*lint_fn)(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out);

struct fx {
	struct fake_zone z;
	struct hu_findings f;
	struct hu_strv outbound;
	psl_ctx_t *psl;
	char codes[1024];
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	x->psl = psl_latest(NULL);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	fake_zone_clear(&x->z);
	hu_findings_clear(&x->f);
	hu_strv_clear(&x->outbound);
	if (x->psl)
		psl_free(x->psl);
	free(x);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Run one lint on domain; the sorted codes found, space-separated. */
static const char *lint(struct fx *x, lint_fn fn, const char *domain)
{
	struct dv_source src = { fake_zone_fill, &x->z };
	struct dnsview *dv = NULL;
	const char *codes[64];
	size_t n = 0, o = 0;

	hu_findings_clear(&x->f);
	assert_int_equal(dv_new(&src, &dv), 0);
	struct dns_lint_ctx c = { .dv = dv,
				  .psl = x->psl ? x->psl : psl_builtin(),
				  .outbound = &x->outbound,
				  .helo = "web01.agency.example",
				  .now = 1795305600 };
	assert_int_equal(fn(&c, domain, &x->f), 0);
	dv_free(dv);
	for (size_t i = 0; i < x->f.n && n < 64; i++)
		codes[n++] = x->f.v[i].code;
	qsort(codes, n, sizeof(*codes), cmp_str);
	x->codes[0] = '\0';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(x->codes + o, sizeof(x->codes) - o, "%s%s", i ? " " : "",
				      codes[i]);
	return x->codes;
}

static json_t *facts(struct fx *x, const char *code)
{
	const struct hu_finding *f = hu_findings_find(&x->f, code);

	if (!f)
		fail_msg("no %s finding", code);
	return f->facts;
}

static json_int_t fact_int(struct fx *x, const char *code, const char *key)
{
	json_t *v = json_object_get(facts(x, code), key);

	if (!json_is_integer(v))
		fail_msg("%s has no integer fact %s", code, key);
	return json_integer_value(v);
}

static const char *fact_str(struct fx *x, const char *code, const char *key)
{
	json_t *v = json_object_get(facts(x, code), key);

	if (!json_is_string(v))
		fail_msg("%s has no string fact %s", code, key);
	return json_string_value(v);
}

#define TXT(name, value) fake_zone_add(&x->z, name, "TXT", value)
#define ADDR(name, ip)   fake_zone_add(&x->z, name, strchr(ip, ':') ? "AAAA" : "A", ip)

/* --- SPF ---------------------------------------------------------------- */

static void spf_ok(void **state)
{
	struct fx *x = *state;

	TXT("example.fi", "v=spf1 ip4:192.0.2.0/24 include:_spf.mailhost.example -all");
	TXT("_spf.mailhost.example", "v=spf1 ip4:198.51.100.0/24 ~all");
	hu_strv_push(&x->outbound, "192.0.2.10");
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.ok");
	assert_int_equal(fact_int(x, "spf.ok", "lookups"), 1);
	assert_int_equal(json_array_size(json_object_get(facts(x, "spf.ok"), "includes")), 2);
	assert_string_equal(fact_str(x, "spf.ok", "record"),
			    "v=spf1 ip4:192.0.2.0/24 include:_spf.mailhost.example -all");
	/* an address authorized through the include passes too */
	hu_strv_clear(&x->outbound);
	hu_strv_push(&x->outbound, "198.51.100.7");
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.ok");
}

static void spf_missing_and_multiple(void **state)
{
	struct fx *x = *state;

	TXT("example.fi", "google-site-verification=abc");
	hu_strv_push(&x->outbound, "192.0.2.10");
	/* no record: spf.missing alone, not also server_not_authorized */
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.missing");
	assert_string_equal(lint(x, spf_lint, "nothing.example"), "spf.missing");
	TXT("two.example", "v=spf1 -all");
	TXT("two.example", "v=spf1 a -all");
	assert_string_equal(lint(x, spf_lint, "two.example"), "spf.multiple");
	assert_int_equal(fact_int(x, "spf.multiple", "records"), 2);
	/* "v=spf10" is not a record */
	TXT("ten.example", "v=spf10 -all");
	assert_string_equal(lint(x, spf_lint, "ten.example"), "spf.missing");
}

static void spf_syntax(void **state)
{
	struct fx *x = *state;

	TXT("example.fi", "v=spf1 ip4:192.0.2.300 -all");
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.syntax");
	assert_string_equal(fact_str(x, "spf.syntax", "term"), "ip4:192.0.2.300");
	assert_int_equal(fact_int(x, "spf.syntax", "position"), 7);
	/* a syntax error in an included record counts as well */
	TXT("inc.example", "v=spf1 include:bad.example -all");
	TXT("bad.example", "v=spf1 ip4:192.0.2.1/33 -all");
	assert_string_equal(lint(x, spf_lint, "inc.example"), "spf.syntax");
	assert_string_equal(fact_str(x, "spf.syntax", "at"), "bad.example");
}

static void spf_too_many_lookups(void **state)
{
	struct fx *x = *state;
	char name[64], rec[128];

	/* a chain of 11 includes, each spending one lookup */
	for (int i = 0; i < 11; i++) {
		snprintf(name, sizeof(name), "n%d.example", i);
		snprintf(rec, sizeof(rec), "v=spf1 include:n%d.example -all", i + 1);
		TXT(name, rec);
	}
	TXT("n11.example", "v=spf1 ip4:192.0.2.1 -all");
	assert_string_equal(lint(x, spf_lint, "n0.example"), "spf.too_many_lookups");
	assert_int_equal(fact_int(x, "spf.too_many_lookups", "count"), 11);
	json_t *chain = json_object_get(facts(x, "spf.too_many_lookups"), "chain");
	assert_int_equal(json_array_size(chain), 11);
	assert_string_equal(json_string_value(json_array_get(chain, 0)),
			    "n0.example: include:n1.example");
	/* ten is allowed */
	assert_string_equal(lint(x, spf_lint, "n1.example"), "spf.ok");
	assert_int_equal(fact_int(x, "spf.ok", "lookups"), 10);
}

static void spf_void_lookups(void **state)
{
	struct fx *x = *state;

	TXT("example.fi", "v=spf1 a:gone1.example a:gone2.example mx:gone3.example -all");
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.void_lookups");
	assert_int_equal(fact_int(x, "spf.void_lookups", "count"), 3);
	TXT("two.example", "v=spf1 a:gone1.example a:gone2.example -all");
	assert_string_equal(lint(x, spf_lint, "two.example"), "spf.ok");
	assert_int_equal(fact_int(x, "spf.ok", "void_lookups"), 2);
}

static void spf_loop_and_include_missing(void **state)
{
	struct fx *x = *state;

	TXT("a.example", "v=spf1 include:b.example -all");
	TXT("b.example", "v=spf1 include:a.example -all");
	assert_string_equal(lint(x, spf_lint, "a.example"), "spf.loop");
	TXT("r.example", "v=spf1 redirect=r.example");
	assert_string_equal(lint(x, spf_lint, "r.example"), "spf.loop");
	assert_string_equal(fact_str(x, "spf.loop", "via"), "redirect");
	TXT("c.example", "v=spf1 include:nospf.example -all");
	TXT("nospf.example", "some other text");
	assert_string_equal(lint(x, spf_lint, "c.example"), "spf.include_missing");
	assert_string_equal(fact_str(x, "spf.include_missing", "target"), "nospf.example");
	TXT("d.example", "v=spf1 redirect=gone.example");
	assert_string_equal(lint(x, spf_lint, "d.example"), "spf.include_missing");
	assert_string_equal(fact_str(x, "spf.include_missing", "via"), "redirect");
}

static void spf_policy(void **state)
{
	struct fx *x = *state;

	TXT("plus.example", "v=spf1 a +all");
	ADDR("plus.example", "192.0.2.1");
	assert_string_equal(lint(x, spf_lint, "plus.example"), "spf.permissive_all");
	TXT("bare.example", "v=spf1 all");
	assert_string_equal(lint(x, spf_lint, "bare.example"), "spf.permissive_all");
	TXT("q.example", "v=spf1 ip4:192.0.2.1 ?all");
	assert_string_equal(lint(x, spf_lint, "q.example"), "spf.neutral_all");
	TXT("none.example", "v=spf1 ip4:192.0.2.1");
	assert_string_equal(lint(x, spf_lint, "none.example"), "spf.neutral_all");
	/* a redirect's target speaks for the domain */
	TXT("redir.example", "v=spf1 redirect=plus.example");
	assert_string_equal(lint(x, spf_lint, "redir.example"), "spf.permissive_all");
	TXT("redir2.example", "v=spf1 redirect=q.example");
	assert_string_equal(lint(x, spf_lint, "redir2.example"), "spf.neutral_all");
	/* an included record's policy does not matter (RFC 7208 5.2) */
	TXT("inc.example", "v=spf1 include:q.example -all");
	assert_string_equal(lint(x, spf_lint, "inc.example"), "spf.ok");
	TXT("ptr.example", "v=spf1 ptr -all");
	assert_string_equal(lint(x, spf_lint, "ptr.example"), "spf.ptr");
}

static void spf_too_long_and_type99(void **state)
{
	struct fx *x = *state;
	struct hu_buf rec = HU_BUF_INIT(0);

	hu_buf_printf(&rec, "v=spf1");
	for (int i = 0; rec.len < 460; i++)
		hu_buf_printf(&rec, " ip4:192.0.2.%d", i);
	hu_buf_printf(&rec, " -all");
	TXT("long.example", rec.data);
	assert_string_equal(lint(x, spf_lint, "long.example"), "spf.too_long");
	assert_int_equal(fact_int(x, "spf.too_long", "length"), (json_int_t)rec.len);
	hu_buf_clear(&rec);
	fake_zone_add(&x->z, "t99.example", "TXT", "v=spf1 -all");
	fake_zone_add(&x->z, "t99.example", "SPF", "v=spf1 -all");
	assert_string_equal(lint(x, spf_lint, "t99.example"), "spf.type99");
}

static void spf_server_not_authorized(void **state)
{
	struct fx *x = *state;

	TXT("example.fi", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all");
	hu_strv_push(&x->outbound, "192.0.2.10");
	hu_strv_push(&x->outbound, "2001:db8::25");
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.ok");
	hu_strv_push(&x->outbound, "203.0.113.5");
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.server_not_authorized");
	assert_string_equal(fact_str(x, "spf.server_not_authorized", "address"), "203.0.113.5");
	assert_string_equal(fact_str(x, "spf.server_not_authorized", "result"), "fail");
	/* the a and mx mechanisms count too */
	TXT("mx.example", "v=spf1 mx ~all");
	fake_zone_add(&x->z, "mx.example", "MX", "10 mail.mx.example");
	ADDR("mail.mx.example", "203.0.113.5");
	hu_strv_clear(&x->outbound);
	hu_strv_push(&x->outbound, "203.0.113.5");
	assert_string_equal(lint(x, spf_lint, "mx.example"), "spf.ok");
	hu_strv_clear(&x->outbound);
	hu_strv_push(&x->outbound, "203.0.113.6");
	assert_string_equal(lint(x, spf_lint, "mx.example"), "spf.server_not_authorized");
	assert_string_equal(fact_str(x, "spf.server_not_authorized", "result"), "softfail");
}

static void spf_unresolved(void **state)
{
	struct fx *x = *state;

	/* a lookup that fails is never a missing record, nor an ok one */
	fake_zone_fail(&x->z, "slow.example", -ETIMEDOUT);
	hu_strv_push(&x->outbound, "192.0.2.10");
	assert_string_equal(lint(x, spf_lint, "slow.example"), "dns.unresolved");
	assert_string_equal(fact_str(x, "dns.unresolved", "name"), "slow.example");
	assert_string_equal(fact_str(x, "dns.unresolved", "type"), "TXT");
	assert_string_equal(fact_str(x, "dns.unresolved", "error"), "TIMEOUT");
	TXT("inc.example", "v=spf1 ip4:192.0.2.0/24 include:broken.example -all");
	fake_zone_fail(&x->z, "broken.example", -EIO);
	assert_string_equal(lint(x, spf_lint, "inc.example"), "dns.unresolved");
	assert_string_equal(fact_str(x, "dns.unresolved", "name"), "broken.example");
	assert_string_equal(fact_str(x, "dns.unresolved", "error"), "SERVFAIL");
}

static void spf_mx_too_many(void **state)
{
	struct fx *x = *state;
	char mx[64];

	TXT("example.fi", "v=spf1 mx -all");
	for (int i = 0; i < 11; i++) {
		snprintf(mx, sizeof(mx), "%d mx%d.example.fi", i, i);
		fake_zone_add(&x->z, "example.fi", "MX", mx);
	}
	assert_string_equal(lint(x, spf_lint, "example.fi"), "spf.mx_too_many");
	assert_int_equal(fact_int(x, "spf.mx_too_many", "mx_count"), 11);
}

/* --- DMARC -------------------------------------------------------------- */

struct dmarc_case {
	const char *record;
	const char *codes;
};

/* Records at _dmarc.abuse.net (dmarc-cases.md A, B, C, E), judged by RFC 7489. */
static const struct dmarc_case dmarc_cases[] = {
	{ "v=DMARC1; p=none; rf=afrf; rua=mailto:dmarc-a@abuse.net; ruf=mailto:dmarc-f@abuse.net",
	  "dmarc.policy_none" },
	{ "v=DMARC1; p=none;", "dmarc.no_rua dmarc.policy_none" },
	{ "v=DMARC1; p=reject;", "dmarc.no_rua" },
	{ "v=DMARC1; p=quarantine; rua=mailto:d@abuse.net", "dmarc.ok" },
	/* OpenDMARC accepts abbreviations; RFC 7489's ABNF does not */
	{ "v=DMARC1; p=n;", "dmarc.syntax" },
	{ "V=BOB", "dmarc.missing" },
	{ "v=DMARC1; p=bob;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; sp=bob;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; adkim=bob;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; aspf=bob;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; rf=bob;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; ri=bob;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; pct=500;", "dmarc.syntax" },
	{ "v=DMARC1; pct=100;", "dmarc.syntax" },
	{ "v=DMARC1; p=none; rua=ftp://abuse.com", "dmarc.syntax" },
	{ "v=DMARC1; p=none; ruf=mailto://abuse.com", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; rua=mailto:d@abuse.net; foo=bar; buzz=happy;", "dmarc.ok" },
	{ "v=DMARC1; p=none; rf=000000000000000000000000000000000", "dmarc.syntax" },
	{ "v=DMARC1;p=ReJect;rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "v = DMARC1\t;\tp\t=\treject\t; rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "V=DMARC1;p=reject;rua=mailto:d@abuse.net;", "dmarc.ok" },
	{ "v=dmarc1; p=reject", "dmarc.missing" },
	{ "v=DMARC1; p=none; rua=reports@abuse.net,mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; p=none", "dmarc.syntax" },
	{ "v=DMARC1; p", "dmarc.syntax" },
	{ "v=DMARC1; sp=none; p=reject", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; sp=none; rua=mailto:d@abuse.net", "dmarc.subdomain_policy_none" },
	{ "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "v=DMARC1; p=reject; pct=50; rua=mailto:d@abuse.net", "dmarc.pct_partial" },
	{ "v=DMARC1; p=reject; pct=0; rua=mailto:d@abuse.net", "dmarc.pct_partial" },
	{ "v=DMARC1; p=reject; pct=100; rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "v=DMARC1; p=reject; pct=1.1; rua=mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; pct=-1; rua=mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; ri=4294967296; rua=mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; fo=0:1:d:s; rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "v=DMARC1; p=reject; fo=00; rua=mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; adkim=relaxed; rua=mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=DMARC1; p=reject; rf=afrf:iodef; rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "v=DMARC1; p=reject; rua=mailto:d@abuse.net!10m", "dmarc.ok" },
	{ "v=DMARC1; p=reject; rua=https://abuse.net/dmarc", "dmarc.ok" },
	{ "v=DMARC1; p=reject; rua=a@abuse.net;", "dmarc.syntax" },
	/* DMARCbis tags are unknown to RFC 7489: ignored (6.3) */
	{ "v=DMARC1; p=reject; np=quarantine; psd=n; t=y; rua=mailto:d@abuse.net", "dmarc.ok" },
	{ "v=DMARC1", "dmarc.syntax" },
	{ " v=DMARC1; p=reject; rua=mailto:d@abuse.net", "dmarc.syntax" },
	{ "v=spf1 include:example.com -all", "dmarc.missing" },
	{ "", "dmarc.missing" },
};

static void dmarc_records(void **state)
{
	struct fx *x = *state;
	size_t failures = 0;

	for (size_t i = 0; i < sizeof(dmarc_cases) / sizeof(dmarc_cases[0]); i++) {
		fake_zone_clear(&x->z);
		TXT("_dmarc.abuse.net", dmarc_cases[i].record);
		const char *got = lint(x, dmarc_lint, "abuse.net");
		if (strcmp(got, dmarc_cases[i].codes)) {
			print_error("\"%s\": want %s, got %s\n", dmarc_cases[i].record,
				    dmarc_cases[i].codes, got);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void dmarc_facts(void **state)
{
	struct fx *x = *state;

	TXT("_dmarc.example.fi", "v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.fi");
	assert_string_equal(lint(x, dmarc_lint, "example.fi"), "dmarc.pct_partial");
	assert_int_equal(fact_int(x, "dmarc.pct_partial", "pct"), 25);
	assert_string_equal(fact_str(x, "dmarc.pct_partial", "effective_policy"), "quarantine");
	TXT("_dmarc.bad.example", "v=DMARC1; p=bob");
	assert_string_equal(lint(x, dmarc_lint, "bad.example"), "dmarc.syntax");
	assert_string_equal(fact_str(x, "dmarc.syntax", "reason"), "p=bob is not a valid value");
}

static void dmarc_lookup(void **state)
{
	struct fx *x = *state;

	/* two records: multiple, and no fallback to the organizational domain */
	TXT("_dmarc.example.co.uk", "v=DMARC1; p=reject; rua=mailto:d@example.co.uk");
	TXT("_dmarc.two.example.co.uk", "v=DMARC1; p=reject;");
	TXT("_dmarc.two.example.co.uk", "v=DMARC1; p=quarantine;");
	assert_string_equal(lint(x, dmarc_lint, "two.example.co.uk"), "dmarc.multiple");
	/* a record beside unrelated TXT is fine */
	TXT("_dmarc.three.example.co.uk", "v=DMARC1; p=reject; rua=mailto:d@example.co.uk");
	TXT("_dmarc.three.example.co.uk", "some verification token");
	assert_string_equal(lint(x, dmarc_lint, "three.example.co.uk"), "dmarc.ok");
	/* none at the subdomain: the organizational domain's, found through the PSL */
	assert_string_equal(lint(x, dmarc_lint, "shop.example.co.uk"), "dmarc.ok");
	assert_string_equal(fact_str(x, "dmarc.ok", "at"), "example.co.uk");
	assert_true(json_is_true(json_object_get(facts(x, "dmarc.ok"), "inherited")));
	/* there sp is the subdomain's policy */
	TXT("_dmarc.sp.example", "v=DMARC1; p=reject; sp=none; rua=mailto:d@sp.example");
	assert_string_equal(lint(x, dmarc_lint, "www.sp.example"),
			    "dmarc.policy_none dmarc.subdomain_policy_none");
	/* no record anywhere */
	assert_string_equal(lint(x, dmarc_lint, "bare.example"), "dmarc.missing");
	/* a record at the apex instead of _dmarc has no effect */
	TXT("apex.example", "v=DMARC1; p=reject");
	assert_string_equal(lint(x, dmarc_lint, "apex.example"), "dmarc.missing");
	/* a failed lookup is not a missing record */
	fake_zone_fail(&x->z, "_dmarc.slow.example", -ECONNREFUSED);
	assert_string_equal(lint(x, dmarc_lint, "slow.example"), "dns.unresolved");
	assert_string_equal(fact_str(x, "dns.unresolved", "name"), "_dmarc.slow.example");
	assert_string_equal(fact_str(x, "dns.unresolved", "type"), "TXT");
}

static void dmarc_destinations(void **state)
{
	struct fx *x = *state;

	/* reports to another organization need its authorization record (7.1) */
	TXT("_dmarc.example.fi", "v=DMARC1; p=reject; rua=mailto:r@reports.example, "
				 "mailto:a@example.fi; ruf=mailto:f@forensic.example");
	TXT("example.fi._report._dmarc.reports.example", "v=DMARC1");
	assert_string_equal(lint(x, dmarc_lint, "example.fi"), "dmarc.rua_unauthorized");
	assert_string_equal(fact_str(x, "dmarc.rua_unauthorized", "tag"), "ruf");
	assert_string_equal(fact_str(x, "dmarc.rua_unauthorized", "authorization"),
			    "example.fi._report._dmarc.forensic.example");
	TXT("example.fi._report._dmarc.forensic.example", "v=DMARC1;");
	assert_string_equal(lint(x, dmarc_lint, "example.fi"), "dmarc.ok");
	/* a subdomain of the same organization needs none */
	TXT("_dmarc.org.example", "v=DMARC1; p=reject; rua=mailto:r@reports.org.example");
	assert_string_equal(lint(x, dmarc_lint, "org.example"), "dmarc.ok");
}

/* --- MX ----------------------------------------------------------------- */

static void mx_codes(void **state)
{
	struct fx *x = *state;

	fake_zone_add(&x->z, "ok.example", "MX", "10 mx1.ok.example");
	fake_zone_add(&x->z, "ok.example", "MX", "20 mx2.ok.example");
	ADDR("mx1.ok.example", "192.0.2.25");
	ADDR("mx2.ok.example", "2001:db8::25");
	assert_string_equal(lint(x, mx_lint, "ok.example"), "mx.ok");
	json_t *mx = json_object_get(facts(x, "mx.ok"), "mx");
	assert_int_equal(json_array_size(mx), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(mx, 1), "preference")),
			 20);

	ADDR("nomx.example", "192.0.2.80");
	assert_string_equal(lint(x, mx_lint, "nomx.example"), "mx.missing");
	assert_string_equal(lint(x, mx_lint, "nxdomain.example"), "mx.missing");

	fake_zone_add(&x->z, "null.example", "MX", "0 .");
	assert_string_equal(lint(x, mx_lint, "null.example"), "mx.null");
	assert_int_equal(facts(x, "mx.null") != NULL, 1);

	fake_zone_add(&x->z, "mixed.example", "MX", "0 .");
	fake_zone_add(&x->z, "mixed.example", "MX", "10 mx1.ok.example");
	assert_string_equal(lint(x, mx_lint, "mixed.example"), "mx.null_mixed");

	fake_zone_add(&x->z, "alias.example", "MX", "10 mail.alias.example");
	fake_zone_add(&x->z, "mail.alias.example", "CNAME", "mx1.ok.example");
	assert_string_equal(lint(x, mx_lint, "alias.example"), "mx.cname");
	assert_string_equal(fact_str(x, "mx.cname", "exchange"), "mail.alias.example");

	fake_zone_add(&x->z, "lit.example", "MX", "10 192.0.2.25");
	assert_string_equal(lint(x, mx_lint, "lit.example"), "mx.ip_literal");

	fake_zone_add(&x->z, "dangling.example", "MX", "10 gone.dangling.example");
	assert_string_equal(lint(x, mx_lint, "dangling.example"), "mx.no_address");
	assert_string_equal(fact_str(x, "mx.no_address", "exchange"), "gone.dangling.example");

	fake_zone_fail(&x->z, "slow.example", -ETIMEDOUT);
	assert_string_equal(lint(x, mx_lint, "slow.example"), "dns.unresolved");
	assert_string_equal(fact_str(x, "dns.unresolved", "type"), "MX");

	fake_zone_add(&x->z, "slowmx.example", "MX", "10 mx.slow.example");
	fake_zone_fail(&x->z, "mx.slow.example", -EIO);
	assert_string_equal(lint(x, mx_lint, "slowmx.example"), "dns.unresolved");
	assert_string_equal(fact_str(x, "dns.unresolved", "name"), "mx.slow.example");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(spf_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_missing_and_multiple, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_too_many_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_void_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_loop_and_include_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_too_long_and_type99, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_server_not_authorized, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_unresolved, setup, teardown),
		cmocka_unit_test_setup_teardown(spf_mx_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(dmarc_records, setup, teardown),
		cmocka_unit_test_setup_teardown(dmarc_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(dmarc_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(dmarc_destinations, setup, teardown),
		cmocka_unit_test_setup_teardown(mx_codes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
