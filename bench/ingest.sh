#!/bin/sh
# bench/ingest.sh [DOCUMENTS] [CONNECTIONS] [AGENTS]: huolto-collector serve
# taking 200-site report documents over HTTPS from many agents at once
# (tests/tools/ingest_load: libcurl multi, one connection per agent, kept
# open), side by side with nginx on the same certificate answering 201 to
# the same POSTs without storing anything (the HTTPS floor a reverse proxy
# alone costs). Two documents: the agent's real `check --only cms` document
# for 200 sites (inventory included), and the same 200 sites' findings
# without inventory; the latter also with alerting on (every finding looked
# up in the alert state; no channel, so nothing is sent). Prints
# documents/s, MB/s, p50/p99 latency and each server's peak RSS, and for
# each document the ceiling that parsing it with jansson and checking it
# against the schema alone set on documents/s on this machine's cores
# (tests/tools/parse_ceiling.c): no collector that validates what it
# stores can take more.
set -eu
DOCS=${1:-1000}
CONNS=${2:-16}
AGENTS=${3:-16}
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${HUOLTO_BUILD:-$HERE/../build}
AGENT=$BUILD/agent/huolto-agent
COLLECTOR=$BUILD/collector/huolto-collector
LOAD=$BUILD/tests/ingest_load
CEILING=$BUILD/tests/parse_ceiling
SHARED=${HUOLTO_SHARED:-$HERE/../../shared}
for b in "$AGENT" "$COLLECTOR" "$LOAD" "$CEILING"; do
	[ -x "$b" ] || { echo "build huolto first (cmake --build build): $b" >&2; exit 1; }
done
command -v nginx >/dev/null || { echo "needs nginx" >&2; exit 1; }
T=$(mktemp -d /tmp/huolto-bench-ingest.XXXXXX)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; sleep 0.3; rm -rf "$T"' EXIT
port() { echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000)); }
wait_port() {
	i=0
	while ! ss -Hlnt "sport = :$1" | grep -q . && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
peak_rss() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# A CA and the server's certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
	-keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
	-keyout "$T/srv.key" -out "$T/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/ext"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
	-extfile "$T/ext" -out "$T/srv.pem" 2>/dev/null

# The documents: 200 sites, each the on-disk fixture trees (WordPress, Drupal, Joomla).
{
	printf 'agent: {name: AGENTNAME, state_dir: %s/state}\n' "$T"
	printf 'discover: {nginx: false, apache: false}\nsites:\n'
	i=1
	while [ $i -le 200 ]; do
		printf '  - {name: site%d.test, docroot: %s/catalog/fixtures/ondisk}\n' $i "$SHARED"
		i=$((i + 1))
	done
} >"$T/agent.yaml"
"$AGENT" --config "$T/agent.yaml" --only cms --format json check |
	jq -c '.id = "IDPLACEHOLDER"' >"$T/full.json" || true
jq -c '.sites[].inventory = []' "$T/full.json" >"$T/findings.json"

# The collector, its agents and their tokens.
CPORT=$(port)
cat >"$T/collector.yaml" <<EOY
listen: "127.0.0.1:$CPORT"
tls: {cert: $T/srv.pem, key: $T/srv.key}
storage: {sqlite: $T/collector.db}
EOY
i=1
while [ $i -le "$AGENTS" ]; do
	printf 'agent%d %s\n' $i "$("$COLLECTOR" -c "$T/collector.yaml" agent add agent$i 2>/dev/null)" >>"$T/agents"
	i=$((i + 1))
done

# nginx: the same TLS, answering 201 to every POST.
NPORT=$(port)
mkdir -p "$T/nginx"
cat >"$T/nginx.conf" <<EOC
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $T/nginx;
	proxy_temp_path $T/nginx;
	fastcgi_temp_path $T/nginx;
	uwsgi_temp_path $T/nginx;
	scgi_temp_path $T/nginx;
	client_max_body_size 8m;
	client_body_buffer_size 8m;
	server {
		listen 127.0.0.1:$NPORT ssl;
		ssl_certificate $T/srv.pem;
		ssl_certificate_key $T/srv.key;
		ssl_protocols TLSv1.2 TLSv1.3;
		location / {
			return 201 '{"status":"stored"}';
		}
	}
}
EOC

echo "bench/ingest.sh: $DOCS documents per run, $CONNS connections, $AGENTS agents, $(nproc) cores"
cp "$T/collector.yaml" "$T/collector-alerts.yaml"
echo "alerts: {}" >>"$T/collector-alerts.yaml"
for run in full findings findings+alerts; do
	doc=${run%+alerts}
	conf=$T/collector.yaml
	[ "$run" = "$doc" ] || conf=$T/collector-alerts.yaml
	size=$(wc -c <"$T/$doc.json")
	echo
	echo "== $run: 200 sites, $size bytes"
	# Parsing (jansson) and the schema check alone: the most any collector could take.
	if [ "$run" = "$doc" ]; then
		echo "ceiling: $("$CEILING" "$HERE/../docs/report-schema.md" "$T/$doc.json" 20 "$(nproc)")"
	fi
	rm -f "$T/collector.db-wal" "$T/collector.db-shm"
	"$COLLECTOR" -c "$conf" serve 2>"$T/serve.log" &
	pid=$!
	PIDS="$PIDS $pid"
	wait_port "$CPORT"
	printf 'huolto-collector: '
	"$LOAD" "https://127.0.0.1:$CPORT" "$T/ca.pem" "$T/agents" "$T/$doc.json" "$DOCS" "$CONNS" |
		tr '\n' ' ' || true
	echo "peak RSS $(peak_rss $pid) MiB"
	kill $pid
	wait $pid 2>/dev/null || true
	[ "$run" = "$doc" ] || continue # nginx's figures do not change with alerting

	nginx -c "$T/nginx.conf" -e "$T/nginx/error.log"
	wait_port "$NPORT"
	printf 'nginx (return 201): '
	"$LOAD" "https://127.0.0.1:$NPORT" "$T/ca.pem" "$T/agents" "$T/$doc.json" "$DOCS" "$CONNS" |
		tr '\n' ' ' || true
	rss=0
	for p in $(pgrep -f "nginx -c $T/nginx.conf") $(pgrep -P "$(cat "$T/nginx.pid")"); do
		rss=$(awk -v r=$rss '/^VmHWM/ { print r + $2 }' "/proc/$p/status")
	done
	echo "peak RSS $(awk -v r=$rss 'BEGIN { printf "%.1f", r / 1024 }') MiB (master + workers)"
	nginx -c "$T/nginx.conf" -e "$T/nginx/error.log" -s stop
	sleep 0.3
done
echo
echo "database: $(du -sh "$T/collector.db" | cut -f1), $(sqlite3 "$T/collector.db" 'SELECT count(*) FROM documents') documents"
