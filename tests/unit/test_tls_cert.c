/* SPDX-License-Identifier: MIT */
/*
 * What tls_cert.c says about certificates made here: expiry thresholds
 * scaled to the lifetime, key and signature strength, the CA/Browser Forum
 * schedule, verification outcomes and hostname matching.
 */
#include <openssl/err.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/tls.h"
#include "tls_testcert.h"

#define DAY 86400L
static const time_t NOW = 1795305600; /* 2026-11-22T00:00:00Z */
static const struct tls_thresholds T = { 21, 25, 7, 10, -1 };

static struct tls_cert_info inspect(X509 *x)
{
	struct tls_cert_info in;
	tls_cert_inspect(x, NOW, &T, &in);
	return in;
}

/* A self-signed RSA certificate valid from NOW-before days to NOW+after days. */
static X509 *dated(EVP_PKEY *k, double before, double after)
{
	return testcert_make(k, "a.test", NULL, NOW, (long)(-before * DAY), (long)(after * DAY),
			     NULL, NULL, NULL, 0);
}

static void expiry_scales_with_lifetime(void **state)
{
	EVP_PKEY *k = testcert_key("ec:prime256v1");
	static const struct {
		double before, after;
		enum tls_expiry want;
	} cases[] = {
		/* 90-day certificate: warn under 21 days, critical under 7 */
		{ 68, 22, TLS_EXPIRY_OK },
		{ 70, 20, TLS_EXPIRY_WARNING },
		{ 82, 8, TLS_EXPIRY_WARNING },
		{ 84, 6, TLS_EXPIRY_CRITICAL },
		/* 6-day certificate: warn under 1.5 days (25 %), critical under 0.6 (10 %) */
		{ 4, 2, TLS_EXPIRY_OK },
		{ 5, 1, TLS_EXPIRY_WARNING },
		{ 5.5, 0.5, TLS_EXPIRY_CRITICAL },
		/* a year: the day limits apply */
		{ 344, 21.5, TLS_EXPIRY_OK },
		{ 346, 20, TLS_EXPIRY_WARNING },
		{ 10, -1, TLS_EXPIRY_EXPIRED },
		{ -1, 30, TLS_EXPIRY_NOT_YET_VALID },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		X509 *x = dated(k, cases[i].before, cases[i].after);
		struct tls_cert_info in = inspect(x);
		if (in.expiry != cases[i].want)
			fail_msg("case %zu (%.1f days left of %.1f): got %d, want %d", i,
				 in.days_left, in.lifetime_days, in.expiry, cases[i].want);
		X509_free(x);
	}
	X509 *x = dated(k, 4, 2);
	struct tls_cert_info in = inspect(x);
	assert_true(in.warn_at_days > 1.49 && in.warn_at_days < 1.51);
	assert_true(in.critical_at_days > 0.59 && in.critical_at_days < 0.61);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void keys_and_signatures(void **state)
{
	static const struct {
		const char *key;
		const char *type;
		int bits;
		bool weak;
	} keys[] = {
		{ "rsa:2048", "RSA", 2048, false },    { "rsa:1024", "RSA", 1024, true },
		{ "ec:prime256v1", "EC", 256, false }, { "ec:secp224r1", "EC", 224, true },
		{ "ed25519", "ED25519", 256, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		EVP_PKEY *k = testcert_key(keys[i].key);
		assert_non_null(k);
		X509 *x = dated(k, 1, 30);
		struct tls_cert_info in = inspect(x);
		assert_string_equal(in.key_type, keys[i].type);
		assert_int_equal(in.key_bits, keys[i].bits);
		assert_int_equal(in.weak_key, keys[i].weak);
		assert_true(in.self_signed);
		assert_int_equal(strlen(in.fingerprint), 95);
		X509_free(x);
		EVP_PKEY_free(k);
	}
	EVP_PKEY *k = testcert_key("rsa:2048");
	X509 *x = testcert_make(k, "a.test", NULL, NOW, -DAY, 30 * DAY, NULL, NULL, EVP_sha1(), 0);
	struct tls_cert_info in = inspect(x);
	assert_true(in.weak_signature);
	assert_string_equal(in.signature, "sha1WithRSAEncryption");
	X509_free(x);
	x = dated(k, 1, 30);
	in = inspect(x);
	assert_false(in.weak_signature);
	assert_string_equal(in.signature, "sha256WithRSAEncryption");
	X509_free(x);
	EVP_PKEY_free(k);
}

static time_t ymd(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	return timegm(&tm);
}

static void cabf_schedule(void **state)
{
	(void)state;
	assert_int_equal(tls_cabf_max_validity(ymd(2025, 6, 1)), 398);
	assert_int_equal(tls_cabf_max_validity(ymd(2026, 3, 14)), 398);
	assert_int_equal(tls_cabf_max_validity(ymd(2026, 3, 15)), 200);
	assert_int_equal(tls_cabf_max_validity(ymd(2027, 3, 14)), 200);
	assert_int_equal(tls_cabf_max_validity(ymd(2027, 3, 15)), 100);
	assert_int_equal(tls_cabf_max_validity(ymd(2029, 3, 14)), 100);
	assert_int_equal(tls_cabf_max_validity(ymd(2029, 3, 15)), 47);

	/* 199 and 201 days issued now (after 2026-03-15); self-signed ones are exempt. */
	EVP_PKEY *k = testcert_key("ec:prime256v1"), *ck = testcert_key("ec:prime256v1");
	X509 *ca = testcert_make(ck, "ca", NULL, NOW, -DAY, 3650 * DAY, NULL, NULL, NULL, 1);
	X509 *ok = testcert_make(k, "a.test", NULL, NOW, 0, 199 * DAY, ca, ck, NULL, 0);
	X509 *longer = testcert_make(k, "a.test", NULL, NOW, 0, 201 * DAY, ca, ck, NULL, 0);
	X509 *self = testcert_make(k, "a.test", NULL, NOW, 0, 900 * DAY, NULL, NULL, NULL, 0);
	assert_false(inspect(ok).too_long);
	assert_true(inspect(longer).too_long);
	assert_int_equal(inspect(longer).max_validity_days, 200);
	assert_false(inspect(self).too_long);
	struct tls_thresholds off = T, fixed = T;
	struct tls_cert_info in;
	off.max_validity_days = 0;
	fixed.max_validity_days = 100;
	tls_cert_inspect(longer, NOW, &off, &in);
	assert_false(in.too_long);
	tls_cert_inspect(ok, NOW, &fixed, &in);
	assert_true(in.too_long);
	X509_free(ca);
	X509_free(ok);
	X509_free(longer);
	X509_free(self);
	EVP_PKEY_free(k);
	EVP_PKEY_free(ck);
}

static STACK_OF(X509) * chain_of(X509 *a, X509 *b)
{
	STACK_OF(X509) *s = sk_X509_new_null();
	sk_X509_push(s, a);
	if (b)
		sk_X509_push(s, b);
	return s;
}

static void verification(void **state)
{
	EVP_PKEY *rk = testcert_key("ec:prime256v1"), *ik = testcert_key("ec:prime256v1"),
		 *lk = testcert_key("ec:prime256v1");
	X509 *root = testcert_make(rk, "root", NULL, NOW, -DAY, 3650 * DAY, NULL, NULL, NULL, 1);
	X509 *inter =
	    testcert_make(ik, "intermediate", NULL, NOW, -DAY, 1800 * DAY, root, rk, NULL, 1);
	X509 *leaf = testcert_make(lk, "www.a.test", "DNS:www.a.test,DNS:*.b.test,IP:192.0.2.7",
				   NOW, -DAY, 30 * DAY, inter, ik, NULL, 0);
	X509 *self =
	    testcert_make(lk, "www.a.test", NULL, NOW, -DAY, 30 * DAY, NULL, NULL, NULL, 0);
	X509_STORE *store = X509_STORE_new();
	struct tls_verify v;

	(void)state;
	X509_STORE_add_cert(store, root);
	STACK_OF(X509) *full = chain_of(leaf, inter), *bare = chain_of(leaf, NULL),
		       *selfc = chain_of(self, NULL);

	tls_verify_chain(store, full, "www.a.test", NOW, &v);
	assert_true(v.ok);
	assert_true(v.hostname_match);
	tls_verify_chain(store, full, "x.b.test", NOW, &v);
	assert_true(v.hostname_match); /* wildcard */
	tls_verify_chain(store, full, "x.y.b.test", NOW, &v);
	assert_false(v.hostname_match); /* a wildcard is one label */
	tls_verify_chain(store, full, "192.0.2.7", NOW, &v);
	assert_true(v.hostname_match); /* IP SAN */
	tls_verify_chain(store, full, "other.test", NOW, &v);
	assert_true(v.ok);
	assert_false(v.hostname_match);

	tls_verify_chain(store, bare, "www.a.test", NOW, &v);
	assert_false(v.ok);
	assert_true(v.chain_incomplete);
	assert_string_equal(v.missing_issuer, "CN=intermediate");

	tls_verify_chain(store, selfc, "www.a.test", NOW, &v);
	assert_false(v.ok);
	assert_false(v.chain_incomplete);
	assert_int_equal(v.code, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);

	/* The run's time is the verification time: expired 40 days from now. */
	tls_verify_chain(store, full, "www.a.test", NOW + 40 * DAY, &v);
	assert_false(v.ok);
	assert_int_equal(v.code, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(v.depth, 0);

	/* An unknown root: leaf and intermediate served, root not trusted. */
	X509_STORE *empty = X509_STORE_new();
	tls_verify_chain(empty, full, "www.a.test", NOW, &v);
	assert_false(v.ok);
	assert_false(v.chain_incomplete);
	assert_int_equal(v.depth, 1);
	assert_string_equal(v.reason, "unable to get local issuer certificate");

	json_t *facts = tls_cert_facts(leaf, &(struct tls_cert_info){ .key_type = "EC" });
	json_t *sans = json_object_get(facts, "sans");
	assert_int_equal(json_array_size(sans), 3);
	assert_string_equal(json_string_value(json_array_get(sans, 2)), "IP:192.0.2.7");
	assert_string_equal(json_string_value(json_object_get(facts, "issuer")), "CN=intermediate");
	json_decref(facts);

	sk_X509_free(full);
	sk_X509_free(bare);
	sk_X509_free(selfc);
	X509_STORE_free(store);
	X509_STORE_free(empty);
	X509_free(root);
	X509_free(inter);
	X509_free(leaf);
	X509_free(self);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(lk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expiry_scales_with_lifetime),
		cmocka_unit_test(keys_and_signatures),
		cmocka_unit_test(cabf_schedule),
		cmocka_unit_test(verification),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
