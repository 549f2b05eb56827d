/* SPDX-License-Identifier: MIT */
/*
 * Wordfence Intelligence v3 (../shared/catalog/05-wordfence-intelligence.md):
 * one JSON object of ~45,000 records, 120-160 MB. It is streamed from the
 * body on disk through yajl; each record is built as a small jansson value
 * (the fields evaluation needs: descriptions, references and copyrights are
 * skipped as they stream by), checked, stored as one row per affected
 * software, and freed, so memory stays at one record whatever the feed's size.
 *
 * Stored per (type, slug, record): title, CVE, CVSS score and rating, the
 * affected ranges as [from, from_inclusive, to, to_inclusive] ("*" for no
 * bound), and the patched versions. Informational records are skipped, as
 * Wordfence's own CLI does by default.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "catalog_parse.h"

#define WHAT              "wordfence"
#define MAX_DEPTH         16
#define MAX_TEXT          512   /* the longest string kept (titles); longer ones are cut */
#define MAX_RECORD_VALUES 20000 /* values in one record, at most */
#define CHUNK             65536

struct stream {
	yajl_handle h;
	struct catalog_db *db;
	struct hu_err *err;
	int r;                    /* the first error, or 0 */
	unsigned depth;           /* of the value being read; the feed's object is 1 */
	json_t *stack[MAX_DEPTH]; /* containers of the record being built */
	unsigned top;             /* entries in stack */
	char key[64];             /* the record's id (the feed object's key) */
	char *pending;            /* the key of the next value in the current object */
	unsigned skip;            /* >0: inside a skipped value, at this depth */
	size_t values;            /* in the current record */
	size_t records, skipped;
};

/* Record fields that are skipped as they stream by (large, unused). */
static bool skipped_field(const struct stream *s, const char *key, size_t len)
{
	static const char *const names[] = { "description", "references", "copyrights",
					     "researchers", "cwe",        "remediation",
					     "name" };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0)
			return s->top <= 3; /* the record's own or its software's */
	return false;
}

/* Stop the parse (yajl stops at a 0) with what is wrong with the record being read. */
static int fail(struct stream *s, const char *what, const char *detail)
{
	if (s->r == 0 && !s->key[0])
		s->r = hu_err_set(s->err, -EBADMSG, WHAT ": %s", what);
	else if (s->r == 0)
		s->r =
		    hu_err_set(s->err, -EBADMSG, WHAT ": record %.60s: %s%s%.80s%s", s->key, what,
			       detail ? " \"" : "", detail ? detail : "", detail ? "\"" : "");
	return 0;
}

static int nomem(struct stream *s)
{
	if (s->r == 0)
		s->r = -ENOMEM;
	return 0;
}

static int record_done(struct stream *s, json_t *rec);

/* Put v (owned) where the parse is: into the container on top, or as a record. */
static int put(struct stream *s, json_t *v)
{
	if (!v)
		return nomem(s);
	if (s->top == 0) { /* a record's value that is no object */
		json_decref(v);
		return fail(s, "not an object", NULL);
	}
	json_t *c = s->stack[s->top - 1];
	int r = json_is_object(c) ? json_object_set_new(c, s->pending ? s->pending : "", v)
				  : json_array_append_new(c, v);
	free(s->pending);
	s->pending = NULL;
	if (r < 0)
		return nomem(s);
	if (++s->values > MAX_RECORD_VALUES)
		return fail(s, "too large", NULL);
	return 1;
}

/* A scalar: skipped, the feed's own level (an error), or put. */
static int scalar(struct stream *s, json_t *v)
{
	if (s->skip) {
		json_decref(v);
		if (s->depth + 1 == s->skip) /* the skipped value was this scalar */
			s->skip = 0;
		return 1;
	}
	if (s->depth == 0) {
		json_decref(v);
		return fail(s, "the feed is not an object of records", NULL);
	}
	return put(s, v);
}

static int on_null(void *ctx)
{
	return scalar(ctx, json_null());
}

static int on_boolean(void *ctx, int b)
{
	return scalar(ctx, json_boolean(b));
}

static int on_number(void *ctx, const char *n, size_t len)
{
	char buf[64];
	char *end;

	if (len >= sizeof(buf))
		return scalar(ctx, json_null());
	memcpy(buf, n, len);
	buf[len] = 0;
	double d = strtod(buf, &end);
	/* An integer only when it is one that fits (a cast out of range is undefined). */
	bool integer = !strpbrk(buf, ".eE") && d > -9e15 && d < 9e15;
	if (!isfinite(d)) /* jansson holds no infinity: "1e999" is no score */
		return scalar(ctx, json_null());
	return scalar(ctx, integer ? json_integer((json_int_t)d) : json_real(d));
}

static int on_string(void *ctx, const unsigned char *str, size_t len)
{
	struct stream *s = ctx;

	if (s->skip)
		return scalar(s, NULL);
	return scalar(s, json_stringn((const char *)str, len < MAX_TEXT ? len : MAX_TEXT));
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct stream *s = ctx;

	if (s->skip)
		return 1;
	if (s->depth == 1) { /* a record's id */
		snprintf(s->key, sizeof(s->key), "%.*s", (int)(len < 60 ? len : 60), key);
		s->values = 0;
		return 1;
	}
	if (skipped_field(s, (const char *)key, len)) {
		s->skip = s->depth + 1;
		return 1;
	}
	free(s->pending);
	if (!(s->pending = strndup((const char *)key, len < 128 ? len : 128)))
		return nomem(s);
	return 1;
}

static int open_container(struct stream *s, json_t *c)
{
	s->depth++;
	if (s->skip) {
		json_decref(c);
		return 1;
	}
	if (!c)
		return nomem(s);
	if (s->depth == 1) { /* the feed's object */
		bool object = json_is_object(c);
		json_decref(c);
		return object ? 1 : fail(s, "the feed is not an object of records", NULL);
	}
	if (s->top == MAX_DEPTH) {
		json_decref(c);
		return fail(s, "nested too deep", NULL);
	}
	if (s->top > 0 && !put(s, json_incref(c))) {
		json_decref(c);
		return 0;
	}
	s->stack[s->top++] = c;
	return 1;
}

static int close_container(struct stream *s)
{
	int r = 1;

	if (s->skip) {
		if (s->depth == s->skip)
			s->skip = 0;
		s->depth--;
		return 1;
	}
	s->depth--;
	if (s->top == 0)
		return 1; /* the feed's object */
	json_t *c = s->stack[--s->top];
	if (s->top == 0)
		r = record_done(s, c);
	json_decref(c);
	return r;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, json_object());
}

static int on_end_map(void *ctx)
{
	return close_container(ctx);
}

static int on_start_array(void *ctx)
{
	struct stream *s = ctx;

	if (s->depth == 0)
		return fail(s, "the feed is not an object of records", NULL);
	return open_container(s, json_array());
}

static int on_end_array(void *ctx)
{
	return close_container(ctx);
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key,
	.yajl_end_map = on_end_map,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end_array,
};

static const char *short_text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? s : NULL;
}

/* One affected range as [from, from_inclusive, to, to_inclusive]; NULL when malformed. */
static json_t *range_of(const json_t *r)
{
	const char *from = short_text(r, "from_version"), *to = short_text(r, "to_version");
	const json_t *fi = json_object_get(r, "from_inclusive"),
		     *ti = json_object_get(r, "to_inclusive");

	if (!from || !to || !json_is_boolean(fi) || !json_is_boolean(ti))
		return NULL;
	return json_pack("[s,b,s,b]", from, json_is_true(fi), to, json_is_true(ti));
}

static int add_software(struct stream *s, const json_t *rec, const json_t *sw)
{
	const char *type = short_text(sw, "type"), *slug = short_text(sw, "slug");
	const json_t *affected = json_object_get(sw, "affected_versions"), *r, *p;
	const json_t *patched = json_object_get(sw, "patched_versions");
	const json_t *cvss = json_object_get(rec, "cvss");
	json_t *ranges = json_array(), *fixed = json_array();
	const char *label;
	size_t i;
	int ret = 0;

	if (!type || !slug || strlen(slug) > 200)
		ret = fail(s, "software without type or slug", NULL);
	else if (strcmp(type, "plugin") != 0 && strcmp(type, "theme") != 0 &&
		 strcmp(type, "core") != 0)
		ret = fail(s, "software type", type);
	else if (!json_is_object(affected))
		ret = fail(s, "affected_versions not an object", NULL);
	else if (patched && !json_is_array(patched))
		ret = fail(s, "patched_versions not an array", NULL);
	else
		ret = 1;
	json_object_foreach((json_t *)affected, label, r)
	{
		json_t *range = ret ? range_of(r) : NULL;
		if (!ret)
			break;
		if (!range) {
			ret = fail(s, "malformed range", label);
			break;
		}
		json_array_append_new(ranges, range);
	}
	json_array_foreach(patched, i, p) if (json_is_string(p))
	    json_array_append(fixed, (json_t *)p);
	if (ret) {
		struct catalog_vuln v = {
			.type = type,
			.slug = slug,
			.id = s->key,
			.title = short_text(rec, "title"),
			.cve = short_text(rec, "cve"),
			.cvss_score = json_is_number(json_object_get(cvss, "score"))
					  ? json_number_value(json_object_get(cvss, "score"))
					  : -1,
			.cvss_rating = short_text(cvss, "rating"),
			.ranges = ranges,
			.patched = fixed,
		};
		int r2 = catalog_db_add_vuln(s->db, &v, s->err);
		if (r2 < 0) {
			s->r = r2;
			ret = 0;
		}
	}
	json_decref(ranges);
	json_decref(fixed);
	return ret;
}

static int record_done(struct stream *s, json_t *rec)
{
	const json_t *software = json_object_get(rec, "software"), *sw;
	size_t i;

	if (json_is_true(json_object_get(rec, "informational"))) {
		s->skipped++;
		return 1;
	}
	if (!json_is_array(software) || json_array_size(software) == 0)
		return fail(s, "no software", NULL);
	json_array_foreach(software, i, sw) if (!add_software(s, rec, sw)) return 0;
	s->records++;
	return 1;
}

int catalog_parse_wordfence_file(const char *path, const char *product, struct catalog_db *db,
				 struct hu_err *err)
{
	struct stream s = { .db = db, .err = err };
	unsigned char buf[CHUNK];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	(void)product;
	if (fd < 0)
		return hu_err_errno(err, errno, "%s", path);
	if (!(s.h = yajl_alloc(&callbacks, NULL, &s))) {
		close(fd);
		return -ENOMEM;
	}
	yajl_status st = yajl_status_ok;
	while (st == yajl_status_ok && (n = read(fd, buf, sizeof(buf))) > 0)
		st = yajl_parse(s.h, buf, (size_t)n);
	if (st == yajl_status_ok && n < 0)
		s.r = hu_err_errno(err, errno, "%s", path);
	else if (st == yajl_status_ok)
		st = yajl_complete_parse(s.h);
	if (s.r == 0 && st != yajl_status_ok) {
		unsigned char *e = yajl_get_error(s.h, 0, NULL, 0);
		s.r = hu_err_set(err, -EBADMSG, WHAT ": not JSON at byte %zu: %s",
				 yajl_get_bytes_consumed(s.h), e ? (const char *)e : "?");
		yajl_free_error(s.h, e);
	}
	if (s.r == 0 && s.records == 0)
		s.r = hu_err_set(err, -EBADMSG, WHAT ": no records");
	for (unsigned i = 0; i < s.top; i++)
		json_decref(s.stack[i]);
	free(s.pending);
	yajl_free(s.h);
	close(fd);
	return s.r;
}
