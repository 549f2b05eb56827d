#!/bin/sh
# The php check against Debian's real php-cli and php-fpm: versions asked
# from the binaries, cron's php through /usr/bin/php -> alternatives, a
# pool that the real php-fpm starts (so the listen path we compute is the
# one it creates), a pool of a PHP whose binary is gone, and the
# end-of-life states by date.
. "$(dirname "$0")/lib.sh"
need jq
PHP=$(ls /usr/bin/php[0-9]* 2>/dev/null | grep -E '/php[0-9]+\.[0-9]+$' | head -n 1)
[ -n "$PHP" ] || skip "php-cli is not installed"
BR=${PHP#/usr/bin/php}
FPM=/usr/sbin/php-fpm$BR
[ -x "$FPM" ] || skip "php-fpm$BR is not installed"
VERSION=$("$PHP" -n -r 'echo PHP_VERSION;')
note "PHP $VERSION (branch $BR)"

mkdir -p "$TMP/etc/php/$BR/fpm/pool.d" "$TMP/etc/php/7.4/fpm/pool.d" "$TMP/run" "$TMP/log" "$TMP/nginx"
cat >"$TMP/etc/php/$BR/fpm/pool.d/site.conf" <<CONF
; a pool as an agency writes them
[site]
user = www-data
group = www-data
listen = $TMP/run/\$pool.sock
pm = static
pm.max_children = 1
CONF
printf '[legacy]\nuser = legacy\nlisten = 127.0.0.1:9074\n' >"$TMP/etc/php/7.4/fpm/pool.d/legacy.conf"
cat >"$TMP/nginx/nginx.conf" <<CONF
events {}
http {
	server {
		server_name a.example.fi;
		location ~ \\.php\$ { fastcgi_pass unix:$TMP/run/site.sock; }
	}
	server {
		server_name b.example.fi;
		location ~ \\.php\$ { fastcgi_pass 127.0.0.1:9074; }
	}
}
CONF
cat >"$TMP/agent.yaml" <<CONF
discover: {nginx: $TMP/nginx, apache: false}
php:
  pool_globs: ["$TMP/etc/php/*/fpm/pool.d/*.conf"]
CONF
C="--config $TMP/agent.yaml --only php --format json"

note "php-fpm accepts the pool and listens where the agent says"
cat >"$TMP/php-fpm.conf" <<CONF
[global]
pid = $TMP/run/php-fpm.pid
error_log = $TMP/log/php-fpm.log
daemonize = no
include = $TMP/etc/php/$BR/fpm/pool.d/*.conf
CONF
"$FPM" -t -y "$TMP/php-fpm.conf" -R 2>"$TMP/fpm-t.log" || { cat "$TMP/fpm-t.log"; fail "php-fpm -t"; }
"$FPM" -F -y "$TMP/php-fpm.conf" -R 2>>"$TMP/log/stderr" &
track $!
wait_until 10 test -S "$TMP/run/site.sock" || fail "php-fpm did not create its socket: $(cat "$TMP/log/"*)"

run_agent check $C --at 2026-11-22
pool_listen=$(jqo ".server.php[] | select(.binary == \"$FPM\") | .pools[0].listen")
assert_eq "unix:$TMP/run/site.sock" "$pool_listen" "pool listen (with \$pool)"
test -S "${pool_listen#unix:}" || fail "no socket at $pool_listen"

note "installations and versions come from the binaries"
assert_eq "$VERSION" "$(jqo ".server.php[] | select(.binary == \"$PHP\") | .version")" "CLI version"
assert_eq "$VERSION" "$(jqo ".server.php[] | select(.binary == \"$FPM\") | .version")" "FPM version"
assert_eq "true" "$(jqo ".server.php[] | select(.binary == \"$PHP\") | .cron")" "cron's php"
assert_contains "$(jqo ".server.php[] | select(.binary == \"$PHP\") | .paths | join(\" \")")" "/usr/bin/php" \
	"/usr/bin/php leads to the same binary"
assert_eq "1" "$(jqo "[.server.php[] | select(.version == \"$VERSION\" and .sapi == \"cli\")] | length")" \
	"one CLI install for php and php$BR"
assert_eq "legacy" "$(jqo '.server.php[] | select(.binary == null) | .pools[0].name')" "orphan pool listed"

site_codes() { jqo "[.sites[] | select(.name == \"$1\") | .findings[].code] | join(\" \")"; }
note "site a: served by the real FPM"
assert_eq "$VERSION" "$(jqo '.sites[] | select(.name == "a.example.fi") | .php[0].version')" "site version"
assert_eq "site" "$(jqo '.sites[] | select(.name == "a.example.fi") | .php[0].pool')" "site pool"
note "site b: a 7.4 pool whose binary is gone"
assert_eq "php.cli_mismatch php.eol" "$(site_codes b.example.fi | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "site b findings"

# Expected end-of-life verdicts for this branch, from the dated table.
branch_dates() { jq -r ".branches[] | select(.branch == \"$BR\") | .$1[0:10]" "$SRC/data/php-branches.json"; }
ACTIVE_END=$(branch_dates active_support_end)
SEC_END=$(branch_dates security_support_end)
[ -n "$SEC_END" ] || skip "branch $BR is not in data/php-branches.json"
day_before() { date -u -d "$1 - 1 day" +%Y-%m-%d; }

note "verdicts by date (active support ends $ACTIVE_END, security $SEC_END)"
run_agent check $C --site a.example.fi --at "$(day_before "$ACTIVE_END")"
assert_eq "php.ok" "$(site_codes a.example.fi)" "before the end of active support"
assert_eq 0 "$STATUS" "exit status ok"
run_agent check $C --site a.example.fi --at "$(date -u -d "$SEC_END - 120 days" +%Y-%m-%d)"
assert_eq "php.security_only" "$(site_codes a.example.fi)" "security fixes only"
assert_eq 1 "$STATUS" "exit status warning"
run_agent check $C --site a.example.fi --at "$(date -u -d "$SEC_END - 30 days" +%Y-%m-%d)"
assert_eq "php.eol_soon" "$(site_codes a.example.fi)" "30 days before the end"
assert_eq "30" "$(jqo '.sites[0].findings[0].facts.days_to_security_end')" "days to the end"
run_agent check $C --site a.example.fi --at "$SEC_END"
assert_eq "php.eol" "$(site_codes a.example.fi)" "on the end date"
assert_eq 2 "$STATUS" "exit status critical"

note "stale data never says ok: php.net's own format, dated by the file's mtime"
cp "$SHARED/catalog/fixtures/php-net/releases-branches.json" "$TMP/branches.json"
touch -d "$(date -u -d "$ACTIVE_END - 400 days" +%Y-%m-%d)" "$TMP/branches.json"
cat >>"$TMP/agent.yaml" <<CONF
  eol_table: $TMP/branches.json
  eol_data_max_age: 180d
CONF
run_agent check $C --site a.example.fi --at "$(day_before "$ACTIVE_END")"
assert_eq "php.eol_data_stale" "$(site_codes a.example.fi)" "stale table"
assert_eq 3 "$STATUS" "exit status unknown"
assert_eq "true" "$(jqo '.sites[0].findings[0].facts.eol_data.stale')" "stale fact"
assert_eq "$TMP/branches.json" "$(jqo '.sites[0].findings[0].facts.eol_data.origin')" "table origin"
run_agent check $C --site a.example.fi --at "$SEC_END"
assert_eq "php.eol" "$(site_codes a.example.fi)" "a known end stays known on stale data"
echo "PASS"
