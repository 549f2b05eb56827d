/* SPDX-License-Identifier: MIT */
/*
 * The collector's storage, behind one interface: SQLite now (store_sqlite.c),
 * a MariaDB backend for several collectors later. Every call is one
 * transaction; a document is committed before document_put returns.
 */
#ifndef HUOLTO_COLLECTOR_STORE_H
#define HUOLTO_COLLECTOR_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "alert_rule.h"
#include "huolto/err.h"

/* Who holds a credential. */
enum store_role {
	STORE_AGENT,
	STORE_OPERATOR,
};

#define STORE_CHANNELS_MAX 3

/* Alerting, when configured: the rule, and the channels an event is queued for. */
struct store_alerts {
	struct alert_policy policy;
	const char *channels[STORE_CHANNELS_MAX]; /* "alertmanager", "webhook", "smtp" */
	size_t n_channels;
	int64_t grace_s; /* heartbeat.grace */
};

/*
 * A finding's "origin" when the collector added it by evaluating the
 * document against the catalog (catalog_eval.h); agents' findings have none.
 */
#define STORE_ORIGIN_CATALOG "catalog"
/*
 * A catalog finding's "replaces": the code of the agent's finding (same
 * target) it was judged from, which a catalog_only put drops.
 */
#define STORE_REPLACES "replaces"

/* A validated report document to store. */
struct store_doc {
	const char *id;    /* the document's id */
	const char *agent; /* agent.name */
	const char *text;  /* the whole document, as received */
	size_t len;
	json_t *doc; /* parsed; sites, findings and inventory are read from it */
	time_t received_at;
	const struct store_alerts *alerts; /* NULL: no alerting */
	/*
	 * The document is stored already and its findings were evaluated against
	 * a newer catalog: take in only the findings whose "origin" is "catalog"
	 * (and drop the agent's verdicts they replaced), for the sites whose
	 * current document it still is.
	 */
	bool catalog_only;
};

/* What storing a document did. */
struct store_put {
	bool duplicate;  /* its id was stored before: nothing changed */
	unsigned queued; /* alert deliveries queued */
};

/* A queued alert delivery. */
struct store_queued {
	int64_t id;
	char *channel;
	char *event; /* the event, JSON text (alert_event.h) */
	time_t created_at;
	int64_t attempts; /* failed so far */
};

struct store;

/* One entry of the hours log. */
struct store_hours {
	int64_t id;          /* 0 for a new entry */
	const char *date;    /* YYYY-MM-DD */
	const char *site;    /* the site the work was for */
	int64_t hours;       /* hundredths (money.h): 1.5 h is 150 */
	const char *kind;    /* maintenance, development, support */
	const char *who;     /* who did it */
	const char *note;    /* what was done */
	const char *finding; /* the finding code it fixed, or NULL */
};

/* A site's report model (JSON text) frozen when its month is closed. */
struct store_frozen {
	const char *site;
	const char *model;
};

struct store_ops {
	const char *name;
	/* Add a credential holder with the SHA-256 (hex) of its token; -EEXIST when the name is
	 * taken. */
	int (*principal_add)(struct store *s, enum store_role role, const char *name,
			     const char *token_sha256, time_t now, struct hu_err *err);
	/* Revoke every token of name; -ENOENT when there is no such holder. */
	int (*principal_revoke)(struct store *s, enum store_role role, const char *name, time_t now,
				struct hu_err *err);
	/* The holder of an unrevoked token with this hash: 0 and *ret_name (owned), or -ENOENT. */
	int (*principal_find)(struct store *s, enum store_role role, const char *token_sha256,
			      char **ret_name, struct hu_err *err);
	/* 0 when name holds a live credential of role (a client certificate's CN), or -ENOENT. */
	int (*principal_active)(struct store *s, enum store_role role, const char *name,
				struct hu_err *err);
	/*
	 * Agents: [{name, created_at, revoked_at, documents, last_report}], by name.
	 * Operators: [{name, created_at, revoked_at}].
	 */
	int (*principal_list)(struct store *s, enum store_role role, json_t **ret,
			      struct hu_err *err);
	/*
	 * Store d and, with d->alerts, take its findings into the alert state, queueing
	 * an event per channel for every transition, in the same transaction.
	 */
	int (*document_put)(struct store *s, const struct store_doc *d, struct store_put *ret,
			    struct hu_err *err);
	/* The ids of each agent's latest document: [id, ...]. */
	int (*documents_current)(struct store *s, json_t **ret, struct hu_err *err);
	/* A stored document's text (NUL-terminated, owned) and length; -ENOENT. */
	int (*document_get)(struct store *s, const char *id, char **ret, size_t *ret_len,
			    struct hu_err *err);
	/*
	 * Every distinct item of the sites' current inventories, without what differs
	 * from site to site (path, name): what the catalog's per-item feeds ask about.
	 */
	int (*inventory_distinct)(struct store *s, json_t **ret, struct hu_err *err);
	/* Sites: [{name, agent, status, updated_at, document}], by name. */
	int (*site_list)(struct store *s, json_t **ret, struct hu_err *err);
	/* One site with its current findings and inventory; -ENOENT. */
	int (*site_get)(struct store *s, const char *name, json_t **ret, struct hu_err *err);
	/* Counts for /metrics: {documents, agents, findings: {ok, ...}, alerts_firing,
	 * alerts_queued}. */
	int (*counts)(struct store *s, json_t **ret, struct hu_err *err);
	/*
	 * The periodic part of alerting: raise agent.silent for every live agent silent for
	 * longer than a->grace_s, and queue the repeat of every firing alert that is due.
	 * *ret_queued counts the deliveries queued.
	 */
	int (*alert_tick)(struct store *s, const struct store_alerts *a, time_t now,
			  unsigned *ret_queued, struct hu_err *err);
	/*
	 * The oldest delivery queued for channel (so that a channel sees its events in
	 * order), when it is due by now: 1 and *ret (store_queued_clear it), or 0.
	 */
	int (*queue_next)(struct store *s, const char *channel, time_t now,
			  struct store_queued *ret, struct hu_err *err);
	/*
	 * The hours log. Entries of a closed month cannot be added, changed or
	 * deleted: -EPERM, err naming the month. Add n entries, all or none
	 * (*ret_first_id: the first one's id, the rest follow in order).
	 */
	int (*hours_add)(struct store *s, const struct store_hours *v, size_t n, time_t now,
			 int64_t *ret_first_id, struct hu_err *err);
	/* Replace entry h->id (its month and the new one must be open); -ENOENT. */
	int (*hours_edit)(struct store *s, const struct store_hours *h, time_t now,
			  struct hu_err *err);
	int (*hours_delete)(struct store *s, int64_t id, struct hu_err *err);
	/*
	 * Entries [{id, date, site, hours (hundredths), kind, who, note, finding}]
	 * by date and id: of month ("YYYY-MM") or all (NULL), of site or all
	 * (NULL); id > 0: that one only.
	 */
	int (*hours_list)(struct store *s, const char *month, const char *site, int64_t id,
			  json_t **ret, struct hu_err *err);
	/*
	 * Close or reopen month, logged with who and when; -EALREADY when it already is.
	 * Closing keeps the n report models of frozen with it, in the same transaction;
	 * reopening drops them.
	 */
	int (*month_set)(struct store *s, const char *month, bool closed, const char *who,
			 time_t now, const struct store_frozen *frozen, size_t n,
			 struct hu_err *err);
	/* The report models frozen with month: [{site, model (JSON text)}], by site. */
	int (*month_frozen)(struct store *s, const char *month, json_t **ret, struct hu_err *err);
	/*
	 * The documents that reported on site (NULL: on any site), generated in
	 * [from, to): [{site, document, at}] by time and document.
	 */
	int (*site_documents)(struct store *s, const char *site, time_t from, time_t to,
			      json_t **ret, struct hu_err *err);
	/* The names of the sites documents generated in [from, to) reported on, sorted. */
	int (*sites_between)(struct store *s, time_t from, time_t to, json_t **ret,
			     struct hu_err *err);
	/* {month, closed, log: [{action, who, at}]}: a month never closed is open. */
	int (*month_get)(struct store *s, const char *month, json_t **ret, struct hu_err *err);
	/* Delivered, or given up: remove it. */
	int (*queue_done)(struct store *s, int64_t id, struct hu_err *err);
	/* Failed: try again at next_at; error (no secrets in it) is kept for the API. */
	int (*queue_retry)(struct store *s, int64_t id, time_t next_at, const char *error,
			   struct hu_err *err);
	/* {firing: [...], queue: [{channel, queued, oldest, attempts, next_at, last_error}]}. */
	int (*alert_list)(struct store *s, json_t **ret, struct hu_err *err);
	void (*close)(struct store *s);
};

struct store {
	const struct store_ops *ops;
	void *data;
};

/* Open (creating and migrating) the SQLite database at path. */
int store_sqlite_open(const char *path, struct store **ret, struct hu_err *err);
/* The schema version a fresh database migrates to. */
int store_sqlite_version(void);

void store_close(struct store *s);
void store_queued_clear(struct store_queued *q);

#endif
