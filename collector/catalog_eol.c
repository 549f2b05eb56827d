/* SPDX-License-Identifier: MIT */
/*
 * endoflife.date (../shared/catalog/04-endoflife-date.md): API v0
 * (<product>.json, an array of cycles) and v1 (products/<product>, the
 * cycles in result.releases). Dates are kept and the site's own booleans,
 * computed when the site was built, are used only where no date is given.
 * A "latest" released before its cycle was (a known bot error) is dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "catalog_parse.h"

#define WHAT "endoflife.date"

/* A date, or a boolean (-1 when neither). */
static void date_or_flag(const json_t *v, char date[11], const char **ret_date, int *ret_flag)
{
	*ret_date = NULL;
	*ret_flag = -1;
	if (catalog_date(v, date))
		*ret_date = date;
	else if (json_is_boolean(v))
		*ret_flag = json_is_true(v);
}

static int cycle(const json_t *c, size_t i, const char *product, bool v1, struct catalog_db *db,
		 struct hu_err *err)
{
	char name[32], released[11], support[11], eol[11], latest_date[11];
	const json_t *n = json_object_get(c, v1 ? "name" : "cycle");
	const json_t *latest = json_object_get(c, "latest");
	const char *latest_name;
	int flag;

	if (!json_is_object(c))
		return hu_err_set(err, -EBADMSG, WHAT " %s: [%zu]: expected an object", product, i);
	if (json_is_string(n) && strlen(json_string_value(n)) < sizeof(name))
		snprintf(name, sizeof(name), "%s", json_string_value(n));
	else if (json_is_integer(n))
		snprintf(name, sizeof(name), "%lld", (long long)json_integer_value(n));
	else
		return hu_err_set(err, -EBADMSG, WHAT " %s: [%zu].%s: expected a short string",
				  product, i, v1 ? "name" : "cycle");
	struct catalog_cycle y = { .product = product, .cycle = name, .eol_flag = -1 };
	y.released = catalog_date(json_object_get(c, "releaseDate"), released) ? released : NULL;
	if (v1) {
		latest_name = json_string_value(json_object_get(latest, "name"));
		if (!catalog_date(json_object_get(latest, "date"), latest_date))
			latest_date[0] = 0;
		y.support_end =
		    catalog_date(json_object_get(c, "eoasFrom"), support) ? support : NULL;
		y.eol = catalog_date(json_object_get(c, "eolFrom"), eol) ? eol : NULL;
		if (!y.eol && json_is_boolean(json_object_get(c, "isEol")))
			y.eol_flag = json_is_true(json_object_get(c, "isEol"));
		y.lts = json_is_true(json_object_get(c, "isLts"));
	} else {
		latest_name = json_string_value(latest);
		if (!catalog_date(json_object_get(c, "latestReleaseDate"), latest_date))
			latest_date[0] = 0;
		/* v0 negates a boolean support: true means still supported, no date. */
		date_or_flag(json_object_get(c, "support"), support, &y.support_end, &flag);
		date_or_flag(json_object_get(c, "eol"), eol, &y.eol, &y.eol_flag);
		const json_t *lts = json_object_get(c, "lts");
		y.lts = json_is_true(lts) || json_is_string(lts);
	}
	y.latest = latest_name;
	if (latest_name && y.released && latest_date[0] && strcmp(latest_date, y.released) < 0)
		y.latest = NULL;
	return catalog_db_add_cycle(db, &y, err);
}

int catalog_parse_eol(const char *data, size_t len, const char *product, struct catalog_db *db,
		      struct hu_err *err)
{
	json_t *j = NULL, *list, *c;
	bool v1;
	size_t i;
	int r;

	r = catalog_json_load(data, len, WHAT, &j, err);
	if (r < 0)
		return r;
	v1 = json_is_object(j);
	list = v1 ? json_object_get(json_object_get(j, "result"), "releases") : j;
	if (!json_is_array(list) || json_array_size(list) == 0)
		r = hu_err_set(err, -EBADMSG,
			       WHAT " %s: expected a non-empty array of cycles (v0) or "
				    "result.releases (v1)",
			       product);
	json_array_foreach(list, i, c)
	{
		if (r < 0)
			break;
		r = cycle(c, i, product, v1, db, err);
	}
	json_decref(j);
	return r;
}
