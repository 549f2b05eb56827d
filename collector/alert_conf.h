/* SPDX-License-Identifier: MIT */
/* The collector's `alerts` section: the rule, the retry policy, the channels. */
#ifndef HUOLTO_COLLECTOR_ALERT_CONF_H
#define HUOLTO_COLLECTOR_ALERT_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "huolto/conf.h"
#include "huolto/strv.h"
#include "store.h"

struct alerts_conf {
	bool enabled; /* the section is there */
	struct store_alerts store;
	int64_t check_every_ms; /* check_every: heartbeat and repeats */
	int64_t timeout_ms;     /* timeout: one delivery, at most */
	int64_t retry_min_ms;   /* retry.min: the first back-off */
	int64_t retry_max_ms;   /* retry.max: back-off doubles up to this */
	int64_t give_up_ms;     /* retry.give_up: undelivered this long, dropped */
	char *am_url;           /* alertmanager.url */
	char *am_ca_file;
	char *webhook_url;
	char *webhook_secret_file;
	char *webhook_ca_file;
	char *smtp_url;
	char *smtp_from;
	struct hu_strv smtp_to;
	char *smtp_username;
	char *smtp_password_file;
	bool smtp_require_tls;
	char *smtp_ca_file;
};

void alerts_conf_init(struct alerts_conf *a);
/* Parse the alerts node n (absent or null: alerting stays off). */
int alerts_conf_parse(const struct hu_conf_node *n, struct alerts_conf *a, struct hu_err *err);
void alerts_conf_clear(struct alerts_conf *a);

#endif
