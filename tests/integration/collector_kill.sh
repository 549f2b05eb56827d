#!/bin/sh
# Nothing lost, nothing twice: four agents send 1,000 documents (250 each,
# from their spools) while the collector is killed with SIGKILL three times
# and restarted. Afterwards storage holds exactly the 1,000 documents, the
# database is intact and every spool is empty.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

AGENTS="load1 load2 load3 load4"
PER_AGENT=250
make_ca ca
issue_cert ca collector serverAuth
PORT=$(free_port)
write_collector_conf "$PORT" </dev/null

note "a real document as the template: 250 copies per agent, each with its own id"
cat >"$TMP/template.yaml" <<EOY
agent: {name: AGENTNAME, state_dir: $TMP/tstate}
discover: {nginx: false, apache: false}
sites: [{name: fixtures.test, docroot: $SHARED/catalog/fixtures/ondisk}]
EOY
"$AGENT" --config "$TMP/template.yaml" --only cms --format json check |
	jq -c '.id = "IDPLACEHOLDER"' >"$TMP/template.json" || true
grep -q IDPLACEHOLDER "$TMP/template.json" || fail "no template document"
n=0
for a in $AGENTS; do
	n=$((n + 1))
	coll agent add "$a"
	printf '%s\n' "$OUT" >"$TMP/$a.token"
	chmod 600 "$TMP/$a.token"
	mkdir -p "$TMP/state-$a/spool"
	awk -v agent="$a" -v k="$n" -v count="$PER_AGENT" -v dir="$TMP/state-$a/spool" '
		{ line = $0 }
		END {
			for (i = 1; i <= count; i++) {
				id = sprintf("%08x-0000-4000-8000-%012x", k, i)
				doc = line
				gsub(/IDPLACEHOLDER/, id, doc)
				gsub(/AGENTNAME/, agent, doc)
				file = sprintf("%s/%010d%09d-%s.json", dir, 1700000000 + i, 0, id)
				print doc > file
				close(file)
			}
		}' "$TMP/template.json"
	cat >"$TMP/$a.yaml" <<EOY
agent: {name: $a, state_dir: $TMP/state-$a}
collector:
  url: "https://127.0.0.1:$PORT"
  ca_file: $PKI/ca.pem
  token_file: $TMP/$a.token
  connect_timeout: 2s
  timeout: 10s
  spool: {max_documents: 1000}
EOY
done

count() { sqlite3 "$TMP/collector.db" "SELECT count(*) FROM documents" 2>/dev/null || echo 0; }

note "four agents sending, the collector killed three times"
start_collector "$PORT"
SENDERS=""
for a in $AGENTS; do
	(
		i=0
		while [ $i -lt 200 ]; do
			"$AGENT" --config "$TMP/$a.yaml" send >>"$TMP/$a.log" 2>&1 && exit 0
			i=$((i + 1))
			sleep 0.1
		done
		exit 1
	) &
	SENDERS="$SENDERS $!"
done
KILLED_AT=""
for k in 1 2 3; do
	wait_until 30 sh -c "[ \$(sqlite3 '$TMP/collector.db' 'SELECT count(*) FROM documents' 2>/dev/null || echo 0) -ge $((k * 150)) ]" ||
		fail "no progress before kill $k"
	kill -9 "$COLL_PID"
	wait "$COLL_PID" 2>/dev/null || true
	KILLED_AT="$KILLED_AT $(count)"
	sleep 0.3
	start_collector "$PORT"
done
note "killed at these counts:$KILLED_AT"
for p in $SENDERS; do
	wait "$p" || fail "a sender did not finish (see its log): $(tail -3 "$TMP"/load*.log)"
done

note "exactly 1,000, each once; the database intact; the spools empty"
assert_eq 1000 "$(count)" "documents stored"
assert_eq 1000 "$(sqlite3 "$TMP/collector.db" "SELECT count(DISTINCT id) FROM documents")" "distinct ids"
for a in $AGENTS; do
	assert_eq "$PER_AGENT" "$(sqlite3 "$TMP/collector.db" "SELECT count(*) FROM documents WHERE agent = '$a'")" "$a's documents"
	assert_eq 0 "$(find "$TMP/state-$a/spool" -maxdepth 1 -name '*.json' | wc -l)" "$a's spool"
done
assert_eq ok "$(sqlite3 "$TMP/collector.db" "PRAGMA integrity_check")" "integrity"
interrupted=0
for c in $KILLED_AT; do [ "$c" -lt 1000 ] && interrupted=$((interrupted + 1)); done
[ "$interrupted" -ge 1 ] || fail "no kill landed in the middle of the submissions ($KILLED_AT)"
echo PASS
