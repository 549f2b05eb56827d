/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

#include "site_findings.h"

void site_findings_clear(struct site_findings *sf)
{
	for (size_t i = 0; sf->v && i < sf->n; i++)
		hu_findings_clear(&sf->v[i]);
	free(sf->v);
	*sf = (struct site_findings){ 0 };
}

int site_findings_reset(struct site_findings *sf, const struct hu_sites *sites)
{
	site_findings_clear(sf);
	sf->v = calloc(sites->n ? sites->n : 1, sizeof(*sf->v));
	if (!sf->v)
		return -ENOMEM;
	sf->sites = sites;
	sf->n = sites->n;
	return 0;
}

int site_findings_take(struct site_findings *sf, const char *check, const struct hu_site *site,
		       struct hu_findings *out, struct hu_err *err)
{
	for (size_t i = 0; i < sf->n; i++)
		if (sf->sites->v[i] == site)
			return hu_findings_move(out, &sf->v[i]);
	return hu_err_set(err, -EINVAL, "the %s check's server part did not see site %s", check,
			  site->name);
}
