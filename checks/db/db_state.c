/* SPDX-License-Identifier: MIT */
/*
 * Counters kept between runs in the agent's state directory, so that a
 * growing Connection_errors_max_connections can be told from an old one:
 * a JSON object, one entry per server, written to a temporary file,
 * flushed and renamed over the old one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "huolto/fileio.h"
#include "db.h"

#define STATE_MAX (1u << 20)

json_t *db_state_load(const char *path, struct hu_err *err)
{
	char *text = NULL;
	size_t len = 0;
	json_t *s = NULL;
	json_error_t je;
	int r = hu_read_local_file(path, STATE_MAX, &text, &len, NULL, err);

	if (r == -ENOENT) {
		hu_err_clear(err);
		return json_object();
	}
	if (r < 0)
		return NULL;
	s = json_loadb(text, len, 0, &je);
	free(text);
	if (!json_is_object(s)) {
		json_decref(s);
		/* A damaged file costs one run's comparison, nothing more. */
		hu_err_set(err, -EINVAL, "%s: not a state file (line %d: %s); starting afresh",
			   path, je.line, je.text);
		return NULL;
	}
	return s;
}

int db_state_save(const char *path, json_t *state, struct hu_err *err)
{
	char *tmp = NULL, *text = json_dumps(state, JSON_SORT_KEYS | JSON_INDENT(1));
	int fd = -1, r = 0;

	if (!text || asprintf(&tmp, "%s.tmp", path) < 0) {
		free(text);
		return -ENOMEM;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = hu_err_errno(err, errno, "%s", tmp);
		goto out;
	}
	size_t n = strlen(text);
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) < 0) {
		r = hu_err_errno(err, errno, "%s", tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = hu_err_errno(err, errno, "%s", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		r = hu_err_errno(err, errno, "%s", path);
out:
	if (fd >= 0)
		close(fd);
	if (r < 0)
		unlink(tmp);
	free(tmp);
	free(text);
	return r;
}

struct db_counter db_state_get(json_t *state, const char *server)
{
	json_t *e = json_object_get(state, server);
	json_t *up = json_object_get(e, "uptime"), *ref = json_object_get(e, "refused");

	if (!json_is_integer(up) || !json_is_integer(ref))
		return (struct db_counter){ .known = false };
	return (struct db_counter){ .uptime = json_integer_value(up),
				    .refused = json_integer_value(ref),
				    .known = true };
}

int db_state_set(json_t *state, const char *server, const struct db_counter *c, time_t now)
{
	json_t *e = json_pack("{s:I,s:I,s:I}", "uptime", (json_int_t)c->uptime, "refused",
			      (json_int_t)c->refused, "at", (json_int_t)now);

	return e && json_object_set_new(state, server, e) == 0 ? 0 : -ENOMEM;
}
