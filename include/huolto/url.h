/* SPDX-License-Identifier: MIT */
/* Checking a configured URL with libcurl's parser. */
#ifndef HUOLTO_URL_H
#define HUOLTO_URL_H

/*
 * The scheme of url, lowercase, in *ret (free it). -EINVAL when url is not
 * a URL, with *ret_why saying why (static text); -ENOMEM.
 */
int hu_url_scheme(const char *url, char **ret, const char **ret_why);

#endif
