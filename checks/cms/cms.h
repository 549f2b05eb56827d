/* SPDX-License-Identifier: MIT */
/*
 * CMS inventory: WordPress, Drupal and Joomla installs found under a site's
 * document root, and what each has installed. Files are read as text through
 * the host interface and never executed; every read is bounded.
 *
 * The parts: cms_text.c (PHP, INI and YAML values read as text),
 * cms_wpheader.c (WordPress's get_file_data()), cms_item.c (inventory
 * items and their JSON), cms_find.c (installs under a docroot),
 * cms_wordpress.c, cms_drupal.c, cms_joomla.c (one per CMS), and cms.c (the
 * check). The db check uses cms_find and cms_text to read credentials.
 */
#ifndef HUOLTO_CHECKS_CMS_H
#define HUOLTO_CHECKS_CMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "huolto/err.h"
#include "huolto/host.h"
#include "huolto/strv.h"

/* Bounds on what is read. */
#define CMS_MAX_CORE_FILE  (256u << 10) /* version.php, Drupal.php, wp-config.php, ... */
#define CMS_MAX_HEADER     8192u        /* WordPress reads this much of a header */
#define CMS_MAX_INFO       (64u << 10)  /* a Drupal .info / .info.yml */
#define CMS_MAX_MANIFEST   (1u << 20)   /* a Joomla manifest */
#define CMS_MAX_INSTALLED  (8u << 20)   /* vendor/composer/installed.json */
#define CMS_MAX_ITEMS      5000         /* inventory items per site */
#define CMS_MAX_SKIPPED    100          /* skipped items kept per site (more are counted) */
#define CMS_MAX_UNREADABLE 20           /* cms.unreadable findings per site */
#define CMS_MAX_STRING     512          /* bytes kept of any text read from a site */
#define CMS_MAX_DIRS       20000        /* directories listed per site */
#define CMS_DEPTH_DEFAULT  2
#define CMS_DEPTH_MAX      8

/* ---- cms_text.c: values from PHP, INI and YAML read as text ---------- */

/*
 * The value assigned to PHP variable $name ("$name = value;"), the first
 * assignment in the text. A string literal is unquoted (single quotes: \'
 * and \\; double quotes: the common escapes, no interpolation); anything
 * else is the bare text up to ";" trimmed. -ENOENT when absent.
 * *ret is malloc'd.
 */
int cms_php_var(const char *text, size_t len, const char *name, char **ret);
/* "const NAME = value;" (optionally "public const" and the like), first one. */
int cms_php_const(const char *text, size_t len, const char *name, char **ret);
/*
 * define('NAME', value) (any case of define, either quote, spaces), the
 * first one whose value is a literal. -ENOENT when absent; -EINVAL when every
 * definition is an expression (*ret is untouched).
 */
int cms_php_define(const char *text, size_t len, const char *name, char **ret);
/*
 * Read a PHP literal at *p (string, number, true/false/null or a bare word)
 * up to end; *ret is the unquoted value and *p moves past it. -EINVAL when
 * what is there is an expression (concatenation, a call, a variable).
 */
int cms_php_literal(const char **p, const char *end, char **ret);

/*
 * A copy of PHP source with its comments (slash-star, //, #) turned into
 * spaces, strings left alone, so that a commented-out define() is not
 * read. Same length; NULL on ENOMEM.
 */
char *cms_php_strip_comments(const char *text, size_t len);

/*
 * The value of top-level key in an INI-like Drupal 7 .info file ("key =
 * value", ";" comments) or in a YAML file's top level ("key: value"); the
 * last assignment wins, quotes are removed. -ENOENT when absent.
 */
int cms_ini_value(const char *text, size_t len, const char *key, char **ret);
int cms_yaml_value(const char *text, size_t len, const char *key, char **ret);

/*
 * Text from a site made safe to keep: at most CMS_MAX_STRING bytes (cut on a
 * character boundary), invalid UTF-8 replaced by U+FFFD, control characters
 * dropped, surrounding space trimmed. NULL for NULL, "" or ENOMEM.
 */
char *cms_clean(const char *s);

/* ---- cms_wpheader.c -------------------------------------------------- */

/*
 * WordPress's get_file_data() on the first CMS_MAX_HEADER bytes of a file:
 * for each of n header names, the first line (CR, LF or CRLF ends a line)
 * that reads  [ws]<?php? [ \t/ *#@]* Name: value , the name matched without
 * regard to case; the value cut at the first  * / or ?>  and trimmed.
 * ret[i] is malloc'd, or NULL when the header is absent or empty.
 * At most 16 names (-EINVAL beyond); -ENOMEM leaves every ret[i] NULL.
 */
int cms_wp_headers(const char *data, size_t len, const char *const *names, size_t n, char **ret);

/* ---- cms_item.c ------------------------------------------------------ */

enum cms_kind {
	CMS_WORDPRESS_CORE,
	CMS_WORDPRESS_PLUGIN,
	CMS_WORDPRESS_MU_PLUGIN,
	CMS_WORDPRESS_DROPIN,
	CMS_WORDPRESS_THEME,
	CMS_DRUPAL_CORE,
	CMS_DRUPAL_MODULE,
	CMS_DRUPAL_THEME,
	CMS_JOOMLA_CORE,
	CMS_JOOMLA_EXTENSION,
	_CMS_KIND_MAX,
};

const char *cms_kind_name(enum cms_kind k);

/* What one site's inventory holds while it is being read. */
struct cms_inventory {
	json_t *items;      /* array of item objects */
	json_t *installs;   /* array: {kind, version, path} of each core found */
	json_t *skipped;    /* array: {path, reason}, at most CMS_MAX_SKIPPED */
	size_t n_skipped;   /* all skipped, also those not kept */
	json_t *unreadable; /* array: {path, error}; the check turns them into findings */
	size_t n_unreadable;
	size_t items_dropped; /* beyond CMS_MAX_ITEMS */
	size_t files_read;
	size_t dirs_listed;
};

int cms_inventory_init(struct cms_inventory *inv);
void cms_inventory_clear(struct cms_inventory *inv);

/*
 * A new item object of kind with the given fields (each cleaned with
 * cms_clean; NULL ones become JSON null for name and version, and are left
 * out otherwise). Add further keys with cms_item_set. Returns NULL on ENOMEM.
 */
json_t *cms_item_new(enum cms_kind kind, const char *slug, const char *name, const char *version,
		     const char *path);
/* Set key to the cleaned text s (nothing when s is NULL or empty). */
int cms_item_set(json_t *item, const char *key, const char *s);
/* Append item (reference stolen); beyond CMS_MAX_ITEMS it is counted, not kept. */
int cms_inventory_add(struct cms_inventory *inv, json_t *item);
/* Note something left out, and why. */
int cms_inventory_skip(struct cms_inventory *inv, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Note a file or directory that could not be read (errnum negative). */
int cms_inventory_unreadable(struct cms_inventory *inv, const char *path, int errnum);
/* Note a core install. */
int cms_inventory_install(struct cms_inventory *inv, enum cms_kind kind, const char *version,
			  const char *path);

/*
 * Read path (at most max bytes) through h, counting it; a failure other
 * than -ENOENT is noted as unreadable. Regular files only.
 */
int cms_read(struct hu_host *h, struct cms_inventory *inv, const char *path, size_t max,
	     struct hu_file *ret);
/* List dir through h, sorted, counting it; failures other than -ENOENT noted. */
int cms_list(struct hu_host *h, struct cms_inventory *inv, const char *dir, struct hu_dir *ret);
/*
 * Call fn for each entry of dir (sorted; names starting with "." left out)
 * with the entry's name, full path and the type the listing gave (see
 * struct hu_dirent; cms_entry_is() follows it). Stops at fn's first negative
 * return. Returns -ENOMEM or what fn returned; a directory that cannot be
 * listed is noted (see cms_list) and is not an error.
 */
typedef int (*cms_entry_fn)(void *ctx, const char *name, const char *path, enum hu_file_type type);
int cms_each(struct hu_host *h, struct cms_inventory *inv, const char *dir, cms_entry_fn fn,
	     void *ctx);
/* "dir/name" (malloc'd; NULL on ENOMEM). */
char *cms_path(const char *dir, const char *name);
/*
 * True when the entry at path, of the type its listing gave, is of type
 * want once links are followed (a stat only when the listing did not tell).
 */
bool cms_entry_is(struct hu_host *h, const char *path, enum hu_file_type listed,
		  enum hu_file_type want);
/* True when path names a regular file (following links). */
bool cms_is_file(struct hu_host *h, const char *path);

/* ---- cms_find.c ------------------------------------------------------ */

enum cms_family {
	CMS_FAMILY_WORDPRESS,
	CMS_FAMILY_DRUPAL8, /* Drupal 8 and later */
	CMS_FAMILY_DRUPAL7, /* Drupal 7 (and 6) */
	CMS_FAMILY_JOOMLA,  /* 4 and later: libraries/src/Version.php */
	CMS_FAMILY_JOOMLA3, /* 2.5 to 3.x: libraries/cms/version/version.php */
};

struct cms_install {
	enum cms_family family;
	char *root; /* the directory holding the CMS (ABSPATH, DRUPAL_ROOT, JPATH_ROOT) */
};

struct cms_installs {
	struct cms_install *v;
	size_t n;
};

/*
 * Every install in docroot and its subdirectories down to depth levels
 * (0: the docroot only), in path order. Symbolic links are followed, each
 * directory once; dot directories and the CMSs' own directories are not
 * entered. Directories that cannot be listed are noted in inv (which may
 * be NULL).
 */
int cms_find(struct hu_host *h, const char *docroot, unsigned depth, struct cms_inventory *inv,
	     struct cms_installs *ret);
void cms_installs_clear(struct cms_installs *is);

/*
 * The whole inventory of a docroot: cms_find, then each install's reader.
 * Only -ENOMEM (and -E2BIG from the findings) are failures; everything else
 * is noted in inv.
 */
int cms_inventory_site(struct hu_host *h, const char *docroot, unsigned depth,
		       struct cms_inventory *inv);

/* ---- one reader per CMS ---------------------------------------------- */

int cms_wordpress_read(struct hu_host *h, const char *root, struct cms_inventory *inv);
int cms_drupal_read(struct hu_host *h, const char *root, bool d7, struct cms_inventory *inv);
int cms_joomla_read(struct hu_host *h, const char *root, struct cms_inventory *inv);

/*
 * wp-config.php of the WordPress at root: root/wp-config.php, or the one in
 * the parent directory when that directory is not itself a WordPress (the
 * rule of wp-load.php). *ret is malloc'd; -ENOENT when there is none.
 */
int cms_wp_config_path(struct hu_host *h, const char *root, char **ret);

#endif
