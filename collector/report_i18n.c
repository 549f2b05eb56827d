/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "huolto/config.h"
#include "report_i18n.h"

int report_lang_parse(const char *s, enum report_lang *ret)
{
	if (s && strcmp(s, "fi") == 0)
		*ret = REPORT_FI;
	else if (s && strcmp(s, "en") == 0)
		*ret = REPORT_EN;
	else
		return -EINVAL;
	return 0;
}

const char *report_lang_name(enum report_lang l)
{
	return l == REPORT_FI ? "fi" : "en";
}

/* Whether dir holds the Finnish catalog. */
static int has_catalog(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/fi/LC_MESSAGES/" REPORT_DOMAIN ".mo", dir);
	return access(path, R_OK) == 0;
}

int report_i18n_open(struct report_i18n *t, const char *localedir, struct hu_err *err)
{
	const char *dir = localedir ? localedir : getenv("HUOLTO_LOCALEDIR");

	*t = (struct report_i18n){ 0 };
	if (!dir)
		dir = has_catalog(HUOLTO_LOCALEDIR) ? HUOLTO_LOCALEDIR : HUOLTO_BUILD_LOCALEDIR;
	if (!has_catalog(dir))
		return hu_err_set(err, -ENOENT,
				  "no Finnish catalog %s/fi/LC_MESSAGES/" REPORT_DOMAIN
				  ".mo: install huolto (or build it) or set HUOLTO_LOCALEDIR",
				  dir);
	t->localedir = strdup(dir);
	if (!t->localedir || !bindtextdomain(REPORT_DOMAIN, dir) ||
	    !bind_textdomain_codeset(REPORT_DOMAIN, "UTF-8")) {
		report_i18n_close(t);
		return -ENOMEM;
	}
	t->en = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	locale_t base = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	t->fi = base ? newlocale(LC_MESSAGES_MASK, "fi_FI.UTF-8", base) : (locale_t)0;
	if (base && !t->fi)
		freelocale(base); /* a failed newlocale leaves its base as it was */
	if (!t->en || !t->fi) {
		report_i18n_close(t);
		return hu_err_set(
		    err, -ENOENT,
		    "the locale fi_FI.UTF-8 is not installed: run scripts/install-deps "
		    "or 'localedef -i fi_FI -f UTF-8 fi_FI.UTF-8'");
	}
	return 0;
}

void report_i18n_close(struct report_i18n *t)
{
	if (t->fi)
		freelocale(t->fi);
	if (t->en)
		freelocale(t->en);
	free(t->localedir);
	*t = (struct report_i18n){ 0 };
}

locale_t report_i18n_use(const struct report_i18n *t, enum report_lang l)
{
	return uselocale(l == REPORT_FI ? t->fi : t->en);
}

static const char *const month_abbr[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static const char *const month_name[12] = {
	N_("January"),   N_("February"), N_("March"),    N_("April"),
	N_("May"),       N_("June"),     N_("July"),     N_("August"),
	N_("September"), N_("October"),  N_("November"), N_("December"),
};

void report_fmt_date(enum report_lang l, time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "-");
		return;
	}
	if (l == REPORT_FI)
		snprintf(buf, len, "%d.%d.%d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
	else
		snprintf(buf, len, "%d %s %d", tm.tm_mday, month_abbr[tm.tm_mon],
			 tm.tm_year + 1900);
}

void report_fmt_month(const char *month, char *buf, size_t len)
{
	int y = 0, m = 0;

	if (sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		snprintf(buf, len, "%s", month);
	else
		snprintf(buf, len, "%s %d", _(month_name[m - 1]), y);
}

/* v >= 0 with groups of three separated by sep, into buf. */
static void grouped(uint64_t v, const char *sep, char *buf, size_t len)
{
	char digits[32];
	size_t n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, v), o = 0;

	for (size_t i = 0; i < n && o + 8 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			o += (size_t)snprintf(buf + o, len - o, "%s", sep);
		buf[o++] = digits[i];
	}
	buf[o < len ? o : len - 1] = 0;
}

/* v hundredths as "1 234,50" (fi) or "1,234.50" (en). */
static void decimal(enum report_lang l, int64_t v, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char whole[40];

	grouped(a / 100, l == REPORT_FI ? " " : ",", whole, sizeof(whole));
	snprintf(buf, len, "%s%s%s%02u", v < 0 ? "-" : "", whole, l == REPORT_FI ? "," : ".",
		 (unsigned)(a % 100));
}

void report_fmt_money(enum report_lang l, int64_t cents, const char *currency, char *buf,
		      size_t len)
{
	char num[48];
	bool euro = !currency || strcmp(currency, "EUR") == 0;

	decimal(l, cents, num, sizeof(num));
	if (l == REPORT_FI)
		snprintf(buf, len, "%s %s", num, euro ? "€" : currency);
	else if (euro && cents < 0)
		snprintf(buf, len, "-€%s", num + 1);
	else
		snprintf(buf, len, "%s%s%s", euro ? "€" : currency, euro ? "" : " ", num);
}

void report_fmt_hours(enum report_lang l, int64_t hundredths, char *buf, size_t len)
{
	char num[48];

	decimal(l, hundredths, num, sizeof(num));
	snprintf(buf, len, "%s h", num);
}

void report_fmt_int(enum report_lang l, int64_t v, char *buf, size_t len)
{
	char g[40];

	grouped(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, l == REPORT_FI ? " " : ",", g,
		sizeof(g));
	snprintf(buf, len, "%s%s", v < 0 ? "-" : "", g);
}
