/* SPDX-License-Identifier: MIT */
/*
 * The reports' languages: texts through gettext (domain "huolto", catalogs
 * in po/), dates and money formatted per language by our own rules (fi:
 * 22.11.2026, 1 234,50 €; en: 22 Nov 2026, €1,234.50), never by the
 * process locale. The language is chosen per thread with uselocale(), so
 * renders in different languages can run side by side.
 */
#ifndef HUOLTO_COLLECTOR_REPORT_I18N_H
#define HUOLTO_COLLECTOR_REPORT_I18N_H

#include <libintl.h>
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "huolto/err.h"

#define REPORT_DOMAIN "huolto"
/* A text to translate, and one only marked for xgettext (translated where used). */
#define _(s)  dgettext(REPORT_DOMAIN, s)
#define N_(s) s

enum report_lang {
	REPORT_FI,
	REPORT_EN,
};

/* "fi" or "en": 0, or -EINVAL. */
int report_lang_parse(const char *s, enum report_lang *ret);
const char *report_lang_name(enum report_lang l);

/* The languages' message locales; report_i18n_open makes them. */
struct report_i18n {
	locale_t fi; /* LC_MESSAGES of fi_FI.UTF-8, the rest C */
	locale_t en; /* C: the English texts are the msgids */
	char *localedir;
};

/*
 * Bind the text domain to localedir (NULL: $HUOLTO_LOCALEDIR, else the
 * installed catalogs, else the build tree's) and make the locales. Fails,
 * saying what to install, when fi_FI.UTF-8 or the Finnish catalog is
 * missing.
 */
int report_i18n_open(struct report_i18n *t, const char *localedir, struct hu_err *err);
void report_i18n_close(struct report_i18n *t);
/* Make l the calling thread's language; returns the previous locale for uselocale(). */
locale_t report_i18n_use(const struct report_i18n *t, enum report_lang l);

/* Formats (buf of at least 48 bytes). */
void report_fmt_date(enum report_lang l, time_t t, char *buf, size_t len);
/* "2026-11" as "marraskuu 2026" / "November 2026" (translated month names). */
void report_fmt_month(const char *month, char *buf, size_t len);
/* cents in currency (ISO 4217; EUR as €). */
void report_fmt_money(enum report_lang l, int64_t cents, const char *currency, char *buf,
		      size_t len);
/* hundredths of an hour: "1,50 h" / "1.50 h". */
void report_fmt_hours(enum report_lang l, int64_t hundredths, char *buf, size_t len);
/* An integer with thousands grouped: "12 345" / "12,345". */
void report_fmt_int(enum report_lang l, int64_t v, char *buf, size_t len);

#endif
