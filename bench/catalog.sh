#!/bin/sh
# bench/catalog.sh [RECORDS] [SITES] [ITEMS]: vulnerability evaluation of
# SITES sites x ITEMS inventory items against a Wordfence-sized feed of
# RECORDS synthetic records in the real schema (bench/wf-synth.py), side by
# side in one run:
#   huolto: the collector's own code (tests/tools/catalog_bench): the feed
#     streamed into catalog.db once (a refresh), then the index loaded and
#     every document evaluated (what ingest and a re-evaluation do)
#   python3: a scanner script's way (bench/wf-match.py): json.load the whole
#     feed, index it by (type, slug), match the same items
# Prints wall milliseconds and peak RSS of each, and that both found the same
# number of vulnerable items. The issue's target: evaluation under 1 s and
# 200 MiB for 200 x 30 against ~40,000 records.
set -eu
RECORDS=${1:-40000}
SITES=${2:-200}
ITEMS=${3:-30}
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=${HUOLTO_CATALOG_BENCH:-$HERE/../build/tests/catalog_bench}
[ -x "$BENCH" ] || { echo "build huolto first (cmake --build build)" >&2; exit 1; }
T=$(mktemp -d /tmp/huolto-bench-catalog.XXXXXX)
trap 'rm -rf "$T"' EXIT

python3 "$HERE/wf-synth.py" "$RECORDS" "$SITES" "$ITEMS" "$T"
echo "feed: $RECORDS records, $(($(stat -c %s "$T/production.json") / 1048576)) MiB; $SITES sites x $ITEMS items"
sync

echo
echo "huolto (RelWithDebInfo build):"
"$BENCH" load "$T/production.json" "$T"
HU=$("$BENCH" eval "$T" "$T/docs.json")
echo "$HU"
/usr/bin/time -f '%e %M' -o "$T/time" "$BENCH" eval "$T" "$T/docs.json" >/dev/null
echo "  the eval process, by GNU time: $(awk '{ printf "%.0f ms, %.1f MiB", $1 * 1000, $2 / 1024 }' "$T/time")"

echo
echo "python3 (json.load of the feed, then the same matching):"
PY=$(/usr/bin/time -f '%e %M' -o "$T/time" python3 "$HERE/wf-match.py" "$T/production.json" "$T/docs.json")
echo "  $PY; $(awk '{ printf "%.0f ms, %.1f MiB", $1 * 1000, $2 / 1024 }' "$T/time")"

hv=$(echo "$HU" | sed -n 's/.* \([0-9]*\) vulnerable.*/\1/p')
pv=$(echo "$PY" | sed -n 's/^\([0-9]*\) vulnerable.*/\1/p')
[ "$hv" = "$pv" ] && echo "both found $hv vulnerable items" ||
	echo "MISMATCH: huolto $hv, python3 $pv vulnerable items"
