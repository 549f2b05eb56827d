/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "huolto/secret.h"

void hu_secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}
