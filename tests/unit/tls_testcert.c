/* SPDX-License-Identifier: MIT */
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "tls_testcert.h"

EVP_PKEY *testcert_key(const char *spec)
{
	if (!strncmp(spec, "rsa:", 4))
		return EVP_RSA_gen((unsigned int)strtoul(spec + 4, NULL, 10));
	if (!strncmp(spec, "ec:", 3))
		return EVP_EC_gen(spec + 3);
	if (!strcmp(spec, "ed25519"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return NULL;
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext) {
		X509_add_ext(cert, ext, -1);
		X509_EXTENSION_free(ext);
	}
}

X509 *testcert_make(EVP_PKEY *key, const char *cn, const char *san, time_t now, long from_s,
		    long to_s, X509 *issuer, EVP_PKEY *issuer_key, const EVP_MD *md, int ca)
{
	static long serial = 1;
	X509 *x = X509_new();
	char sanbuf[300];

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_time_adj_ex(X509_getm_notBefore(x), 0, from_s, &now);
	X509_time_adj_ex(X509_getm_notAfter(x), 0, to_s, &now);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(x));
	if (ca) {
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		snprintf(sanbuf, sizeof(sanbuf), "DNS:%s", cn);
		add_ext(x, issuer, NID_subject_alt_name, san ? san : sanbuf);
		add_ext(x, issuer, NID_ext_key_usage, "serverAuth");
	}
	EVP_PKEY *signer = issuer ? issuer_key : key;
	const EVP_MD *digest =
	    EVP_PKEY_get_base_id(signer) == EVP_PKEY_ED25519 ? NULL : (md ? md : EVP_sha256());
	X509_sign(x, signer, digest);
	return x;
}

static char *bio_text(BIO *b)
{
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);
	char *s = n > 0 ? strndup(data, (size_t)n) : strdup("");
	BIO_free(b);
	return s;
}

char *testcert_pem(X509 *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, cert);
	return bio_text(b);
}

char *testcert_key_pem(EVP_PKEY *key, const char *passphrase)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(b, key, passphrase ? EVP_aes_256_cbc() : NULL,
				 (const unsigned char *)passphrase,
				 passphrase ? (int)strlen(passphrase) : 0, NULL, NULL);
	return bio_text(b);
}
