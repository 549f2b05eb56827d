/* SPDX-License-Identifier: MIT */
/*
 * From what a handshake or a file showed to findings. Every handshake
 * target gets its facts once; each of its findings carries a copy, and a
 * target with no problem gets exactly one tls.ok.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>

#include "huolto/resolver.h"
#include "tls.h"

static const char *const expiry_words[] = {
	[TLS_EXPIRY_OK] = "ok",
	[TLS_EXPIRY_WARNING] = "expires soon",
	[TLS_EXPIRY_CRITICAL] = "expires very soon",
	[TLS_EXPIRY_EXPIRED] = "expired",
	[TLS_EXPIRY_NOT_YET_VALID] = "not yet valid",
};

/* Add a finding whose facts are base plus extra (extra stolen, may be NULL). */
static int add(struct hu_findings *out, enum hu_status st, const char *code, const char *target,
	       json_t *base, json_t *extra, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int add(struct hu_findings *out, enum hu_status st, const char *code, const char *target,
	       json_t *base, json_t *extra, const char *fmt, ...)
{
	json_t *facts = base ? json_deep_copy(base) : json_object();
	char msg[1024];
	va_list ap;

	if (facts && extra)
		json_object_update(facts, extra);
	json_decref(extra);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int r = hu_findings_add(out, st, code, target, facts, "%s", msg);
	return r == -E2BIG ? 0 : r;
}

static bool is_local(const struct tls_judge *j, const char *address)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, address, a) == 1 && a[0] == 127)
		return true;
	if (strcmp(address, "::1") == 0)
		return true;
	return j->local_addrs && hu_strv_contains(j->local_addrs, address);
}

static json_t *chain_json(STACK_OF(X509) * chain)
{
	json_t *a = json_array();

	for (int i = 0; a && i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		char subject[512], issuer[512], when[32];
		struct tm tm;
		const ASN1_TIME *na = X509_get0_notAfter(x);
		if (!na || ASN1_TIME_to_tm(na, &tm) != 1 ||
		    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
			when[0] = '\0';
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s}", "subject",
				 tls_name_text(X509_get_subject_name(x), subject, sizeof(subject)),
				 "issuer",
				 tls_name_text(X509_get_issuer_name(x), issuer, sizeof(issuer)),
				 "not_after", when));
	}
	return a;
}

static json_t *target_json(const struct tls_target *t)
{
	return json_pack("{s:s, s:s, s:i, s:s}", "scheme", t->scheme, "name", t->host, "port",
			 (json_int_t)t->port, "address", t->address);
}

int tls_judge_unresolved(const struct tls_target *t, int status, const char *why,
			 struct hu_findings *out)
{
	json_t *facts = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s?}", "scheme", t->scheme, "name",
				  t->host, "port", (json_int_t)t->port, "stage", "resolve", "error",
				  hu_resolver_status_name(status), "reason", why);
	return add(out, HU_CRITICAL, "tls.unreachable", t->name, NULL, facts,
		   "%s does not resolve (%s%s%s)", t->host, hu_resolver_status_name(status),
		   why ? ": " : "", why ? why : "");
}

static int judge_failure(const struct tls_target *t, const struct tls_probe *p,
			 struct hu_findings *out)
{
	json_t *base = target_json(t);
	int r = add(out, HU_CRITICAL, p->unreachable ? "tls.unreachable" : "tls.handshake_failed",
		    t->name, base,
		    json_pack("{s:s, s:s, s:b}", "stage", tls_stage_name(p->stage), "error",
			      p->error, "timed_out", p->timed_out),
		    "%s: %s at the %s stage: %s", t->name,
		    p->unreachable ? "unreachable" : "TLS handshake failed",
		    tls_stage_name(p->stage), p->error);
	json_decref(base);
	return r;
}

/* Expiry findings of a certificate (code prefix "tls." or "tls.disk_"). */
static int expiry(const struct tls_cert_info *c, const char *prefix, const char *target,
		  json_t *base, struct hu_findings *out, int *problems)
{
	char code[64];
	json_t *x = json_pack("{s:f, s:f}", "warn_at_days", round(c->warn_at_days * 10) / 10,
			      "critical_at_days", round(c->critical_at_days * 10) / 10);

	switch (c->expiry) {
	case TLS_EXPIRY_OK:
		json_decref(x);
		return 0;
	case TLS_EXPIRY_EXPIRED:
		(*problems)++;
		snprintf(code, sizeof(code), "%sexpired", prefix);
		return add(out, HU_CRITICAL, code, target, base, x,
			   "%s: the certificate expired %.1f days ago", target, -c->days_left);
	case TLS_EXPIRY_NOT_YET_VALID:
		(*problems)++;
		snprintf(code, sizeof(code), "%snot_yet_valid", prefix);
		return add(out, HU_CRITICAL, code, target, base, x,
			   "%s: the certificate is not valid until %.1f days from now", target,
			   c->days_left - c->lifetime_days);
	case TLS_EXPIRY_CRITICAL:
	case TLS_EXPIRY_WARNING:
		(*problems)++;
		snprintf(code, sizeof(code), "%sexpires_soon", prefix);
		return add(out, c->expiry == TLS_EXPIRY_CRITICAL ? HU_CRITICAL : HU_WARNING, code,
			   target, base, x, "%s: the certificate %s: %.1f days left of %.0f",
			   target, expiry_words[c->expiry], c->days_left, c->lifetime_days);
	}
	json_decref(x);
	return 0;
}

/* Served leaf against the site's certificate files: renewed but not reloaded? */
static int disk_compare(const struct tls_judge *j, const struct tls_target *t,
			const struct tls_cert_info *served, struct tls_disk_cert *const *disk,
			size_t n_disk, json_t *base, struct hu_findings *out, int *problems)
{
	json_t *files;
	size_t readable = 0;

	if (j->conf->compare_disk == TLS_COMPARE_NEVER ||
	    (j->conf->compare_disk == TLS_COMPARE_LOCAL && !is_local(j, t->address)))
		return 0;
	for (size_t i = 0; i < n_disk; i++) {
		if (!disk[i]->chain)
			continue;
		readable++;
		if (strcmp(disk[i]->leaf.fingerprint, served->fingerprint) == 0)
			return 0; /* served what a file holds */
	}
	if (!readable)
		return 0;
	files = json_array();
	bool newer = false;
	for (size_t i = 0; i < n_disk; i++) {
		char nb[32];
		struct tm tm;
		if (!disk[i]->chain)
			continue;
		newer |= disk[i]->leaf.not_before > served->not_before;
		if (!gmtime_r(&disk[i]->leaf.not_before, &tm) ||
		    !strftime(nb, sizeof(nb), "%Y-%m-%dT%H:%M:%SZ", &tm))
			nb[0] = '\0';
		json_array_append_new(
		    files, json_pack("{s:s, s:s, s:s}", "file", disk[i]->path, "fingerprint_sha256",
				     disk[i]->leaf.fingerprint, "not_before", nb));
	}
	(*problems)++;
	return add(out, HU_WARNING, "tls.disk_mismatch", t->name, base,
		   json_pack("{s:o, s:b}", "files", files, "disk_is_newer", newer),
		   "%s serves another certificate than its file%s names%s", t->name,
		   readable > 1 ? "s" : "", newer ? ": renewed on disk but not reloaded" : "");
}

int tls_judge_handshake(const struct tls_judge *j, const struct tls_target *t,
			const struct tls_probe *p, const struct tls_probe *old,
			struct tls_disk_cert *const *disk, size_t n_disk, struct hu_findings *out)
{
	struct tls_cert_info leaf;
	struct tls_verify v;
	json_t *base;
	int problems = 0, r = 0;

	if (!p->ok)
		return judge_failure(t, p, out);
	X509 *cert = sk_X509_value(p->chain, 0);
	tls_cert_inspect(cert, j->now, &j->conf->thresholds, &leaf);
	tls_verify_chain(j->store, p->chain, t->host, j->now, &v);

	base = tls_cert_facts(cert, &leaf);
	if (!base)
		return -ENOMEM;
	json_object_update_new(
	    base,
	    json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:b, s:o, s:{s:b, s:i, s:i, s:s}, s:b, "
		      "s:i, s:i}",
		      "scheme", t->scheme, "name", t->host, "port", (json_int_t)t->port, "address",
		      t->address, "protocol", p->protocol, "cipher", p->cipher, "ocsp_stapled",
		      p->ocsp_stapled, "chain", chain_json(p->chain), "verify", "ok", v.ok, "code",
		      (json_int_t)v.code, "depth", (json_int_t)v.depth, "reason", v.reason,
		      "hostname_match", v.hostname_match, "connect_ms", (json_int_t)p->connect_ms,
		      "handshake_ms", (json_int_t)p->handshake_ms));

	r = expiry(&leaf, "tls.", t->name, base, out, &problems);
	/* Verification: time errors at the leaf were reported above. */
	bool time_only = v.depth == 0 && (v.code == X509_V_ERR_CERT_HAS_EXPIRED ||
					  v.code == X509_V_ERR_CERT_NOT_YET_VALID);
	if (r >= 0 && !v.ok && !time_only) {
		problems++;
		if (leaf.self_signed)
			r = add(out, HU_CRITICAL, "tls.self_signed", t->name, base, NULL,
				"%s serves a self-signed certificate", t->name);
		else if (v.chain_incomplete)
			r = add(out, HU_CRITICAL, "tls.chain_incomplete", t->name, base,
				json_pack("{s:s}", "missing_issuer", v.missing_issuer),
				"%s does not send the intermediate certificate (%s)", t->name,
				v.missing_issuer);
		else
			r = add(out, HU_CRITICAL, "tls.untrusted", t->name, base,
				json_pack("{s:s}", "reason", v.reason),
				"%s: the certificate is not trusted: %s", t->name, v.reason);
	}
	if (r >= 0 && !v.hostname_match) {
		problems++;
		r = add(out, HU_CRITICAL, "tls.hostname_mismatch", t->name, base, NULL,
			"%s: the certificate is not valid for %s", t->name, t->host);
	}
	if (r >= 0 && leaf.weak_key) {
		problems++;
		r = add(out, HU_WARNING, "tls.weak_key", t->name, base, NULL,
			"%s: weak %s key of %d bits", t->name, leaf.key_type, leaf.key_bits);
	}
	if (r >= 0 && leaf.weak_signature) {
		problems++;
		r = add(out, HU_WARNING, "tls.weak_signature", t->name, base, NULL,
			"%s: the certificate is signed with %s", t->name, leaf.signature);
	}
	for (int i = 1; r >= 0 && i < sk_X509_num(p->chain); i++) {
		struct tls_cert_info ci;
		char subject[512];
		X509 *x = sk_X509_value(p->chain, i);
		tls_cert_inspect(x, j->now, &j->conf->thresholds, &ci);
		if (ci.self_signed || ci.expiry == TLS_EXPIRY_OK ||
		    ci.expiry == TLS_EXPIRY_NOT_YET_VALID)
			continue;
		problems++;
		tls_name_text(X509_get_subject_name(x), subject, sizeof(subject));
		r = add(
		    out, HU_WARNING, "tls.intermediate_expires_soon", t->name, base,
		    json_pack("{s:s, s:f, s:i}", "intermediate", subject, "intermediate_days_left",
			      round(ci.days_left * 10) / 10, "chain_index", (json_int_t)i),
		    "%s: the intermediate certificate %s %s (%.1f days left)", t->name, subject,
		    ci.expiry == TLS_EXPIRY_EXPIRED ? "has expired" : "expires soon", ci.days_left);
	}
	if (r >= 0 && leaf.too_long) {
		problems++;
		r = add(out, HU_WARNING, "tls.validity_too_long", t->name, base,
			json_pack("{s:i}", "max_validity_days", (json_int_t)leaf.max_validity_days),
			"%s: the certificate is valid for %.0f days, more than the %ld allowed for "
			"its issue date",
			t->name, leaf.lifetime_days, leaf.max_validity_days);
	}
	if (r >= 0 && old && old->ok) {
		problems++;
		r = add(out, HU_WARNING, "tls.old_protocol", t->name, base,
			json_pack("{s:s}", "old_protocol", old->protocol), "%s still accepts %s",
			t->name, old->protocol);
	}
	if (r >= 0)
		r = disk_compare(j, t, &leaf, disk, n_disk, base, out, &problems);
	if (r >= 0 && problems == 0)
		r = add(out, HU_OK, "tls.ok", t->name, base, NULL,
			"%s: valid for %.1f more days (%s, %s)", t->name, leaf.days_left,
			p->protocol, leaf.key_type);
	json_decref(base);
	return r;
}

int tls_judge_disk(const struct tls_judge *j, const struct tls_disk_cert *c,
		   struct hu_findings *out)
{
	int problems = 0, r;

	if (!c->chain)
		return add(out, HU_UNKNOWN, "tls.disk_unreadable", c->path, NULL,
			   json_pack("{s:s, s:s, s:s}", "file", c->path, "kind", "certificate",
				     "error", c->error),
			   "cannot read the certificate file: %s", c->error);
	X509 *cert = sk_X509_value(c->chain, 0);
	json_t *base = tls_cert_facts(cert, &c->leaf);
	if (!base)
		return -ENOMEM;
	json_object_set_new(base, "file", json_string(c->path));
	json_object_set_new(base, "certificates_in_file", json_integer(sk_X509_num(c->chain)));
	r = expiry(&c->leaf, "tls.disk_", c->path, base, out, &problems);
	if (r >= 0 && problems == 0)
		r = add(out, HU_OK, "tls.disk_ok", c->path, base, NULL,
			"%s: valid for %.1f more days", c->path, c->leaf.days_left);
	(void)j;
	json_decref(base);
	return r;
}

int tls_judge_key(struct hu_host *h, const struct tls_disk_cert *c, const char *key_path,
		  struct hu_findings *out)
{
	struct hu_err err = HU_ERR_INIT;
	int m, r;

	if (!c->chain)
		return 0; /* nothing to compare with; the certificate file is reported */
	m = tls_key_matches(h, key_path, sk_X509_value(c->chain, 0), &err);
	if (m < 0)
		r = add(out, HU_UNKNOWN, "tls.disk_unreadable", key_path, NULL,
			json_pack("{s:s, s:s, s:s}", "file", key_path, "kind", "key", "error",
				  hu_err_msg(&err)),
			"cannot read the key file: %s", hu_err_msg(&err));
	else if (m == 0)
		r = add(out, HU_CRITICAL, "tls.disk_key_mismatch", key_path, NULL,
			json_pack("{s:s, s:s}", "key_file", key_path, "cert_file", c->path),
			"%s does not belong to %s: the next reload of the server that uses them "
			"will fail",
			key_path, c->path);
	else
		r = 0;
	hu_err_clear(&err);
	return r;
}
