#!/bin/sh
# Site discovery on large configuration trees, side by side with what an
# operator would otherwise run to list the sites of a server:
#   nginx:  nginx -T (parse and dump the whole configuration)
#   Apache: apache2 -S (parse the configuration and list the virtual hosts)
# Prints the median wall time of RUNS runs of each, in milliseconds.
#   bench/discover.sh [VHOSTS] [RUNS]     (defaults: 1000, 7)
# Needs nginx, apache2 and a built agent (build/ or build-test/).
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${2:-7}
AGENT=${HUOLTO_AGENT:-build/agent/huolto-agent}
[ -x "$AGENT" ] || AGENT=build-test/agent/huolto-agent
[ -x "$AGENT" ] || { echo "build huolto first (README)" >&2; exit 1; }
command -v nginx >/dev/null && command -v apache2 >/dev/null || { echo "needs nginx and apache2" >&2; exit 1; }

T=$(mktemp -d /tmp/huolto-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/nginx/sites" "$T/apache/sites" "$T/run" "$T/log" "$T/lock"

i=0
while [ $i -lt "$N" ]; do
	cat >"$T/nginx/sites/site$i.conf" <<CONF
server {
	listen 127.0.0.1:8080;
	server_name site$i.example.fi www.site$i.example.fi;
	root /var/www/site$i;
	location / { try_files \$uri \$uri/ /index.php?\$args; }
	location ~ \\.php\$ { include $T/nginx/fastcgi.conf; fastcgi_pass unix:/run/php/site$i.sock; }
}
CONF
	cat >"$T/apache/sites/site$i.conf" <<CONF
<VirtualHost 127.0.0.1:8081>
	ServerName site$i.example.fi
	ServerAlias www.site$i.example.fi
	DocumentRoot /var/www/site$i
	<FilesMatch \.php$>
		SetHandler "proxy:unix:/run/php/site$i.sock|fcgi://localhost"
	</FilesMatch>
</VirtualHost>
CONF
	i=$((i + 1))
done
printf 'fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n' >"$T/nginx/fastcgi.conf"
cat >"$T/nginx/nginx.conf" <<CONF
pid $T/run/nginx.pid;
error_log $T/log/error.log;
events {}
http { access_log off; include $T/nginx/sites/*.conf; }
CONF
cat >"$T/apache/apache2.conf" <<CONF
ServerRoot $T/apache
PidFile $T/run/apache2.pid
Mutex file:$T/lock default
ErrorLog $T/log/apache-error.log
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
Listen 127.0.0.1:8081
IncludeOptional sites/*.conf
CONF
printf 'discover: {nginx: %s/nginx, apache: false}\n' "$T" >"$T/nginx.yaml"
printf 'discover: {nginx: false, apache: %s/apache}\n' "$T" >"$T/apache.yaml"

# median_ms RUNS COMMAND...: median wall time in milliseconds
median_ms() {
	runs=$1
	shift
	k=0
	: >"$T/times"
	while [ $k -lt "$runs" ]; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
		e=$(date +%s%N)
		echo $(((e - s) / 1000000)) >>"$T/times"
		k=$((k + 1))
	done
	sort -n "$T/times" | sed -n "$(((runs + 1) / 2))p"
}
count() { "$AGENT" discover --config "$1" --format json | grep -c '"source":'; }

found=$(count "$T/nginx.yaml")
[ "$found" -eq "$N" ] || { echo "huolto found $found of $N nginx sites" >&2; exit 1; }
found=$(count "$T/apache.yaml")
[ "$found" -eq "$N" ] || { echo "huolto found $found of $N Apache sites" >&2; exit 1; }

echo "discovery of $N virtual hosts, median of $RUNS runs (ms)"
printf '%-44s %8s\n' "nginx: huolto-agent discover" "$(median_ms "$RUNS" "$AGENT" discover --config "$T/nginx.yaml" --format json)"
printf '%-44s %8s\n' "nginx: nginx -T" "$(median_ms "$RUNS" nginx -T -c "$T/nginx/nginx.conf")"
printf '%-44s %8s\n' "Apache: huolto-agent discover" "$(median_ms "$RUNS" "$AGENT" discover --config "$T/apache.yaml" --format json)"
printf '%-44s %8s\n' "Apache: apache2 -S" "$(median_ms "$RUNS" env APACHE_RUN_DIR="$T/run" APACHE_LOG_DIR="$T/log" apache2 -d "$T/apache" -f "$T/apache/apache2.conf" -S)"
