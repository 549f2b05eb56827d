/* SPDX-License-Identifier: MIT */
/*
 * The OpenSPF RFC 7208 test suite (../shared/spf/rfc7208-tests.yml) through
 * spf_check_host(), with a fake DNS (fake_zone.h, which follows the rules of
 * ../shared/spf/README.md) fed from each scenario's zonedata; multi-string
 * TXT records are joined.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include <cmocka.h>

#include "dns/spf.h"
#include "huolto/buf.h"
#include "fake_zone.h"
#include "yaml_get.h"

/* Copy n bytes into buf, cut to fit. */
static void copy(char *buf, size_t len, const void *src, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
}

/* The text of a scalar, or a sequence's strings joined (multi-string TXT,
 * RFC 7208 3.3); its length, since a record may hold NULs. */
static size_t node_text(yaml_document_t *d, yaml_node_t *n, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	if (n && n->type == YAML_SCALAR_NODE) {
		copy(buf, len, n->data.scalar.value, n->data.scalar.length);
		o = n->data.scalar.length < len ? n->data.scalar.length : len - 1;
	} else if (n && n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *i = n->data.sequence.items.start;
		     i < n->data.sequence.items.top; i++) {
			yaml_node_t *s = yaml_document_get_node(d, *i);
			if (s && s->type == YAML_SCALAR_NODE && o + s->data.scalar.length < len) {
				copy(buf + o, len - o, s->data.scalar.value, s->data.scalar.length);
				o += s->data.scalar.length;
			}
		}
		buf[o] = '\0';
	}
	return o;
}

static void load_zone(yaml_document_t *d, yaml_node_t *zd, struct fake_zone *z)
{
	if (!zd || zd->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = zd->data.mapping.pairs.start; p < zd->data.mapping.pairs.top;
	     p++) {
		char name[256], type[16], value[1024];
		node_text(d, yaml_document_get_node(d, p->key), name, sizeof(name));
		yaml_node_t *list = yaml_document_get_node(d, p->value);
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top; i++) {
			yaml_node_t *e = yaml_document_get_node(d, *i);
			if (e->type == YAML_SCALAR_NODE) { /* a bare TIMEOUT */
				fake_zone_fail(z, name, -ETIMEDOUT);
				continue;
			}
			yaml_node_pair_t *kv = e->data.mapping.pairs.start;
			node_text(d, yaml_document_get_node(d, kv->key), type, sizeof(type));
			yaml_node_t *v = yaml_document_get_node(d, kv->value);
			size_t n;
			if (!strcmp(type, "MX")) {
				char pref[16], host[256];
				node_text(
				    d, yaml_document_get_node(d, v->data.sequence.items.start[0]),
				    pref, sizeof(pref));
				node_text(
				    d, yaml_document_get_node(d, v->data.sequence.items.start[1]),
				    host, sizeof(host));
				n = (size_t)snprintf(value, sizeof(value), "%s %s", pref, host);
			} else {
				n = node_text(d, v, value, sizeof(value));
			}
			fake_zone_add_bytes(z, name, type, value, n);
		}
	}
}

struct tally {
	int run, passed;
	struct hu_buf failures;
};

static void run_case(yaml_document_t *d, const char *id, yaml_node_t *t, struct fake_zone *z,
		     struct tally *tl)
{
	char helo[256], host[64], mailfrom[512], expl[512], sender[600], domain[512];
	struct hu_buf want = HU_BUF_INIT(0);
	yaml_node_t *res = yaml_get(d, t, "result");
	struct dv_source src = { fake_zone_fill, z };
	struct dnsview *dv = NULL;
	struct spf_eval e = { 0 };
	enum spf_result got = SPF_NONE;

	node_text(d, yaml_get(d, t, "helo"), helo, sizeof(helo));
	node_text(d, yaml_get(d, t, "host"), host, sizeof(host));
	node_text(d, yaml_get(d, t, "mailfrom"), mailfrom, sizeof(mailfrom));
	yaml_node_t *ex = yaml_get(d, t, "explanation");
	node_text(d, ex, expl, sizeof(expl));
	if (mailfrom[0]) {
		const char *at = strrchr(mailfrom, '@');
		snprintf(domain, sizeof(domain), "%s", at ? at + 1 : mailfrom);
		snprintf(sender, sizeof(sender), "%s", mailfrom);
	} else {
		snprintf(domain, sizeof(domain), "%s", helo);
		snprintf(sender, sizeof(sender), "postmaster@%s", helo);
	}
	assert_int_equal(dv_new(&src, &dv), 0);
	e.dv = dv;
	e.sender = sender;
	e.helo = helo;
	e.now = 1795305600;
	if (spf_eval_set_ip(&e, host) < 0)
		fail_msg("%s: bad host %s", id, host);
	int r = spf_check_host(&e, domain, &got);
	assert_int_equal(r, 0);

	bool ok = false;
	if (res->type == YAML_SCALAR_NODE) {
		char w[32];
		node_text(d, res, w, sizeof(w));
		hu_buf_printf(&want, "%s", w);
		ok = !strcmp(w, spf_result_name(got));
	} else {
		for (yaml_node_item_t *i = res->data.sequence.items.start;
		     i < res->data.sequence.items.top; i++) {
			char w[32];
			node_text(d, yaml_document_get_node(d, *i), w, sizeof(w));
			hu_buf_printf(&want, "%s%s", want.len ? "|" : "", w);
			ok |= !strcmp(w, spf_result_name(got));
		}
	}
	if (ok && ex) {
		if (e.has_explanation)
			ok = !strcmp(expl, e.explanation);
		else
			ok = !strcmp(expl, "DEFAULT");
	}
	tl->run++;
	if (ok)
		tl->passed++;
	else
		hu_buf_printf(&tl->failures, "  %s: want %s%s%s, got %s%s%s (%s)\n", id, want.data,
			      ex ? " / " : "", ex ? expl : "", spf_result_name(got),
			      e.has_explanation ? " / " : "",
			      e.has_explanation ? e.explanation : "", e.reason);
	hu_buf_clear(&want);
	dv_free(dv);
}

static void suite(void **state)
{
	const char *path = getenv("SPF_SUITE");
	FILE *f = fopen(path ? path : "../shared/spf/rfc7208-tests.yml", "rb");
	yaml_parser_t parser;
	struct tally tl = { .failures = HU_BUF_INIT(0) };

	(void)state;
	if (!f)
		fail_msg("cannot open the suite (SPF_SUITE=%s)", path ? path : "(unset)");
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_file(&parser, f);
	for (;;) {
		yaml_document_t d;
		if (!yaml_parser_load(&parser, &d))
			fail_msg("YAML error: %s", parser.problem);
		yaml_node_t *root = yaml_document_get_root_node(&d);
		if (!root) {
			yaml_document_delete(&d);
			break;
		}
		struct fake_zone z = { 0 };
		load_zone(&d, yaml_get(&d, root, "zonedata"), &z);
		yaml_node_t *tests = yaml_get(&d, root, "tests");
		if (!tests || tests->type != YAML_MAPPING_NODE)
			fail_msg("a scenario without tests");
		for (yaml_node_pair_t *p = tests->data.mapping.pairs.start;
		     p < tests->data.mapping.pairs.top; p++) {
			char id[128];
			node_text(&d, yaml_document_get_node(&d, p->key), id, sizeof(id));
			run_case(&d, id, yaml_document_get_node(&d, p->value), &z, &tl);
		}
		fake_zone_clear(&z);
		yaml_document_delete(&d);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	print_message("%d/%d tests of the RFC 7208 suite pass\n%s", tl.passed, tl.run,
		      tl.failures.data ? tl.failures.data : "");
	hu_buf_clear(&tl.failures);
	assert_int_equal(tl.run, 203);
	assert_int_equal(tl.passed, tl.run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
