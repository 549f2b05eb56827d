# For the collector's tests, after lib.sh: a throwaway CA made at test time,
# certificates from it, and a collector serving on a free loopback port.
COLLECTOR=${HUOLTO_COLLECTOR:?run through ctest}
COLL_CONF=${COLL_CONF:-$TMP/collector.yaml} # what coll and start_collector use
need openssl
need curl
need jq
need sqlite3

PKI=$TMP/pki
mkdir -p "$PKI"

# A CA (P-256, valid two days) in $PKI/NAME.pem and .key.
make_ca() { # NAME
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=huolto test $1" -keyout "$PKI/$1.key" -out "$PKI/$1.pem" 2>/dev/null
}

# A certificate for CN signed by CA: $PKI/CN.pem and .key. PURPOSE: serverAuth or clientAuth.
issue_cert() { # CA CN PURPOSE
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
		-keyout "$PKI/$2.key" -out "$PKI/$2.csr" 2>/dev/null
	printf 'extendedKeyUsage=%s\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' "$3" >"$PKI/$2.ext"
	openssl x509 -req -in "$PKI/$2.csr" -CA "$PKI/$1.pem" -CAkey "$PKI/$1.key" \
		-CAcreateserial -days 2 -extfile "$PKI/$2.ext" -out "$PKI/$2.pem" 2>/dev/null
	chmod 600 "$PKI/$2.key"
}

# The collector's configuration in $COLL_CONF; more YAML lines on stdin.
write_collector_conf() { # PORT [CLIENT_CA]
	{
		printf 'listen: "127.0.0.1:%s"\n' "$1"
		printf 'tls: {cert: %s, key: %s, client_ca: %s}\n' "$PKI/collector.pem" \
			"$PKI/collector.key" "${2:-null}"
		printf 'storage: {sqlite: %s}\n' "$TMP/collector.db"
		cat
	} >"$COLL_CONF"
}

coll() { # ARGS...: OUT, ERR, STATUS
	set +e
	"$COLLECTOR" --config "$COLL_CONF" "$@" >"$TMP/cout" 2>"$TMP/cerr"
	STATUS=$?
	set -e
	OUT=$(cat "$TMP/cout")
	ERR=$(cat "$TMP/cerr")
}

# Start serve in the background (COLL_PID) and wait for its port.
start_collector() { # PORT
	"$COLLECTOR" --config "$COLL_CONF" serve >>"$TMP/serve.log" 2>&1 &
	COLL_PID=$!
	track "$COLL_PID"
	wait_port "$1" || { cat "$TMP/serve.log" >&2; fail "the collector did not start"; }
}

# A request to the collector: CODE (HTTP status) and BODY. URL is the path.
req() { # PATH CURL-ARGS...
	path=$1
	shift
	set +e
	CODE=$(curl -sS --max-time 20 --cacert "$PKI/ca.pem" -o "$TMP/body" -w '%{http_code}' \
		"$@" "https://127.0.0.1:$PORT$path")
	set -e
	BODY=$(cat "$TMP/body" 2>/dev/null || true)
}

# A metric's value from /metrics.
metric() { # NAME{LABELS}
	req /metrics
	printf '%s\n' "$BODY" | awk -v m="$1" '$1 == m { print $2 }'
}
