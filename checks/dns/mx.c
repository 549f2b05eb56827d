/* SPDX-License-Identifier: MIT */
/*
 * MX: the mail exchangers of a domain and whether mail can reach them:
 * a null MX (RFC 7505) alone or mixed, exchanges that are IP literals,
 * CNAMEs (RFC 2181 10.3), or have no address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dnslint.h"

int mx_lint(const struct dns_lint_ctx *c, const char *domain, struct hu_findings *out)
{
	const struct dv_answer *mx;
	unsigned char ip[16];
	int r = dv_get(c->dv, DV_MX, domain, &mx);
	int problems = 0;
	bool incomplete = false, null_mx = false;

	if (r < 0)
		return r == -EINVAL ? 0 : r;
	if (dns_failed(mx->status))
		return dns_unresolved(out, domain, domain, DV_MX, mx->status);
	if (mx->status < 0)
		return dns_add(out, domain, HU_WARNING, "mx.missing", json_object(),
			       "%s has no MX record: mail to it goes to its A/AAAA address, if any",
			       domain);
	json_t *list = json_array();
	for (size_t i = 0; i < mx->items.n; i++) {
		null_mx |= !strcmp(mx->items.v[i], ".");
		json_array_append_new(list, json_pack("{s:i, s:s}", "preference",
						      (json_int_t)mx->prefs[i], "exchange",
						      mx->items.v[i]));
	}
	if (null_mx && mx->items.n == 1) {
		r = dns_add(out, domain, HU_OK, "mx.null",
			    json_pack("{s:o, s:b}", "mx", list, "null", 1),
			    "%s publishes a null MX (RFC 7505): it receives no mail", domain);
		return r;
	}
	r = 0;
	if (null_mx) {
		problems++;
		r = dns_add(
		    out, domain, HU_CRITICAL, "mx.null_mixed", json_pack("{s:O}", "mx", list),
		    "%s has a null MX beside other MX records: RFC 7505 allows it only alone",
		    domain);
	}
	for (size_t i = 0; r >= 0 && i < mx->items.n; i++) {
		const char *x = mx->items.v[i];
		const struct dv_answer *a, *aaaa;
		if (!strcmp(x, "."))
			continue;
		if (inet_pton(AF_INET, x, ip) == 1 || inet_pton(AF_INET6, x, ip) == 1) {
			problems++;
			r = dns_add(
			    out, domain, HU_CRITICAL, "mx.ip_literal",
			    json_pack("{s:s, s:O}", "exchange", x, "mx", list),
			    "%s's MX names an IP address (%s) instead of a host name: senders "
			    "look it up as a name and fail",
			    domain, x);
			continue;
		}
		int ra = dv_get(c->dv, DV_A, x, &a), rb = dv_get(c->dv, DV_AAAA, x, &aaaa);
		if (ra == -EAGAIN || rb == -EAGAIN) {
			incomplete = true;
			continue;
		}
		if (ra < 0 || rb < 0)
			continue;
		if (dns_failed(a->status) || dns_failed(aaaa->status)) {
			problems++;
			r = dns_unresolved(out, domain, x, dns_failed(a->status) ? DV_A : DV_AAAA,
					   dns_failed(a->status) ? a->status : aaaa->status);
			continue;
		}
		if (a->alias || aaaa->alias) {
			problems++;
			r = dns_add(
			    out, domain, HU_WARNING, "mx.cname",
			    json_pack("{s:s, s:O}", "exchange", x, "mx", list),
			    "%s's MX %s is an alias (CNAME); an MX must name a host (RFC 2181 "
			    "10.3)",
			    domain, x);
		}
		if (r >= 0 && a->status < 0 && aaaa->status < 0) {
			problems++;
			r = dns_add(out, domain, HU_CRITICAL, "mx.no_address",
				    json_pack("{s:s, s:O}", "exchange", x, "mx", list),
				    "%s's MX %s has no address (A or AAAA): mail to %s cannot be "
				    "delivered there",
				    domain, x, domain);
		}
	}
	if (r >= 0 && incomplete)
		r = -EAGAIN;
	if (r >= 0 && problems == 0)
		r = dns_add(out, domain, HU_OK, "mx.ok", json_pack("{s:O}", "mx", list),
			    "%s has %zu MX record%s, each with an address", domain, mx->items.n,
			    mx->items.n == 1 ? "" : "s");
	json_decref(list);
	return r;
}
