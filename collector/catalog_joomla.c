/* SPDX-License-Identifier: MIT */
/*
 * Joomla's TUF repository (../shared/catalog/03-joomla-updates.md):
 * targets.json lists the core packages Joomla 5.1+ updates from. Each
 * target's custom.targetplatform.version is a regular expression over the
 * installed version, anchored at its start as Joomla does, kept as written
 * and checked here to compile as a POSIX extended expression. The signatures are not verified (the
 * body comes over verified HTTPS and nothing is downloaded from it); signed.expires is honoured:
 * past it, the facts are stale.
 */
#include <errno.h>
#include <regex.h>
#include <string.h>

#include "catalog_parse.h"

#define TARGETS "joomla targets.json"

/* A string member of o, or NULL when it is absent or not a short string. */
static const char *short_string(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s && strlen(s) <= 200 ? s : NULL;
}

static int add_target(const char *file, const json_t *t, struct catalog_db *db, struct hu_err *err)
{
	const json_t *custom = json_object_get(t, "custom");
	struct catalog_joomla_core j = {
		.file = file,
		.version = short_string(custom, "version"),
		.channel = short_string(custom, "channel"),
		.stability = short_string(custom, "stability"),
		.platform = short_string(json_object_get(custom, "targetplatform"), "version"),
		.php_minimum = short_string(custom, "php_minimum"),
	};
	const char *element = short_string(custom, "element");
	regex_t re;

	if (!json_is_object(custom))
		return hu_err_set(err, -EBADMSG, TARGETS ": %.80s: no custom object", file);
	if (element && strcmp(element, "joomla") != 0)
		return 0; /* not the core */
	if (!j.version || !j.platform)
		return hu_err_set(err, -EBADMSG,
				  TARGETS ": %.80s: custom.%s missing or not a string", file,
				  j.version ? "targetplatform.version" : "version");
	if (catalog_joomla_platform_compile(&re, j.platform) < 0)
		return hu_err_set(err, -EBADMSG,
				  TARGETS ": %.80s: targetplatform.version \"%.80s\" is not a "
					  "regular expression this collector reads",
				  file, j.platform);
	regfree(&re);
	return catalog_db_add_joomla_core(db, &j, err);
}

int catalog_parse_joomla_tuf(const char *data, size_t len, const char *product,
			     struct catalog_db *db, struct hu_err *err)
{
	json_t *j = NULL, *t;
	const char *file;
	int64_t expires = 0;
	int r;

	(void)product;
	r = catalog_json_load(data, len, TARGETS, &j, err);
	if (r < 0)
		return r;
	json_t *signed_ = json_object_get(j, "signed");
	json_t *targets = json_object_get(signed_, "targets");
	const char *type = json_string_value(json_object_get(signed_, "_type"));
	if (!type || strcmp(type, "targets") != 0)
		r = hu_err_set(err, -EBADMSG, TARGETS ": signed._type is not \"targets\"");
	else if (!catalog_datetime(json_object_get(signed_, "expires"), &expires))
		r = hu_err_set(err, -EBADMSG,
			       TARGETS ": signed.expires missing or not a UTC date-time");
	else if (!json_is_object(targets) || json_object_size(targets) == 0)
		r = hu_err_set(err, -EBADMSG, TARGETS ": signed.targets missing or empty");
	json_object_foreach(targets, file, t)
	{
		if (r < 0)
			break;
		r = add_target(file, t, db, err);
	}
	if (r >= 0)
		catalog_db_set_expires(db, expires);
	json_decref(j);
	return r;
}
