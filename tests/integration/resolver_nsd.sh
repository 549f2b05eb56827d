#!/bin/sh
# The resolver against a real authoritative server (NSD) on 127.0.0.1 and
# ::1 at a high port: address, TXT and MX answers, an RRset too large for
# UDP (so c-ares must retry over TCP), NXDOMAIN vs NODATA, static answers,
# 200 queries in flight at once, a server that never answers (timeout), and
# falling back to the next server.
. "$(dirname "$0")/lib.sh"
need nsd
: "${BLACKHOLE:?run through ctest}"

Z=$TMP/nsd
mkdir -p "$Z"
# 12 strings of 250 bytes: about 3 KB, more than the 1232-byte EDNS buffer
# huolto offers over UDP, so the answer arrives only over TCP.
chunk=$(printf '%0250d' 0 | tr 0 x)
big=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do big="$big \"$chunk\""; done
{
	cat <<ZONE
\$ORIGIN huolto.test.
\$TTL 300
@        IN SOA  ns1 hostmaster 1 3600 600 86400 300
@        IN NS   ns1
ns1      IN A    127.0.0.1
www      IN A    192.0.2.10
www      IN AAAA 2001:db8::10
v4only   IN A    192.0.2.11
@        IN MX   20 mx2
@        IN MX   10 mx1
@        IN TXT  "v=spf1 ip4:192.0.2.0/24 -all"
split    IN TXT  "part one " "part two"
multi    IN TXT  "first"
multi    IN TXT  "second"
big      IN TXT $big
ZONE
	i=0
	while [ $i -lt 200 ]; do
		echo "n$i IN A 198.51.100.$((i % 250))"
		i=$((i + 1))
	done
} >"$Z/huolto.test.zone"
start_nsd "$Z" huolto.test
PORT=$NSD_PORT

conf() { # SERVERS [EXTRA YAML]
	printf 'resolver:\n  servers: [%s]\n  use_hosts: false\n  timeout_ms: %s\n  attempts: 1\n%s\n' \
		"$1" "${3:-1000}" "${2:-}" >"$TMP/r.yaml"
}
resolve() { run_agent resolve --config "$TMP/r.yaml" "$@"; }
sorted_words() { echo "$1" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//'; }

conf "\"127.0.0.1:$PORT\""
resolve www.huolto.test
assert_eq 0 "$STATUS" "addr status"
assert_eq "192.0.2.10 2001:db8::10 addr www.huolto.test" "$(sorted_words "$OUT")" "A and AAAA"
resolve --type txt huolto.test
assert_eq 'huolto.test txt "v=spf1 ip4:192.0.2.0/24 -all"' "$OUT" "TXT"
resolve --type txt split.huolto.test
assert_eq 'split.huolto.test txt "part one part two"' "$OUT" "a record's strings are joined"
resolve --type txt multi.huolto.test
assert_contains "$OUT" '"first"' "two TXT records (1)"
assert_contains "$OUT" '"second"' "two TXT records (2)"
resolve --type txt big.huolto.test
assert_eq 0 "$STATUS" "large TXT status"
got=$(echo "$OUT" | sed -e 's/^big.huolto.test txt "//' -e 's/"$//')
assert_eq 3000 "${#got}" "the whole 3000-byte record (over TCP)"
resolve --type mx huolto.test
assert_eq "huolto.test mx 10 mx1.huolto.test
  20 mx2.huolto.test" "$OUT" "MX sorted by preference"

note "NXDOMAIN and NODATA are told apart"
resolve nope.huolto.test
assert_eq 1 "$STATUS" "failed lookup status"
assert_contains "$OUT" "nope.huolto.test addr NXDOMAIN" "NXDOMAIN"
resolve --type txt v4only.huolto.test
assert_contains "$OUT" "v4only.huolto.test txt NODATA" "NODATA"

note "static answers win over DNS"
conf "\"127.0.0.1:$PORT\"" "  static: {www.huolto.test: [203.0.113.5]}"
resolve www.huolto.test v4only.huolto.test
assert_eq "www.huolto.test addr 203.0.113.5 (static)
v4only.huolto.test addr 192.0.2.11" "$OUT" "static answer and DNS answer"

note "a server on ::1"
conf "\"[::1]:$PORT\""
resolve v4only.huolto.test
assert_eq "v4only.huolto.test addr 192.0.2.11" "$OUT" "IPv6 server"

note "200 queries in flight at once"
names=""
i=0
while [ $i -lt 200 ]; do names="$names n$i.huolto.test"; i=$((i + 1)); done
conf "\"127.0.0.1:$PORT\""
resolve $names
echo "$OUT" | grep -v " addr 198" | head -3; grep -i rrl "$Z/nsd.log" | head -3; assert_eq 0 "$STATUS" "all answered"
assert_eq 200 "$(echo "$OUT" | grep -c ' addr 198\.51\.100\.')" "200 answers"
assert_eq "n199.huolto.test addr 198.51.100.199" "$(echo "$OUT" | tail -n 1)" "answers match their names"

note "a server that never answers: a timeout, not a missing record"
HOLE_PORT_FILE=$TMP/hole.port
"$BLACKHOLE" 60 >"$HOLE_PORT_FILE" &
track $!
wait_until 10 test -s "$HOLE_PORT_FILE" || fail "blackhole did not start"
HOLE=$(cat "$HOLE_PORT_FILE")
conf "\"127.0.0.1:$HOLE\"" "" 200
start=$(date +%s)
resolve --type txt huolto.test
assert_eq 1 "$STATUS" "timeout status"
assert_contains "$OUT" "huolto.test txt TIMEOUT" "TIMEOUT"
[ $(($(date +%s) - start)) -lt 30 ] || fail "the timeout took too long"

note "the next server answers when the first does not"
conf "\"127.0.0.1:$HOLE\", \"127.0.0.1:$PORT\"" "" 200
resolve --type txt huolto.test
assert_eq 'huolto.test txt "v=spf1 ip4:192.0.2.0/24 -all"' "$OUT" "fallback to the second server"
echo "PASS"
