/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "huolto/host.h"
#include "huolto/clock.h"

struct fixture {
	struct hu_host *h;
	char dir[64];
};

static void write_file(const char *dir, const char *name, const char *content)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char p[256];

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/huolto-host-XXXXXX");
	if (!mkdtemp(fx->dir) || hu_host_local_new(&fx->h) < 0)
		return -1;
	write_file(fx->dir, "small", "hello\n");
	write_file(fx->dir, "ten", "0123456789");
	snprintf(p, sizeof(p), "%s/conf.d", fx->dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sub", fx->dir);
	mkdir(p, 0755);
	write_file(fx->dir, "conf.d/b.conf", "b");
	write_file(fx->dir, "conf.d/a.conf", "a");
	write_file(fx->dir, "conf.d/.hidden.conf", "h");
	write_file(fx->dir, "conf.d/c.txt", "c");
	write_file(fx->dir, "sub/x.conf", "x");
	snprintf(p, sizeof(p), "%s/conf.d/link.conf", fx->dir);
	if (symlink("../sub/x.conf", p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/fifo", fx->dir);
	if (mkfifo(p, 0600) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	hu_host_free(fx->h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static void read_bounded(void **state)
{
	struct fixture *fx = *state;
	struct hu_file f = { 0 };
	struct hu_err err = HU_ERR_INIT;
	char p[256];

	snprintf(p, sizeof(p), "%s/small", fx->dir);
	assert_int_equal(hu_host_read_file(fx->h, p, 100, &f, &err), 0);
	assert_string_equal(f.data, "hello\n");
	assert_false(f.truncated);
	hu_file_clear(&f);

	snprintf(p, sizeof(p), "%s/ten", fx->dir);
	assert_int_equal(hu_host_read_file(fx->h, p, 10, &f, &err), 0);
	assert_int_equal(f.len, 10);
	assert_false(f.truncated); /* exactly max is not truncated */
	hu_file_clear(&f);
	assert_int_equal(hu_host_read_file(fx->h, p, 4, &f, &err), 0);
	assert_string_equal(f.data, "0123");
	assert_true(f.truncated);
	hu_file_clear(&f);

	/* Empty, and a file that says its size is 0 but has more (as /proc's do). */
	snprintf(p, sizeof(p), "%s/empty", fx->dir);
	write_file(fx->dir, "empty", "");
	assert_int_equal(hu_host_read_file(fx->h, p, 10, &f, &err), 0);
	assert_int_equal(f.len, 0);
	assert_string_equal(f.data, "");
	assert_false(f.truncated);
	hu_file_clear(&f);
	assert_int_equal(hu_host_read_file(fx->h, "/proc/self/status", 1 << 20, &f, &err), 0);
	assert_true(f.len > 100);
	assert_int_equal(strlen(f.data), f.len);
	assert_non_null(strstr(f.data, "Name:"));
	assert_false(f.truncated);
	hu_file_clear(&f);
	assert_int_equal(hu_host_read_file(fx->h, "/proc/self/status", 5, &f, &err), 0);
	assert_int_equal(f.len, 5);
	assert_true(f.truncated);
	hu_file_clear(&f);
	/* Larger than a first buffer of 4 KiB, unsized: grown as it is read. */
	assert_int_equal(hu_host_read_file(fx->h, "/proc/self/maps", 1 << 20, &f, &err), 0);
	assert_int_equal(strlen(f.data), f.len);
	assert_true(f.len > 0 && f.data[f.len - 1] == '\n'); /* to the end */
	hu_file_clear(&f);

	snprintf(p, sizeof(p), "%s/fifo", fx->dir);
	assert_int_equal(hu_host_read_file(fx->h, p, 10, &f, &err), -EINVAL);
	assert_non_null(strstr(hu_err_msg(&err), "not a regular file"));
	assert_int_equal(hu_host_read_file(fx->h, fx->dir, 10, &f, &err), -EISDIR);
	snprintf(p, sizeof(p), "%s/absent", fx->dir);
	assert_int_equal(hu_host_read_file(fx->h, p, 10, &f, &err), -ENOENT);
	assert_non_null(strstr(hu_err_msg(&err), "No such file"));
	hu_err_clear(&err);
}

static void list_and_stat(void **state)
{
	struct fixture *fx = *state;
	struct hu_dir names = HU_DIR_INIT;
	struct hu_stat st, lst;
	char p[256];

	snprintf(p, sizeof(p), "%s/conf.d", fx->dir);
	assert_int_equal(hu_host_list_dir(fx->h, p, &names, NULL), 0);
	assert_int_equal(names.n, 5);
	hu_dir_sort(&names);
	for (size_t i = 0; i < names.n; i++) {
		/* The listing's own type (links not followed), or the stat's. */
		char q[512];
		snprintf(q, sizeof(q), "%s/%s", p, names.v[i].name);
		assert_int_equal(hu_host_stat(fx->h, q, false, &lst, NULL), 0);
		if (names.v[i].type != HU_FILE_UNKNOWN)
			assert_int_equal(names.v[i].type, lst.type);
		assert_int_equal(hu_host_entry_type(fx->h, q, names.v[i].type),
				 hu_host_stat(fx->h, q, true, &st, NULL) == 0 ? st.type
									      : HU_FILE_OTHER);
	}
	hu_dir_clear(&names);
	snprintf(p, sizeof(p), "%s/conf.d/link.conf", fx->dir);
	assert_int_equal(hu_host_stat(fx->h, p, true, &st, NULL), 0);
	assert_int_equal(st.type, HU_FILE_REGULAR);
	assert_int_equal(hu_host_stat(fx->h, p, false, &lst, NULL), 0);
	assert_int_equal(lst.type, HU_FILE_SYMLINK);
	assert_int_not_equal(st.ino, lst.ino);
}

static void glob(void **state)
{
	struct fixture *fx = *state;
	struct hu_strv m = HU_STRV_INIT;
	struct hu_err err = HU_ERR_INIT;
	char pat[256], want[256];

	snprintf(pat, sizeof(pat), "%s/conf.d/*.conf", fx->dir);
	assert_int_equal(hu_host_glob(fx->h, pat, 100, &m, &err), 0);
	assert_int_equal(m.n, 3); /* a, b, link; not .hidden, not c.txt */
	snprintf(want, sizeof(want), "%s/conf.d/a.conf", fx->dir);
	assert_string_equal(m.v[0], want);
	snprintf(want, sizeof(want), "%s/conf.d/link.conf", fx->dir);
	assert_string_equal(m.v[2], want);
	hu_strv_clear(&m);

	snprintf(pat, sizeof(pat), "%s/*/x.conf", fx->dir);
	assert_int_equal(hu_host_glob(fx->h, pat, 100, &m, &err), 0);
	assert_int_equal(m.n, 1);
	hu_strv_clear(&m);

	snprintf(pat, sizeof(pat), "%s/small", fx->dir);
	assert_int_equal(hu_host_glob(fx->h, pat, 100, &m, &err), 0);
	assert_int_equal(m.n, 1);
	hu_strv_clear(&m);
	snprintf(pat, sizeof(pat), "%s/nothing*", fx->dir);
	assert_int_equal(hu_host_glob(fx->h, pat, 100, &m, &err), 0);
	assert_int_equal(m.n, 0);

	snprintf(pat, sizeof(pat), "%s/conf.d/*", fx->dir);
	assert_int_equal(hu_host_glob(fx->h, pat, 2, &m, &err), -E2BIG);
	assert_int_equal(m.n, 2);
	hu_strv_clear(&m);
	assert_int_equal(hu_host_glob(fx->h, "relative/*", 2, &m, &err), -EINVAL);
	hu_err_clear(&err);
}

static void run(void **state)
{
	struct fixture *fx = *state;
	struct hu_run_result res = { 0 };
	struct hu_err err = HU_ERR_INIT;

	const char *echo[] = { "/bin/echo", "a; echo b", "$HOME", NULL };
	assert_int_equal(hu_host_run(fx->h, echo, NULL, &res, &err), 0);
	assert_string_equal(res.out, "a; echo b $HOME\n"); /* no shell */
	assert_int_equal(res.exit_code, 0);
	hu_run_result_clear(&res);

	const char *fail[] = { "/bin/sh", "-c", "echo oops >&2; exit 3", NULL };
	assert_int_equal(hu_host_run(fx->h, fail, NULL, &res, &err), 0);
	assert_int_equal(res.exit_code, 3);
	assert_string_equal(res.err, "oops\n");
	hu_run_result_clear(&res);

	const char *env[] = { "/usr/bin/env", NULL };
	assert_int_equal(hu_host_run(fx->h, env, NULL, &res, &err), 0);
	assert_non_null(strstr(res.out, "LC_ALL=C"));
	assert_null(strstr(res.out, "HOME="));
	hu_run_result_clear(&res);

	const char *big[] = { "/bin/sh", "-c", "head -c 100000 /dev/zero", NULL };
	struct hu_run_opts capped = { .max_output = 1000 };
	assert_int_equal(hu_host_run(fx->h, big, &capped, &res, &err), 0);
	assert_int_equal(res.out_len, 1000);
	assert_true(res.truncated);
	if (res.exit_code != 0)
		fail_msg("exit %d, stderr: %s", res.exit_code, res.err);
	hu_run_result_clear(&res);

	/* A command that never ends, with a child that holds the pipe: one timeout. */
	const char *hang[] = { "/bin/sh", "-c", "sleep 30 & sleep 30", NULL };
	struct hu_run_opts quick = { .timeout_ms = 300 };
	int64_t t0 = hu_mono_ms();
	assert_int_equal(hu_host_run(fx->h, hang, &quick, &res, &err), 0);
	assert_true(hu_mono_ms() - t0 < 10000); /* the sleep would take 30 s */
	assert_true(res.timed_out);
	assert_int_equal(res.exit_code, -1);
	assert_int_equal(res.term_signal, SIGKILL);
	hu_run_result_clear(&res);

	const char *sig[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	assert_int_equal(hu_host_run(fx->h, sig, NULL, &res, &err), 0);
	assert_int_equal(res.term_signal, SIGTERM);
	assert_false(res.timed_out);
	hu_run_result_clear(&res);

	const char *missing[] = { "/nonexistent/php", "-v", NULL };
	assert_int_equal(hu_host_run(fx->h, missing, NULL, &res, &err), -ENOENT);
	assert_non_null(strstr(hu_err_msg(&err), "/nonexistent/php"));
	const char *relative[] = { "php", "-v", NULL };
	assert_int_equal(hu_host_run(fx->h, relative, NULL, &res, &err), -EINVAL);
	hu_err_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_bounded),
		cmocka_unit_test(list_and_stat),
		cmocka_unit_test(glob),
		cmocka_unit_test(run),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
