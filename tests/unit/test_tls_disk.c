/* SPDX-License-Identifier: MIT */
/*
 * Files on a fake host: PEM chains, keys (matching, another's, encrypted),
 * Postfix's main.cf and Dovecot's configuration; and the tls section's
 * configuration errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks.h"
#include "fake_host.h"
#include "tls/tls.h"
#include "tls_testcert.h"

static const time_t NOW = 1795305600;

static void chains_and_keys(void **state)
{
	EVP_PKEY *k = testcert_key("ec:prime256v1"), *other = testcert_key("ec:prime256v1");
	X509 *ca = testcert_make(k, "ca", NULL, NOW, -86400, 86400 * 3650, NULL, NULL, NULL, 1);
	X509 *leaf = testcert_make(k, "a.test", NULL, NOW, -86400, 86400 * 30, ca, k, NULL, 0);
	char *leaf_pem = testcert_pem(leaf), *ca_pem = testcert_pem(ca);
	char *key_pem = testcert_key_pem(k, NULL), *other_pem = testcert_key_pem(other, NULL);
	char *enc_pem = testcert_key_pem(k, "secret passphrase");
	char *both = NULL;
	struct hu_host *h = fake_host_new();
	struct hu_err err = HU_ERR_INIT;
	STACK_OF(X509) *chain = NULL;

	(void)state;
	assert_true(asprintf(&both, "# a comment before\n%s%s", leaf_pem, ca_pem) > 0);
	fake_host_file(h, "/etc/ssl/full.pem", both);
	fake_host_file(h, "/etc/ssl/garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n");
	fake_host_file(h, "/etc/ssl/a.key", key_pem);
	fake_host_file(h, "/etc/ssl/other.key", other_pem);
	fake_host_file(h, "/etc/ssl/enc.key", enc_pem);
	fake_host_unreadable(h, "/etc/ssl/private.key");

	assert_int_equal(tls_read_chain(h, "/etc/ssl/full.pem", &chain, &err), 0);
	assert_int_equal(sk_X509_num(chain), 2);
	X509 *read_leaf = sk_X509_value(chain, 0);
	assert_int_equal(tls_read_chain(h, "/etc/ssl/garbage.pem", &chain, &err), -EINVAL);
	assert_string_equal(hu_err_msg(&err),
			    "/etc/ssl/garbage.pem: no PEM certificate in the file");
	assert_int_equal(tls_read_chain(h, "/etc/ssl/none.pem", &chain, &err), -ENOENT);

	assert_int_equal(tls_key_matches(h, "/etc/ssl/a.key", read_leaf, &err), 1);
	assert_int_equal(tls_key_matches(h, "/etc/ssl/other.key", read_leaf, &err), 0);
	assert_int_equal(tls_key_matches(h, "/etc/ssl/enc.key", read_leaf, &err), -EINVAL);
	assert_string_equal(hu_err_msg(&err), "/etc/ssl/enc.key: the key is encrypted");
	assert_int_equal(tls_key_matches(h, "/etc/ssl/full.pem", read_leaf, &err), -EINVAL);
	assert_int_equal(tls_key_matches(h, "/etc/ssl/private.key", read_leaf, &err), -EACCES);
	/* No key material in any message. */
	assert_null(strstr(hu_err_msg(&err), "PRIVATE"));

	sk_X509_pop_free(chain, X509_free);
	hu_err_clear(&err);
	hu_host_free(h);
	free(both);
	free(leaf_pem);
	free(ca_pem);
	free(key_pem);
	free(other_pem);
	free(enc_pem);
	X509_free(leaf);
	X509_free(ca);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

static void mail_configs(void **state)
{
	struct hu_host *h = fake_host_new();
	struct hu_strv certs = HU_STRV_INIT, keys = HU_STRV_INIT;
	struct hu_findings problems = HU_FINDINGS_INIT;

	(void)state;
	fake_host_file(h, "/etc/postfix/main.cf",
		       "# smtpd_tls_cert_file = /commented/out.pem\n"
		       "smtpd_banner = $myhostname ESMTP\n"
		       "\n"
		       "smtpd_tls_cert_file=/etc/letsencrypt/live/mail/fullchain.pem\n"
		       "smtpd_tls_key_file =\n"
		       "    $config_directory/mail.key\n"
		       "smtpd_tls_chain_files = /etc/ssl/rsa.pem,\n"
		       "\t/etc/ssl/ec.pem\n"
		       "smtpd_tls_eckey_file = ${config_directory}/ec.key\n");
	fake_host_file(h, "/etc/dovecot/dovecot.conf",
		       "protocols = imap pop3\n"
		       "!include conf.d/*.conf\n"
		       "!include_try local.conf\n"
		       "!include_try /nonexistent/*.conf\n");
	fake_host_file(h, "/etc/dovecot/conf.d/10-ssl.conf",
		       "ssl = required\n"
		       "  ssl_cert = </etc/dovecot/private/dovecot.pem\n"
		       "ssl_key = </etc/dovecot/private/dovecot.key\n"
		       "local_name mail.example.fi {\n"
		       "  ssl_cert = \"</etc/ssl/mail.example.fi.pem\"\n"
		       "}\n");
	fake_host_file(
	    h, "/etc/dovecot/conf.d/20-new.conf",
	    "ssl_server_cert_file = /etc/ssl/v24.pem\nssl_server_key_file = /etc/ssl/v24.key\n");
	fake_host_unreadable(h, "/etc/dovecot/conf.d/30-secret.conf");

	assert_int_equal(tls_mail_config_files(h, "/etc/postfix/main.cf",
					       "/etc/dovecot/dovecot.conf", &certs, &keys,
					       &problems),
			 0);
	const char *want_certs[] = { "/etc/letsencrypt/live/mail/fullchain.pem",
				     "/etc/ssl/rsa.pem",
				     "/etc/ssl/ec.pem",
				     "/etc/dovecot/private/dovecot.pem",
				     "/etc/ssl/mail.example.fi.pem",
				     "/etc/ssl/v24.pem" };
	const char *want_keys[] = { "/etc/postfix/mail.key", "/etc/postfix/ec.key",
				    "/etc/dovecot/private/dovecot.key", "/etc/ssl/v24.key" };
	assert_int_equal(certs.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(certs.v[i], want_certs[i]);
	assert_int_equal(keys.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(keys.v[i], want_keys[i]);
	assert_int_equal(problems.n, 1);
	assert_string_equal(problems.v[0].code, "tls.disk_unreadable");
	assert_string_equal(problems.v[0].target, "/etc/dovecot/conf.d/30-secret.conf");

	/* Not installed: nothing, quietly. */
	hu_strv_clear(&certs);
	hu_strv_clear(&keys);
	hu_findings_clear(&problems);
	assert_int_equal(tls_mail_config_files(h, "/nope/main.cf", "/nope/dovecot.conf", &certs,
					       &keys, &problems),
			 0);
	assert_int_equal(certs.n + keys.n + problems.n, 0);
	hu_host_free(h);
}

static void config_errors(void **state)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "tls: {mail: [\"http://mail.example.fi/\"]}\n",
		  "a.yaml:1:14: tls.mail: scheme \"http\" is not one of smtp" },
		{ "tls: {mail: \"smtp://mail.example.fi\"}\n",
		  "a.yaml:1:13: tls.mail must be a list" },
		{ "tls: {compare_disk: sometimes}\n",
		  "a.yaml:1:21: tls.compare_disk must be local" },
		{ "tls: {concurrency: 0}\n", "a.yaml:1:20: 0 is out of range (1..1024)" },
		{ "tls: {handshake_timeout: 2}\n", "a.yaml:1:26: expected a duration" },
		{ "tls: {mail_config: {postfix: yes}}\n",
		  "a.yaml:1:30: tls.mail_config.postfix must be an absolute path or false" },
		{ "tls: {expires_warn_percent: 101}\n",
		  "a.yaml:1:29: 101 is out of range (0..100)" },
		{ "tls: {certfiles: []}\n", "a.yaml:1:7: unknown key \"certfiles\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hu_conf *c = NULL;
		struct hu_err err = HU_ERR_INIT;
		void *st = NULL;
		assert_int_equal(
		    hu_conf_load_string("a.yaml", cases[i].yaml, strlen(cases[i].yaml), &c, &err),
		    0);
		assert_true(hu_check_tls.init(hu_conf_get(c->root, "tls"), &st, &err) < 0);
		if (!strstr(hu_err_msg(&err), cases[i].want))
			fail_msg("%s: got \"%s\"", cases[i].yaml, hu_err_msg(&err));
		hu_err_clear(&err);
		hu_conf_free(c);
	}
	/* Valid: every key, and mail URLs with and without ports. */
	const char *ok =
	    "tls:\n  mail: [\"imaps://mail.example.fi\", \"smtp://[2001:db8::25]:587\"]\n"
	    "  concurrency: 8\n  compare_disk: never\n  max_validity_days: 0\n"
	    "  mail_config: {postfix: false, dovecot: /etc/dovecot/dovecot.conf}\n";
	struct hu_conf *c = NULL;
	struct hu_err err = HU_ERR_INIT;
	void *st = NULL;
	assert_int_equal(hu_conf_load_string("a.yaml", ok, strlen(ok), &c, &err), 0);
	if (hu_check_tls.init(hu_conf_get(c->root, "tls"), &st, &err) < 0)
		fail_msg("%s", hu_err_msg(&err));
	struct tls_conf *tc = st; /* struct tls_state starts with its conf */
	assert_int_equal(tc->n_mail, 2);
	assert_int_equal(tc->mail[0].port, 993);
	assert_string_equal(tc->mail[1].host, "2001:db8::25");
	assert_int_equal(tc->mail[1].port, 587);
	assert_null(tc->postfix_main_cf);
	hu_check_tls.free(st);
	hu_conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chains_and_keys),
		cmocka_unit_test(mail_configs),
		cmocka_unit_test(config_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
