/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

#include "catalog_eval.h"
#include "catalog_reeval.h"
#include "huolto/log.h"

/* One stored document evaluated again: 0, 1 when skipped, or the store's error. */
static int reeval_one(struct store *s, const struct catalog_index *idx,
		      const struct store_alerts *alerts, const char *id, time_t now,
		      struct catalog_reeval_result *ret, struct hu_err *err)
{
	struct hu_err derr = HU_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	json_error_t je;
	int r = s->ops->document_get(s, id, &text, &len, &derr);
	json_t *doc = r >= 0 ? json_loadb(text, len, 0, &je) : NULL;

	free(text);
	if (!doc) {
		hu_log_warning("catalog: document %s not evaluated again: %s", id,
			       r < 0 ? hu_err_msg(&derr) : je.text);
		hu_err_clear(&derr);
		return r == -ENOMEM ? r : 1;
	}
	r = catalog_eval_doc(idx, doc, now);
	if (r >= 0) {
		struct store_doc d = {
			.id = id,
			.agent = json_string_value(
			    json_object_get(json_object_get(doc, "agent"), "name")),
			.text = NULL,
			.doc = doc,
			.received_at = now,
			.alerts = alerts,
			.catalog_only = true,
		};
		struct store_put put = { 0 };
		r = d.agent ? s->ops->document_put(s, &d, &put, err) : 1;
		if (r == 0) {
			ret->documents++;
			ret->queued += put.queued;
		}
	}
	json_decref(doc);
	return r;
}

int catalog_reeval(struct store *s, const struct catalog_index *idx,
		   const struct store_alerts *alerts, time_t now, struct catalog_reeval_result *ret,
		   struct hu_err *err)
{
	json_t *ids = NULL;
	size_t i;
	int r = s->ops->documents_current(s, &ids, err);

	*ret = (struct catalog_reeval_result){ 0 };
	for (i = 0; r >= 0 && i < json_array_size(ids); i++)
		r = reeval_one(s, idx, alerts, json_string_value(json_array_get(ids, i)), now, ret,
			       err);
	json_decref(ids);
	return r < 0 ? r : 0;
}
