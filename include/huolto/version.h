/* SPDX-License-Identifier: MIT */
/*
 * Version strings, compared the way PHP's version_compare() compares them,
 * because every upstream feed huolto reads (WordPress, Drupal, Joomla,
 * php.net) and the CMS cores themselves use those semantics:
 *
 *   "-", "_", "+" and other non-alphanumerics separate parts; a change
 *   between digits and letters separates parts; numbers compare as
 *   numbers; words rank  (other) < dev < alpha = a < beta = b < RC = rc <
 *   number < pl = p. A missing part ranks as a number would when the
 *   other side has a word ("1.0" > "1.0rc1", "1.0" < "1.0pl1").
 */
#ifndef HUOLTO_VERSION_H
#define HUOLTO_VERSION_H

/* -1, 0 or 1, exactly as PHP's version_compare($a, $b). */
int hu_version_compare(const char *a, const char *b);

/*
 * The "major.minor" branch of a version ("8.2.29-1+deb12u1" → 8, 2).
 * Returns 0, or -EINVAL when v does not start with two numeric parts.
 */
int hu_version_branch(const char *v, unsigned *ret_major, unsigned *ret_minor);

#endif
