#!/bin/sh
# scripts/demo, the README's first command's main job, on the build under
# test: it ends with the paths of the month's reports, which exist and say
# what the demo did (the site, its checks, the hours and the bill to the
# cent); the agent's document holds the TLS, mail DNS and CMS results of
# the servers the demo started; the servers are stopped afterwards and the
# agent's token is printed nowhere.
. "$(dirname "$0")/lib.sh"
need nginx
need nsd
need openssl
need sqlite3
need pdftotext
[ -r /usr/share/wordpress/wp-includes/version.php ] || skip "Debian's wordpress is not installed"
BUILD=$(dirname "$(dirname "$AGENT")")
[ "$BUILD/collector/huolto-collector" -ef "$HUOLTO_COLLECTOR" ] || fail "the collector is not in $BUILD"

D=$TMP/demo
set +e
HUOLTO_DEMO_DIR=$D "$SRC/scripts/demo" "$BUILD" >"$TMP/out" 2>"$TMP/err"
STATUS=$?
set -e
assert_eq 0 "$STATUS" "scripts/demo: $(cat "$TMP/err")"
MONTH=$(date -u +%Y-%m)

note "the last lines are the reports' paths, and they exist"
expected="$D/reports/blog.demo.test-$MONTH.html
$D/reports/blog.demo.test-$MONTH.pdf
$D/reports/overview-$MONTH.html
$D/reports/overview-$MONTH.pdf"
assert_eq "$expected" "$(tail -n 4 "$TMP/out")" "the paths printed last"
for f in $expected; do
	[ -s "$f" ] || fail "$f is missing or empty"
done

note "the site's report: the hours, the bill to the cent, the checks' results"
pdftotext -layout "$D/reports/blog.demo.test-$MONTH.pdf" "$TMP/site.txt"
site=$(tr -s ' ' <"$TMP/site.txt")
assert_contains "$site" "Demo Customer Ltd" "the customer"
assert_contains "$site" "Monthly health check and updates" "an hours entry"
assert_contains "$site" "Hours used 2.75 h" "hours used"
# 150.00 + 0.75 h × 110.00 = 232.50; VAT 25.5 % = 59.2875 → 59.29
assert_contains "$site" "Subtotal €232.50" "subtotal"
assert_contains "$site" "Total €291.79" "total"
assert_contains "$site" "WordPress 6" "Debian's WordPress in the inventory"
assert_contains "$site" "v=spf1 mx ip4:127.0.0.1 -all" "the zone's SPF record"
assert_contains "$site" "huolto demo CA" "the served certificate's issuer"
html=$(cat "$D/reports/blog.demo.test-$MONTH.html")
assert_contains "$html" "Demo Agency Oy" "branding in the HTML"
pdftotext "$D/reports/overview-$MONTH.pdf" "$TMP/overview.txt"
assert_contains "$(cat "$TMP/overview.txt")" "blog.demo.test" "the overview lists the site"

note "the agent checked the servers the demo started"
doc=$(sqlite3 "$D/collector.db" "SELECT body FROM documents")
codes=$(printf '%s' "$doc" | jq -r '[.sites[] | select(.name == "blog.demo.test")
	| .findings[] | .code + ":" + .status] | sort | join(" ")')
assert_contains "$codes" "cms.ok:ok" "the cms check"
assert_contains "$codes" "dmarc.ok:ok mx.ok:ok spf.ok:ok" "the mail DNS from NSD's zone"
assert_eq 2 "$(printf '%s' "$doc" | jq '[.sites[].findings[] | select(.code == "tls.ok")] | length')" \
	"tls.ok for both names nginx serves"

note "the servers are stopped and the token is printed nowhere"
for port in $(sed -n 's/.* on \(https:\/\/\)\{0,1\}127\.0\.0\.1:\([0-9]*\).*/\2/p' "$TMP/out"); do
	ss -Hlntu "sport = :$port" | grep -q . && fail "something still listens on $port"
done
[ "$(sed -n 's/.* on \(https:\/\/\)\{0,1\}127\.0\.0\.1:\([0-9]*\).*/\2/p' "$TMP/out" | wc -l)" -eq 3 ] ||
	fail "three servers named in the output: $(cat "$TMP/out")"
token=$(cat "$D/agent.token")
grep -qF "$token" "$TMP/out" "$TMP/err" "$D/collector.log" "$D/agent.out" "$D/agent.err" &&
	fail "the agent's token was printed"
echo "PASS"
