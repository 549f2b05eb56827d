/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "checks.h"

/* Every check, in the order they run. */
const struct hu_check_ops *const hu_checks[] = {
	&hu_check_php, &hu_check_tls, &hu_check_dns, &hu_check_cms, &hu_check_db, NULL,
};

const struct hu_check_ops *hu_check_find(const char *name)
{
	for (const struct hu_check_ops *const *c = hu_checks; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}
