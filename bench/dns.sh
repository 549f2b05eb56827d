#!/bin/sh
# SPF of many mail domains, side by side with what an operator would
# otherwise run:
#   spfquery (libspf2, Debian spfquery) and pyspf (Debian python3-spf),
#   each evaluating check_host() for one address per domain, 8 processes in
#   parallel: batched (each process reads its share of the domains, the
#   fastest way to drive them) and one process per domain (as a loop over
#   the domains would run them);
# and huolto-agent check --only dns over all of them in one process, which
# also lints every record tree (lookups, voids, loops, policy), reads DMARC
# and its report authorizations, and checks every MX and its addresses.
#
# The domains are served by NSD on 127.0.0.1:53 inside a network and mount
# namespace made here (unshare), with /etc/resolv.conf replaced in it, so
# all three tools use the same server through their normal resolvers.
# Records: providers' include trees like the big mail services' (nested
# includes of netblock records), hosting companies' redirects, a and mx
# mechanisms, plain ip4 lists; two MX per domain and a DMARC record.
# Prints wall time, CPU time (user+sys) and peak RSS of each, median of RUNS;
# the last column is each tool's wall time over huolto's.
#   bench/dns.sh [DOMAINS] [RUNS]     (defaults: 200, 3)
set -eu
cd "$(dirname "$0")/.."
SRC=$(pwd)
N=${1:-200}
RUNS=${2:-3}
AGENT=${HUOLTO_AGENT:-build/agent/huolto-agent}
[ -x "$AGENT" ] || AGENT=build-test/agent/huolto-agent
AGENT=$(cd "$(dirname "$AGENT")" && pwd)/$(basename "$AGENT")
SPFQUERY=/usr/bin/spfquery.libspf2
PY=/usr/bin/python3
IP=192.0.2.25
HELO=web01.agency.test

if [ "${1:-}" = --inside ]; then
	# In the namespaces: loopback up, our resolv.conf, NSD on port 53.
	T=$2
	RUNS=$3
	ip link set lo up
	mount --bind "$T/resolv.conf" /etc/resolv.conf
	nsd -d -c "$T/zones/nsd.conf" 2>"$T/nsd.stderr" &
	NSD_PID=$!
	trap 'kill $NSD_PID 2>/dev/null' EXIT
	i=0
	until ss -Hlnu 'sport = :53' | grep -q .; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "nsd did not start: $(cat "$T/nsd.stderr")" >&2; exit 1; }
		sleep 0.1
	done
	sleep 0.5 # the zones load after the socket opens

	measure() { # NAME SHELL-COMMAND: one run; appends "wall cpu rss_kib" to $T/NAME.runs
		# (wall in ms from date; CPU, user+sys of all processes, and the
		# largest process's peak RSS from time(1))
		# Exit statuses are results here (spfquery's is the SPF result, the
		# agent's the worst finding): the outputs are compared below instead.
		t0=$(date +%s%N)
		/usr/bin/time -f "%U %S %M" -o "$T/time" sh -c "$2" >"$T/$1.out" 2>"$T/$1.err" || true
		t1=$(date +%s%N)
		# time(1) puts "Command exited with non-zero status N" first then
		awk -v w=$(((t1 - t0) / 1000000)) \
			'/^[0-9]/ { printf "%.3f %.2f %d\n", w / 1000, $1 + $2, $3 }' "$T/time" >>"$T/$1.runs"
	}
	r=-1 # run -1 warms up (page cache, NSD) and is not counted
	while [ $r -lt "$RUNS" ]; do
		[ $r -eq 0 ] && rm -f "$T"/*.runs
		measure huolto "'$AGENT' check --config '$T/agent.yaml' --only dns --format json"
		# a batch's output is larger than stdio's buffer: one file each, or
		# the processes' writes would interleave mid-line
		measure spfquery_batch "ls '$T'/batch.?? | xargs -P 8 -I{} sh -c '\"\$0\" -file {} >{}.sq' '$SPFQUERY'"
		measure spfquery_each "xargs -P 8 -L 1 '$SPFQUERY' <'$T/queries.args'"
		measure pyspf_batch "ls '$T'/batch.?? | xargs -P 8 -I{} sh -c '\"\$0\" \"\$1\" {} >{}.py' '$PY' '$T/pyspf.py'"
		measure pyspf_each "xargs -P 8 -L 1 '$PY' '$T/pyspf.py' - <'$T/queries'"
		r=$((r + 1))
	done
	exit 0
fi

for need in nsd unshare jq /usr/bin/time "$SPFQUERY" "$PY" "$AGENT"; do
	command -v "$need" >/dev/null 2>&1 || { echo "needs $need (scripts/install-deps --test; build huolto)" >&2; exit 1; }
done
"$PY" -c 'import spf' 2>/dev/null || { echo "needs python3-spf (scripts/install-deps --test)" >&2; exit 1; }

T=${BENCH_DIR:-$(mktemp -d /tmp/huolto-bench-dns.XXXXXX)}
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
mkdir -p "$T/zones"
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' >"$T/resolv.conf"

# zone NAME < records
ZONES=""
zone() {
	{
		printf '$ORIGIN %s.\n$TTL 300\n' "$1"
		printf '@ IN SOA ns1.agency.test. hostmaster.agency.test. 1 3600 600 86400 300\n'
		printf '@ IN NS ns1.agency.test.\n'
		cat
	} >"$T/zones/$1.zone"
	ZONES="$ZONES $1"
}
netblocks() { # COUNT BASE: COUNT ip4 ranges from BASE.x.0/24 and an ip6 one
	k=0
	out=""
	while [ $k -lt "$1" ]; do out="$out ip4:$2.$k.0/24"; k=$((k + 1)); done
	echo "$out ip6:2001:db8:$(echo "$2" | tr -d .)::/48"
}

echo "making $N domains..." >&2
# Four mail providers, each an include tree three levels deep.
for p in 0 1 2 3; do
	{
		echo "_spf IN TXT \"v=spf1 include:_netblocks.provider$p.test include:_netblocks2.provider$p.test include:_netblocks3.provider$p.test ~all\""
		echo "_netblocks IN TXT \"v=spf1$(netblocks 8 "10.$p")  ~all\""
		echo "_netblocks2 IN TXT \"v=spf1$(netblocks 6 "10.$((p + 10))") ~all\""
		echo "_netblocks3 IN TXT \"v=spf1 include:_netblocks4.provider$p.test ~all\""
		echo "_netblocks4 IN TXT \"v=spf1$(netblocks 4 "10.$((p + 20))") ~all\""
		echo "mx1 IN A 10.$p.0.25"
		echo "mx2 IN A 10.$p.1.25"
		echo "mx2 IN AAAA 2001:db8:$p::25"
	} >"$T/rr"
	zone "provider$p.test" <"$T/rr"
done
# A newsletter service and a hosting company; the agency's own zone.
zone mailer.test <<EOF
spf IN TXT "v=spf1$(netblocks 5 172.16) include:spf2.mailer.test -all"
spf2 IN TXT "v=spf1$(netblocks 5 172.17) -all"
EOF
zone hosting.test <<EOF
_spf IN TXT "v=spf1 ip4:192.0.2.0/26 ip4:198.51.100.0/24 include:relay.hosting.test -all"
relay IN TXT "v=spf1 a:smtp1.hosting.test a:smtp2.hosting.test -all"
smtp1 IN A 198.51.100.10
smtp2 IN A 198.51.100.11
EOF
zone agency.test <<EOF
ns1 IN A 127.0.0.1
*._report._dmarc IN TXT "v=DMARC1"
EOF

: >"$T/queries"
: >"$T/queries.args"
i=0
while [ $i -lt "$N" ]; do
	d=site$i.test
	p=$((i % 4))
	case $((i % 10)) in
	0 | 1 | 2 | 3 | 4 | 5) spf="v=spf1 a mx include:_spf.provider$p.test ~all" ;;
	6 | 7) spf="v=spf1 redirect=_spf.hosting.test" ;;
	8) spf="v=spf1 ip4:203.0.113.$((i % 250)) include:_spf.provider$p.test include:spf.mailer.test -all" ;;
	*) spf="v=spf1 ip4:203.0.113.$((i % 250)) ip4:203.0.113.$(((i + 1) % 250)) -all" ;;
	esac
	{
		echo "@ IN TXT \"$spf\""
		echo "@ IN TXT \"google-site-verification=bench$i\""
		echo "@ IN A 203.0.113.$((i % 250))"
		echo "@ IN MX 10 mx1.provider$p.test."
		echo "@ IN MX 20 mx2.provider$p.test."
		echo "_dmarc IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@agency.test\""
	} >"$T/rr"
	zone "$d" <"$T/rr"
	echo "$IP postmaster@$d $HELO" >>"$T/queries"
	echo "-ip $IP -sender postmaster@$d -helo $HELO" >>"$T/queries.args"
	i=$((i + 1))
done
"$SRC/tests/nsd-conf" "$T/zones" 53 $ZONES >"$T/zones/nsd.conf"
nsd-checkconf "$T/zones/nsd.conf"

# 8 batches for the batched runs
split -n l/8 -d "$T/queries" "$T/batch."
cat >"$T/pyspf.py" <<'PY'
# check_host() for each "ip sender helo" line of a file, or of the command line after "-".
import sys
import spf
lines = [" ".join(sys.argv[2:])] if sys.argv[1] == "-" else open(sys.argv[1])
for line in lines:
    ip, sender, helo = line.split()
    # one write per line: processes share the output file
    sys.stdout.write(spf.check2(i=ip, s=sender, h=helo)[0] + "\n")
    sys.stdout.flush()
PY
{
	cat <<YAML
discover: {nginx: false, apache: false}
agent: {name: bench}
mail: {outbound: ["$IP"]}
sites:
YAML
	i=0
	while [ $i -lt "$N" ]; do echo "  - name: site$i.test"; i=$((i + 1)); done
} >"$T/agent.yaml"

echo "running, $RUNS runs of each..." >&2
unshare -rnm "$0" --inside "$T" "$RUNS"

median() { sort -n -k1,1 "$1" | sed -n "$((($(wc -l <"$1") + 1) / 2))p"; }
base=$(median "$T/huolto.runs" | cut -d' ' -f1)
printf '\n%d mail domains (%d runs, median; 8 processes in parallel for the others)\n' "$N" "$RUNS"
printf 'huolto: %s\n' "$AGENT"
printf '%-44s %9s %9s %9s %9s\n' tool "wall s" "cpu s" "rss MiB" "× huolto"
row() { # LABEL FILE
	median "$2" | awk -v l="$1" -v b="$base" \
		'{ printf "%-44s %9.3f %9.3f %9.1f %9.1f\n", l, $1, $2, $3 / 1024, (b > 0 ? $1 / b : 0) }'
}
row "huolto-agent check --only dns (1 process)" "$T/huolto.runs"
row "spfquery (libspf2), 8 batches" "$T/spfquery_batch.runs"
row "spfquery (libspf2), a process per domain" "$T/spfquery_each.runs"
row "pyspf, 8 batches" "$T/pyspf_batch.runs"
row "pyspf, a process per domain" "$T/pyspf_each.runs"

# The tools agree on the domains where this address does not pass (huolto:
# spf.server_not_authorized, or a critical SPF finding, which makes it a permerror).
hu=$(jq '[.sites[] | select(any(.findings[]; .code == "spf.server_not_authorized" or
	(.status == "critical" and (.code | startswith("spf."))))) ] | length' "$T/huolto.out")
cat "$T"/batch.??.sq >"$T/spfquery_batch.out"
cat "$T"/batch.??.py >"$T/pyspf_batch.out"
sqb=$(grep '^Received-SPF: ' "$T/spfquery_batch.out" | grep -vc '^Received-SPF: pass' || true)
sqe=$(grep '^Received-SPF: ' "$T/spfquery_each.out" | grep -vc '^Received-SPF: pass' || true)
pyb=$(grep -vc '^pass$' "$T/pyspf_batch.out" || true)
pye=$(grep -vc '^pass$' "$T/pyspf_each.out" || true)
printf '\ndomains where %s does not pass: huolto %s, spfquery %s/%s, pyspf %s/%s (batched/each)\n' \
	"$IP" "$hu" "$sqb" "$sqe" "$pyb" "$pye"
printf 'huolto: %s DNS queries, %s findings (SPF lint and evaluation, DMARC, MX)\n' \
	"$(jq .server.dns.queries "$T/huolto.out")" "$(jq '[.sites[].findings[]] | length' "$T/huolto.out")"
# every tool answered for every domain
for f in spfquery_batch spfquery_each; do
	n=$(grep -c '^Received-SPF: ' "$T/$f.out" || true)
	[ "$n" -eq "$N" ] || echo "warning: $f answered $n of $N" >&2
done
for f in pyspf_batch pyspf_each; do
	n=$(grep -c . "$T/$f.out" || true)
	[ "$n" -eq "$N" ] || echo "warning: $f answered $n of $N" >&2
done
[ "$(jq '.sites | length' "$T/huolto.out")" -eq "$N" ] || echo "warning: huolto reported on fewer sites" >&2
