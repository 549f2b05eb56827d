#!/bin/sh
# The cms check on Debian's wordpress package (the real code, with its
# wp-config.php pointing WP_CONTENT_DIR at /var/lib/wordpress/wp-content)
# and on a copy with awkward plugins added: the inventory must equal what
# WordPress's own get_file_data() and directory walks find
# (bench/wp-inventory.php runs them with php-cli). Then the shared
# fixture trees, one level below a docroot.
. "$(dirname "$0")/lib.sh"

[ -r /usr/share/wordpress/wp-includes/version.php ] || skip "Debian's wordpress is not installed"
need php
need jq

# A second WordPress: Debian's hard-linked, plus plugins and themes that test the edges.
WP=$TMP/www/blog
mkdir -p "$TMP/www"
cp -al /usr/share/wordpress "$WP"
rm "$WP/wp-config.php"
rm -rf "$WP/wp-content"
mkdir -p "$WP/wp-content/plugins" "$WP/wp-content/themes" "$WP/wp-content/mu-plugins"
cp -a /usr/share/wordpress/wp-content/plugins/akismet "$WP/wp-content/plugins/"
P=$WP/wp-content/plugins
printf '<?php\r/*\rPlugin Name: CR Only\rVersion: 0.9\r*/\r' >"$P/cr-only.php"
printf '<?php\n/**\n * plugin name:   Lower Case  \n * VERSION: 2.0-beta1 ?> x\n */\n' >"$P/lower.php"
mkdir -p "$P/multi" "$P/empty-dir" "$P/.hidden"
printf '<?php /* Plugin Name: Multi A\nVersion: 1 */' >"$P/multi/a.php"
printf '<?php /* Plugin Name: Multi B\nVersion: 2 */' >"$P/multi/b.php"
printf '<?php // not a plugin\n' >"$P/multi/helper.php"
printf '<?php /* Plugin Name: Hidden */' >"$P/.hidden/h.php"
printf '<?php\n/* Plugin Name: <b>Bold</b> & "Quoted"\nVersion: 3 */\n' >"$P/html.php"
head -c 20000 /dev/urandom >"$P/junk.php"
{ printf '<?php\n'; head -c 9000 /dev/zero | tr '\0' ' '; printf '\n/* Plugin Name: Too Late */\n'; } >"$P/late.php"
printf '<?php\n/* Plugin Name: MU One\n */\n' >"$WP/wp-content/mu-plugins/one.php"
printf '<?php\n' >"$WP/wp-content/mu-plugins/index.php"
printf '<?php /* Plugin Name: Cache Drop-in\nVersion: 1.1 */' >"$WP/wp-content/advanced-cache.php"
mkdir -p "$WP/wp-content/themes/folder/inner" "$WP/wp-content/themes/child"
printf '/*\nTheme Name: Inner\nVersion: 1\n*/' >"$WP/wp-content/themes/folder/inner/style.css"
printf '/*\nTheme Name: Child\nTemplate: twentytwentythree\nVersion: 0.1\n*/' \
	>"$WP/wp-content/themes/child/style.css"
cp -a /usr/share/wordpress/wp-content/themes/twentytwentythree "$WP/wp-content/themes/"

cat >"$TMP/agent.yaml" <<EOF
agent: {state_dir: $TMP/state, workers: 4}
discover: {nginx: false, apache: false}
sites:
  - {name: debian.test, docroot: /usr/share/wordpress}
  - {name: blog.test, docroot: $TMP/www}
  - {name: fixtures.test, docroot: $SHARED/catalog/fixtures/ondisk}
  - {name: empty.test, docroot: $TMP/state}
  - {name: gone.test, docroot: $TMP/nowhere}
EOF
mkdir -p "$TMP/state"
run_agent --config "$TMP/agent.yaml" --only cms --format json check
assert_eq 1 "$STATUS" "exit status (gone.test's docroot is a warning)"
"$SCHEMA_CHECK" "$SRC/docs/report-schema.md" <"$TMP/out" || fail "the document does not match the schema"

inventory() { # SITE: kind, key (slug for cores), name, version as the PHP script prints them
	jqo --arg s "$1" '.sites[] | select(.name == $s) | .inventory[]
		| select(.kind | startswith("wordpress"))
		| [.kind, (.key // .slug), .name, .version] | @tsv' | LC_ALL=C sort
}
note "Debian's wordpress: as WordPress itself reads it"
php "$SRC/bench/wp-inventory.php" /usr/share/wordpress=/var/lib/wordpress/wp-content |
	LC_ALL=C sort >"$TMP/php-debian"
inventory debian.test >"$TMP/huolto-debian"
diff -u "$TMP/php-debian" "$TMP/huolto-debian" || fail "debian.test differs from WordPress"
[ "$(wc -l <"$TMP/huolto-debian")" -ge 5 ] || fail "too few items for Debian's wordpress"

note "a subdirectory install with awkward plugins"
php "$SRC/bench/wp-inventory.php" "$WP" | LC_ALL=C sort >"$TMP/php-blog"
inventory blog.test >"$TMP/huolto-blog"
diff -u "$TMP/php-blog" "$TMP/huolto-blog" || fail "blog.test differs from WordPress"
assert_contains "$(cat "$TMP/huolto-blog")" 'wordpress-plugin	html.php	<b>Bold</b> & "Quoted"	3' "HTML kept as text"
skipped=$(jqo '.sites[] | select(.name == "blog.test") | .findings[] | select(.code == "cms.ok") | .facts.skipped[].path')
assert_contains "$skipped" "plugins/empty-dir" "an empty plugin directory is skipped with a reason"

note "the shared fixtures, one level down"
assert_eq "drupal-core 10.3.6,drupal-core 7.101,joomla-core 2.5.5,joomla-core 3.6.5,joomla-core 5.2.3,wordpress-core 6.6.2" \
	"$(jqo '[.sites[] | select(.name == "fixtures.test") | .inventory[] | select(.kind | endswith("-core")) | "\(.kind) \(.version)"] | sort | join(",")')" "cores"

note "one worker: the same sites, findings and inventory as four"
sed 's/workers: 4/workers: 1/' "$TMP/agent.yaml" >"$TMP/agent1.yaml"
cp "$TMP/out" "$TMP/out4"
run_agent --config "$TMP/agent1.yaml" --only cms --format json check
# The sites' origins name the configuration file, which differs.
jq -S '.sites | map(del(.origins))' "$TMP/out4" >"$TMP/sites4"
jq -S '.sites | map(del(.origins))' "$TMP/out" >"$TMP/sites1"
diff -u "$TMP/sites4" "$TMP/sites1" | head -40 >&2
cmp -s "$TMP/sites4" "$TMP/sites1" || fail "workers: 1 and workers: 4 differ"

note "no CMS, and a docroot that is not there"
assert_eq "cms.none_found ok" "$(jqo '.sites[] | select(.name == "empty.test") | .findings[] | "\(.code) \(.status)"')" "empty.test"
assert_eq "cms.unreadable warning" "$(jqo '.sites[] | select(.name == "gone.test") | .findings[] | "\(.code) \(.status)"')" "gone.test"
echo PASS
