/* SPDX-License-Identifier: MIT */
/*
 * The SPF lint of a mail domain: the record, the whole include/redirect
 * tree walked statically (worst-case counts: every term that queries DNS,
 * loops, targets without SPF, void lookups), policy strength, and whether
 * this server's outbound addresses pass check_host().
 * Rules and RFC sections: ../shared/reference/spf-lint-rules.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnslint.h"
#include "huolto/json.h"
#include "huolto/resolver.h"
#include "spf.h"

#define MAX_WALK_DEPTH 20
#define MAX_RECORDS    100

struct walk {
	const struct dns_lint_ctx *c;
	const char *domain; /* the mail domain being linted */
	struct hu_findings *out;
	unsigned lookups, voids, records;
	json_t *chain;    /* every DNS-querying term: "domain: term" */
	json_t *includes; /* every domain reached */
	json_t *void_names;
	struct hu_strv stack;
	bool incomplete;
	int problems, critical;
};

static int add(struct walk *w, enum hu_status st, const char *code, json_t *facts, const char *fmt,
	       ...) __attribute__((format(printf, 5, 6)));

static int add(struct walk *w, enum hu_status st, const char *code, json_t *facts, const char *fmt,
	       ...)
{
	va_list ap;

	if (st != HU_OK)
		w->problems++;
	if (st == HU_CRITICAL)
		w->critical++;
	va_start(ap, fmt);
	int r = dns_vadd(w->out, w->domain, st, code, facts, fmt, ap);
	va_end(ap);
	return r;
}

/* A lookup the lint needs: 1 answered, 0 missing (walk incomplete), <0 error. */
static int need(struct walk *w, enum dv_type t, const char *name, const struct dv_answer **a)
{
	int r = dv_get(w->c->dv, t, name, a);

	if (r == -EAGAIN) {
		w->incomplete = true;
		return 0;
	}
	if (r < 0)
		return r == -EINVAL ? 0 : r;
	if (dns_failed((*a)->status)) {
		w->problems++; /* never "ok" on what could not be looked up */
		r = dns_unresolved(w->out, w->domain, name, t, (*a)->status);
		return r < 0 ? r : 0;
	}
	return 1;
}

static void count(struct walk *w, const char *at, const char *term, size_t len)
{
	char buf[600];

	w->lookups++;
	snprintf(buf, sizeof(buf), "%s: %.*s", at, (int)(len < 400 ? len : 400), term);
	json_array_append_new(w->chain, json_string(buf));
}

static bool is_void(const struct dv_answer *a)
{
	return a->status == -ENOENT || a->status == -ENODATA;
}

static int walk_record(struct walk *w, const char *name, const char *via, unsigned depth, bool own);

/* A target of include or redirect. */
static int follow(struct walk *w, const char *target, const char *via, unsigned depth, bool own)
{
	if (strchr(target, '%'))
		return 0; /* a macro: cannot be resolved without a sender */
	if (hu_strv_contains(&w->stack, target)) {
		json_t *loop = hu_json_strv(&w->stack);
		json_array_append_new(loop, json_string(target));
		return add(w, HU_CRITICAL, "spf.loop",
			   json_pack("{s:o, s:s}", "loop", loop, "via", via),
			   "SPF %s loop: %s leads back to itself", via, target);
	}
	return walk_record(w, target, via, depth + 1, own);
}

/* Static void lookups: targets of a and mx with nothing to answer. */
static int void_check(struct walk *w, const struct spf_term *t, const char *target)
{
	const struct dv_answer *a, *aaaa;
	int r;

	if (t->kind == SPF_MX) {
		r = need(w, DV_MX, target, &a);
		if (r <= 0)
			return r;
		if (a->status == 0 && a->items.n > SPF_MAX_MX_NAMES)
			return add(w, HU_CRITICAL, "spf.mx_too_many",
				   json_pack("{s:s, s:i}", "target", target, "mx_count",
					     (json_int_t)a->items.n),
				   "the mx mechanism's target %s has %zu MX records; more than %d "
				   "makes every evaluation a permerror",
				   target, a->items.n, SPF_MAX_MX_NAMES);
		if (is_void(a)) {
			w->voids++;
			json_array_append_new(w->void_names, json_string(target));
		}
		return 0;
	}
	r = need(w, DV_A, target, &a);
	if (r <= 0)
		return r;
	r = need(w, DV_AAAA, target, &aaaa);
	if (r <= 0)
		return r;
	if (is_void(a) && is_void(aaaa)) {
		w->voids++;
		json_array_append_new(w->void_names, json_string(target));
	}
	return 0;
}

static int policy(struct walk *w, const char *name, const char *record,
		  const struct spf_record *rec)
{
	int r = 0;
	bool redirect = rec->redirect >= 0 && !rec->has_all;

	for (size_t i = 0; r >= 0 && i < rec->n; i++) {
		const struct spf_term *t = &rec->terms[i];
		if (t->kind == SPF_ALL && t->qualifier == '+')
			r = add(
			    w, HU_CRITICAL, "spf.permissive_all",
			    json_pack("{s:s, s:s}", "record", record, "at", name),
			    "%s's SPF record ends in \"%.*s\": every server in the world may send "
			    "as %s",
			    name, (int)t->len, record + t->pos, w->domain);
		else if (t->kind == SPF_ALL && t->qualifier == '?')
			r = add(w, HU_WARNING, "spf.neutral_all",
				json_pack("{s:s, s:s}", "record", record, "at", name),
				"%s's SPF record ends in ?all: unlisted servers are neutral, not "
				"refused",
				name);
		else if (t->kind == SPF_PTR)
			r = add(w, HU_WARNING, "spf.ptr",
				json_pack("{s:s, s:s}", "record", record, "at", name),
				"%s's SPF record uses ptr, which RFC 7208 5.5 says not to publish: "
				"slow "
				"and unreliable",
				name);
	}
	if (r >= 0 && !rec->has_all && !redirect)
		r = add(
		    w, HU_WARNING, "spf.neutral_all",
		    json_pack("{s:s, s:s}", "record", record, "at", name),
		    "%s's SPF record has neither all nor redirect: the default result is neutral",
		    name);
	return r;
}

static int walk_record(struct walk *w, const char *name, const char *via, unsigned depth, bool own)
{
	const struct dv_answer *txt;
	struct spf_record rec = { .redirect = -1, .exp = -1 };
	struct spf_syntax syn;
	const char *record = NULL;
	size_t found = 0;
	int r;

	if (depth > MAX_WALK_DEPTH || ++w->records > MAX_RECORDS)
		return 0;
	r = need(w, DV_TXT, name, &txt);
	if (r <= 0)
		return r;
	for (size_t i = 0; txt->status == 0 && i < txt->items.n; i++)
		if (spf_is_record(txt->items.v[i])) {
			record = txt->items.v[i];
			found++;
		}
	if (found == 0) {
		if (depth == 0)
			return add(
			    w, HU_WARNING, "spf.missing", json_object(),
			    "%s has no SPF record: receivers cannot tell which servers may send "
			    "its mail",
			    name);
		if (is_void(txt)) {
			w->voids++;
			json_array_append_new(w->void_names, json_string(name));
		}
		return add(w, HU_CRITICAL, "spf.include_missing",
			   json_pack("{s:s, s:s}", "target", name, "via", via),
			   "the SPF %s target %s has no SPF record: evaluations reaching it are a "
			   "permerror",
			   via, name);
	}
	if (found > 1)
		return add(w, HU_CRITICAL, "spf.multiple",
			   json_pack("{s:s, s:i}", "at", name, "records", (json_int_t)found),
			   "%s has %zu SPF records: receivers treat that as a permerror", name,
			   found);
	json_array_append_new(w->includes, json_string(name));
	if (spf_parse(record, &rec, &syn) < 0)
		return add(w, HU_CRITICAL, "spf.syntax",
			   json_pack("{s:s, s:s, s:s, s:i, s:s}", "at", name, "record", record,
				     "term", syn.term, "position", (json_int_t)syn.pos, "reason",
				     syn.reason),
			   "%s's SPF record has a syntax error at \"%s\" (%s): receivers treat it "
			   "as a permerror",
			   name, syn.term, syn.reason);
	if (own) {
		size_t len = strlen(record);
		if (len > SPF_TOO_LONG)
			r = add(w, HU_WARNING, "spf.too_long",
				json_pack("{s:s, s:i}", "at", name, "length", (json_int_t)len),
				"%s's SPF record is %zu octets long: over %d it may not fit a UDP "
				"answer",
				name, len,
				len > SPF_TOO_LONG_UDP ? SPF_TOO_LONG_UDP : SPF_TOO_LONG);
		if (r >= 0)
			r = policy(w, name, record, &rec);
	}
	r = r < 0 ? r : hu_strv_push(&w->stack, name);
	for (size_t i = 0; r >= 0 && i < rec.n; i++) {
		const struct spf_term *t = &rec.terms[i];
		const char *term = record + t->pos;
		const char *target = t->domain_spec ? t->domain_spec : name;
		switch (t->kind) {
		case SPF_INCLUDE:
			count(w, name, term, t->len);
			r = follow(w, target, "include", depth, false);
			break;
		case SPF_A:
		case SPF_MX:
			count(w, name, term, t->len);
			if (!strchr(target, '%'))
				r = void_check(w, t, target);
			break;
		case SPF_PTR:
		case SPF_EXISTS:
			count(w, name, term, t->len);
			break;
		default:
			break;
		}
	}
	if (r >= 0 && rec.redirect >= 0 && !rec.has_all) {
		const struct spf_term *t = &rec.terms[rec.redirect];
		count(w, name, record + t->pos, t->len);
		/* a redirect's target speaks for the domain: its policy counts as own */
		r = follow(w, t->domain_spec, "redirect", depth, own);
	}
	if (w->stack.n) {
		free(w->stack.v[--w->stack.n]);
		w->stack.v[w->stack.n] = NULL;
	}
	spf_record_clear(&rec);
	return r;
}

/* Do this server's outbound addresses pass check_host() for the domain? */
static int authorization(struct walk *w)
{
	char sender[600];
	int r = 0;

	snprintf(sender, sizeof(sender), "postmaster@%s", w->domain);
	for (size_t i = 0; r >= 0 && w->c->outbound && i < w->c->outbound->n; i++) {
		struct spf_eval e = {
			.dv = w->c->dv, .sender = sender, .helo = w->c->helo, .now = w->c->now
		};
		enum spf_result res;
		const char *ip = w->c->outbound->v[i];
		if (spf_eval_set_ip(&e, ip) < 0)
			continue;
		r = spf_check_host(&e, w->domain, &res);
		if (r == -EAGAIN) {
			w->incomplete = true;
			r = 0;
			continue;
		}
		/* The cause is reported already: none is spf.missing, a permerror one of
		 * the critical findings, a temperror the unresolved lookups. */
		if (r < 0 || res == SPF_PASS || res == SPF_NONE || res == SPF_TEMPERROR ||
		    (res == SPF_PERMERROR && w->critical))
			continue;
		r = add(
		    w, HU_WARNING, "spf.server_not_authorized",
		    json_pack("{s:s, s:s, s:s}", "address", ip, "result", spf_result_name(res),
			      "reason", e.reason),
		    "this server (%s) gets \"%s\" from %s's SPF record: mail it sends as %s (PHP "
		    "mail(), notifications) may be rejected",
		    ip, spf_result_name(res), w->domain, w->domain);
	}
	return r;
}

int spf_lint(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out)
{
	struct walk w = { .c = c, .domain = domain, .out = out, .stack = HU_STRV_INIT };
	const struct dv_answer *spf99;
	int r;

	w.chain = json_array();
	w.includes = json_array();
	w.void_names = json_array();
	if (!w.chain || !w.includes || !w.void_names) {
		r = -ENOMEM;
		goto out;
	}
	r = walk_record(&w, domain, "record", 0, true);
	/* Type 99 is only a warning: a server that fails to answer it is not reported. */
	int r99 = r < 0 ? 0 : dv_get(c->dv, DV_SPF, domain, &spf99);
	if (r99 == -EAGAIN)
		w.incomplete = true;
	else if (r99 < 0 && r99 != -EINVAL)
		r = r99;
	if (r >= 0 && r99 == 0 && spf99->status == 0)
		r = add(&w, HU_WARNING, "spf.type99", json_object(),
			"%s publishes an SPF record as DNS type 99, which RFC 7208 discontinued: "
			"receivers read TXT only",
			domain);
	if (r >= 0 && w.lookups > SPF_MAX_LOOKUPS)
		r = add(&w, HU_CRITICAL, "spf.too_many_lookups",
			json_pack("{s:i, s:O}", "count", (json_int_t)w.lookups, "chain", w.chain),
			"%s's SPF record needs %u DNS lookups (at most %d are allowed): receivers "
			"may return permerror",
			domain, w.lookups, SPF_MAX_LOOKUPS);
	if (r >= 0 && w.voids > SPF_MAX_VOIDS)
		r = add(
		    &w, HU_CRITICAL, "spf.void_lookups",
		    json_pack("{s:i, s:O}", "count", (json_int_t)w.voids, "names", w.void_names),
		    "%s's SPF record leads to %u lookups that answer nothing (at most %d are "
		    "allowed)",
		    domain, w.voids, SPF_MAX_VOIDS);
	/* Evaluated in the same rounds as the walk, so that its own lookups
	 * (the addresses of mx hosts, macros) are fetched alongside. */
	if (r >= 0)
		r = authorization(&w);
	if (r >= 0 && w.incomplete)
		r = -EAGAIN;
	if (r >= 0 && w.problems == 0 && json_array_size(w.includes) > 0) {
		const struct dv_answer *txt = NULL;
		const char *record = "";
		if (dv_get(c->dv, DV_TXT, domain, &txt) == 0)
			for (size_t i = 0; i < txt->items.n; i++)
				if (spf_is_record(txt->items.v[i]))
					record = txt->items.v[i];
		r = add(&w, HU_OK, "spf.ok",
			json_pack("{s:s, s:i, s:i, s:O, s:O}", "record", record, "lookups",
				  (json_int_t)w.lookups, "void_lookups", (json_int_t)w.voids,
				  "includes", w.includes, "chain", w.chain),
			"%s's SPF record is valid and needs %u of %d DNS lookups", domain,
			w.lookups, SPF_MAX_LOOKUPS);
	}
out:
	json_decref(w.chain);
	json_decref(w.includes);
	json_decref(w.void_names);
	hu_strv_clear(&w.stack);
	return r;
}
