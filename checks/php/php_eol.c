/* SPDX-License-Identifier: MIT */
/*
 * PHP branch end-of-life dates: a dated table kept as data in the
 * repository (data/php-branches.json, from php.net's branches.php), or a
 * file the operator points php.eol_table at.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "php.h"

int php_parse_date(const char *s, time_t *ret)
{
	struct tm tm = { 0 };
	int y, m, d;
	char tail;

	if (!s || strlen(s) < 10)
		return -EINVAL;
	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -EINVAL;
	tail = s[10];
	if (tail != '\0' && tail != 'T' && tail != ' ')
		return -EINVAL;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	time_t t = timegm(&tm);
	/* timegm normalizes 2026-02-31 to March; such a date is malformed. */
	struct tm back;
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d)
		return -EINVAL;
	*ret = t;
	return 0;
}

const char *php_format_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
	return buf;
}

void php_eol_table_clear(struct php_eol_table *t)
{
	if (!t)
		return;
	free(t->origin);
	free(t->source);
	free(t->v);
	*t = (struct php_eol_table){ 0 };
}

static int date_field(const char *origin, size_t idx, json_t *o, const char *key, time_t *ret,
		      struct hu_err *err)
{
	json_t *v = json_object_get(o, key);

	*ret = 0;
	if (!v || json_is_null(v))
		return 0; /* php.net writes null for dates it does not know */
	if (!json_is_string(v) || php_parse_date(json_string_value(v), ret) < 0)
		return hu_err_set(err, -EINVAL,
				  "%s: branches[%zu].%s: expected a date (YYYY-MM-DD) or null",
				  origin, idx, key);
	return 0;
}

static int parse_branch(const char *origin, size_t idx, json_t *o, struct php_branch *b,
			struct hu_err *err)
{
	json_t *name = json_object_get(o, "branch");
	char *end = NULL;
	const char *s;
	unsigned long major, minor;
	int r;

	if (!json_is_object(o))
		return hu_err_set(err, -EINVAL, "%s: branches[%zu]: expected an object", origin,
				  idx);
	if (!json_is_string(name))
		return hu_err_set(err, -EINVAL,
				  "%s: branches[%zu].branch: expected a string such as \"8.2\"",
				  origin, idx);
	s = json_string_value(name);
	major = strtoul(s, &end, 10);
	if (end == s || *end != '.' || major > 1000)
		goto bad_name;
	s = end + 1;
	minor = strtoul(s, &end, 10);
	if (end == s || *end || minor > 1000)
		goto bad_name;
	b->major = (unsigned)major;
	b->minor = (unsigned)minor;
	r = date_field(origin, idx, o, "initial_release", &b->initial_release, err);
	if (r >= 0)
		r = date_field(origin, idx, o, "active_support_end", &b->active_support_end, err);
	if (r >= 0)
		r = date_field(origin, idx, o, "security_support_end", &b->security_support_end,
			       err);
	return r;
bad_name:
	return hu_err_set(err, -EINVAL, "%s: branches[%zu].branch: \"%s\" is not MAJOR.MINOR",
			  origin, idx, json_string_value(name));
}

int php_eol_table_parse(const char *origin, const char *text, size_t len, time_t fallback_retrieved,
			struct php_eol_table *ret, struct hu_err *err)
{
	struct php_eol_table t = { 0 };
	json_error_t jerr;
	json_t *root, *branches;
	int r = 0;

	if (len > PHP_EOL_MAX_BYTES)
		return hu_err_set(err, -EFBIG, "%s: larger than %u bytes", origin,
				  PHP_EOL_MAX_BYTES);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return hu_err_set(err, -EINVAL, "%s:%d:%d: %s", origin, jerr.line, jerr.column,
				  jerr.text);
	t.origin = strdup(origin);
	if (!t.origin) {
		r = -ENOMEM;
		goto out;
	}
	if (json_is_array(root)) {
		branches = root;
		t.retrieved = fallback_retrieved;
		t.source = strdup("https://www.php.net/releases/branches.php");
	} else if (json_is_object(root)) {
		json_t *src = json_object_get(root, "source"),
		       *ret_date = json_object_get(root, "retrieved");
		branches = json_object_get(root, "branches");
		if (!json_is_string(src)) {
			r = hu_err_set(
			    err, -EINVAL,
			    "%s: source: expected a string naming where the dates come from",
			    origin);
			goto out;
		}
		if (!json_is_string(ret_date) ||
		    php_parse_date(json_string_value(ret_date), &t.retrieved) < 0) {
			r = hu_err_set(err, -EINVAL, "%s: retrieved: expected a date (YYYY-MM-DD)",
				       origin);
			goto out;
		}
		if (!json_is_array(branches)) {
			r = hu_err_set(err, -EINVAL, "%s: branches: expected an array", origin);
			goto out;
		}
		t.source = strdup(json_string_value(src));
	} else {
		r = hu_err_set(err, -EINVAL, "%s: expected an object or an array", origin);
		goto out;
	}
	if (!t.source) {
		r = -ENOMEM;
		goto out;
	}
	t.n = json_array_size(branches);
	if (t.n == 0 || t.n > PHP_EOL_MAX_BRANCHES) {
		r = hu_err_set(err, -EINVAL, "%s: branches: expected 1 to %u branches, found %zu",
			       origin, PHP_EOL_MAX_BRANCHES, t.n);
		goto out;
	}
	t.v = calloc(t.n, sizeof(*t.v));
	if (!t.v) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		r = parse_branch(origin, i, json_array_get(branches, i), &t.v[i], err);
		if (r < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (t.v[j].major == t.v[i].major && t.v[j].minor == t.v[i].minor) {
				r = hu_err_set(err, -EINVAL,
					       "%s: branches[%zu]: branch %u.%u listed twice",
					       origin, i, t.v[i].major, t.v[i].minor);
				goto out;
			}
	}
	*ret = t;
	t = (struct php_eol_table){ 0 };
out:
	json_decref(root);
	php_eol_table_clear(&t);
	return r;
}

int php_eol_table_builtin(struct php_eol_table *ret, struct hu_err *err)
{
	return php_eol_table_parse("built-in", (const char *)php_branches_json,
				   php_branches_json_len, 0, ret, err);
}

const struct php_branch *php_eol_find(const struct php_eol_table *t, unsigned major, unsigned minor)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].major == major && t->v[i].minor == minor)
			return &t->v[i];
	return NULL;
}

void php_eol_judge(const struct php_eol_table *t, const struct php_eol_policy *p, unsigned major,
		   unsigned minor, time_t now, struct php_verdict *ret)
{
	const struct php_branch *b = php_eol_find(t, major, minor);
	int64_t age = (int64_t)(now - t->retrieved);

	*ret = (struct php_verdict){ .branch = b };
	ret->stale = age > p->max_age_s;
	ret->table_age_days = (long)(age / 86400);

	if (!b || !b->security_support_end) {
		ret->status = HU_UNKNOWN;
		ret->code = ret->stale ? "php.eol_data_stale" : "php.branch_unknown";
		return;
	}
	if (now >= b->security_support_end) {
		ret->status = HU_CRITICAL;
		ret->code = "php.eol";
	} else if (b->security_support_end - now <= (time_t)p->warn_days * 86400) {
		ret->status = HU_WARNING;
		ret->code = "php.eol_soon";
	} else if (b->active_support_end && now >= b->active_support_end) {
		ret->status = HU_WARNING;
		ret->code = "php.security_only";
	} else {
		ret->status = HU_OK;
		ret->code = "php.ok";
	}
	/* Never "ok" on stale data: what looked fine may have changed since. */
	if (ret->stale && ret->status == HU_OK) {
		ret->status = HU_UNKNOWN;
		ret->code = "php.eol_data_stale";
	}
}
