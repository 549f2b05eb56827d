#!/bin/sh
# TLS certificate checks of many SNI virtual hosts, side by side with what
# an operator would otherwise run:
#   check_http -C (monitoring-plugins), one vhost after another, and 8 at once
#   openssl s_client | openssl x509, one vhost after another
# and huolto-agent check --only tls over all of them (which also verifies
# each chain, checks names, keys, signatures, a second handshake for old
# protocols, and the certificate files on disk).
# Prints wall time, CPU time (user+sys) and peak RSS of each, median of RUNS;
# the last column is each tool's wall time over huolto's.
#   bench/tls.sh [VHOSTS] [RUNS]     (defaults: 200, 3)
set -eu
cd "$(dirname "$0")/.."
N=${1:-200}
RUNS=${2:-3}
AGENT=${HUOLTO_AGENT:-build/agent/huolto-agent}
[ -x "$AGENT" ] || AGENT=build-test/agent/huolto-agent
CHECK_HTTP=/usr/lib/nagios/plugins/check_http
for need in nginx openssl /usr/bin/time "$CHECK_HTTP" "$AGENT"; do
	command -v "$need" >/dev/null 2>&1 || { echo "needs $need (scripts/install-deps --test; build huolto)" >&2; exit 1; }
done

T=${BENCH_DIR:-$(mktemp -d /tmp/huolto-bench-tls.XXXXXX)}
NGINX_PID=""
trap '[ -n "$NGINX_PID" ] && kill $NGINX_PID 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/ca/new" "$T/certs" "$T/sites" "$T/run"
: >"$T/ca/index.txt"
echo 1000 >"$T/ca/serial"
cat >"$T/ca/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
dir = $T/ca
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
CNF
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
	-subj "/CN=bench root" -keyout "$T/ca/root.key" -out "$T/ca/root.pem" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null

PORT=$((30000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
echo "making $N certificates and vhosts..." >&2
i=0
statics=""
while [ $i -lt "$N" ]; do
	name=site$i.bench.test
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$T/certs/$name.key" -subj "/CN=$name" -addext "subjectAltName=DNS:$name" \
		-out "$T/certs/$name.csr" 2>/dev/null
	openssl ca -batch -config "$T/ca/ca.cnf" -cert "$T/ca/root.pem" -keyfile "$T/ca/root.key" \
		-in "$T/certs/$name.csr" -out "$T/certs/$name.pem" -days 40 -extensions leaf -notext \
		2>/dev/null
	cat >"$T/sites/$name.conf" <<CONF
server {
	listen 127.0.0.1:$PORT ssl;
	server_name $name;
	ssl_certificate $T/certs/$name.pem;
	ssl_certificate_key $T/certs/$name.key;
}
CONF
	statics="$statics    $name: [127.0.0.1]
"
	echo "$name" >>"$T/names"
	i=$((i + 1))
done
cat >"$T/nginx.conf" <<CONF
pid $T/run/nginx.pid;
error_log $T/run/error.log;
worker_processes 2;
events {}
http { access_log off; ssl_protocols TLSv1.2 TLSv1.3; include $T/sites/*.conf; }
CONF
nginx -c "$T/nginx.conf" -g 'daemon off;' 2>/dev/null &
NGINX_PID=$!
k=0
until ss -Hltn "sport = :$PORT" | grep -q . || [ $k -ge 100 ]; do sleep 0.1; k=$((k + 1)); done
cat >"$T/agent.yaml" <<CONF
discover: {nginx: $T/nginx.conf, apache: false}
resolver:
  use_hosts: false
  static:
$statics
tls: {ca_file: $T/ca/root.pem, mail_config: {postfix: false, dovecot: false}}
CONF
# The same work as check_http: one handshake per vhost, no key files read.
sed 's/^tls: {/tls: {probe_old_protocols: false, check_keys: false, /' "$T/agent.yaml" >"$T/agent-one.yaml"

# The tools the comparison runs, each over all N vhosts.
cat >"$T/check_http_one" <<SH
#!/bin/sh
exec $CHECK_HTTP -H "\$1" -I 127.0.0.1 -p $PORT --sni -C 21,7 >/dev/null
SH
cat >"$T/openssl_one" <<SH
#!/bin/sh
openssl s_client -connect 127.0.0.1:$PORT -servername "\$1" </dev/null 2>/dev/null | openssl x509 -noout -enddate
SH
chmod +x "$T/check_http_one" "$T/openssl_one"
# The four ways of checking all N vhosts, in a file that both this script and
# /usr/bin/time (through sh -c) can source.
cat >"$T/funcs" <<SH
run_huolto() { "$AGENT" check --config "$T/agent.yaml" --only tls --format json >"$T/huolto.json" || [ \$? -le 2 ]; }
run_huolto_one() { "$AGENT" check --config "$T/agent-one.yaml" --only tls --format json >/dev/null || [ \$? -le 2 ]; }
run_check_seq() { while read -r n; do "$T/check_http_one" "\$n"; done <"$T/names"; }
run_check_par() { xargs -P 8 -n 1 "$T/check_http_one" <"$T/names"; }
run_openssl() { while read -r n; do "$T/openssl_one" "\$n"; done <"$T/names" >"$T/openssl.out"; }
SH
. "$T/funcs"

# Each must really have checked every vhost.
run_huolto
got=$(jq '[.sites[].findings[] | select(.code == "tls.ok")] | length' "$T/huolto.json")
[ "$got" -eq "$N" ] || { echo "huolto: $got of $N vhosts ok" >&2; exit 1; }
run_check_seq || { echo "check_http failed" >&2; exit 1; }
run_openssl
[ "$(grep -c notAfter "$T/openssl.out")" -eq "$N" ] || { echo "openssl loop incomplete" >&2; exit 1; }

# measure FUNCTION: "wall_s cpu_s rss_kib", the run with the median wall time of RUNS
measure() {
	: >"$T/m"
	r=0
	while [ $r -lt "$RUNS" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$T/t" sh -c ". '$T/funcs'; $1" >/dev/null 2>&1 ||
			{ echo "$1 failed" >&2; exit 1; }
		awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$T/t" >>"$T/m"
		r=$((r + 1))
	done
	sort -n "$T/m" | sed -n "$(((RUNS + 1) / 2))p"
}

h=$(measure run_huolto)
hand=$(jq .server.tls.handshakes "$T/huolto.json")
echo "TLS checks of $N SNI vhosts on one nginx (127.0.0.1), median of $RUNS runs"
echo "huolto: $hand handshakes (the certificate, and a probe for TLS 1.0/1.1, per vhost), chains verified"
printf '%-40s %8s %8s %8s %9s\n' "tool" "wall s" "cpu s" "RSS MiB" "x huolto"
row() { # LABEL "wall cpu rss"
	echo "$2 $(echo "$h" | cut -d' ' -f1)" | awk -v label="$1" \
		'{ printf "%-40s %8.2f %8.2f %8.1f %9.1f\n", label, $1, $2, $3 / 1024, $1 / $4 }'
}
row "huolto-agent check --only tls" "$h"
row "  one handshake per vhost, no keys read" "$(measure run_huolto_one)"
row "check_http -C, one at a time" "$(measure run_check_seq)"
row "check_http -C, 8 at a time" "$(measure run_check_par)"
row "openssl s_client | x509, one at a time" "$(measure run_openssl)"
