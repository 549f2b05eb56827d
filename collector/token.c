/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>

#include "token.h"

int token_new(char buf[TOKEN_LEN + 1])
{
	static const char b64url[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[32];
	size_t o = 3, bits = 0;
	unsigned acc = 0;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -EIO;
	buf[0] = 'h';
	buf[1] = 'u';
	buf[2] = '_';
	for (size_t i = 0; i < sizeof(raw); i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			buf[o++] = b64url[(acc >> bits) & 63];
		}
	}
	if (bits)
		buf[o++] = b64url[(acc << (6 - bits)) & 63];
	buf[o] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

int token_hash(const char *s, size_t len, char hex[SHA256_HEX])
{
	unsigned char md[32];
	unsigned int n = 0;

	if (EVP_Digest(s, len, md, &n, EVP_sha256(), NULL) != 1 || n != sizeof(md))
		return -EIO;
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}
