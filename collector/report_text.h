/* SPDX-License-Identifier: MIT */
/* The reports' words for findings and statuses: msgids, for _() where shown. */
#ifndef HUOLTO_COLLECTOR_REPORT_TEXT_H
#define HUOLTO_COLLECTOR_REPORT_TEXT_H

/* A plain title for code (its own, its area's, or a general one); never NULL. */
const char *report_finding_title(const char *code);
/* "OK", "Warning", "Critical", "Unknown" for an enum hu_status. */
const char *report_status_word(int status);

#endif
