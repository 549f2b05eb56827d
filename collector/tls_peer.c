/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "tls_peer.h"

int tls_peer_name(void *session, char *name, size_t size)
{
	gnutls_session_t s = session;
	unsigned n = 0, status = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n);
	gnutls_typed_vdata_st purpose = {
		.type = GNUTLS_DT_KEY_PURPOSE_OID,
		.data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT,
	};
	gnutls_x509_crt_t crt = NULL;
	size_t len = size;
	int r = -EACCES;

	if (!certs || n == 0)
		return -ENOENT;
	/* The chain against the trusted CA, with dates, and the purpose when the
	 * certificate states one. */
	if (gnutls_certificate_verify_peers(s, &purpose, 1, &status) < 0 || status != 0)
		return -EACCES;
	if (gnutls_x509_crt_init(&crt) < 0)
		return -ENOMEM;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, name, &len) >=
		0 &&
	    len > 0 && len < size && strlen(name) == len)
		r = 0;
	gnutls_x509_crt_deinit(crt);
	return r;
}
