#!/bin/sh
# huolto-agent's command line: help, version, errors (exit 3, with
# file:line:column), exit status per worst status, output formats.
. "$(dirname "$0")/lib.sh"
need jq

run_agent --version
assert_eq 0 "$STATUS" "--version status"
assert_contains "$OUT" "huolto-agent 0.1.0" "--version"
run_agent --help
assert_eq 0 "$STATUS" "--help status"
assert_contains "$OUT" "Usage: huolto-agent COMMAND" "--help"
assert_contains "$OUT" "php " "--help lists the checks"
run_agent
assert_eq 3 "$STATUS" "no command"
run_agent frobnicate
assert_eq 3 "$STATUS" "unknown command"
assert_contains "$ERR" 'unknown command "frobnicate"' "unknown command message"

note "configuration errors name file:line:column and exit 3"
run_agent check --config "$TMP/absent.yaml"
assert_eq 3 "$STATUS" "missing --config file"
assert_contains "$ERR" "$TMP/absent.yaml: No such file or directory" "missing file message"
printf 'agent:\n  name: web01\nsitez: []\n' >"$TMP/c1.yaml"
run_agent check --config "$TMP/c1.yaml"
assert_eq 3 "$STATUS" "unknown key"
assert_contains "$ERR" "$TMP/c1.yaml:3:1: unknown key \"sitez\" (expected one of: agent, sites, discover, resolver, mail, collector, php, tls, dns, cms, db)" "unknown key message"
printf 'sites:\n  - name: a.fi\n    urls: ["gopher://a.fi/"]\n' >"$TMP/c2.yaml"
run_agent check --config "$TMP/c2.yaml"
assert_eq 3 "$STATUS" "bad url"
assert_contains "$ERR" "$TMP/c2.yaml:3:12: \"gopher://a.fi/\": scheme \"gopher\" is not http or https" "bad url message"
printf 'discover:\n  nginx: yes\n' >"$TMP/c3.yaml"
run_agent discover --config "$TMP/c3.yaml"
assert_eq 3 "$STATUS" "discover with a bad config"
assert_contains "$ERR" "$TMP/c3.yaml:2:10: discover.nginx must be an absolute path or false" "wrong type message"
printf 'resolver:\n  timeout_ms: 99999999\n' >"$TMP/c4.yaml"
run_agent check --config "$TMP/c4.yaml"
assert_eq 3 "$STATUS" "out of range"
assert_contains "$ERR" "$TMP/c4.yaml:2:15: 99999999 is out of range (10..60000)" "range message"
printf 'agent:\n  workers: 0\n' >"$TMP/c4w.yaml"
run_agent check --config "$TMP/c4w.yaml"
assert_eq 3 "$STATUS" "workers out of range"
assert_contains "$ERR" "$TMP/c4w.yaml:2:12: 0 is out of range (1..64)" "workers range message"
printf 'php:\n  eol_warn_days: ninety\n' >"$TMP/c5.yaml"
run_agent check --config "$TMP/c5.yaml" --only php
assert_eq 3 "$STATUS" "a check's own section"
assert_contains "$ERR" "$TMP/c5.yaml:2:18: expected an integer" "check section message"
printf 'mail:\n  outbound: ["192.0.2.1", "mail.example.fi"]\n' >"$TMP/c7.yaml"
run_agent check --config "$TMP/c7.yaml" --only php
assert_eq 3 "$STATUS" "mail.outbound not an address"
assert_contains "$ERR" "$TMP/c7.yaml:2:27: mail.outbound: \"mail.example.fi\" is not an IP address" "outbound message"
printf 'dns:\n  round_timeout: 1h\n' >"$TMP/c8.yaml"
run_agent check --config "$TMP/c8.yaml" --only php
assert_eq 3 "$STATUS" "dns section read with --only php"
assert_contains "$ERR" "$TMP/c8.yaml:2:18:" "dns range place"
printf 'dns:\n  domain: [a.fi]\n' >"$TMP/c9.yaml"
run_agent check --config "$TMP/c9.yaml"
assert_eq 3 "$STATUS" "dns unknown key"
assert_contains "$ERR" "$TMP/c9.yaml:2:3: unknown key \"domain\" (expected one of: domains, ignore_sites, round_timeout)" "dns key message"
printf 'a: [\n' >"$TMP/c6.yaml"
run_agent check --config "$TMP/c6.yaml"
assert_eq 3 "$STATUS" "YAML syntax error"
assert_contains "$ERR" "$TMP/c6.yaml:2:1: YAML syntax error" "syntax message"

# A server with one (stand-in) PHP binary, so that each status can be produced.
mkdir -p "$TMP/bin"
cat >"$TMP/bin/php8.4" <<'SH'
#!/bin/sh
echo "PHP 8.4.1 (cli) (built: Jan  1 2026 00:00:00) (NTS)"
SH
chmod +x "$TMP/bin/php8.4"
cat >"$TMP/agent.yaml" <<YAML
agent: {name: cli-test}
discover: {nginx: false, apache: false}
sites:
  - name: static.example.fi
    urls: ["https://static.example.fi/", "https://www.static.example.fi:8443/"]
php:
  cli_dirs: ["$TMP/bin"]
  fpm_dirs: []
  pool_globs: []
  cron_path: "$TMP/bin"
  ignore_sites: [static.example.fi]
YAML
C="--config $TMP/agent.yaml --only php"

note "usage errors exit 3"
run_agent check $C --only nope
assert_eq 3 "$STATUS" "--only unknown"
assert_contains "$ERR" 'no check named "nope" (checks: php, tls, dns, cms, db)' "--only message"
run_agent check $C --site nope.fi
assert_eq 3 "$STATUS" "--site unknown"
assert_contains "$ERR" 'no site named "nope.fi"' "--site message"
run_agent check $C --format xml
assert_eq 3 "$STATUS" "--format unknown"
run_agent check $C --at tomorrow
assert_eq 3 "$STATUS" "--at garbage"

note "exit status is the worst status"
run_agent check $C --at 2026-01-01
assert_eq 0 "$STATUS" "8.4 with active support"
assert_contains "$OUT" "ok       php.ok: PHP 8.4.1 ($TMP/bin/php8.4) is supported until 2028-12-31" "ok text"
run_agent check $C --at 2027-03-01
assert_eq 1 "$STATUS" "8.4 security only"
assert_contains "$OUT" "php.security_only" "warning text"
run_agent check $C --at 2029-01-01 --format nagios
assert_eq 2 "$STATUS" "8.4 end of life"
assert_contains "$(echo "$OUT" | head -n 1)" "HUOLTO CRITICAL - 1 critical, 0 warning, 0 unknown, 0 ok in 1 site | critical=1;;;0" "nagios first line"
assert_contains "$OUT" "CRITICAL: server: php.eol: PHP 8.4.1" "nagios long output"
printf '#!/bin/sh\necho "Segmentation fault"\nexit 139\n' >"$TMP/bin/php8.4"
run_agent check $C --at 2026-01-01
assert_eq 3 "$STATUS" "version unknown"
assert_contains "$OUT" "php.version_unknown" "unknown text"

note "json is the report document"
run_agent check $C --at 2026-01-01 --format json
assert_eq 3 "$STATUS" "json status"
assert_eq "unknown" "$(jqo .status)" "document status"
assert_eq "cli-test" "$(jqo .agent.name)" "agent name"
assert_eq "$(cat /proc/sys/kernel/hostname)" "$(jqo .host.hostname)" "the machine's name"
assert_eq "2026-01-01T00:00:00Z" "$(jqo .evaluated_at)" "evaluated_at follows --at"
assert_eq "static.example.fi" "$(jqo '.sites[0].name')" "configured site"
assert_eq "static.example.fi:443 www.static.example.fi:8443" \
	"$(jqo '[.sites[0].https[] | "\(.host):\(.port)"] | join(" ")')" "https endpoints from urls"
assert_eq "0" "$(jqo '.sites[0].findings | length')" "ignored site has no php findings"
case "$OUT" in *"$(printf '\033')"*) fail "colour codes in piped output" ;; esac

note "--site keeps one site and leaves server findings out"
run_agent check $C --site www.static.example.fi --format json --at 2026-01-01
assert_eq 0 "$STATUS" "--site by an alias"
assert_eq "0" "$(jqo '.server.findings | length')" "no server findings with --site"

note "discover"
run_agent discover $C
assert_eq 0 "$STATUS" "discover status"
assert_contains "$OUT" "1 site found" "discover text"
assert_contains "$OUT" "from:      config $TMP/agent.yaml:4" "discover origin"
run_agent discover $C --format json
assert_eq "config" "$(jqo '.sites[0].origins[0].source')" "discover json"

note "progress on stderr only when it is a terminal and the run takes long"
printf '#!/bin/sh\nsleep 1.5\necho "PHP 8.4.1 (cli)"\n' >"$TMP/bin/php8.4"
run_agent check $C --at 2026-01-01
assert_eq 0 "$STATUS" "slow php status"
assert_eq "" "$ERR" "nothing on stderr when it is not a terminal"
script -qefc "$AGENT check $C --at 2026-01-01 >$TMP/tty.out" "$TMP/tty.log" >/dev/null </dev/null ||
	fail "under a terminal: $(cat "$TMP/tty.log")"
assert_contains "$(cat "$TMP/tty.log")" "php: static.example.fi (1/1)" "a progress line on the terminal"
assert_contains "$(cat "$TMP/tty.log")" "$(printf '\r\033[K')" "the line is rewritten in place and erased"
assert_contains "$(cat "$TMP/tty.out")" "php.ok" "the report still goes to stdout"

note "the complete example in docs/configuration.md is valid"
awk '/^## A complete example/ { on = 1 } on && /^```yaml$/ { inb = 1; next } inb && /^```$/ { exit } inb' \
	"$SRC/docs/configuration.md" >"$TMP/example.yaml"
[ -s "$TMP/example.yaml" ] || fail "no example found in docs/configuration.md"
run_agent discover --config "$TMP/example.yaml" --format json
assert_eq 0 "$STATUS" "the documented example loads ($ERR)"
assert_eq "example.fi" "$(jqo '[.sites[] | select(.origins[].source == "config") | .name] | first')" \
	"the example's site"

note "defaults on this machine (no configuration file)"
run_agent check --format json
case "$STATUS" in 0 | 1 | 2 | 3) ;; *) fail "status $STATUS" ;; esac
want=$(jqo '{"ok":0,"warning":1,"critical":2,"unknown":3}[.status]')
assert_eq "$want" "$STATUS" "exit status matches the document's status"
assert_eq "1" "$(jqo .schema)" "schema version"
echo "PASS"
