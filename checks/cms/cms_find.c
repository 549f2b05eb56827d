/* SPDX-License-Identifier: MIT */
/*
 * Finding CMS installs under a document root: each directory down to the
 * configured depth is looked at for the file that marks each CMS. Links are
 * followed, but a directory is entered once (by device and inode), so a
 * link loop ends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cms.h"

/* The file that marks each family, relative to the install's root. */
static const struct {
	enum cms_family family;
	const char *marker;
} markers[] = {
	{ CMS_FAMILY_WORDPRESS, "wp-includes/version.php" },
	{ CMS_FAMILY_DRUPAL8, "core/lib/Drupal.php" },
	{ CMS_FAMILY_DRUPAL7, "includes/bootstrap.inc" },
	{ CMS_FAMILY_JOOMLA, "libraries/src/Version.php" },
	{ CMS_FAMILY_JOOMLA3, "libraries/cms/version/version.php" },
};

/*
 * Directories that belong to a CMS (or hold uploads and caches) and never
 * hold another install: not entered, which keeps the walk short.
 */
static const char *const not_entered[] = {
	"wp-admin",   "wp-includes",
	"wp-content", "core",
	"vendor",     "node_modules",
	"modules",    "themes",
	"profiles",   "sites",
	"includes",   "misc",
	"libraries",  "administrator",
	"components", "plugins",
	"templates",  "media",
	"cache",      "tmp",
	"logs",       "language",
	"images",     "uploads",
	"cgi-bin",    "bower_components",
};

struct seen {
	uint64_t *dev, *ino;
	size_t n, cap;
};

static int seen_add(struct seen *s, const struct hu_stat *st)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->dev[i] == st->dev && s->ino[i] == st->ino)
			return 1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		uint64_t *d = realloc(s->dev, cap * sizeof(*d));
		if (!d)
			return -ENOMEM;
		s->dev = d;
		uint64_t *i = realloc(s->ino, cap * sizeof(*i));
		if (!i)
			return -ENOMEM;
		s->ino = i;
		s->cap = cap;
	}
	s->dev[s->n] = st->dev;
	s->ino[s->n++] = st->ino;
	return 0;
}

static bool entered(const char *name)
{
	if (name[0] == '.')
		return false;
	for (size_t i = 0; i < sizeof(not_entered) / sizeof(*not_entered); i++)
		if (strcmp(name, not_entered[i]) == 0)
			return false;
	return true;
}

static int push(struct cms_installs *is, enum cms_family f, const char *root)
{
	struct cms_install *v = realloc(is->v, (is->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	is->v = v;
	v[is->n].root = strdup(root);
	if (!v[is->n].root)
		return -ENOMEM;
	v[is->n++].family = f;
	return 0;
}

struct walk {
	struct hu_host *h;
	struct cms_inventory *inv;
	struct seen seen;
	struct cms_installs *out;
};

static int by_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct hu_dirent *)entry)->name);
}

/*
 * Whether dir holds marker (1, else 0; -ENOMEM): when the listing of dir is
 * known, only markers whose first component it holds are looked at (a stat
 * each).
 */
static int has_marker(struct walk *w, const char *dir, const struct hu_dir *names,
		      const char *marker)
{
	struct hu_stat ms;
	char first[64];
	size_t n = strcspn(marker, "/");

	if (names && n < sizeof(first)) {
		memcpy(first, marker, n);
		first[n] = '\0';
		if (names->n == 0 ||
		    !bsearch(first, names->v, names->n, sizeof(*names->v), by_name))
			return 0;
	}
	char *m = cms_path(dir, marker);
	if (!m)
		return -ENOMEM;
	int r = hu_host_stat(w->h, m, true, &ms, NULL);
	free(m);
	return r == -ENOMEM ? r : r == 0;
}

static int walk(struct walk *w, const char *dir, unsigned depth)
{
	struct hu_dir names = HU_DIR_INIT;
	bool listed = false;
	struct hu_stat st;
	int r;

	r = hu_host_stat(w->h, dir, true, &st, NULL);
	if (r < 0 || st.type != HU_FILE_DIR)
		return r == -ENOMEM ? r : 0;
	r = seen_add(&w->seen, &st);
	if (r != 0)
		return r < 0 ? r : 0;
	if (depth > 0) {
		r = cms_list(w->h, w->inv, dir, &names);
		if (r == -ENOMEM)
			return r;
		listed = r >= 0;
	}
	r = 0;
	for (size_t i = 0; i < sizeof(markers) / sizeof(*markers); i++) {
		r = has_marker(w, dir, listed ? &names : NULL, markers[i].marker);
		if (r == 0)
			continue;
		/* Joomla 3.8+ keeps a legacy version.php too: the first marker wins. */
		if (r == 1)
			r = push(w->out, markers[i].family, dir);
		break;
	}
	for (size_t i = 0; i < names.n && r >= 0; i++) {
		const struct hu_dirent *e = &names.v[i];
		if (!entered(e->name))
			continue;
		char *sub = cms_path(dir, e->name);
		if (!sub)
			r = -ENOMEM;
		else if (cms_entry_is(w->h, sub, e->type, HU_FILE_DIR))
			r = walk(w, sub, depth - 1);
		free(sub);
	}
	hu_dir_clear(&names);
	return r;
}

int cms_find(struct hu_host *h, const char *docroot, unsigned depth, struct cms_inventory *inv,
	     struct cms_installs *ret)
{
	struct cms_installs out = { 0 };
	struct walk w = { .h = h, .inv = inv, .out = &out };
	int r;

	r = walk(&w, docroot, depth);
	free(w.seen.dev);
	free(w.seen.ino);
	if (r < 0) {
		cms_installs_clear(&out);
		return r;
	}
	cms_installs_clear(ret);
	*ret = out;
	return 0;
}

void cms_installs_clear(struct cms_installs *is)
{
	if (!is)
		return;
	for (size_t i = 0; i < is->n; i++)
		free(is->v[i].root);
	free(is->v);
	*is = (struct cms_installs){ 0 };
}
