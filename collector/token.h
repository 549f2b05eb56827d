/* SPDX-License-Identifier: MIT */
/* Bearer tokens: made from 32 random bytes, stored only as their SHA-256. */
#ifndef HUOLTO_COLLECTOR_TOKEN_H
#define HUOLTO_COLLECTOR_TOKEN_H

#include <stddef.h>

#define TOKEN_LEN  46 /* "hu_" and 43 characters of base64url */
#define SHA256_HEX 65 /* 64 hex digits and NUL */

/* A new token into buf (TOKEN_LEN + 1 bytes). 0, or -EIO when no randomness. */
int token_new(char buf[TOKEN_LEN + 1]);
/* The SHA-256 of s[0..len) in lower-case hex. */
int token_hash(const char *s, size_t len, char hex[SHA256_HEX]);

#endif
