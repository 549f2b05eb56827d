/* SPDX-License-Identifier: MIT */
/* What the lints of the dns check share: adding findings, failed lookups. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dnslint.h"

int dns_vadd(struct hu_findings *out, const char *domain, enum hu_status st, const char *code,
	     json_t *facts, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (facts)
		json_object_set_new(facts, "domain", json_string(domain));
	int r = hu_findings_add(out, st, code, domain, facts, "%s", msg);
	return r == -E2BIG ? 0 : r;
}

int dns_add(struct hu_findings *out, const char *domain, enum hu_status st, const char *code,
	    json_t *facts, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = dns_vadd(out, domain, st, code, facts, fmt, ap);
	va_end(ap);
	return r;
}

bool dns_failed(int status)
{
	return status < 0 && status != -ENOENT && status != -ENODATA;
}

int dns_unresolved(struct hu_findings *out, const char *domain, const char *name, enum dv_type t,
		   int status)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].code, "dns.unresolved") &&
		    !strcmp(json_string_value(json_object_get(out->v[i].facts, "name")), name) &&
		    !strcmp(json_string_value(json_object_get(out->v[i].facts, "type")),
			    dv_type_name(t)))
			return 0;
	int r = hu_findings_add(out, HU_UNKNOWN, "dns.unresolved", domain,
				json_pack("{s:s, s:s, s:s, s:s}", "domain", domain, "name", name,
					  "type", dv_type_name(t), "error",
					  hu_resolver_status_name(status)),
				"%s %s lookup failed (%s): cannot tell", name, dv_type_name(t),
				hu_resolver_status_name(status));
	return r == -E2BIG ? 0 : r;
}
