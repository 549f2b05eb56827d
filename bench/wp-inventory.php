<?php
// The inventory of WordPress trees as WordPress itself takes it: its own
// get_file_data() and _cleanup_header_comment(), lifted at run time from
// the wp-includes/functions.php of Debian's wordpress package (so this is
// WordPress's code, not a copy of ours), and the directory walks of
// get_plugins(), get_mu_plugins(), _get_dropins() and
// search_theme_directories(). Used by tests/integration/cms.sh to check
// huolto against WordPress, and by bench/cms.sh as the PHP peer.
//
//   php wp-inventory.php WP_ROOT[=CONTENT_DIR] ...
// prints one line per item: kind<TAB>key<TAB>name<TAB>version

$functions = getenv('WP_FUNCTIONS') ?: '/usr/share/wordpress/wp-includes/functions.php';
$src = file_get_contents($functions);
foreach (['get_file_data', '_cleanup_header_comment'] as $fn) {
	if (!preg_match('/^function ' . $fn . '\(.*?^}$/ms', $src, $m))
		exit("cannot find $fn in $functions\n");
	eval($m[0]);
}
define('KB_IN_BYTES', 1024);
function apply_filters($hook, $value) { return $value; }

$plugin_headers = ['Name' => 'Plugin Name', 'Version' => 'Version'];
$theme_headers = ['Name' => 'Theme Name', 'Version' => 'Version'];
$out = [];

function emit($kind, $key, $d) {
	global $out;
	$out[] = "$kind\t$key\t{$d['Name']}\t{$d['Version']}";
}

foreach (array_slice($argv, 1) as $arg) {
	@list($root, $content) = explode('=', $arg, 2);
	$vp = file_get_contents("$root/wp-includes/version.php");
	if (preg_match("/\\\$wp_version = '([^']*)'/", $vp, $m))
		$out[] = "wordpress-core\twordpress\tWordPress\t{$m[1]}";
	$content = $content ?: "$root/wp-content";

	// get_plugins(): top-level *.php, and *.php one level inside each directory.
	$dir = "$content/plugins";
	$files = [];
	foreach (@scandir($dir) ?: [] as $e) {
		if ($e[0] === '.')
			continue;
		if (is_dir("$dir/$e")) {
			foreach (@scandir("$dir/$e") ?: [] as $s)
				if ($s[0] !== '.' && substr($s, -4) === '.php')
					$files[] = "$e/$s";
		} elseif (substr($e, -4) === '.php') {
			$files[] = $e;
		}
	}
	foreach ($files as $f) {
		if (!is_readable("$dir/$f"))
			continue;
		$d = get_file_data("$dir/$f", $plugin_headers, 'plugin');
		if (!empty($d['Name']))
			emit('wordpress-plugin', $f, $d);
	}
	// get_mu_plugins()
	$dir = "$content/mu-plugins";
	foreach (@scandir($dir) ?: [] as $e) {
		if ($e[0] === '.' || substr($e, -4) !== '.php' || !is_file("$dir/$e"))
			continue;
		if ($e === 'index.php' && filesize("$dir/$e") <= 30)
			continue;
		$d = get_file_data("$dir/$e", $plugin_headers, 'plugin');
		if (empty($d['Name']))
			$d['Name'] = $e;
		emit('wordpress-mu-plugin', $e, $d);
	}
	// _get_dropins() (single site)
	foreach (['advanced-cache.php', 'db.php', 'db-error.php', 'install.php', 'maintenance.php',
		  'object-cache.php', 'php-error.php', 'fatal-error-handler.php'] as $e) {
		if (!is_file("$content/$e"))
			continue;
		$d = get_file_data("$content/$e", $plugin_headers, 'plugin');
		if (empty($d['Name']))
			$d['Name'] = $e;
		emit('wordpress-dropin', $e, $d);
	}
	// search_theme_directories(): dir/style.css, else dir/sub/style.css
	$dir = "$content/themes";
	foreach (@scandir($dir) ?: [] as $e) {
		if ($e[0] === '.' || $e === 'CVS' || !is_dir("$dir/$e"))
			continue;
		$keys = file_exists("$dir/$e/style.css") ? [$e] : [];
		if (!$keys)
			foreach (@scandir("$dir/$e") ?: [] as $s)
				if ($s[0] !== '.' && $s !== 'CVS' && file_exists("$dir/$e/$s/style.css"))
					$keys[] = "$e/$s";
		foreach ($keys as $k) {
			$d = get_file_data("$dir/$k/style.css", $theme_headers, 'theme');
			if (!empty($d['Name']))
				emit('wordpress-theme', $k, $d);
		}
	}
}
sort($out);
echo implode("\n", $out), $out ? "\n" : '';
