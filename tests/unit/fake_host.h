/* SPDX-License-Identifier: MIT */
/*
 * A host for unit tests: files, links and command answers held in memory.
 * Directories exist implicitly above every file.
 */
#ifndef HUOLTO_TESTS_FAKE_HOST_H
#define HUOLTO_TESTS_FAKE_HOST_H

#include "huolto/host.h"

struct hu_host *fake_host_new(void);

/* A regular file (mode 0644, or 0755 with fake_host_exec). */
void fake_host_file(struct hu_host *h, const char *path, const char *content);
void fake_host_exec(struct hu_host *h, const char *path);
/* path behaves as target when followed (same inode), like a symbolic link. */
void fake_host_link(struct hu_host *h, const char *path, const char *target);
/* A file that exists but cannot be read (-EACCES). */
void fake_host_unreadable(struct hu_host *h, const char *path);
/* What running argv (joined by single spaces) prints and exits with. */
void fake_host_command(struct hu_host *h, const char *argv_joined, const char *out, int exit_code);
/* Number of commands run so far. */
unsigned fake_host_runs(struct hu_host *h);
/* Number of read_file calls so far. */
unsigned fake_host_reads(struct hu_host *h);

#endif
