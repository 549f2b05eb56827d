#!/bin/sh
# hu_version_compare() against PHP's own version_compare(), on every pair of
# a corpus of tricky versions and on pseudo-random ones (a fixed seed, so
# that a failure can be reproduced).
. "$(dirname "$0")/lib.sh"
need php
need awk
: "${VERCMP:?run through ctest}"

cat >"$TMP/corpus" <<'V'
1
1.0
1.0.0
1.00
01.0
1.0.0.0
1.0.1
1.1
1.10
1.9
2
10
0
0.0
1.0-dev
1.0dev
1.0alpha
1.0a
1.0a1
1.0-alpha2
1.0beta
1.0b1
1.0-beta.3
1.0RC1
1.0rc1
1.0-RC2
1.0#1
1.0pl1
1.0p1
1.0-patch1
1.0+build5
1.0_1
1.0-foo
1..0
1.0.
.1
-1
abc
6.8
6.8-RC1
6.8-alpha-59551
6.8-beta1-60000-src
8.2.29
8.2.29-1+deb12u1
8.x-1.15
8.x-1.2
7.x-3.11
10.5.0-rc2
4-dev
5.4.8
5.4.112
3.6.5
V
# every pair of the corpus
awk 'NR==FNR { v[++n] = $0; next } END { for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) print v[i] "\t" v[j] }' \
	"$TMP/corpus" "$TMP/corpus" >"$TMP/pairs"
# and 5000 pseudo-random versions built from parts PHP treats specially
awk 'BEGIN {
	srand(20261122)
	split("0 1 2 9 10 99 007 dev alpha a beta b RC rc pl p # x . - _ +", t, " ")
	for (k = 0; k < 5000; k++) {
		line = ""
		for (side = 0; side < 2; side++) {
			s = ""; n = 1 + int(rand() * 5)
			for (i = 0; i < n; i++) s = s t[1 + int(rand() * length(t))]
			line = line (side ? "\t" : "") s
		}
		print line
	}
}' >>"$TMP/pairs"
total=$(wc -l <"$TMP/pairs")
php -n -r 'while (($l = fgets(STDIN)) !== false) { $p = explode("\t", rtrim($l, "\n"), 2); echo version_compare($p[0], $p[1]), "\n"; }' \
	<"$TMP/pairs" >"$TMP/php.out"
"$VERCMP" <"$TMP/pairs" >"$TMP/huolto.out"
if ! cmp -s "$TMP/php.out" "$TMP/huolto.out"; then
	paste "$TMP/pairs" "$TMP/php.out" "$TMP/huolto.out" | awk -F '\t' '$3 != $4 { print "  [" $1 "] vs [" $2 "]: php " $3 ", huolto " $4 }' | head -20
	fail "version_compare differs from PHP"
fi
echo "PASS: $total pairs agree with PHP $(php -n -r 'echo PHP_VERSION;')"
