/* SPDX-License-Identifier: MIT */
#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_plan.h"

int catalog_plan_add(struct catalog_plan *p, char *url, char *post, char *about, bool not_found_ok)
{
	if (!url)
		goto nomem;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct catalog_call *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			goto nomem;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = (struct catalog_call){ .url = url,
					      .post = post,
					      .post_len = post ? strlen(post) : 0,
					      .about = about,
					      .not_found_ok = not_found_ok };
	return 0;
nomem:
	free(url);
	free(post);
	free(about);
	return -ENOMEM;
}

void catalog_plan_clear(struct catalog_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].url);
		free(p->v[i].post);
		free(p->v[i].about);
	}
	free(p->v);
	*p = (struct catalog_plan){ 0 };
}

char *catalog_form_escape(const char *s)
{
	/* libcurl ignores the handle here (7.82 and later). */
	char *e = curl_easy_escape(NULL, s, (int)strlen(s));
	char *r = e ? strdup(e) : NULL;

	curl_free(e);
	return r;
}
