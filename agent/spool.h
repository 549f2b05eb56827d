/* SPDX-License-Identifier: MIT */
/*
 * The agent's spool (<state_dir>/spool): every document is written here
 * before it is sent (temporary file, fsync, rename, fsync of the
 * directory) and removed only when the collector has it. Files are named
 * <nanoseconds since 1970>-<document id>.json, so the name order is the age
 * order. Bounded in count and bytes: past either bound the oldest go, with
 * a warning. Documents the collector refuses for good move to
 * spool/refused, bounded the same way, for a person to look at.
 */
#ifndef HUOLTO_AGENT_SPOOL_H
#define HUOLTO_AGENT_SPOOL_H

#include <stdint.h>

#include "huolto/err.h"
#include "huolto/strv.h"

struct spool {
	char *dir;     /* <state_dir>/spool */
	char *refused; /* <state_dir>/spool/refused */
	int64_t max_documents;
	int64_t max_bytes;
};

/* Make (mode 0700) and tidy the spool: left-over temporary files go. */
int spool_open(const char *state_dir, int64_t max_documents, int64_t max_bytes, struct spool *ret,
	       struct hu_err *err);
void spool_close(struct spool *s);

/* Keep a document durably; then trim to the bounds (*ret_dropped: how many went). */
int spool_put(struct spool *s, const char *id, const char *text, size_t len, unsigned *ret_dropped,
	      struct hu_err *err);
/* The names waiting, oldest first. */
int spool_list(const struct spool *s, struct hu_strv *ret, struct hu_err *err);
/* Read one (at most max bytes). */
int spool_read(const struct spool *s, const char *name, size_t max, char **ret, size_t *ret_len,
	       struct hu_err *err);
/* Delivered: remove it. */
int spool_remove(const struct spool *s, const char *name, struct hu_err *err);
/* Refused for good: move it to spool/refused (trimmed to the same bounds). */
int spool_refuse(const struct spool *s, const char *name, struct hu_err *err);

#endif
