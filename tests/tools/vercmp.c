/* SPDX-License-Identifier: MIT */
/*
 * Reads "A<TAB>B" lines and prints hu_version_compare(A, B) for each, so
 * that tests/integration/version_php.sh can compare with PHP itself.
 */
#include <stdio.h>
#include <string.h>

#include "huolto/version.h"

int main(void)
{
	char line[4096];

	while (fgets(line, sizeof(line), stdin)) {
		char *tab = strchr(line, '\t');
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (!tab) {
			fprintf(stderr, "vercmp: expected A<TAB>B\n");
			return 2;
		}
		*tab = '\0';
		printf("%d\n", hu_version_compare(line, tab + 1));
	}
	return 0;
}
