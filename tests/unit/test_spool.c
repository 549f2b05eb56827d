/* SPDX-License-Identifier: MIT */
/* The agent's spool: durable order, bounds by count and bytes, left-overs, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "huolto/log.h"
#include "spool.h"

struct fixture {
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/huolto-spool.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static const char *id(int i)
{
	static char buf[8][40];
	char *b = buf[i % 8];

	snprintf(b, 40, "00000000-0000-4000-8000-%012d", i);
	return b;
}

static void put(struct spool *sp, int i, size_t len, unsigned *dropped)
{
	char *text = malloc(len + 1);
	struct hu_err err = HU_ERR_INIT;

	memset(text, 'x', len);
	text[len] = 0;
	assert_int_equal(spool_put(sp, id(i), text, len, dropped, &err), 0);
	free(text);
}

static void oldest_first_and_bounded_by_count(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	struct spool sp;
	struct hu_strv names = HU_STRV_INIT;
	unsigned dropped = 0;

	assert_int_equal(spool_open(f->dir, 3, 1 << 20, &sp, &err), 0);
	for (int i = 1; i <= 5; i++)
		put(&sp, i, 100, &dropped);
	assert_int_equal(dropped, 2);
	assert_int_equal(spool_list(&sp, &names, &err), 0);
	assert_int_equal(names.n, 3);
	/* The two oldest went; the rest in the order they came. */
	for (size_t i = 0; i < 3; i++)
		assert_non_null(strstr(names.v[i], id((int)i + 3)));
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(spool_read(&sp, names.v[0], 1000, &text, &len, &err), 0);
	assert_int_equal(len, 100);
	free(text);
	assert_int_equal(spool_read(&sp, names.v[0], 50, &text, &len, &err) < 0, 1);
	hu_err_clear(&err);
	assert_int_equal(spool_remove(&sp, names.v[0], &err), 0);
	hu_strv_clear(&names);
	assert_int_equal(spool_list(&sp, &names, &err), 0);
	assert_int_equal(names.n, 2);
	hu_strv_clear(&names);
	spool_close(&sp);
}

static void bounded_by_bytes(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	struct spool sp;
	struct hu_strv names = HU_STRV_INIT;
	unsigned dropped = 0;

	assert_int_equal(spool_open(f->dir, 100, 1000, &sp, &err), 0);
	for (int i = 1; i <= 4; i++)
		put(&sp, i, 400, &dropped);
	assert_int_equal(dropped, 2); /* 1600 bytes: two go, 800 stay */
	assert_int_equal(spool_list(&sp, &names, &err), 0);
	assert_int_equal(names.n, 2);
	assert_non_null(strstr(names.v[0], id(3)));
	hu_strv_clear(&names);
	spool_close(&sp);
}

static void leftovers_and_refused(void **state)
{
	struct fixture *f = *state;
	struct hu_err err = HU_ERR_INIT;
	struct spool sp;
	struct hu_strv names = HU_STRV_INIT;
	char path[1024];
	struct stat st;

	assert_int_equal(spool_open(f->dir, 10, 1 << 20, &sp, &err), 0);
	/* Directories are private. */
	assert_int_equal(stat(sp.dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	put(&sp, 1, 10, NULL);
	spool_close(&sp);
	/* A temporary file left by a crash goes when the spool is opened again. */
	snprintf(path, sizeof(path), "%s/spool/.tmp-%s", f->dir, id(2));
	FILE *tmp = fopen(path, "w");
	assert_non_null(tmp);
	fclose(tmp);
	assert_int_equal(spool_open(f->dir, 10, 1 << 20, &sp, &err), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(spool_list(&sp, &names, &err), 0);
	assert_int_equal(names.n, 1);
	assert_int_equal(spool_refuse(&sp, names.v[0], &err), 0);
	snprintf(path, sizeof(path), "%s/%s", sp.refused, names.v[0]);
	assert_int_equal(access(path, F_OK), 0);
	hu_strv_clear(&names);
	assert_int_equal(spool_list(&sp, &names, &err), 0);
	assert_int_equal(names.n, 0);
	/* An id that could leave the directory is refused. */
	assert_true(spool_put(&sp, "../x", "{}", 2, NULL, &err) < 0);
	hu_err_clear(&err);
	spool_close(&sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(oldest_first_and_bounded_by_count, setup, teardown),
		cmocka_unit_test_setup_teardown(bounded_by_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(leftovers_and_refused, setup, teardown),
	};

	hu_log_setup("test_spool", HU_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
