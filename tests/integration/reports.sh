#!/bin/sh
# The monthly reports from a real collector database: a month of documents
# (tests/fixtures/report/month.jq: an update, a PHP change, a renewed
# certificate, a changed SPF record, a silent week) and hours, rendered as
# HTML and PDF in Finnish and English. Asserts the sections, the numbers to
# the cent in each language, the fonts embedded in the PDF and Finnish
# characters intact, markup from a hostile server escaped, a month with no
# documents, a site with no hours, the team overview, and a closed month's
# reports staying as they were.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
need pdftotext
need pdfinfo
need pdffonts
need python3

JQ=$HUOLTO_SRC/tests/fixtures/report/month.jq
OUTD=$TMP/out
mkdir -p "$OUTD" "$TMP/state" "$TMP/docs"
write_collector_conf "$(free_port)" <<'YAML'
branding: {agency: "Esimerkki Digital Oy", color: "#0b5fff"}
customers:
  - id: acme
    name: "Acme Oy"
    language: fi
    plan: {model: fixed, monthly_fee: 150.00, included_hours: 2.0,
           hourly_rate: 110.00, vat_percent: 25.5, currency: EUR}
    sites: [acme.fi, kauppa.acme.fi]
  - id: globex
    name: "Globex Ltd"
    language: en
    plan: {model: hourly, hourly_rate: 95.00, vat_percent: 25.5, currency: EUR}
    sites: [globex.example]
YAML

# A base document of each site from the real agent (its cms check), then a
# document per day of October 2026 from it.
base() { # SITE FILE
	cat >"$TMP/agent.yaml" <<EOY
agent: {name: web-$1, state_dir: $TMP/state}
discover: {nginx: false, apache: false}
sites:
  - {name: $1, docroot: $HUOLTO_SHARED/catalog/fixtures/ondisk/wordpress}
EOY
	"$AGENT" --config "$TMP/agent.yaml" --only cms --format json check >"$2" || true
	jq -e '.sites[0].inventory | length > 0' "$2" >/dev/null || fail "no base document for $1"
}
base acme.fi "$TMP/acme.json"
base globex.example "$TMP/globex.json"
days=""
for d in 1 2 3 4 5 6 7 8 9 10 18 19 20 21 22 23 24 25 26 27 28 29 30 31; do
	jq --arg month 2026-10 --argjson day "$d" --arg hostile 0 -f "$JQ" "$TMP/acme.json" \
		>"$TMP/docs/acme-$d.json"
	days="$days $TMP/docs/acme-$d.json"
done
# Globex's server is hostile: its names, versions and records carry markup.
for d in 5 6; do
	jq --arg month 2026-10 --argjson day "$d" --arg hostile 1 -f "$JQ" "$TMP/globex.json" \
		>"$TMP/docs/globex-$d.json"
	days="$days $TMP/docs/globex-$d.json"
done
# shellcheck disable=SC2086 # a list of files
coll ingest $days
assert_eq 0 "$STATUS" "ingest: $ERR"

coll hours add --site acme.fi --date 2026-10-03 --hours 1.5 --kind maintenance --who Maija \
	--note "Päivitetty lisäosat" --finding wp.plugin_outdated
coll hours add --site kauppa.acme.fi --date 2026-10-13 --hours 2 --kind development --who Ville \
	--note "Uusi yhteydenottolomake"
coll hours add --site globex.example --date 2026-10-07 --hours 13 --kind development --who Ville \
	--note "<script>alert('note')</script> migration"
coll hours list --month 2026-10
assert_contains "$OUT" "3 entries, 16.50 hours" "hours logged"

note "usage errors"
coll report --month 2026-10 --out "$OUTD"
assert_eq 2 "$STATUS" "no selection"
assert_contains "$ERR" "give one of --site, --customer, --all" "why"
coll report --month 2026-13 --all --out "$OUTD"
assert_eq 2 "$STATUS" "a bad month"
coll report --month 2026-10 --all --format docx --out "$OUTD"
assert_eq 2 "$STATUS" "a bad format"
coll report --month 2026-10 --site nosuch.example --out "$OUTD"
assert_eq 1 "$STATUS" "an unknown site"
assert_contains "$ERR" "no site \"nosuch.example\"" "named"

note "all sites and the overview"
coll report --month 2026-10 --all --out "$OUTD"
assert_eq 0 "$STATUS" "report --all: $ERR"
for f in acme.fi kauppa.acme.fi globex.example overview; do
	for x in html pdf; do
		assert_contains "$OUT" "$OUTD/$f-2026-10.$x" "printed"
		[ -s "$OUTD/$f-2026-10.$x" ] || fail "no $f-2026-10.$x"
	done
done
H=$OUTD/acme.fi-2026-10.html
P=$TMP/acme.txt
pdftotext -layout "$OUTD/acme.fi-2026-10.pdf" "$P"

note "the Finnish site report: sections, work, changes, numbers to the cent"
for s in "Ylläpitoraportti: acme.fi" "Acme Oy · lokakuu 2026" "Esimerkki Digital Oy" \
	"Tehty työ" "Nykytila" "Sivuston ohjelmistot" "Varmenteet" "Sähköposti" "Tietokanta" \
	"Valvonnan kattavuus" "Suositukset" "Tunnit ja laskutus"; do
	assert_contains "$(cat "$H")" "$s" "html: $s"
	assert_contains "$(cat "$P")" "$s" "pdf: $s"
done
# Fixed plan: 150.00 + (3.50 - 2.00) h x 110.00 = 315.00; VAT 25.5 % = 80.325 -> 80.33.
for s in "3.10.2026" "1,50 h" "3,50 h" "165,00 €" "315,00 €" "80,33 €" "395,33 €" "ALV 25,5 %" \
	"Akismet Anti-spam: Spam Protection" "5.3.3" "5.3.5" "8.2.28" "8.2.29" "Varmenne uusittiin" \
	"13.1.2027" "v=spf1 mx include:_spf.mail.example -all" "Päivitetty lisäosat" \
	"wp.plugin_outdated" "10.10.2026" "18.10.2026"; do
	assert_contains "$(cat "$H")" "$s" "html: $s"
	assert_contains "$(cat "$P")" "$s" "pdf: $s"
done
assert_contains "$(cat "$H")" "saatiin 24, kuukauden 24 päivänä 31 päivästä" "coverage"
assert_contains "$(cat "$H")" "<svg" "inline charts"
assert_eq 2 "$(grep -o '<svg' "$H" | wc -l)" "a certificate timeline and a connections chart"
pdfinfo "$OUTD/acme.fi-2026-10.pdf" >"$TMP/info"
assert_contains "$(cat "$TMP/info")" "595.28 x 841.89 pts (A4)" "A4"
assert_contains "$(grep ^Title: "$TMP/info")" "Ylläpitoraportti: acme.fi" "Finnish title"
pages=$(awk '/^Pages:/ {print $2}' "$TMP/info")
[ "$pages" -ge 2 ] || fail "pages: $pages"
# pdftotext may drop the narrow space before the slash.
pdftotext "$OUTD/acme.fi-2026-10.pdf" - | grep -Eq "^$pages ?/ $pages\$" || fail "no page numbers"
pdffonts "$OUTD/acme.fi-2026-10.pdf" | awk 'NR > 2 && $(NF-4) != "yes" {bad = 1} END {exit bad}' ||
	fail "a font not embedded: $(pdffonts "$OUTD/acme.fi-2026-10.pdf")"
assert_contains "$(pdffonts "$OUTD/acme.fi-2026-10.pdf")" "DejaVuSans" "DejaVu Sans"

note "a site with no documents and no hours of its own; the customer's bill is shared"
K=$OUTD/kauppa.acme.fi-2026-10.html
assert_contains "$(cat "$K")" "Sivustolta kauppa.acme.fi ei saatu tänä kuukautena yhtään" "verdict"
assert_contains "$(cat "$K")" "395,33 €" "the customer's bill"
coll report --month 2026-10 --site acme.fi --out "$OUTD" --format html
assert_eq 0 "$STATUS" "one site, html only: $ERR"
assert_eq "$OUTD/acme.fi-2026-10.html" "$OUT" "only the HTML"

note "a month with no documents"
coll report --month 2026-09 --site acme.fi --out "$OUTD"
assert_eq 0 "$STATUS" "september: $ERR"
S=$OUTD/acme.fi-2026-09.html
assert_contains "$(cat "$S")" "ei saatu tänä kuukautena yhtään tarkistuksen tulosta" "said"
assert_contains "$(cat "$S")" "Sivustolle ei kirjattu tunteja" "no hours"
assert_contains "$(cat "$S")" "150,00 €" "the monthly fee alone"
assert_contains "$(cat "$S")" "188,25 €" "with VAT"

note "English: dates and money"
coll report --month 2026-10 --customer globex --out "$OUTD"
assert_eq 0 "$STATUS" "globex: $ERR"
G=$OUTD/globex.example-2026-10.html
pdftotext -layout "$OUTD/globex.example-2026-10.pdf" "$TMP/globex.txt"
# Hourly: 13 h x 95.00 = 1,235.00; VAT 314.925 -> 314.93; total 1,549.93.
for s in "Maintenance report: globex.example" "October 2026" "7 Oct 2026" "€1,235.00" "€314.93" \
	"€1,549.93" "VAT 25.5 %" "13.00 h" "Work done" "Recommendations"; do
	assert_contains "$(cat "$G")" "$s" "html: $s"
	assert_contains "$(cat "$TMP/globex.txt")" "$s" "pdf: $s"
done

note "hostile texts from the server and the hours log stay text"
python3 - "$G" "$OUTD/overview-2026-10.html" <<'PY' || fail "markup got through"
import sys
from html.parser import HTMLParser
allowed = {"html", "head", "meta", "title", "style", "body", "header", "main", "footer", "h1",
           "h2", "h3", "p", "span", "section", "table", "caption", "thead", "tbody", "tr", "th",
           "td", "figure", "figcaption", "svg", "desc", "rect", "line", "text", "img"}
class Check(HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag not in allowed:
            sys.exit(f"element <{tag}> in {sys.argv[1]}")
        for k, v in attrs:
            if k.startswith("on") or (v or "").lower().startswith("javascript"):
                sys.exit(f"attribute {k}={v!r}")
            if tag == "img" and not (v or "").startswith("data:") and k == "src":
                sys.exit(f"an external image {v!r}")
for f in sys.argv[1:]:
    Check().feed(open(f, encoding="utf-8").read())
PY
assert_contains "$(cat "$G")" "&lt;script&gt;alert(1)&lt;/script&gt;" "the plugin name, escaped"
assert_contains "$(cat "$G")" "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" "the version, escaped"
assert_contains "$(cat "$G")" "v=spf1 &lt;iframe src=//evil.example&gt; -all" "the record, escaped"
assert_contains "$(cat "$G")" "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" "the note, escaped"
assert_contains "$(cat "$TMP/globex.txt")" "<script>alert(1)</script>" "the PDF shows it as text"
# (The SVG namespace is a name, not a request.)
if sed 's|xmlns="http://www.w3.org/2000/svg"||g' "$G" | grep -q "<script\|<iframe\|http://\|https://"; then
	fail "a script or an external reference in $G"
fi

note "the overview: every site, worst first, billing per customer"
O=$OUTD/overview-2026-10.html
assert_contains "$(cat "$O")" "3 sivustoa" "counted"
for s in acme.fi kauppa.acme.fi globex.example "Acme Oy" "Globex Ltd" "395,33 €" "1 549,93 €" "1,50 h" \
	"3,50 h / 2,00 h"; do
	assert_contains "$(cat "$O")" "$s" "overview: $s"
done
first=$(grep -o '<td>[a-z.]*\.\(fi\|example\)</td>' "$O" | head -1)
assert_eq "<td>kauppa.acme.fi</td>" "$first" "the unknown (no results) first"

note "a closed month's reports do not change"
coll month close 2026-10 --who Maija
assert_eq 0 "$STATUS" "close: $ERR"
assert_contains "$OUT" "the reports of its 3 sites are frozen" "frozen"
coll report --month 2026-10 --site acme.fi --out "$OUTD" --format html
cp "$H" "$TMP/closed.html"
# A late document for October arrives after the close.
jq --arg month 2026-10 --argjson day 15 --arg hostile 0 -f "$JQ" "$TMP/acme.json" >"$TMP/late.json"
coll ingest "$TMP/late.json"
assert_eq 0 "$STATUS" "late ingest: $ERR"
coll report --month 2026-10 --site acme.fi --out "$OUTD" --format html
assert_eq 0 "$STATUS" "closed report: $ERR"
cmp -s "$H" "$TMP/closed.html" || fail "the closed month's report changed"
coll month reopen 2026-10 --who Maija
coll report --month 2026-10 --site acme.fi --out "$OUTD" --format html
assert_contains "$(cat "$H")" "saatiin 25, kuukauden 25 päivänä" "reopened: the late document counts"
