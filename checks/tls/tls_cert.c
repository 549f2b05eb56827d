/* SPDX-License-Identifier: MIT */
/*
 * What a certificate is: its facts, what its expiry means at a given time
 * (thresholds scaled to its lifetime, so that 6-day certificates do not
 * warn all their life), its key and signature strength, and strict
 * verification of a served chain against the trust store.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tls.h"

#define SECONDS_PER_DAY 86400.0

/*
 * CA/Browser Forum Baseline Requirements, maximum validity of a TLS
 * subscriber certificate by its issue date (ballot SC-081): 398 days, then
 * 200 days from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15.
 */
static const struct {
	int year, month, day; /* from this date (UTC) on */
	long days;
} cabf_schedule[] = {
	{ 2026, 3, 15, 200 },
	{ 2027, 3, 15, 100 },
	{ 2029, 3, 15, 47 },
};

long tls_cabf_max_validity(time_t issued)
{
	long days = 398;

	for (size_t i = 0; i < sizeof(cabf_schedule) / sizeof(cabf_schedule[0]); i++) {
		struct tm tm = { .tm_year = cabf_schedule[i].year - 1900,
				 .tm_mon = cabf_schedule[i].month - 1,
				 .tm_mday = cabf_schedule[i].day };
		if (issued >= timegm(&tm))
			days = cabf_schedule[i].days;
	}
	return days;
}

/* Copy n bytes of data (not NUL-terminated, from a certificate) into buf, cut to fit. */
static void copy_cut(char *buf, size_t len, const char *data, size_t n)
{
	if (n >= len)
		n = len - 1;
	if (n)
		memcpy(buf, data, n);
	buf[n] = '\0';
}

static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

const char *tls_name_text(const X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	buf[0] = '\0';
	if (!b)
		return buf;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &data);
		if (data && n > 0)
			copy_cut(buf, len, data, (size_t)n);
	}
	BIO_free(b);
	return buf;
}

static void key_info(X509 *cert, struct tls_cert_info *in)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	int id;

	if (!pk) {
		snprintf(in->key_type, sizeof(in->key_type), "unknown");
		return;
	}
	id = EVP_PKEY_get_base_id(pk);
	in->key_bits = EVP_PKEY_get_bits(pk);
	switch (id) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		snprintf(in->key_type, sizeof(in->key_type), "RSA");
		in->weak_key = in->key_bits < 2048;
		break;
	case EVP_PKEY_DSA:
		snprintf(in->key_type, sizeof(in->key_type), "DSA");
		in->weak_key = in->key_bits < 2048;
		break;
	case EVP_PKEY_EC:
		snprintf(in->key_type, sizeof(in->key_type), "EC");
		in->weak_key = in->key_bits < 256;
		break;
	case EVP_PKEY_ED25519:
		snprintf(in->key_type, sizeof(in->key_type), "ED25519");
		break;
	case EVP_PKEY_ED448:
		snprintf(in->key_type, sizeof(in->key_type), "ED448");
		break;
	default:
		snprintf(in->key_type, sizeof(in->key_type), "%s", OBJ_nid2sn(id));
	}
}

static void signature_info(X509 *cert, struct tls_cert_info *in)
{
	int sig = X509_get_signature_nid(cert), md = NID_undef, pk = NID_undef;

	snprintf(in->signature, sizeof(in->signature), "%s",
		 sig != NID_undef ? OBJ_nid2ln(sig) : "unknown");
	if (OBJ_find_sigid_algs(sig, &md, &pk))
		in->weak_signature = md == NID_sha1 || md == NID_md5 || md == NID_md4 ||
				     md == NID_md2 || md == NID_md5_sha1;
}

void tls_cert_inspect(X509 *cert, time_t now, const struct tls_thresholds *t,
		      struct tls_cert_info *in)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	*in = (struct tls_cert_info){ 0 };
	in->not_before = asn1_time(X509_get0_notBefore(cert));
	in->not_after = asn1_time(X509_get0_notAfter(cert));
	in->days_left = difftime(in->not_after, now) / SECONDS_PER_DAY;
	in->lifetime_days = difftime(in->not_after, in->not_before) / SECONDS_PER_DAY;
	/* Thresholds scale with the lifetime: min(N days, P % of the lifetime). */
	in->warn_at_days = fmin(t->warn_days, in->lifetime_days * t->warn_percent / 100.0);
	in->critical_at_days =
	    fmin(t->critical_days, in->lifetime_days * t->critical_percent / 100.0);
	if (now < in->not_before)
		in->expiry = TLS_EXPIRY_NOT_YET_VALID;
	else if (in->days_left <= 0)
		in->expiry = TLS_EXPIRY_EXPIRED;
	else if (in->days_left < in->critical_at_days)
		in->expiry = TLS_EXPIRY_CRITICAL;
	else if (in->days_left < in->warn_at_days)
		in->expiry = TLS_EXPIRY_WARNING;
	else
		in->expiry = TLS_EXPIRY_OK;
	key_info(cert, in);
	signature_info(cert, in);
	in->self_signed = X509_check_issued(cert, cert) == X509_V_OK;
	if (X509_digest(cert, EVP_sha256(), md, &mdlen) == 1) {
		size_t off = 0; /* "AA:BB:...": 32 bytes take 95 characters */
		for (unsigned int k = 0; k < mdlen && off + 3 < sizeof(in->fingerprint); k++)
			off +=
			    (size_t)snprintf(in->fingerprint + off, sizeof(in->fingerprint) - off,
					     "%s%02X", k ? ":" : "", md[k]);
	}
	in->max_validity_days =
	    t->max_validity_days < 0 ? tls_cabf_max_validity(in->not_before) : t->max_validity_days;
	in->too_long = in->max_validity_days > 0 && !in->self_signed &&
		       in->lifetime_days > (double)in->max_validity_days;
}

static json_t *sans_json(X509 *cert)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	json_t *a = json_array();

	for (int i = 0; a && names && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		char buf[300];
		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *s = g->d.dNSName;
			int sl = ASN1_STRING_length(s);
			memcpy(buf, "DNS:", 4);
			copy_cut(buf + 4, sizeof(buf) - 4, (const char *)ASN1_STRING_get0_data(s),
				 sl > 0 ? (size_t)sl : 0);
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *s = g->d.iPAddress;
			int len = ASN1_STRING_length(s);
			const unsigned char *d = ASN1_STRING_get0_data(s);
			char ip[64] = "?";
			if (len == 4)
				snprintf(ip, sizeof(ip), "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
			else if (len == 16)
				inet_ntop(AF_INET6, d, ip, sizeof(ip));
			snprintf(buf, sizeof(buf), "IP:%s", ip);
		} else {
			continue;
		}
		/* Strip control characters: this came from the server. */
		for (char *c = buf; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		json_array_append_new(a, json_string(buf));
	}
	GENERAL_NAMES_free(names);
	return a;
}

static json_t *serial_json(X509 *cert)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	json_t *v = json_string(hex ? hex : "");

	OPENSSL_free(hex);
	BN_free(bn);
	return v;
}

static json_t *time_json(time_t t)
{
	char buf[32];
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return json_null();
	return json_string(buf);
}

/* Days with one decimal, as a JSON number. */
static json_t *days_json(double d)
{
	return json_real(round(d * 10.0) / 10.0);
}

json_t *tls_cert_facts(X509 *cert, const struct tls_cert_info *in)
{
	char subject[512], issuer[512];

	return json_pack(
	    "{s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:i, s:s, s:b}", "subject",
	    tls_name_text(X509_get_subject_name(cert), subject, sizeof(subject)), "sans",
	    sans_json(cert), "issuer",
	    tls_name_text(X509_get_issuer_name(cert), issuer, sizeof(issuer)), "serial",
	    serial_json(cert), "fingerprint_sha256", in->fingerprint, "not_before",
	    time_json(in->not_before), "not_after", time_json(in->not_after), "days_left",
	    days_json(in->days_left), "lifetime_days", days_json(in->lifetime_days), "key_type",
	    in->key_type, "key_bits", (json_int_t)in->key_bits, "signature_algorithm",
	    in->signature, "self_signed", in->self_signed);
}

int tls_store_new(const char *ca_file, X509_STORE **ret, struct hu_err *err)
{
	X509_STORE *store = X509_STORE_new();
	const char *dir = getenv(X509_get_default_cert_dir_env());
	const char *file = getenv(X509_get_default_cert_file_env());
	struct stat st;
	int ok;

	if (!store)
		return hu_err_set(err, -ENOMEM, "X509_STORE_new failed");
	if (!dir)
		dir = X509_get_default_cert_dir();
	/*
	 * The system's hashed certificate directory is looked into only for
	 * the issuers needed; loading the whole bundle file costs more than
	 * many handshakes. Without the directory, the default file is used.
	 */
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		X509_LOOKUP *l = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
		ok = l && X509_LOOKUP_add_dir(l, dir, X509_FILETYPE_PEM) == 1;
		if (ok && file)
			ok = X509_STORE_load_file(store, file) == 1;
	} else {
		ok = X509_STORE_set_default_paths(store) == 1;
	}
	if (!ok) {
		X509_STORE_free(store);
		ERR_clear_error();
		return hu_err_set(err, -EIO, "cannot use the system trust store (%s)", dir);
	}
	if (ca_file && X509_STORE_load_file(store, ca_file) != 1) {
		unsigned long e = ERR_get_error();
		char buf[256];
		ERR_error_string_n(e, buf, sizeof(buf));
		X509_STORE_free(store);
		ERR_clear_error();
		return hu_err_set(err, -EINVAL, "tls.ca_file %s: %s", ca_file, buf);
	}
	*ret = store;
	return 0;
}

/* Whether a certificate in chain (other than at index skip) has subject name. */
static bool served(STACK_OF(X509) * chain, const X509_NAME *name, int skip)
{
	for (int i = 0; i < sk_X509_num(chain); i++)
		if (i != skip &&
		    X509_NAME_cmp(X509_get_subject_name(sk_X509_value(chain, i)), name) == 0)
			return true;
	return false;
}

void tls_verify_chain(X509_STORE *store, STACK_OF(X509) * chain, const char *name, time_t now,
		      struct tls_verify *ret)
{
	X509 *leaf = sk_X509_value(chain, 0);
	STACK_OF(X509) *untrusted = sk_X509_dup(chain);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	unsigned char ip[16];

	*ret = (struct tls_verify){ 0 };
	if (untrusted)
		(void)sk_X509_shift(untrusted); /* everything but the leaf */
	if (!leaf || !ctx || !untrusted || X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
		ret->code = X509_V_ERR_OUT_OF_MEM;
		snprintf(ret->reason, sizeof(ret->reason), "cannot verify (out of memory)");
		goto out;
	}
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	ret->ok = X509_verify_cert(ctx) == 1;
	ret->code = ret->ok ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
	ret->depth = ret->ok ? 0 : X509_STORE_CTX_get_error_depth(ctx);
	snprintf(ret->reason, sizeof(ret->reason), "%s", X509_verify_cert_error_string(ret->code));
	/*
	 * The leaf's issuer was neither served nor trusted, and the leaf is not
	 * self-signed: the server does not send its intermediate.
	 */
	if (!ret->ok && ret->depth == 0 &&
	    (ret->code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	     ret->code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) &&
	    X509_check_issued(leaf, leaf) != X509_V_OK &&
	    !served(chain, X509_get_issuer_name(leaf), 0)) {
		ret->chain_incomplete = true;
		tls_name_text(X509_get_issuer_name(leaf), ret->missing_issuer,
			      sizeof(ret->missing_issuer));
	}
	if (inet_pton(AF_INET, name, ip) == 1 || inet_pton(AF_INET6, name, ip) == 1)
		ret->hostname_match = X509_check_ip_asc(leaf, name, 0) == 1;
	else
		ret->hostname_match = X509_check_host(leaf, name, 0, 0, NULL) == 1;
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	ERR_clear_error();
}
