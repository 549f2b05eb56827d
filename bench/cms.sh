#!/bin/sh
# bench/cms.sh [TREES] [RUNS]: CMS inventory of TREES WordPress sites (Debian's
# wordpress hard-linked, with 10 plugins and 3 themes each) plus a few Drupal
# and Joomla trees, side by side in one run:
#   huolto-agent check --only cms
#   a single PHP process walking the same WordPress trees with WordPress's
#     own get_file_data() (bench/wp-inventory.php: what PHP-based tools do)
#   find + grep (the shell pipeline an administrator would write)
# Prints the median wall time, CPU and peak RSS of each with the ratios, and
# the files each opened (strace) against the files that must be read; then
# the floor: huolto's own listings and reads done by a program that does
# nothing else (tests/tools/cms_floor.c), on every core.
set -eu
TREES=${1:-200}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
AGENT=${HUOLTO_AGENT:-$HERE/../build/agent/huolto-agent}
FLOOR=${HUOLTO_CMS_FLOOR:-$HERE/../build/tests/cms_floor}
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

# One measurement: "wall_s user_s sys_s maxrss_kb" of a command (the wall
# time from date(1) in nanoseconds: GNU time's is in hundredths).
measure() {
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S %M' -o "$T/time" "$@" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000)) $(cat "$T/time")" | awk '{ printf "%.4f %s %s %s\n", $1 / 1e6, $2, $3, $4 }'
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
		'BEGIN { printf "%-34s %8.4f %8.3f %9d %8.1fx\n", n, w, u + s, m, w / b }'
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
	# The floor: huolto's own listings and reads, nothing else, on every core.
	if [ -x "$FLOOR" ]; then
		# One worker: no call is split over two strace lines.
		strace -qq -e trace=open,openat -o "$T/st-huolto1" "$AGENT" --config "$T/agent1.yaml" \
			--only cms --format json check >/dev/null 2>&1 || true
		grep -v ENOENT "$T/st-huolto1" | grep -F "\"$T/www" |
			sed -n 's/.*"\([^"]*\)", \([^)]*\)).*/\2 \1/p' |
			awk '{ print ($1 ~ /O_DIRECTORY/ ? "d " : "f ") $2 }' >"$T/floor.list"
		# Its own count first: a floor of failed opens would be no floor.
		echo
		echo "floor: $("$FLOOR" "$(nproc)" "$T/floor.list")"
		FL=$(median "$FLOOR" "$(nproc)" "$T/floor.list")
		fw=$(echo "$FL" | cut -d' ' -f1)
		pw=$(echo "$P" | cut -d' ' -f1)
		row "floor: the same opens only ($(nproc) thr)" "$FL" "$hw"
		awk -v f="$fw" -v p="$pw" -v n="$(wc -l <"$T/floor.list")" 'BEGIN {
			printf "floor: %d listings and reads; PHP / floor = %.1fx, the most any tool can be faster than PHP here\n", n, (f > 0 ? p / f : 0) }'
	fi
fi
