# The catalog tests' feed server: Debian's nginx over HTTPS (a test CA made
# here) serving the real-format bodies of ../shared/catalog/fixtures and
# broken variants. start_feeds sets FIX, PKI, WWW, FEED_PORT, B (the base URL)
# and WF_TOKEN (the token the Wordfence route wants).

start_feeds() {
	FIX=$SHARED/catalog/fixtures
	PKI=$TMP/pki
	WWW=$TMP/www
	mkdir -p "$PKI" "$WWW" "$TMP/run"
	make_ca ca
	issue_cert ca feeds.test serverAuth
	make_ca other

	# What nginx serves: the fixtures under the names the routes below rewrite to.
	cp "$FIX/wordpress/core-stable-check-1.0.json" "$WWW/stable-check.json"
	cp "$FIX/php-net/releases-branches.json" "$WWW/branches.json"
	for p in php mysql mariadb drupal joomla; do
		cp "$FIX/endoflife/v0-$p.json" "$WWW/eol-$p.json"
	done
	# Joomla's targets.json as it is (it expired on 2026-11-18), and re-dated to
	# stay valid: the body is not signature-checked, so only expires matters.
	cp "$FIX/joomla/tuf-targets.json" "$WWW/tuf-expired.json"
	sed 's/"expires":"2026-11-18T18:57:57Z"/"expires":"2099-01-01T00:00:00Z"/' \
		"$FIX/joomla/tuf-targets.json" >"$WWW/tuf-targets.json"
	grep -q '"expires":"2099-01-01T00:00:00Z"' "$WWW/tuf-targets.json" ||
		fail "tuf-targets.json: expires not re-dated (the fixture changed?)"
	# WordPress.org's update checks (POST) and plugin information (404 with a body).
	cp "$FIX/wordpress/plugins-update-check-1.1.mixed.json" "$WWW/wp-plugins.json"
	cp "$FIX/wordpress/themes-update-check-1.1.update-found.json" "$WWW/wp-themes.json"
	cp "$FIX/wordpress/plugins-info-1.2.closed.json" "$WWW/wp-info-closed.json"
	cp "$FIX/wordpress/plugins-info-1.2.not-found.json" "$WWW/wp-info-not-found.json"
	# drupal.org's release history; an unknown project is a 200 with <error>, as there.
	cp "$FIX/drupal/release-history-drupal-current.COMPOSED.xml" "$WWW/dr-drupal.xml"
	cp "$FIX/drupal/release-history-token-current.COMPOSED.xml" "$WWW/dr-token.xml"
	cp "$FIX/drupal/release-history-unknown-project.xml" "$WWW/dr-unknown.xml"
	# Joomla's XML update files (composed: ../shared has no real body of them), and a
	# vendor's truncated one.
	cp "$HUOLTO_SRC/tests/fixtures/joomla/core-list.COMPOSED.xml" "$WWW/core-list.xml"
	mkdir -p "$WWW/jext"
	cp "$HUOLTO_SRC/tests/fixtures/joomla/pkg-akeeba.COMPOSED.xml" "$WWW/jext/pkgakeeba.xml"
	cp "$HUOLTO_SRC/tests/fixtures/joomla/collection.COMPOSED.xml" "$WWW/jext/collection.xml"
	head -c 300 "$WWW/jext/pkgakeeba.xml" >"$WWW/jext/broken.xml"
	# Wordfence Intelligence v3: only with the token (WF_TOKEN), as there.
	WF_TOKEN=wf-test-token-5f1d9c
	cp "$FIX/wordfence/production.sample.json" "$WWW/wf-production.json"
	echo '<html><body>Service temporarily unavailable</body></html>' >"$WWW/page.html"
	# 200 KiB of valid JSON: over a 64 KiB max_body.
	{
		printf '['
		i=0
		while [ $i -lt 2000 ]; do
			printf '{"branch":"8.%d","latest":"8.%d.1","state":"stable","pad":"%s"},' $i $i \
				"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			i=$((i + 1))
		done
		printf '{"branch":"9.0"}]'
	} >"$WWW/big.json"

	# nginx's workers (nobody, when the test runs as root) read the bodies.
	chmod 711 "$TMP"
	chmod -R a+rX "$WWW"

	FEED_PORT=$(free_port)
	cat >"$TMP/nginx.conf" <<-CONF
	pid $TMP/run/nginx.pid;
	error_log $TMP/nginx-error.log;
	events {}
	http {
		log_format feeds '\$request_method \$request_uri \$status ce=\$sent_http_content_encoding inm=\$http_if_none_match ct=\$content_type';
		access_log $TMP/access.log feeds;
		types { application/json json; text/html html; application/xml xml; }
		default_type application/octet-stream;
		gzip on;
		gzip_types application/json;
		gzip_min_length 1;
		server {
			listen 127.0.0.1:$FEED_PORT ssl;
			ssl_certificate $PKI/feeds.test.pem;
			ssl_certificate_key $PKI/feeds.test.key;
			root $WWW;
			location = /wporg/core/stable-check/1.0/ { rewrite ^ /stable-check.json break; }
			# A POST answered with a static body: error_page redirects as a GET (and is logged so).
			location = /wporg/plugins/update-check/1.1/ { error_page 405 =200 /wp-plugins.json; return 405; }
			location = /wporg/themes/update-check/1.1/ { error_page 405 =200 /wp-themes.json; return 405; }
			location = /wporg/plugins/info/1.2/ {
				set \$info not-found;
				if (\$arg_slug = "contact-form-7-datepicker") { set \$info closed; }
				error_page 404 /wp-info-\$info.json;
				return 404;
			}
			location /drupal/ {
				rewrite ^/drupal/(drupal|token)/current\$ /dr-\$1.xml break;
				rewrite ^ /dr-unknown.xml break;
			}
			location = /wf/production {
				if (\$http_authorization != "Bearer $WF_TOKEN") { return 401; }
				rewrite ^ /wf-production.json break;
			}
			location = /php/branches.php { rewrite ^ /branches.json break; }
			location = /joomla/cms/targets.json { rewrite ^ /tuf-targets.json break; }
			location = /joomla-expired/cms/targets.json { rewrite ^ /tuf-expired.json break; }
			location = /joomla/core/list.xml { rewrite ^ /core-list.xml break; }
			location /eol/ { rewrite ^/eol/(\\w+)\\.json\$ /eol-\$1.json break; }
			location /s429/ { add_header Retry-After 1800 always; return 429; }
			location /s500/ { return 500; }
			location /s410/ { return 410; }
			location /html/ { rewrite ^ /page.html break; }
			location /big/ { rewrite ^ /big.json break; }
			location /slow/ { gzip off; limit_rate 200; rewrite ^ /branches.json break; }
		}
	}
	CONF
	nginx -t -c "$TMP/nginx.conf" 2>"$TMP/nginx-t.log" || fail "nginx -t: $(cat "$TMP/nginx-t.log")"
	nginx -c "$TMP/nginx.conf" -g 'daemon off;' 2>>"$TMP/nginx.stderr" &
	track $!
	wait_port "$FEED_PORT" || fail "nginx did not start: $(cat "$TMP/nginx-error.log" "$TMP/nginx.stderr")"
	B=https://127.0.0.1:$FEED_PORT
}
