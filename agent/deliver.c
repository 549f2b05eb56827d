/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

#include "deliver.h"
#include "huolto/log.h"

/* Statuses after which the same document will never be taken. */
static bool refused_for_good(long status)
{
	return status == 400 || status == 403 || status == 413 || status == 415;
}

int deliver_spool(const struct spool *sp, struct submit *sub, size_t max_doc,
		  struct deliver_stats *ret, struct hu_err *err)
{
	struct hu_strv names = HU_STRV_INIT;
	int r = spool_list(sp, &names, err);
	size_t i;

	*ret = (struct deliver_stats){ 0 };
	for (i = 0; r >= 0 && i < names.n; i++) {
		struct hu_err e = HU_ERR_INIT;
		const char *name = names.v[i];
		char *text = NULL;
		size_t len = 0;
		long status = 0;

		r = spool_read(sp, name, max_doc, &text, &len, &e);
		if (r < 0) {
			/* Unreadable or too big: it can never be sent as it is. */
			hu_log_warning("%s: %s", name, hu_err_msg(&e));
			hu_err_clear(&e);
			r = spool_refuse(sp, name, err);
			ret->refused++;
			continue;
		}
		r = submit_post(sub, text, len, &status, &e);
		free(text);
		if (r < 0) {
			r = hu_err_set(err, -EAGAIN, "%s", hu_err_msg(&e));
		} else if (status >= 200 && status < 300) {
			hu_log_info("%s: delivered (%ld)", name, status);
			ret->sent++;
			r = spool_remove(sp, name, err);
		} else if (refused_for_good(status)) {
			hu_log_error("%s: the collector refused it (%ld: %s); kept in %s", name,
				     status, hu_err_msg(&e), sp->refused);
			ret->refused++;
			r = spool_refuse(sp, name, err);
		} else {
			r = hu_err_set(err, -EAGAIN, "the collector answered %ld: %s", status,
				       hu_err_msg(&e));
		}
		hu_err_clear(&e);
	}
	/* What is left: the rest when stopped early, and the one that failed. */
	ret->waiting = (unsigned)(names.n - i) + (r == -EAGAIN);
	hu_strv_clear(&names);
	return r;
}
