/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>

#include "advice.h"

/* Marked for xgettext: the reports show these translated (report_site.c). */
#define N_(s) s

struct advice {
	const char *code; /* "tls.expired", or an area "tls." */
	const char *text;
};

/* Exact codes first; an area's entry (ending in '.') catches the rest of it. */
static const struct advice table[] = {
	{ "agent.silent",
	  N_("Check that the server is up and that huolto-agent.timer runs there "
	     "(systemctl status huolto-agent.timer; journalctl -u huolto-agent).") },
	{ "tls.expired", N_("Renew the certificate now and reload the web server; check why the "
			    "automatic renewal (certbot, acme.sh) did not run.") },
	{ "tls.expires_soon", N_("Check that automatic renewal works (certbot renew --dry-run) or "
				 "renew the certificate by hand.") },
	{ "tls.not_yet_valid", N_("Check the server's clock and the certificate's start date.") },
	{ "tls.hostname_mismatch", N_("Issue a certificate that covers this name, or fix the web "
				      "server's certificate for this site.") },
	{ "tls.chain_incomplete",
	  N_("Install the full chain (fullchain.pem, not cert.pem) in the web "
	     "server and reload it.") },
	{ "tls.self_signed", N_("Replace the self-signed certificate with one from a public CA.") },
	{ "tls.untrusted",
	  N_("Replace the certificate with one from a public CA, with its chain.") },
	{ "tls.unreachable", N_("Check that the web server runs and that the firewall lets HTTPS "
				"through.") },
	{ "tls.handshake_failed", N_("Look at the web server's TLS configuration and error log.") },
	{ "tls.disk_key_mismatch", N_("The key on disk does not belong to the certificate: install "
				      "the matching pair and reload the web server.") },
	{ "tls.", N_("Look at the site's certificate and its renewal.") },
	{ "php.eol", N_("Move the site to a supported PHP branch after testing it there.") },
	{ "php.eol_soon", N_("Plan the move to a newer PHP branch before support ends.") },
	{ "php.", N_("Look at the PHP installation that serves the site.") },
	{ "db.connections_refused",
	  N_("Raise the account's max_user_connections or find what holds "
	     "connections open (SHOW PROCESSLIST).") },
	{ "db.connections_near_limit",
	  N_("Find what holds connections (SHOW PROCESSLIST) and raise "
	     "max_connections if the load is real.") },
	{ "db.user_connections_near_limit",
	  N_("Find what holds the account's connections and raise "
	     "its max_user_connections if the load is real.") },
	{ "db.auth_failed", N_("Check the database user and password in the CMS configuration.") },
	{ "db.unreachable", N_("Check that the database server runs and accepts connections from "
			       "the site.") },
	{ "db.", N_("Look at the site's database account and server.") },
	{ "spf.", N_("Fix the domain's SPF TXT record; mail from the domain may be refused.") },
	{ "dmarc.", N_("Fix the domain's _dmarc TXT record.") },
	{ "mx.", N_("Fix the domain's MX records; mail to the domain may be lost.") },
	{ "dns.", N_("Check the domain's name servers.") },
	{ "cms.", N_("Look at the site's CMS files on the server.") },
	{ "discovery.", N_("Fix the web server configuration file named in the facts.") },
	{ "check.failed", N_("Read the error in the facts and the agent's journal.") },
	{ "wp.plugin_vulnerable", N_("Update the plugin to a fixed version now, or remove it.") },
	{ "wp.theme_vulnerable", N_("Update the theme to a fixed version now, or remove it.") },
	{ "wp.core_insecure", N_("Update WordPress to the latest release now.") },
	{ "wp.plugin_closed", N_("Replace the plugin: it gets no more updates.") },
	{ "wp.", N_("Update WordPress, its plugins and themes after a backup.") },
	{ "drupal.", N_("Update Drupal and its modules after a backup.") },
	{ "joomla.", N_("Update Joomla and its extensions after a backup.") },
	{ "catalog.", N_("Check the version by hand; the release data could not judge it.") },
};

const char *advice_for(const char *code)
{
	const char *area = NULL;

	if (!code)
		return N_("Look at the finding's facts.");
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		size_t n = strlen(table[i].code);
		if (table[i].code[n - 1] != '.') {
			if (strcmp(code, table[i].code) == 0)
				return table[i].text;
		} else if (!area && strncmp(code, table[i].code, n) == 0) {
			area = table[i].text;
		}
	}
	return area ? area : N_("Look at the finding's facts.");
}
