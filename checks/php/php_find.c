/* SPDX-License-Identifier: MIT */
/*
 * What PHP is on the host: CLI binaries (php, php8.2, ...), FPM binaries
 * (php-fpm8.2, ...), their versions (asked through the host interface with
 * "-n -v"), which CLI cron would run, and the FPM pools.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/buf.h"
#include "huolto/version.h"
#include "php.h"

static const char *const sapi_names[_PHP_SAPI_MAX] = {
	[PHP_SAPI_CLI] = "cli",
	[PHP_SAPI_FPM] = "fpm",
	[PHP_SAPI_APACHE2] = "apache2",
};

const char *php_sapi_name(enum php_sapi s)
{
	return s >= 0 && s < _PHP_SAPI_MAX ? sapi_names[s] : "unknown";
}

/* name is prefix, or prefix followed by "N" or "N.N" (php, php8.2, php-fpm8.2). */
static bool versioned_name(const char *name, const char *prefix, bool *has_version)
{
	size_t pl = strlen(prefix);
	const char *p = name + pl;
	bool dot = false;

	if (strncmp(name, prefix, pl) != 0)
		return false;
	*has_version = *p != '\0';
	if (!*p)
		return true;
	if (!isdigit((unsigned char)*p))
		return false;
	for (; *p; p++) {
		if (*p == '.' && !dot && isdigit((unsigned char)p[1]))
			dot = true;
		else if (!isdigit((unsigned char)*p))
			return false;
	}
	return true;
}

int php_parse_version_output(const char *out, char **ret)
{
	const char *p = out, *e;
	unsigned major, minor;

	while (*p && isspace((unsigned char)*p))
		p++;
	/* Startup warnings may precede the version line; look at each line. */
	for (; *p; p = e + (*e ? 1 : 0)) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (e - p > 4 && strncmp(p, "PHP ", 4) == 0) {
			const char *v = p + 4, *ve = v;
			while (ve < e && !isspace((unsigned char)*ve))
				ve++;
			char *s = strndup(v, (size_t)(ve - v));
			if (!s)
				return -ENOMEM;
			if (ve - v <= 64 && hu_version_branch(s, &major, &minor) == 0) {
				*ret = s;
				return 0;
			}
			free(s); /* "PHP Warning: ..." and the like: read on */
		}
		if (!*e)
			break;
	}
	return -EINVAL;
}

static void install_free(struct php_install *i)
{
	free(i->binary);
	hu_strv_clear(&i->paths);
	free(i->version);
	free(i->error);
}

void php_inventory_clear(struct php_inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->n_installs; i++)
		install_free(&inv->installs[i]);
	free(inv->installs);
	for (size_t i = 0; i < inv->n_pools; i++) {
		free(inv->pools[i].name);
		free(inv->pools[i].file);
		free(inv->pools[i].listen);
		free(inv->pools[i].user);
	}
	free(inv->pools);
	*inv = (struct php_inventory){ 0 };
}

static char *join(const char *dir, const char *name)
{
	char *s = NULL;
	size_t dl = strlen(dir);

	if (asprintf(&s, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name) < 0)
		return NULL;
	return s;
}

/*
 * Add path as an install of sapi, or as another path of the install it is
 * the same file as. Returns the install's index, or a negative errno
 * (-ENOENT when path is not an executable file).
 */
static int add_binary(struct hu_host *h, struct php_inventory *inv, enum php_sapi sapi,
		      const char *path, bool versioned)
{
	struct hu_stat st;
	struct php_install *v, *in;

	if (hu_host_stat(h, path, true, &st, NULL) < 0 || st.type != HU_FILE_REGULAR ||
	    !(st.mode & 0111))
		return -ENOENT;
	for (size_t i = 0; i < inv->n_installs; i++) {
		in = &inv->installs[i];
		if (in->sapi != sapi || in->dev != st.dev || in->ino != st.ino)
			continue;
		if (hu_strv_push_unique(&in->paths, path) < 0)
			return -ENOMEM;
		if (versioned && !strpbrk(in->binary + strlen(in->binary) - 1, "0123456789")) {
			/* Prefer the versioned name (php8.2) as the install's name. */
			char *b = strdup(path);
			if (!b)
				return -ENOMEM;
			free(in->binary);
			in->binary = b;
		}
		return (int)i;
	}
	if (inv->n_installs >= PHP_MAX_INSTALLS)
		return -E2BIG;
	v = realloc(inv->installs, (inv->n_installs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	inv->installs = v;
	in = &inv->installs[inv->n_installs];
	*in = (struct php_install){ .sapi = sapi, .dev = st.dev, .ino = st.ino };
	in->binary = strdup(path);
	if (!in->binary || hu_strv_push(&in->paths, path) < 0) {
		install_free(in);
		return -ENOMEM;
	}
	return (int)inv->n_installs++;
}

static int scan_dir(struct hu_host *h, struct php_inventory *inv, enum php_sapi sapi,
		    const char *dir, const char *prefix)
{
	struct hu_dir names = HU_DIR_INIT;
	int r = 0;

	if (hu_host_list_dir(h, dir, &names, NULL) < 0)
		return 0; /* absent or unreadable: nothing there for us */
	hu_dir_sort(&names);
	for (size_t i = 0; i < names.n; i++) {
		bool versioned;
		if (!versioned_name(names.v[i].name, prefix, &versioned))
			continue;
		char *path = join(dir, names.v[i].name);
		if (!path) {
			r = -ENOMEM;
			break;
		}
		r = add_binary(h, inv, sapi, path, versioned);
		free(path);
		if (r == -ENOENT || r == -E2BIG)
			r = 0;
		if (r < 0)
			break;
	}
	hu_dir_clear(&names);
	return r < 0 ? r : 0;
}

static int ask_version(struct hu_host *h, struct php_install *in, int timeout_ms)
{
	const char *argv[] = { in->binary, "-n", "-v", NULL };
	struct hu_run_opts opts = { .timeout_ms = timeout_ms, .max_output = 16384 };
	struct hu_run_result res = { 0 };
	struct hu_err err = HU_ERR_INIT;
	int r;

	r = hu_host_run(h, argv, &opts, &res, &err);
	if (r < 0) {
		in->error = strdup(hu_err_msg(&err));
		hu_err_clear(&err);
		return r == -ENOMEM ? r : 0;
	}
	if (res.timed_out)
		r = asprintf(&in->error, "%s -v did not finish within %d ms", in->binary,
			     timeout_ms);
	else if (res.exit_code != 0)
		r = asprintf(&in->error, "%s -v exited with status %d%s%.200s", in->binary,
			     res.exit_code, res.err_len ? ": " : "", res.err);
	else if (php_parse_version_output(res.out, &in->version) < 0)
		r = asprintf(&in->error, "%s -v printed no recognisable version", in->binary);
	else
		in->has_branch = hu_version_branch(in->version, &in->major, &in->minor) == 0;
	hu_run_result_clear(&res);
	return r < 0 ? -ENOMEM : 0;
}

/* Mark the CLI that cron's PATH finds first; add it if no search dir had it. */
static int find_cron_cli(struct hu_host *h, struct php_inventory *inv, const char *cron_path,
			 int timeout_ms)
{
	char *copy = strdup(cron_path), *save = NULL;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *path = join(dir, "php");
		if (!path) {
			r = -ENOMEM;
			break;
		}
		size_t before = inv->n_installs;
		int idx = add_binary(h, inv, PHP_SAPI_CLI, path, false);
		free(path);
		if (idx == -ENOENT)
			continue;
		if (idx < 0) {
			r = idx == -E2BIG ? 0 : idx;
			break;
		}
		inv->installs[idx].cron = true;
		if (inv->n_installs > before)
			r = ask_version(h, &inv->installs[idx], timeout_ms);
		break;
	}
	free(copy);
	return r;
}

static int read_pools(struct hu_host *h, struct php_inventory *inv, const char *pattern,
		      struct hu_findings *problems)
{
	struct hu_strv files = HU_STRV_INIT;
	struct hu_err err = HU_ERR_INIT;
	int r = hu_host_glob(h, pattern, 4096, &files, &err);

	if (r < 0 && r != -E2BIG) {
		hu_strv_clear(&files);
		hu_err_clear(&err);
		return r == -ENOMEM ? r : 0;
	}
	hu_err_clear(&err);
	r = 0;
	for (size_t i = 0; i < files.n && r >= 0; i++) {
		struct hu_file f = { 0 };
		struct hu_stat st;

		if (hu_host_stat(h, files.v[i], true, &st, NULL) == 0 && st.type == HU_FILE_DIR)
			continue;
		r = hu_host_read_file(h, files.v[i], PHP_POOL_MAX_BYTES, &f, &err);
		if (r < 0) {
			r = hu_findings_add(problems, HU_WARNING, "php.pool_config_error",
					    files.v[i], json_pack("{s:s}", "file", files.v[i]),
					    "cannot read PHP-FPM pool file: %s", hu_err_msg(&err));
			hu_err_clear(&err);
		} else if (f.truncated) {
			r = hu_findings_add(problems, HU_WARNING, "php.pool_config_error",
					    files.v[i], json_pack("{s:s}", "file", files.v[i]),
					    "%s: larger than %u bytes; not read", files.v[i],
					    PHP_POOL_MAX_BYTES);
		} else {
			r = php_pools_parse(files.v[i], f.data, f.len, inv, problems);
		}
		if (r == -E2BIG)
			r = 0;
		hu_file_clear(&f);
	}
	hu_strv_clear(&files);
	return r;
}

int php_inventory_build(struct hu_host *h, const struct php_find_conf *c, struct php_inventory *ret,
			struct hu_findings *problems)
{
	struct php_inventory inv = { 0 };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < c->cli_dirs.n; i++)
		r = scan_dir(h, &inv, PHP_SAPI_CLI, c->cli_dirs.v[i], "php");
	for (size_t i = 0; r >= 0 && i < c->binaries.n; i++) {
		r = add_binary(h, &inv, PHP_SAPI_CLI, c->binaries.v[i], true);
		if (r == -ENOENT) {
			r = hu_findings_add(
			    problems, HU_WARNING, "php.binary_missing", c->binaries.v[i],
			    json_pack("{s:s}", "binary", c->binaries.v[i]),
			    "configured PHP binary %s is not an executable file", c->binaries.v[i]);
		}
		if (r == -E2BIG)
			r = 0;
	}
	for (size_t i = 0; r >= 0 && i < c->fpm_dirs.n; i++)
		r = scan_dir(h, &inv, PHP_SAPI_FPM, c->fpm_dirs.v[i], "php-fpm");
	for (size_t i = 0; r >= 0 && i < inv.n_installs; i++)
		r = ask_version(h, &inv.installs[i], c->command_timeout_ms);
	if (r >= 0 && c->cron_path)
		r = find_cron_cli(h, &inv, c->cron_path, c->command_timeout_ms);
	for (size_t i = 0; r >= 0 && i < c->pool_globs.n; i++)
		r = read_pools(h, &inv, c->pool_globs.v[i], problems);
	if (r < 0) {
		php_inventory_clear(&inv);
		return r;
	}
	*ret = inv;
	return 0;
}

const struct php_install *php_inventory_find_branch(const struct php_inventory *inv,
						    enum php_sapi sapi, unsigned major,
						    unsigned minor)
{
	for (size_t i = 0; i < inv->n_installs; i++) {
		const struct php_install *in = &inv->installs[i];
		if (in->sapi == sapi && in->has_branch && in->major == major && in->minor == minor)
			return in;
	}
	return NULL;
}
