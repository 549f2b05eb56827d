#!/bin/sh
# `huolto-agent check --only php --format json` matches docs/report-schema.md:
# every field documented with its type, every required field present. The
# document is made rich on purpose: sites with endpoints, certificates,
# handlers, URLs; discovery problems; PHP installations and pools.
. "$(dirname "$0")/lib.sh"
: "${SCHEMA_CHECK:?run through ctest}"
need jq
DOC=$SRC/docs/report-schema.md

mkdir -p "$TMP/nginx/sites" "$TMP/pools/8.2" "$TMP/bin"
cat >"$TMP/nginx/nginx.conf" <<CONF
events {}
http {
	include $TMP/nginx/sites/*.conf;
	include $TMP/nginx/missing.conf;
}
CONF
cat >"$TMP/nginx/sites/a.conf" <<CONF
server {
	listen 443 ssl;
	server_name a.example.fi www.a.example.fi;
	root /var/www/a;
	ssl_certificate /etc/ssl/a.pem;
	ssl_certificate_key /etc/ssl/a.key;
	location ~ \\.php\$ { fastcgi_pass unix:/run/php/a.sock; }
}
server { server_name b.example.fi; location / { fastcgi_pass unix:/run/php/nowhere.sock; } }
CONF
printf '[a]\nuser = a\nlisten = /run/php/$pool.sock\n' >"$TMP/pools/8.2/a.conf"
cat >"$TMP/bin/php8.2" <<'SH'
#!/bin/sh
echo "PHP 8.2.29 (cli)"
SH
chmod +x "$TMP/bin/php8.2"
cp "$TMP/bin/php8.2" "$TMP/bin/php-fpm8.2"
cat >"$TMP/agent.yaml" <<CONF
agent: {name: schema-test}
discover: {nginx: $TMP/nginx, apache: false}
sites:
  - name: c.example.fi
    docroot: /var/www/c
    urls: ["https://c.example.fi/"]
    mail_domain: example.fi
php:
  cli_dirs: ["$TMP/bin"]
  fpm_dirs: ["$TMP/bin"]
  pool_globs: ["$TMP/pools/*/*.conf"]
  cron_path: "$TMP/bin"
CONF
run_agent check --config "$TMP/agent.yaml" --only php --format json --at 2026-11-22
printf '%s\n' "$OUT" >"$TMP/doc.json"
[ "$(jqo '.server.findings | map(.code) | index("discovery.unreadable") != null')" = true ] ||
	fail "the document lacks the discovery problem it should carry"
[ "$(jqo '.server.php | map(select(.pools)) | length')" -ge 1 ] || fail "no pools in the document"
"$SCHEMA_CHECK" "$DOC" <"$TMP/doc.json" || fail "the document does not match $DOC"

note "the checker fails on what the documentation does not say"
jq '.sites[0].surprise = 1' "$TMP/doc.json" | { ! "$SCHEMA_CHECK" "$DOC" >/dev/null 2>&1; } ||
	fail "an undocumented field passed"
jq 'del(.sites[0].docroot)' "$TMP/doc.json" | { ! "$SCHEMA_CHECK" "$DOC" >/dev/null 2>&1; } ||
	fail "a missing required field passed"
jq '.counts.ok = "many"' "$TMP/doc.json" | { ! "$SCHEMA_CHECK" "$DOC" >/dev/null 2>&1; } ||
	fail "a wrong type passed"

note "every finding code in the document is documented"
for code in $(jqo '[.server.findings[].code, .sites[].findings[].code] | unique | .[]'); do
	grep -q "| \`$code\` |" "$DOC" || fail "finding code $code is not in $DOC"
done

note "the defaults on this machine match too"
run_agent check --format json
printf '%s\n' "$OUT" | "$SCHEMA_CHECK" "$DOC" || fail "default run does not match $DOC"
echo "PASS"
