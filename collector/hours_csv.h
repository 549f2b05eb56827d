/* SPDX-License-Identifier: MIT */
/*
 * The hours log as CSV (RFC 4180, through libcsv): the columns `hours
 * import` reads and `hours export` / `hours list --format csv` write.
 */
#ifndef HUOLTO_COLLECTOR_HOURS_CSV_H
#define HUOLTO_COLLECTOR_HOURS_CSV_H

#include <jansson.h>
#include <stdio.h>

#include "huolto/err.h"

#define HOURS_CSV_COLUMNS 7
#define HOURS_CSV_HEADER  "date,site,hours,kind,who,note,finding"
/* What an import reads at most. */
#define HOURS_CSV_MAX_BYTES (16u << 20)
#define HOURS_CSV_MAX_ROWS  100000

/* One record: its fields (NUL-terminated), how many it had, the line it starts on. */
struct hours_csv_row {
	char *f[HOURS_CSV_COLUMNS];
	size_t n;
	unsigned line;
};

struct hours_csv {
	struct hours_csv_row *v;
	size_t n, cap;
};

/*
 * Parse data (a UTF-8 byte order mark is skipped) into rows, the header
 * first. -EBADMSG names the line of a malformed record (an unclosed quote),
 * -EFBIG past HOURS_CSV_MAX_ROWS.
 */
int hours_csv_parse(const char *data, size_t len, struct hours_csv *ret, struct hu_err *err);
void hours_csv_clear(struct hours_csv *c);

/* The header and one row per entry (store_ops.hours_list's); 0 or -EIO. */
int hours_csv_write(FILE *f, const json_t *entries);

#endif
