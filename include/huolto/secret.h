/* SPDX-License-Identifier: MIT */
/* Secrets (tokens, private keys, passwords) held in memory: zeroed before they are freed. */
#ifndef HUOLTO_SECRET_H
#define HUOLTO_SECRET_H

/* Zero the NUL-terminated s and free it; s may be NULL. */
void hu_secret_free(char *s);

#endif
