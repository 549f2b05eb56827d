/* SPDX-License-Identifier: MIT */
/*
 * The OpenSPF RFC 7208 test suite (../shared/spf/rfc7208-tests.yml) through
 * spf_check_host(), with a fake DNS fed from each scenario's zonedata by the
 * rules of ../shared/spf/README.md:
 *   an SPF entry is also served as TXT unless the name has its own TXT entry;
 *   a bare TIMEOUT makes every type not listed at that name time out;
 *   a name missing from zonedata is NXDOMAIN, a present name without the
 *   type answers no records; multi-string TXT records are joined.
 *   CNAME entries are followed (a loop is a DNS error).
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

struct rr {
	char name[256];
	char type[16];
	char value[1024]; /* TXT/SPF joined; MX "pref name"; "NONE" */
	bool timeout;     /* a bare TIMEOUT */
};

struct zone {
	struct rr *v;
	size_t n;
};

/* Copy n bytes into buf, cut to fit. */
static void copy(char *buf, size_t len, const void *src, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
	/* A NUL in a record becomes \x01, as the real DNS view does. */
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = '\x01';
}

static char *node_text(yaml_document_t *d, yaml_node_t *n, char *buf, size_t len)
{
	buf[0] = '\0';
	if (n && n->type == YAML_SCALAR_NODE)
		copy(buf, len, n->data.scalar.value, n->data.scalar.length);
	else if (n && n->type == YAML_SEQUENCE_NODE) {
		/* multi-string TXT: joined with nothing between (RFC 7208 3.3) */
		size_t o = 0;
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
	return buf;
}

static yaml_node_t *map_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void strip_dot(char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == '.')
		s[n - 1] = '\0';
}

static void load_zone(yaml_document_t *d, yaml_node_t *zd, struct zone *z)
{
	if (!zd || zd->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = zd->data.mapping.pairs.start; p < zd->data.mapping.pairs.top;
	     p++) {
		char name[256];
		node_text(d, yaml_document_get_node(d, p->key), name, sizeof(name));
		lower(name);
		strip_dot(name);
		yaml_node_t *list = yaml_document_get_node(d, p->value);
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top; i++) {
			yaml_node_t *e = yaml_document_get_node(d, *i);
			struct rr rr = { 0 };
			snprintf(rr.name, sizeof(rr.name), "%s", name);
			if (e->type == YAML_SCALAR_NODE) { /* TIMEOUT */
				rr.timeout = true;
			} else {
				yaml_node_pair_t *kv = e->data.mapping.pairs.start;
				node_text(d, yaml_document_get_node(d, kv->key), rr.type,
					  sizeof(rr.type));
				yaml_node_t *v = yaml_document_get_node(d, kv->value);
				if (!strcmp(rr.type, "MX")) {
					char pref[16], host[256];
					node_text(d,
						  yaml_document_get_node(
						      d, v->data.sequence.items.start[0]),
						  pref, sizeof(pref));
					node_text(d,
						  yaml_document_get_node(
						      d, v->data.sequence.items.start[1]),
						  host, sizeof(host));
					snprintf(rr.value, sizeof(rr.value), "%s %s", pref, host);
				} else {
					node_text(d, v, rr.value, sizeof(rr.value));
				}
			}
			z->v = realloc(z->v, (z->n + 1) * sizeof(*z->v));
			z->v[z->n++] = rr;
		}
	}
}

static bool has(const struct zone *z, const char *name, const char *type)
{
	for (size_t i = 0; i < z->n; i++)
		if (!strcmp(z->v[i].name, name) && !strcmp(z->v[i].type, type))
			return true;
	return false;
}

static int fill(void *arg, enum dv_type t, const char *qname, struct dv_answer *a)
{
	const struct zone *z = arg;
	static const char *const types[] = { [DV_A] = "A",   [DV_AAAA] = "AAAA", [DV_TXT] = "TXT",
					     [DV_MX] = "MX", [DV_PTR] = "PTR",   [DV_SPF] = "SPF" };
	char name[256];
	bool exists = false, timeout = false;

	snprintf(name, sizeof(name), "%s", qname);
	/* Follow CNAMEs (8 at most; a loop is a DNS error). */
	for (int hop = 0;; hop++) {
		const char *cname = NULL;
		exists = timeout = false;
		for (size_t i = 0; i < z->n; i++)
			if (!strcmp(z->v[i].name, name)) {
				exists = true;
				timeout |= z->v[i].timeout;
				if (!strcmp(z->v[i].type, "CNAME"))
					cname = z->v[i].value;
			}
		if (!cname || !strcmp(types[t], "CNAME"))
			break;
		if (hop >= 8) {
			a->status = -EIO;
			return 0;
		}
		copy(name, sizeof(name), cname, strlen(cname));
		lower(name);
		strip_dot(name);
		a->alias = true;
	}
	/* The type whose entries answer: TXT falls back to SPF entries. */
	const char *type = types[t];
	if (t == DV_TXT && !has(z, name, "TXT"))
		type = "SPF";
	for (size_t i = 0; i < z->n; i++) {
		const struct rr *r = &z->v[i];
		if (strcmp(r->name, name) || strcmp(r->type, type) || !strcmp(r->value, "NONE"))
			continue;
		if (t == DV_MX) {
			char host[256];
			unsigned pref = 0;
			host[0] = '\0';
			sscanf(r->value, "%u %255s", &pref, host);
			lower(host);
			strip_dot(host);
			a->prefs[a->items.n] = pref;
			hu_strv_push(&a->items, host[0] ? host : ".");
		} else {
			char v[1024];
			snprintf(v, sizeof(v), "%s", r->value);
			if (t == DV_PTR) {
				lower(v);
				strip_dot(v);
			}
			hu_strv_push(&a->items, v);
		}
	}
	if (a->items.n)
		a->status = 0;
	else if (timeout)
		a->status = -ETIMEDOUT;
	else
		a->status = exists ? -ENODATA : -ENOENT;
	return 0;
}

struct tally {
	int run, passed;
	char failures[8192];
};

static void run_case(yaml_document_t *d, const char *id, yaml_node_t *t, struct zone *z,
		     struct tally *tl)
{
	char helo[256], host[64], mailfrom[512], want[128], expl[512], sender[600], domain[512];
	yaml_node_t *res = map_get(d, t, "result");
	struct dv_source src = { fill, z };
	struct dnsview *dv = NULL;
	struct spf_eval e = { 0 };
	enum spf_result got = SPF_NONE;

	node_text(d, map_get(d, t, "helo"), helo, sizeof(helo));
	node_text(d, map_get(d, t, "host"), host, sizeof(host));
	node_text(d, map_get(d, t, "mailfrom"), mailfrom, sizeof(mailfrom));
	yaml_node_t *ex = map_get(d, t, "explanation");
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
		node_text(d, res, want, sizeof(want));
		ok = !strcmp(want, spf_result_name(got));
	} else {
		want[0] = '\0';
		for (yaml_node_item_t *i = res->data.sequence.items.start;
		     i < res->data.sequence.items.top; i++) {
			char w[32];
			node_text(d, yaml_document_get_node(d, *i), w, sizeof(w));
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
				 want[0] ? "|" : "", w);
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
	else {
		size_t o = strlen(tl->failures);
		snprintf(tl->failures + o, sizeof(tl->failures) - o,
			 "  %s: want %s%s%s, got %s%s%s (%s)\n", id, want, ex ? " / " : "",
			 ex ? expl : "", spf_result_name(got), e.has_explanation ? " / " : "",
			 e.has_explanation ? e.explanation : "", e.reason);
	}
	dv_free(dv);
}

static void suite(void **state)
{
	const char *path = getenv("SPF_SUITE");
	FILE *f = fopen(path ? path : "../shared/spf/rfc7208-tests.yml", "rb");
	yaml_parser_t parser;
	struct tally tl = { 0 };

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
		struct zone z = { 0 };
		load_zone(&d, map_get(&d, root, "zonedata"), &z);
		yaml_node_t *tests = map_get(&d, root, "tests");
		for (yaml_node_pair_t *p = tests->data.mapping.pairs.start;
		     p < tests->data.mapping.pairs.top; p++) {
			char id[128];
			node_text(&d, yaml_document_get_node(&d, p->key), id, sizeof(id));
			run_case(&d, id, yaml_document_get_node(&d, p->value), &z, &tl);
		}
		free(z.v);
		yaml_document_delete(&d);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	print_message("%d/%d tests of the RFC 7208 suite pass\n%s", tl.passed, tl.run, tl.failures);
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
