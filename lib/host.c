/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/host.h"

int hu_host_read_file(struct hu_host *h, const char *path, size_t max, struct hu_file *ret,
		      struct hu_err *err)
{
	return h->ops->read_file(h, path, max, ret, err);
}

int hu_host_list_dir(struct hu_host *h, const char *path, struct hu_dir *ret, struct hu_err *err)
{
	return h->ops->list_dir(h, path, ret, err);
}

enum hu_file_type hu_host_entry_type(struct hu_host *h, const char *path, enum hu_file_type type)
{
	struct hu_stat st;

	if (type != HU_FILE_SYMLINK && type != HU_FILE_UNKNOWN)
		return type;
	if (hu_host_stat(h, path, true, &st, NULL) < 0)
		return HU_FILE_OTHER;
	return st.type;
}

int hu_host_stat(struct hu_host *h, const char *path, bool follow, struct hu_stat *ret,
		 struct hu_err *err)
{
	return h->ops->stat(h, path, follow, ret, err);
}

int hu_host_run(struct hu_host *h, const char *const *argv, const struct hu_run_opts *opts,
		struct hu_run_result *ret, struct hu_err *err)
{
	static const struct hu_run_opts defaults = { 0 };

	if (!argv || !argv[0] || argv[0][0] != '/')
		return hu_err_set(err, -EINVAL, "command must be an absolute path");
	return h->ops->run(h, argv, opts ? opts : &defaults, ret, err);
}

void hu_host_free(struct hu_host *h)
{
	if (h && h->ops->free)
		h->ops->free(h);
}

int hu_host_forward(struct hu_host *h, const char *host, unsigned port, const char *unix_path,
		    struct hu_forward **ret, struct hu_err *err)
{
	*ret = NULL;
	return h->ops->forward ? h->ops->forward(h, host, port, unix_path, ret, err) : 0;
}

void hu_forward_close(struct hu_forward *f)
{
	if (f)
		f->close(f);
}

void hu_file_clear(struct hu_file *f)
{
	if (!f)
		return;
	free(f->data);
	*f = (struct hu_file){ 0 };
}

void hu_run_result_clear(struct hu_run_result *r)
{
	if (!r)
		return;
	free(r->out);
	free(r->err);
	*r = (struct hu_run_result){ 0 };
}

static bool has_wildcard(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

static char *path_join(const char *dir, const char *name, size_t name_len)
{
	struct hu_buf b = HU_BUF_INIT(0);
	size_t dl = strlen(dir);

	if (hu_buf_append(&b, dir, dl) < 0 ||
	    (!(dl && dir[dl - 1] == '/') && hu_buf_append(&b, "/", 1) < 0) ||
	    hu_buf_append(&b, name, name_len) < 0) {
		hu_buf_clear(&b);
		return NULL;
	}
	return hu_buf_steal(&b);
}

/* Expand the components of pattern starting at rest below dir. */
static int glob_walk(struct hu_host *h, const char *dir, const char *rest, size_t max,
		     struct hu_strv *out)
{
	while (*rest == '/')
		rest++;
	if (!*rest) {
		struct hu_stat st;
		if (hu_host_stat(h, dir, true, &st, NULL) < 0)
			return 0; /* does not exist (or cannot be seen): no match */
		if (out->n >= max)
			return -E2BIG;
		return hu_strv_push(out, dir);
	}
	const char *slash = strchr(rest, '/');
	size_t clen = slash ? (size_t)(slash - rest) : strlen(rest);
	const char *next = rest + clen;
	int r = 0;

	if (!has_wildcard(rest, clen)) {
		char *p = path_join(dir, rest, clen);
		if (!p)
			return -ENOMEM;
		r = glob_walk(h, p, next, max, out);
		free(p);
		return r;
	}

	char *component = strndup(rest, clen);
	struct hu_dir names = HU_DIR_INIT;
	if (!component)
		return -ENOMEM;
	if (hu_host_list_dir(h, dir, &names, NULL) < 0)
		goto out; /* unreadable directories are skipped, as glob(3) does */
	hu_dir_sort(&names);
	for (size_t i = 0; i < names.n && r >= 0; i++) {
		const char *name = names.v[i].name;
		if (fnmatch(component, name, FNM_PERIOD) != 0)
			continue;
		char *p = path_join(dir, name, strlen(name));
		if (!p) {
			r = -ENOMEM;
			break;
		}
		r = glob_walk(h, p, next, max, out);
		free(p);
	}
out:
	hu_dir_clear(&names);
	free(component);
	return r;
}

int hu_host_glob(struct hu_host *h, const char *pattern, size_t max_matches, struct hu_strv *ret,
		 struct hu_err *err)
{
	struct hu_strv found = HU_STRV_INIT;
	int r;

	if (!pattern || pattern[0] != '/')
		return hu_err_set(err, -EINVAL, "glob pattern must be an absolute path: %s",
				  pattern ? pattern : "(null)");
	r = glob_walk(h, "/", pattern, max_matches, &found);
	hu_strv_sort(&found);
	for (size_t i = 0; i < found.n; i++) {
		int q = hu_strv_push(ret, found.v[i]);
		if (q < 0) {
			r = q;
			break;
		}
	}
	hu_strv_clear(&found);
	if (r == -E2BIG)
		return hu_err_set(err, r, "%s: more than %zu matches", pattern, max_matches);
	return r;
}
