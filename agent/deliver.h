/* SPDX-License-Identifier: MIT */
/* Sending what waits in the spool, oldest first, until it is empty or the collector is out of
 * reach. */
#ifndef HUOLTO_AGENT_DELIVER_H
#define HUOLTO_AGENT_DELIVER_H

#include "spool.h"
#include "submit.h"

struct deliver_stats {
	unsigned sent;    /* taken: stored, or a duplicate of one stored before */
	unsigned refused; /* refused for good (400, 403, 413, 415): moved to spool/refused */
	unsigned waiting; /* still in the spool */
};

/*
 * 0 when the spool is empty afterwards; -EAGAIN when documents wait for a
 * later run (the collector unreachable, busy, failing, or refusing the
 * credential: err says why); other errors from the spool.
 */
int deliver_spool(const struct spool *sp, struct submit *sub, size_t max_doc,
		  struct deliver_stats *ret, struct hu_err *err);

#endif
