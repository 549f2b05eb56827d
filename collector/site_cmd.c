/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog_judge.h"
#include "cli_util.h"
#include "site_cmd.h"

static const char *str(const json_t *o, const char *key, const char *none)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : none;
}

static void print_text(const json_t *site, bool judged)
{
	size_t i;
	json_t *o;

	printf("site      %s\nagent     %s\nstatus    %s\nupdated   ", str(site, "name", "?"),
	       str(site, "agent", "?"), str(site, "status", "?"));
	cli_print_time(json_integer_value(json_object_get(site, "updated_at")));
	printf("\ndocument  %s\n\n", str(site, "document", "?"));
	printf("%-9s %-32s %-8s %s\n", "STATUS", "CODE", "ORIGIN", "TARGET / MESSAGE");
	json_array_foreach(json_object_get(site, "findings"), i, o)
	{
		printf("%-9s %-32s %-8s %s\n", str(o, "status", "?"), str(o, "code", "?"),
		       str(o, "origin", "agent"), str(o, "target", "-"));
		printf("%51s %s\n", "", str(o, "message", ""));
	}
	printf("\n%-18s %-28s %-14s %-14s %s\n", "KIND", "SLUG", "VERSION", "LATEST", "STATUS");
	json_array_foreach(json_object_get(site, "inventory"), i, o)
	{
		const json_t *c = json_object_get(o, "catalog");
		printf("%-18s %-28s %-14s %-14s %s\n", str(o, "kind", "?"), str(o, "slug", "-"),
		       str(o, "version", "-"), str(c, "latest", "-"),
		       !judged           ? "(no catalog)"
		       : json_is_null(c) ? "-"
					 : str(c, "status", "?"));
	}
}

int site_cmd(struct store *s, const struct catalog_index *idx, char **args, int n_args,
	     const char *format)
{
	struct hu_err err = HU_ERR_INIT;
	json_t *site = NULL;
	int r;

	if (n_args != 3 || strcmp(args[1], "show") != 0) {
		fprintf(stderr, "huolto-collector: usage: site show NAME\n");
		return EXIT_USAGE;
	}
	r = s->ops->site_get(s, args[2], &site, &err);
	if (r >= 0)
		r = catalog_judge_inventory(idx, json_object_get(site, "inventory"), time(NULL));
	if (r < 0) {
		char ebuf[128];
		fprintf(stderr, "huolto-collector: site show: %s\n",
			hu_err_text(&err, r, ebuf, sizeof(ebuf)));
		hu_err_clear(&err);
		json_decref(site);
		return EXIT_FAIL;
	}
	if (format && strcmp(format, "json") == 0) {
		json_dumpf(site, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_text(site, idx != NULL);
	}
	json_decref(site);
	return 0;
}
