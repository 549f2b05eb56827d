/* SPDX-License-Identifier: MIT */
/*
 * Turn one scenario of the OpenSPF RFC 7208 suite into zone files that NSD
 * serves, by the rules of ../shared/spf/README.md (an SPF entry is also a
 * TXT record unless the name has its own TXT; multi-string TXT kept as
 * several strings; "NONE" leaves the name existing without that type).
 *
 *   spf_zones SUITE.yml INDEX DIR
 *
 * INDEX counts scenarios from 1. Writes DIR/APEX.zone for each apex (the
 * last two labels of a name) and DIR/root.zone (an empty root, so that other
 * names are NXDOMAIN), prints "zones . APEX..." and then one line per
 * test: id, helo, host, mailfrom, results (a|b), explanation, separated by
 * the unit separator (octal 037; a field may be empty).
 * Exit 3 when the scenario cannot be served as it is (a TIMEOUT entry).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml_get.h"

#define MAX_ZONES 64

struct out {
	const char *dir;
	char apex[MAX_ZONES][256];
	FILE *f[MAX_ZONES];
	size_t n;
};

static const char *text(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
}

static void lower_name(char *buf, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[n] = '\0';
	if (n && buf[n - 1] == '.')
		buf[n - 1] = '\0';
}

/* A name in presentation format: octets other than letters, digits, "-",
 * "_", "*" and the dots between labels as \DDD. */
static void put_name(FILE *f, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '*' || *p == '.')
			fputc(*p, f);
		else
			fprintf(f, "\\%03u", *p);
	fputc('.', f);
}

/* The zone file a name goes to: its last two labels. */
static FILE *zone_for(struct out *o, const char *name)
{
	const char *apex = name + strlen(name);
	int dots = 0;

	while (apex > name && dots < 2)
		if (*--apex == '.' && ++dots == 2)
			apex++;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->apex[i], apex))
			return o->f[i];
	if (o->n == MAX_ZONES) {
		fprintf(stderr, "too many zones\n");
		exit(2);
	}
	char path[4096];
	snprintf(o->apex[o->n], sizeof(o->apex[o->n]), "%s", apex);
	snprintf(path, sizeof(path), "%s/%s.zone", o->dir, apex);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fprintf(f, "$TTL 300\n%s. IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n", apex, apex,
		apex);
	fprintf(f, "%s. IN NS ns.%s.\nns.%s. IN A 127.0.0.1\n", apex, apex, apex);
	o->f[o->n] = f;
	return o->f[o->n++];
}

/* One character string, quoted, every octet outside printable ASCII as \DDD. */
static void put_string(FILE *f, const unsigned char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			fprintf(f, "\\%03u", s[i]);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}

/* TXT rdata: each YAML string as one or more character strings of <= 255 octets. */
static void put_txt(FILE *f, yaml_document_t *d, yaml_node_t *v)
{
	yaml_node_item_t one = 0;
	yaml_node_item_t *start = &one, *top = &one + 1;

	if (v->type == YAML_SEQUENCE_NODE) {
		start = v->data.sequence.items.start;
		top = v->data.sequence.items.top;
	}
	for (yaml_node_item_t *i = start; i < top; i++) {
		yaml_node_t *s = v->type == YAML_SEQUENCE_NODE ? yaml_document_get_node(d, *i) : v;
		size_t n = s->data.scalar.length, o = 0;
		do {
			size_t k = n - o > 255 ? 255 : n - o;
			fputc(' ', f);
			put_string(f, s->data.scalar.value + o, k);
			o += k;
		} while (o < n);
	}
}

static bool has_type(yaml_document_t *d, yaml_node_t *list, const char *type)
{
	for (yaml_node_item_t *i = list->data.sequence.items.start;
	     i < list->data.sequence.items.top; i++) {
		yaml_node_t *e = yaml_document_get_node(d, *i);
		if (e->type == YAML_MAPPING_NODE &&
		    !strcmp(text(yaml_document_get_node(d, e->data.mapping.pairs.start->key)),
			    type))
			return true;
	}
	return false;
}

static int write_zones(yaml_document_t *d, yaml_node_t *zd, struct out *o)
{
	for (yaml_node_pair_t *p = zd->data.mapping.pairs.start; p < zd->data.mapping.pairs.top;
	     p++) {
		char name[256];
		lower_name(name, sizeof(name), text(yaml_document_get_node(d, p->key)));
		yaml_node_t *list = yaml_document_get_node(d, p->value);
		FILE *f = zone_for(o, name);
		bool own_txt = has_type(d, list, "TXT"), any = false;
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top; i++) {
			yaml_node_t *e = yaml_document_get_node(d, *i);
			if (e->type == YAML_SCALAR_NODE)
				return 3; /* TIMEOUT */
			const char *type =
			    text(yaml_document_get_node(d, e->data.mapping.pairs.start->key));
			yaml_node_t *v =
			    yaml_document_get_node(d, e->data.mapping.pairs.start->value);
			if (v->type == YAML_SCALAR_NODE && !strcmp(text(v), "NONE"))
				continue;
			any = true;
			put_name(f, name);
			if (!strcmp(type, "TXT") || !strcmp(type, "SPF")) {
				fprintf(f, " IN %s", type);
				put_txt(f, d, v);
				fputc('\n', f);
				if (!strcmp(type, "SPF") && !own_txt) {
					put_name(f, name);
					fprintf(f, " IN TXT");
					put_txt(f, d, v);
					fputc('\n', f);
				}
			} else if (!strcmp(type, "MX")) {
				yaml_node_t *pref =
				    yaml_document_get_node(d, v->data.sequence.items.start[0]);
				yaml_node_t *host =
				    yaml_document_get_node(d, v->data.sequence.items.start[1]);
				char h[256];
				lower_name(h, sizeof(h), text(host));
				fprintf(f, " IN MX %s ", text(pref));
				put_name(f, h);
				fputc('\n', f);
			} else if (!strcmp(type, "A") || !strcmp(type, "AAAA")) {
				fprintf(f, " IN %s %s\n", type, text(v));
			} else if (!strcmp(type, "PTR") || !strcmp(type, "CNAME")) {
				char h[256];
				lower_name(h, sizeof(h), text(v));
				fprintf(f, " IN %s ", type);
				put_name(f, h);
				fputc('\n', f);
			} else {
				fprintf(stderr, "%s: type %s not handled\n", name, type);
				return 2;
			}
		}
		if (!any) { /* every entry NONE: the name exists, without those types */
			put_name(f, name);
			fprintf(f, " IN HINFO \"huolto\" \"test\"\n");
		}
	}
	return 0;
}

/* An empty root zone, so that names outside the scenario's zones are
 * NXDOMAIN, as the internet would answer, rather than REFUSED. */
static int write_root(const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/root.zone", dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 2;
	}
	fprintf(f, "$TTL 300\n. IN SOA ns.root. hostmaster.root. 1 3600 600 86400 300\n"
		   ". IN NS ns.root.\nns.root. IN A 127.0.0.1\n");
	return fclose(f) == 0 ? 0 : 2;
}

static void tests(yaml_document_t *d, yaml_node_t *t)
{
	for (yaml_node_pair_t *p = t->data.mapping.pairs.start; p < t->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *c = yaml_document_get_node(d, p->value),
			    *res = yaml_get(d, c, "result");
		printf("%s\037%s\037%s\037%s\037", text(yaml_document_get_node(d, p->key)),
		       text(yaml_get(d, c, "helo")), text(yaml_get(d, c, "host")),
		       text(yaml_get(d, c, "mailfrom")));
		if (res->type == YAML_SCALAR_NODE)
			printf("%s", text(res));
		else
			for (yaml_node_item_t *i = res->data.sequence.items.start;
			     i < res->data.sequence.items.top; i++)
				printf("%s%s", i == res->data.sequence.items.start ? "" : "|",
				       text(yaml_document_get_node(d, *i)));
		printf("\037%s\n", text(yaml_get(d, c, "explanation")));
	}
}

int main(int argc, char **argv)
{
	struct out o = { 0 };
	yaml_parser_t parser;
	FILE *in;
	long want;
	int rc = 2;

	if (argc != 4 || (want = strtol(argv[2], NULL, 10)) < 1) {
		fprintf(stderr, "usage: spf_zones SUITE.yml INDEX DIR\n");
		return 2;
	}
	o.dir = argv[3];
	in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 2;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, in);
	for (long idx = 1;; idx++) {
		yaml_document_t d;
		if (!yaml_parser_load(&parser, &d)) {
			fprintf(stderr, "%s: YAML error: %s\n", argv[1], parser.problem);
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&d);
		if (!root) {
			yaml_document_delete(&d);
			fprintf(stderr, "%s: no scenario %ld\n", argv[1], want);
			break;
		}
		if (idx == want) {
			rc = write_zones(&d, yaml_get(&d, root, "zonedata"), &o);
			if (rc == 0)
				rc = write_root(o.dir);
			if (rc == 0) {
				printf("zones .");
				for (size_t i = 0; i < o.n; i++)
					printf(" %s", o.apex[i]);
				printf("\n");
				tests(&d, yaml_get(&d, root, "tests"));
			}
			yaml_document_delete(&d);
			break;
		}
		yaml_document_delete(&d);
	}
	for (size_t i = 0; i < o.n; i++)
		fclose(o.f[i]);
	yaml_parser_delete(&parser);
	fclose(in);
	return rc;
}
