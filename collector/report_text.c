/* SPDX-License-Identifier: MIT */
/*
 * What the reports call each finding, in plain words for a customer: an
 * English msgid per code (translated where shown), and per area for the
 * codes without their own.
 */
#include <stddef.h>
#include <string.h>

#include "report_i18n.h"
#include "report_text.h"

struct title {
	const char *code; /* a code, or an area ending in '.' */
	const char *text;
};

static const struct title titles[] = {
	{ "agent.silent", N_("No health check results arrive from the server") },
	{ "tls.expired", N_("The certificate has expired") },
	{ "tls.expires_soon", N_("The certificate expires soon") },
	{ "tls.not_yet_valid", N_("The certificate is not valid yet") },
	{ "tls.untrusted", N_("Browsers do not trust the certificate") },
	{ "tls.self_signed", N_("The certificate is self-signed") },
	{ "tls.chain_incomplete", N_("The certificate chain is incomplete") },
	{ "tls.hostname_mismatch", N_("The certificate does not cover the site's name") },
	{ "tls.weak_key", N_("The certificate's key is weak") },
	{ "tls.weak_signature", N_("The certificate's signature is weak") },
	{ "tls.old_protocol", N_("The server still accepts outdated TLS versions") },
	{ "tls.intermediate_expires_soon", N_("An intermediate certificate expires soon") },
	{ "tls.validity_too_long", N_("The certificate is valid for longer than browsers allow") },
	{ "tls.disk_mismatch",
	  N_("The web server serves an older certificate than the one on disk") },
	{ "tls.unreachable", N_("The site could not be reached over HTTPS") },
	{ "tls.handshake_failed", N_("The secure connection to the site failed") },
	{ "tls.no_https", N_("The site has no HTTPS address") },
	{ "tls.disk_expired", N_("A certificate file on the server has expired") },
	{ "tls.disk_expires_soon", N_("A certificate file on the server expires soon") },
	{ "tls.disk_key_mismatch", N_("A key file does not belong to its certificate") },
	{ "tls.", N_("Certificate") },
	{ "php.eol", N_("The PHP version no longer gets security fixes") },
	{ "php.eol_soon", N_("Security support for the PHP version ends soon") },
	{ "php.security_only", N_("The PHP version gets security fixes only") },
	{ "php.cli_mismatch", N_("Scheduled jobs run on a different PHP version than the site") },
	{ "php.pool_not_found", N_("The PHP service the site needs is not running") },
	{ "php.", N_("PHP") },
	{ "spf.missing", N_("The domain has no SPF record") },
	{ "spf.permissive_all", N_("The SPF record lets anyone send mail as the domain") },
	{ "spf.too_many_lookups", N_("The SPF record needs too many lookups to be valid") },
	{ "spf.syntax", N_("The SPF record has an error") },
	{ "spf.multiple", N_("The domain has more than one SPF record") },
	{ "spf.server_not_authorized",
	  N_("The SPF record does not allow this server to send mail") },
	{ "spf.", N_("SPF record") },
	{ "dmarc.missing", N_("The domain has no DMARC record") },
	{ "dmarc.policy_none", N_("The DMARC policy only monitors, it does not protect") },
	{ "dmarc.no_rua", N_("Nobody receives the domain's DMARC reports") },
	{ "dmarc.syntax", N_("The DMARC record has an error") },
	{ "dmarc.", N_("DMARC record") },
	{ "mx.missing", N_("The domain has no mail server (MX) records") },
	{ "mx.no_address", N_("A mail server of the domain has no address") },
	{ "mx.", N_("Mail server (MX) records") },
	{ "dns.unresolved", N_("A DNS lookup failed") },
	{ "dns.", N_("DNS") },
	{ "db.ok", N_("No connection limit is near") },
	{ "db.connections_near_limit", N_("The database server is near its connection limit") },
	{ "db.user_connections_near_limit",
	  N_("The site's database account is near its connection limit") },
	{ "db.connections_refused", N_("The database server has refused connections") },
	{ "db.unreachable", N_("The database could not be reached") },
	{ "db.auth_failed", N_("The database refused the site's credentials") },
	{ "db.version_eol", N_("The database server version is no longer supported") },
	{ "db.version_eol_soon", N_("Support for the database server version ends soon") },
	{ "db.", N_("Database") },
	{ "wp.core_outdated", N_("WordPress is not up to date") },
	{ "wp.core_insecure", N_("The WordPress version has known security holes") },
	{ "wp.plugin_outdated", N_("A plugin is not up to date") },
	{ "wp.plugin_vulnerable", N_("A plugin has a known security hole") },
	{ "wp.plugin_closed", N_("A plugin has been withdrawn from wordpress.org") },
	{ "wp.theme_outdated", N_("A theme is not up to date") },
	{ "wp.theme_vulnerable", N_("A theme has a known security hole") },
	{ "wp.", N_("WordPress") },
	{ "drupal.core_security_update", N_("A Drupal security update is available") },
	{ "drupal.module_security_update", N_("A security update of a module is available") },
	{ "drupal.core_outdated", N_("Drupal is not up to date") },
	{ "drupal.module_outdated", N_("A module is not up to date") },
	{ "drupal.core_unsupported", N_("The Drupal version is no longer supported") },
	{ "drupal.module_unsupported", N_("A module is no longer supported") },
	{ "drupal.", N_("Drupal") },
	{ "joomla.core_outdated", N_("Joomla is not up to date") },
	{ "joomla.core_eol", N_("The Joomla version is no longer supported") },
	{ "joomla.extension_outdated", N_("A Joomla extension is not up to date") },
	{ "joomla.", N_("Joomla") },
	{ "catalog.unknown", N_("Its update status could not be determined") },
	{ "catalog.stale", N_("The release data it was judged by is out of date") },
	{ "catalog.", N_("Release data") },
	{ "cms.unreadable", N_("Some of the site's files could not be read") },
	{ "cms.", N_("Site software") },
	{ "discovery.", N_("Web server configuration") },
	{ "check.failed", N_("A check could not be run") },
};

const char *report_finding_title(const char *code)
{
	const char *area = NULL;

	for (size_t i = 0; code && i < sizeof(titles) / sizeof(*titles); i++) {
		size_t n = strlen(titles[i].code);
		if (titles[i].code[n - 1] == '.') {
			if (!area && strncmp(code, titles[i].code, n) == 0)
				area = titles[i].text;
		} else if (strcmp(code, titles[i].code) == 0) {
			return titles[i].text;
		}
	}
	return area ? area : N_("Other finding");
}

const char *report_status_word(int status)
{
	static const char *const words[] = { N_("OK"), N_("Warning"), N_("Critical"),
					     N_("Unknown") };

	return status >= 0 && status < 4 ? words[status] : "-";
}
