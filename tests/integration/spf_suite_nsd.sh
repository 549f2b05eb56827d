#!/bin/sh
# The RFC 7208 suite over real DNS: each scenario that NSD can serve as it
# is (those without TIMEOUT entries: 11 of 16) is written as zone files,
# served by NSD on loopback, and every test in it runs through
# `huolto-agent spf` (c-ares, the DNS view, check_host()). The unit test
# unit/spf_suite runs all 203 on a fake resolver; this one shows the same
# code gets the same answers from the wire: TXT strings, escapes, MX, PTR
# and CNAME as a real server sends them.
. "$(dirname "$0")/lib.sh"
: "${SPF_ZONES:?run through ctest}"
SUITE=$SHARED/spf/rfc7208-tests.yml
[ -f "$SUITE" ] || fail "no suite at $SUITE"
US=$(printf '\037')

run=0
passed=0
served=0
failures=""
for idx in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	Z=$TMP/s$idx
	mkdir -p "$Z"
	set +e
	"$SPF_ZONES" "$SUITE" $idx "$Z" >"$Z/cases"
	rc=$?
	set -e
	[ $rc -eq 3 ] && continue # TIMEOUT entries: the unit test covers them
	[ $rc -eq 0 ] || fail "spf_zones $idx: exit $rc"
	served=$((served + 1))
	start_nsd "$Z" $(head -n 1 "$Z/cases" | cut -d' ' -f2-)
	printf 'resolver: {servers: ["127.0.0.1:%s"], use_hosts: false, timeout_ms: 1000, attempts: 2}\n' \
		"$NSD_PORT" >"$Z/r.yaml"
	tail -n +2 "$Z/cases" >"$Z/list"
	while IFS=$US read -r id helo host mailfrom want expl; do
		run=$((run + 1))
		run_agent spf --config "$Z/r.yaml" --at 2026-11-22 "$host" "$mailfrom" "$helo"
		got=$(echo "$OUT" | head -n 1)
		ok=no
		case "|$want|" in *"|$got|"*) ok=yes ;; esac
		if [ $ok = yes ] && [ -n "$expl" ] && [ "$got" = fail ]; then
			got_expl=$(echo "$OUT" | sed -n 's/^  explanation: //p')
			[ "$expl" = DEFAULT ] && expl=""
			[ "$got_expl" = "$expl" ] || { ok=no; got="$got / $got_expl"; }
		fi
		if [ $ok = yes ]; then
			passed=$((passed + 1))
		else
			failures="$failures
  $id: want $want${expl:+ / $expl}, got $got ($(echo "$OUT" | sed -n 's/^  reason: //p')$ERR)"
		fi
	done <"$Z/list"
	stop_pid "$NSD_PID"
done
echo "$passed/$run tests of $served scenarios pass over NSD$failures"
[ $served -eq 11 ] || fail "expected 11 servable scenarios, got $served"
[ $run -ge 140 ] || fail "only $run tests ran"
assert_eq "$run" "$passed" "suite over real DNS"
echo "PASS"
