/* SPDX-License-Identifier: MIT */
/* Certificates made in memory for the tls unit tests. */
#ifndef HUOLTO_TESTS_TLS_TESTCERT_H
#define HUOLTO_TESTS_TLS_TESTCERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <time.h>

/* "rsa:2048", "rsa:1024", "ec:prime256v1", "ec:secp224r1", "ed25519" */
EVP_PKEY *testcert_key(const char *spec);
/*
 * A certificate for cn (also its DNS SAN unless san is given: "DNS:a,IP:1.2.3.4"),
 * valid from now+from_s to now+to_s, signed by issuer (NULL: self-signed with key)
 * using md (NULL: SHA-256). ca: a CA certificate.
 */
X509 *testcert_make(EVP_PKEY *key, const char *cn, const char *san, time_t now, long from_s,
		    long to_s, X509 *issuer, EVP_PKEY *issuer_key, const EVP_MD *md, int ca);
/* PEM text of a certificate or key (caller frees). */
char *testcert_pem(X509 *cert);
char *testcert_key_pem(EVP_PKEY *key, const char *passphrase);

#endif
