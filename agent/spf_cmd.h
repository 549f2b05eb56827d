/* SPDX-License-Identifier: MIT */
#ifndef HUOLTO_AGENT_SPF_CMD_H
#define HUOLTO_AGENT_SPF_CMD_H

#include <stdio.h>
#include <time.h>

#include "huolto/resolver.h"

/*
 * Evaluate SPF for a client at ip sending as sender (user@domain, a bare
 * domain, or "" for a null sender, which checks helo) and print the result
 * to out: the result's name on the first line, then the details. helo
 * NULL: this machine's host name. 0, or a negative errno (the message is
 * printed to stderr).
 */
int spf_cmd(struct hu_resolver *res, const char *ip, const char *sender, const char *helo,
	    time_t now, FILE *out);

#endif
