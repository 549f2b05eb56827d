/* SPDX-License-Identifier: MIT */
/* Secrets (tokens, private keys, passwords) held in memory: zeroed before they are freed. */
#ifndef HUOLTO_SECRET_H
#define HUOLTO_SECRET_H

#include "huolto/err.h"

/* Zero the NUL-terminated s and free it; s may be NULL. */
void hu_secret_free(char *s);

/*
 * The secret in a file: its first word (surrounding blanks and line ends
 * dropped), at most 4 KiB read. Warns when others may read the file. The
 * secret itself never appears in err.
 */
int hu_secret_read_file(const char *path, char **ret, struct hu_err *err);

#endif
