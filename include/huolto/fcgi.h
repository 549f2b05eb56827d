/* SPDX-License-Identifier: MIT */
/*
 * FastCGI addresses, as web servers name the PHP-FPM serving a site and as
 * PHP-FPM pools name what they listen on, in one normal form:
 *
 *   "unix:/run/php/php8.2-fpm.sock"
 *   "tcp:127.0.0.1:9000", "tcp:[::1]:9000", "tcp:localhost:9000"
 *   "tcp:*:9000"   (a pool listening on every address)
 */
#ifndef HUOLTO_FCGI_H
#define HUOLTO_FCGI_H

#include <stdbool.h>

/*
 * Normalize what a configuration says: nginx fastcgi_pass ("unix:/x.sock",
 * "127.0.0.1:9000"), Apache ("unix:/x.sock|fcgi://localhost",
 * "fcgi://127.0.0.1:9000/var/www/$1"), or an FPM listen ("/x.sock",
 * "9000", "[::]:9000"). Returns 0 and a string the caller frees, or -EINVAL.
 */
int hu_fcgi_normalize(const char *raw, char **ret);

/* Whether a site's handler reaches a pool listening on listen (both normalized). */
bool hu_fcgi_match(const char *handler, const char *listen);

#endif
