/* SPDX-License-Identifier: MIT */
/*
 * The host interface over SSH: SFTP for reads, listings and stat (the
 * callers' size caps hold: a read stops at max), exec channels for
 * commands (their argv quoted for the remote shell, a timeout, capped
 * output). Every call holds the connection's lock for its whole exchange.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/clock.h"
#include "pull_ssh_int.h"

#define SSH_MAX_DIR_ENTRIES    100000
#define RUN_TIMEOUT_MS_DEFAULT 10000
#define RUN_MAX_OUTPUT_DEFAULT (64u * 1024)
#define RUN_MAX_STDERR_DEFAULT (4u * 1024)

static struct ssh_conn *conn(struct hu_host *h)
{
	return h->data;
}

/* A step on a connection that already failed fails at once, saying why. */
static int refuse_dead(struct ssh_conn *c, const char *path, struct hu_err *err)
{
	return hu_err_set(err, c->dead == PULL_FAIL_TIMEOUT ? -ETIMEDOUT : -ECONNRESET, "%s: %s",
			  path, c->why);
}

/*
 * Open path (a file, or with LIBSSH2_SFTP_OPENDIR a directory) with the lock
 * held: the handle, or NULL with *r the error.
 */
static LIBSSH2_SFTP_HANDLE *open_path(struct ssh_conn *c, const char *path, unsigned long flags,
				      int type, int *r, struct hu_err *err)
{
	LIBSSH2_SFTP_HANDLE *f = NULL;
	int64_t deadline = ssh_deadline(c);
	int rc = 0;

	if (c->dead) {
		*r = refuse_dead(c, path, err);
		return NULL;
	}
	SSH_RETRY_PTR(c, deadline, rc, f,
		      libssh2_sftp_open_ex(c->sftp, path, (unsigned)strlen(path), flags, 0, type));
	if (!f)
		*r = ssh_error(c, rc, path, err);
	return f;
}

static int ssh_read_file(struct hu_host *h, const char *path, size_t max, struct hu_file *ret,
			 struct hu_err *err)
{
	struct ssh_conn *c = conn(h);
	struct hu_buf b = HU_BUF_INIT(max + 1); /* one byte more says it was longer */
	LIBSSH2_SFTP_HANDLE *f = NULL;
	char chunk[32768];
	int64_t deadline;
	int r = 0;

	pthread_mutex_lock(&c->lock);
	f = open_path(c, path, LIBSSH2_FXF_READ, LIBSSH2_SFTP_OPENFILE, &r, err);
	if (!f)
		goto out;
	while (b.len <= max) {
		ssize_t n;
		deadline = ssh_deadline(c);
		while ((n = libssh2_sftp_read(f, chunk, sizeof(chunk))) == LIBSSH2_ERROR_EAGAIN)
			if (ssh_wait(c, deadline) < 0) {
				n = LIBSSH2_ERROR_TIMEOUT;
				break;
			}
		if (n < 0) {
			r = ssh_error(c, (int)n, path, err);
			goto out;
		}
		if (n == 0)
			break;
		hu_buf_append_some(&b, chunk, (size_t)n);
	}
out:
	if (f)
		ssh_sftp_close(c, f);
	pthread_mutex_unlock(&c->lock);
	if (r < 0) {
		hu_buf_clear(&b);
		return r;
	}
	bool truncated = b.len > max;
	if (truncated)
		b.len = max;
	size_t len = b.len;
	if (!(ret->data = hu_buf_steal(&b)))
		return -ENOMEM;
	ret->data[len] = '\0';
	ret->len = len;
	ret->truncated = truncated;
	return 0;
}

static enum hu_file_type type_of(const LIBSSH2_SFTP_ATTRIBUTES *a)
{
	if (!(a->flags & LIBSSH2_SFTP_ATTR_PERMISSIONS))
		return HU_FILE_UNKNOWN;
	switch (a->permissions & LIBSSH2_SFTP_S_IFMT) {
	case LIBSSH2_SFTP_S_IFREG:
		return HU_FILE_REGULAR;
	case LIBSSH2_SFTP_S_IFDIR:
		return HU_FILE_DIR;
	case LIBSSH2_SFTP_S_IFLNK:
		return HU_FILE_SYMLINK;
	case LIBSSH2_SFTP_S_IFSOCK:
		return HU_FILE_SOCKET;
	default:
		return HU_FILE_OTHER;
	}
}

static int ssh_list_dir(struct hu_host *h, const char *path, struct hu_dir *ret, struct hu_err *err)
{
	struct ssh_conn *c = conn(h);
	struct hu_dir names = HU_DIR_INIT;
	LIBSSH2_SFTP_HANDLE *d = NULL;
	int64_t deadline;
	int rc = 0, r = 0;

	pthread_mutex_lock(&c->lock);
	d = open_path(c, path, 0, LIBSSH2_SFTP_OPENDIR, &r, err);
	if (!d)
		goto out;
	for (;;) {
		char name[1024];
		LIBSSH2_SFTP_ATTRIBUTES a;
		deadline = ssh_deadline(c);
		SSH_RETRY(c, deadline, rc,
			  libssh2_sftp_readdir_ex(d, name, sizeof(name), NULL, 0, &a));
		if (rc < 0) {
			r = ssh_error(c, rc, path, err);
			break;
		}
		if (rc == 0)
			break;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (names.n >= SSH_MAX_DIR_ENTRIES) {
			r = hu_err_set(err, -E2BIG, "%s: more than %d entries", path,
				       SSH_MAX_DIR_ENTRIES);
			break;
		}
		/* SFTP's listing describes each entry as lstat does. */
		r = hu_dir_push(&names, name, type_of(&a));
		if (r < 0)
			break;
	}
out:
	if (d)
		ssh_sftp_close(c, d);
	pthread_mutex_unlock(&c->lock);
	if (r < 0) {
		hu_dir_clear(&names);
		return r;
	}
	hu_dir_clear(ret);
	*ret = names;
	return 0;
}

/* FNV-1a: SFTP has no inode numbers; a file's identity is its canonical path. */
static uint64_t path_id(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int ssh_stat(struct hu_host *h, const char *path, bool follow, struct hu_stat *ret,
		    struct hu_err *err)
{
	struct ssh_conn *c = conn(h);
	LIBSSH2_SFTP_ATTRIBUTES a;
	char real[4096];
	int64_t deadline;
	int rc, r = 0;

	pthread_mutex_lock(&c->lock);
	if (c->dead) {
		r = refuse_dead(c, path, err);
		goto out;
	}
	deadline = ssh_deadline(c);
	SSH_RETRY(c, deadline, rc,
		  libssh2_sftp_stat_ex(c->sftp, path, (unsigned)strlen(path),
				       follow ? LIBSSH2_SFTP_STAT : LIBSSH2_SFTP_LSTAT, &a));
	if (rc < 0) {
		r = ssh_error(c, rc, path, err);
		goto out;
	}
	/* Followed: the target's canonical path, so that two ways to one place are one. */
	snprintf(real, sizeof(real), "%s", path);
	if (follow) {
		deadline = ssh_deadline(c);
		SSH_RETRY(c, deadline, rc,
			  libssh2_sftp_symlink_ex(c->sftp, path, (unsigned)strlen(path), real,
						  sizeof(real) - 1, LIBSSH2_SFTP_REALPATH));
		if (rc < 0) {
			r = ssh_error(c, rc, path, err);
			goto out;
		}
		real[rc] = '\0';
	}
	*ret = (struct hu_stat){
		.type = type_of(&a) == HU_FILE_UNKNOWN ? HU_FILE_OTHER : type_of(&a),
		.size = a.flags & LIBSSH2_SFTP_ATTR_SIZE ? a.filesize : 0,
		.dev = 1,
		.ino = path_id(real),
		.mode = (uint32_t)(a.permissions & 07777),
		.uid = (uint32_t)a.uid,
		.gid = (uint32_t)a.gid,
		.mtime = (int64_t)a.mtime,
	};
out:
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* argv as one command line for the remote shell: each word in single quotes. */
static char *command_line(const char *const *argv)
{
	struct hu_buf b = HU_BUF_INIT(65536);

	for (size_t i = 0; argv[i]; i++) {
		hu_buf_printf(&b, "%s'", i ? " " : "");
		for (const char *p = argv[i]; *p; p++)
			if (*p == '\'')
				hu_buf_printf(&b, "'\\''");
			else
				hu_buf_append_some(&b, p, 1);
		hu_buf_printf(&b, "'");
	}
	return hu_buf_steal(&b);
}

/* Read what is there from one stream of ch into b (beyond its cap: dropped). */
static int pump(LIBSSH2_CHANNEL *ch, int stream, struct hu_buf *b, size_t max, bool *truncated)
{
	char chunk[8192];
	ssize_t n;
	int got = 0;

	while ((n = libssh2_channel_read_ex(ch, stream, chunk, sizeof(chunk))) > 0) {
		size_t room = b->len < max ? max - b->len : 0;
		if ((size_t)n > room)
			*truncated = true;
		hu_buf_append_some(b, chunk, (size_t)n < room ? (size_t)n : room);
		got = 1;
	}
	return n == LIBSSH2_ERROR_EAGAIN || n == 0 ? got : (int)n;
}

/* RFC 4254's signal names ("TERM", without "SIG") as this system numbers them; 0 unknown. */
static int signal_number(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {
		{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "FPE", SIGFPE },   { "HUP", SIGHUP },
		{ "ILL", SIGILL },   { "INT", SIGINT },   { "KILL", SIGKILL }, { "PIPE", SIGPIPE },
		{ "QUIT", SIGQUIT }, { "SEGV", SIGSEGV }, { "TERM", SIGTERM }, { "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 },
	};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		if (strcmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	return 0;
}

static int ssh_run(struct hu_host *h, const char *const *argv, const struct hu_run_opts *o,
		   struct hu_run_result *ret, struct hu_err *err)
{
	struct ssh_conn *c = conn(h);
	int timeout = o->timeout_ms > 0 ? o->timeout_ms : RUN_TIMEOUT_MS_DEFAULT;
	size_t max_out = o->max_output ? o->max_output : RUN_MAX_OUTPUT_DEFAULT;
	size_t max_err = o->max_stderr ? o->max_stderr : RUN_MAX_STDERR_DEFAULT;
	struct hu_buf out = HU_BUF_INIT(max_out + 1), errb = HU_BUF_INIT(max_err + 1);
	struct hu_run_result res = { .exit_code = -1 };
	LIBSSH2_CHANNEL *ch = NULL;
	char *cmd = command_line(argv);
	bool err_trunc = false;
	int64_t deadline, end;
	int rc = 0, r = 0;

	if (!cmd)
		return -ENOMEM;
	pthread_mutex_lock(&c->lock);
	if (c->dead) {
		r = refuse_dead(c, argv[0], err);
		goto out;
	}
	deadline = ssh_deadline(c);
	SSH_RETRY_PTR(c, deadline, rc, ch, libssh2_channel_open_session(c->s));
	if (!ch) {
		r = ssh_error(c, rc, argv[0], err);
		goto out;
	}
	SSH_RETRY(c, deadline, rc, libssh2_channel_exec(ch, cmd));
	if (rc < 0) {
		r = ssh_error(c, rc, argv[0], err);
		goto out;
	}
	/* The command's own timeout; the link's (step_ms) still ends a silent server. */
	end = hu_mono_ms() + timeout;
	while (!libssh2_channel_eof(ch)) {
		int a = pump(ch, 0, &out, max_out, &res.truncated);
		int b = pump(ch, SSH_EXTENDED_DATA_STDERR, &errb, max_err, &err_trunc);
		if (a < 0 || b < 0) {
			r = ssh_error(c, a < 0 ? a : b, argv[0], err);
			goto out;
		}
		if (hu_mono_ms() >= end) {
			res.timed_out = true;
			break;
		}
		if (!a && !b && ssh_wait(c, end < deadline ? deadline : end) < 0) {
			r = ssh_error(c, LIBSSH2_ERROR_TIMEOUT, argv[0], err);
			goto out;
		}
	}
	deadline = ssh_deadline(c);
	SSH_RETRY(c, deadline, rc, libssh2_channel_close(ch));
	if (!res.timed_out && rc == 0) {
		SSH_RETRY(c, deadline, rc, libssh2_channel_wait_closed(ch));
		char *sig = NULL;
		libssh2_channel_get_exit_signal(ch, &sig, NULL, NULL, NULL, NULL, NULL);
		if (sig) {
			res.term_signal = signal_number(sig);
			libssh2_free(c->s, sig);
		} else {
			res.exit_code = libssh2_channel_get_exit_status(ch);
		}
	}
out:
	if (ch)
		ssh_channel_free(c, ch);
	pthread_mutex_unlock(&c->lock);
	free(cmd);
	if (r < 0) {
		hu_buf_clear(&out);
		hu_buf_clear(&errb);
		return r;
	}
	res.out_len = out.len;
	res.err_len = errb.len;
	res.out = hu_buf_steal(&out);
	res.err = hu_buf_steal(&errb);
	if (!res.out || !res.err) {
		hu_run_result_clear(&res);
		return -ENOMEM;
	}
	res.out[res.out_len] = '\0';
	res.err[res.err_len] = '\0';
	*ret = res;
	return 0;
}

static int ssh_host_forward(struct hu_host *h, const char *host, unsigned port,
			    const char *unix_path, struct hu_forward **ret, struct hu_err *err)
{
	return ssh_forward(conn(h), host, port, unix_path, ret, err);
}

static void ssh_host_free(struct hu_host *h)
{
	free(h);
}

static const struct hu_host_ops ssh_ops = {
	.name = "ssh",
	.read_file = ssh_read_file,
	.list_dir = ssh_list_dir,
	.stat = ssh_stat,
	.run = ssh_run,
	.forward = ssh_host_forward,
	.free = ssh_host_free,
};

int ssh_host_new(struct ssh_conn *c, struct hu_host **ret)
{
	struct hu_host *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->ops = &ssh_ops;
	h->data = c;
	*ret = h;
	return 0;
}
