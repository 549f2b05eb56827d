# Shared by the integration tests: a temp dir that is removed, servers that
# are stopped, free ports, bounded waits and assertions.
# Exit 77 means "skipped" to CTest.
set -eu

: "${HUOLTO_AGENT:?run through ctest}"
: "${HUOLTO_SRC:?run through ctest}"
AGENT=$HUOLTO_AGENT
SRC=$HUOLTO_SRC
SHARED=${HUOLTO_SHARED:-$SRC/../shared}

TMP=$(mktemp -d /tmp/huolto-it.XXXXXX)
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		# bounded: at most 5 s per process, then SIGKILL
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed"; }
note() { echo "-- $*"; }

# Remember a background process to stop at exit.
track() { PIDS="$PIDS $1"; }

# A TCP and UDP port on loopback that nothing listens on.
free_port() {
	i=0
	while [ $i -lt 100 ]; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		if ! ss -Hlntu "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return 0
		fi
		i=$((i + 1))
	done
	fail "no free port found"
}

# wait_until SECONDS COMMAND...: retry COMMAND every 0.1 s for at most SECONDS.
wait_until() {
	limit=$(($1 * 10))
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt "$limit" ] || return 1
		sleep 0.1
	done
}

assert_eq() { # EXPECTED ACTUAL WHAT
	[ "$1" = "$2" ] || fail "$3: expected [$1], got [$2]"
}

assert_contains() { # HAYSTACK NEEDLE WHAT
	case "$1" in
	*"$2"*) ;;
	*) fail "$3: [$2] not found in: $1" ;;
	esac
}

# Run the agent; sets OUT, ERR and STATUS.
run_agent() {
	set +e
	"$AGENT" "$@" >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
	set -e
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# jq on the last output: jqo FILTER
jqo() { printf '%s' "$OUT" | jq -r "$@"; }

# Wait (at most 10 s) until something listens on TCP (or, with "udp", UDP) PORT.
wait_port() { # PORT [udp]
	flag=t
	[ "${2:-}" = udp ] && flag=u
	wait_until 10 sh -c "ss -Hln$flag 'sport = :$1' | grep -q ."
}

# For every HTTPS endpoint in the `discover --format json` output in $OUT:
# the certificate served on 127.0.0.1 (and on ::1 for the sites named) is
# the site's first certificate file. EXPECTED is the number of checks.
verify_served_certificates() { # EXPECTED [SITE_ALSO_ON_IPV6...]
	expected=$1
	shift
	n=0
	for ep in $(jqo '.sites[] | .name as $s | .https[] | "\($s)|\(.host)|\(.port)"'); do
		s=${ep%%|*}
		rest=${ep#*|}
		host=${rest%%|*}
		port=${rest#*|}
		cert=$(jqo ".sites[] | select(.name == \"$s\") | .cert_files[0]")
		want=$(openssl x509 -in "$cert" -noout -fingerprint -sha256)
		targets="127.0.0.1:$port"
		for v6 in "$@"; do
			[ "$v6" = "$s" ] && targets="$targets [::1]:$port"
		done
		for t in $targets; do
			got=$(timeout 10 openssl s_client -connect "$t" -servername "$host" </dev/null 2>/dev/null |
				openssl x509 -noout -fingerprint -sha256)
			assert_eq "$want" "$got" "certificate served for $host on $t"
			n=$((n + 1))
		done
	done
	assert_eq "$expected" "$n" "endpoints checked against the server"
}

# Stop a process now (at most 5 s, then SIGKILL) rather than at exit.
stop_pid() {
	kill "$1" 2>/dev/null || true
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# Start NSD on 127.0.0.1 and ::1 at a free port, serving ZONE... from
# DIR/ZONE.zone; sets NSD_PORT and NSD_PID. Stopped at exit (or stop_pid).
start_nsd() { # DIR ZONE...
	need nsd
	nsd_dir=$1
	shift
	NSD_PORT=$(free_port)
	"$SRC/tests/nsd-conf" "$nsd_dir" "$NSD_PORT" "$@" >"$nsd_dir/nsd.conf"
	nsd-checkconf "$nsd_dir/nsd.conf" || fail "nsd-checkconf"
	nsd -d -c "$nsd_dir/nsd.conf" 2>>"$nsd_dir/stderr" &
	NSD_PID=$!
	track $NSD_PID
	wait_port "$NSD_PORT" udp ||
		fail "nsd did not start: $(cat "$nsd_dir/nsd.log" "$nsd_dir/stderr" 2>/dev/null)"
}

# Start Debian's mariadb-server with its own data directory in $TMP, on
# 127.0.0.1 at a free port (DB_PORT) and the socket DB_SOCK, with
# max_connections MAX; sql QUERY runs as root over the socket.
start_mariadb() { # MAX
	[ -x /usr/sbin/mariadbd ] || skip "mariadb-server is not installed"
	need mariadb
	need mariadb-install-db
	DB_PORT=$(free_port)
	DB_SOCK=$TMP/mysqld.sock
	mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$TMP/data" \
		--auth-root-authentication-method=socket --skip-test-db >"$TMP/install.log" 2>&1 ||
		{ cat "$TMP/install.log"; fail "mariadb-install-db"; }
	/usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$TMP/data" \
		--socket="$DB_SOCK" --port="$DB_PORT" --bind-address=127.0.0.1 \
		--pid-file="$TMP/mysqld.pid" --max-connections="$1" --skip-name-resolve \
		--innodb-buffer-pool-size=16M --skip-log-bin --log-error="$TMP/mysqld.err" \
		>"$TMP/mysqld.out" 2>&1 &
	track $!
	wait_until 30 test -S "$DB_SOCK" || { cat "$TMP/mysqld.err"; fail "mariadbd did not start"; }
	wait_until 10 sql "SELECT 1" || fail "mariadbd does not answer"
}
sql() { mariadb --no-defaults -S "$DB_SOCK" -u root -N -B -e "$1"; }
