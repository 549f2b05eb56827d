#!/bin/sh
# bench/cms.sh [TREES] [RUNS]: CMS inventory of TREES WordPress sites (Debian's
# wordpress hard-linked, with 10 plugins and 3 themes each) plus a few Drupal
# and Joomla trees, side by side in one run:
#   huolto-agent check --only cms
#   a single PHP process walking the same WordPress trees with WordPress's
#     own get_file_data() (bench/wp-inventory.php: what PHP-based tools do)
#   find + grep (the shell pipeline an administrator would write)
# Prints the median wall time, CPU and peak RSS of each with the ratios, and
# the files each opened (strace) against the files that must be read.
set -eu
TREES=${1:-200}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
AGENT=${HUOLTO_AGENT:-$HERE/../build/agent/huolto-agent}
SHARED=${HUOLTO_SHARED:-$HERE/../../shared}
[ -x "$AGENT" ] || { echo "build huolto first (cmake --build build)" >&2; exit 1; }
[ -d /usr/share/wordpress ] || { echo "needs Debian's wordpress package" >&2; exit 1; }
T=$(mktemp -d /tmp/huolto-bench-cms.XXXXXX)
# KEEP_TREES=1 keeps the trees in $T for profiling.
[ -n "${KEEP_TREES:-}" ] || trap 'rm -rf "$T"' EXIT

# The trees.
mkdir -p "$T/www"
cfg=$T/agent.yaml
printf 'agent: {state_dir: %s/state}\ndiscover: {nginx: false, apache: false}\nsites:\n' "$T" >"$cfg"
phpargs=""
i=0
while [ $i -lt "$TREES" ]; do
	d=$T/www/site$i
	cp -al /usr/share/wordpress "$d"
	rm -f "$d/wp-config.php"
	rm -rf "$d/wp-content"
	mkdir -p "$d/wp-content/plugins" "$d/wp-content/themes"
	cp -al /usr/share/wordpress/wp-content/plugins/akismet "$d/wp-content/plugins/"
	for t in twentytwentyone twentytwentytwo twentytwentythree; do
		cp -al "/usr/share/wordpress/wp-content/themes/$t" "$d/wp-content/themes/"
	done
	p=1
	while [ $p -lt 10 ]; do
		pd=$d/wp-content/plugins/plugin-$p
		mkdir -p "$pd/includes"
		printf '<?php\n/**\n * Plugin Name: Plugin %d\n * Version: 1.%d.%d\n * Requires PHP: 7.4\n */\nrequire __DIR__ . "/includes/a.php";\n' \
			"$p" "$p" "$i" >"$pd/plugin-$p.php"
		printf '<?php\n// uninstall\n' >"$pd/uninstall.php"
		printf '<?php\nfunction f%d() {}\n' "$p" >"$pd/includes/a.php"
		p=$((p + 1))
	done
	printf '  - {name: site%d.test, docroot: %s}\n' "$i" "$d" >>"$cfg"
	phpargs="$phpargs $d"
	i=$((i + 1))
done
for cms in drupal10 drupal7 joomla5 joomla3 joomla25; do
	cp -a "$SHARED/catalog/fixtures/ondisk/$cms" "$T/www/$cms"
	printf '  - {name: %s.test, docroot: %s}\n' "$cms" "$T/www/$cms" >>"$cfg"
done
echo "$TREES WordPress trees (10 plugins, 3 themes each) and 5 Drupal/Joomla trees in $T/www"

# One measurement: "wall_s user_s sys_s maxrss_kb" of a command.
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" >/dev/null 2>&1 || true
	cat "$T/time"
}
# The median of RUNS measurements (by wall time).
median() {
	j=0
	: >"$T/runs"
	while [ $j -lt "$RUNS" ]; do
		measure "$@" >>"$T/runs"
		j=$((j + 1))
	done
	sort -n "$T/runs" | sed -n "$(((RUNS + 1) / 2))p"
}
"$AGENT" --config "$cfg" --only cms --format json check >/dev/null # warm the cache
H=$(median "$AGENT" --config "$cfg" --only cms --format json check)
sed 's/^agent: {state_dir: \([^}]*\)}/agent: {state_dir: \1, workers: 1}/' "$cfg" >"$T/agent1.yaml"
H1=$(median "$AGENT" --config "$T/agent1.yaml" --only cms --format json check)
# shellcheck disable=SC2086 # phpargs is a word list
P=$(median php "$HERE/wp-inventory.php" $phpargs)
F=$(median sh -c "find '$T/www' -maxdepth 6 \\( -path '*/wp-content/plugins/*.php' -o -name version.php \
	-o -name style.css \\) -print0 | xargs -0 grep -i -m 3 -H -E \
	'^[ 	/*#@]*(Plugin Name|Theme Name|Version):|wp_version ='")

row() { # NAME "wall user sys rss" BASE_WALL
	set -- "$1" $2 "$3"
	awk -v n="$1" -v w="$2" -v u="$3" -v s="$4" -v m="$5" -v b="$6" \
		'BEGIN { printf "%-34s %8.3f %8.3f %9d %8.1fx\n", n, w, u + s, m, w / b }'
}
hw=$(echo "$H" | cut -d' ' -f1)
printf '\n%-34s %8s %8s %9s %9s\n' "tool (median of $RUNS)" "wall s" "cpu s" "rss KiB" "vs huolto"
row "huolto-agent --only cms ($(nproc) cpu)" "$H" "$hw"
row "huolto-agent, agent.workers: 1" "$H1" "$hw"
row "php, WordPress's get_file_data()" "$P" "$hw"
row "find + grep" "$F" "$hw"

# Files opened: huolto against what must be read (what WordPress itself reads).
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=open,openat -o "$T/st-huolto" "$AGENT" --config "$cfg" --only cms \
		--format json check >"$T/huolto.json" 2>/dev/null || true
	strace -f -qq -e trace=open,openat -o "$T/st-php" php "$HERE/wp-inventory.php" $phpargs \
		>/dev/null 2>&1 || true
	opened() { grep -v ENOENT "$1" | grep -F "$T/www" | grep -v O_DIRECTORY | sed 's/.*"\(.*\)".*/\1/'; }
	hu_total=$(opened "$T/st-huolto" | wc -l)
	hu_unique=$(opened "$T/st-huolto" | sort -u | wc -l)
	php_total=$(opened "$T/st-php" | grep -v "$T/www/drupal\|$T/www/joomla" | wc -l)
	items=$(jq '[.sites[].inventory[]] | length' "$T/huolto.json")
	printf '\nfiles opened under the trees: huolto %d (%d distinct: %s), PHP/WordPress %d (WordPress trees only)\n' \
		"$hu_total" "$hu_unique" "$([ "$hu_total" -eq "$hu_unique" ] && echo "none twice" || echo "SOME TWICE")" "$php_total"
	printf 'items inventoried by huolto: %d\n' "$items"
	sc() { strace -f -c -o "$T/sc" "$@" >/dev/null 2>&1 || true; awk '$NF == "total" { print $(NF-2) }' "$T/sc"; }
	# shellcheck disable=SC2086 # phpargs is a word list
	printf 'system calls: huolto %d, PHP %d\n' "$(sc "$AGENT" --config "$cfg" --only cms --format json check)" \
		"$(sc php "$HERE/wp-inventory.php" $phpargs)"
fi
