/* SPDX-License-Identifier: MIT */
/*
 * Internals of the tls check, shared by its files only:
 *   tls.c        configuration, the run, findings per site
 *   tls_probe.c  handshakes (libcurl multi, OpenSSL), many at once
 *   tls_cert.c   what a certificate chain is: facts, expiry, verification
 *   tls_disk.c   certificate and key files, Postfix and Dovecot configuration
 */
#ifndef HUOLTO_CHECKS_TLS_H
#define HUOLTO_CHECKS_TLS_H

#include <jansson.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "huolto/check.h"
#include "huolto/finding.h"
#include "huolto/host.h"
#include "huolto/strv.h"

/* ---- handshakes (tls_probe.c) ---- */

enum tls_stage {
	TLS_STAGE_RESOLVE,
	TLS_STAGE_CONNECT,
	TLS_STAGE_STARTTLS,
	TLS_STAGE_HANDSHAKE,
	_TLS_STAGE_MAX,
};

const char *tls_stage_name(enum tls_stage s);

struct tls_probe {
	/* what to do */
	const char *scheme; /* https, smtp, smtps, imap, imaps, pop3, pop3s */
	const char *host;   /* SNI and the name the certificate must carry */
	uint16_t port;
	const char *address; /* connect here (IPv4 or IPv6 literal) */
	bool old_only;       /* offer TLS 1.0 and 1.1 only: does the server accept them? */
	/* what happened */
	bool ok;          /* the handshake completed */
	bool unreachable; /* refused or timed out: tls.unreachable, else handshake_failed */
	bool timed_out;
	enum tls_stage stage; /* where it failed */
	char error[256];
	STACK_OF(X509) * chain; /* as served, leaf first; owned */
	char protocol[16];
	char cipher[64];
	bool ocsp_stapled;
	bool handshake_started;
	long connect_ms, handshake_ms;
};

struct tls_probe_opts {
	size_t concurrency;
	long connect_timeout_ms;
	long handshake_timeout_ms; /* after connecting: STARTTLS and the handshake */
};

/* Run every probe, at most opts->concurrency at once. Fails only on ENOMEM. */
int tls_probe_run(struct tls_probe *probes, size_t n, const struct tls_probe_opts *opts,
		  struct hu_err *err);
void tls_probe_clear(struct tls_probe *p);

/* The engines behind tls_probe_run: implicit TLS, and STARTTLS through curl. */
int tls_probe_run_direct(struct tls_probe **probes, size_t n, const struct tls_probe_opts *opts,
			 struct hu_err *err);
int tls_probe_run_curl(struct tls_probe **probes, size_t n, const struct tls_probe_opts *opts,
		       struct hu_err *err);
/* Permissive settings for a probe's SSL_CTX (TLS 1.0 and 1.1 only when old_only). */
int tls_probe_ctx_setup(SSL_CTX *ctx, bool old_only);
/* Record chain, protocol, cipher and staple of a completed handshake. */
void tls_probe_collect(struct tls_probe *p, const SSL *ssl);

/* ---- certificates (tls_cert.c) ---- */

struct tls_thresholds {
	double warn_days, warn_percent;
	double critical_days, critical_percent;
	long max_validity_days; /* -1: the CA/Browser Forum schedule; 0: off */
};

/* What expiry means for a certificate at now. */
enum tls_expiry {
	TLS_EXPIRY_OK,
	TLS_EXPIRY_WARNING,
	TLS_EXPIRY_CRITICAL,
	TLS_EXPIRY_EXPIRED,
	TLS_EXPIRY_NOT_YET_VALID,
};

struct tls_cert_info {
	time_t not_before, not_after;
	double days_left; /* fractional */
	double lifetime_days;
	enum tls_expiry expiry;
	double warn_at_days, critical_at_days; /* the thresholds that applied */
	char key_type[16];                     /* RSA, EC, ED25519, DSA, ... */
	int key_bits;
	bool weak_key;
	char signature[64];  /* sha256WithRSAEncryption */
	bool weak_signature; /* SHA-1 or MD5 */
	bool self_signed;
	char fingerprint[96];   /* SHA-256, AA:BB:... */
	long max_validity_days; /* that applied to its issue date, 0 when none */
	bool too_long;
};

/* Describe cert at now under t. */
void tls_cert_inspect(X509 *cert, time_t now, const struct tls_thresholds *t,
		      struct tls_cert_info *ret);
/* The facts of a certificate: subject, sans, issuer, serial, dates, key, ... (new reference). */
json_t *tls_cert_facts(X509 *cert, const struct tls_cert_info *info);
/* Subject or issuer as RFC 2253 text into buf. */
const char *tls_name_text(const X509_NAME *name, char *buf, size_t len);

/* The CA/Browser Forum maximum lifetime (days) for a certificate issued at t. */
long tls_cabf_max_validity(time_t issued);

struct tls_verify {
	bool ok;
	int code; /* X509_V_ERR_*, 0 when ok */
	int depth;
	char reason[128];
	char missing_issuer[256]; /* chain_incomplete: whose certificate was not sent */
	bool chain_incomplete;
	bool hostname_match;
};

/* Verify chain (leaf first) for name strictly against store at now. */
void tls_verify_chain(X509_STORE *store, STACK_OF(X509) * chain, const char *name, time_t now,
		      struct tls_verify *ret);
/* The system trust store plus ca_file (NULL: none). */
int tls_store_new(const char *ca_file, X509_STORE **ret, struct hu_err *err);

/* ---- files on disk (tls_disk.c) ---- */

#define TLS_FILE_MAX_BYTES (1u << 20)

/* The PEM certificates of a file, in order (caller frees: sk_X509_pop_free(c, X509_free)). */
int tls_read_chain(struct hu_host *h, const char *path, STACK_OF(X509) * *ret, struct hu_err *err);
/* Whether the private key in key_path belongs to cert: 1 yes, 0 no, <0 cannot tell. */
int tls_key_matches(struct hu_host *h, const char *key_path, X509 *cert, struct hu_err *err);

/* Certificate and key files named by Postfix's main.cf and Dovecot's configuration. */
int tls_mail_config_files(struct hu_host *h, const char *postfix_main_cf, const char *dovecot_conf,
			  struct hu_strv *certs, struct hu_strv *keys,
			  struct hu_findings *problems);

/* ---- configuration and judging (tls.c, tls_judge.c) ---- */

enum tls_compare_disk {
	TLS_COMPARE_LOCAL, /* only when the address is this machine's */
	TLS_COMPARE_ALWAYS,
	TLS_COMPARE_NEVER,
	_TLS_COMPARE_MAX,
};

struct tls_mail_endpoint {
	char *url;
	char *scheme;
	char *host;
	uint16_t port;
};

struct tls_conf {
	struct tls_mail_endpoint *mail;
	size_t n_mail;
	struct hu_strv cert_files;
	char *ca_file;
	struct tls_probe_opts probe;
	struct tls_thresholds thresholds;
	bool probe_old_protocols;
	bool check_keys; /* read key files to see that they match their certificates */
	enum tls_compare_disk compare_disk;
	char *postfix_main_cf; /* NULL: do not look */
	char *dovecot_conf;
	struct hu_strv ignore_sites;
	int resolve_deadline_ms;
};

/* A certificate file as read from disk. */
struct tls_disk_cert {
	char *path;
	STACK_OF(X509) * chain; /* NULL when it could not be read */
	char error[256];
	struct tls_cert_info leaf;
};

/* The facts of one handshake target, shared by its findings. */
struct tls_target {
	const char *scheme, *host, *address;
	uint16_t port;
	char name[600]; /* "host:port@address" */
};

struct tls_judge {
	const struct tls_conf *conf;
	X509_STORE *store;
	time_t now;
	const struct hu_strv *local_addrs;
};

/* Findings for one handshake (and its old-protocol probe, which may be NULL). */
int tls_judge_handshake(const struct tls_judge *j, const struct tls_target *t,
			const struct tls_probe *p, const struct tls_probe *old,
			struct tls_disk_cert *const *disk, size_t n_disk, struct hu_findings *out);
/* Findings for a name that could not be resolved. */
int tls_judge_unresolved(const struct tls_target *t, int status, const char *why,
			 struct hu_findings *out);
/* Findings for a certificate file, and for key files said to belong to it. */
int tls_judge_disk(const struct tls_judge *j, const struct tls_disk_cert *c,
		   struct hu_findings *out);
int tls_judge_key(struct hu_host *h, const struct tls_disk_cert *c, const char *key_path,
		  struct hu_findings *out);

#endif
