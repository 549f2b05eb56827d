#!/bin/sh
# Evaluation against the catalog, end to end: the real agent inventories the
# on-disk CMS trees of ../shared/catalog/fixtures, the collector reads the
# real-format feeds from Debian's nginx, and ingest, `catalog refresh` and
# serve put the catalog's findings in the site's state: every code the
# fixtures can show, catalog.stale once the feeds break and their facts
# age (never "ok"), expired Joomla TUF metadata, and serve's own refresh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collector_lib.sh"
. "$(dirname "$0")/catalog_lib.sh"
need pdftotext
need python3
need nginx
need openssl
need jq
need sqlite3

start_feeds
issue_cert ca collector serverAuth
PORT=$(free_port)
# conf STALE_AFTER [PHP_BASE] [JOOMLA_BASE]
conf() {
	write_collector_conf "$PORT" <<YAML
catalog:
  dir: $TMP/catalog
  refresh: 1h
  stale_after: $1
  timeout: 5s
  ca_file: $PKI/ca.pem
  sources:
    wordpress_api: ${2:-$B/wporg}
    php_releases: ${2:-$B/php}
    endoflife: ${2:-$B/eol}
    drupal_updates: $B/drupal
    joomla_updates: ${3:-$B/joomla}
    wordfence: {url: $B/wf/production, token_file: $TMP/wf.token}
  extension_servers: {allow_private: ${4:-true}, timeout: 5s}
YAML
}
printf '%s\n' "$WF_TOKEN" >"$TMP/wf.token"
chmod 600 "$TMP/wf.token"

# The agent's document for the fixture trees, with a PHP and a database server
# the way the php and db checks report them (they need a live PHP and server).
# A second site: a plugin wordpress.org closed, a theme with an update, a
# plugin and a theme Wordfence knows vulnerabilities of.
SHOP=$TMP/shop
mkdir -p "$SHOP/wp-includes" "$SHOP/wp-content/plugins/contact-form-7-datepicker" \
	"$SHOP/wp-content/themes/hello-elementor" "$SHOP/wp-content/plugins/backwpup" \
	"$SHOP/wp-content/themes/example-theme"
printf '<?php\n/*\nPlugin Name: BackWPup\nVersion: 4.0.2\n*/\n' \
	>"$SHOP/wp-content/plugins/backwpup/backwpup.php"
printf '/*\nTheme Name: Example Theme\nVersion: 3.1\n*/\n' \
	>"$SHOP/wp-content/themes/example-theme/style.css"
printf "<?php\n\$wp_version = '7.1';\n\$wp_db_version = 60421;\n" >"$SHOP/wp-includes/version.php"
printf '<?php\n/*\nPlugin Name: Contact Form 7 Datepicker\nVersion: 2.6.0\n*/\n' \
	>"$SHOP/wp-content/plugins/contact-form-7-datepicker/contact-form-7-datepicker.php"
printf '/*\nTheme Name: Hello Elementor\nVersion: 3.2.0\n*/\n' \
	>"$SHOP/wp-content/themes/hello-elementor/style.css"
# A third: Joomla 5.2.3 with extensions whose manifests name update servers on
# the feed server (one answers 500 first, one is plain http), and a Joomla
# 5.0.2 in a subdirectory (older than 5.1: the legacy core/list.xml).
JS=$TMP/joomla
mkdir -p "$JS/libraries/src" "$JS/old/libraries/src" "$JS/administrator/manifests/packages" \
	"$JS/plugins/system/admintools" "$JS/modules/mod_plain"
cp "$SHARED/catalog/fixtures/ondisk/joomla5/libraries/src/Version.php" "$JS/libraries/src/"
sed 's/MINOR_VERSION = 2;/MINOR_VERSION = 0;/; s/PATCH_VERSION = 3;/PATCH_VERSION = 2;/' \
	"$JS/libraries/src/Version.php" >"$JS/old/libraries/src/Version.php"
manifest() { # FILE TYPE VERSION SERVER...: an extension manifest
	f=$1 t=$2 v=$3
	shift 3
	{
		printf '<?xml version="1.0"?>\n<extension type="%s" group="system">\n' "$t"
		printf '<name>%s</name><packagename>akeeba</packagename><version>%s</version>\n' "$t" "$v"
		printf '<updateservers>\n'
		for u in "$@"; do printf '<server type="extension">%s</server>\n' "$u"; done
		printf '</updateservers></extension>\n'
	} >"$f"
}
manifest "$JS/administrator/manifests/packages/pkg_akeeba.xml" package 9.9.1 "$B/jext/pkgakeeba.xml"
manifest "$JS/plugins/system/admintools/admintools.xml" plugin 7.4.0 "$B/s500/admintools.xml" \
	"$B/jext/collection.xml"
manifest "$JS/modules/mod_plain/mod_plain.xml" module 1.0 "http://127.0.0.1:$FEED_PORT/jext/x.xml"
sed -i 's|<packagename>akeeba</packagename>||' "$JS/plugins/system/admintools/admintools.xml" \
	"$JS/modules/mod_plain/mod_plain.xml"
cat >"$TMP/agent.yaml" <<YAML
agent: {name: web01, state_dir: $TMP/state}
discover: {nginx: false, apache: false}
sites:
  - {name: fixtures.test, docroot: $SHARED/catalog/fixtures/ondisk}
  - {name: shop.test, docroot: $SHOP}
  - {name: joomla.test, docroot: $JS}
YAML
"$AGENT" --config "$TMP/agent.yaml" --only cms --format json check >"$TMP/agent.json" || true
jq '.sites[0].findings += [
  {code: "php.security_only", status: "warning", target: "/run/php/php7.4-fpm.sock",
   message: "PHP 7.4.33 gets security fixes only",
   facts: {version: "7.4.33", branch: "7.4", sapi: "fpm"}},
  {code: "db.ok", status: "ok", target: "wp@127.0.0.1:3306", message: "MySQL 5.7.44",
   origin: "catalog",
   facts: {version: "5.7.44-log", flavour: "MySQL", max_connections: 151}}]' \
	"$TMP/agent.json" >"$TMP/doc.json"
[ "$(jq '.sites[0].inventory | length' "$TMP/doc.json")" -gt 10 ] ||
	fail "the agent found no inventory: $(head -c 400 "$TMP/agent.json")"

show() { # [NAME]: the site's current state as JSON in SITE
	coll --format json site show "${1:-fixtures.test}"
	assert_eq 0 "$STATUS" "site show: $ERR"
	SITE=$OUT
}
code_of() { # TARGET-SUFFIX: the codes of the findings whose target ends so
	printf '%s' "$SITE" | jq -r --arg t "$1" \
		'[.findings[] | select((.target // "") | endswith($t)) | .code] | sort | join(",")'
}
count() { # CODE
	printf '%s' "$SITE" | jq --arg c "$1" '[.findings[] | select(.code == $c)] | length'
}

note "ingest with current feeds: the catalog's findings join the agent's"
conf 1h
coll catalog refresh
assert_eq 0 "$STATUS" "refresh: $OUT $ERR"
assert_eq 15 "$(echo "$OUT" | grep -c ' updated ')" "feeds updated: $OUT"
assert_contains "$OUT" "evaluated 0 documents again" "nothing stored yet"
case "$OUT$ERR" in *"$WF_TOKEN"*) fail "the Wordfence token was printed" ;; esac
grep -q "GET /wf/production 200" "$TMP/access.log" || fail "wordfence: $(cat "$TMP/access.log")"
coll ingest "$TMP/doc.json"
assert_eq 0 "$STATUS" "ingest: $ERR"
show
assert_eq "catalog.unknown" "$(code_of akismet/akismet.php)" "a plugin stored after the refresh"
assert_eq "not asked yet" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select((.target // "") | endswith("akismet/akismet.php")) | .facts.reason')" "why"

note "the per-item feeds ask about the stored plugins and themes"
coll catalog refresh wordpress-plugins wordpress-plugin-info wordpress-themes drupal-release-history \
	joomla-extensions
assert_eq 0 "$STATUS" "refresh the per-item feeds: $OUT $ERR"
grep -q "GET /drupal/views/7.x 200" "$TMP/access.log" ||
	fail "Drupal 7 projects are asked with 7.x: $(cat "$TMP/access.log")"
grep -q " /wporg/plugins/update-check/1.1/ 200 .*ct=application/x-www-form-urlencoded" \
	"$TMP/access.log" || fail "no plugins update check: $(cat "$TMP/access.log")"
grep -q "GET /wporg/plugins/info/1.2/?action=plugin_information&slug=contact-form-7-datepicker 404" \
	"$TMP/access.log" || fail "no plugin information: $(cat "$TMP/access.log")"
show
assert_eq critical "$(printf '%s' "$SITE" | jq -r .status)" "site status"
assert_eq "wp.core_insecure" "$(code_of /ondisk/wordpress)" "WordPress 6.6.2"
assert_eq "drupal.core_unsupported" "$(code_of /ondisk/drupal10/web)" "Drupal 10.3.6"
assert_eq "drupal.core_unsupported" "$(code_of /ondisk/drupal7)" "Drupal 7.101"
assert_eq "joomla.core_eol" "$(code_of /ondisk/joomla3)" "Joomla 3.6.5"
assert_eq "joomla.core_eol" "$(code_of /ondisk/joomla25)" "Joomla 2.5.5"
assert_eq "joomla.core_outdated" "$(code_of /ondisk/joomla5)" "Joomla 5.2.3"
assert_eq "php.eol" "$(code_of php7.4-fpm.sock)" "PHP 7.4 judged again"
assert_eq "php.security_only" "$(printf '%s' "$SITE" |
	jq -r '.findings[] | select(.code == "php.eol") | .facts.agent_code')" "agent_code"
assert_eq "catalog,db.ok" "$(printf '%s' "$SITE" | jq -r '[.findings[] |
	select(.target == "wp@127.0.0.1:3306") | .origin // .code] | sort | join(",")')" \
	"db: the agent's finding (its claimed origin dropped) and the catalog's"
assert_eq "db.ok,db.version_eol" "$(code_of wp@127.0.0.1:3306)" "MySQL 5.7"
assert_eq "wp.plugin_outdated" "$(code_of akismet/akismet.php)" "Akismet 5.3.3"
assert_eq "drupal.module_outdated" "$(code_of /token/token.info.yml)" "Token 8.x-1.14"
assert_eq "8.x-1.15" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select(.code == "drupal.module_outdated") | .facts.latest')" "Token's latest"
assert_eq "not on drupal.org" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select((.target // "") | endswith("/views/views.info")) | .facts.reason')" \
	"views: drupal.org has no history (the test server says so of every other project)"
assert_eq "" "$(code_of /hello.php)" "Hello Dolly 1.7.2 is the latest"
assert_eq "catalog.unknown" "$(code_of /twentytwentyfour)" "a theme wordpress.org did not list"
assert_eq "" "$(code_of custom-updater.php)" "an Update URI elsewhere is not judged"
assert_eq "" "$(code_of object-cache.php)" "a drop-in is not judged"
assert_eq 0 "$(printf '%s' "$SITE" | jq '[.findings[] | select(.code == "php.security_only")] | length')" \
	"the agent's php verdict replaced"
assert_eq "7.1" "$(printf '%s' "$SITE" | jq -r '.inventory[] |
	select(.kind == "wordpress-core") | .catalog.latest')" "site show: WordPress latest"
assert_eq "5.4.8" "$(printf '%s' "$SITE" | jq -r '.inventory[] |
	select(.kind == "joomla-core" and .version == "5.2.3") | .catalog.latest')" \
	"Joomla's latest from update.joomla.org, not endoflife.date's 5.4.112"
coll site show fixtures.test
assert_contains "$OUT" "wp.core_insecure" "site show, text"
assert_contains "$OUT" "wordpress-core     wordpress" "site show, inventory"
show shop.test
assert_eq "wp.plugin_closed" "$(code_of contact-form-7-datepicker.php)" "a closed plugin"
assert_eq "critical|security-issue" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select(.code == "wp.plugin_closed") | "\(.status)|\(.facts.reason)"')" "closed for security"
assert_eq "wp.theme_outdated" "$(code_of /hello-elementor)" "Hello Elementor 3.2.0"
assert_eq "wp.plugin_vulnerable" "$(code_of backwpup/backwpup.php)" "BackWPup 4.0.2"
assert_eq "critical|CVE-2023-5775|4.0.3" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select(.code == "wp.plugin_vulnerable") | "\(.status)|\(.facts.cve)|\(.facts.fixed_in)"')" \
	"BackWPup: CVE and fix"
assert_eq "wp.theme_vulnerable" "$(code_of /example-theme)" "Example Theme 3.1, no fix released"
assert_eq "3.2.1" "$(printf '%s' "$SITE" | jq -r '.inventory[] |
	select(.slug == "hello-elementor") | .catalog.latest')" "site show: the theme's latest"
show joomla.test
assert_eq "joomla.extension_outdated" "$(code_of /pkg_akeeba.xml)" "Akeeba 9.9.1 on Joomla 5.2.3"
assert_eq "10.0.2|5.2.3" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select((.target // "") | endswith("/pkg_akeeba.xml")) | "\(.facts.latest)|\(.facts.joomla)"')" \
	"Akeeba: the vendor's stable release for this Joomla (not its beta)"
assert_eq "joomla.extension_outdated" "$(code_of /admintools.xml)" \
	"Admin Tools: the first server failed, the collection lists 7.5.2"
assert_eq "catalog.unknown" "$(code_of /mod_plain.xml)" "a plain-http update server"
assert_contains "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select((.target // "") | endswith("/mod_plain.xml")) | "\(.facts.reason): \(.facts.error)"')" \
	"update server unreachable: http://127.0.0.1:$FEED_PORT/jext/x.xml: refused: not an https:// address" \
	"mod_plain: why"
grep -q "GET /jext/x.xml" "$TMP/access.log" && fail "the plain-http server was asked"
assert_eq "joomla.core_outdated" "$(code_of "$JS/old")" "Joomla 5.0.2"
assert_eq "joomla-core-legacy|5.4.8" "$(printf '%s' "$SITE" | jq -r --arg t "$JS/old" '.findings[] |
	select(.target == $t) | "\(.facts.feed)|\(.facts.latest)"')" "Joomla 5.0.2: core/list.xml's offer"
coll site show nosuch.test
assert_eq 1 "$STATUS" "an unknown site"
assert_contains "$ERR" "no site named \"nosuch.test\"" "an unknown site"

note "the monthly report judged by the catalog: latest versions and the catalog's findings"
MONTH=$(jq -r '.generated_at[0:7]' "$TMP/doc.json")
mkdir -p "$TMP/rep"
coll report --month "$MONTH" --site shop.test --format html,pdf --language en --out "$TMP/rep"
assert_eq 0 "$STATUS" "report: $ERR"
R=$(cat "$TMP/rep/shop.test-$MONTH.html")
# each inventory row: status, name, type, installed, latest
row() { # NAME: the row's cells, tab-separated
	printf '%s' "$R" | python3 -c '
import html.parser, sys
class P(html.parser.HTMLParser):
    rows, row, cell = [], None, None
    def handle_starttag(self, t, a):
        if t == "tr": self.row = []
        if t in ("td", "th") and self.row is not None: self.cell = ""
    def handle_endtag(self, t):
        if t in ("td", "th") and self.cell is not None: self.row.append(self.cell.strip()); self.cell = None
        if t == "tr" and self.row is not None: self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P(); p.feed(sys.stdin.read())
print("\n".join("\t".join(r) for r in p.rows if len(r) > 1 and r[1] == sys.argv[1]))' "$1"
}
assert_eq "$(printf 'Up to date\tWordPress\tWordPress\t7.1\t7.1')" "$(row WordPress)" \
	"WordPress 7.1: up to date, and the latest shown too"
assert_eq "$(printf 'Warning\tHello Elementor\tTheme\t3.2.0\t3.2.1')" "$(row 'Hello Elementor')" \
	"a theme with an update: the latest from wordpress.org"
assert_contains "$(row BackWPup)" "$(printf 'Critical\tBackWPup\tPlugin\t4.0.2')" "a vulnerable plugin"
assert_contains "$R" "A plugin has a known security hole" "the catalog's finding among the problems"
assert_contains "$R" "Update the plugin to a fixed version now, or remove it." "and what to do"
assert_contains "$R" "A plugin has been withdrawn from wordpress.org" "the closed plugin"
pdftotext -layout "$TMP/rep/shop.test-$MONTH.pdf" - | tr -s ' ' >"$TMP/rep/shop.txt"
assert_contains "$(cat "$TMP/rep/shop.txt")" "Hello Elementor Theme 3.2.0 3.2.1" "the PDF's latest column"

note "update servers at private addresses are not asked unless allowed"
conf 1h "" "" false
coll catalog refresh joomla-extensions
assert_eq 0 "$STATUS" "a refused server does not fail the feed: $OUT $ERR"
show joomla.test
assert_eq "catalog.unknown" "$(code_of /pkg_akeeba.xml)" "Akeeba's server is on 127.0.0.1"
assert_contains "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select((.target // "") | endswith("/pkg_akeeba.xml")) | .facts.error')" \
	"refused to connect to 127.0.0.1 (not a public address)" "why"

note "expired TUF metadata: Joomla 5.2.3 is stale, not outdated"
conf 1h "" "$B/joomla-expired"
coll catalog refresh joomla-core
assert_eq 0 "$STATUS" "refresh joomla-core: $OUT $ERR"
assert_contains "$OUT" "evaluated 1 document again" "refresh evaluates again"
show
assert_eq "catalog.stale" "$(code_of /ondisk/joomla5)" "Joomla 5.2.3, expired metadata"
assert_contains "$(printf '%s' "$SITE" | jq -r '.findings[] | select(.code == "catalog.stale") | .message')" \
	"joomla-core expired" "stale says why"

note "broken feeds, facts past stale_after: stale, never ok"
conf 1s "$B/s500"
sleep 2
coll catalog refresh
assert_eq 1 "$STATUS" "refresh with broken feeds: $OUT"
assert_contains "$OUT" "skipped (rate limit)" "Wordfence is asked once in 30 minutes"
assert_eq 1 "$(grep -c "GET /wf/production" "$TMP/access.log")" "one Wordfence request"
assert_contains "$OUT" "evaluated 1 document again" "evaluated with stale facts"
show
assert_eq "catalog.stale" "$(code_of /ondisk/wordpress)" "WordPress on stale facts"
assert_eq "catalog.stale" "$(code_of /ondisk/drupal7)" "Drupal on stale facts"
assert_eq "catalog.stale,db.ok" "$(code_of wp@127.0.0.1:3306)" "MySQL on stale facts"
# PHP: the agent's own verdict stands, and says the catalog could not judge
assert_eq "php.security_only" "$(code_of php7.4-fpm.sock)" "PHP on stale facts"
assert_eq "catalog.stale" "$(printf '%s' "$SITE" | jq -r '.findings[] |
	select(.code == "php.security_only") | .facts.catalog')" "PHP: why"
assert_eq 0 "$(count wp.core_insecure)" "no verdict from stale facts"
[ "$(printf '%s' "$SITE" | jq -r .status)" != ok ] || fail "a site on stale facts is ok"

note "a document taken in before the catalog was configured: the refresh replaces its PHP verdict"
rm -rf "$TMP/catalog" "$TMP/collector.db"
write_collector_conf "$PORT" </dev/null
coll ingest "$TMP/doc.json"
assert_eq 0 "$STATUS" "ingest without a catalog: $ERR"
show
assert_eq "php.security_only" "$(code_of php7.4-fpm.sock)" "the agent's verdict, unjudged"
assert_eq 0 "$(count catalog.unknown)" "no catalog findings without a catalog section"
conf 1h
coll catalog refresh
assert_eq 0 "$STATUS" "refresh: $OUT $ERR"
show
assert_eq "php.eol" "$(code_of php7.4-fpm.sock)" "the agent's php.security_only dropped for php.eol"
assert_eq "wp.core_insecure" "$(code_of /ondisk/wordpress)" "judged by the refresh"

note "serve: evaluation on ingest, and its own refresh"
rm -rf "$TMP/catalog" "$TMP/collector.db"
conf 1h
coll agent add web01
TOKEN=$OUT
start_collector "$PORT"
# the round at start reads every feed (none was read within refresh: 1h)
wait_until 30 sh -c "! '$COLLECTOR' --config '$COLL_CONF' catalog status | grep -q 'never read'" ||
	fail "serve did not refresh the catalog: $(cat "$TMP/serve.log")"
coll catalog status
assert_eq 15 "$(echo "$OUT" | grep -c ' current ')" "every feed read by serve: $OUT"
req /api/v1/reports -H "Content-Type: application/json" -H "Authorization: Bearer $TOKEN" \
	--data-binary "@$TMP/doc.json"
assert_eq 201 "$CODE" "posted: $BODY"
show
assert_eq "wp.core_insecure" "$(code_of /ondisk/wordpress)" "evaluated on ingest over HTTPS"
grep -q "catalog: wordpress-core updated" "$TMP/serve.log" ||
	fail "serve did not log its refresh: $(cat "$TMP/serve.log")"
echo "PASS"
