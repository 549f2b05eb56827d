#!/bin/sh
# The catalog's feeds read from Debian's nginx over HTTPS (a test CA made
# here) serving the real-format bodies of ../shared/catalog/fixtures, then
# broken ones: truncated, not JSON, oversize, HTTP 429/500/410, slow, an
# untrusted certificate. A broken feed keeps its old facts and says why;
# facts not confirmed within stale_after are "stale"; a second read of an
# unchanged feed is a conditional request answered 304; bodies come gzipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
. "$(dirname "$0")/catalog_lib.sh"
need nginx
need openssl
need jq
need sqlite3

start_feeds

COLL_CONF=$TMP/collector.yaml
# conf [PHP_BASE] [CA_FILE]: the collector's configuration, every source on nginx.
conf() {
	write_collector_conf "$(free_port)" <<YAML
catalog:
  dir: $TMP/catalog
  stale_after: 3s
  timeout: 2s
  max_body: 64KiB
  ca_file: ${2:-$PKI/ca.pem}
  sources:
    wordpress_api: $B/wporg/
    php_releases: ${1:-$B/php}
    endoflife: $B/eol
    drupal_updates: $B/drupal
    joomla_updates: $B/joomla
YAML
}
q() { sqlite3 "$TMP/catalog/catalog.db" "$1"; }
feed_state() { # FEED: its state in `catalog status`
	coll --format json catalog status
	echo "$OUT" | jq -r --arg f "$1" '.[] | select(.feed == $f) | .state'
}

note "a fresh catalog: seeded from the shipped snapshot (dated, so stale after stale_after), the rest never read"
conf
coll catalog status
assert_eq 0 "$STATUS" "catalog status on a fresh catalog: $ERR"
assert_eq "stale" "$(feed_state php)" "php from the 2026-08-20 snapshot, stale_after 3s"
assert_eq "snapshot:2026-08-20" "$(q "SELECT url FROM feeds WHERE name = 'php'")" "php's source"
assert_eq "never read" "$(feed_state joomla-core)" "joomla-core: not in the snapshot"

note "the first refresh reads every feed"
coll catalog refresh
assert_eq 0 "$STATUS" "first refresh: $OUT $ERR"
assert_eq 14 "$(echo "$OUT" | grep -c ' updated ')" "feeds updated: $OUT"
assert_eq "7.1" "$(q "SELECT version FROM wp_core WHERE status = 'latest'")" "WordPress latest"
assert_eq "outdated" "$(q "SELECT status FROM wp_core WHERE version = '6.8.8'")" "6.8.8"
assert_eq "8.1.34|2025-12-31|eol" \
	"$(q "SELECT latest, eol, state FROM cycles WHERE feed = 'php' AND cycle = '8.1'")" "php 8.1"
assert_eq "2026-04-30" \
	"$(q "SELECT eol FROM cycles WHERE feed = 'endoflife-mysql' AND cycle = '8.0'")" "mysql 8.0"
assert_eq "6.1.3" \
	"$(q "SELECT latest FROM cycles WHERE feed = 'endoflife-joomla' AND cycle = '6'")" "joomla 6"
assert_eq "current" "$(feed_state php)" "php after a refresh"
grep -q "GET /wporg/core/stable-check/1.0/ 200 ce=gzip" "$TMP/access.log" ||
	fail "stable-check was not sent gzipped: $(cat "$TMP/access.log")"
[ -f "$TMP/catalog/wordpress-core.body" ] || fail "the body was not kept"
[ ! -e "$TMP/catalog/wordpress-core.part" ] || fail "a .part file was left"

note "a second refresh asks with the validators and hears 304"
coll catalog refresh
assert_eq 0 "$STATUS" "second refresh: $OUT $ERR"
assert_eq 9 "$(echo "$OUT" | grep -c 'not modified')" "feeds not modified: $OUT"
# the per-item feeds ask about the stored inventories' items: none here
assert_eq 5 "$(echo "$OUT" | grep -cE ' updated +0 facts')" "per-item feeds: $OUT"
grep -q 'GET /php/branches.php 304 ce=- inm=W/' "$TMP/access.log" ||
	fail "no conditional request: $(cat "$TMP/access.log")"

note "a truncated body: the old facts stay"
rows=$(q "SELECT count(*) FROM wp_core")
head -c 3000 "$FIX/wordpress/core-stable-check-1.0.json" >"$WWW/stable-check.json"
chmod a+r "$WWW/stable-check.json"
coll catalog refresh wordpress-core
assert_eq 1 "$STATUS" "refresh of a truncated feed"
assert_contains "$OUT" "FAILED" "truncated"
assert_contains "$OUT" "not JSON" "truncated"
assert_contains "$OUT" "the facts read before are kept" "truncated"
assert_eq "$rows" "$(q "SELECT count(*) FROM wp_core")" "WordPress rows after a truncated body"
assert_eq "7.1" "$(q "SELECT version FROM wp_core WHERE status = 'latest'")" "latest kept"
[ ! -e "$TMP/catalog/wordpress-core.part" ] || fail "the broken .part file was left"
coll catalog status
assert_contains "$OUT" "last attempt failed: " "status after a failure"

note "HTML with status 200, 429 with Retry-After, 500, 410, oversize, slow"
php_rows=$(q "SELECT count(*) FROM cycles WHERE feed = 'php'")
check_broken() { # BASE WORDS
	conf "$1"
	coll catalog refresh php
	assert_eq 1 "$STATUS" "php from $1: $OUT"
	assert_contains "$OUT" "$2" "php from $1"
	assert_eq "$php_rows" "$(q "SELECT count(*) FROM cycles WHERE feed = 'php'")" \
		"php facts after $1"
}
check_broken "$B/html" "not JSON"
check_broken "$B/s429" "HTTP 429"
assert_contains "$OUT" "retry after 1800 s" "429"
check_broken "$B/s500" "HTTP 500"
check_broken "$B/s410" "HTTP 410"
check_broken "$B/big" "larger than 65536 bytes"
started=$(date +%s)
check_broken "$B/slow" "timed out"
[ $(($(date +%s) - started)) -lt 10 ] || fail "the slow feed was not cut off by timeout: 2s"

note "an untrusted certificate is refused"
conf "$B/php" "$PKI/other.pem"
coll catalog refresh php
assert_eq 1 "$STATUS" "php with the wrong CA: $OUT"
assert_contains "$OUT" "certificate" "wrong CA"

note "facts not confirmed within stale_after are stale; a good refresh makes them current"
sleep 4
assert_eq "stale" "$(feed_state php)" "php after stale_after"
cp "$FIX/wordpress/core-stable-check-1.0.json" "$WWW/stable-check.json"
chmod a+r "$WWW/stable-check.json"
conf
coll catalog refresh
assert_eq 0 "$STATUS" "refresh after repair: $OUT $ERR"
assert_eq "current" "$(feed_state php)" "php after a good refresh"
assert_eq "current" "$(feed_state wordpress-core)" "wordpress-core after a good refresh"

note "Wordfence: a wrong token is refused (and never printed), and the feed is read at most once in 30 minutes"
coll catalog refresh wordfence
assert_eq 2 "$STATUS" "wordfence without a wordfence source"
printf 'wrong-token-9c1\n' >"$TMP/wf.token"
chmod 600 "$TMP/wf.token"
conf
printf '    wordfence: {url: %s, token_file: %s}\n' "$B/wf/production" "$TMP/wf.token" >>"$COLL_CONF"
coll catalog refresh wordfence
assert_eq 1 "$STATUS" "wrong token: $OUT"
assert_contains "$OUT" "HTTP 401" "wrong token"
case "$OUT$ERR" in *wrong-token-9c1*) fail "the token was printed" ;; esac
coll catalog refresh wordfence
assert_contains "$OUT" "skipped (rate limit)" "asked again within 30 minutes"
assert_eq 1 "$(grep -c 'GET /wf/production 401' "$TMP/access.log")" "one request"

note "an unknown feed name is a usage error"
coll catalog refresh nosuchfeed
assert_eq 2 "$STATUS" "unknown feed"
assert_contains "$ERR" "no feed is called \"nosuchfeed\"" "unknown feed"
echo "PASS"
