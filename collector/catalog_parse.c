/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "catalog_parse.h"

int catalog_json_load(const char *data, size_t len, const char *what, json_t **ret,
		      struct hu_err *err)
{
	json_error_t je;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);

	if (!j)
		return hu_err_set(err, -EBADMSG, "%s: not JSON: line %d column %d: %s", what,
				  je.line, je.column, je.text);
	*ret = j;
	return 0;
}

bool catalog_date(const json_t *v, char out[11])
{
	const char *s = json_string_value(v);

	if (!s || strlen(s) < 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	if (s[10] && s[10] != 'T' && s[10] != ' ')
		return false;
	memcpy(out, s, 10);
	out[10] = 0;
	return true;
}

bool catalog_datetime(const json_t *v, int64_t *ret)
{
	const char *s = json_string_value(v);
	struct tm tm = { 0 };
	const char *end;

	if (!s || !(end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
		return false;
	if (*end == '.') /* fractions of a second */
		for (end++; isdigit((unsigned char)*end); end++)
			;
	if (strcmp(end, "Z") != 0 && strcmp(end, "+00:00") != 0)
		return false;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*ret = (int64_t)t;
	return true;
}
