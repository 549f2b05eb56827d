/* SPDX-License-Identifier: MIT */
/*
 * The host interface on the machine the agent runs on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "huolto/buf.h"
#include "huolto/fileio.h"
#include "huolto/host.h"
#include "huolto/clock.h"

/* A directory listing larger than this is refused. */
#define LOCAL_MAX_DIR_ENTRIES  100000
#define RUN_TIMEOUT_MS_DEFAULT 10000
#define RUN_MAX_OUTPUT_DEFAULT (64u * 1024)
#define RUN_MAX_STDERR_DEFAULT (4u * 1024)

static int local_read_file(struct hu_host *h, const char *path, size_t max, struct hu_file *ret,
			   struct hu_err *err)
{
	(void)h;
	return hu_read_local_prefix(path, max, ret, NULL, err);
}

static enum hu_file_type dirent_type(unsigned char t)
{
	switch (t) {
	case DT_REG:
		return HU_FILE_REGULAR;
	case DT_DIR:
		return HU_FILE_DIR;
	case DT_LNK:
		return HU_FILE_SYMLINK;
	case DT_SOCK:
		return HU_FILE_SOCKET;
	case DT_UNKNOWN:
		return HU_FILE_UNKNOWN;
	default:
		return HU_FILE_OTHER;
	}
}

static int local_list_dir(struct hu_host *h, const char *path, struct hu_dir *ret,
			  struct hu_err *err)
{
	struct hu_dir names = HU_DIR_INIT;
	struct dirent *de;
	DIR *d;
	int r = 0;

	(void)h;
	d = opendir(path);
	if (!d)
		return hu_err_errno(err, errno, "%s", path);
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				r = hu_err_errno(err, errno, "%s", path);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (names.n >= LOCAL_MAX_DIR_ENTRIES) {
			r = hu_err_set(err, -E2BIG, "%s: more than %d entries", path,
				       LOCAL_MAX_DIR_ENTRIES);
			break;
		}
		r = hu_dir_push(&names, de->d_name, dirent_type(de->d_type));
		if (r < 0)
			break;
	}
	closedir(d);
	if (r < 0) {
		hu_dir_clear(&names);
		return r;
	}
	hu_dir_clear(ret);
	*ret = names;
	return 0;
}

static enum hu_file_type file_type(mode_t m)
{
	if (S_ISREG(m))
		return HU_FILE_REGULAR;
	if (S_ISDIR(m))
		return HU_FILE_DIR;
	if (S_ISLNK(m))
		return HU_FILE_SYMLINK;
	if (S_ISSOCK(m))
		return HU_FILE_SOCKET;
	return HU_FILE_OTHER;
}

static int local_stat(struct hu_host *h, const char *path, bool follow, struct hu_stat *ret,
		      struct hu_err *err)
{
	struct stat st;

	(void)h;
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		return hu_err_errno(err, errno, "%s", path);
	*ret = (struct hu_stat){
		.type = file_type(st.st_mode),
		.size = (uint64_t)st.st_size,
		.dev = (uint64_t)st.st_dev,
		.ino = (uint64_t)st.st_ino,
		.mode = (uint32_t)(st.st_mode & 07777),
		.uid = st.st_uid,
		.gid = st.st_gid,
		.mtime = (int64_t)st.st_mtim.tv_sec,
	};
	return 0;
}

/* Drain what is readable on fd into b (beyond its max the bytes are dropped). */
static int drain(int fd, struct hu_buf *b, bool *truncated)
{
	char chunk[8192];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 1; /* open, nothing more now */
			return -errno;
		}
		if (n == 0)
			return 0; /* EOF */
		if (hu_buf_append_some(b, chunk, (size_t)n) < (size_t)n && truncated)
			*truncated = true;
	}
}

static int spawn_child(const char *const *argv, int out_fd, int err_fd, pid_t *ret_pid)
{
	/* posix_spawn wants char *const[]; these live on the stack, not in rodata. */
	char env_path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	char env_lang[] = "LC_ALL=C";
	char *const env[] = { env_path, env_lang, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	int r;

	r = posix_spawn_file_actions_init(&fa);
	if (r)
		return -r;
	r = posix_spawnattr_init(&attr);
	if (r) {
		posix_spawn_file_actions_destroy(&fa);
		return -r;
	}
	sigemptyset(&none);
	sigfillset(&defaults);
	r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!r)
		r = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	if (!r)
		r = posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	/* Own process group, so that a timeout kills everything it started. */
	if (!r)
		r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
							POSIX_SPAWN_SETSIGDEF);
	if (!r)
		r = posix_spawnattr_setpgroup(&attr, 0);
	if (!r)
		r = posix_spawnattr_setsigmask(&attr, &none);
	if (!r)
		r = posix_spawnattr_setsigdefault(&attr, &defaults);
	if (!r)
		r = posix_spawn(ret_pid, argv[0], &fa, &attr, (char *const *)argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

static int local_run(struct hu_host *h, const char *const *argv, const struct hu_run_opts *opts,
		     struct hu_run_result *ret, struct hu_err *err)
{
	int timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : RUN_TIMEOUT_MS_DEFAULT;
	struct hu_buf out =
	    HU_BUF_INIT(opts->max_output ? opts->max_output : RUN_MAX_OUTPUT_DEFAULT);
	struct hu_buf errb =
	    HU_BUF_INIT(opts->max_stderr ? opts->max_stderr : RUN_MAX_STDERR_DEFAULT);
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	bool truncated = false, timed_out = false, reaped = false;
	int64_t deadline = hu_mono_ms() + timeout_ms;
	pid_t pid = -1;
	int status = 0, r;

	(void)h;
	/* Only our read ends are non-blocking: the child writes to blocking pipes. */
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0 ||
	    fcntl(po[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(pe[0], F_SETFL, O_NONBLOCK) < 0) {
		r = hu_err_errno(err, errno, "pipe");
		goto out;
	}
	r = spawn_child(argv, po[1], pe[1], &pid);
	if (r < 0) {
		hu_err_errno(err, r, "%s", argv[0]);
		goto out;
	}
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;

	/* Read both pipes until EOF or the deadline. */
	while (po[0] >= 0 || pe[0] >= 0) {
		struct pollfd pfd[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		int64_t left = deadline - hu_mono_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		int n = poll(pfd, 2, (int)left);
		if (n < 0 && errno != EINTR) {
			r = hu_err_errno(err, errno, "poll");
			goto kill;
		}
		for (int i = 0; i < 2 && n > 0; i++) {
			int *fd = i == 0 ? &po[0] : &pe[0];
			if (*fd < 0 || !pfd[i].revents)
				continue;
			int d = drain(*fd, i == 0 ? &out : &errb, i == 0 ? &truncated : NULL);
			if (d <= 0) {
				close(*fd);
				*fd = -1;
			}
		}
	}
	/* Output closed: wait for the exit, still within the deadline. */
	while (!timed_out) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			reaped = true;
			break;
		}
		if (w < 0 && errno != EINTR) {
			r = hu_err_errno(err, errno, "waitpid");
			goto kill;
		}
		if (hu_mono_ms() >= deadline) {
			timed_out = true;
			break;
		}
		poll(NULL, 0, 5);
	}
kill:
	if (!reaped) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		reaped = true;
	}
	if (r < 0)
		goto out;
	ret->timed_out = timed_out;
	ret->truncated = truncated;
	if (WIFEXITED(status) && !timed_out) {
		ret->exit_code = WEXITSTATUS(status);
		ret->term_signal = 0;
	} else {
		ret->exit_code = -1;
		ret->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
	ret->out_len = out.len;
	ret->out = hu_buf_steal(&out);
	ret->err_len = errb.len;
	ret->err = hu_buf_steal(&errb);
	if (!ret->out || !ret->err) {
		hu_run_result_clear(ret);
		r = -ENOMEM;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	hu_buf_clear(&out);
	hu_buf_clear(&errb);
	return r;
}

static void local_free(struct hu_host *h)
{
	free(h);
}

static const struct hu_host_ops local_ops = {
	.name = "local",
	.read_file = local_read_file,
	.list_dir = local_list_dir,
	.stat = local_stat,
	.run = local_run,
	.free = local_free,
};

int hu_host_local_new(struct hu_host **ret)
{
	struct hu_host *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->ops = &local_ops;
	*ret = h;
	return 0;
}
