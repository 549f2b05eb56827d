/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "money.h"

int money_parse(const char *s, int64_t *ret)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, decimals = 0;

	if (!s)
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (*s - '0');
		if (whole > MONEY_MAX / 100)
			return -EINVAL;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, decimals++) {
			if (decimals == 2)
				return -EINVAL;
			frac = frac * 10 + (*s - '0');
		}
		if (decimals == 0)
			return -EINVAL;
	}
	if (*s || digits == 0)
		return -EINVAL;
	*ret = whole * 100 + (decimals == 1 ? frac * 10 : frac);
	return 0;
}

void money_format(int64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)((v < 0 ? -v : v) / 100),
		 (long long)((v < 0 ? -v : v) % 100));
}

int64_t money_mul_div(int64_t a, int64_t b, int64_t d)
{
	__int128 q = ((__int128)a * b + d / 2) / d;

	return q > INT64_MAX ? INT64_MAX : (int64_t)q;
}

void bill_compute(const struct plan *p, int64_t used, struct bill *ret)
{
	struct bill b = { .used = used };

	if (p->model == PLAN_FIXED) {
		b.included = p->included_hours;
		b.extra = used > b.included ? used - b.included : 0;
		b.billed = b.extra;
		b.fee = p->monthly_fee;
	} else {
		b.billed = p->max_hours >= 0 && used > p->max_hours ? p->max_hours : used;
	}
	b.hours_amount = money_mul_div(b.billed, p->hourly_rate, 100);
	b.subtotal = b.fee + b.hours_amount;
	b.vat = money_mul_div(b.subtotal, p->vat, 10000);
	b.total = b.subtotal + b.vat;
	*ret = b;
}
