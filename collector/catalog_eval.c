/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "catalog_eval.h"
#include "catalog_judge.h"
#include "huolto/status.h"

/* The agent's verdicts on a PHP's end of life (checks/php), which the catalog re-judges. */
static bool php_verdict(const char *code)
{
	static const char *const codes[] = { "php.ok",
					     "php.eol",
					     "php.eol_soon",
					     "php.security_only",
					     "php.eol_data_stale",
					     "php.branch_unknown" };

	for (size_t i = 0; code && i < sizeof(codes) / sizeof(*codes); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

static json_t *finding_new(const struct catalog_judgement *j, const char *target)
{
	json_t *f =
	    json_pack("{s:s, s:s, s:s?, s:s, s:O?, s:s}", "code", j->code, "status",
		      hu_status_name(j->status), "target", target, "message",
		      j->message ? j->message : "", "facts", j->facts, "origin", CATALOG_ORIGIN);

	if (f && !j->facts)
		json_object_set_new(f, "facts", json_object());
	return f;
}

/* Append j as a finding about target to findings when it has something to say. */
static int add(json_t *findings, struct catalog_judgement *j, const char *target)
{
	int r = 0;

	if (j->code && j->status != HU_OK) {
		json_t *f = finding_new(j, target);
		r = f && json_array_append_new(findings, f) == 0 ? 0 : -ENOMEM;
	}
	catalog_judgement_clear(j);
	return r;
}

static int eval_inventory(const struct catalog_index *idx, json_t *inventory, json_t *findings,
			  time_t now)
{
	size_t i;
	json_t *item;

	json_array_foreach(inventory, i, item)
	{
		struct catalog_judgement j;
		int r = catalog_judge_item(idx, item, inventory, now, &j);
		if (r == 0)
			r = add(findings, &j, json_string_value(json_object_get(item, "path")));
		catalog_judgement_clear(&j);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * An agent's PHP verdict, judged again in place with the catalog's PHP
 * data. Without current data, the agent's verdict (from its own dated
 * table) stands; it is marked as the catalog's either way, so that a
 * later evaluation owns it (catalog_only) whichever way it went.
 */
static int eval_php(const struct catalog_index *idx, json_t *f, time_t now)
{
	json_t *facts = json_object_get(f, "facts");
	const char *version = json_string_value(json_object_get(facts, "version"));
	const char *branch = json_string_value(json_object_get(facts, "branch"));
	struct catalog_judgement j;
	json_t *nf = json_is_object(facts) ? json_deep_copy(facts) : json_object();
	int r = nf ? 0 : -ENOMEM;

	if (r < 0 || (!version && !branch)) {
		json_decref(nf);
		return r;
	}
	r = catalog_judge_php(idx, version ? version : branch, now, &j);
	json_object_set_new(nf, "agent_code", json_copy(json_object_get(f, "code")));
	json_object_set(f, STORE_REPLACES, json_object_get(nf, "agent_code"));
	if (r >= 0 && j.code && strncmp(j.code, "php.", 4) == 0) {
		json_object_update(nf, j.facts);
		json_object_set_new(f, "code", json_string(j.code));
		json_object_set_new(f, "status", json_string(hu_status_name(j.status)));
		json_object_set_new(f, "message", json_string(j.message ? j.message : ""));
	} else if (r >= 0) {
		/* why the catalog could not judge it: catalog.unknown or catalog.stale */
		json_object_set_new(nf, "catalog",
				    json_string(j.code ? j.code : "catalog.unknown"));
	}
	json_object_set_new(f, "facts", nf);
	json_object_set_new(f, "origin", json_string(CATALOG_ORIGIN));
	catalog_judgement_clear(&j);
	return r;
}

/* Whether target was judged already in this list (a server with several accounts). */
static bool seen_db(json_t *seen, const char *target)
{
	if (json_object_get(seen, target))
		return true;
	json_object_set_new(seen, target, json_true());
	return false;
}

/* The agent's findings: PHP verdicts re-judged, database servers' versions judged. */
static int eval_findings(const struct catalog_index *idx, json_t *findings, time_t now)
{
	size_t i, n = json_array_size(findings);
	json_t *seen = json_object();
	int r = seen ? 0 : -ENOMEM;

	for (i = 0; r >= 0 && i < n; i++) {
		json_t *f = json_array_get(findings, i);
		const char *code = json_string_value(json_object_get(f, "code"));
		const char *target = json_string_value(json_object_get(f, "target"));
		json_t *facts = json_object_get(f, "facts");
		const char *version = json_string_value(json_object_get(facts, "version"));
		json_object_del(f, "origin");
		json_object_del(f, STORE_REPLACES);
		if (php_verdict(code)) {
			r = eval_php(idx, f, now);
		} else if (code && strncmp(code, "db.", 3) == 0 && version && target &&
			   !seen_db(seen, target)) {
			struct catalog_judgement j;
			r = catalog_judge_db(idx, version,
					     json_string_value(json_object_get(facts, "flavour")),
					     now, &j);
			if (r >= 0)
				r = add(findings, &j, target);
			catalog_judgement_clear(&j);
		}
	}
	json_decref(seen);
	return r;
}

static const char *worst(json_t *findings)
{
	enum hu_status w = HU_OK;
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
	{
		enum hu_status s =
		    hu_status_from_name(json_string_value(json_object_get(f, "status")));
		if (s != _HU_STATUS_INVALID)
			w = hu_status_worst(w, s);
	}
	return hu_status_name(w);
}

int catalog_eval_doc(const struct catalog_index *idx, json_t *doc, time_t now)
{
	json_t *server = json_object_get(json_object_get(doc, "server"), "findings");
	json_t *site;
	size_t i;
	int r = json_is_array(server) ? eval_findings(idx, server, now) : 0;

	json_array_foreach(json_object_get(doc, "sites"), i, site)
	{
		json_t *findings = json_object_get(site, "findings");
		if (r < 0)
			break;
		if (!json_is_array(findings))
			continue;
		r = eval_findings(idx, findings, now);
		if (r >= 0)
			r = eval_inventory(idx, json_object_get(site, "inventory"), findings, now);
		if (r >= 0)
			r = json_object_set_new(site, "status", json_string(worst(findings))) == 0
				? 0
				: -ENOMEM;
	}
	return r;
}
