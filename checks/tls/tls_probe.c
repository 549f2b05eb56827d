/* SPDX-License-Identifier: MIT */
/*
 * Handshakes, many at once. Implicit TLS (https, smtps, imaps, pop3s) is
 * done directly with OpenSSL on non-blocking sockets and two shared
 * SSL_CTXs (tls_probe_direct.c); STARTTLS (smtp, imap, pop3) through
 * libcurl, which speaks those protocols (tls_probe_curl.c).
 *
 * The fetch is permissive on purpose (no verification, security level 0,
 * TLS 1.0 allowed) so that a weak or broken certificate can still be
 * described; tls_cert.c verifies what was fetched, strictly.
 */
#include <errno.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"

static const char *const stage_names[_TLS_STAGE_MAX] = {
	[TLS_STAGE_RESOLVE] = "resolve",
	[TLS_STAGE_CONNECT] = "connect",
	[TLS_STAGE_STARTTLS] = "starttls",
	[TLS_STAGE_HANDSHAKE] = "handshake",
};

const char *tls_stage_name(enum tls_stage s)
{
	return s >= 0 && s < _TLS_STAGE_MAX ? stage_names[s] : "unknown";
}

void tls_probe_clear(struct tls_probe *p)
{
	if (p->chain)
		sk_X509_pop_free(p->chain, X509_free);
	p->chain = NULL;
}

void tls_probe_collect(struct tls_probe *p, const SSL *ssl)
{
	const unsigned char *staple = NULL;
	STACK_OF(X509) *c = SSL_get_peer_cert_chain(ssl);

	if (p->chain)
		return;
	if (c)
		p->chain = X509_chain_up_ref(c);
	snprintf(p->protocol, sizeof(p->protocol), "%s", SSL_get_version(ssl));
	snprintf(p->cipher, sizeof(p->cipher), "%s",
		 SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
	p->ocsp_stapled = SSL_get_tlsext_status_ocsp_resp((SSL *)ssl, &staple) > 0;
}

/* Called by OpenSSL during the handshake of a curl connection. */
static void info_cb(const SSL *ssl, int where, int ret)
{
	struct tls_probe *p = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));

	(void)ret;
	if (!p)
		return;
	if (where & SSL_CB_HANDSHAKE_START)
		p->handshake_started = true;
	if (where & SSL_CB_HANDSHAKE_DONE)
		tls_probe_collect(p, ssl);
}

int tls_probe_ctx_setup(SSL_CTX *ctx, bool old_only)
{
	/* Describe any certificate, however weak; judge it afterwards. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_tlsext_status_type(ctx, TLSEXT_STATUSTYPE_ocsp);
	if (SSL_CTX_get_app_data(ctx))
		SSL_CTX_set_info_callback(ctx, info_cb);
	if (!SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0") ||
	    !SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION))
		return -EINVAL;
	if (old_only && !SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION))
		return -EINVAL;
	return 0;
}

static bool starttls(const char *scheme)
{
	return !strcmp(scheme, "smtp") || !strcmp(scheme, "imap") || !strcmp(scheme, "pop3");
}

int tls_probe_run(struct tls_probe *probes, size_t n, const struct tls_probe_opts *opts,
		  struct hu_err *err)
{
	struct tls_probe **direct = calloc(n ? n : 1, sizeof(*direct));
	struct tls_probe **curl = calloc(n ? n : 1, sizeof(*curl));
	size_t nd = 0, nc = 0;
	int r = 0;

	if (!direct || !curl) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (starttls(probes[i].scheme))
			curl[nc++] = &probes[i];
		else
			direct[nd++] = &probes[i];
	}
	if (nd)
		r = tls_probe_run_direct(direct, nd, opts, err);
	if (r >= 0 && nc)
		r = tls_probe_run_curl(curl, nc, opts, err);
out:
	free(direct);
	free(curl);
	return r;
}
