/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "huolto/fileio.h"

/* Whether one more byte can be read from fd. */
static bool more(int fd)
{
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

int hu_read_local_prefix(const char *path, size_t max, struct hu_file *ret, int64_t *ret_mtime,
			 struct hu_err *err)
{
	bool truncated = false, sized;
	size_t cap, len = 0;
	char *data = NULL;
	struct stat st;
	int fd, r = 0;

	/* O_NONBLOCK: opening a FIFO must not hang; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return hu_err_errno(err, errno, "%s", path);
	if (fstat(fd, &st) < 0) {
		r = hu_err_errno(err, errno, "%s", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r = hu_err_set(err, -EISDIR, "%s: is a directory", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = hu_err_set(err, -EINVAL, "%s: not a regular file", path);
		goto out;
	}
	/*
	 * The size fstat gave is read (one read(2) for a small file, no second
	 * one to see the end); files that say 0, as those in /proc do, are read
	 * to their end. Either way no more than max bytes are kept.
	 */
	sized = st.st_size > 0;
	cap = sized ? ((uint64_t)st.st_size < max ? (size_t)st.st_size : max)
		    : (max < 4096 ? max : 4096);
	data = malloc(cap + 1);
	if (!data) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (len == cap) {
			if (len == max) {
				truncated = (uint64_t)st.st_size > max || more(fd);
				break;
			}
			if (sized)
				break;
			size_t grown = cap > max / 2 ? max : 2 * cap;
			char *p = realloc(data, grown + 1);
			if (!p) {
				r = -ENOMEM;
				goto out;
			}
			data = p;
			cap = grown;
		}
		ssize_t n = read(fd, data + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = hu_err_errno(err, errno, "%s", path);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	data[len] = '\0';
	ret->data = data;
	ret->len = len;
	ret->truncated = truncated;
	data = NULL;
	if (ret_mtime)
		*ret_mtime = (int64_t)st.st_mtim.tv_sec;
out:
	close(fd);
	free(data);
	return r;
}

int hu_read_local_file(const char *path, size_t max, char **ret_data, size_t *ret_len,
		       int64_t *ret_mtime, struct hu_err *err)
{
	struct hu_file f = { 0 };
	int r = hu_read_local_prefix(path, max, &f, ret_mtime, err);

	if (r < 0)
		return r;
	if (f.truncated) {
		hu_file_clear(&f);
		return hu_err_set(err, -EFBIG, "%s: larger than %zu bytes", path, max);
	}
	*ret_data = f.data;
	*ret_len = f.len;
	return 0;
}

int hu_write_local_file(const char *path, const void *data, size_t len, struct hu_err *err)
{
	char *part = NULL;
	const char *p = data;
	int fd, r = 0;

	if (asprintf(&part, "%s.part", path) < 0)
		return -ENOMEM;
	fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = hu_err_errno(err, errno, "%s", part);
		free(part);
		return r;
	}
	while (len > 0 && r == 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r = hu_err_errno(err, n < 0 ? errno : EIO, "writing %s", part);
		else {
			p += n;
			len -= (size_t)n;
		}
	}
	if (r == 0 && fsync(fd) < 0)
		r = hu_err_errno(err, errno, "writing %s", part);
	if (close(fd) < 0 && r == 0)
		r = hu_err_errno(err, errno, "writing %s", part);
	if (r == 0 && rename(part, path) < 0)
		r = hu_err_errno(err, errno, "renaming %s to %s", part, path);
	if (r < 0)
		unlink(part);
	free(part);
	return r;
}
