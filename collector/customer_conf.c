/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include "customer_conf.h"

#define DEFAULT_COLOR "#0b5fff"

static bool is_id(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return false;
	return true;
}

static bool is_color(const char *s)
{
	if (strlen(s) != 7 || s[0] != '#')
		return false;
	for (size_t i = 1; i < 7; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

/* A decimal scalar key of n (money.h) into *ret; absent: *ret unchanged, or an error if required.
 */
static int get_decimal(const struct hu_conf_node *n, const char *what, const char *key,
		       bool required, int64_t max, int64_t *ret, struct hu_err *err)
{
	const struct hu_conf_node *v = hu_conf_get(n, key);

	if (!v || hu_conf_is_null(v))
		return required ? hu_conf_error(n, err, -EINVAL, "%s.%s is required", what, key)
				: 0;
	if (v->type != HU_CONF_SCALAR || money_parse(v->value, ret) < 0 || *ret > max)
		return hu_conf_error(v, err, -EINVAL,
				     "%s.%s: expected a number with at most two decimals, 0 to "
				     "%lld (e.g. 150.00), not \"%s\"",
				     what, key, (long long)(max / 100),
				     v->type == HU_CONF_SCALAR ? v->value : "a collection");
	return 0;
}

static int parse_plan(const struct hu_conf_node *n, const char *what, struct plan *p,
		      struct hu_err *err)
{
	static const char *const keys[] = { "model",       "monthly_fee", "included_hours",
					    "hourly_rate", "vat_percent", "currency",
					    "max_hours",   NULL };
	char *model = NULL, *currency = NULL;
	int r = hu_conf_expect_mapping(n, what, err);

	*p = (struct plan){ .max_hours = -1 };
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "model", &model, err);
	if (r >= 0 && (!model || (strcmp(model, "fixed") != 0 && strcmp(model, "hourly") != 0)))
		r = hu_conf_error(hu_conf_get(n, "model") ? hu_conf_get(n, "model") : n, err,
				  -EINVAL, "%s.model: expected fixed or hourly", what);
	if (r >= 0)
		p->model = strcmp(model, "fixed") == 0 ? PLAN_FIXED : PLAN_HOURLY;
	if (r >= 0)
		r = get_decimal(n, what, "monthly_fee", p->model == PLAN_FIXED, 100000000,
				&p->monthly_fee, err);
	if (r >= 0)
		r = get_decimal(n, what, "included_hours", false, 100000, &p->included_hours, err);
	if (r >= 0)
		r = get_decimal(n, what, "hourly_rate", true, 10000000, &p->hourly_rate, err);
	if (r >= 0)
		r = get_decimal(n, what, "vat_percent", true, 10000, &p->vat, err);
	if (r >= 0 && hu_conf_get(n, "max_hours")) {
		if (p->model != PLAN_HOURLY)
			r = hu_conf_error(hu_conf_get(n, "max_hours"), err, -EINVAL,
					  "%s.max_hours: only an hourly plan has a cap", what);
		else
			r = get_decimal(n, what, "max_hours", false, 100000, &p->max_hours, err);
	}
	if (r >= 0 && p->model == PLAN_HOURLY && hu_conf_get(n, "monthly_fee"))
		r = hu_conf_error(hu_conf_get(n, "monthly_fee"), err, -EINVAL,
				  "%s.monthly_fee: an hourly plan bills logged hours only", what);
	if (r >= 0)
		r = hu_conf_get_string(n, "currency", &currency, err);
	if (r >= 0 && currency &&
	    (strlen(currency) != 3 || strspn(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
		r = hu_conf_error(hu_conf_get(n, "currency"), err, -EINVAL,
				  "%s.currency: expected an ISO 4217 code such as EUR, not \"%s\"",
				  what, currency);
	if (r >= 0)
		memcpy(p->currency, currency ? currency : "EUR", 4);
	free(model);
	free(currency);
	return r;
}

static int parse_customer(const struct hu_conf_node *n, size_t i, struct customer *c,
			  struct hu_err *err)
{
	static const char *const keys[] = { "id",   "name",  "language", "contact",
					    "plan", "sites", NULL };
	char what[32];
	int r = hu_conf_expect_mapping(n, "a customer", err);

	snprintf(what, sizeof(what), "customers[%zu]", i);
	if (r >= 0)
		r = hu_conf_check_keys(n, keys, err);
	if (r >= 0)
		r = hu_conf_get_string(n, "id", &c->id, err);
	if (r >= 0 && (!c->id || !is_id(c->id)))
		r = hu_conf_error(hu_conf_get(n, "id") ? hu_conf_get(n, "id") : n, err, -EINVAL,
				  "%s.id: required, 1-64 of a-z 0-9 - _", what);
	if (r >= 0)
		r = hu_conf_get_string(n, "name", &c->name, err);
	if (r >= 0 && !c->name)
		r = hu_conf_error(n, err, -EINVAL, "%s.name is required", what);
	if (r >= 0)
		r = hu_conf_get_string(n, "language", &c->language, err);
	if (r >= 0 && c->language && strcmp(c->language, "fi") != 0 &&
	    strcmp(c->language, "en") != 0)
		r = hu_conf_error(hu_conf_get(n, "language"), err, -EINVAL,
				  "%s.language: expected fi or en, not \"%s\"", what, c->language);
	if (r >= 0 && !c->language && !(c->language = strdup("fi")))
		r = -ENOMEM;
	if (r >= 0)
		r = hu_conf_get_string(n, "contact", &c->contact, err);
	if (r >= 0 && !hu_conf_get(n, "plan"))
		r = hu_conf_error(n, err, -EINVAL, "%s.plan is required", what);
	if (r >= 0) {
		char pw[48];
		snprintf(pw, sizeof(pw), "%s.plan", what);
		r = parse_plan(hu_conf_get(n, "plan"), pw, &c->plan, err);
	}
	if (r >= 0)
		r = hu_conf_get_string_list(n, "sites", &c->sites, err);
	return r;
}

/* No id twice, no site under two customers. */
static int check_unique(const struct customers_conf *c, const struct hu_conf_node *list,
			struct hu_err *err)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; k < i; k++) {
			if (strcmp(c->v[i].id, c->v[k].id) == 0)
				return hu_conf_error(list->items[i], err, -EINVAL,
						     "customers[%zu].id \"%s\" is taken by "
						     "customers[%zu]",
						     i, c->v[i].id, k);
			for (size_t s = 0; s < c->v[i].sites.n; s++)
				if (hu_strv_contains(&c->v[k].sites, c->v[i].sites.v[s]))
					return hu_conf_error(
					    list->items[i], err, -EINVAL,
					    "customers[%zu]: the site \"%s\" is already customer "
					    "\"%s\"'s",
					    i, c->v[i].sites.v[s], c->v[k].id);
		}
	return 0;
}

int customers_conf_parse(const struct hu_conf_node *branding, const struct hu_conf_node *customers,
			 struct customers_conf *ret, struct hu_err *err)
{
	static const char *const bkeys[] = { "agency", "logo", "color", NULL };
	struct customers_conf c = { 0 };
	int r = 0;

	if (branding && !hu_conf_is_null(branding)) {
		r = hu_conf_expect_mapping(branding, "branding", err);
		if (r >= 0)
			r = hu_conf_check_keys(branding, bkeys, err);
		if (r >= 0)
			r = hu_conf_get_string(branding, "agency", &c.branding.agency, err);
		if (r >= 0)
			r = conf_path(branding, "branding", "logo", &c.branding.logo, err);
		if (r >= 0)
			r = hu_conf_get_string(branding, "color", &c.branding.color, err);
		if (r >= 0 && c.branding.color && !is_color(c.branding.color))
			r = hu_conf_error(hu_conf_get(branding, "color"), err, -EINVAL,
					  "branding.color: expected #rrggbb, not \"%s\"",
					  c.branding.color);
	}
	if (r >= 0 && !c.branding.color && !(c.branding.color = strdup(DEFAULT_COLOR)))
		r = -ENOMEM;
	if (r >= 0 && customers && !hu_conf_is_null(customers)) {
		if (customers->type != HU_CONF_SEQUENCE)
			r = hu_conf_error(customers, err, -EINVAL, "customers: expected a list");
		else if (!(c.v = calloc(customers->n_items ? customers->n_items : 1, sizeof(*c.v))))
			r = -ENOMEM;
		for (size_t i = 0; r >= 0 && i < customers->n_items; i++, c.n++)
			r = parse_customer(customers->items[i], i, &c.v[i], err);
		if (r >= 0)
			r = check_unique(&c, customers, err);
	}
	if (r < 0) {
		customers_conf_clear(&c); /* c.n counts the one that failed too */
		return r;
	}
	*ret = c;
	return 0;
}

void customers_conf_clear(struct customers_conf *c)
{
	free(c->branding.agency);
	free(c->branding.logo);
	free(c->branding.color);
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].id);
		free(c->v[i].name);
		free(c->v[i].language);
		free(c->v[i].contact);
		hu_strv_clear(&c->v[i].sites);
	}
	free(c->v);
	*c = (struct customers_conf){ 0 };
}

const struct customer *customers_find(const struct customers_conf *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].id, id) == 0)
			return &c->v[i];
	return NULL;
}

const struct customer *customers_of_site(const struct customers_conf *c, const char *site)
{
	for (size_t i = 0; i < c->n; i++)
		if (hu_strv_contains(&c->v[i].sites, site))
			return &c->v[i];
	return NULL;
}
