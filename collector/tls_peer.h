/* SPDX-License-Identifier: MIT */
/* The agent named by a TLS client certificate (tls.client_ca), with GnuTLS. */
#ifndef HUOLTO_COLLECTOR_TLS_PEER_H
#define HUOLTO_COLLECTOR_TLS_PEER_H

#include <stddef.h>

#define TLS_PEER_NAME_MAX 254

/*
 * session is a gnutls_session_t. 0 and the certificate's CN in name; -ENOENT
 * when the client sent no certificate; -EACCES when it does not verify against
 * the trusted CA (or is not for client authentication) or has no usable CN.
 */
int tls_peer_name(void *session, char *name, size_t size);

#endif
