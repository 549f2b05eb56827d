#!/bin/sh
# The hours log from the command line against a real collector database:
# add, list (text, csv, json), edit, delete, export, import (every row
# checked, line numbers, all or nothing, and an export imported back), and
# month close / reopen locking a month's entries, with its log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
need jq
need sqlite3

COLL_CONF=$TMP/collector.yaml
mkdir -p "$TMP/pki"
PKI=$TMP/pki
write_collector_conf "$(free_port)" <<'YAML'
branding: {agency: "Esimerkki Digital Oy", color: "#0b5fff"}
customers:
  - id: acme
    name: "Acme Oy"
    language: fi
    plan: {model: fixed, monthly_fee: 150.00, included_hours: 2.0,
           hourly_rate: 110.00, vat_percent: 25.5, currency: EUR}
    sites: [acme.fi, kauppa.acme.fi]
YAML

note "add: checked, stored, listed"
coll hours add --site acme.fi --date 2026-10-03 --hours 1.5 --kind maintenance --who Maija \
	--note "Updated WordPress and 4 plugins" --finding wp.plugin_outdated
assert_eq 0 "$STATUS" "hours add: $ERR"
assert_eq "added hours entry 1" "$OUT" "the new id"
coll hours add --site kauppa.acme.fi --date 2026-10-20 --hours 0.25 --kind support --who Ville \
	--note "Answered a question about backups"
assert_eq 0 "$STATUS" "second add: $ERR"
coll hours add --site acme.fi --date 2026-11-02 --hours 2 --kind development --who Maija \
	--note "New contact form"
assert_eq 0 "$STATUS" "november: $ERR"
coll hours list --month 2026-10
assert_eq 0 "$STATUS" "list: $ERR"
assert_contains "$OUT" "2 entries, 1.75 hours" "the month's total"
assert_contains "$OUT" "wp.plugin_outdated" "the finding"
coll --format json hours list --month 2026-10 --site acme.fi
assert_eq "1|150|wp.plugin_outdated" "$(echo "$OUT" | jq -r '.[] | "\(.id)|\(.hours)|\(.finding)"')" \
	"json, one site"

note "bad entries: the field named, nothing stored"
bad() { # WHAT EXPECTED ARGS...
	what=$1 says=$2
	shift 2
	coll hours add "$@"
	assert_eq 2 "$STATUS" "$what: $OUT"
	assert_contains "$ERR" "$says" "$what"
}
base="--site acme.fi --kind support --who Maija --note x"
# shellcheck disable=SC2086 # base is a word list
bad "a day that is not" "date: expected YYYY-MM-DD, a real day" $base --date 2026-02-30 --hours 1
# shellcheck disable=SC2086
bad "three decimals" "hours: expected 0.01 to 24" $base --date 2026-10-01 --hours 1.255
# shellcheck disable=SC2086
bad "over a day" "hours: expected 0.01 to 24" $base --date 2026-10-01 --hours 25
bad "a typo in the site" "site \"acme.fo\" is unknown" --site acme.fo --kind support --who M \
	--note x --date 2026-10-01 --hours 1
bad "a kind" "kind: expected maintenance, development or support" --site acme.fi --kind coffee \
	--who M --note x --date 2026-10-01 --hours 1
bad "a finding" "finding: expected a finding code" --site acme.fi --kind support --who M \
	--note x --date 2026-10-01 --hours 1 --finding "<b>"
coll hours add --site acme.fi --date 2026-10-01
assert_eq 2 "$STATUS" "missing options"
assert_contains "$ERR" "needs --site, --date, --hours, --kind, --who and --note" "which"
assert_eq 3 "$(sqlite3 "$TMP/collector.db" 'SELECT count(*) FROM hours')" "nothing stored"

note "edit and delete by id"
coll hours edit 2 --hours 0.5 --note "Backups: restored a page"
assert_eq 0 "$STATUS" "edit: $ERR"
coll --format json hours list --month 2026-10 --site kauppa.acme.fi
assert_eq "50|Backups: restored a page|Ville" \
	"$(echo "$OUT" | jq -r '.[0] | "\(.hours)|\(.note)|\(.who)"')" "changed fields, the rest kept"
coll hours edit 99 --hours 1
assert_eq 1 "$STATUS" "edit of no entry"
assert_contains "$ERR" "no hours entry has the id 99" "why"
coll hours delete 3
assert_eq 0 "$STATUS" "delete: $ERR"
coll hours list --month 2026-11
assert_contains "$OUT" "0 entries, 0.00 hours" "deleted"

note "export, and the export imported back"
coll hours export --month 2026-10
assert_eq 0 "$STATUS" "export: $ERR"
printf '%s\n' "$OUT" >"$TMP/export.csv"
assert_eq "date,site,hours,kind,who,note,finding" "$(head -n 1 "$TMP/export.csv")" "header"
assert_contains "$OUT" '"2026-10-03","acme.fi","1.50","maintenance","Maija","Updated WordPress and 4 plugins","wp.plugin_outdated"' "a row"
coll hours list --month 2026-10 --format csv
assert_eq "$(cat "$TMP/export.csv")" "$OUT" "list --format csv is the export"
sed 's/2026-10-/2026-09-/' "$TMP/export.csv" >"$TMP/september.csv"
coll hours import "$TMP/september.csv"
assert_eq 0 "$STATUS" "import: $ERR"
assert_contains "$OUT" "imported 2 hours entries" "count"
coll hours list --month 2026-09
assert_contains "$OUT" "2 entries, 2.00 hours" "imported"

note "import: every bad row with its line, and nothing imported"
cat >"$TMP/bad.csv" <<'CSV'
date,site,hours,kind,who,note,finding
2026-08-01,acme.fi,1.00,maintenance,Maija,"A note
on two lines",
2026-08-02,acme.fi,1.00,maintenance,Maija,Fine,
2026-08-31,nobody.fi,1.00,support,Maija,Unknown site,
2026-08-05,acme.fi,1.00,support,Maija
CSV
coll hours import "$TMP/bad.csv"
assert_eq 1 "$STATUS" "bad import: $OUT"
assert_contains "$ERR" "line 2: note: required, at most" "a multi-line note (control characters)"
assert_contains "$ERR" "line 5: site \"nobody.fi\" is unknown" "the line of the unknown site"
assert_contains "$ERR" "line 6: 5 fields, expected 7" "a short row"
assert_contains "$ERR" "3 bad rows: nothing imported" "all or nothing"
coll hours list --month 2026-08
assert_contains "$OUT" "0 entries" "nothing imported"
printf 'day,site,hours\n' >"$TMP/header.csv"
coll hours import "$TMP/header.csv"
assert_eq 1 "$STATUS" "wrong header"
assert_contains "$ERR" "line 1: expected the header date,site,hours,kind,who,note,finding" "why"

note "month close locks the month; reopen is logged"
coll month close 2026-10 --who Maija
assert_eq 0 "$STATUS" "close: $ERR"
assert_eq "month 2026-10 closed by Maija; the reports of its 2 sites are frozen" "$OUT" "said"
coll hours add --site acme.fi --date 2026-10-30 --hours 1 --kind support --who M --note x
assert_eq 1 "$STATUS" "add to a closed month"
assert_contains "$ERR" "the month 2026-10 is closed: reopen it first" "why"
coll hours edit 1 --hours 3
assert_eq 1 "$STATUS" "edit in a closed month"
coll hours edit 4 --date 2026-10-15
assert_eq 1 "$STATUS" "moving an entry into a closed month"
coll hours delete 1
assert_eq 1 "$STATUS" "delete in a closed month"
sed 's/2026-09-/2026-10-/' "$TMP/september.csv" >"$TMP/october.csv"
coll hours import "$TMP/october.csv"
assert_eq 1 "$STATUS" "import into a closed month"
coll month close 2026-10
assert_eq 1 "$STATUS" "closing twice"
assert_contains "$ERR" "already closed" "why"
coll month reopen 2026-10 --who Ville
assert_eq 0 "$STATUS" "reopen: $ERR"
coll --format json month show 2026-10
assert_eq "false|close:Maija,reopen:Ville" \
	"$(echo "$OUT" | jq -r '"\(.closed)|\([.log[] | "\(.action):\(.who)"] | join(","))"')" "the log"
coll hours delete 1
assert_eq 0 "$STATUS" "delete after reopening: $ERR"
coll month show 2026-13
assert_eq 2 "$STATUS" "not a month"
echo "PASS"
