/* SPDX-License-Identifier: MIT */
/*
 * cms_floor: of bench/cms.sh. The least work any inventory of the bench's
 * trees can do: list the directories and read the first 8 KiB of the files
 * that huolto-agent listed and read (the bench takes them from strace), and
 * nothing else, on THREADS threads. Its wall time, process start included,
 * is the floor for this machine.
 *
 *   cms_floor THREADS LIST
 *
 * LIST holds a line per path: "d PATH" to list, "f PATH" to read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "huolto/fileio.h"

#define MAX_THREADS 64
#define CHUNK       32
#define HEADER      8192

struct work {
	char **paths; /* each "d PATH" or "f PATH", in place in the list */
	size_t n;
	atomic_size_t next;
	atomic_size_t failed;
};

static int one(const char *line)
{
	const char *path = line + 2;

	if (line[0] == 'd') {
		DIR *d = opendir(path);
		if (!d)
			return -errno;
		while (readdir(d))
			;
		closedir(d);
		return 0;
	}
	char buf[HEADER];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? -errno : 0;
}

static void *worker(void *arg)
{
	struct work *w = arg;

	for (;;) {
		size_t from = atomic_fetch_add(&w->next, CHUNK);
		if (from >= w->n)
			return NULL;
		for (size_t i = from; i < w->n && i < from + CHUNK; i++)
			if (one(w->paths[i]) < 0)
				atomic_fetch_add(&w->failed, 1);
	}
}

int main(int argc, char **argv)
{
	struct hu_err err = HU_ERR_INIT;
	struct work w = { 0 };
	pthread_t tid[MAX_THREADS];
	char *text = NULL, *end;
	size_t len = 0, started = 0, cap = 0;
	long threads;

	if (argc != 3 || (threads = strtol(argv[1], &end, 10)) < 1 || *end ||
	    threads > MAX_THREADS) {
		fprintf(stderr, "usage: cms_floor THREADS(1-%d) LIST\n", MAX_THREADS);
		return 2;
	}
	if (hu_read_local_file(argv[2], 64u << 20, &text, &len, NULL, &err) < 0) {
		fprintf(stderr, "%s\n", hu_err_msg(&err));
		hu_err_clear(&err);
		return 2;
	}
	for (char *p = text, *nl; p < text + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (!nl)
			nl = text + len;
		*nl = '\0';
		if (nl - p < 3 || (p[0] != 'd' && p[0] != 'f') || p[1] != ' ')
			continue;
		if (w.n == cap) {
			cap = cap ? 2 * cap : 1024;
			char **v = realloc(w.paths, cap * sizeof(*v));
			if (!v) {
				fprintf(stderr, "out of memory\n");
				free(w.paths);
				free(text);
				return 2;
			}
			w.paths = v;
		}
		w.paths[w.n++] = p;
	}
	while (started + 1 < (size_t)threads &&
	       pthread_create(&tid[started], NULL, worker, &w) == 0)
		started++;
	worker(&w);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	printf("%zu paths, %zu failed\n", w.n, (size_t)atomic_load(&w.failed));
	free(w.paths);
	free(text);
	return 0;
}
