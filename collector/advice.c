/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>

#include "advice.h"

struct advice {
	const char *code; /* "tls.expired", or an area "tls." */
	const char *text;
};

/* Exact codes first; an area's entry (ending in '.') catches the rest of it. */
static const struct advice table[] = {
	{ "agent.silent", "Check that the server is up and that huolto-agent.timer runs there "
			  "(systemctl status huolto-agent.timer; journalctl -u huolto-agent)." },
	{ "tls.expired", "Renew the certificate now and reload the web server; check why the "
			 "automatic renewal (certbot, acme.sh) did not run." },
	{ "tls.expires_soon", "Check that automatic renewal works (certbot renew --dry-run) or "
			      "renew the certificate by hand." },
	{ "tls.not_yet_valid", "Check the server's clock and the certificate's start date." },
	{ "tls.hostname_mismatch", "Issue a certificate that covers this name, or fix the web "
				   "server's certificate for this site." },
	{ "tls.chain_incomplete", "Install the full chain (fullchain.pem, not cert.pem) in the web "
				  "server and reload it." },
	{ "tls.self_signed", "Replace the self-signed certificate with one from a public CA." },
	{ "tls.untrusted", "Replace the certificate with one from a public CA, with its chain." },
	{ "tls.unreachable", "Check that the web server runs and that the firewall lets HTTPS "
			     "through." },
	{ "tls.handshake_failed", "Look at the web server's TLS configuration and error log." },
	{ "tls.disk_key_mismatch", "The key on disk does not belong to the certificate: install "
				   "the matching pair and reload the web server." },
	{ "tls.", "Look at the site's certificate and its renewal." },
	{ "php.eol", "Move the site to a supported PHP branch after testing it there." },
	{ "php.eol_soon", "Plan the move to a newer PHP branch before support ends." },
	{ "php.", "Look at the PHP installation that serves the site." },
	{ "db.connections_refused", "Raise the account's max_user_connections or find what holds "
				    "connections open (SHOW PROCESSLIST)." },
	{ "db.connections_near_limit", "Find what holds connections (SHOW PROCESSLIST) and raise "
				       "max_connections if the load is real." },
	{ "db.user_connections_near_limit", "Find what holds the account's connections and raise "
					    "its max_user_connections if the load is real." },
	{ "db.auth_failed", "Check the database user and password in the CMS configuration." },
	{ "db.unreachable", "Check that the database server runs and accepts connections from "
			    "the site." },
	{ "db.", "Look at the site's database account and server." },
	{ "spf.", "Fix the domain's SPF TXT record; mail from the domain may be refused." },
	{ "dmarc.", "Fix the domain's _dmarc TXT record." },
	{ "mx.", "Fix the domain's MX records; mail to the domain may be lost." },
	{ "dns.", "Check the domain's name servers." },
	{ "cms.", "Look at the site's CMS files on the server." },
	{ "discovery.", "Fix the web server configuration file named in the facts." },
	{ "check.failed", "Read the error in the facts and the agent's journal." },
};

const char *advice_for(const char *code)
{
	const char *area = NULL;

	if (!code)
		return "Look at the finding's facts.";
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		size_t n = strlen(table[i].code);
		if (table[i].code[n - 1] != '.') {
			if (strcmp(code, table[i].code) == 0)
				return table[i].text;
		} else if (!area && strncmp(code, table[i].code, n) == 0) {
			area = table[i].text;
		}
	}
	return area ? area : "Look at the finding's facts.";
}
