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

/*
 * How an ecosystem writes its versions, for comparing across feeds:
 *   HU_VERSION_PHP       version_compare() as it is (php.net, Joomla);
 *   HU_VERSION_WORDPRESS version_compare() with trailing ".0" parts of the
 *                        release ignored: WordPress writes 6.6.0 as "6.6";
 *   HU_VERSION_DRUPAL    "8.x-1.14" (the "8.x-" prefix of Drupal 8+ contrib
 *                        is the same line as semver "1.14.0"), "7.x-3.11"
 *                        (Drupal 7 contrib, comparable only with 7.x-),
 *                        core "10.4.2" and "7.101", "-beta1"/"-rc1"
 *                        suffixes; "1.x-dev" snapshots have no order;
 *   HU_VERSION_MYSQL     what the server reports: "8.0.36-0ubuntu0.22.04.1",
 *                        "10.11.6-MariaDB-0+deb12u1", and MariaDB's
 *                        "5.5.5-10.11.6-MariaDB" protocol prefix; the
 *                        numeric release is compared.
 */
enum hu_version_scheme {
	HU_VERSION_PHP,
	HU_VERSION_WORDPRESS,
	HU_VERSION_DRUPAL,
	HU_VERSION_MYSQL,
};

/*
 * Compare a and b under scheme: 0 with *ret -1, 0 or 1; -EINVAL when they
 * cannot be ordered (a dev snapshot, Drupal 7 against Drupal 8+, no number
 * to compare), -ENOMEM.
 */
int hu_version_compare_as(enum hu_version_scheme scheme, const char *a, const char *b, int *ret);

/*
 * The numeric release a MySQL or MariaDB server reports ("5.5.5-10.11.6-
 * MariaDB-0+deb12u1" → "10.11.6") into out; -EINVAL when it has none.
 */
int hu_version_mysql_release(const char *v, char *out, size_t len);

#endif
