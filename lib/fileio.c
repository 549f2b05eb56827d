/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "huolto/buf.h"
#include "huolto/fileio.h"

int hu_read_local_file(const char *path, size_t max, char **ret_data, size_t *ret_len,
		       int64_t *ret_mtime, struct hu_err *err)
{
	struct hu_buf b = HU_BUF_INIT(max);
	char chunk[16384];
	struct stat st;
	int fd, r = 0;

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
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = hu_err_errno(err, errno, "%s", path);
			goto out;
		}
		if (n == 0)
			break;
		r = hu_buf_append(&b, chunk, (size_t)n);
		if (r == -E2BIG) {
			r = hu_err_set(err, -EFBIG, "%s: larger than %zu bytes", path, max);
			goto out;
		}
		if (r < 0)
			goto out;
	}
	*ret_len = b.len;
	*ret_data = hu_buf_steal(&b);
	if (!*ret_data) {
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
