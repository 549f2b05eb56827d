/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include "huolto/url.h"

int conf_sub(const struct hu_conf_node *n, const char *key, const char *what,
	     const char *const *keys, const struct hu_conf_node **ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	int r;

	*ret = NULL;
	if (!v || hu_conf_is_null(v))
		return 0;
	r = hu_conf_expect_mapping(v, what, err);
	if (r >= 0)
		r = hu_conf_check_keys(v, keys, err);
	if (r >= 0)
		*ret = v;
	return r;
}

/* Whether word is one of the words in list ("a|b"). */
static bool conf_one_of(const char *word, const char *list)
{
	size_t len = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, "|"), p += *p == '|') {
		size_t n = strcspn(p, "|");
		if (n == len && strncmp(p, word, n) == 0)
			return true;
	}
	return false;
}

int conf_url(const struct hu_conf_node *n, const char *what, const char *key, const char *schemes,
	     char **ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);
	char *scheme = NULL;
	const char *why = NULL;
	int r;

	if (!v)
		return 0;
	r = hu_conf_get_string(n, key, ret, err);
	if (r >= 0)
		r = hu_url_scheme(*ret, &scheme, &why);
	if (r == -EINVAL)
		return hu_conf_error(v, err, r, "%s.%s: not a URL: %s", what, key, why);
	if (r >= 0 && !conf_one_of(scheme, schemes))
		r = hu_conf_error(v, err, -EINVAL, "%s.%s: the scheme must be %s, not %s", what,
				  key, schemes, scheme);
	free(scheme);
	return r;
}

int conf_path(const struct hu_conf_node *n, const char *what, const char *key, char **ret,
	      struct hu_err *err)
{
	int r = hu_conf_get_string(n, key, ret, err);

	if (r >= 0 && *ret && (*ret)[0] != '/')
		r = hu_conf_error(hu_conf_get(n, key), err, -EINVAL,
				  "%s.%s must be an absolute path", what, key);
	return r;
}
