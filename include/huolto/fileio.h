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

/*
 * Read all of path (at most max bytes: -EFBIG beyond). *ret_data is
 * NUL-terminated and the caller frees it. ret_mtime may be NULL.
 */
int hu_read_local_file(const char *path, size_t max, char **ret_data, size_t *ret_len,
		       int64_t *ret_mtime, struct hu_err *err);

#endif
