#!/bin/sh
# The db check against Debian's mariadb-server, started here with its own
# data directory, socket and port: credentials read from real-format
# wp-config.php (from WordPress's own wp-config-sample.php), Drupal
# settings.php and Joomla configuration.php; connections held open from
# here to cross each threshold; a refused connection for
# db.connections_refused; and no password anywhere in what the agent wrote.
. "$(dirname "$0")/lib.sh"

SAMPLE=/usr/share/wordpress/wp-config-sample.php
[ -r $SAMPLE ] || skip "Debian's wordpress is not installed"

start_mariadb 40
PORT=$DB_PORT
SOCK=$DB_SOCK

# Passwords with characters that need escaping in PHP; none may leak.
PW_WP='Wp-S3cr3t!#x'
PW_DR='Dr-S3cr3t$y'
PW_JO='Jo-S3cr3t%z'
PW_FILL='Fill-S3cr3t'
sql "CREATE USER wp@'%' IDENTIFIED BY '$PW_WP' WITH MAX_USER_CONNECTIONS 10;
CREATE USER wp@localhost IDENTIFIED BY '$PW_WP' WITH MAX_USER_CONNECTIONS 10;
CREATE USER drupal@'%' IDENTIFIED BY '$PW_DR' WITH MAX_USER_CONNECTIONS 20;
CREATE USER joomla@localhost IDENTIFIED BY '$PW_JO';
CREATE USER filler@localhost IDENTIFIED BY '$PW_FILL';
CREATE DATABASE wordpress; CREATE DATABASE drupal; CREATE DATABASE joomla;
GRANT ALL ON wordpress.* TO wp@'%'; GRANT ALL ON wordpress.* TO wp@localhost;
GRANT ALL ON drupal.* TO drupal@'%'; GRANT ALL ON joomla.* TO joomla@localhost;"

# WordPress: the sample file with its values filled in, DB_HOST as host:port.
mkwp() { # DIR DB_HOST PASSWORD
	mkdir -p "$1/wp-includes"
	printf "<?php\n\$wp_version = '6.6.2';\n" >"$1/wp-includes/version.php"
	sed -e "s/database_name_here/wordpress/" -e "s/username_here/wp/" \
		-e "s|password_here|$3|" -e "s|'localhost'|'$2'|" $SAMPLE >"$1/wp-config.php"
}
mkwp "$TMP/www/wp" "127.0.0.1:$PORT" "$PW_WP"
# A second WordPress, through the socket (host:/path form), its config one level up.
mkdir -p "$TMP/www/wpsock/public"
mkwp "$TMP/www/wpsock/public" "localhost:$SOCK" "$PW_WP"
mv "$TMP/www/wpsock/public/wp-config.php" "$TMP/www/wpsock/wp-config.php"
# Wrong password, and a port where nothing listens.
mkwp "$TMP/www/wpbad" "127.0.0.1:$PORT" "not-the-password"
mkwp "$TMP/www/wpdown" "127.0.0.1:$(free_port)" "$PW_WP"

# Drupal 10: settings.php in the shape of default.settings.php, the example in a comment first.
mkdir -p "$TMP/www/drupal/core/lib" "$TMP/www/drupal/sites/default"
printf "<?php\nclass Drupal { const VERSION = '10.3.6'; }\n" >"$TMP/www/drupal/core/lib/Drupal.php"
cat >"$TMP/www/drupal/sites/default/settings.php" <<EOF
<?php
/**
 * Database settings:
 * @code
 * \$databases['default']['default'] = [
 *   'database' => 'databasename',
 *   'username' => 'sqlusername',
 *   'password' => 'sqlpassword',
 *   'host' => 'localhost',
 * ];
 * @endcode
 */
\$databases = [];
\$databases['default']['default'] = array (
  'database' => 'drupal',
  'username' => 'drupal',
  'password' => '$PW_DR',
  'prefix' => '',
  'host' => '127.0.0.1',
  'port' => '$PORT',
  'isolation_level' => 'READ COMMITTED',
  'driver' => 'mysql',
  'namespace' => 'Drupal\\\\mysql\\\\Driver\\\\Database\\\\mysql',
  'autoload' => 'core/modules/mysql/src/Driver/Database/mysql/',
);
\$settings['hash_salt'] = 'x';
EOF
# Joomla 5: configuration.php, the socket in host:/path form.
mkdir -p "$TMP/www/joomla/libraries/src"
printf "<?php\nfinal class Version { public const MAJOR_VERSION = 5; public const MINOR_VERSION = 2;\npublic const PATCH_VERSION = 3; public const EXTRA_VERSION = ''; }\n" \
	>"$TMP/www/joomla/libraries/src/Version.php"
cat >"$TMP/www/joomla/configuration.php" <<EOF
<?php
class JConfig {
	public \$offline = false;
	public \$dbtype = 'mysqli';
	public \$host = 'localhost:$SOCK';
	public \$user = 'joomla';
	public \$password = '$PW_JO';
	public \$db = 'joomla';
	public \$dbprefix = 'jos_';
	public \$secret = 'x';
}
EOF

cat >"$TMP/agent.yaml" <<EOF
agent: {state_dir: $TMP/state}
discover: {nginx: false, apache: false}
sites:
  - {name: wp.test, docroot: $TMP/www/wp}
  - {name: wpsock.test, docroot: $TMP/www/wpsock/public}
  - {name: wpbad.test, docroot: $TMP/www/wpbad}
  - {name: wpdown.test, docroot: $TMP/www/wpdown}
  - {name: drupal.test, docroot: $TMP/www/drupal}
  - {name: joomla.test, docroot: $TMP/www/joomla}
db: {connect_timeout: 2s, read_timeout: 5s}
EOF
ALL_OUTPUT=$TMP/all-output
: >"$ALL_OUTPUT"
check() { # runs the db check, keeps everything it wrote
	run_agent --config "$TMP/agent.yaml" --only db --format json check
	printf '%s\n%s\n' "$OUT" "$ERR" >>"$ALL_OUTPUT"
}
codes() { jqo ".sites[] | select(.name == \"$1\") | [.findings[].code] | sort | join(\",\")"; }
finding() { jqo ".sites[] | select(.name == \"$1\") | .findings[] | select(.code == \"$2\") | $3"; }

note "first run: every account read from its CMS configuration"
check
assert_eq "db.ok" "$(codes wp.test)" "wp.test (host:port)"
assert_eq "db.ok" "$(codes wpsock.test)" "wpsock.test (socket, wp-config.php one level up)"
assert_eq "db.ok" "$(codes drupal.test)" "drupal.test (settings.php)"
assert_eq "db.ok" "$(codes joomla.test)" "joomla.test (configuration.php)"
assert_eq "db.auth_failed" "$(codes wpbad.test)" "wrong password"
assert_eq "critical" "$(finding wpbad.test db.auth_failed .status)" "auth_failed status"
assert_eq "db.unreachable" "$(codes wpdown.test)" "nothing listening"
assert_eq "10" "$(finding wp.test db.ok .facts.max_user_connections_account)" "account limit"
assert_eq "40" "$(finding wp.test db.ok .facts.max_connections)" "max_connections"
assert_eq "MariaDB" "$(finding wp.test db.ok .facts.flavour)" "flavour"
assert_eq "true" "$(finding wp.test db.ok .facts.baseline)" "first run is the baseline"
assert_eq "wordpress" "$(finding wp.test db.ok .facts.database)" "DB_NAME"
test -s "$TMP/state/db-counters.json" || fail "no counters kept"

note "db.accounts: a monitoring account reports to the server; credentials that cannot be known"
printf '%s\n' "$PW_FILL" >"$TMP/filler.password"
chmod 600 "$TMP/filler.password"
mkdir -p "$TMP/www/wpenv/wp-includes"
printf "<?php\n\$wp_version = '6.6.2';\n" >"$TMP/www/wpenv/wp-includes/version.php"
printf "<?php\ndefine('DB_USER', getenv('DB_USER'));\n" >"$TMP/www/wpenv/wp-config.php"
cat >"$TMP/agent2.yaml" <<YAML
agent: {state_dir: $TMP/state2}
discover: {nginx: false, apache: false}
sites: [{name: wpenv.test, docroot: $TMP/www/wpenv}]
db:
  accounts:
    - {socket: $SOCK, user: filler, password_file: $TMP/filler.password}
    - {host: 127.0.0.1, port: $PORT, user: filler, password_file: $TMP/missing.password}
YAML
run_agent --config "$TMP/agent2.yaml" --only db --format json check
printf '%s\n%s\n' "$OUT" "$ERR" >>"$ALL_OUTPUT"
assert_eq "db.no_credentials,db.ok" "$(jqo '[.server.findings[].code] | sort | join(",")')" "server findings"
assert_eq "filler@localhost:$SOCK" "$(jqo '.server.findings[] | select(.code == "db.ok") | .target')" "account target"
assert_eq "db.no_credentials unknown" "$(jqo '.sites[0].findings[] | "\(.code) \(.status)"')" "an expression in wp-config.php"

# Hold N connections of USER open (each a client sleeping), then wait until
# the server has them. Over TCP, so that they belong to the account USER@'%'
# the agent uses (limits and processlists are per account, user@host).
HELD=""
hold() { # USER PASSWORD N
	before=$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER='$1'")
	i=0
	while [ $i -lt "$3" ]; do
		if [ "$1" = filler ]; then where="-S $SOCK"; else where="-h 127.0.0.1 -P $PORT"; fi
		# shellcheck disable=SC2086 # where is two options
		MYSQL_PWD=$2 mariadb --no-defaults $where -u "$1" -e "SELECT SLEEP(300)" \
			>/dev/null 2>&1 &
		HELD="$HELD $!"
		track $!
		i=$((i + 1))
	done
	want=$((before + $3))
	wait_until 20 sh -c "[ \$(mariadb --no-defaults -S '$SOCK' -u root -N -B -e \"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER='$1'\") -ge $want ]" ||
		fail "could not hold $3 connections of $1"
}
release() {
	for p in $HELD; do kill "$p" 2>/dev/null || true; done
	for p in $HELD; do wait "$p" 2>/dev/null || true; done
	HELD=""
	wait_until 20 sh -c "[ \$(mariadb --no-defaults -S '$SOCK' -u root -N -B -e \"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER IN ('wp','drupal','filler') OR INFO LIKE 'SELECT SLEEP%'\") -eq 0 ]" ||
		fail "held connections did not end"
}

note "the account's own limit: 8 of 10 is a warning"
hold wp "$PW_WP" 8
check
assert_eq "warning" "$(finding wp.test db.user_connections_near_limit .status)" "8/10"
assert_eq "8" "$(finding wp.test db.user_connections_near_limit .facts.used)" "used"
release

note "19 of drupal's 20 is critical"
hold drupal "$PW_DR" 19
check
assert_eq "critical" "$(finding drupal.test db.user_connections_near_limit .status)" "19/20"
release

note "all 10 of wp's held: the check's own connection is refused (1226)"
hold wp "$PW_WP" 10
check
assert_eq "critical" "$(finding wp.test db.user_connections_near_limit .status)" "10/10"
assert_eq "true" "$(finding wp.test db.user_connections_near_limit .facts.refused)" "refused"
release

note "max_connections: 33 of 40 in use is a warning"
hold filler "$PW_FILL" 32
check
assert_eq "warning" "$(finding joomla.test db.connections_near_limit .status)" "33/40"
assert_eq "current" "$(finding joomla.test db.connections_near_limit .facts.measure)" "measure"

note "38 of 40 is critical"
hold filler "$PW_FILL" 6
check
assert_eq "critical" "$(finding joomla.test db.connections_near_limit .status)" "38/40"

note "every connection taken: the next one is refused and counted"
# MariaDB keeps one connection beyond max_connections for an administrator
# and counts a refusal (Connection_errors_max_connections) only when that
# one is taken too: fill 40 with filler, the 41st with root, then knock.
# Top up to 40: a filler that races with this script's own root queries for
# the last slots is refused and simply tried again (at most 10 times).
i=0
while [ "$(sql "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER='filler'")" -lt 40 ]; do
	[ $i -lt 10 ] || fail "could not take all 40 connections"
	MYSQL_PWD=$PW_FILL mariadb --no-defaults -S "$SOCK" -u filler -e "SELECT SLEEP(300)" \
		>/dev/null 2>&1 &
	HELD="$HELD $!"
	track $!
	sleep 0.5
	i=$((i + 1))
done
mariadb --no-defaults -S "$SOCK" -u root -e "SELECT SLEEP(300)" >/dev/null 2>&1 &
HELD="$HELD $!"
track $!
sleep 1
for i in 1 2 3; do
	refused=$(MYSQL_PWD=$PW_FILL mariadb --no-defaults -S "$SOCK" -u filler -e "SELECT 1" 2>&1 || true)
	assert_contains "$refused" "Too many connections" "connection $((40 + i)) of 40"
	sleep 0.3
done
release
[ "$(sql "SHOW GLOBAL STATUS LIKE 'Connection_errors_max_connections'" | cut -f2)" -gt 0 ] ||
	fail "the server counted no refusal"
check
assert_eq "critical" "$(finding joomla.test db.connections_refused .status)" "refused since last run"
assert_eq "critical" "$(finding joomla.test db.connections_near_limit .status)" "the peak stays"
assert_eq "peak" "$(finding joomla.test db.connections_near_limit .facts.measure)" "measure"
note "the next run: nothing new was refused"
check
[ -z "$(finding joomla.test db.connections_refused .status)" ] || fail "refusal reported twice"

note "no password in anything the agent wrote"
cat "$TMP/state/db-counters.json" >>"$ALL_OUTPUT"
for pw in "$PW_WP" "$PW_DR" "$PW_JO" "$PW_FILL"; do
	! grep -qF -- "$pw" "$ALL_OUTPUT" || fail "a password appears in the agent's output"
done
echo "PASS"
