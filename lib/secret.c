/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "huolto/fileio.h"
#include "huolto/log.h"
#include "huolto/secret.h"

/* A secret file is a line or two; anything larger is not one. */
#define SECRET_FILE_MAX 4096

void hu_secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

int hu_secret_read_file(const char *path, char **ret, struct hu_err *err)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int r = hu_read_local_file(path, SECRET_FILE_MAX, &text, &len, NULL, err);

	if (r < 0)
		return r;
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		hu_log_warning("%s: readable by others (mode %03o): a secret file should be 0600",
			       path, (unsigned)(st.st_mode & 0777));
	char *p = text, *end;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	end = p + strcspn(p, " \t\r\n");
	if (end == p || memchr(text, 0, len)) {
		hu_secret_free(text);
		return hu_err_set(err, -EINVAL, "%s: no secret in the file (its first word is one)",
				  path);
	}
	*end = 0;
	memmove(text, p, (size_t)(end - p) + 1);
	*ret = text;
	return 0;
}
