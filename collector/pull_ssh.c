/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "huolto/buf.h"
#include "huolto/clock.h"
#include "huolto/secret.h"
#include "pull_ssh_int.h"

int ssh_global_init(void)
{
	return libssh2_init(0) == 0 ? 0 : -EIO;
}

void ssh_global_done(void)
{
	libssh2_exit();
}

int64_t ssh_deadline(const struct ssh_conn *c)
{
	return hu_mono_ms() + c->step_ms;
}

static void mark_dead(struct ssh_conn *c, enum pull_fail why, const char *msg)
{
	if (c->dead)
		return;
	c->dead = why;
	snprintf(c->why, sizeof(c->why), "%s", msg);
}

int ssh_wait(struct ssh_conn *c, int64_t deadline)
{
	int64_t left = deadline - hu_mono_ms();
	int dir = libssh2_session_block_directions(c->s);
	struct pollfd p = { .fd = c->fd };

	if (left <= 0) {
		char msg[400];
		snprintf(msg, sizeof(msg), "%s: no answer within %lld ms", c->where,
			 (long long)c->step_ms);
		mark_dead(c, PULL_FAIL_TIMEOUT, msg);
		return -ETIMEDOUT;
	}
	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		p.events |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		p.events |= POLLOUT;
	/* Short slices: another thread may have taken what this one waits for. */
	poll(&p, 1, (int)(left < 100 ? left : 100));
	return 0;
}

int ssh_error(struct ssh_conn *c, int rc, const char *what, struct hu_err *err)
{
	char *msg = NULL;

	if (rc == LIBSSH2_ERROR_TIMEOUT || c->dead == PULL_FAIL_TIMEOUT)
		return hu_err_set(err, -ETIMEDOUT, "%s: %s", what, c->dead ? c->why : "timed out");
	if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL && c->sftp) {
		unsigned long e = libssh2_sftp_last_error(c->sftp);
		int code = e == LIBSSH2_FX_NO_SUCH_FILE || e == LIBSSH2_FX_NO_SUCH_PATH ? -ENOENT
			   : e == LIBSSH2_FX_PERMISSION_DENIED                          ? -EACCES
			   : e == LIBSSH2_FX_NOT_A_DIRECTORY                            ? -ENOTDIR
			   : e == LIBSSH2_FX_LINK_LOOP                                  ? -ELOOP
											: -EIO;
		return hu_err_set(err, code, "%s: SFTP status %lu", what, e);
	}
	libssh2_session_last_error(c->s, &msg, NULL, 0);
	if (rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_RECV ||
	    rc == LIBSSH2_ERROR_SOCKET_DISCONNECT) {
		char m[512];
		snprintf(m, sizeof(m), "%s: connection lost (%s)", c->where, msg ? msg : "?");
		mark_dead(c, PULL_FAIL_UNREACHABLE, m);
		return hu_err_set(err, -ECONNRESET, "%s: %s", what, m);
	}
	return hu_err_set(err, -EIO, "%s: %s", what, msg && *msg ? msg : "SSH error");
}

void ssh_sftp_close(struct ssh_conn *c, LIBSSH2_SFTP_HANDLE *h)
{
	int64_t deadline = ssh_deadline(c);

	/* On a dead link the session's own free takes them. */
	while (!c->dead && libssh2_sftp_close_handle(h) == LIBSSH2_ERROR_EAGAIN &&
	       ssh_wait(c, deadline) == 0)
		;
}

void ssh_channel_free(struct ssh_conn *c, LIBSSH2_CHANNEL *ch)
{
	int64_t deadline = ssh_deadline(c);

	while (!c->dead && libssh2_channel_free(ch) == LIBSSH2_ERROR_EAGAIN &&
	       ssh_wait(c, deadline) == 0)
		;
}

enum pull_fail ssh_broken(const struct ssh_conn *c, const char **why)
{
	if (why)
		*why = c->why;
	return c->dead;
}

/* A TCP connection to addr:port within timeout_ms; the socket or a negative errno. */
static int tcp_connect(const struct hu_addr *a, unsigned port, int64_t timeout_ms)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd, r, e = 0;

	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr = a->u.v4;
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = a->u.v6;
		len = sizeof(*s6);
	}
	fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (struct sockaddr *)&ss, len);
	if (r < 0 && errno == EINPROGRESS) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		r = poll(&p, 1, (int)timeout_ms);
		if (r == 0)
			e = ETIMEDOUT;
		else if (r < 0)
			e = errno;
		else {
			socklen_t el = sizeof(e);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
				e = errno;
		}
	} else if (r < 0) {
		e = errno;
	}
	if (e) {
		close(fd);
		return -e;
	}
	return fd;
}

/* OpenSSH's form of a key's fingerprint: "SHA256:" and unpadded base64. */
static void fingerprint(LIBSSH2_SESSION *s, char *buf, size_t len)
{
	const unsigned char *h =
	    (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
	unsigned char b64[64];

	if (!h) {
		snprintf(buf, len, "(unknown)");
		return;
	}
	int n = EVP_EncodeBlock(b64, h, 32);
	while (n > 0 && b64[n - 1] == '=')
		b64[--n] = '\0';
	snprintf(buf, len, "SHA256:%s", (const char *)b64);
}

static const char *key_type_name(int type)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA:
		return "ssh-rsa";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
		return "ecdsa-sha2-nistp256";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
		return "ecdsa-sha2-nistp384";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
		return "ecdsa-sha2-nistp521";
	case LIBSSH2_HOSTKEY_TYPE_ED25519:
		return "ssh-ed25519";
	default:
		return "unknown";
	}
}

static int known_host_bit(int type)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA:
		return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
	case LIBSSH2_HOSTKEY_TYPE_ED25519:
		return LIBSSH2_KNOWNHOST_KEY_ED25519;
	default:
		return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
	}
}

/*
 * The host-key algorithms to ask for: those known_hosts lists for this
 * host (plain entries), so that a server with several keys offers the one
 * known. NULL when none is listed plainly (hashed entries): libssh2's order.
 */
static char *known_algorithms(LIBSSH2_KNOWNHOSTS *kh, const struct pull_host *h)
{
	static const struct {
		int bit;
		const char *alg;
	} algs[] = {
		{ LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519" },
		{ LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256" },
		{ LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384" },
		{ LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521" },
		{ LIBSSH2_KNOWNHOST_KEY_SSHRSA, "rsa-sha2-512,rsa-sha2-256,ssh-rsa" },
	};
	struct libssh2_knownhost *e = NULL, *prev = NULL;
	struct hu_buf list = HU_BUF_INIT(1024);
	char bracketed[300];
	unsigned seen = 0;

	snprintf(bracketed, sizeof(bracketed), "[%s]:%u", h->host, h->port);
	while (libssh2_knownhost_get(kh, &e, prev) == 0) {
		prev = e;
		if ((e->typemask & LIBSSH2_KNOWNHOST_TYPE_MASK) != LIBSSH2_KNOWNHOST_TYPE_PLAIN ||
		    !e->name)
			continue;
		if (strcmp(e->name, h->port == 22 ? h->host : bracketed) != 0)
			continue;
		for (size_t i = 0; i < sizeof(algs) / sizeof(*algs); i++)
			if ((e->typemask & LIBSSH2_KNOWNHOST_KEY_MASK) == algs[i].bit)
				seen |= 1u << i;
	}
	for (size_t i = 0; i < sizeof(algs) / sizeof(*algs); i++)
		if (seen & (1u << i))
			hu_buf_printf(&list, "%s%s", list.len ? "," : "", algs[i].alg);
	if (list.len == 0)
		return NULL;
	return hu_buf_steal(&list);
}

/* The server's key against known_hosts: 0, or PULL_FAIL_HOST_KEY with err saying why. */
static int check_host_key(struct ssh_conn *c, LIBSSH2_KNOWNHOSTS *kh, const struct pull_host *h,
			  enum pull_fail *fail, struct hu_err *err)
{
	size_t len = 0;
	int type = 0;
	const char *key = libssh2_session_hostkey(c->s, &len, &type);
	struct libssh2_knownhost *found = NULL;
	char fp[96];

	if (!key) {
		*fail = PULL_FAIL_SSH;
		return hu_err_set(err, -EPROTO, "%s: the server sent no host key", c->where);
	}
	fingerprint(c->s, fp, sizeof(fp));
	int r = libssh2_knownhost_checkp(kh, h->host, (int)h->port, key, len,
					 LIBSSH2_KNOWNHOST_TYPE_PLAIN |
					     LIBSSH2_KNOWNHOST_KEYENC_RAW | known_host_bit(type),
					 &found);
	if (r == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		return 0;
	*fail = PULL_FAIL_HOST_KEY;
	if (r == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
		return hu_err_set(
		    err, -EPERM,
		    "%s: the host key CHANGED: the server offered %s %s, which is not "
		    "the key %s lists for it; refused",
		    c->where, key_type_name(type), fp, h->known_hosts);
	return hu_err_set(err, -EPERM,
			  "%s: unknown host key: the server offered %s %s, and %s has no key "
			  "for it; refused (add the key after checking the fingerprint)",
			  c->where, key_type_name(type), fp, h->known_hosts);
}

static int authenticate(struct ssh_conn *c, const struct pull_host *h, enum pull_fail *fail,
			struct hu_err *err)
{
	int64_t deadline = ssh_deadline(c);
	int rc = LIBSSH2_ERROR_AUTHENTICATION_FAILED;

	if (h->key) {
		SSH_RETRY(c, deadline, rc,
			  libssh2_userauth_publickey_fromfile(c->s, h->user, NULL, h->key, NULL));
		if (rc == 0)
			return 0;
		if (rc == LIBSSH2_ERROR_FILE) {
			*fail = PULL_FAIL_SSH;
			return hu_err_set(err, -EINVAL, "%s: cannot use the key %s", c->where,
					  h->key);
		}
	}
	if (rc != LIBSSH2_ERROR_TIMEOUT && h->password_file) {
		char *pw = NULL;
		int r = hu_secret_read_file(h->password_file, &pw, err);
		if (r < 0) {
			*fail = PULL_FAIL_SSH;
			return r;
		}
		deadline = ssh_deadline(c);
		SSH_RETRY(c, deadline, rc, libssh2_userauth_password(c->s, h->user, pw));
		hu_secret_free(pw);
		if (rc == 0)
			return 0;
	}
	if (rc == LIBSSH2_ERROR_TIMEOUT) {
		*fail = PULL_FAIL_TIMEOUT;
		return ssh_error(c, rc, "authentication", err);
	}
	*fail = PULL_FAIL_AUTH;
	return hu_err_set(err, -EACCES, "%s: authentication refused (%s%s)", c->where,
			  h->key ? "key " : "password", h->key ? h->key : "");
}

int ssh_open(const struct pull_host *h, const struct hu_addr *addr, struct ssh_conn **ret,
	     enum pull_fail *fail, struct hu_err *err)
{
	struct ssh_conn *c = calloc(1, sizeof(*c));
	LIBSSH2_KNOWNHOSTS *kh = NULL;
	char *algs = NULL;
	int64_t deadline;
	int rc, r;

	*fail = PULL_FAIL_SSH;
	if (!c)
		return -ENOMEM;
	c->fd = -1;
	c->step_ms = h->timeout_ms;
	pthread_mutex_init(&c->lock, NULL);
	snprintf(c->where, sizeof(c->where), "%s@%s:%u", h->user, h->host, h->port);
	c->fd = tcp_connect(addr, h->port, h->timeout_ms);
	if (c->fd < 0) {
		char buf[128];
		*fail = c->fd == -ETIMEDOUT ? PULL_FAIL_TIMEOUT : PULL_FAIL_UNREACHABLE;
		r = hu_err_set(err, c->fd, "%s (%s): cannot connect: %s", c->where, addr->text,
			       hu_strerror(-c->fd, buf, sizeof(buf)));
		goto fail;
	}
	c->s = libssh2_session_init();
	kh = c->s ? libssh2_knownhost_init(c->s) : NULL;
	if (!kh) {
		r = -ENOMEM;
		goto fail;
	}
	if (libssh2_knownhost_readfile(kh, h->known_hosts, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
		r = hu_err_set(err, -EINVAL, "%s: known_hosts %s cannot be read", c->where,
			       h->known_hosts);
		goto fail;
	}
	algs = known_algorithms(kh, h);
	if (algs)
		libssh2_session_method_pref(c->s, LIBSSH2_METHOD_HOSTKEY, algs);
	libssh2_session_set_blocking(c->s, 0);
	deadline = ssh_deadline(c);
	SSH_RETRY(c, deadline, rc, libssh2_session_handshake(c->s, c->fd));
	if (rc != 0) {
		*fail = rc == LIBSSH2_ERROR_TIMEOUT ? PULL_FAIL_TIMEOUT : PULL_FAIL_UNREACHABLE;
		r = ssh_error(c, rc, "SSH handshake", err);
		goto fail;
	}
	r = check_host_key(c, kh, h, fail, err);
	if (r >= 0)
		r = authenticate(c, h, fail, err);
	if (r < 0)
		goto fail;
	deadline = ssh_deadline(c);
	SSH_RETRY_PTR(c, deadline, rc, c->sftp, libssh2_sftp_init(c->s));
	if (!c->sftp) {
		*fail = rc == LIBSSH2_ERROR_TIMEOUT ? PULL_FAIL_TIMEOUT : PULL_FAIL_SSH;
		r = ssh_error(c, rc, "SFTP", err);
		goto fail;
	}
	c->dead = PULL_FAIL_NONE; /* what a failed step marked was reported above */
	libssh2_knownhost_free(kh);
	free(algs);
	*fail = PULL_FAIL_NONE;
	*ret = c;
	return 0;
fail:
	if (kh)
		libssh2_knownhost_free(kh);
	free(algs);
	ssh_close(c);
	return r;
}

void ssh_close(struct ssh_conn *c)
{
	if (!c)
		return;
	if (c->s) {
		/* Politely when the link is sound, and never longer than a step. */
		int64_t deadline = ssh_deadline(c);
		int rc;
		if (c->sftp && !c->dead)
			SSH_RETRY(c, deadline, rc, libssh2_sftp_shutdown(c->sftp));
		if (!c->dead)
			SSH_RETRY(c, deadline, rc,
				  libssh2_session_disconnect(c->s, "huolto: done"));
		while (libssh2_session_free(c->s) == LIBSSH2_ERROR_EAGAIN &&
		       ssh_wait(c, deadline) == 0)
			;
	}
	if (c->fd >= 0)
		close(c->fd);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
