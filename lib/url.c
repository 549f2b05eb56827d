/* SPDX-License-Identifier: MIT */
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "huolto/url.h"

int hu_url_scheme(const char *url, char **ret, const char **ret_why)
{
	CURLU *u = curl_url();
	char *scheme = NULL;

	if (!u)
		return -ENOMEM;
	CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_cleanup(u);
	if (uc != CURLUE_OK) {
		*ret_why = curl_url_strerror(uc);
		return uc == CURLUE_OUT_OF_MEMORY ? -ENOMEM : -EINVAL;
	}
	*ret = strdup(scheme);
	curl_free(scheme);
	return *ret ? 0 : -ENOMEM;
}
