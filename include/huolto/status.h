/* SPDX-License-Identifier: MIT */
/*
 * Check status, with the Nagios/Icinga meaning and exit codes.
 */
#ifndef HUOLTO_STATUS_H
#define HUOLTO_STATUS_H

enum hu_status {
	HU_OK = 0,
	HU_WARNING = 1,
	HU_CRITICAL = 2,
	HU_UNKNOWN = 3,
	_HU_STATUS_MAX,
	_HU_STATUS_INVALID = -1,
};

/* "ok", "warning", "critical", "unknown"; NULL when out of range. */
const char *hu_status_name(enum hu_status s);

/* Parse a lowercase name; _HU_STATUS_INVALID when unknown. */
enum hu_status hu_status_from_name(const char *name);

/*
 * Severity order used to pick "the worst" status: ok < warning < unknown <
 * critical. A definite critical outranks "could not tell"; "could not tell"
 * outranks a warning, because an unknown may hide a critical.
 */
int hu_status_rank(enum hu_status s);

/* The worse of two statuses by hu_status_rank(). */
enum hu_status hu_status_worst(enum hu_status a, enum hu_status b);

#endif
