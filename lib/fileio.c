/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "huolto/buf.h"
#include "huolto/fileio.h"

int hu_read_local_prefix(const char *path, size_t max, struct hu_file *ret, int64_t *ret_mtime,
			 struct hu_err *err)
{
	struct hu_buf b = HU_BUF_INIT(max);
	bool truncated = false;
	char chunk[16384];
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
	for (;;) {
		/* At max, one more byte tells whether there is more. */
		size_t want = b.len == max ? 1 : max - b.len;
		ssize_t n = read(fd, chunk, want < sizeof(chunk) ? want : sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = hu_err_errno(err, errno, "%s", path);
			goto out;
		}
		if (n == 0)
			break;
		if (b.len == max) {
			truncated = true;
			break;
		}
		r = hu_buf_append(&b, chunk, (size_t)n);
		if (r < 0)
			goto out;
	}
	ret->len = b.len;
	ret->data = hu_buf_steal(&b);
	ret->truncated = truncated;
	if (!ret->data) {
		r = -ENOMEM;
		goto out;
	}
	if (ret_mtime)
		*ret_mtime = (int64_t)st.st_mtim.tv_sec;
out:
	close(fd);
	hu_buf_clear(&b);
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
