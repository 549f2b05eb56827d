/* SPDX-License-Identifier: MIT */
/*
 * Internals of the php check, shared by its files only.
 */
#ifndef HUOLTO_CHECKS_PHP_H
#define HUOLTO_CHECKS_PHP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "huolto/check.h"
#include "huolto/finding.h"
#include "huolto/host.h"
#include "huolto/strv.h"

/* ---- the end-of-life table (php_eol.c) ---- */

struct php_branch {
	unsigned major, minor;
	time_t initial_release;      /* 0: not known */
	time_t active_support_end;   /* 0: not known */
	time_t security_support_end; /* 0: not known */
};

struct php_eol_table {
	char *origin; /* the file it came from, or "built-in" */
	char *source; /* where the dates were published */
	time_t retrieved;
	struct php_branch *v;
	size_t n;
};

#define PHP_EOL_MAX_BYTES    (1u << 20)
#define PHP_EOL_MAX_BRANCHES 1000

/*
 * Parse a table: either huolto's wrapper {"source", "retrieved",
 * "branches": [...]} or php.net's bare branches.php array, in which case
 * the retrieval date is fallback_retrieved. Errors name origin and field.
 */
int php_eol_table_parse(const char *origin, const char *text, size_t len, time_t fallback_retrieved,
			struct php_eol_table *ret, struct hu_err *err);
/* data/php-branches.json, compiled in by the build (php_branches_data.c). */
extern const unsigned char php_branches_json[];
extern const size_t php_branches_json_len;

/* The table compiled into huolto. */
int php_eol_table_builtin(struct php_eol_table *ret, struct hu_err *err);
void php_eol_table_clear(struct php_eol_table *t);
const struct php_branch *php_eol_find(const struct php_eol_table *t, unsigned major,
				      unsigned minor);

struct php_verdict {
	enum hu_status status;
	const char *code;                /* php.ok, php.eol, ... */
	const struct php_branch *branch; /* NULL when not in the table */
	bool stale;                      /* the table is older than allowed */
	long table_age_days;
};

struct php_eol_policy {
	int warn_days;     /* php.eol_soon this many days before security support ends */
	int64_t max_age_s; /* the table counts as stale after this */
};

/* Judge branch major.minor at now. Pure: no I/O. */
void php_eol_judge(const struct php_eol_table *t, const struct php_eol_policy *p, unsigned major,
		   unsigned minor, time_t now, struct php_verdict *ret);

/* "YYYY-MM-DD" (a longer ISO 8601 string is cut to its date) → midnight UTC. */
int php_parse_date(const char *s, time_t *ret);
/* "YYYY-MM-DD" of t into buf (11 bytes). */
const char *php_format_date(time_t t, char *buf, size_t len);

/* ---- what is installed (php_find.c, php_pool.c) ---- */

enum php_sapi {
	PHP_SAPI_CLI,
	PHP_SAPI_FPM,
	PHP_SAPI_APACHE2,
	_PHP_SAPI_MAX,
};

const char *php_sapi_name(enum php_sapi s);

struct php_install {
	enum php_sapi sapi;
	char *binary;          /* the versioned path when there is one; NULL if not found */
	struct hu_strv paths;  /* every path that leads to this binary */
	char *version;         /* "8.2.29"; NULL when unknown */
	unsigned major, minor; /* valid when has_branch */
	bool has_branch;
	char *error; /* why the version is unknown */
	bool cron;   /* the CLI that cron's PATH finds first */
	uint64_t dev, ino;
};

struct php_pool {
	char *name;
	char *file;
	unsigned line;
	char *listen; /* normalized (huolto/fcgi.h); NULL when missing */
	char *user;
	unsigned major, minor; /* from the path /etc/php/X.Y/...; has_branch */
	bool has_branch;
};

struct php_inventory {
	struct php_install *installs;
	size_t n_installs;
	struct php_pool *pools;
	size_t n_pools;
};

struct php_find_conf {
	struct hu_strv cli_dirs; /* where php and phpX.Y are looked for */
	struct hu_strv fpm_dirs; /* where php-fpm and php-fpmX.Y are looked for */
	struct hu_strv binaries; /* further CLI binaries */
	struct hu_strv pool_globs;
	char *cron_path; /* PATH that cron gives jobs */
	int command_timeout_ms;
};

#define PHP_POOL_MAX_BYTES (1u << 20)
#define PHP_MAX_INSTALLS   64
#define PHP_MAX_POOLS      1024

/*
 * Find binaries and pools and ask each binary its version. Problems with
 * single files become findings in problems; the return value is for
 * failures of the run itself (ENOMEM).
 */
int php_inventory_build(struct hu_host *h, const struct php_find_conf *c, struct php_inventory *ret,
			struct hu_findings *problems);
void php_inventory_clear(struct php_inventory *inv);

/* Parse one pool file's text into inv's pools (php_pool.c). */
int php_pools_parse(const char *file, const char *text, size_t len, struct php_inventory *inv,
		    struct hu_findings *problems);

/* "PHP 8.2.29 (cli) (built: ...)" → "8.2.29" (caller frees); -EINVAL when not such output. */
int php_parse_version_output(const char *out, char **ret);

/* The FPM (or, for mod_php, CLI) install of a branch, or NULL. */
const struct php_install *php_inventory_find_branch(const struct php_inventory *inv,
						    enum php_sapi sapi, unsigned major,
						    unsigned minor);

#endif
