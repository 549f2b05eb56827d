/* SPDX-License-Identifier: MIT */
/*
 * A DNS zone held in memory that answers a struct dnsview at once (unit
 * tests of the dns check). The rules are those of the RFC 7208 suite
 * (../shared/spf/README.md):
 *   an SPF entry is also served as TXT unless the name has its own TXT entry;
 *   a failure entry (fake_zone_fail) makes every type that has no records
 *   at that name fail with its status (as pyspf's harness does: a type
 *   listed as "NONE" fails too);
 *   a name missing from the zone is NXDOMAIN, a present name without the
 *   type answers no records (NODATA);
 *   CNAME entries are followed, marking the answer an alias (a loop, or more
 *   than 8, is SERVFAIL).
 */
#ifndef HUOLTO_TESTS_FAKE_ZONE_H
#define HUOLTO_TESTS_FAKE_ZONE_H

#include <stdbool.h>
#include <stddef.h>

#include "dns/dnsview.h"

struct fake_rr {
	char name[256];   /* lowercase, no trailing dot */
	char type[16];    /* A AAAA TXT SPF MX PTR CNAME */
	char value[1024]; /* TXT/SPF: strings joined; MX: "pref name"; "NONE": no record */
	int fail;         /* a failure entry: -ETIMEDOUT, -EIO, -ECONNREFUSED */
};

struct fake_zone {
	struct fake_rr *v;
	size_t n;
};

/* Add a record. value is copied (cut to fit); a NUL in it cannot be given here. */
void fake_zone_add(struct fake_zone *z, const char *name, const char *type, const char *value);
/* Add a record whose value may hold NULs (n bytes), as the suite's zones do. */
void fake_zone_add_bytes(struct fake_zone *z, const char *name, const char *type, const void *value,
			 size_t n);
/* Make every type without records at name fail with status. */
void fake_zone_fail(struct fake_zone *z, const char *name, int status);
void fake_zone_clear(struct fake_zone *z);

/* A struct dv_source fill function; arg is a struct fake_zone. */
int fake_zone_fill(void *arg, enum dv_type t, const char *qname, struct dv_answer *a);

#endif
