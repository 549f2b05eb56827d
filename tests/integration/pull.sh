#!/bin/sh
# huolto-collector pull: Debian's openssh-server on 127.0.0.1 at a free port
# with its own host keys (ed25519 and ECDSA; known_hosts lists the ed25519
# one), the test user (whoever runs the tests) with an authorized key, and a
# docroot of WordPress trees whose wp-config points at a mariadb-server
# started here. The pull's document is stored as an agent's, and its
# findings (cms, db through an SSH channel, php) are the ones huolto-agent
# finds running on the same machine. A wrong host key is refused naming the
# fingerprint offered; a closed port is pull.unreachable and two hosts that
# stall after connecting are pull.timeout, a refused key pull.auth_failed, pulled at once without delaying
# the others; serve pulls on its own; no secret reaches any output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
[ -x /usr/sbin/sshd ] || skip "openssh-server is not installed"
need ssh-keygen
SAMPLE=/usr/share/wordpress/wp-config-sample.php
[ -r $SAMPLE ] || skip "Debian's wordpress is not installed"
: "${BLACKHOLE:?run through ctest}"
ME=$(id -un)

note "mariadb-server on 127.0.0.1"
start_mariadb 40
DBPORT=$DB_PORT
PW='Pull-S3cr3t!#x'
sql "CREATE USER wp@'%' IDENTIFIED BY '$PW' WITH MAX_USER_CONNECTIONS 10;
CREATE DATABASE wordpress; GRANT ALL ON wordpress.* TO wp@'%';"

note "the shared-hosting account's docroot"
WWW=$TMP/home/public_html
mkdir -p "$WWW/wp-includes" "$WWW/wp-content/plugins/hello"
printf "<?php\n\$wp_version = '6.6.2';\n\$wp_db_version = 57155;\n" >"$WWW/wp-includes/version.php"
printf '<?php\n/*\nPlugin Name: Hello\nVersion: 1.2.3\n*/\n' >"$WWW/wp-content/plugins/hello/hello.php"
sed -e "s/database_name_here/wordpress/" -e "s/username_here/wp/" -e "s|password_here|$PW|" \
	-e "s|'localhost'|'127.0.0.1:$DBPORT'|" $SAMPLE >"$WWW/wp-config.php"

note "openssh-server on 127.0.0.1 with its own host keys"
S=$TMP/ssh
mkdir -p "$S"
ssh-keygen -q -t ed25519 -N '' -C host -f "$S/host_ed25519"
ssh-keygen -q -t ecdsa -N '' -C host -f "$S/host_ecdsa"
ssh-keygen -q -t ed25519 -N '' -C other -f "$S/other_ed25519"
ssh-keygen -q -t ed25519 -N '' -C huolto -f "$S/client"
cp "$S/client.pub" "$S/authorized_keys"
SSHPORT=$(free_port)
cat >"$S/sshd_config" <<CONF
Port $SSHPORT
ListenAddress 127.0.0.1
HostKey $S/host_ecdsa
HostKey $S/host_ed25519
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $ME
Subsystem sftp internal-sftp
LogLevel VERBOSE
CONF
[ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd # the privilege separation directory
/usr/sbin/sshd -t -f "$S/sshd_config" || fail "sshd -t"
/usr/sbin/sshd -D -e -f "$S/sshd_config" 2>"$S/sshd.log" &
track $!
wait_port "$SSHPORT" || fail "sshd did not start: $(cat "$S/sshd.log")"
printf '[127.0.0.1]:%s %s\n' "$SSHPORT" "$(cut -d' ' -f1,2 "$S/host_ed25519.pub")" >"$S/known_hosts"
printf '[127.0.0.1]:%s %s\n' "$SSHPORT" "$(cut -d' ' -f1,2 "$S/other_ed25519.pub")" >"$S/wrong_hosts"
: >"$S/empty_hosts"

STALL1=$TMP/stall1.port
STALL2=$TMP/stall2.port
"$BLACKHOLE" 60 >"$STALL1" &
track $!
"$BLACKHOLE" 60 >"$STALL2" &
track $!
wait_until 10 test -s "$STALL1" || fail "blackhole did not start"
wait_until 10 test -s "$STALL2" || fail "blackhole did not start"
CLOSED=$(free_port)

host() { # NAME PORT KNOWN_HOSTS [TIMEOUT [KEY]]
	cat <<YAML
  - name: $1
    host: 127.0.0.1
    port: $2
    user: $ME
    key: ${5:-$S/client}
    known_hosts: $3
    timeout: ${4:-10s}
    state_dir: $TMP/state-$1
    sites: [{name: acme.fi, docroot: $WWW}]
    php: {ignore_sites: [acme.fi]}
YAML
}
PORT=$(free_port)
make_ca ca
issue_cert ca collector serverAuth
{
	echo "pull_options: {concurrency: 4}"
	echo "pull:"
	host shared01 "$SSHPORT" "$S/known_hosts"
	host wrongkey "$SSHPORT" "$S/wrong_hosts"
	host badauth "$SSHPORT" "$S/known_hosts" 10s "$S/other_ed25519"
	host unknownkey "$SSHPORT" "$S/empty_hosts"
	host closed "$CLOSED" "$S/known_hosts"
	host stall1 "$(cat "$STALL1")" "$S/known_hosts" 3s
	host stall2 "$(cat "$STALL2")" "$S/known_hosts" 3s
} | write_collector_conf "$PORT"

note "pull shared01: checked over SSH, stored as agent shared01's document"
coll pull shared01
assert_eq 0 "$STATUS" "pull shared01: $OUT $ERR"
assert_contains "$OUT" "shared01: checked in" "the outcome"
DOC=$(sqlite3 "$TMP/collector.db" "SELECT body FROM documents WHERE agent = 'shared01'")
[ -n "$DOC" ] || fail "no document of shared01"
printf '%s' "$DOC" >"$TMP/pulled.json"
"$SCHEMA_CHECK" "$SRC/docs/report-schema.md" <"$TMP/pulled.json" || fail "the pulled document's schema"
assert_eq "wordpress-core 6.6.2,wordpress-plugin 1.2.3" \
	"$(jq -r '[.sites[0].inventory[] | "\(.kind) \(.version)"] | sort | join(",")' "$TMP/pulled.json")" \
	"the inventory read over SFTP"
dbf=$(jq -r '.sites[0].findings[] | select(.code | startswith("db.")) |
	"\(.code) \(.facts.max_user_connections_account) \(.facts.max_connections)"' "$TMP/pulled.json")
assert_eq "db.ok 10 40" "$dbf" "the db check through the SSH channel (the account's limit, the server's)"
[ "$(jq '.server.php | length' "$TMP/pulled.json")" -ge 1 ] ||
	fail "no PHP found over SSH: $(jq -c .server.php "$TMP/pulled.json")"
jq -e '.server.php[0].version | test("^[0-9]+\\.[0-9]+\\.[0-9]+")' "$TMP/pulled.json" >/dev/null ||
	fail "php -v over an exec channel: $(jq -c .server.php "$TMP/pulled.json")"

note "the same findings as huolto-agent on this machine"
cat >"$TMP/agent.yaml" <<YAML
agent: {name: local, state_dir: $TMP/state-local}
discover: {nginx: false, apache: false}
sites: [{name: acme.fi, docroot: $WWW}]
php: {ignore_sites: [acme.fi]}
YAML
"$AGENT" --config "$TMP/agent.yaml" --only php,cms,db,tls --format json check >"$TMP/local.json" || true
# every check but dns (whose answers come from the network, not the host)
findings() { # FILE: code, status and target of every site and server finding
	jq -r '[(.server.findings[], .sites[].findings[]) | select(.code | test("^(spf|dmarc|mx|dns)\\.") | not)
		| "\(.code) \(.status) \(.target)"] | sort | .[]' "$1"
}
assert_eq "$(findings "$TMP/local.json")" "$(findings "$TMP/pulled.json")" "pulled findings = the agent's"
assert_eq "$(jq -c '.sites[0].inventory' "$TMP/local.json")" "$(jq -c '.sites[0].inventory' "$TMP/pulled.json")" \
	"pulled inventory = the agent's"

note "a wrong host key is refused, naming the fingerprint offered"
coll pull wrongkey
assert_eq 1 "$STATUS" "pull wrongkey"
FP=$(ssh-keygen -lf "$S/host_ed25519.pub" | cut -d' ' -f2)
assert_contains "$OUT" "wrongkey: pull.host_key" "the finding"
assert_contains "$OUT" "the host key CHANGED: the server offered ssh-ed25519 $FP" "the fingerprint"
assert_eq "pull.host_key critical" "$(sqlite3 "$TMP/collector.db" \
	"SELECT body FROM documents WHERE agent = 'wrongkey'" | jq -r '.sites[0].findings[0] | "\(.code) \(.status)"')" \
	"stored as the site's critical finding"

note "a host key known_hosts does not list is refused too"
coll pull unknownkey
assert_eq 1 "$STATUS" "pull unknownkey"
assert_contains "$OUT" "unknownkey: pull.host_key" "the finding"
assert_contains "$OUT" "unknown host key: the server offered" "unknown, not changed"
assert_contains "$OUT" "$S/empty_hosts has no key for it; refused" "where it looked"

note "a key the account does not accept: pull.auth_failed"
coll pull badauth
assert_eq 1 "$STATUS" "pull badauth"
assert_contains "$OUT" "badauth: pull.auth_failed" "the finding"
assert_contains "$OUT" "authentication refused (key $S/other_ed25519)" "which key"

note "unreachable and stalled hosts, at once, bounded by their own timeouts"
t0=$(date +%s%N)
coll pull closed stall1 stall2 shared01
t1=$(date +%s%N)
assert_eq 1 "$STATUS" "some hosts failed"
assert_contains "$OUT" "closed: pull.unreachable" "a closed port"
assert_contains "$OUT" "Connection refused" "why"
assert_contains "$OUT" "stall1: pull.timeout" "a host that never speaks"
assert_contains "$OUT" "stall2: pull.timeout" "another"
assert_contains "$OUT" "shared01: checked in" "the good host, all the same"
ms=$(((t1 - t0) / 1000000))
# one after another: at least 3 s + 3 s; at once: one timeout and the checks
[ "$ms" -lt 5500 ] || fail "the pulls took $ms ms: not concurrent"
note "all four in $ms ms"
printf "%s\n" "$OUT"

note "serve pulls on its own"
start_collector "$PORT"
wait_until 30 sh -c "[ \$(sqlite3 '$TMP/collector.db' \"SELECT count(*) FROM documents WHERE agent = 'shared01'\") -ge 3 ]" ||
	fail "serve did not pull: $(cat "$TMP/serve.log")"
grep -q "pull shared01: checked" "$TMP/serve.log" || fail "serve did not log its pull: $(cat "$TMP/serve.log")"

note "no secret anywhere"
for f in "$TMP/cout" "$TMP/cerr" "$TMP/serve.log"; do
	grep -qF "$PW" "$f" && fail "the database password is in $f"
	grep -q "PRIVATE KEY" "$f" && fail "a private key is in $f"
done
sqlite3 "$TMP/collector.db" "SELECT body FROM documents" | grep -qF "$PW" && fail "the password was stored"
echo "PASS"
