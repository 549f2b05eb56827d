/* SPDX-License-Identifier: MIT */
/*
 * What an answer leads to, asked for as soon as it arrives (see
 * dv_follow_fn): an SPF record's include and redirect targets, the names of
 * its a and mx mechanisms, and the exchanges of an MX answer. The lints and
 * check_host() then find the whole tree in the view instead of asking for
 * one level per round.
 */
#include <string.h>

#include "spf.h"

static void follow_record(struct dnsview *v, const char *name, const char *text, unsigned depth)
{
	struct spf_record rec = { .redirect = -1, .exp = -1 };
	struct spf_syntax syn;
	unsigned lookups = 0;

	if (spf_parse(text, &rec, &syn) < 0)
		return;
	for (size_t i = 0; i < rec.n && lookups < SPF_MAX_LOOKUPS; i++) {
		const struct spf_term *t = &rec.terms[i];
		const char *target = t->domain_spec ? t->domain_spec : name;
		if (strchr(target, '%'))
			continue; /* a macro: depends on the sender */
		switch (t->kind) {
		case SPF_INCLUDE:
		case SPF_REDIRECT:
			lookups++;
			dv_prefetch(v, DV_TXT, target, depth + 1);
			break;
		case SPF_A:
			lookups++;
			dv_prefetch(v, DV_A, target, depth + 1);
			dv_prefetch(v, DV_AAAA, target, depth + 1);
			break;
		case SPF_MX:
			lookups++;
			dv_prefetch(v, DV_MX, target, depth + 1);
			break;
		default:
			break;
		}
	}
	spf_record_clear(&rec);
}

void spf_follow(void *arg, struct dnsview *v, enum dv_type t, const char *name,
		const struct dv_answer *a, unsigned depth)
{
	(void)arg;
	for (size_t i = 0; i < a->items.n; i++) {
		if (t == DV_TXT && spf_is_record(a->items.v[i]))
			follow_record(v, name, a->items.v[i], depth);
		else if (t == DV_MX && strcmp(a->items.v[i], ".") != 0) {
			dv_prefetch(v, DV_A, a->items.v[i], depth + 1);
			dv_prefetch(v, DV_AAAA, a->items.v[i], depth + 1);
		}
	}
}
