/* SPDX-License-Identifier: MIT */
/*
 * The host interface: checks read files, list directories, stat and run
 * commands only through it, so the same check code runs on the agent's own
 * machine (host_local) and, later, over SSH from the collector.
 *
 * Every read is bounded by a size cap given per call; commands run without a
 * shell, with a timeout and a cap on their output.
 */
#ifndef HUOLTO_HOST_H
#define HUOLTO_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "huolto/err.h"
#include "huolto/strv.h"

enum hu_file_type {
	HU_FILE_OTHER = 0,
	HU_FILE_REGULAR,
	HU_FILE_DIR,
	HU_FILE_SYMLINK,
	HU_FILE_SOCKET,
	HU_FILE_UNKNOWN, /* a listing that does not say: stat to know */
	_HU_FILE_TYPE_MAX,
};

struct hu_stat {
	enum hu_file_type type;
	uint64_t size;
	uint64_t dev;
	uint64_t ino;
	uint32_t mode; /* permission bits */
	uint32_t uid;
	uint32_t gid;
	int64_t mtime; /* seconds since the epoch */
};

/* What hu_host_read_file returns. */
struct hu_file {
	char *data; /* owned, NUL-terminated (terminator not counted) */
	size_t len;
	bool truncated; /* the file had more than max bytes; data holds the first max */
};

/* One entry of a directory listing. */
struct hu_dirent {
	char *name; /* owned */
	/*
	 * What the listing says, without following links: a link is
	 * HU_FILE_SYMLINK, and HU_FILE_UNKNOWN when the listing does not tell.
	 */
	enum hu_file_type type;
};

/* A directory listing: owned entries, in no particular order until sorted. */
struct hu_dir {
	struct hu_dirent *v;
	size_t n;
	size_t cap;
};

#define HU_DIR_INIT        \
	{                  \
		NULL, 0, 0 \
	}

struct hu_run_opts {
	int timeout_ms;    /* the command is killed after this; 0 means 10 s */
	size_t max_output; /* bytes of stdout kept; 0 means 64 KiB */
	size_t max_stderr; /* bytes of stderr kept; 0 means 4 KiB */
};

struct hu_run_result {
	int exit_code;   /* exit status, or -1 when killed by a signal */
	int term_signal; /* the signal that ended it, or 0 */
	bool timed_out;  /* killed because timeout_ms passed */
	bool truncated;  /* stdout exceeded max_output; out holds the first bytes */
	char *out;       /* owned, NUL-terminated */
	size_t out_len;
	char *err; /* owned, NUL-terminated; stderr, capped */
	size_t err_len;
};

struct hu_host;

/*
 * A TCP port or Unix socket of the checked machine made reachable from this
 * process at 127.0.0.1:port (an SSH direct-tcpip channel behind a loopback
 * listener), for one connection at a time, until closed.
 */
struct hu_forward {
	unsigned port;
	void (*close)(struct hu_forward *f); /* stops it and frees f */
};

struct hu_host_ops {
	const char *name; /* "local", "ssh" */

	int (*read_file)(struct hu_host *h, const char *path, size_t max, struct hu_file *ret,
			 struct hu_err *err);
	/* Entries of path, without "." and "..", in no particular order. */
	int (*list_dir)(struct hu_host *h, const char *path, struct hu_dir *ret,
			struct hu_err *err);
	/* follow: stat the target of a symbolic link rather than the link. */
	int (*stat)(struct hu_host *h, const char *path, bool follow, struct hu_stat *ret,
		    struct hu_err *err);
	/* argv[0] is an absolute path; no shell, no PATH search. */
	int (*run)(struct hu_host *h, const char *const *argv, const struct hu_run_opts *opts,
		   struct hu_run_result *ret, struct hu_err *err);
	/*
	 * Optional: reach host:port (or, with unix_path, that socket) as the
	 * checked machine would. NULL on a host this process runs on: connect
	 * directly.
	 */
	int (*forward)(struct hu_host *h, const char *host, unsigned port, const char *unix_path,
		       struct hu_forward **ret, struct hu_err *err);
	void (*free)(struct hu_host *h);
};

/* The local host's ops may be called from several threads at once. */
struct hu_host {
	const struct hu_host_ops *ops;
	void *data; /* the implementation's own */
};

/*
 * Convenience wrappers; each returns what the op returns. On failure ret
 * is left untouched. Common failures: -ENOENT, -EACCES, -ENOTDIR, -EISDIR,
 * -ELOOP, -ETIMEDOUT (run: only when the command could not be waited for).
 */
int hu_host_read_file(struct hu_host *h, const char *path, size_t max, struct hu_file *ret,
		      struct hu_err *err);
int hu_host_list_dir(struct hu_host *h, const char *path, struct hu_dir *ret, struct hu_err *err);
int hu_host_stat(struct hu_host *h, const char *path, bool follow, struct hu_stat *ret,
		 struct hu_err *err);
int hu_host_run(struct hu_host *h, const char *const *argv, const struct hu_run_opts *opts,
		struct hu_run_result *ret, struct hu_err *err);
void hu_host_free(struct hu_host *h);
/*
 * 0 with *ret NULL when h needs no forwarding (connect directly), 0 with
 * *ret a forward to connect through, or an error.
 */
int hu_host_forward(struct hu_host *h, const char *host, unsigned port, const char *unix_path,
		    struct hu_forward **ret, struct hu_err *err);
/* Close a forward; f may be NULL. */
void hu_forward_close(struct hu_forward *f);

/*
 * The type of the entry at path that a listing said was type, following
 * links: type itself unless it is HU_FILE_SYMLINK or HU_FILE_UNKNOWN, then
 * what a stat of path says (HU_FILE_OTHER when it fails). No stat when the
 * listing told.
 */
enum hu_file_type hu_host_entry_type(struct hu_host *h, const char *path, enum hu_file_type type);

/* Append an entry (name copied). */
int hu_dir_push(struct hu_dir *d, const char *name, enum hu_file_type type);
/* Sort by name (strcmp). */
void hu_dir_sort(struct hu_dir *d);
/* Free every entry; d may be NULL. Leaves d empty. */
void hu_dir_clear(struct hu_dir *d);

/*
 * Expand a glob pattern (fnmatch(3) syntax in any path component) through
 * the host. Matches are appended sorted, as glob(3) sorts them. A pattern
 * without wildcards is appended as-is when it exists. Directories that
 * cannot be read are skipped. At most max_matches are returned (-E2BIG
 * beyond, with the first max_matches kept).
 */
int hu_host_glob(struct hu_host *h, const char *pattern, size_t max_matches, struct hu_strv *ret,
		 struct hu_err *err);

void hu_file_clear(struct hu_file *f);
void hu_run_result_clear(struct hu_run_result *r);

/* The local machine. Caller frees with hu_host_free(). */
int hu_host_local_new(struct hu_host **ret);

#endif
