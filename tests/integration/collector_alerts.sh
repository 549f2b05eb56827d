#!/bin/sh
# Alerts from huolto-collector serve to real receivers on loopback: Debian's
# prometheus-alertmanager (asserted through its API v2), a webhook receiver
# checking the HMAC signature (tests/tools/webhook_receiver.py), and an SMTP
# sink (python3-aiosmtpd). A silent agent raises and resolves agent.silent;
# a critical finding fires after 2 of 3 documents and resolves after 2 fine
# ones; a webhook that answers 503 is retried in order, and one that stalls
# delays neither ingest nor the other channels.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
need prometheus-alertmanager
PY=/usr/bin/python3
[ -x "$PY" ] || skip "/usr/bin/python3 is not installed"
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip "python3-aiosmtpd is not installed"

make_ca ca
issue_cert ca collector serverAuth
PORT=$(free_port)
AM_PORT=$(free_port)
HOOK_PORT=$(free_port)
SMTP_PORT=$(free_port)

note "receivers: alertmanager on $AM_PORT, webhook on $HOOK_PORT, smtp on $SMTP_PORT"
mkdir -p "$TMP/am" "$TMP/hook" "$TMP/mail"
printf 'route: {receiver: none}\nreceivers: [{name: none}]\n' >"$TMP/am/am.yml"
prometheus-alertmanager --config.file="$TMP/am/am.yml" --storage.path="$TMP/am/data" \
	--web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
	>"$TMP/am/log" 2>&1 &
track $!
SECRET=hook-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$SECRET" >"$TMP/hook.secret"
chmod 600 "$TMP/hook.secret"
"$PY" "$HUOLTO_SRC/tests/tools/webhook_receiver.py" "$HOOK_PORT" "$TMP/hook.secret" "$TMP/hook" \
	>"$TMP/hook.log" 2>&1 &
track $!
"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$TMP/mail/box" \
	>"$TMP/mail.log" 2>&1 &
track $!
wait_port "$AM_PORT" || { cat "$TMP/am/log" >&2; fail "alertmanager did not start"; }
wait_port "$HOOK_PORT" || { cat "$TMP/hook.log" >&2; fail "the webhook receiver did not start"; }
wait_port "$SMTP_PORT" || { cat "$TMP/mail.log" >&2; fail "the smtp sink did not start"; }

note "the receiver's check can fail: a wrong signature is refused"
CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'X-Huolto-Signature: sha256=00' \
	--data-binary '{}' "http://127.0.0.1:$HOOK_PORT/")
assert_eq 401 "$CODE" "a wrong signature"
[ -f "$TMP/hook/0001-invalid.json" ] || fail "the receiver kept the refused delivery"
rm -f "$TMP/hook/0001-invalid.json"

write_collector_conf "$PORT" <<EOF
heartbeat: {grace: 4s}
alerts:
  hysteresis: {count: 2, of: 3}
  repeat: 1h
  check_every: 1s
  timeout: 20s
  retry: {min: 1s, max: 2s}
  alertmanager: {url: "http://127.0.0.1:$AM_PORT"}
  webhook: {url: "http://127.0.0.1:$HOOK_PORT/hook", secret_file: $TMP/hook.secret}
  smtp: {url: "smtp://127.0.0.1:$SMTP_PORT", from: "huolto@collector.test", to: ["oncall@agency.test", "backup@agency.test"]}
EOF
coll agent add quiet
QUIET=$OUT
coll operator add ops
OPS=$OUT
start_collector "$PORT"
J="Content-Type: application/json"

# A valid document (the agent's own, for the on-disk fixtures) as agent NAME with id N
# and, when STATUS is given, a tls.expired finding of that status on the first site.
{
	printf 'agent: {name: base, state_dir: %s}\n' "$TMP/state"
	printf 'discover: {nginx: false, apache: false}\n'
	printf 'sites:\n  - {name: fixtures.test, docroot: %s}\n' "$SHARED/catalog/fixtures/ondisk"
} >"$TMP/agent.yaml"
"$AGENT" --config "$TMP/agent.yaml" --only cms --format json check >"$TMP/base.json" 2>"$TMP/base.err" || true
jq -e .sites[0] "$TMP/base.json" >/dev/null || { cat "$TMP/base.err" >&2; fail "no base document"; }
doc() { # NAME N [STATUS]
	jq --arg n "$1" --arg id "$(printf '00000000-0000-4000-8000-%012d' "$2")" --arg s "${3:-}" '
		.agent.name = $n | .id = $id
		| if $s == "" then . else
			.sites[0].findings += [{code: "tls.expired", status: $s,
				target: "fixtures.test:443", message: "The certificate expired 3 days ago.",
				facts: {not_after: "2026-11-19T00:00:00Z", days_left: -3}}]
		  end' "$TMP/base.json" >"$TMP/doc.json"
}
post() { # TOKEN
	req /api/v1/reports -H "$J" -H "Authorization: Bearer $1" --data-binary "@$TMP/doc.json"
	case $CODE in 20[01]) ;; *) fail "posting: $CODE $BODY" ;; esac
}
# Webhook deliveries so far whose event and code match.
hooks() { # EVENT CODE
	n=0
	for f in "$TMP"/hook/*-valid.json; do
		[ -f "$f" ] || continue
		[ "$(jq -r '.event + " " + .code' "$f")" = "$1 $2" ] && n=$((n + 1))
	done
	echo $n
}
has_hook() { [ "$(hooks "$1" "$2")" -ge 1 ]; }
# Mails so far whose subject contains TEXT.
mails() { # TEXT
	grep -l "^Subject: .*$1" "$TMP"/mail/box/new/* 2>/dev/null | wc -l
}
has_mail() { [ "$(mails "$1")" -ge 1 ]; }
# Active alerts in alertmanager with code CODE and site SITE.
am_active() { # CODE SITE
	curl -s --max-time 5 "http://127.0.0.1:$AM_PORT/api/v2/alerts?filter=code=%22$1%22" |
		jq --arg s "$2" '[.[] | select(.labels.site == $s and .status.state == "active")] | length'
}
am_has() { [ "$(am_active "$1" "$2")" = "$3" ]; }

note "a silent agent raises agent.silent on every channel"
doc quiet 1
post "$QUIET"
assert_eq 0 "$(hooks firing agent.silent)" "not silent yet"
wait_until 30 has_hook firing agent.silent || { cat "$TMP/serve.log" >&2; fail "no agent.silent by webhook"; }
F=$(ls "$TMP"/hook/*-valid.json | head -n 1)
assert_eq "quiet critical server" "$(jq -r '.site + " " + .severity + " " + .scope' "$F")" "the event"
assert_contains "$(jq -r .text "$F")" "Do first: Check that the server is up" "what to do first"
assert_contains "$(jq -r .text "$F")" "last_report:" "the facts"
wait_until 20 am_has agent.silent quiet 1 || fail "alertmanager has no agent.silent: $(curl -s "http://127.0.0.1:$AM_PORT/api/v2/alerts")"
LABELS=$(curl -s "http://127.0.0.1:$AM_PORT/api/v2/alerts?filter=code=%22agent.silent%22" | jq -c '.[0].labels')
assert_eq '{"agent":"quiet","alertname":"agent.silent","code":"agent.silent","severity":"critical","site":"quiet","target":"quiet"}' \
	"$LABELS" "alertmanager labels"
wait_until 20 has_mail "ALERT quiet: agent.silent" || fail "no mail for agent.silent: $(cat "$TMP/mail.log")"
MAIL=$(grep -l "^Subject: ALERT quiet: agent.silent" "$TMP"/mail/box/new/* | head -n 1)
grep -q '^To: oncall@agency.test, backup@agency.test' "$MAIL" || fail "the mail's To"
grep -q '^Since: ' "$MAIL" || fail "the mail says since when"

note "its next document resolves it"
doc quiet 2
post "$QUIET"
coll agent revoke quiet # gone from here on: not silent again
wait_until 20 has_hook resolved agent.silent || fail "agent.silent not resolved by webhook"
wait_until 20 am_has agent.silent quiet 0 || fail "alertmanager still has agent.silent active"
wait_until 20 has_mail "RESOLVED quiet: agent.silent" || fail "no resolved mail"
assert_eq 1 "$(hooks firing agent.silent)" "fired once"

note "a critical finding fires on the 2nd of 3 documents; the webhook is down at first"
coll agent add web1
WEB1=$OUT
echo 2 >"$TMP/hook/fail"
doc web1 10
post "$WEB1"
doc web1 11 critical
post "$WEB1"
sleep 2
assert_eq 0 "$(hooks firing tls.expired)" "one failure of three fires nothing"
assert_eq 0 "$(am_active tls.expired fixtures.test)" "nothing in alertmanager yet"
doc web1 12 critical
post "$WEB1"
wait_until 20 am_has tls.expired fixtures.test 1 || fail "alertmanager has no tls.expired"
wait_until 20 has_mail "ALERT fixtures.test: tls.expired" || fail "no mail for tls.expired"
wait_until 30 has_hook firing tls.expired || fail "the webhook never got tls.expired"
assert_eq 0 "$(cat "$TMP/hook/fail")" "the webhook refused twice first"
FAILED=$(metric 'huolto_alerts_total{channel="webhook",result="failed"}')
[ "${FAILED:-0}" -ge 2 ] || fail "failed webhook attempts counted: $FAILED"
F=$(grep -l '"tls.expired"' "$TMP"/hook/*-valid.json | head -n 1)
assert_eq "fixtures.test:443 critical -3" "$(jq -r '.target + " " + .severity + " " + (.facts.days_left | tostring)' "$F")" "the event's facts"
assert_contains "$(jq -r .advice "$F")" "Renew the certificate" "the advice"
A=$(curl -s "http://127.0.0.1:$AM_PORT/api/v2/alerts?filter=code=%22tls.expired%22" | jq -c '.[0]')
assert_eq "web1 fixtures.test:443 critical" "$(printf '%s' "$A" | jq -r '.labels.agent + " " + .labels.target + " " + .labels.severity')" "labels"
assert_contains "$(printf '%s' "$A" | jq -r .annotations.description)" "Do first:" "annotation"

note "a stalled webhook delays neither ingest nor the other channels"
echo 10 >"$TMP/hook/stall"
doc web1 13 critical
post "$WEB1"
doc web1 14
post "$WEB1"
doc web1 15
T0=$(date +%s)
post "$WEB1"
[ $(($(date +%s) - T0)) -le 5 ] || fail "posting took long while a channel was stalled"
wait_until 30 am_has tls.expired fixtures.test 0 || fail "alertmanager still has tls.expired active"
wait_until 30 has_mail "RESOLVED fixtures.test: tls.expired" || fail "no resolved mail"
assert_eq 0 "$(hooks resolved tls.expired)" "the webhook still stalled when mail and alertmanager had it"
wait_until 40 has_hook resolved tls.expired || fail "the webhook never got the resolve"
# In order: the firing before the resolve, each once.
ORDER=$(for f in "$TMP"/hook/*-valid.json; do jq -r 'select(.code == "tls.expired") | .event' "$f"; done | tr '\n' ' ')
assert_eq "firing resolved " "$ORDER" "webhook order"
assert_eq 0 "$(ls "$TMP"/hook/*-invalid.json 2>/dev/null | wc -l)" "every signature valid"

note "metrics and the operator API"
assert_eq 2 "$(mails 'quiet: agent.silent')" "agent.silent mails: firing and resolved"
assert_eq 2 "$(mails 'fixtures.test: tls.expired')" "tls.expired mails: firing and resolved"
assert_eq "$(ls "$TMP"/mail/box/new | wc -l)" "$(metric 'huolto_alerts_total{channel="smtp",result="sent"}')" "mails sent and received"
# web1 has been silent for longer than grace by now: revoked, its agent.silent resolves too.
coll agent revoke web1
drained() {
	req /api/v1/alerts -H "Authorization: Bearer $OPS"
	[ "$(printf '%s' "$BODY" | jq -r '[(.firing | length), (.queue | length)] | join(" ")')" = "0 0" ]
}
wait_until 30 drained || fail "alerts still firing or queued: $BODY"
req /api/v1/alerts -H "Authorization: Bearer $OPS"
assert_eq 200 "$CODE" "GET /api/v1/alerts"
assert_eq "0 0" "$(printf '%s' "$BODY" | jq -r '[(.firing | length), (.queue | length)] | join(" ")')" "nothing firing or queued"
req /api/v1/alerts
assert_eq 401 "$CODE" "alerts need the operator token"

note "no secret in any log"
for f in "$TMP/serve.log" "$TMP"/hook/*.json "$TMP"/mail/box/new/*; do
	grep -q "$SECRET" "$f" && fail "the webhook secret is in $f"
done
grep -q "$WEB1" "$TMP/serve.log" && fail "a token is in the log"

note "a bad alerts section is refused with its file, line and reason"
refused() { # YAML-LINE EXPECTED
	printf 'alerts:\n  %s\n' "$1" >"$TMP/bad.yaml"
	COLL_CONF=$TMP/bad.yaml coll agent list
	assert_eq 2 "$STATUS" "$1: $ERR"
	assert_contains "$ERR" "bad.yaml:2:" "$1: names the file and line"
	assert_contains "$ERR" "$2" "$1: says why"
}
refused 'hysteresis: {count: 4, of: 3}' "count (4) cannot exceed of (3)"
refused 'webhook: {url: "ftp://x"}' "alerts.webhook.url: the scheme must be https|http, not ftp"
refused 'webhook: {url: "https://x/"}' "alerts.webhook.secret_file is required"
refused 'smtp: {url: "smtp://x", from: a@b, to: [c@d], username: u, password_file: /p}' \
	"a password is sent only over TLS"
refused 'smtp: {url: "smtp://x", from: "a@b\r\nBcc: c@d", to: [c@d]}' "alerts.smtp.from:"
COLL_CONF=$TMP/nosecret.yaml write_collector_conf "$(free_port)" <<EOF
alerts:
  webhook: {url: "http://127.0.0.1:1/", secret_file: $TMP/none.secret}
EOF
COLL_CONF=$TMP/nosecret.yaml coll serve
assert_eq 1 "$STATUS" "serve without the webhook secret: $ERR"
assert_contains "$ERR" "$TMP/none.secret" "names the secret file"
stop_pid "$COLL_PID"

note "deliveries for a channel no longer configured are dropped, with a warning"
sqlite3 "$TMP/collector.db" "INSERT INTO alert_queue (channel, event, created_at, next_at) VALUES ('webhook', '{}', 0, 0)"
grep -v 'webhook:' "$COLL_CONF" >"$TMP/nohook.yaml"
COLL_CONF=$TMP/nohook.yaml start_collector "$PORT"
wait_until 20 grep -q "1 queued webhook deliveries dropped" "$TMP/serve.log" || fail "no warning: $(tail -3 "$TMP/serve.log")"
assert_eq 0 "$(sqlite3 "$TMP/collector.db" "SELECT count(*) FROM alert_queue")" "dropped"
stop_pid "$COLL_PID"
[ -z "${KEEP_LOGS:-}" ] || cp -r "$TMP/serve.log" "$TMP/mail" "$TMP/hook" "$KEEP_LOGS/"
echo "PASS"
