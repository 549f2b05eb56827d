#!/bin/sh
# huolto-collector's command line on a fresh SQLite database: agent and
# operator tokens (printed once, only the hash stored), ingest of a real
# agent document (stored, then duplicate; invalid ones refused naming the
# field), what storage holds afterwards, and configuration errors.
. "$(dirname "$0")/lib.sh"
COLL_CONF=$TMP/c.yaml
. "$(dirname "$0")/collector_lib.sh"

DB=$TMP/collector.db
printf 'listen: "127.0.0.1:8443"\nstorage: {sqlite: %s}\nlimits: {max_body: 8MiB}\nheartbeat: {grace: 26h}\n' "$DB" >"$TMP/c.yaml"

note "agent add prints a token once; the database keeps only its SHA-256"
coll agent add web01
assert_eq 0 "$STATUS" "agent add"
printf '%s\n' "$OUT" | grep -Eq '^hu_[A-Za-z0-9_-]{43}$' || fail "token format: $OUT"
TOKEN=$OUT
assert_contains "$ERR" "printed above, once" "the once-only note"
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
assert_eq "web01 $HASH" "$(sqlite3 "$DB" "SELECT name || ' ' || token_sha256 FROM principals")" "stored hash"
if grep -c "$TOKEN" "$DB" "$DB-wal" 2>/dev/null | grep -qv ':0$'; then fail "the token is in the database files"; fi
coll agent add web01
assert_eq 1 "$STATUS" "a second agent add"
assert_contains "$ERR" 'an agent named "web01" exists (revoke it first)' "duplicate message"
coll agent add 'bad name'
assert_eq 2 "$STATUS" "a bad name"
coll operator add ops
assert_eq 0 "$STATUS" "operator add"
assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM principals WHERE role = 'operator'")" "operator stored"

note "ingest: a real document, then the same again"
cat >"$TMP/agent.yaml" <<EOY
agent: {name: web01, state_dir: $TMP/state}
discover: {nginx: false, apache: false}
sites:
  - {name: fixtures.test, docroot: $SHARED/catalog/fixtures/ondisk}
  - {name: empty.test, docroot: $TMP/state}
EOY
mkdir -p "$TMP/state"
"$AGENT" --config "$TMP/agent.yaml" --only cms --format json check >"$TMP/doc.json" || true
ID=$(jq -r .id "$TMP/doc.json")
coll ingest "$TMP/doc.json"
assert_eq 0 "$STATUS" "ingest"
assert_eq "$TMP/doc.json: $ID stored" "$OUT" "stored"
coll ingest "$TMP/doc.json"
assert_eq "$TMP/doc.json: $ID duplicate" "$OUT" "duplicate"
coll ingest - <"$TMP/doc.json"
assert_eq "-: $ID duplicate" "$OUT" "standard input"
assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM documents")" "one document"
assert_eq "$(wc -c <"$TMP/doc.json")" "$(sqlite3 "$DB" "SELECT length(body) FROM documents")" "kept whole"
assert_eq "empty.test,fixtures.test" "$(sqlite3 "$DB" "SELECT group_concat(name) FROM (SELECT name FROM sites ORDER BY name)")" "sites"
n_inv=$(jq '[.sites[] | .inventory // [] | .[]] | length' "$TMP/doc.json")
assert_eq "$n_inv" "$(sqlite3 "$DB" "SELECT count(*) FROM inventory")" "inventory rows"
assert_eq "cms.none_found ok" "$(sqlite3 "$DB" "SELECT code || ' ' || status FROM state WHERE site = 'empty.test'")" "state"
coll agent list
assert_contains "$OUT" "web01" "agent list"
assert_eq 1 "$(printf '%s' "$OUT" | awk '$1 == "web01" { print $4 }')" "document count"

note "refused documents name the field, and store nothing"
jq 'del(.generated_at) | .sites[0].name = 5 | .id = "0f0f0f0f-0000-4000-8000-000000000001"' "$TMP/doc.json" >"$TMP/bad1.json"
printf '{"schema": 1,' >"$TMP/bad2.json"
jq '.schema = 2 | .id = "0f0f0f0f-0000-4000-8000-000000000002"' "$TMP/doc.json" >"$TMP/bad3.json"
jq '.id = "not-a-uuid"' "$TMP/doc.json" >"$TMP/bad4.json"
coll ingest "$TMP/bad1.json" "$TMP/bad2.json" "$TMP/bad3.json" "$TMP/bad4.json" "$TMP/doc.json"
assert_eq 1 "$STATUS" "some refused"
assert_contains "$ERR" "bad1.json: generated_at: required, missing; sites[0].name: is an integer, expected string" "missing and wrong type"
assert_contains "$ERR" "bad2.json: not JSON: line 1, column 13" "truncated"
assert_contains "$ERR" "bad3.json: schema: version 2 is not one this collector reads (1)" "schema version"
assert_contains "$ERR" "bad4.json: id: not a UUID" "id"
assert_contains "$OUT" "doc.json: $ID duplicate" "the good one still goes through"
assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM documents")" "nothing more stored"

note "revoke"
coll agent revoke web01
assert_eq 0 "$STATUS" "revoke"
assert_eq 1 "$(sqlite3 "$DB" "SELECT count(*) FROM principals WHERE name = 'web01' AND revoked_at IS NOT NULL")" "revoked"
coll agent revoke web01
assert_eq 1 "$STATUS" "revoking twice"
coll agent add web01
assert_eq 0 "$STATUS" "a new token after revoking"

note "limits.max_body bounds files and standard input"
printf 'storage: {sqlite: %s}\nlimits: {max_body: 1KiB}\n' "$DB" >"$TMP/c.yaml"
coll ingest "$TMP/doc.json"
assert_eq 1 "$STATUS" "a file over max_body"
assert_contains "$ERR" "larger than 1024 bytes" "file over max_body"
head -c 2000 "$TMP/doc.json" >"$TMP/big"
coll ingest - <"$TMP/big"
assert_contains "$ERR" "-: standard input: larger than 1024 bytes" "stdin over max_body"

note "configuration and database errors"
printf 'storage: {sqlite: %s}\nlistne: x\n' "$DB" >"$TMP/c.yaml"
coll agent list
assert_eq 2 "$STATUS" "unknown key"
assert_contains "$ERR" "$TMP/c.yaml:2:1: unknown key \"listne\"" "unknown key message"
printf 'storage: {sqlite: %s}\nlimits: {max_body: 8MB}\n' "$DB" >"$TMP/c.yaml"
coll agent list
assert_contains "$ERR" "$TMP/c.yaml:2:20: expected a size such as 512KiB, 8MiB or 1GiB, not \"8MB\"" "size message"
printf 'storage: {sqlite: %s}\nlisten: "localhost:8443"\n' "$DB" >"$TMP/c.yaml"
coll agent list
assert_eq 2 "$STATUS" "a host name in listen"
assert_contains "$ERR" "$TMP/c.yaml:2:9: listen: expected ADDRESS:PORT with a numeric address" "listen message"
printf 'storage: {sqlite: %s}\nlisten: "[::1]:70000"\n' "$DB" >"$TMP/c.yaml"
coll agent list
assert_eq 2 "$STATUS" "a port past 65535"
printf 'storage: {sqlite: %s}\nlimits: {max_body: 16MiB, in_flight: 8MiB}\n' "$DB" >"$TMP/c.yaml"
coll agent list
assert_contains "$ERR" "limits.in_flight must be at least limits.max_body" "in_flight below max_body"
printf 'storage: {sqlite: %s}\nthreads: 0\n' "$DB" >"$TMP/c.yaml"
coll agent list
assert_eq 2 "$STATUS" "threads: 0"
printf 'storage: {sqlite: %s}\n' "$DB" >"$TMP/c.yaml"
coll serve
assert_eq 2 "$STATUS" "serve without tls"
assert_contains "$ERR" "serve needs tls.cert in the configuration" "says what is missing"
printf 'storage: {sqlite: %s}\n' "$TMP/new.db" >"$TMP/c.yaml"
sqlite3 "$TMP/new.db" "PRAGMA user_version = 99"
coll agent list
assert_eq 1 "$STATUS" "a newer database"
assert_contains "$ERR" "schema version 99; this huolto knows 6" "newer database message"

# A version 1 database (before alerts, findings' origin and the hours log) is migrated forward.
printf 'storage: {sqlite: %s}\n' "$TMP/v1.db" >"$TMP/c.yaml"
coll agent add old
sqlite3 "$TMP/v1.db" "DROP TABLE alert_queue; DROP TABLE alerts; ALTER TABLE state DROP COLUMN origin;
DROP TABLE hours; DROP TABLE months; DROP TABLE month_log;
DROP TABLE site_documents; DROP TABLE report_frozen;
INSERT INTO documents (id, agent, generated_at, received_at, status, body) VALUES ('d1', 'old',
 '2026-10-05T03:00:00Z', 1, 'ok', '{\"sites\": [{\"name\": \"a.test\"}, {\"name\": \"b.test\"}]}');
INSERT INTO state (agent, site, code, target, status, since, updated_at, document)
VALUES ('old', 'a.test', 'php.ok', '', 'ok', 1, 1, 'd1'); PRAGMA user_version = 1"
coll agent list
assert_eq 0 "$STATUS" "migrating from version 1: $ERR"
assert_contains "$OUT" "old" "its agents kept"
assert_eq 6 "$(sqlite3 "$TMP/v1.db" "PRAGMA user_version")" "migrated to 6"
assert_eq "php.ok|" "$(sqlite3 "$TMP/v1.db" "SELECT code, origin FROM state")" "a finding kept, as the agent's"
assert_eq "0 0" "$(sqlite3 "$TMP/v1.db" "SELECT count(*) FROM alerts") $(sqlite3 "$TMP/v1.db" "SELECT count(*) FROM alert_queue")" "the alert tables made"
assert_eq 0 "$(sqlite3 "$TMP/v1.db" "SELECT count(*) FROM hours")" "the hours log made"
assert_eq "a.test|d1|1791169200 b.test|d1|1791169200" \
	"$(sqlite3 "$TMP/v1.db" "SELECT site, document, at FROM site_documents ORDER BY site" | tr '\n' ' ' | sed 's/ $//')" \
	"the stored document's sites, by its generated_at"
echo PASS
