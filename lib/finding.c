/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/finding.h"

int hu_finding_code_valid(const char *code)
{
	size_t parts = 0, partlen = 0;

	if (!code || !*code)
		return 0;
	for (const char *p = code;; p++) {
		if (*p == '.' || *p == '\0') {
			if (partlen == 0)
				return 0;
			parts++;
			partlen = 0;
			if (*p == '\0')
				break;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
		partlen++;
	}
	return parts >= 2;
}

static void finding_free_contents(struct hu_finding *f)
{
	free(f->code);
	free(f->target);
	free(f->message);
	json_decref(f->facts);
}

int hu_findings_add(struct hu_findings *f, enum hu_status status, const char *code,
		    const char *target, json_t *facts, const char *fmt, ...)
{
	struct hu_finding n = { 0 };
	va_list ap;
	int r;

	if (!hu_finding_code_valid(code) || status < 0 || status >= _HU_STATUS_MAX) {
		json_decref(facts);
		return -EINVAL;
	}
	if (facts && !json_is_object(facts)) {
		json_decref(facts);
		return -EINVAL;
	}
	if (f->n >= HU_FINDINGS_MAX) {
		json_decref(facts);
		f->dropped++;
		return -E2BIG;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct hu_finding *v = realloc(f->v, cap * sizeof(*v));
		if (!v) {
			json_decref(facts);
			return -ENOMEM;
		}
		f->v = v;
		f->cap = cap;
	}
	n.status = status;
	n.facts = facts ? facts : json_object();
	n.code = strdup(code);
	n.target = target ? strdup(target) : NULL;
	va_start(ap, fmt);
	r = vasprintf(&n.message, fmt, ap);
	va_end(ap);
	if (r < 0)
		n.message = NULL;
	if (!n.facts || !n.code || (target && !n.target) || !n.message) {
		finding_free_contents(&n);
		return -ENOMEM;
	}
	f->v[f->n++] = n;
	return 0;
}

int hu_findings_move(struct hu_findings *dst, struct hu_findings *src)
{
	size_t need = dst->n + src->n;

	if (need > HU_FINDINGS_MAX) {
		/* Keep what fits; count the rest as dropped. */
		size_t keep = HU_FINDINGS_MAX - dst->n;
		for (size_t i = keep; i < src->n; i++)
			finding_free_contents(&src->v[i]);
		dst->dropped += src->n - keep;
		src->n = keep;
		need = HU_FINDINGS_MAX;
	}
	if (need > dst->cap) {
		struct hu_finding *v = realloc(dst->v, need * sizeof(*v));
		if (!v)
			return -ENOMEM;
		dst->v = v;
		dst->cap = need;
	}
	if (src->n)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	dst->dropped += src->dropped;
	free(src->v);
	*src = (struct hu_findings)HU_FINDINGS_INIT;
	return 0;
}

enum hu_status hu_findings_worst(const struct hu_findings *f)
{
	enum hu_status w = HU_OK;

	for (size_t i = 0; i < f->n; i++)
		w = hu_status_worst(w, f->v[i].status);
	return w;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : (b ? -1 : 0);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct hu_finding *a = pa, *b = pb;
	int d = hu_status_rank(b->status) - hu_status_rank(a->status);

	if (d)
		return d;
	d = strcmp(a->code, b->code);
	if (d)
		return d;
	return strcmp_null(a->target, b->target);
}

void hu_findings_sort(struct hu_findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp_finding);
}

const struct hu_finding *hu_findings_find(const struct hu_findings *f, const char *code)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, code) == 0)
			return &f->v[i];
	return NULL;
}

json_t *hu_findings_to_json(const struct hu_findings *f)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < f->n; i++) {
		const struct hu_finding *x = &f->v[i];
		json_t *o = json_pack("{s:s, s:s, s:s?, s:O, s:s}", "code", x->code, "status",
				      hu_status_name(x->status), "target", x->target, "facts",
				      x->facts, "message", x->message);
		if (!o || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

void hu_findings_clear(struct hu_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		finding_free_contents(&f->v[i]);
	free(f->v);
	*f = (struct hu_findings)HU_FINDINGS_INIT;
}
