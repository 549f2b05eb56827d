/* SPDX-License-Identifier: MIT */
/*
 * Reading huolto's own files (configuration, data tables) on the local
 * machine. Files of the checked host are read through struct hu_host.
 */
#ifndef HUOLTO_FILEIO_H
#define HUOLTO_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "huolto/err.h"
#include "huolto/host.h"

/*
 * Read the first max bytes of a regular file (ret->truncated says whether
 * there was more). Refuses directories (-EISDIR) and other non-regular
 * files (-EINVAL) without blocking on them. ret_mtime may be NULL.
 */
int hu_read_local_prefix(const char *path, size_t max, struct hu_file *ret, int64_t *ret_mtime,
			 struct hu_err *err);

/*
 * Read all of path (at most max bytes: -EFBIG beyond). *ret_data is
 * NUL-terminated and the caller frees it. ret_mtime may be NULL.
 */
int hu_read_local_file(const char *path, size_t max, char **ret_data, size_t *ret_len,
		       int64_t *ret_mtime, struct hu_err *err);

/*
 * Write len bytes of data to path whole or not at all: into "path.part",
 * fsync, rename over path.
 */
int hu_write_local_file(const char *path, const void *data, size_t len, struct hu_err *err);

#endif
