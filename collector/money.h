/* SPDX-License-Identifier: MIT */
/*
 * Money and hours as integers: amounts in cents, hours in hundredths
 * ("centihours": 1.5 h is 150), percentages in basis points (25.5 % is
 * 2550). They are read from and written as decimal text, never through
 * floating point, and every product is rounded once, half up (all amounts
 * are non-negative). docs/reports.md states the rules.
 */
#ifndef HUOLTO_COLLECTOR_MONEY_H
#define HUOLTO_COLLECTOR_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* The largest amount read (cents) or hours (hundredths): ten billion units. */
#define MONEY_MAX (1000000000000LL)

/*
 * Decimal text with at most two decimals ("150", "150.5", "150.00",
 * "0.25") as hundredths into *ret: 0, or -EINVAL (not such a number,
 * negative, more than two decimals, over MONEY_MAX).
 */
int money_parse(const char *s, int64_t *ret);

/* v hundredths as "1.50" (a '.' and two decimals), into buf. */
void money_format(int64_t v, char *buf, size_t len);

/* a * b / d rounded half up (a, b >= 0, d > 0), computed in 128 bits; INT64_MAX beyond. */
int64_t money_mul_div(int64_t a, int64_t b, int64_t d);

enum plan_model { PLAN_FIXED, PLAN_HOURLY };

/* A customer's plan (collector configuration customers[].plan). */
struct plan {
	enum plan_model model;
	int64_t monthly_fee;    /* cents (fixed) */
	int64_t included_hours; /* hundredths (fixed) */
	int64_t hourly_rate;    /* cents */
	int64_t vat;            /* basis points: 25.5 % is 2550 */
	int64_t max_hours;      /* hundredths billed at most (hourly); < 0: no cap */
	char currency[4];       /* ISO 4217, "EUR" */
};

/* A month's bill for used hundredths of hours. */
struct bill {
	int64_t used, included, extra, billed;           /* hundredths of hours */
	int64_t fee, hours_amount, subtotal, vat, total; /* cents */
};

/*
 * fixed: fee + the hours beyond the included ones at the rate; hourly: the
 * hours (at most max_hours) at the rate. VAT on the subtotal; each product
 * rounded to the cent, half up.
 */
void bill_compute(const struct plan *p, int64_t used, struct bill *ret);

#endif
