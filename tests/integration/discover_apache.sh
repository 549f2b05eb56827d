#!/bin/sh
# Discovery on a real Apache configuration tree: Debian's /etc/apache2,
# copied, with modules, the php-fpm conf and sites enabled the a2enmod /
# a2enconf / a2ensite way, Define, line continuations, IncludeOptional
# globs. apache2 validates the tree (-t), then serves it on loopback, and
# every HTTPS endpoint discovery reports is checked against what it serves.
. "$(dirname "$0")/lib.sh"
need apache2
need jq
need openssl
[ -f /etc/apache2/apache2.conf ] || skip "Apache's configuration is not installed"

A=$TMP/etc/apache2
mkdir -p "$TMP/etc" "$TMP/log" "$TMP/run" "$TMP/lock" "$TMP/certs" "$TMP/www"
cp -a /etc/apache2 "$A"
rm -f "$A"/sites-enabled/*
# mod_php may be enabled on this machine (Debian's wordpress package pulls it
# in); the scenario starts without it and enables it below.
rm -f "$A"/mods-enabled/php*.load "$A"/mods-enabled/php*.conf

HTTP=$(free_port)
HTTPS=$(free_port)
cat >"$A/ports.conf" <<CONF
Listen 127.0.0.1:$HTTP
<IfModule ssl_module>
	Listen 127.0.0.1:$HTTPS
</IfModule>
CONF
for m in ssl socache_shmcb proxy proxy_fcgi; do
	for ext in load conf; do
		[ -e "$A/mods-available/$m.$ext" ] && ln -sf "../mods-available/$m.$ext" "$A/mods-enabled/$m.$ext"
	done
done
[ -e "$A/conf-available/php8.2-fpm.conf" ] || skip "php8.2-fpm's Apache conf is not installed"
ln -sf ../conf-available/php8.2-fpm.conf "$A/conf-enabled/php8.2-fpm.conf"

for name in acme.fi kauppa.acme.fi; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
		-subj "/CN=$name" -keyout "$TMP/certs/$name.key" -out "$TMP/certs/$name.pem" 2>/dev/null
done
cp "$TMP/certs/kauppa.acme.fi.pem" "$TMP/certs/chain.pem"

# Debian's default site has no ServerName: it is not a customer's site.
sed -e "s#<VirtualHost \*:80>#<VirtualHost *:$HTTP>#" "$A/sites-available/000-default.conf" \
	>"$TMP/000-default.conf"
cp "$TMP/000-default.conf" "$A/sites-available/000-default.conf"
ln -s ../sites-available/000-default.conf "$A/sites-enabled/000-default.conf"

cat >"$A/sites-available/acme.fi.conf" <<CONF
<VirtualHost *:$HTTP>
	ServerName acme.fi
	ServerAlias www.acme.fi
	DocumentRoot $TMP/www/acme
	Redirect permanent / https://acme.fi/
</VirtualHost>

<IfModule mod_ssl.c>
<VirtualHost 127.0.0.1:$HTTPS>
	ServerName https://acme.fi:$HTTPS
	ServerAlias www.acme.fi
	DocumentRoot "$TMP/www/acme"
	SSLEngine on
	SSLCertificateFile    $TMP/certs/acme.fi.pem
	SSLCertificateKeyFile $TMP/certs/acme.fi.key
	<FilesMatch \.php$>
		SetHandler "proxy:unix:/run/php/acme.sock|fcgi://localhost"
	</FilesMatch>
</VirtualHost>
</IfModule>
CONF
ln -s ../sites-available/acme.fi.conf "$A/sites-enabled/acme.fi.conf"

cat >"$A/sites-available/kauppa.conf" <<CONF
Define KAUPPA_ROOT $TMP/www/kauppa
<VirtualHost 127.0.0.1:$HTTPS>
	ServerName kauppa.acme.fi
	DocumentRoot \${KAUPPA_ROOT}
	SSLEngine on
	SSLCertificateFile $TMP/certs/kauppa.acme.fi.pem
	SSLCertificateKeyFile \\
		$TMP/certs/kauppa.acme.fi.key
	SSLCertificateChainFile $TMP/certs/chain.pem
	ProxyPassMatch ^/(.*\\.php(/.*)?)\$ fcgi://127.0.0.1:9000\${KAUPPA_ROOT}/\$1
</VirtualHost>
CONF
ln -s ../sites-available/kauppa.conf "$A/sites-enabled/kauppa.conf"

# Available but not enabled: must not be found.
printf '<VirtualHost *:%s>\n\tServerName disabled.fi\n</VirtualHost>\n' "$HTTP" \
	>"$A/sites-available/disabled.conf"

mkdir -p "$A/extra.d"
printf 'IncludeOptional extra.d/*.conf\nIncludeOptional nothing.d/*.conf\n' >"$A/sites-enabled/zz-extra.conf"
cat >"$A/extra.d/old.conf" <<CONF
<VirtualHost *:$HTTP>
	ServerName old.fi
	DocumentRoot $TMP/www/old
</VirtualHost>
CONF

export APACHE_RUN_USER=www-data APACHE_RUN_GROUP=www-data APACHE_PID_FILE="$TMP/run/apache2.pid" \
	APACHE_RUN_DIR="$TMP/run" APACHE_LOCK_DIR="$TMP/lock" APACHE_LOG_DIR="$TMP/log" LANG=C
note "apache2 -t accepts the tree"
apache2 -d "$A" -t 2>"$TMP/apache-t.log" || { cat "$TMP/apache-t.log"; fail "apache2 -t"; }

printf 'discover: {nginx: false, apache: %s}\n' "$A" >"$TMP/agent.yaml"
run_agent discover --config "$TMP/agent.yaml" --format json
assert_eq 0 "$STATUS" "discover status"
assert_eq "0" "$(jqo '.problems | length')" "no problems"
assert_eq "acme.fi kauppa.acme.fi old.fi" "$(jqo '[.sites[].name] | join(" ")')" "sites"
site() { jqo ".sites[] | select(.name == \"$1\") | $2"; }
assert_eq "acme.fi www.acme.fi" "$(site acme.fi '.names | join(" ")')" "names"
assert_eq "$TMP/www/acme" "$(site acme.fi .docroot)" "docroot"
assert_eq "acme.fi:$HTTPS www.acme.fi:$HTTPS" \
	"$(site acme.fi '[.https[] | "\(.host):\(.port)"] | join(" ")')" "https endpoints"
assert_eq "$TMP/certs/acme.fi.pem" "$(site acme.fi '.cert_files | join(" ")')" "certificate"
assert_eq "unix:/run/php/php8.2-fpm.sock unix:/run/php/acme.sock" \
	"$(site acme.fi '.php_handlers | join(" ")')" "handlers: the global php-fpm conf (:80) and the vhost's own"
assert_eq "$A/sites-enabled/acme.fi.conf:1 $A/sites-enabled/acme.fi.conf:9" \
	"$(site acme.fi '[.origins[] | "\(.file):\(.line)"] | join(" ")')" "origins"
assert_eq "$TMP/www/kauppa" "$(site kauppa.acme.fi .docroot)" "Define and \${VAR}"
assert_eq "$TMP/certs/kauppa.acme.fi.key" "$(site kauppa.acme.fi '.key_files[0]')" "line continuation"
assert_eq "$TMP/certs/chain.pem" "$(site kauppa.acme.fi '.chain_files[0]')" "chain file"
assert_eq "tcp:127.0.0.1:9000" "$(site kauppa.acme.fi '.php_handlers | join(" ")')" "ProxyPassMatch"
assert_eq "unix:/run/php/php8.2-fpm.sock" "$(site old.fi '.php_handlers | join(" ")')" "inherited handler"
assert_eq "$A/extra.d/old.conf" "$(site old.fi '.origins[0].file')" "IncludeOptional glob"

note "with mod_php enabled, Debian's php-fpm conf steps aside"
if [ -e "$A/mods-available/php8.2.load" ]; then
	ln -sf ../mods-available/php8.2.load "$A/mods-enabled/php8.2.load"
	run_agent discover --config "$TMP/agent.yaml" --format json
	assert_eq "module:/usr/lib/apache2/modules/libphp8.2.so" "$(site old.fi '.php_handlers | join(" ")')" "mod_php"
	rm "$A/mods-enabled/php8.2.load"
else
	note "libapache2-mod-php8.2 not installed: mod_php case covered by unit tests only"
fi

if [ "$(id -u)" -ne 0 ]; then
	note "not root: apache2 is not started"
	echo "PASS"
	exit 0
fi

note "apache2 serves the tree; discovery's endpoints and certificates are the served ones"
# Its own session: Debian switches to mpm_prefork when mod_php is installed,
# and prefork signals its whole process group when it stops.
setsid apache2 -d "$A" -DFOREGROUND 2>>"$TMP/log/stderr" &
track $!
wait_port "$HTTPS" || fail "apache2 did not start: $(cat "$TMP/log/stderr" "$TMP/log/error.log" 2>/dev/null)"
run_agent discover --config "$TMP/agent.yaml" --format json
verify_served_certificates 3
echo "PASS"
