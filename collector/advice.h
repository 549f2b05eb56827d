/* SPDX-License-Identifier: MIT */
/* What to do first about a finding: one English sentence per code, for alerts. */
#ifndef HUOLTO_COLLECTOR_ADVICE_H
#define HUOLTO_COLLECTOR_ADVICE_H

/* The advice for code; for a code without its own, its area's; never NULL. */
const char *advice_for(const char *code);

#endif
