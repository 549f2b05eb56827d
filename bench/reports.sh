#!/bin/sh
# bench/reports.sh [SITES] [SITES_PER_SERVER] [DAYS] [SAMPLE]: the month's
# reports of SITES sites (HTML + PDF, and the overview) rendered by
# `huolto-collector report --all` from stored documents: one document a day
# for DAYS days from each server of SITES_PER_SERVER sites (the agent's real
# cms inventory of a WordPress tree, and TLS, PHP, mail and database
# findings from tests/fixtures/report/month.jq), an hours entry per site,
# a customer per server. Prints wall and CPU seconds and peak RSS for both
# formats, HTML alone and PDF alone; side by side, the HTML-to-PDF route
# other tools take (a headless browser engine: wkhtmltopdf) timed on SAMPLE
# of the same HTML files and scaled to SITES.
set -eu
SITES=${1:-1000}
PER=${2:-20}
DAYS=${3:-30}
SAMPLE=${4:-40}
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${HUOLTO_BUILD:-$HERE/../build}
AGENT=$BUILD/agent/huolto-agent
COLLECTOR=$BUILD/collector/huolto-collector
SHARED=${HUOLTO_SHARED:-$HERE/../../shared}
for b in "$AGENT" "$COLLECTOR"; do
	[ -x "$b" ] || { echo "build huolto first (cmake --build build): $b" >&2; exit 1; }
done
for t in jq python3 /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 1; }
done
T=$(mktemp -d /tmp/huolto-bench-reports.XXXXXX)
trap 'rm -rf "$T"' EXIT
SERVERS=$(((SITES + PER - 1) / PER))

# One site's document a day, from the agent's real inventory.
mkdir -p "$T/state" "$T/day" "$T/docs" "$T/out"
cat >"$T/agent.yaml" <<EOY
agent: {name: base, state_dir: $T/state}
discover: {nginx: false, apache: false}
sites:
  - {name: base.example, docroot: $SHARED/catalog/fixtures/ondisk/wordpress}
EOY
"$AGENT" --config "$T/agent.yaml" --only cms --format json check >"$T/base.json" || true
d=1
while [ "$d" -le "$DAYS" ]; do
	jq --arg month 2026-10 --argjson day "$d" --arg hostile 0 \
		-f "$HERE/../tests/fixtures/report/month.jq" "$T/base.json" >"$T/day/$d.json"
	d=$((d + 1))
done
# Each server's document of each day: its sites, a fresh id; the collector's
# configuration with a customer per server; an hours entry per site.
python3 - "$T" "$SITES" "$PER" "$DAYS" <<'PY'
import copy, json, sys, uuid
t, sites, per, days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
servers = (sites + per - 1) // per
conf = open(f"{t}/collector.yaml", "w")
conf.write(f"storage: {{sqlite: {t}/collector.db}}\nbranding: {{agency: \"Bench Oy\"}}\ncustomers:\n")
hours = open(f"{t}/hours.csv", "w")
hours.write("date,site,hours,kind,who,note,finding\n")
names = [[f"s{s:04d}-{i:02d}.example" for i in range(per) if s * per + i < sites]
         for s in range(servers)]
for s in range(servers):
    conf.write(f"  - {{id: c{s:04d}, name: \"Customer {s}\", language: {'fi' if s % 2 else 'en'},"
               f" plan: {{model: fixed, monthly_fee: 150.00, included_hours: 2.0,"
               f" hourly_rate: 110.00, vat_percent: 25.5}}, sites: [{', '.join(names[s])}]}}\n")
    for n in names[s]:
        hours.write(f"2026-10-{1 + s % 28:02d},{n},1.25,maintenance,Bench,Monthly updates,\n")
for d in range(1, days + 1):
    day = json.load(open(f"{t}/day/{d}.json"))
    site = day["sites"][0]
    for s in range(servers):
        doc = copy.copy(day)
        doc["id"] = str(uuid.uuid4())
        doc["agent"] = dict(day["agent"], name=f"server{s:04d}")
        doc["sites"] = []
        for n in names[s]:
            one = copy.copy(site)
            one["name"] = n
            one["names"] = [n]
            doc["sites"].append(one)
        with open(f"{t}/docs/{s:04d}-{d:02d}.json", "w") as f:
            json.dump(doc, f)
PY
C="$COLLECTOR --config $T/collector.yaml"
start=$(date +%s.%N)
find "$T/docs" -name '*.json' | sort | xargs -n 200 $C ingest >/dev/null
ingested=$(date +%s.%N)
$C hours import "$T/hours.csv" >/dev/null
printf 'input: %d sites on %d servers, %d days: %d documents (%s MB), ingested in %.1f s\n' \
	"$SITES" "$SERVERS" "$DAYS" "$(find "$T/docs" -name '*.json' | wc -l)" \
	"$(du -sm "$T/docs" | cut -f1)" "$(echo "$ingested - $start" | bc)"

run() { # LABEL FORMAT
	rm -rf "$T/out" && mkdir "$T/out"
	/usr/bin/time -f '%e %U %S %M' -o "$T/time" $C report --month 2026-10 --all \
		--format "$2" --out "$T/out" >"$T/paths"
	read -r wall user sys rss <"$T/time"
	printf '%-34s %8.1f s wall %8.1f s CPU %8.1f MiB peak RSS  %5d files\n' "$1" "$wall" \
		"$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)" "$(wc -l <"$T/paths")"
}
echo "huolto-collector report --all (one process):"
run "  HTML + PDF" html,pdf
run "  HTML only" html
run "  PDF only" pdf
if command -v wkhtmltopdf >/dev/null; then
	run "  (HTML again, for the comparison)" html
	ls "$T/out"/s*.html | head -n "$SAMPLE" >"$T/sample"
	n=$(wc -l <"$T/sample")
	start=$(date +%s.%N)
	while read -r f; do
		QT_QPA_PLATFORM=offscreen wkhtmltopdf -q "$f" "${f%.html}.w.pdf" 2>/dev/null || true
	done <"$T/sample"
	wall=$(echo "$(date +%s.%N) - $start" | bc)
	printf 'wkhtmltopdf, HTML to PDF only:  %d files in %.1f s = %.0f ms each; for %d sites %.1f s\n' \
		"$n" "$wall" "$(echo "$wall * 1000 / $n" | bc -l)" "$SITES" \
		"$(echo "$wall * $SITES / $n" | bc -l)"
else
	echo "wkhtmltopdf: not installed (scripts/install-deps --test installs it)"
fi
