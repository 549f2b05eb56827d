/* SPDX-License-Identifier: MIT */
/*
 * Certificate and key files on the host, and where a local Postfix and
 * Dovecot keep theirs. Files are read through the host interface, bounded;
 * key bytes are wiped after use and never leave this file.
 */
#include <ctype.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "tls.h"

#define KEY_MAX_BYTES       (64u * 1024)
#define MAIL_CONF_MAX_BYTES (1u << 20)
#define DOVECOT_MAX_FILES   256
#define DOVECOT_MAX_DEPTH   8

int tls_read_chain(struct hu_host *h, const char *path, STACK_OF(X509) * *ret, struct hu_err *err)
{
	struct hu_file f = { 0 };
	STACK_OF(X509) *chain = NULL;
	BIO *b = NULL;
	int r = hu_host_read_file(h, path, TLS_FILE_MAX_BYTES, &f, err);

	if (r < 0)
		return r;
	if (f.truncated) {
		r = hu_err_set(err, -EFBIG, "%s: larger than %u bytes", path, TLS_FILE_MAX_BYTES);
		goto out;
	}
	chain = sk_X509_new_null();
	b = BIO_new_mem_buf(f.data, (int)f.len);
	if (!chain || !b) {
		r = -ENOMEM;
		goto out;
	}
	for (X509 *x; (x = PEM_read_bio_X509(b, NULL, NULL, NULL));)
		if (!sk_X509_push(chain, x)) {
			X509_free(x);
			r = -ENOMEM;
			goto out;
		}
	if (sk_X509_num(chain) == 0) {
		r = hu_err_set(err, -EINVAL, "%s: no PEM certificate in the file", path);
		goto out;
	}
	*ret = chain;
	chain = NULL;
out:
	ERR_clear_error();
	BIO_free(b);
	if (chain)
		sk_X509_pop_free(chain, X509_free);
	hu_file_clear(&f);
	return r;
}

/* Never ask for a passphrase: an encrypted key is reported, not unlocked. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int tls_key_matches(struct hu_host *h, const char *key_path, X509 *cert, struct hu_err *err)
{
	struct hu_file f = { 0 };
	EVP_PKEY *key = NULL;
	BIO *b = NULL;
	int r = hu_host_read_file(h, key_path, KEY_MAX_BYTES, &f, err);

	if (r < 0)
		return r;
	if (f.truncated) {
		r = hu_err_set(err, -EFBIG, "%s: larger than %u bytes", key_path, KEY_MAX_BYTES);
		goto out;
	}
	b = BIO_new_mem_buf(f.data, (int)f.len);
	if (!b) {
		r = -ENOMEM;
		goto out;
	}
	key = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	if (!key) {
		r = hu_err_set(err, -EINVAL,
			       strstr(f.data, "ENCRYPTED") ? "%s: the key is encrypted"
							   : "%s: no PEM private key in the file",
			       key_path);
		goto out;
	}
	r = X509_check_private_key(cert, key) == 1 ? 1 : 0;
out:
	ERR_clear_error();
	EVP_PKEY_free(key);
	BIO_free(b);
	if (f.data)
		OPENSSL_cleanse(f.data, f.len); /* key material */
	hu_file_clear(&f);
	return r;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
}

static int mail_problem(struct hu_findings *problems, const char *kind, const char *file,
			const struct hu_err *e)
{
	int r = hu_findings_add(
	    problems, HU_UNKNOWN, "tls.disk_unreadable", file,
	    json_pack("{s:s, s:s, s:s}", "file", file, "kind", kind, "error", hu_err_msg(e)),
	    "cannot read the %s configuration: %s", kind, hu_err_msg(e));
	return r == -E2BIG ? 0 : r;
}

/* Postfix main.cf: "name = value", continued on lines that start with space. */
static int postfix_files(struct hu_host *h, const char *main_cf, struct hu_strv *certs,
			 struct hu_strv *keys, struct hu_findings *problems)
{
	static const char *const cert_keys[] = { "smtpd_tls_cert_file", "smtpd_tls_eccert_file",
						 "smtpd_tls_chain_files", NULL };
	static const char *const key_keys[] = { "smtpd_tls_key_file", "smtpd_tls_eckey_file",
						NULL };
	struct hu_file f = { 0 };
	struct hu_err err = HU_ERR_INIT;
	char *confdir = dir_of(main_cf);
	int r = hu_host_read_file(h, main_cf, MAIL_CONF_MAX_BYTES, &f, &err);

	if (r == -ENOENT || !confdir) {
		r = confdir ? 0 : -ENOMEM;
		goto out;
	}
	if (r < 0) {
		r = mail_problem(problems, "postfix", main_cf, &err);
		goto out;
	}
	for (char *line = f.data, *next; line && r >= 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* Join continuation lines (they start with whitespace). */
		while (next && (*next == ' ' || *next == '\t')) {
			char *end = strchr(next, '\n');
			next[-1] = ' ';
			next = end ? end + 1 : NULL;
			if (end)
				*end = '\0';
		}
		if (*line == '#' || isspace((unsigned char)*line))
			continue;
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		char *name = trimmed(line, (size_t)(eq - line)),
		     *value = trimmed(eq + 1, strlen(eq + 1));
		bool is_cert = false, is_key = false;
		for (const char *const *k = cert_keys; name && *k; k++)
			is_cert |= strcmp(name, *k) == 0;
		for (const char *const *k = key_keys; name && *k; k++)
			is_key |= strcmp(name, *k) == 0;
		/* Values are lists (comma or space separated) of paths. */
		for (char *save = NULL, *tok = value ? strtok_r(value, ", \t", &save) : NULL;
		     tok && (is_cert || is_key) && r >= 0; tok = strtok_r(NULL, ", \t", &save)) {
			struct hu_buf p = HU_BUF_INIT(4096);
			if (!strncmp(tok, "$config_directory", 17))
				r = hu_buf_printf(&p, "%s%s", confdir, tok + 17);
			else if (!strncmp(tok, "${config_directory}", 19))
				r = hu_buf_printf(&p, "%s%s", confdir, tok + 19);
			else if (tok[0] == '/')
				r = hu_buf_printf(&p, "%s", tok);
			if (r >= 0 && p.len)
				r = hu_strv_push_unique(is_cert ? certs : keys, p.data);
			hu_buf_clear(&p);
		}
		free(name);
		free(value);
	}
out:
	hu_err_clear(&err);
	hu_file_clear(&f);
	free(confdir);
	return r;
}

struct dovecot {
	struct hu_host *h;
	struct hu_strv *certs, *keys;
	struct hu_findings *problems;
	size_t files;
};

static int dovecot_file(struct dovecot *d, const char *path, unsigned depth, bool optional);

static int dovecot_include(struct dovecot *d, const char *from, const char *pattern, unsigned depth,
			   bool optional)
{
	struct hu_strv matches = HU_STRV_INIT;
	char *dir = dir_of(from), *abs = NULL;
	int r;

	if (!dir)
		return -ENOMEM;
	if (pattern[0] == '/')
		abs = strdup(pattern);
	else if (asprintf(&abs, "%s/%s", dir, pattern) < 0)
		abs = NULL;
	free(dir);
	if (!abs)
		return -ENOMEM;
	r = hu_host_glob(d->h, abs, DOVECOT_MAX_FILES, &matches, NULL);
	free(abs);
	for (size_t i = 0; r >= 0 && i < matches.n; i++)
		r = dovecot_file(d, matches.v[i], depth + 1, optional);
	hu_strv_clear(&matches);
	return r == -ENOMEM ? r : 0;
}

/* Dovecot: "!include[_try] glob", "ssl_cert = </path" (2.3), "ssl_server_cert_file = /path" (2.4).
 */
static int dovecot_file(struct dovecot *d, const char *path, unsigned depth, bool optional)
{
	struct hu_file f = { 0 };
	struct hu_err err = HU_ERR_INIT;
	int r;

	if (depth > DOVECOT_MAX_DEPTH || ++d->files > DOVECOT_MAX_FILES)
		return 0;
	r = hu_host_read_file(d->h, path, MAIL_CONF_MAX_BYTES, &f, &err);
	if (r < 0) {
		r = (r == -ENOENT && (optional || depth == 0))
			? 0
			: mail_problem(d->problems, "dovecot", path, &err);
		hu_err_clear(&err);
		return r;
	}
	for (char *line = f.data, *next; line && r >= 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (isspace((unsigned char)*line))
			line++;
		if (*line == '#' || !*line)
			continue;
		if (!strncmp(line, "!include_try ", 13) || !strncmp(line, "!include ", 9)) {
			bool try = line[8] == '_';
			char *pat = trimmed(line + (try ? 13 : 9), strlen(line + (try ? 13 : 9)));
			r = pat ? dovecot_include(d, path, pat, depth, try) : -ENOMEM;
			free(pat);
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		char *name = trimmed(line, (size_t)(eq - line)),
		     *value = trimmed(eq + 1, strlen(eq + 1));
		if (name && value) {
			bool cert =
			    !strcmp(name, "ssl_cert") || !strcmp(name, "ssl_server_cert_file");
			bool key = !strcmp(name, "ssl_key") || !strcmp(name, "ssl_server_key_file");
			char *v = value;
			if (*v == '"') {
				v++;
				v[strcspn(v, "\"")] = '\0';
			}
			if (*v == '<')
				v++; /* 2.3: "<" means "the content of this file" */
			if ((cert || key) && v[0] == '/')
				r = hu_strv_push_unique(cert ? d->certs : d->keys, v);
		}
		free(name);
		free(value);
	}
	hu_file_clear(&f);
	return r;
}

int tls_mail_config_files(struct hu_host *h, const char *postfix_main_cf, const char *dovecot_conf,
			  struct hu_strv *certs, struct hu_strv *keys, struct hu_findings *problems)
{
	struct dovecot d = { h, certs, keys, problems, 0 };
	int r = 0;

	if (postfix_main_cf)
		r = postfix_files(h, postfix_main_cf, certs, keys, problems);
	if (r >= 0 && dovecot_conf)
		r = dovecot_file(&d, dovecot_conf, 0, false);
	return r;
}
