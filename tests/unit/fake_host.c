/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "huolto/buf.h"

struct entry {
	char *path;
	char *content; /* NULL for links */
	char *target;  /* links */
	bool exec;
	bool unreadable;
};

struct command {
	char *argv;
	char *out;
	int exit_code;
};

struct fake {
	struct entry *e;
	size_t n;
	struct command *c;
	size_t nc;
	unsigned runs;
	unsigned reads;
};

static struct fake *F(struct hu_host *h)
{
	return h->data;
}

static struct entry *find(struct fake *f, const char *path)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->e[i].path, path) == 0)
			return &f->e[i];
	return NULL;
}

static struct entry *add(struct fake *f, const char *path)
{
	struct entry *e = find(f, path);

	if (e)
		return e;
	f->e = realloc(f->e, (f->n + 1) * sizeof(*f->e));
	e = &f->e[f->n++];
	*e = (struct entry){ .path = strdup(path) };
	return e;
}

/* Follow links (at most 8). */
static struct entry *resolve(struct fake *f, const char *path, size_t *ret_index)
{
	struct entry *e = find(f, path);

	for (int i = 0; e && e->target && i < 8; i++)
		e = find(f, e->target);
	if (e && e->target)
		return NULL;
	if (e && ret_index)
		*ret_index = (size_t)(e - f->e);
	return e;
}

static bool is_dir(struct fake *f, const char *path)
{
	size_t n = strlen(path);

	if (strcmp(path, "/") == 0)
		return true;
	for (size_t i = 0; i < f->n; i++)
		if (strncmp(f->e[i].path, path, n) == 0 && f->e[i].path[n] == '/')
			return true;
	return false;
}

static int fh_read(struct hu_host *h, const char *path, size_t max, struct hu_file *ret,
		   struct hu_err *err)
{
	struct entry *e = resolve(F(h), path, NULL);

	F(h)->reads++;
	if (!e) {
		if (is_dir(F(h), path))
			return hu_err_set(err, -EISDIR, "%s: is a directory", path);
		return hu_err_set(err, -ENOENT, "%s: No such file or directory", path);
	}
	if (e->unreadable)
		return hu_err_set(err, -EACCES, "%s: Permission denied", path);
	size_t len = strlen(e->content);
	ret->truncated = len > max;
	ret->len = ret->truncated ? max : len;
	ret->data = strndup(e->content, ret->len);
	return ret->data ? 0 : -ENOMEM;
}

/* Like a file system without d_type: every entry's type is HU_FILE_UNKNOWN. */
static int fh_list(struct hu_host *h, const char *path, struct hu_dir *ret, struct hu_err *err)
{
	struct fake *f = F(h);
	size_t n = strlen(path);
	struct hu_dir names = HU_DIR_INIT;

	if (!is_dir(f, path))
		return hu_err_set(err, find(f, path) ? -ENOTDIR : -ENOENT, "%s: cannot list", path);
	if (n == 1)
		n = 0; /* "/" */
	for (size_t i = 0; i < f->n; i++) {
		const char *p = f->e[i].path;
		if (strncmp(p, path, n) != 0 || p[n] != '/')
			continue;
		const char *rest = p + n + 1, *slash = strchr(rest, '/');
		size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
		bool dup = false;
		for (size_t k = 0; k < names.n && !dup; k++)
			dup = strlen(names.v[k].name) == len &&
			      strncmp(names.v[k].name, rest, len) == 0;
		if (dup)
			continue;
		char *name = strndup(rest, len);
		hu_dir_push(&names, name, HU_FILE_UNKNOWN);
		free(name);
	}
	hu_dir_clear(ret);
	*ret = names;
	return 0;
}

static int fh_stat(struct hu_host *h, const char *path, bool follow, struct hu_stat *ret,
		   struct hu_err *err)
{
	struct fake *f = F(h);
	size_t idx = 0;
	struct entry *e = follow ? resolve(f, path, &idx) : find(f, path);

	if (!e) {
		if (is_dir(f, path)) {
			*ret = (struct hu_stat){ .type = HU_FILE_DIR, .mode = 0755, .dev = 1 };
			return 0;
		}
		return hu_err_set(err, -ENOENT, "%s: No such file or directory", path);
	}
	if (!follow)
		idx = (size_t)(e - f->e);
	*ret = (struct hu_stat){
		.type = e->target ? HU_FILE_SYMLINK : HU_FILE_REGULAR,
		.size = e->content ? strlen(e->content) : 0,
		.dev = 1,
		.ino = idx + 100,
		.mode = e->exec ? 0755 : 0644,
	};
	return 0;
}

static int fh_run(struct hu_host *h, const char *const *argv, const struct hu_run_opts *opts,
		  struct hu_run_result *ret, struct hu_err *err)
{
	struct fake *f = F(h);
	struct hu_buf b = HU_BUF_INIT(0);

	(void)opts;
	for (size_t i = 0; argv[i]; i++)
		hu_buf_printf(&b, "%s%s", i ? " " : "", argv[i]);
	f->runs++;
	for (size_t i = 0; i < f->nc; i++)
		if (strcmp(f->c[i].argv, b.data) == 0) {
			hu_buf_clear(&b);
			*ret = (struct hu_run_result){ .exit_code = f->c[i].exit_code };
			ret->out = strdup(f->c[i].out);
			ret->out_len = strlen(ret->out);
			ret->err = strdup("");
			return 0;
		}
	int r = hu_err_set(err, -ENOENT, "%s: no such command in the fake host", b.data);
	hu_buf_clear(&b);
	return r;
}

static void fh_free(struct hu_host *h)
{
	struct fake *f = F(h);

	for (size_t i = 0; i < f->n; i++) {
		free(f->e[i].path);
		free(f->e[i].content);
		free(f->e[i].target);
	}
	free(f->e);
	for (size_t i = 0; i < f->nc; i++) {
		free(f->c[i].argv);
		free(f->c[i].out);
	}
	free(f->c);
	free(f);
	free(h);
}

static const struct hu_host_ops fake_ops = {
	.name = "fake",
	.read_file = fh_read,
	.list_dir = fh_list,
	.stat = fh_stat,
	.run = fh_run,
	.free = fh_free,
};

struct hu_host *fake_host_new(void)
{
	struct hu_host *h = calloc(1, sizeof(*h));

	h->ops = &fake_ops;
	h->data = calloc(1, sizeof(struct fake));
	return h;
}

void fake_host_file(struct hu_host *h, const char *path, const char *content)
{
	struct entry *e = add(F(h), path);

	free(e->content);
	e->content = strdup(content);
}

void fake_host_exec(struct hu_host *h, const char *path)
{
	struct entry *e = add(F(h), path);

	if (!e->content)
		e->content = strdup("\177ELF");
	e->exec = true;
}

void fake_host_link(struct hu_host *h, const char *path, const char *target)
{
	struct entry *e = add(F(h), path);

	e->target = strdup(target);
}

void fake_host_unreadable(struct hu_host *h, const char *path)
{
	struct entry *e = add(F(h), path);

	if (!e->content)
		e->content = strdup("");
	e->unreadable = true;
}

void fake_host_command(struct hu_host *h, const char *argv_joined, const char *out, int exit_code)
{
	struct fake *f = F(h);

	f->c = realloc(f->c, (f->nc + 1) * sizeof(*f->c));
	f->c[f->nc++] = (struct command){ strdup(argv_joined), strdup(out), exit_code };
}

unsigned fake_host_runs(struct hu_host *h)
{
	return F(h)->runs;
}

unsigned fake_host_reads(struct hu_host *h)
{
	return F(h)->reads;
}
