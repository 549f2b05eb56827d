/* SPDX-License-Identifier: MIT */
/*
 * Findings a check makes for every site at once in its server part (the
 * tls and dns checks work on all sites together), kept until its site part
 * hands each site its own.
 */
#ifndef HUOLTO_CHECKS_SITE_FINDINGS_H
#define HUOLTO_CHECKS_SITE_FINDINGS_H

#include "huolto/err.h"
#include "huolto/finding.h"
#include "huolto/site.h"

struct site_findings {
	const struct hu_sites *sites; /* not owned */
	struct hu_findings *v;        /* per index of sites */
	size_t n;
};

/* Drop what was kept and make an empty list for each of sites. 0 or -ENOMEM. */
int site_findings_reset(struct site_findings *sf, const struct hu_sites *sites);
void site_findings_clear(struct site_findings *sf);

/* The list of the site at index i of sites. */
static inline struct hu_findings *site_findings_at(struct site_findings *sf, size_t i)
{
	return &sf->v[i];
}

/* Move site's findings to out; an error naming check if the server part did not see it. */
int site_findings_take(struct site_findings *sf, const char *check, const struct hu_site *site,
		       struct hu_findings *out, struct hu_err *err);

#endif
