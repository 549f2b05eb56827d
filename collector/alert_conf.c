/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alert_conf.h"
#include "conf_util.h"

void alerts_conf_init(struct alerts_conf *a)
{
	*a = (struct alerts_conf){
		.store = { .policy = { .count = 2,
				       .of = 3,
				       .statuses = 1u << HU_CRITICAL,
				       .repeat_s = 24 * 3600 },
			   .grace_s = 26 * 3600 },
		.check_every_ms = 60000,
		.timeout_ms = 30000,
		.retry_min_ms = 30000,
		.retry_max_ms = 3600000,
		.give_up_ms = 3LL * 86400000,
	};
}

void alerts_conf_clear(struct alerts_conf *a)
{
	free(a->am_url);
	free(a->am_ca_file);
	free(a->webhook_url);
	free(a->webhook_secret_file);
	free(a->webhook_ca_file);
	free(a->smtp_url);
	free(a->smtp_from);
	hu_strv_clear(&a->smtp_to);
	free(a->smtp_username);
	free(a->smtp_password_file);
	free(a->smtp_ca_file);
	alerts_conf_init(a);
}

/* An address for a mail header and envelope: local@domain, no blanks, control characters or <>. */
static bool mail_address_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1])
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '<' || *s == '>' || *s == ',')
			return false;
	return true;
}

/* The required url of channel n, its scheme one of schemes ("a|b"). */
static int get_url(const struct hu_conf_node *n, const char *what, const char *schemes, char **ret,
		   struct hu_err *err)
{
	if (!hu_conf_get(n, "url"))
		return hu_conf_error(n, err, -EINVAL, "%s.url is required", what);
	return conf_url(n, what, "url", schemes, ret, err);
}

static int parse_statuses(const struct hu_conf_node *n, struct alert_policy *p, struct hu_err *err)
{
	struct hu_strv v = HU_STRV_INIT;
	int r = hu_conf_get_string_list(n, "statuses", &v, err);

	if (r < 0 || !hu_conf_get(n, "statuses"))
		return r;
	p->statuses = 0;
	for (size_t i = 0; r >= 0 && i < v.n; i++) {
		enum hu_status s = hu_status_from_name(v.v[i]);
		if (s == _HU_STATUS_INVALID || s == HU_OK)
			r = hu_conf_error(hu_conf_get(n, "statuses"), err, -EINVAL,
					  "alerts.statuses: \"%s\" is not warning, critical or "
					  "unknown",
					  v.v[i]);
		else
			p->statuses |= 1u << s;
	}
	if (r >= 0 && !p->statuses)
		r = hu_conf_error(hu_conf_get(n, "statuses"), err, -EINVAL,
				  "alerts.statuses: name at least one status");
	hu_strv_clear(&v);
	return r;
}

static int parse_rule(const struct hu_conf_node *n, struct alerts_conf *a, struct hu_err *err)
{
	static const char *const hyst_keys[] = { "count", "of", NULL };
	static const char *const retry_keys[] = { "min", "max", "give_up", NULL };
	struct alert_policy *p = &a->store.policy;
	const struct hu_conf_node *h;
	int64_t count = p->count, of = p->of;
	int r = conf_sub(n, "hysteresis", "alerts.hysteresis", hyst_keys, &h, err);

	if (r >= 0 && h) {
		r = hu_conf_get_int(h, "of", 1, ALERT_WINDOW_MAX, &of, err);
		if (r >= 0)
			r = hu_conf_get_int(h, "count", 1, ALERT_WINDOW_MAX, &count, err);
		if (r >= 0 && count > of)
			r = hu_conf_error(h, err, -EINVAL,
					  "alerts.hysteresis: count (%lld) cannot exceed of (%lld)",
					  (long long)count, (long long)of);
		p->count = (unsigned)count;
		p->of = (unsigned)of;
	}
	int64_t repeat_ms = p->repeat_s * 1000;
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "repeat", 1000, 365LL * 86400000, &repeat_ms, err);
	p->repeat_s = repeat_ms / 1000;
	if (r >= 0)
		r = parse_statuses(n, p, err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "check_every", 1000, 86400000, &a->check_every_ms,
					    err);
	if (r >= 0)
		r = hu_conf_get_duration_ms(n, "timeout", 1000, 600000, &a->timeout_ms, err);
	if (r >= 0 && (r = conf_sub(n, "retry", "alerts.retry", retry_keys, &h, err)) >= 0 && h) {
		r = hu_conf_get_duration_ms(h, "min", 1000, 86400000, &a->retry_min_ms, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(h, "max", 1000, 7LL * 86400000,
						    &a->retry_max_ms, err);
		if (r >= 0)
			r = hu_conf_get_duration_ms(h, "give_up", 60000, 365LL * 86400000,
						    &a->give_up_ms, err);
		if (r >= 0 && a->retry_max_ms < a->retry_min_ms)
			r = hu_conf_error(h, err, -EINVAL,
					  "alerts.retry: max cannot be less than min");
	}
	return r;
}

static int parse_channels(const struct hu_conf_node *n, struct alerts_conf *a, struct hu_err *err)
{
	static const char *const am_keys[] = { "url", "ca_file", NULL };
	static const char *const wh_keys[] = { "url", "secret_file", "ca_file", NULL };
	static const char *const smtp_keys[] = {
		"url", "from", "to", "username", "password_file", "require_tls", "ca_file", NULL
	};
	const struct hu_conf_node *c;
	int r = conf_sub(n, "alertmanager", "alerts.alertmanager", am_keys, &c, err);

	if (r >= 0 && c) {
		r = get_url(c, "alerts.alertmanager", "http|https", &a->am_url, err);
		if (r >= 0)
			r = conf_path(c, "alerts.alertmanager", "ca_file", &a->am_ca_file, err);
		a->store.channels[a->store.n_channels++] = "alertmanager";
	}
	if (r >= 0 && (r = conf_sub(n, "webhook", "alerts.webhook", wh_keys, &c, err)) >= 0 && c) {
		r = get_url(c, "alerts.webhook", "https|http", &a->webhook_url, err);
		if (r >= 0)
			r = conf_path(c, "alerts.webhook", "secret_file", &a->webhook_secret_file,
				      err);
		if (r >= 0 && !a->webhook_secret_file)
			r = hu_conf_error(c, err, -EINVAL,
					  "alerts.webhook.secret_file is required: the receiver "
					  "checks the signature made with it");
		if (r >= 0)
			r = conf_path(c, "alerts.webhook", "ca_file", &a->webhook_ca_file, err);
		a->store.channels[a->store.n_channels++] = "webhook";
	}
	if (r >= 0 && (r = conf_sub(n, "smtp", "alerts.smtp", smtp_keys, &c, err)) >= 0 && c) {
		r = get_url(c, "alerts.smtp", "smtp|smtps", &a->smtp_url, err);
		if (r >= 0)
			r = hu_conf_get_string(c, "from", &a->smtp_from, err);
		if (r >= 0 && !a->smtp_from)
			r = hu_conf_error(c, err, -EINVAL, "alerts.smtp.from is required");
		if (r >= 0)
			r = hu_conf_get_string_list(c, "to", &a->smtp_to, err);
		if (r >= 0 && a->smtp_to.n == 0)
			r = hu_conf_error(c, err, -EINVAL,
					  "alerts.smtp.to: name at least one address");
		if (r >= 0 && !mail_address_ok(a->smtp_from))
			r = hu_conf_error(
			    hu_conf_get(c, "from"), err, -EINVAL,
			    "alerts.smtp.from: \"%s\" is not an address (local@domain)",
			    a->smtp_from);
		for (size_t i = 0; r >= 0 && i < a->smtp_to.n; i++)
			if (!mail_address_ok(a->smtp_to.v[i]))
				r = hu_conf_error(hu_conf_get(c, "to"), err, -EINVAL,
						  "alerts.smtp.to: \"%s\" is not an address "
						  "(local@domain)",
						  a->smtp_to.v[i]);
		if (r >= 0)
			r = hu_conf_get_string(c, "username", &a->smtp_username, err);
		if (r >= 0)
			r = conf_path(c, "alerts.smtp", "password_file", &a->smtp_password_file,
				      err);
		if (r >= 0)
			r = hu_conf_get_bool(c, "require_tls", &a->smtp_require_tls, err);
		if (r >= 0 && !a->smtp_username != !a->smtp_password_file)
			r = hu_conf_error(c, err, -EINVAL,
					  "alerts.smtp: username and password_file go together");
		if (r >= 0 && a->smtp_password_file && !a->smtp_require_tls &&
		    strncmp(a->smtp_url, "smtps:", 6) != 0)
			r = hu_conf_error(c, err, -EINVAL,
					  "alerts.smtp: a password is sent only over TLS: use an "
					  "smtps:// url or require_tls: true");
		if (r >= 0)
			r = conf_path(c, "alerts.smtp", "ca_file", &a->smtp_ca_file, err);
		a->store.channels[a->store.n_channels++] = "smtp";
	}
	return r;
}

int alerts_conf_parse(const struct hu_conf_node *n, struct alerts_conf *a, struct hu_err *err)
{
	static const char *const keys[] = { "hysteresis", "repeat", "statuses",     "check_every",
					    "timeout",    "retry",  "alertmanager", "webhook",
					    "smtp",       NULL };
	int r;

	if (!n || hu_conf_is_null(n))
		return 0;
	r = hu_conf_expect_mapping(n, "alerts", err);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0)
		r = parse_rule(n, a, err);
	if (r >= 0)
		r = parse_channels(n, a, err);
	if (r >= 0)
		a->enabled = true;
	return r;
}
