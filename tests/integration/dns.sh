#!/bin/sh
# The dns check against a real authoritative server (NSD) on loopback: one
# zone per mail domain, written here, so that every SPF, DMARC and MX code
# comes from real answers; a name NSD does not serve (REFUSED) and a server
# that never answers (TIMEOUT) give dns.unresolved, never a missing record.
# Then `huolto-agent spf` evaluates check_host() over the same server.
. "$(dirname "$0")/lib.sh"
need jq
: "${BLACKHOLE:?run through ctest}"

Z=$TMP/zones
mkdir -p "$Z"
ZONES=""
# zone NAME: the zone's records on stdin, relative to NAME (not in a pipe:
# ZONES must grow in this shell).
zone() {
	{
		printf '$ORIGIN %s.\n$TTL 300\n' "$1"
		printf '@ IN SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 300\n' "$1" "$1"
		printf '@ IN NS ns1\nns1 IN A 127.0.0.1\n'
		cat
	} >"$Z/$1.zone"
	ZONES="$ZONES $1"
}

# Everything fine; a subdomain site redirects to it and inherits its DMARC.
zone good.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test -all"
@ IN MX 10 mx1
@ IN MX 20 mx2
mx1 IN A 192.0.2.25
mx2 IN AAAA 2001:db8::25
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"
news IN TXT "v=spf1 redirect=good.test"
news IN MX 10 mx1.good.test.
EOF
zone provider.test <<'EOF'
_spf IN TXT "v=spf1 ip4:198.51.100.0/24 ~all"
EOF
# Nothing at all (a web-only domain).
zone nothing.test <<'EOF'
@ IN A 192.0.2.80
EOF
# Two SPF and two DMARC records; a null MX.
zone multi.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 -all"
@ IN TXT "v=spf1 ip4:192.0.2.26 -all"
@ IN MX 0 .
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@multi.test"
_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:d@multi.test"
EOF
# Syntax errors; a null MX beside a real one.
zone syntax.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.300 -all"
@ IN MX 0 .
@ IN MX 10 mx1.good.test.
_dmarc IN TXT "v=DMARC1; p=bogus; rua=mailto:d@syntax.test"
EOF
# Eleven lookups through a chain of includes; p=none; an MX that is a CNAME.
{
	echo '@ IN TXT "v=spf1 include:c1.chain.test -all"'
	echo '_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:d@lookups.test"'
	echo '@ IN MX 10 mail'
	echo 'mail IN CNAME mx0'
	echo 'mx0 IN A 192.0.2.25'
} >"$TMP/rr"
zone lookups.test <"$TMP/rr"
i=1
while [ $i -le 11 ]; do
	if [ $i -lt 11 ]; then
		echo "c$i IN TXT \"v=spf1 include:c$((i + 1)).chain.test -all\""
	else
		echo "c$i IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\""
	fi
	i=$((i + 1))
done >"$TMP/rr"
zone chain.test <"$TMP/rr"
# Three void lookups; sp=none; an MX that is an IP address.
zone voids.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 a:gone1.voids.test a:gone2.voids.test mx:gone3.voids.test -all"
_dmarc IN TXT "v=DMARC1; p=reject; sp=none; rua=mailto:d@voids.test"
@ IN MX 10 192.0.2.25.
EOF
# An include loop; pct=50; an MX without an address.
zone loop.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 include:loop2.test -all"
_dmarc IN TXT "v=DMARC1; p=quarantine; pct=50; rua=mailto:d@loop.test"
@ IN MX 10 gone
EOF
zone loop2.test <<'EOF'
@ IN TXT "v=spf1 include:loop.test -all"
EOF
# An include without SPF; no rua.
zone incmissing.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 include:nothing.test -all"
_dmarc IN TXT "v=DMARC1; p=reject"
@ IN MX 10 mx1.good.test.
EOF
# +all; reports to an organization that has not agreed to receive them.
zone plusall.test <<'EOF'
@ IN TXT "v=spf1 +all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@reports.test"
@ IN MX 10 mx1.good.test.
EOF
zone reports.test <<'EOF'
authorized.test._report._dmarc IN TXT "v=DMARC1"
EOF
# ?all; reports to an organization that has agreed.
zone authorized.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 ?all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@reports.test"
@ IN MX 10 mx1.good.test.
EOF
# ptr; a record too long for comfort (several strings); type 99.
zone ptr.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 ptr -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@ptr.test"
@ IN MX 10 mx1.good.test.
EOF
# three strings of 12 terms after the first: about 640 octets in all
parts=""
for g in 0 1 2; do
	str=""
	for k in 0 1 2 3 4 5 6 7 8 9 10 11; do str="$str ip4:203.0.113.$((g * 12 + k))"; done
	parts="$parts \"$str\""
done
{
	echo "@ IN TXT \"v=spf1 ip4:192.0.2.25\"$parts \" -all\""
	echo '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@long.test"'
	echo '@ IN MX 10 mx1.good.test.'
} >"$TMP/rr"
zone long.test <"$TMP/rr"
zone type99.test <<'EOF'
@ IN TXT "v=spf1 ip4:192.0.2.25 -all"
@ IN SPF "v=spf1 ip4:192.0.2.25 -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@type99.test"
@ IN MX 10 mx1.good.test.
EOF
# This server's address is not in the record; an mx mechanism over 11 MX.
zone notauth.test <<'EOF'
@ IN TXT "v=spf1 ip4:203.0.113.0/24 ~all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@notauth.test"
@ IN MX 10 mx1.good.test.
EOF
{
	echo '@ IN TXT "v=spf1 mx -all"'
	echo '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@manymx.test"'
	i=0
	while [ $i -lt 11 ]; do
		echo "@ IN MX $i mx$i"
		echo "mx$i IN A 192.0.2.$((100 + i))"
		i=$((i + 1))
	done
} >"$TMP/rr"
zone manymx.test <"$TMP/rr"

# A wide and deep include tree (4 includes a record, 6 levels: 5461 records):
# neither the lint nor the answers followed ahead may walk all of it.
{
	echo '@ IN TXT "v=spf1 include:t.bomb.test -all"'
	level() { # NAME DEPTH
		if [ "$2" -ge 6 ]; then
			echo "$1 IN TXT \"v=spf1 ip4:192.0.2.1 -all\""
			return
		fi
		echo "$1 IN TXT \"v=spf1 include:a.$1.bomb.test include:b.$1.bomb.test include:c.$1.bomb.test include:d.$1.bomb.test -all\""
		for x in a b c d; do level "$x.$1" $(($2 + 1)); done
	}
	level t 1
	echo '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@bomb.test"'
	echo '@ IN MX 10 mx1.good.test.'
} >"$TMP/rr"
zone bomb.test <"$TMP/rr"

start_nsd "$Z" $ZONES

site_list="good.test www.good.test news.good.test nothing.test multi.test syntax.test lookups.test
voids.test loop.test incmissing.test plusall.test authorized.test ptr.test long.test type99.test
notauth.test manymx.test refused.example"
{
	cat <<YAML
agent: {name: dns-test}
discover: {nginx: false, apache: false}
resolver:
  servers: ["127.0.0.1:$NSD_PORT"]
  use_hosts: false
  timeout_ms: 1000
  attempts: 1
mail:
  outbound: ["192.0.2.25"]
dns:
  domains: [Good.Test.]
sites:
YAML
	for s in $site_list; do echo "  - name: $s"; done
	echo "  - {name: shop.example.fi, mail_domain: good.test}"
} >"$TMP/agent.yaml"

run_agent check --config "$TMP/agent.yaml" --only dns --format json --at 2026-11-22
[ -n "$OUT" ] || fail "no output: $ERR"
codes() { jqo "[.sites[] | select(.name == \"$1\") | .findings[].code] | sort | join(\" \")"; }
expect() { # SITE CODES
	assert_eq "$2" "$(codes "$1")" "$1"
}

note "each code from a real zone"
expect good.test "dmarc.ok mx.ok spf.ok"
expect news.good.test "dmarc.ok mx.ok spf.ok"
assert_eq "good.test" "$(jqo '.sites[] | select(.name == "news.good.test") | .findings[] | select(.code == "dmarc.ok") | .facts.at')" \
	"a subdomain inherits its organization's DMARC record"
expect nothing.test "dmarc.missing mx.missing spf.missing"
expect multi.test "dmarc.multiple mx.null spf.multiple"
expect syntax.test "dmarc.syntax mx.null_mixed spf.syntax"
expect lookups.test "dmarc.policy_none mx.cname spf.too_many_lookups"
expect voids.test "dmarc.subdomain_policy_none mx.ip_literal spf.void_lookups"
expect loop.test "dmarc.pct_partial mx.no_address spf.loop"
expect incmissing.test "dmarc.no_rua mx.ok spf.include_missing"
expect plusall.test "dmarc.rua_unauthorized mx.ok spf.permissive_all"
expect authorized.test "dmarc.ok mx.ok spf.neutral_all"
expect ptr.test "dmarc.ok mx.ok spf.ptr"
expect long.test "dmarc.ok mx.ok spf.too_long"
expect type99.test "dmarc.ok mx.ok spf.type99"
expect notauth.test "dmarc.ok mx.ok spf.server_not_authorized"
expect manymx.test "dmarc.ok mx.ok spf.mx_too_many"

note "the facts a maintainer acts on"
f() { jqo ".sites[] | select(.name == \"$1\") | .findings[] | select(.code == \"$2\") | .facts.$3"; }
assert_eq 11 "$(f lookups.test spf.too_many_lookups count)" "lookups counted"
assert_eq "lookups.test: include:c1.chain.test" "$(f lookups.test spf.too_many_lookups 'chain[0]')" "the chain that spends them"
assert_eq 3 "$(f voids.test spf.void_lookups count)" "void lookups counted"
assert_eq "ip4:192.0.2.300" "$(f syntax.test spf.syntax term)" "the bad term"
assert_eq 7 "$(f syntax.test spf.syntax position)" "its position"
assert_eq "softfail" "$(f notauth.test spf.server_not_authorized result)" "this server's result"
assert_eq "192.0.2.25" "$(f notauth.test spf.server_not_authorized address)" "this server's address"
assert_eq 1 "$(f good.test spf.ok lookups)" "lookups of a good record"
assert_eq "good.test _spf.provider.test" "$(f good.test spf.ok 'includes | join(" ")')" "the records read"
assert_eq "mail.lookups.test" "$(f lookups.test mx.cname exchange)" "the CNAME exchange"
long_len=$(f long.test spf.too_long length)
[ "$long_len" -gt 450 ] || fail "spf.too_long length $long_len"

note "a name the server does not serve: REFUSED, unresolved, nothing missing"
expect refused.example "dns.unresolved dns.unresolved dns.unresolved"
assert_eq "MX REFUSED,TXT REFUSED,TXT REFUSED" \
	"$(jqo '[.sites[] | select(.name == "refused.example") | .findings[].facts | "\(.type) \(.error)"] | sort | join(",")')" \
	"types and errors"

note "each domain once; configured domains reported for the server"
assert_eq "$(codes good.test)" "$(codes www.good.test)" "www. shares the domain's findings"
assert_eq "$(codes good.test)" "$(codes shop.example.fi)" "mail_domain"
assert_eq "dmarc.ok mx.ok spf.ok" "$(jqo '[.server.findings[].code] | sort | join(" ")')" "dns.domains"
n_sites=$(echo $site_list | wc -w)
assert_eq "$((n_sites - 1))" "$(jqo .server.dns.domains)" "domains checked once each"
queries=$(jqo .server.dns.queries)
[ "$queries" -gt 40 ] && [ "$queries" -lt 400 ] || fail "queries: $queries"
# Answers are followed as they arrive (include targets, MX exchanges), so
# the 11-deep include chain costs a round past the 10 levels followed, not
# one round per level.
rounds=$(jqo .server.dns.rounds)
[ "$rounds" -ge 2 ] && [ "$rounds" -le 3 ] || fail "rounds: $rounds"
"$SCHEMA_CHECK" "$SRC/docs/report-schema.md" <"$TMP/out" || fail "schema"

note "every dns code in docs/report-schema.md came from a zone above"
documented=$(sed -n '/^### DNS (check `dns`)/,/^### /p' "$SRC/docs/report-schema.md" |
	sed -n 's/^| `\([a-z0-9_.]*\)` |.*/\1/p' | grep -v '^dns.incomplete$' | sort -u)
seen=$(jqo '[.sites[].findings[].code] | unique | .[]')
for c in $documented; do
	echo "$seen" | grep -qx "$c" || fail "documented code $c was not produced"
done

note "a huge include tree: found out, with the lookups bounded"
cat >"$TMP/bomb.yaml" <<YAML
discover: {nginx: false, apache: false}
resolver: {servers: ["127.0.0.1:$NSD_PORT"], use_hosts: false, timeout_ms: 1000, attempts: 1}
mail: {outbound: ["192.0.2.25"]}
sites: [{name: bomb.test}]
YAML
run_agent check --config "$TMP/bomb.yaml" --only dns --format json
assert_eq "dmarc.ok mx.ok spf.too_many_lookups" "$(codes bomb.test)" "the tree is too big"
queries=$(jqo .server.dns.queries)
echo "the 5461-record tree cost $queries queries"
[ "$queries" -lt 600 ] || fail "a 5461-record tree cost $queries queries"

note "a server that never answers: TIMEOUT, bounded by round_timeout"
"$BLACKHOLE" 60 >"$TMP/hole.port" &
track $!
wait_until 10 test -s "$TMP/hole.port" || fail "blackhole did not start"
cat >"$TMP/hole.yaml" <<YAML
discover: {nginx: false, apache: false}
resolver: {servers: ["127.0.0.1:$(cat "$TMP/hole.port")"], use_hosts: false, timeout_ms: 200, attempts: 1}
mail: {outbound: ["192.0.2.25"]}
dns: {round_timeout: 2s}
sites: [{name: good.test}]
YAML
start=$(date +%s)
run_agent check --config "$TMP/hole.yaml" --only dns --format json
[ $(($(date +%s) - start)) -lt 30 ] || fail "the timeout took too long"
assert_eq 3 "$STATUS" "unknown"
assert_eq "dns.unresolved" "$(jqo '[.sites[].findings[].code] | unique | join(" ")')" "only unresolved"
assert_eq "TIMEOUT" "$(jqo '[.sites[].findings[].facts.error] | unique | join(" ")')" "timeouts"

note "huolto-agent spf: check_host() over the same server"
printf 'resolver: {servers: ["127.0.0.1:%s"], use_hosts: false}\n' "$NSD_PORT" >"$TMP/r.yaml"
run_agent spf --config "$TMP/r.yaml" 198.51.100.7 user@good.test
assert_eq 0 "$STATUS" "spf status"
assert_eq "pass" "$(echo "$OUT" | head -n 1)" "through the include"
run_agent spf --config "$TMP/r.yaml" 192.0.2.1 x@notauth.test
assert_eq "softfail" "$(echo "$OUT" | head -n 1)" "not listed"
run_agent spf --config "$TMP/r.yaml" 192.0.2.99 news.good.test mail.example
assert_eq "pass" "$(echo "$OUT" | head -n 1)" "through the redirect"
assert_contains "$OUT" "sender: postmaster@news.good.test" "a bare domain"
run_agent spf --config "$TMP/r.yaml" 203.0.113.1 x@lookups.test
assert_eq "permerror" "$(echo "$OUT" | head -n 1)" "too many lookups"
run_agent spf --config "$TMP/r.yaml" 192.0.2.101 "" manymx.test
assert_eq "permerror" "$(echo "$OUT" | head -n 1)" "null sender checks HELO"
run_agent spf --config "$TMP/r.yaml" not-an-ip x@good.test
assert_eq 3 "$STATUS" "bad address"
assert_contains "$ERR" '"not-an-ip" is not an IP address' "bad address message"
echo "PASS"
