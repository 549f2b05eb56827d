/* SPDX-License-Identifier: MIT */
/*
 * The collector's `branding` and `customers` sections: who the reports are
 * for, in which language, and how their hours are billed (money.h).
 */
#ifndef HUOLTO_COLLECTOR_CUSTOMER_CONF_H
#define HUOLTO_COLLECTOR_CUSTOMER_CONF_H

#include "huolto/conf.h"
#include "huolto/err.h"
#include "huolto/strv.h"
#include "money.h"

struct branding {
	char *agency; /* "Esimerkki Digital Oy", or NULL */
	char *logo;   /* an SVG or PNG file (absolute path), or NULL */
	char *color;  /* "#0b5fff" */
};

struct customer {
	char *id;       /* [a-z0-9_-], unique */
	char *name;     /* "Acme Oy" */
	char *language; /* "fi" or "en" */
	char *contact;  /* or NULL */
	struct plan plan;
	struct hu_strv sites; /* each site belongs to one customer at most */
};

struct customers_conf {
	struct branding branding;
	struct customer *v;
	size_t n;
};

/* Parse the two sections (either may be NULL: absent). */
int customers_conf_parse(const struct hu_conf_node *branding, const struct hu_conf_node *customers,
			 struct customers_conf *ret, struct hu_err *err);
void customers_conf_clear(struct customers_conf *c);

/* The customer with this id, or whose sites hold site; NULL when none. */
const struct customer *customers_find(const struct customers_conf *c, const char *id);
const struct customer *customers_of_site(const struct customers_conf *c, const char *site);

#endif
