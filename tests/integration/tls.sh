#!/bin/sh
# The tls check against real servers on loopback: Debian's nginx with one
# SNI virtual host per finding, certificates from a test CA made here with
# openssl (root, intermediates, leaves with chosen dates, keys, signatures);
# Dovecot (IMAP and POP3, STARTTLS and implicit) and aiosmtpd (SMTP STARTTLS
# and SMTPS) for mail; a listener that accepts and never speaks; a closed
# port; plain HTTP; a name that does not resolve. Every site comes from
# discovery or the configuration: no host list.
. "$(dirname "$0")/lib.sh"
need nginx
need openssl
need jq
: "${BLACKHOLE:?run through ctest}"

PKI=$TMP/pki
mkdir -p "$PKI" "$TMP/nginx/sites" "$TMP/www" "$TMP/run"
day() { date -u -d "$1 days" +%Y%m%d%H%M%SZ; }

# A CA directory for `openssl ca`: mkca DIR
mkca() {
	mkdir -p "$1/new"
	: >"$1/index.txt"
	echo 1000 >"$1/serial"
	cat >"$1/ca.cnf" <<CNF
[ca]
default_ca = ca_default
[ca_default]
dir = $1
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
default_md = sha256
policy = policy_any
copy_extensions = copy
unique_subject = no
[policy_any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
authorityInfoAccess = caIssuers;URI:http://ca.huolto.test/issuer.crt
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
CNF
}

# issue CA NAME KEY START END [EXT [MD [CN]]]: $PKI/NAME.key, NAME.pem signed by CA
# (CA is a name: $PKI/CA.pem, $PKI/CA.key, $PKI/CA.d)
issue() {
	ca=$1 name=$2 key=$3 start=$4 end=$5 ext=${6:-leaf} md=${7:-sha256} cn=${8:-$2}
	case $key in
	ec) kopt="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1" ;;
	*) kopt="-newkey $key" ;;
	esac
	openssl req -new $kopt -nodes -keyout "$PKI/$name.key" -subj "/CN=$cn" \
		-addext "subjectAltName=DNS:$cn" -out "$PKI/$name.csr" 2>/dev/null
	openssl ca -batch -config "$PKI/$ca.d/ca.cnf" -cert "$PKI/$ca.pem" -keyfile "$PKI/$ca.key" \
		-in "$PKI/$name.csr" -out "$PKI/$name.pem" -startdate "$(day "$start")" \
		-enddate "$(day "$end")" -extensions "$ext" -md "$md" -notext 2>"$PKI/$name.log" ||
		fail "openssl ca for $name: $(cat "$PKI/$name.log")"
}

# A root: root NAME CN
root() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.pem" -days 3650 \
		-subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	mkca "$PKI/$1.d"
}

note "a test PKI"
root root "huolto test root"
issue root int rsa:2048 -1 +1800 ca_ext sha256 "huolto test intermediate"
mkca "$PKI/int.d"
issue root shortint rsa:2048 -35 +8 ca_ext sha256 "huolto short intermediate"
mkca "$PKI/shortint.d"
root other "other root"
issue other otherint rsa:2048 -1 +1800 ca_ext sha256 "other intermediate"
mkca "$PKI/otherint.d"

# Lifetimes stay within 45 days, under every CA/Browser Forum maximum ahead.
issue int ok-rsa.tls.test rsa:2048 -10 +35
issue int ok-ec.tls.test ec -10 +35
issue int soon3.tls.test rsa:2048 -40 +3
issue int soon10.tls.test rsa:2048 -35 +10
issue int expired.tls.test rsa:2048 -45 -5
issue int notyet.tls.test rsa:2048 +5 +45
issue int wrongname.tls.test rsa:2048 -10 +35 leaf sha256 other.tls.test
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=selfsigned.tls.test \
	-addext subjectAltName=DNS:selfsigned.tls.test -keyout "$PKI/selfsigned.tls.test.key" \
	-out "$PKI/selfsigned.tls.test.pem" 2>/dev/null
issue int nochain.tls.test rsa:2048 -10 +35
issue int weakkey.tls.test rsa:1024 -10 +35
issue int sha1.tls.test rsa:2048 -10 +35 leaf sha1
issue int old.tls.test rsa:2048 -10 +35
issue int renewed.tls.test rsa:2048 -10 +35
issue int keymismatch.tls.test rsa:2048 -10 +35
issue int longlived.tls.test rsa:2048 -1 +1095
issue shortint shortint-leaf.tls.test rsa:2048 -5 +7
issue otherint untrusted.tls.test rsa:2048 -10 +35
issue int mail.tls.test rsa:2048 -10 +35
issue int disk-expired rsa:2048 -45 -5
issue int disk-soon rsa:2048 -40 +3
echo "not a certificate" >"$PKI/garbage.pem"

# What each vhost serves: leaf + issuer (a full chain), except where a finding needs less.
for n in ok-rsa ok-ec soon3 soon10 expired notyet wrongname weakkey sha1 old renewed keymismatch longlived mail; do
	cat "$PKI/$n.tls.test.pem" "$PKI/int.pem" >"$PKI/$n.tls.test.chain.pem"
done
cp "$PKI/selfsigned.tls.test.pem" "$PKI/selfsigned.tls.test.chain.pem"
cp "$PKI/nochain.tls.test.pem" "$PKI/nochain.tls.test.chain.pem"
cat "$PKI/shortint-leaf.tls.test.pem" "$PKI/shortint.pem" >"$PKI/shortint-leaf.tls.test.chain.pem"
cat "$PKI/untrusted.tls.test.pem" "$PKI/otherint.pem" >"$PKI/untrusted.tls.test.chain.pem"

P1=$(free_port)
P2=$(free_port)
P3=$(free_port)
# nginx must load an RSA-1024 key and offer TLS 1.0 on one port: lower its
# OpenSSL security level (Debian's default is 2) for this test only.
cat >"$TMP/openssl.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
CipherString = DEFAULT:@SECLEVEL=0
CNF
cat >"$TMP/nginx/nginx.conf" <<CONF
pid $TMP/run/nginx.pid;
error_log $TMP/nginx-error.log;
events {}
http {
	access_log off;
	ssl_protocols TLSv1.2 TLSv1.3;
	include $TMP/nginx/sites/*.conf;
}
CONF
vhost() { # NAME [EXTRA LISTEN LINES]
	cat >"$TMP/nginx/sites/$1.conf" <<CONF
server {
	listen 127.0.0.1:$P1 ssl;
	${2:-}
	server_name $1.tls.test;
	root $TMP/www;
	ssl_certificate $PKI/$1.tls.test.chain.pem;
	ssl_certificate_key $PKI/$1.tls.test.key;
}
CONF
}
for n in ok-rsa soon3 soon10 expired notyet wrongname selfsigned nochain weakkey sha1 renewed \
	keymismatch longlived shortint-leaf untrusted; do
	vhost $n
done
vhost ok-ec "listen [::1]:$P1 ssl;"
cat >"$TMP/nginx/sites/old.conf" <<CONF
server {
	listen 127.0.0.1:$P2 ssl;
	server_name old.tls.test;
	ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
	ssl_certificate $PKI/old.tls.test.chain.pem;
	ssl_certificate_key $PKI/old.tls.test.key;
}
CONF
cat >"$TMP/nginx/sites/plain.conf" <<CONF
server { listen 127.0.0.1:$P3; server_name plain.tls.test; root $TMP/www; }
CONF
OPENSSL_CONF=$TMP/openssl.cnf nginx -t -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx-t.log" ||
	fail "nginx -t: $(cat "$TMP/nginx-t.log")"
OPENSSL_CONF=$TMP/openssl.cnf nginx -c "$TMP/nginx/nginx.conf" -g 'daemon off;' 2>>"$TMP/nginx.stderr" &
track $!
wait_port "$P1" || fail "nginx did not start: $(cat "$TMP/nginx-error.log" "$TMP/nginx.stderr")"

note "after nginx loaded them: a renewed certificate and a replaced key on disk"
issue int renewed-next rsa:2048 -1 +44 leaf sha256 renewed.tls.test
cat "$PKI/renewed-next.pem" "$PKI/int.pem" >"$PKI/renewed.tls.test.chain.pem"
cp "$PKI/renewed-next.key" "$PKI/renewed.tls.test.key"
cp "$PKI/ok-rsa.tls.test.key" "$PKI/keymismatch.tls.test.key"

note "a listener that accepts and never speaks; a closed port"
"$BLACKHOLE" 120 >"$TMP/hang.port" &
track $!
wait_until 10 test -s "$TMP/hang.port" || fail "blackhole did not start"
HANG=$(cat "$TMP/hang.port")
CLOSED=$(free_port)
DNS=$(free_port) # nothing answers there: names not in resolver.static fail at once

MAIL=""
if command -v dovecot >/dev/null 2>&1 && [ -x /usr/bin/python3 ] &&
	/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
	note "Dovecot (IMAP, POP3) and aiosmtpd (SMTP) for the mail endpoints"
	IMAP=$(free_port)
	IMAPS=$(free_port)
	POP3=$(free_port)
	POP3S=$(free_port)
	SMTP=$(free_port)
	SMTPS=$(free_port)
	D=$TMP/dovecot
	mkdir -p "$D/conf.d" "$D/run" "$D/state"
	cat >"$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
passdb {
  driver = static
  args = password=unused
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$D/home
}
service imap-login {
  inet_listener imap {
    port = $IMAP
  }
  inet_listener imaps {
    port = $IMAPS
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3
  }
  inet_listener pop3s {
    port = $POP3S
    ssl = yes
  }
}
!include conf.d/*.conf
CONF
	cat >"$D/conf.d/10-ssl.conf" <<CONF
# as Debian's conf.d/10-ssl.conf has it
ssl = required
ssl_cert = <$PKI/mail.tls.test.chain.pem
ssl_key = <$PKI/mail.tls.test.key
ssl_min_protocol = TLSv1.2
CONF
	dovecot -F -c "$D/dovecot.conf" 2>>"$D/stderr" &
	track $!
	/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP" --tlscert "$PKI/mail.tls.test.chain.pem" \
		--tlskey "$PKI/mail.tls.test.key" --no-requiretls >/dev/null 2>&1 &
	track $!
	/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTPS" --smtpscert "$PKI/mail.tls.test.chain.pem" \
		--smtpskey "$PKI/mail.tls.test.key" >/dev/null 2>&1 &
	track $!
	for p in $IMAP $IMAPS $POP3 $POP3S $SMTP $SMTPS; do
		wait_port "$p" || fail "mail server on $p did not start: $(cat "$D/dovecot.log" "$D/stderr" 2>/dev/null)"
	done
	MAIL="[\"imap://mail.tls.test:$IMAP\", \"imaps://mail.tls.test:$IMAPS\", \"pop3://mail.tls.test:$POP3\",
	\"pop3s://mail.tls.test:$POP3S\", \"smtp://mail.tls.test:$SMTP\", \"smtps://mail.tls.test:$SMTPS\"]"
	DOVECOT_CONF=$D/dovecot.conf
else
	note "dovecot or python3-aiosmtpd missing: mail endpoints not tested"
	MAIL="[]"
	DOVECOT_CONF=false
fi
mkdir -p "$TMP/postfix"
cp "$PKI/mail.tls.test.chain.pem" "$TMP/postfix/postfix.pem"
cp "$PKI/ok-ec.tls.test.key" "$TMP/postfix/postfix.key" # a key of another certificate
cat >"$TMP/postfix/main.cf" <<CONF
# TLS parameters
smtpd_tls_cert_file = \$config_directory/postfix.pem
smtpd_tls_key_file =
    \$config_directory/postfix.key
smtpd_tls_security_level = may
CONF

statics=""
for n in ok-rsa soon3 soon10 expired notyet wrongname selfsigned nochain weakkey sha1 old renewed \
	keymismatch longlived shortint-leaf untrusted hang closed plainhttp plain mail; do
	statics="$statics    $n.tls.test: [127.0.0.1]
"
done
cat >"$TMP/agent.yaml" <<CONF
discover: {nginx: $TMP/nginx, apache: false}
sites:
  - name: hang.tls.test
    urls: ["https://hang.tls.test:$HANG/"]
  - name: closed.tls.test
    urls: ["https://closed.tls.test:$CLOSED/"]
  - name: plainhttp.tls.test
    urls: ["https://plainhttp.tls.test:$P3/"]
  - name: nx.tls.test
    urls: ["https://nx.tls.test/"]
resolver:
  servers: ["127.0.0.1:$DNS"]
  use_hosts: false
  timeout_ms: 300
  attempts: 1
  static:
    ok-ec.tls.test: [127.0.0.1, "::1"]
$statics
tls:
  ca_file: $PKI/root.pem
  connect_timeout: 2s
  handshake_timeout: 2s
  cert_files: ["$PKI/disk-expired.pem", "$PKI/disk-soon.pem", "$PKI/garbage.pem"]
  mail: $MAIL
  mail_config: {postfix: $TMP/postfix/main.cf, dovecot: $DOVECOT_CONF}
CONF

note "one run over everything"
run_agent check --config "$TMP/agent.yaml" --only tls --format json
printf '%s\n' "$OUT" >"$TMP/report.json"
[ -n "$OUT" ] || fail "no report: $ERR"
assert_eq 2 "$STATUS" "exit status (critical findings)"

all='[.server.findings[], .sites[].findings[]]'
codes() { jqo "[$all[] | select(.target == \"$1\") | .code] | sort | join(\" \")"; }
fact() { jqo "[$all[] | select(.target == \"$1\" and .code == \"$2\")][0].facts.$3"; }
status() { jqo "[$all[] | select(.target == \"$1\" and .code == \"$2\")][0].status"; }
expect() { assert_eq "$2" "$(codes "$1")" "findings for $1"; }
t() { echo "$1.tls.test:${2:-$P1}@${3:-127.0.0.1}"; }

note "good certificates"
expect "$(t ok-rsa)" "tls.ok"
assert_eq "RSA 2048" "$(fact "$(t ok-rsa)" tls.ok key_type) $(fact "$(t ok-rsa)" tls.ok key_bits)" "RSA key"
assert_eq "true true" "$(fact "$(t ok-rsa)" tls.ok verify.ok) $(fact "$(t ok-rsa)" tls.ok hostname_match)" "verified"
assert_eq "CN=ok-rsa.tls.test" "$(fact "$(t ok-rsa)" tls.ok subject)" "subject"
assert_eq "DNS:ok-rsa.tls.test" "$(fact "$(t ok-rsa)" tls.ok 'sans[0]')" "SAN"
assert_eq "CN=huolto test intermediate" "$(fact "$(t ok-rsa)" tls.ok issuer)" "issuer"
assert_eq "2" "$(fact "$(t ok-rsa)" tls.ok 'chain | length')" "served chain"
assert_eq "$(openssl x509 -in "$PKI/ok-rsa.tls.test.pem" -noout -fingerprint -sha256 | cut -d= -f2)" \
	"$(fact "$(t ok-rsa)" tls.ok fingerprint_sha256)" "fingerprint"
between() { # VALUE LOW HIGH WHAT
	[ "$(jq -n "$1 >= $2 and $1 <= $3")" = true ] || fail "$4: $1 is not within $2..$3"
}
between "$(fact "$(t ok-rsa)" tls.ok days_left)" 34.9 35 "days left"
between "$(fact "$(t ok-rsa)" tls.ok lifetime_days)" 45 45 "lifetime"
assert_eq "TLSv1.3" "$(fact "$(t ok-rsa)" tls.ok protocol)" "negotiated protocol"
expect "$(t ok-ec)" "tls.ok"
expect "$(t ok-ec "$P1" ::1)" "tls.ok"
assert_eq "EC 256" "$(fact "$(t ok-ec "$P1" ::1)" tls.ok key_type) $(fact "$(t ok-ec "$P1" ::1)" tls.ok key_bits)" "EC key, over IPv6"

note "one finding per vhost"
expect "$(t soon3)" "tls.expires_soon"
assert_eq "critical" "$(status "$(t soon3)" tls.expires_soon)" "3 days left is critical"
expect "$(t soon10)" "tls.expires_soon"
assert_eq "warning" "$(status "$(t soon10)" tls.expires_soon)" "10 days left is a warning"
between "$(fact "$(t soon10)" tls.expires_soon warn_at_days)" 11.2 11.3 "warning threshold: 25 % of 45 days"
expect "$(t expired)" "tls.expired"
expect "$(t notyet)" "tls.not_yet_valid"
expect "$(t wrongname)" "tls.hostname_mismatch"
expect "$(t selfsigned)" "tls.self_signed"
expect "$(t nochain)" "tls.chain_incomplete"
assert_eq "CN=huolto test intermediate" "$(fact "$(t nochain)" tls.chain_incomplete missing_issuer)" "missing issuer"
expect "$(t weakkey)" "tls.weak_key"
assert_eq "1024" "$(fact "$(t weakkey)" tls.weak_key key_bits)" "weak key size"
expect "$(t sha1)" "tls.weak_signature"
assert_eq "sha1WithRSAEncryption" "$(fact "$(t sha1)" tls.weak_signature signature_algorithm)" "signature"
expect "$(t old "$P2")" "tls.old_protocol"
assert_eq "TLSv1.1" "$(fact "$(t old "$P2")" tls.old_protocol old_protocol)" "old protocol"
expect "$(t renewed)" "tls.disk_mismatch"
expect "$PKI/renewed.tls.test.key" "" # renewed with its key: no mismatch
assert_eq "true" "$(fact "$(t renewed)" tls.disk_mismatch disk_is_newer)" "renewed on disk"
expect "$(t keymismatch)" "tls.ok"
expect "$PKI/keymismatch.tls.test.key" "tls.disk_key_mismatch"
expect "$(t longlived)" "tls.validity_too_long"
max=398
[ "$(date -u +%Y%m%d)" -ge 20260315 ] && max=200
[ "$(date -u +%Y%m%d)" -ge 20270315 ] && max=100
[ "$(date -u +%Y%m%d)" -ge 20290315 ] && max=47
assert_eq "$max" "$(fact "$(t longlived)" tls.validity_too_long max_validity_days)" "CA/B Forum maximum"
expect "$(t shortint-leaf)" "tls.intermediate_expires_soon"
expect "$(t untrusted)" "tls.untrusted"
assert_eq "unable to get local issuer certificate" "$(fact "$(t untrusted)" tls.untrusted reason)" "reason"

note "unreachable, failed, unresolved"
expect "$(t hang "$HANG")" "tls.unreachable"
assert_eq "handshake true" "$(fact "$(t hang "$HANG")" tls.unreachable stage) $(fact "$(t hang "$HANG")" tls.unreachable timed_out)" "accepted and silent"
expect "$(t closed "$CLOSED")" "tls.unreachable"
assert_eq "connect" "$(fact "$(t closed "$CLOSED")" tls.unreachable stage)" "refused"
expect "$(t plainhttp "$P3")" "tls.handshake_failed"
expect "nx.tls.test:443" "tls.unreachable"
assert_eq "resolve" "$(fact nx.tls.test:443 tls.unreachable stage)" "does not resolve"
expect "plain.tls.test" "tls.no_https"

note "files on disk"
expect "$PKI/disk-expired.pem" "tls.disk_expired"
expect "$PKI/disk-soon.pem" "tls.disk_expires_soon"
expect "$PKI/garbage.pem" "tls.disk_unreadable"
expect "$PKI/ok-rsa.tls.test.chain.pem" "tls.disk_ok"
expect "$PKI/expired.tls.test.chain.pem" "tls.disk_expired"
expect "$TMP/postfix/postfix.pem" "tls.disk_ok"
expect "$TMP/postfix/postfix.key" "tls.disk_key_mismatch"

if [ "$DOVECOT_CONF" != false ]; then
	note "mail: STARTTLS and implicit TLS"
	for s in "imap $IMAP" "imaps $IMAPS" "pop3 $POP3" "pop3s $POP3S" "smtp $SMTP" "smtps $SMTPS"; do
		scheme=${s% *}
		port=${s#* }
		expect "mail.tls.test:$port@127.0.0.1" "tls.ok"
		assert_eq "$scheme" "$(fact "mail.tls.test:$port@127.0.0.1" tls.ok scheme)" "scheme of $port"
	done
	expect "$PKI/mail.tls.test.chain.pem" "tls.disk_ok" # named by Dovecot's conf.d/10-ssl.conf
fi

note "discovery found every vhost; no host list"
assert_eq "17" "$(jqo '[.sites[] | select(.origins[].source == "nginx") | .https[]] | length')" \
	"HTTPS endpoints discovered"
for code in tls.ok tls.expired tls.not_yet_valid tls.expires_soon tls.untrusted tls.self_signed \
	tls.chain_incomplete tls.hostname_mismatch tls.weak_key tls.weak_signature tls.old_protocol \
	tls.intermediate_expires_soon tls.unreachable tls.handshake_failed tls.disk_mismatch \
	tls.disk_expired tls.disk_expires_soon tls.disk_key_mismatch tls.validity_too_long; do
	[ "$(jqo "[$all[] | select(.code == \"$code\")] | length")" -gt 0 ] || fail "no endpoint produced $code"
done

note "a silent listener costs one timeout, not the run"
elapsed=$(jqo .server.tls.elapsed_ms)
[ "$elapsed" -lt 15000 ] || fail "the run took $elapsed ms"
note "$(jqo .server.tls.handshakes) handshakes in $elapsed ms"

note "tls.check_keys: false reads no key file"
sed 's/^tls:$/tls:\n  check_keys: false/' "$TMP/agent.yaml" >"$TMP/nokeys.yaml"
run_agent check --config "$TMP/nokeys.yaml" --only tls --format json --site keymismatch.tls.test
expect "$(t keymismatch)" "tls.ok"
expect "$PKI/keymismatch.tls.test.key" ""
run_agent check --config "$TMP/agent.yaml" --only tls --format json

note "the document matches its schema"
"$SCHEMA_CHECK" "$SRC/docs/report-schema.md" <"$TMP/report.json" || fail "schema"
for code in $(jqo "[$all[].code] | unique | .[]"); do
	grep -q "\`$code\`" "$SRC/docs/report-schema.md" || fail "finding code $code is not documented"
done
echo "PASS"
