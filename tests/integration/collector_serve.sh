#!/bin/sh
# huolto-collector serve on loopback with a throwaway CA, and huolto-agent run
# sending to it: with a token and with a client certificate (mutual TLS);
# every rejection (400 naming the field, 401, 403, 405, 413 by length and
# chunked, 415); TLS 1.1 refused; the operator API; /metrics and /healthz; the agent's spool
# growing (bounded) while the collector is down and draining when it is up;
# a collector that stalls costs the agent its timeout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"

make_ca ca
make_ca other
issue_cert ca collector serverAuth
issue_cert ca web02 clientAuth    # an agent with a certificate
issue_cert ca stranger clientAuth # a good certificate, but no such agent
issue_cert other web03 clientAuth # an agent's name, from another CA
issue_cert ca web04 serverAuth    # an agent's name, but not for clients
PORT=$(free_port)
write_collector_conf "$PORT" "$PKI/ca.pem" </dev/null

coll agent add web01
TOKEN=$OUT
printf '%s\n' "$TOKEN" >"$TMP/web01.token"
chmod 600 "$TMP/web01.token"
coll agent add web02
coll agent add web03
coll agent add web04
coll agent add gone
GONE=$OUT
coll agent revoke gone
coll operator add ops
OPS=$OUT
start_collector "$PORT"

agent_conf() { # NAME SPOOL-MAX COLLECTOR-KEY-LINES...
	name=$1 max=$2
	shift 2
	{
		printf 'agent: {name: %s, state_dir: %s}\n' "$name" "$TMP/state-$name"
		printf 'discover: {nginx: false, apache: false}\n'
		printf 'sites:\n  - {name: fixtures.test, docroot: %s}\n' "$SHARED/catalog/fixtures/ondisk"
		printf 'collector:\n  url: "https://127.0.0.1:%s/"\n  ca_file: %s\n' "$PORT" "$PKI/ca.pem"
		printf '  spool: {max_documents: %s}\n' "$max"
		for line in "$@"; do printf '  %s\n' "$line"; done
	} >"$TMP/$name.yaml"
}

note "run with a token: checked, sent, stored"
agent_conf web01 3 "token_file: $TMP/web01.token"
run_agent --config "$TMP/web01.yaml" --only cms run
assert_eq 0 "$STATUS" "run: $ERR"
assert_contains "$OUT" "1 delivered, 0 refused, 0 waiting" "run's summary"
assert_eq 1 "$(sqlite3 "$TMP/collector.db" "SELECT count(*) FROM documents WHERE agent = 'web01'")" "stored"
assert_eq 0 "$(find "$TMP/state-web01/spool" -maxdepth 1 -name '*.json' | wc -l)" "spool empty"
grep -q "$TOKEN" "$TMP/out" "$TMP/err" "$TMP/serve.log" && fail "the token was printed"

note "run with a client certificate (CN web02)"
agent_conf web02 10 "cert: $PKI/web02.pem" "key: $PKI/web02.key"
run_agent --config "$TMP/web02.yaml" --only cms run
assert_eq 0 "$STATUS" "run with a certificate: $ERR"
assert_eq 1 "$(sqlite3 "$TMP/collector.db" "SELECT count(*) FROM documents WHERE agent = 'web02'")" "stored by certificate"

note "each rejection, precisely"
"$AGENT" --config "$TMP/web01.yaml" --only cms --format json check >"$TMP/doc.json" || true
ID=$(jq -r .id "$TMP/doc.json")
J="Content-Type: application/json"
A="Authorization: Bearer $TOKEN"
post() { req /api/v1/reports -H "$J" --data-binary "@$1" "$@"; }
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/doc.json"
assert_eq 201 "$CODE" "stored"
assert_eq "$ID stored" "$(printf '%s' "$BODY" | jq -r '.id + " " + .status')" "201 body"
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/doc.json"
assert_eq 200 "$CODE" "again"
assert_eq "duplicate" "$(printf '%s' "$BODY" | jq -r .status)" "200 body"
req /api/v1/reports -H "Content-Type: text/plain" -H "$A" --data-binary "@$TMP/doc.json"
assert_eq 415 "$CODE" "text/plain"
req /api/v1/reports -H "$J" --data-binary "@$TMP/doc.json"
assert_eq 401 "$CODE" "no credential"
req /api/v1/reports -H "$J" -H "Authorization: Bearer hu_nosuchtoken" --data-binary "@$TMP/doc.json"
assert_eq 401 "$CODE" "an unknown token"
req /api/v1/reports -H "$J" -H "Authorization: Bearer $GONE" --data-binary "@$TMP/doc.json"
assert_eq 401 "$CODE" "a revoked token"
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/doc.json" -X PUT
assert_eq 405 "$CODE" "PUT"
jq '.agent.name = "web02" | .id = "00000000-0000-4000-8000-000000000403"' "$TMP/doc.json" >"$TMP/other.json"
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/other.json"
assert_eq 403 "$CODE" "another agent's document"
assert_eq agent.name "$(printf '%s' "$BODY" | jq -r .field)" "403 names the field"
jq '.id = "00000000-0000-4000-8000-000000000400" | .sites[0].name = 7' "$TMP/doc.json" >"$TMP/bad.json"
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/bad.json"
assert_eq 400 "$CODE" "a bad field"
assert_eq "sites[0].name" "$(printf '%s' "$BODY" | jq -r .field)" "400 names the field"
assert_contains "$(printf '%s' "$BODY" | jq -r .error)" "sites[0].name: is an integer, expected string" "400 says why"
printf '{"schema": 1,' >"$TMP/cut.json"
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/cut.json"
assert_eq 400 "$CODE" "not JSON"
assert_contains "$BODY" "not JSON: line 1" "the parse error"
head -c 9000000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
req /api/v1/reports -H "$J" -H "$A" --data-binary "@$TMP/big.json"
assert_eq 413 "$CODE" "Content-Length past limits.max_body"
req /api/v1/reports -H "$J" -H "$A" -H "Transfer-Encoding: chunked" --data-binary "@$TMP/big.json"
assert_eq 413 "$CODE" "a chunked body past limits.max_body"
req /api/v1/reports -H "$J" -H "$A" -H "Transfer-Encoding: chunked" --data-binary "@$TMP/doc.json"
assert_eq 200 "$CODE" "a chunked body within the limit"

note "client certificates: must verify, be for clients, and name a live agent"
jq '.agent.name = "web02" | .id = "00000000-0000-4000-8000-000000000202"' "$TMP/doc.json" >"$TMP/web02.json"
req /api/v1/reports -H "$J" --cert "$PKI/web02.pem" --key "$PKI/web02.key" --data-binary "@$TMP/web02.json"
assert_eq 201 "$CODE" "web02 by certificate"
req /api/v1/reports -H "$J" --cert "$PKI/web02.pem" --key "$PKI/web02.key" --data-binary "@$TMP/doc.json"
assert_eq 403 "$CODE" "web02's certificate, web01's document"
req /api/v1/reports -H "$J" --cert "$PKI/stranger.pem" --key "$PKI/stranger.key" --data-binary "@$TMP/doc.json"
assert_eq 401 "$CODE" "a certificate for no agent"
req /api/v1/reports -H "$J" --cert "$PKI/web03.pem" --key "$PKI/web03.key" --data-binary "@$TMP/doc.json"
assert_eq 401 "$CODE" "a certificate from another CA"
req /api/v1/reports -H "$J" --cert "$PKI/web04.pem" --key "$PKI/web04.key" --data-binary "@$TMP/doc.json"
assert_eq 401 "$CODE" "a server certificate"
assert_contains "$BODY" "does not verify" "401 says why"

note "TLS 1.1 is refused by the collector (the same client does TLS 1.1 with openssl s_server)"
tls11() { # PORT: the cipher line of a TLS 1.1 handshake (security level 0: the client allows 1.1)
	echo | timeout 10 openssl s_client -connect "127.0.0.1:$1" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' \
		-CAfile "$PKI/ca.pem" 2>/dev/null | grep 'Cipher is' || true
}
SPORT=$(free_port)
openssl s_server -accept "127.0.0.1:$SPORT" -cert "$PKI/collector.pem" -key "$PKI/collector.key" \
	-tls1_1 -cipher 'DEFAULT@SECLEVEL=0' -www >/dev/null 2>&1 &
SPID=$!
track "$SPID"
wait_port "$SPORT"
case "$(tls11 "$SPORT")" in
*"Cipher is (NONE)"* | "") fail "the control: this client cannot do TLS 1.1 here" ;;
esac
stop_pid "$SPID"
assert_contains "$(tls11 "$PORT")" "Cipher is (NONE)" "a TLS 1.1 handshake with the collector"
echo | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -CAfile "$PKI/ca.pem" 2>/dev/null |
	grep -q 'Verify return code: 0' || fail "a TLS 1.2 handshake with the collector"

note "the operator API"
O="Authorization: Bearer $OPS"
req /api/v1/sites
assert_eq 401 "$CODE" "sites without a token"
req /api/v1/sites -H "$A"
assert_eq 401 "$CODE" "sites with an agent's token"
req /api/v1/sites -H "$O"
assert_eq 200 "$CODE" "sites"
assert_eq fixtures.test "$(printf '%s' "$BODY" | jq -r '.[].name')" "the site"
req /api/v1/sites/fixtures.test -H "$O"
assert_eq 200 "$CODE" "one site"
assert_eq cms.ok "$(printf '%s' "$BODY" | jq -r '.findings[0].code')" "its findings"
[ "$(printf '%s' "$BODY" | jq '.inventory | length')" -gt 10 ] || fail "its inventory: $BODY"
req /api/v1/sites/nosuch.test -H "$O"
assert_eq 404 "$CODE" "an unknown site"
req /api/v1/agents -H "$O"
assert_eq 200 "$CODE" "agents"
assert_eq 2 "$(printf '%s' "$BODY" | jq -r '.[] | select(.name == "web01") | .documents')" "web01's documents"
req /nosuch
assert_eq 404 "$CODE" "an unknown path"

note "/healthz and /metrics"
req /healthz
assert_eq '200 ok' "$CODE $(printf '%s' "$BODY" | jq -r .status)" "healthz"
assert_eq 4 "$(metric 'huolto_documents_total{result="stored"}')" "stored"
assert_eq 2 "$(metric 'huolto_documents_total{result="duplicate"}')" "duplicates"
assert_eq 14 "$(metric 'huolto_documents_total{result="rejected"}')" "rejected"
for pair in unauthorized:6 invalid:2 too_large:2 forbidden:2 content_type:1 method:1 busy:0 error:0; do
	assert_eq "${pair#*:}" "$(metric "huolto_documents_rejected_total{reason=\"${pair%:*}\"}")" "${pair%:*}"
done
assert_eq 4 "$(metric huolto_agents)" "agents"
assert_eq 0 "$(metric huolto_agents_silent)" "silent agents (none yet past heartbeat.grace)"
[ "$(metric huolto_http_request_duration_seconds_count)" -gt 30 ] || fail "latency histogram"
assert_eq 2 "$(metric 'huolto_findings{status="ok"}')" "findings (cms.ok from web01 and web02)"

note "the collector down: the spool grows, bounded"
stop_pid "$COLL_PID"
for i in 1 2 3 4; do
	run_agent --config "$TMP/web01.yaml" --only cms run
	assert_eq 1 "$STATUS" "run $i without a collector"
done
assert_contains "$ERR" "Couldn't connect" "says why"
assert_contains "$ERR" "dropping" "warns when the oldest goes"
assert_eq 3 "$(find "$TMP/state-web01/spool" -maxdepth 1 -name '*.json' | wc -l)" "bounded at max_documents"

note "the collector up: the spool drains"
start_collector "$PORT"
run_agent --config "$TMP/web01.yaml" --only cms send
assert_eq 0 "$STATUS" "send: $ERR"
assert_contains "$OUT" "3 delivered, 0 refused, 0 waiting" "send's summary"
assert_eq 0 "$(find "$TMP/state-web01/spool" -maxdepth 1 -name '*.json' | wc -l)" "drained"
assert_eq 5 "$(sqlite3 "$TMP/collector.db" "SELECT count(*) FROM documents WHERE agent = 'web01'")" "stored after the outage (2 + the 3 kept)"

note "a document refused for good moves to spool/refused"
cp "$TMP/bad.json" "$TMP/state-web01/spool/0000000001000000000-00000000-0000-4000-8000-000000000400.json"
run_agent --config "$TMP/web01.yaml" --only cms send
assert_eq 2 "$STATUS" "send with a refused document"
assert_contains "$ERR" "sites[0].name" "the collector's reason"
[ -f "$TMP/state-web01/spool/refused/0000000001000000000-00000000-0000-4000-8000-000000000400.json" ] || fail "kept in refused"

note "a collector that accepts and never answers: the upload ends at collector.connect_timeout"
: "${BLACKHOLE:?run through ctest}"
"$BLACKHOLE" 60 >"$TMP/hole.port" &
track $!
wait_until 10 test -s "$TMP/hole.port" || fail "blackhole did not start"
agent_conf stalled 10 "token_file: $TMP/web01.token" "connect_timeout: 1s" "timeout: 3s"
sed -i "s|127.0.0.1:$PORT|127.0.0.1:$(cat "$TMP/hole.port")|" "$TMP/stalled.yaml"
start=$(date +%s)
run_agent --config "$TMP/stalled.yaml" --only cms run
elapsed=$(($(date +%s) - start))
assert_eq 1 "$STATUS" "run against a stalled collector"
assert_contains "$ERR" "timeout" "says it timed out"
[ "$elapsed" -le 10 ] || fail "the stalled upload took ${elapsed}s, not about 1s"
assert_eq 1 "$(find "$TMP/state-stalled/spool" -maxdepth 1 -name '*.json' | wc -l)" "kept in the spool"

note "configuration errors"
sed -i 's|^  url: .*|  url: "http://127.0.0.1:1/"|' "$TMP/web01.yaml"
run_agent --config "$TMP/web01.yaml" run
assert_eq 3 "$STATUS" "plain http"
assert_contains "$ERR" "collector.url must be https" "says so"
printf 'agent: {state_dir: %s}\n' "$TMP/state-x" >"$TMP/none.yaml"
run_agent --config "$TMP/none.yaml" run
assert_eq 3 "$STATUS" "no collector"
assert_contains "$ERR" "collector.url is needed" "says so"
grep -q "$TOKEN" "$TMP/serve.log" && fail "the token is in the collector's log"
echo "PASS"
