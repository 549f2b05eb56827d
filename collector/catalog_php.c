/* SPDX-License-Identifier: MIT */
/* php.net's release branches (../shared/catalog/07-php-net-releases.md). */
#include <errno.h>
#include <string.h>

#include "catalog_parse.h"
#include "huolto/version.h"

#define BRANCHES "releases/branches.php"

static int branch(const json_t *b, size_t i, struct catalog_db *db, struct hu_err *err)
{
	const char *name = json_string_value(json_object_get(b, "branch"));
	const char *latest = json_string_value(json_object_get(b, "latest"));
	const json_t *state = json_object_get(b, "state");
	char released[11], active[11], security[11];
	unsigned major, minor;

	if (!json_is_object(b))
		return hu_err_set(err, -EBADMSG, BRANCHES ": [%zu]: expected an object", i);
	if (!name || hu_version_branch(name, &major, &minor) < 0)
		return hu_err_set(err, -EBADMSG,
				  BRANCHES ": [%zu].branch: expected \"MAJOR.MINOR\"", i);
	if (state && !json_is_null(state) && !json_is_string(state))
		return hu_err_set(err, -EBADMSG, BRANCHES ": %s.state: expected a string or null",
				  name);
	/* "3.0.x (latest)": a branch so old php.net lists no release of it. */
	if (latest && (strchr(latest, ' ') || hu_version_branch(latest, &major, &minor) < 0))
		latest = NULL;
	bool has_security = catalog_date(json_object_get(b, "security_support_end"), security);
	struct catalog_cycle c = {
		.product = "php",
		.cycle = name,
		.latest = latest,
		.released =
		    catalog_date(json_object_get(b, "initial_release"), released) ? released : NULL,
		.support_end =
		    catalog_date(json_object_get(b, "active_support_end"), active) ? active : NULL,
		.eol = has_security ? security : NULL,
		.eol_flag = !has_security && json_is_string(state) &&
				    strcmp(json_string_value(state), "eol") == 0
				? 1
				: -1,
		.state = json_string_value(state),
	};
	return catalog_db_add_cycle(db, &c, err);
}

int catalog_parse_php_branches(const char *data, size_t len, const char *product,
			       struct catalog_db *db, struct hu_err *err)
{
	json_t *j = NULL, *b;
	size_t i;
	int r;

	(void)product;
	r = catalog_json_load(data, len, BRANCHES, &j, err);
	if (r < 0)
		return r;
	if (!json_is_array(j) || json_array_size(j) == 0)
		r = hu_err_set(err, -EBADMSG, BRANCHES ": expected a non-empty array of branches");
	json_array_foreach(j, i, b)
	{
		if (r < 0)
			break;
		r = branch(b, i, db, err);
	}
	json_decref(j);
	return r;
}
