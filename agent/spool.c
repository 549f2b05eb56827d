/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "huolto/fileio.h"
#include "huolto/log.h"
#include "spool.h"

#define TMP_PREFIX ".tmp-"
#define SUFFIX     ".json"

/* dir/name, or NULL when out of memory. */
static char *join(const char *dir, const char *name)
{
	char *p = NULL;

	return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

void spool_close(struct spool *s)
{
	if (!s)
		return;
	free(s->dir);
	free(s->refused);
	*s = (struct spool){ 0 };
}

static int make_dir(const char *path, struct hu_err *err)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return hu_err_errno(err, errno, "%s: cannot make the directory", path);
	if (stat(path, &st) < 0)
		return hu_err_errno(err, errno, "%s", path);
	if (!S_ISDIR(st.st_mode))
		return hu_err_set(err, -ENOTDIR, "%s: not a directory", path);
	return 0;
}

static bool is_document(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > sizeof(SUFFIX) && strcmp(name + n - 5, SUFFIX) == 0;
}

/* Names in dir: documents (sorted, oldest first) or, with tmp, left-over temporary files. */
static int names(const char *dir, bool tmp, struct hu_strv *ret, struct hu_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return hu_err_errno(err, errno, "%s", dir);
	while (r >= 0 && (e = readdir(d)))
		if (tmp ? strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0
			: is_document(e->d_name))
			r = hu_strv_push(ret, e->d_name);
	closedir(d);
	if (r < 0)
		return r;
	hu_strv_sort(ret);
	return 0;
}

static int unlink_in(const char *dir, const char *name, struct hu_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return hu_err_errno(err, errno, "%s", dir);
	if (unlinkat(fd, name, 0) < 0 && errno != ENOENT)
		r = hu_err_errno(err, errno, "%s/%s: cannot remove", dir, name);
	else if (fsync(fd) < 0)
		r = hu_err_errno(err, errno, "%s: fsync", dir);
	close(fd);
	return r;
}

int spool_open(const char *state_dir, int64_t max_documents, int64_t max_bytes, struct spool *ret,
	       struct hu_err *err)
{
	struct spool s = { .max_documents = max_documents, .max_bytes = max_bytes };
	struct hu_strv tmp = HU_STRV_INIT;
	int r;

	s.dir = join(state_dir, "spool");
	s.refused = join(state_dir, "spool/refused");
	if (!s.dir || !s.refused) {
		spool_close(&s);
		return -ENOMEM;
	}
	r = make_dir(state_dir, err);
	if (r >= 0)
		r = make_dir(s.dir, err);
	if (r >= 0)
		r = make_dir(s.refused, err);
	if (r >= 0)
		r = names(s.dir, true, &tmp, err);
	for (size_t i = 0; r >= 0 && i < tmp.n; i++)
		r = unlink_in(s.dir, tmp.v[i], err);
	hu_strv_clear(&tmp);
	if (r < 0) {
		spool_close(&s);
		return r;
	}
	*ret = s;
	return 0;
}

/* Drop the oldest documents of dir past the bounds. */
static int trim(const struct spool *s, const char *dir, unsigned *ret_dropped, struct hu_err *err)
{
	struct hu_strv all = HU_STRV_INIT;
	int64_t *sizes = NULL, total = 0;
	int r = names(dir, false, &all, err);

	if (r >= 0 && all.n && !(sizes = calloc(all.n, sizeof(*sizes))))
		r = -ENOMEM;
	for (size_t i = 0; r >= 0 && i < all.n; i++) {
		struct stat st;
		char *path = join(dir, all.v[i]);
		if (!path)
			r = -ENOMEM;
		else if (stat(path, &st) == 0)
			total += sizes[i] = st.st_size;
		free(path);
	}
	for (size_t i = 0, n = all.n;
	     r >= 0 && i < all.n && ((int64_t)n > s->max_documents || total > s->max_bytes);
	     i++, n--) {
		hu_log_warning("%s: dropping %s, the oldest document, to keep within "
			       "collector.spool (%lld documents, %lld bytes)",
			       dir, all.v[i], (long long)s->max_documents, (long long)s->max_bytes);
		r = unlink_in(dir, all.v[i], err);
		total -= sizes[i];
		if (ret_dropped)
			(*ret_dropped)++;
	}
	free(sizes);
	hu_strv_clear(&all);
	return r;
}

static bool safe_id(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF-", id[i]))
			return false;
	return true;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int spool_put(struct spool *s, const char *id, const char *text, size_t len, unsigned *ret_dropped,
	      struct hu_err *err)
{
	char tmp[128], name[128];
	struct timespec now;
	int dfd, fd, r;

	if (!safe_id(id))
		return hu_err_set(err, -EINVAL, "document id \"%s\" is not a UUID", id);
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(tmp, sizeof(tmp), TMP_PREFIX "%s", id);
	snprintf(name, sizeof(name), "%010lld%09ld-%s" SUFFIX, (long long)now.tv_sec, now.tv_nsec,
		 id);
	dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return hu_err_errno(err, errno, "%s", s->dir);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		r = hu_err_errno(err, errno, "%s/%s", s->dir, tmp);
		close(dfd);
		return r;
	}
	r = write_all(fd, text, len);
	if (r >= 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r >= 0)
		r = -errno;
	if (r >= 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r >= 0 && fsync(dfd) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dfd, tmp, 0);
		close(dfd);
		return hu_err_errno(err, r, "%s/%s: cannot keep the document", s->dir, name);
	}
	close(dfd);
	return trim(s, s->dir, ret_dropped, err);
}

int spool_list(const struct spool *s, struct hu_strv *ret, struct hu_err *err)
{
	return names(s->dir, false, ret, err);
}

int spool_read(const struct spool *s, const char *name, size_t max, char **ret, size_t *ret_len,
	       struct hu_err *err)
{
	char *path = join(s->dir, name);
	int r;

	if (!path)
		return -ENOMEM;
	r = hu_read_local_file(path, max, ret, ret_len, NULL, err);
	free(path);
	return r;
}

int spool_remove(const struct spool *s, const char *name, struct hu_err *err)
{
	return unlink_in(s->dir, name, err);
}

int spool_refuse(const struct spool *s, const char *name, struct hu_err *err)
{
	char *from = join(s->dir, name), *to = join(s->refused, name);
	int r = 0;

	if (!from || !to)
		r = -ENOMEM;
	else if (rename(from, to) < 0)
		r = hu_err_errno(err, errno, "%s: cannot move to %s", from, s->refused);
	free(from);
	free(to);
	if (r >= 0)
		r = trim(s, s->refused, NULL, err);
	return r;
}
