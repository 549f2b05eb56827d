#!/bin/sh
# Discovery on a real nginx configuration tree: Debian's own /etc/nginx,
# copied, with sites added through sites-enabled symlinks, conf.d globs and
# a glob in a directory part. nginx itself validates the tree (nginx -t),
# then serves it on loopback, and every HTTPS endpoint discovery reports is
# checked against what nginx really serves there.
. "$(dirname "$0")/lib.sh"
need nginx
need jq
need openssl
[ -f /etc/nginx/nginx.conf ] || skip "nginx's configuration is not installed"

N=$TMP/etc/nginx
mkdir -p "$TMP/etc" "$TMP/log" "$TMP/certs" "$TMP/www"
cp -a /etc/nginx "$N"
rm -f "$N"/sites-enabled/* "$N"/conf.d/*
# Point the tree at itself and keep its state in the temp dir.
sed -i -e "s#/etc/nginx#$N#g" -e "s#/var/log/nginx#$TMP/log#g" -e "s#/run/nginx.pid#$TMP/nginx.pid#" \
	"$N/nginx.conf"
sed -i -e "s#^user .*#user $(id -un);#" "$N/nginx.conf"

HTTP=$(free_port)
HTTPS=$(free_port)
HTTPS2=$(free_port)
for name in example.fi shop.example.fi; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
		-subj "/CN=$name" -keyout "$TMP/certs/$name.key" -out "$TMP/certs/$name.pem" 2>/dev/null
done

# The catch-all default site, as Debian ships it (on a high port).
sed -e "s#listen 80 default_server;#listen 127.0.0.1:$HTTP default_server;#" \
	-e "/listen \[::\]:80/d" /etc/nginx/sites-available/default >"$N/sites-available/default"
ln -s ../sites-available/default "$N/sites-enabled/default"

cat >"$N/sites-available/example.fi" <<CONF
# Redirect to HTTPS
server {
	listen 127.0.0.1:$HTTP;
	server_name example.fi www.example.fi;
	return 301 https://\$host\$request_uri;
}

server {
	listen 127.0.0.1:$HTTPS ssl; # HTTP/2 omitted: nginx 1.22 syntax differs
	server_name example.fi www.example.fi;
	root "$TMP/www/example.fi";
	index index.php index.html;

	ssl_certificate     $TMP/certs/example.fi.pem;
	ssl_certificate_key $TMP/certs/example.fi.key;

	location / { try_files \$uri \$uri/ /index.php?\$args; }
	location ~ \\.php\$ {
		include snippets/fastcgi-php.conf;
		fastcgi_pass unix:/run/php/php8.2-fpm.sock;
	}
}
CONF
ln -s ../sites-available/example.fi "$N/sites-enabled/example.fi"

cat >"$N/conf.d/shop.conf" <<CONF
server {
	listen 127.0.0.1:$HTTPS2 ssl;
	listen [::1]:$HTTPS2 ssl;
	server_name 'shop.example.fi';
	root $TMP/www/shop;
	ssl_certificate     "$TMP/certs/shop.example.fi.pem";
	ssl_certificate_key $TMP/certs/shop.example.fi.key;
	location ~ \\.php\$ { fastcgi_pass php82; }
}
CONF
cat >"$N/conf.d/upstreams.conf" <<CONF
upstream php82 {
	server unix:/run/php/shop.sock;
}
CONF
mkdir -p "$N/vhosts/legacy.fi" "$N/vhosts/plain.fi"
cat >"$N/vhosts/legacy.fi/site.conf" <<CONF
server {
	listen 127.0.0.1:$HTTP;
	server_name legacy.fi;
	root $TMP/www/legacy;
	location ~ \\.php\$ { fastcgi_pass 127.0.0.1:9074; }
}
CONF
cat >"$N/vhosts/plain.fi/site.conf" <<CONF
server { listen 127.0.0.1:$HTTP; server_name plain.fi; root $TMP/www/plain; }
CONF
echo "include $N/vhosts/*/site.conf;" >"$N/sites-available/vhosts"
ln -s "$N/sites-available/vhosts" "$N/sites-enabled/vhosts"

note "nginx -t accepts the tree"
nginx -t -c "$N/nginx.conf" 2>"$TMP/nginx-t.log" || { cat "$TMP/nginx-t.log"; fail "nginx -t"; }

printf 'discover: {nginx: %s, apache: false}\nphp: {ignore_sites: []}\n' "$N" >"$TMP/agent.yaml"
run_agent discover --config "$TMP/agent.yaml" --format json
assert_eq 0 "$STATUS" "discover status"
[ -z "$ERR" ] || fail "discover wrote to stderr: $ERR"
assert_eq "0" "$(jqo '.problems | length')" "no problems"
assert_eq "example.fi legacy.fi plain.fi shop.example.fi" "$(jqo '[.sites[].name] | join(" ")')" "sites"
site() { jqo ".sites[] | select(.name == \"$1\") | $2"; }
assert_eq "example.fi www.example.fi" "$(site example.fi '.names | join(" ")')" "names"
assert_eq "$TMP/www/example.fi" "$(site example.fi .docroot)" "docroot"
assert_eq "example.fi:$HTTPS www.example.fi:$HTTPS" \
	"$(site example.fi '[.https[] | "\(.host):\(.port)"] | join(" ")')" "https endpoints"
assert_eq "$TMP/certs/example.fi.pem" "$(site example.fi '.cert_files[0]')" "certificate"
assert_eq "$TMP/certs/example.fi.key" "$(site example.fi '.key_files[0]')" "key"
assert_eq "unix:/run/php/php8.2-fpm.sock" "$(site example.fi '.php_handlers | join(" ")')" "php socket"
assert_eq "$N/sites-enabled/example.fi:2 $N/sites-enabled/example.fi:8" \
	"$(site example.fi '[.origins[] | "\(.file):\(.line)"] | join(" ")')" "origins through the symlink"
assert_eq "shop.example.fi:$HTTPS2" "$(site shop.example.fi '[.https[] | "\(.host):\(.port)"] | join(" ")')" \
	"one endpoint for two listens on one port"
assert_eq "unix:/run/php/shop.sock" "$(site shop.example.fi '.php_handlers | join(" ")')" "upstream"
assert_eq "$N/conf.d/shop.conf" "$(site shop.example.fi '.origins[0].file')" "conf.d origin"
assert_eq "tcp:127.0.0.1:9074" "$(site legacy.fi '.php_handlers | join(" ")')" "tcp fastcgi"
assert_eq "0" "$(site plain.fi '.https | length')" "plain http site"
assert_eq "$N/vhosts/plain.fi/site.conf" "$(site plain.fi '.origins[0].file')" "glob in a directory part"

run_agent discover --config "$TMP/agent.yaml"
assert_contains "$OUT" "4 sites found" "text output"

if [ "$(id -u)" -ne 0 ]; then
	note "not root: nginx is not started (its temp paths belong to root)"
	echo "PASS"
	exit 0
fi

note "nginx serves the tree; discovery's endpoints and certificates are the served ones"
nginx -c "$N/nginx.conf" -g 'daemon off;' 2>>"$TMP/log/stderr" &
track $!
wait_port "$HTTPS" || fail "nginx did not start: $(cat "$TMP/log/stderr" "$TMP/log/error.log" 2>/dev/null)"
run_agent discover --config "$TMP/agent.yaml" --format json
verify_served_certificates 4 shop.example.fi
echo "PASS"
