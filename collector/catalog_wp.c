/* SPDX-License-Identifier: MIT */
/* WordPress.org's feeds (../shared/catalog/01-wordpress-api.md). */
#include <errno.h>
#include <string.h>

#include "catalog_parse.h"

#define STABLE_CHECK "core/stable-check"

int catalog_parse_wp_stable(const char *data, size_t len, const char *product,
			    struct catalog_db *db, struct hu_err *err)
{
	const char *version;
	json_t *j = NULL, *v;
	unsigned latest = 0;
	int r;

	(void)product;
	r = catalog_json_load(data, len, STABLE_CHECK, &j, err);
	if (r < 0)
		return r;
	if (!json_is_object(j))
		r = hu_err_set(err, -EBADMSG, STABLE_CHECK ": expected an object of versions");
	json_object_foreach(j, version, v)
	{
		const char *status = json_string_value(v);
		if (r < 0)
			break;
		if (!status || (strcmp(status, "latest") != 0 && strcmp(status, "outdated") != 0 &&
				strcmp(status, "insecure") != 0))
			r = hu_err_set(err, -EBADMSG,
				       STABLE_CHECK
				       ": \"%.40s\": expected \"latest\", \"outdated\" "
				       "or \"insecure\"",
				       version);
		else if (!*version || strlen(version) > 40)
			r = hu_err_set(err, -EBADMSG,
				       STABLE_CHECK ": a version key is empty or "
						    "longer than 40 bytes");
		else
			r = catalog_db_add_wp_core(db, version, status, err);
		latest += r >= 0 && strcmp(status, "latest") == 0;
	}
	if (r >= 0 && latest != 1)
		r = hu_err_set(err, -EBADMSG,
			       STABLE_CHECK ": expected exactly one \"latest\" version, found %u",
			       latest);
	json_decref(j);
	return r;
}
