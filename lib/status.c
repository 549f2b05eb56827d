/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "huolto/status.h"

static const char *const status_names[_HU_STATUS_MAX] = {
	[HU_OK] = "ok",
	[HU_WARNING] = "warning",
	[HU_CRITICAL] = "critical",
	[HU_UNKNOWN] = "unknown",
};

/* Severity: ok < warning < unknown < critical. */
static const int status_ranks[_HU_STATUS_MAX] = {
	[HU_OK] = 0,
	[HU_WARNING] = 1,
	[HU_UNKNOWN] = 2,
	[HU_CRITICAL] = 3,
};

const char *hu_status_name(enum hu_status s)
{
	if (s < 0 || s >= _HU_STATUS_MAX)
		return NULL;
	return status_names[s];
}

enum hu_status hu_status_from_name(const char *name)
{
	for (int i = 0; i < _HU_STATUS_MAX; i++)
		if (strcmp(status_names[i], name) == 0)
			return (enum hu_status)i;
	return _HU_STATUS_INVALID;
}

int hu_status_rank(enum hu_status s)
{
	if (s < 0 || s >= _HU_STATUS_MAX)
		return status_ranks[HU_UNKNOWN];
	return status_ranks[s];
}

enum hu_status hu_status_worst(enum hu_status a, enum hu_status b)
{
	return hu_status_rank(a) >= hu_status_rank(b) ? a : b;
}
