/* SPDX-License-Identifier: MIT */
/*
 * Sending report documents to the collector: the `collector` section of the
 * agent's configuration, and one HTTPS POST per document with libcurl (TLS
 * 1.2 or newer, the CA from ca_file or the system, connect and total
 * timeouts, a bearer token and/or a client certificate).
 */
#ifndef HUOLTO_AGENT_SUBMIT_H
#define HUOLTO_AGENT_SUBMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huolto/conf.h"
#include "huolto/err.h"

struct submit_conf {
	char *url;        /* collector.url: the base URL, https */
	char *token_file; /* collector.token_file */
	char *ca_file;    /* collector.ca_file; NULL: the system's CAs */
	char *cert, *key; /* collector.cert, collector.key: a client certificate */
	int64_t connect_timeout_ms;
	int64_t timeout_ms;
	int64_t spool_max_documents; /* collector.spool.max_documents */
	int64_t spool_max_bytes;     /* collector.spool.max_size */
};

/* The defaults (no URL: nothing is sent). */
void submit_conf_init(struct submit_conf *c);
/* Parse the collector section n (may be NULL). */
int submit_conf_parse(const struct hu_conf_node *n, struct submit_conf *c, struct hu_err *err);
void submit_conf_clear(struct submit_conf *c);

struct submit;

/* Ready to send: reads the token file. */
int submit_open(const struct submit_conf *c, struct submit **ret, struct hu_err *err);
void submit_close(struct submit *s);

/*
 * POST one document to <url>/api/v1/reports. 0 and the HTTP status in
 * *ret_status (with the answer's error text, if any, in err); or a negative
 * errno when no answer came (err says why: connect, TLS, timeout).
 */
int submit_post(struct submit *s, const char *body, size_t len, long *ret_status,
		struct hu_err *err);

#endif
