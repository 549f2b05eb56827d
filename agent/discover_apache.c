/* SPDX-License-Identifier: MIT */
/*
 * Apache httpd configuration, read as Apache reads it: logical lines
 * (backslash continuation), quoted arguments, sections, Include and
 * IncludeOptional with globs and directories, Define and ${VAR}, and
 * <IfModule>/<IfDefine> evaluated against the modules loaded and names
 * defined so far. Virtual hosts inherit the main server's DocumentRoot,
 * certificates and PHP handlers, as Apache merges them after reading.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discover.h"
#include "huolto/buf.h"
#include "huolto/fcgi.h"

#define APACHE_MAX_SECTIONS 64
#define APACHE_MAX_ARGS     64
#define APACHE_MAX_LINE     65536

struct vhost {
	struct hu_site *site; /* files, docroot and handlers collected here */
	struct hu_strv names;
	unsigned ports[32];
	size_t n_ports;
	bool ssl;
	const char *file;
	unsigned line;
};

struct section {
	char name[32];
	bool active;
};

struct apache {
	struct discover_ctx *ctx;
	char *server_root;
	struct hu_strv modules; /* keys of loaded modules ("ssl", "php", ...) */
	struct hu_strv defines; /* "NAME" or "NAME=value" */
	struct hu_site *global; /* the main server's settings */
	struct vhost *vhosts;
	size_t n_vhosts;
	struct vhost *cur;
	struct section sections[APACHE_MAX_SECTIONS];
	size_t n_sections;
	struct hu_strv files; /* owns file names that vhosts point at */
	struct hu_strv stack; /* files being read: include loops */
};

/* Modules compiled into Debian's apache2 binary. */
static const char *const builtin_modules[] = { "core",  "so",      "watchdog", "http", "log_config",
					       "logio", "version", "unixd",    NULL };

/* "mod_ssl.c" / "ssl_module" → "ssl"; every PHP module → "php". */
static void module_key(const char *name, char *key, size_t len)
{
	size_t n = strlen(name);
	const char *s = name;

	if (n > 2 && strcmp(name + n - 2, ".c") == 0) {
		n -= 2;
		if (n > 4 && strncmp(s, "mod_", 4) == 0) {
			s += 4;
			n -= 4;
		}
	} else if (n > 7 && strcmp(name + n - 7, "_module") == 0) {
		n -= 7;
	}
	if (n >= 3 && strncmp(s, "php", 3) == 0)
		n = 3;
	if (n >= len)
		n = len - 1; /* no module name is that long; a cut one matches nothing */
	memcpy(key, s, n);
	key[n] = '\0';
}

static bool module_loaded(const struct apache *ap, const char *name)
{
	char key[128];

	module_key(name, key, sizeof(key));
	for (const char *const *b = builtin_modules; *b; b++)
		if (strcmp(*b, key) == 0)
			return true;
	return hu_strv_contains(&ap->modules, key);
}

static const char *define_value(const struct apache *ap, const char *name, size_t n)
{
	for (size_t i = 0; i < ap->defines.n; i++) {
		const char *d = ap->defines.v[i];
		if (strncmp(d, name, n) == 0 && (d[n] == '\0' || d[n] == '='))
			return d[n] == '=' ? d + n + 1 : "";
	}
	return NULL;
}

static bool defined(const struct apache *ap, const char *name)
{
	return define_value(ap, name, strlen(name)) != NULL;
}

static bool active(const struct apache *ap)
{
	return ap->n_sections == 0 || ap->sections[ap->n_sections - 1].active;
}

/* Split a logical line into arguments, with quotes and ${VAR} expansion. */
static int split_args(const struct apache *ap, const char *line, struct hu_strv *args)
{
	const char *p = line;

	while (*p) {
		struct hu_buf w = HU_BUF_INIT(APACHE_MAX_LINE);
		char q = 0;
		int r = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (*p == '"' || *p == '\'')
			q = *p++;
		for (; *p && r >= 0; p++) {
			if (q ? *p == q : isspace((unsigned char)*p))
				break;
			if (*p == '\\' && p[1] && (p[1] == q || p[1] == '\\')) {
				p++;
				r = hu_buf_append(&w, p, 1);
				continue;
			}
			if (p[0] == '$' && p[1] == '{') {
				const char *e = strchr(p + 2, '}');
				const char *v =
				    e ? define_value(ap, p + 2, (size_t)(e - p - 2)) : NULL;
				if (v) {
					r = hu_buf_append(&w, v, strlen(v));
					p = e;
					continue;
				}
			}
			r = hu_buf_append(&w, p, 1);
		}
		if (q && *p == q)
			p++;
		if (r >= 0)
			r = hu_buf_append(&w, "", 0);
		if (r >= 0)
			r = args->n >= APACHE_MAX_ARGS ? -E2BIG
						       : hu_strv_push_owned(args, hu_buf_steal(&w));
		hu_buf_clear(&w);
		if (r < 0)
			return r;
	}
	return 0;
}

static char *root_path(const struct apache *ap, const char *p)
{
	return discover_path(ap->server_root, p);
}

static int read_file(struct apache *ap, const char *path, unsigned depth);

static int do_include(struct apache *ap, const char *file, unsigned line, const char *pattern,
		      bool optional, unsigned depth)
{
	struct hu_strv matches = HU_STRV_INIT;
	struct hu_err err = HU_ERR_INIT;
	char *abs = root_path(ap, pattern);
	bool wild = strpbrk(pattern, "*?[") != NULL;
	int r;

	if (!abs)
		return -ENOMEM;
	if (depth >= DISCOVER_MAX_DEPTH) {
		discover_problem(ap->ctx, "discovery.limit", file, line,
				 "Include %s: includes nested deeper than %d", pattern,
				 DISCOVER_MAX_DEPTH);
		free(abs);
		return 0;
	}
	r = hu_host_glob(ap->ctx->host, abs, DISCOVER_MAX_GLOB, &matches, &err);
	if (r == -E2BIG)
		discover_problem(ap->ctx, "discovery.limit", file, line, "Include %s: %s", pattern,
				 hu_err_msg(&err));
	hu_err_clear(&err);
	if (r == -ENOMEM)
		goto out;
	if (matches.n == 0 && !optional)
		discover_problem(ap->ctx, "discovery.unreadable", file, line, "Include %s: %s",
				 pattern, wild ? "no file matches" : "no such file");
	r = 0;
	for (size_t i = 0; i < matches.n && r >= 0; i++) {
		struct hu_stat st;
		if (hu_host_stat(ap->ctx->host, matches.v[i], true, &st, NULL) == 0 &&
		    st.type == HU_FILE_DIR) {
			/* A directory: every file in it and below, in order. */
			char *sub = NULL;
			if (asprintf(&sub, "%s/*", matches.v[i]) < 0) {
				r = -ENOMEM;
				break;
			}
			r = do_include(ap, file, line, sub, true, depth + 1);
			free(sub);
			continue;
		}
		r = read_file(ap, matches.v[i], depth + 1);
	}
out:
	hu_strv_clear(&matches);
	free(abs);
	return r == -ENOMEM ? r : 0;
}

/* "https://www.example.fi:443" → "www.example.fi" in place. */
static void bare_server_name(char *s)
{
	char *p = strstr(s, "://");
	if (p)
		memmove(s, p + 3, strlen(p + 3) + 1);
	if (s[0] != '[') {
		p = strchr(s, ':');
		if (p)
			*p = '\0';
	}
	p = strchr(s, '/');
	if (p)
		*p = '\0';
	for (p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static unsigned vhost_port(const char *addr)
{
	const char *p = addr[0] == '[' ? strchr(addr, ']') : addr;
	p = p ? strrchr(p, ':') : NULL;
	if (!p)
		return 80;
	unsigned long v = strtoul(p + 1, NULL, 10);
	return v > 0 && v <= 65535 ? (unsigned)v : 0;
}

static int add_path(const struct apache *ap, struct hu_strv *v, const char *p)
{
	char *abs = root_path(ap, p);
	if (!abs)
		return -ENOMEM;
	return hu_strv_push_owned(v, abs);
}

static int handler_from(struct hu_site *s, const char *value)
{
	char *norm = NULL;

	if (strchr(value, '$') && !strstr(value, "fcgi://"))
		return 0;
	if (hu_fcgi_normalize(value, &norm) < 0)
		return 0;
	return hu_strv_push_owned(&s->php_handlers, norm);
}

static int directive(struct apache *ap, const char *file, unsigned line, struct hu_strv *args,
		     unsigned depth)
{
	const char *d = args->v[0];
	size_t n = args->n;
	struct hu_site *s = ap->cur ? ap->cur->site : ap->global;

	if (!strcasecmp(d, "Include") || !strcasecmp(d, "IncludeOptional"))
		return n == 2 ? do_include(ap, file, line, args->v[1],
					   !strcasecmp(d, "IncludeOptional"), depth)
			      : 0;
	if (!strcasecmp(d, "Define") && n >= 2) {
		char *def = NULL;
		if (asprintf(&def, "%s%s%s", args->v[1], n >= 3 ? "=" : "",
			     n >= 3 ? args->v[2] : "") < 0)
			return -ENOMEM;
		return hu_strv_push_owned(&ap->defines, def);
	}
	if (!strcasecmp(d, "ServerRoot") && n == 2 && !ap->cur) {
		char *r = strdup(args->v[1]);
		if (!r)
			return -ENOMEM;
		free(ap->server_root);
		ap->server_root = r;
		return 0;
	}
	if (!strcasecmp(d, "LoadModule") && n >= 3) {
		char key[128];
		module_key(args->v[1], key, sizeof(key));
		int r = hu_strv_push_unique(&ap->modules, key);
		if (r >= 0 && strcmp(key, "php") == 0) {
			char *h = NULL, *so = root_path(ap, args->v[2]);
			if (!so || asprintf(&h, "module:%s", so) < 0) {
				free(so);
				return -ENOMEM;
			}
			free(so);
			hu_strv_clear(&ap->global->php_handlers); /* mod_php: the last one loaded */
			r = hu_strv_push_owned(&ap->global->php_handlers, h);
		}
		return r;
	}
	if (!strcasecmp(d, "DocumentRoot") && n == 2) {
		char *p = root_path(ap, args->v[1]);
		if (!p)
			return -ENOMEM;
		free(s->docroot);
		s->docroot = p;
		return 0;
	}
	if (!strcasecmp(d, "SSLCertificateFile") && n == 2)
		return add_path(ap, &s->cert_files, args->v[1]);
	if (!strcasecmp(d, "SSLCertificateKeyFile") && n == 2)
		return add_path(ap, &s->key_files, args->v[1]);
	if (!strcasecmp(d, "SSLCertificateChainFile") && n == 2)
		return add_path(ap, &s->chain_files, args->v[1]);
	if (!strcasecmp(d, "SetHandler") && n == 2 && !strncasecmp(args->v[1], "proxy:", 6))
		return handler_from(s, args->v[1]);
	if ((!strcasecmp(d, "ProxyPassMatch") || !strcasecmp(d, "ProxyPass")) && n >= 3 &&
	    strstr(args->v[2], "fcgi://"))
		return handler_from(s, args->v[2]);
	if (!ap->cur)
		return 0;
	if (!strcasecmp(d, "ServerName") && n == 2) {
		bare_server_name(args->v[1]);
		if (!hu_site_name_is_concrete(args->v[1]))
			return 0;
		/* ServerName is the primary name: put it first. */
		struct hu_strv names = HU_STRV_INIT;
		int r = hu_strv_push(&names, args->v[1]);
		if (r >= 0)
			r = hu_strv_merge(&names, &ap->cur->names);
		hu_strv_clear(&ap->cur->names);
		ap->cur->names = names;
		return r;
	}
	if (!strcasecmp(d, "ServerAlias")) {
		for (size_t i = 1; i < n; i++) {
			bare_server_name(args->v[i]);
			if (hu_site_name_is_concrete(args->v[i])) {
				int r = hu_strv_push_unique(&ap->cur->names, args->v[i]);
				if (r < 0)
					return r;
			}
		}
		return 0;
	}
	if (!strcasecmp(d, "SSLEngine") && n == 2)
		ap->cur->ssl = !strcasecmp(args->v[1], "on");
	return 0;
}

static int open_vhost(struct apache *ap, const char *file, unsigned line, struct hu_strv *args)
{
	struct vhost *v = realloc(ap->vhosts, (ap->n_vhosts + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	ap->vhosts = v;
	ap->cur = &ap->vhosts[ap->n_vhosts];
	*ap->cur = (struct vhost){ .names = HU_STRV_INIT, .file = file, .line = line };
	ap->cur->site = hu_site_new("_");
	if (!ap->cur->site) {
		ap->cur = NULL;
		return -ENOMEM;
	}
	ap->n_vhosts++;
	for (size_t i = 1; i < args->n && ap->cur->n_ports < 32; i++) {
		unsigned p = vhost_port(args->v[i]);
		if (p)
			ap->cur->ports[ap->cur->n_ports++] = p;
	}
	return 0;
}

/* Handle "<Name args>" and "</Name>". */
static int section_line(struct apache *ap, const char *file, unsigned line, char *text)
{
	bool closing = text[1] == '/';
	char *p = text + (closing ? 2 : 1);
	size_t n = strlen(p);
	struct hu_strv args = HU_STRV_INIT;
	int r = 0;

	if (n == 0 || p[n - 1] != '>') {
		discover_problem(ap->ctx, "discovery.syntax", file, line,
				 "section line does not end with \">\"");
		return 0;
	}
	p[n - 1] = '\0';
	r = split_args(ap, p, &args);
	if (r < 0 || args.n == 0)
		goto out;
	if (closing) {
		if (ap->n_sections == 0 ||
		    strcasecmp(ap->sections[ap->n_sections - 1].name, args.v[0]) != 0) {
			discover_problem(ap->ctx, "discovery.syntax", file, line,
					 "</%s> without matching <%s>", args.v[0], args.v[0]);
			goto out;
		}
		ap->n_sections--;
		if (!strcasecmp(args.v[0], "VirtualHost"))
			ap->cur = NULL;
		goto out;
	}
	if (ap->n_sections >= APACHE_MAX_SECTIONS) {
		discover_problem(ap->ctx, "discovery.limit", file, line,
				 "sections nested too deeply");
		goto out;
	}
	struct section *sec = &ap->sections[ap->n_sections];
	snprintf(sec->name, sizeof(sec->name), "%s", args.v[0]);
	sec->active = active(ap);
	const char *cond = args.n > 1 ? args.v[1] : "";
	bool neg = cond[0] == '!';
	if (!strcasecmp(args.v[0], "IfModule"))
		sec->active = sec->active && (module_loaded(ap, cond + neg) != neg);
	else if (!strcasecmp(args.v[0], "IfDefine"))
		sec->active = sec->active && (defined(ap, cond + neg) != neg);
	else if (!strcasecmp(args.v[0], "Macro"))
		sec->active = false; /* a definition, not configuration */
	ap->n_sections++;
	if (!strcasecmp(args.v[0], "VirtualHost") && sec->active) {
		if (ap->cur)
			discover_problem(ap->ctx, "discovery.syntax", file, line,
					 "<VirtualHost> inside <VirtualHost>");
		else
			r = open_vhost(ap, file, line, &args);
	}
out:
	hu_strv_clear(&args);
	return r;
}

static int read_file(struct apache *ap, const char *path, unsigned depth)
{
	const struct hu_file *f = NULL;
	struct hu_buf logical = HU_BUF_INIT(APACHE_MAX_LINE);
	size_t sections_at_start = ap->n_sections;
	unsigned line = 0, start_line = 0;
	const char *file;
	int r;

	if (hu_strv_contains(&ap->stack, path)) {
		discover_problem(ap->ctx, "discovery.limit", path, 0, "includes itself");
		return 0;
	}
	r = discover_read(ap->ctx, path, false, &f);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	r = hu_strv_push(&ap->files, path);
	if (r >= 0)
		r = hu_strv_push(&ap->stack, path);
	if (r < 0)
		goto out;
	file = ap->files.v[ap->files.n - 1];

	for (const char *p = f->data, *end = f->data + f->len; p < end && r >= 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		if (logical.len == 0)
			start_line = line;
		size_t len = (size_t)(le - p);
		if (len && p[len - 1] == '\r')
			len--;
		bool cont = len && p[len - 1] == '\\';
		if (hu_buf_append(&logical, p, cont ? len - 1 : len) < 0) {
			discover_problem(ap->ctx, "discovery.limit", file, start_line,
					 "line longer than %d bytes", APACHE_MAX_LINE);
			hu_buf_clear(&logical);
		}
		p = nl ? nl + 1 : end;
		if (cont && p < end)
			continue;
		char *s = logical.data ? logical.data : (char *)"";
		while (isspace((unsigned char)*s))
			s++;
		size_t sl = strlen(s);
		while (sl && isspace((unsigned char)s[sl - 1]))
			s[--sl] = '\0';
		if (*s && *s != '#') {
			if (*s == '<') {
				r = section_line(ap, file, start_line, s);
			} else if (active(ap)) {
				struct hu_strv args = HU_STRV_INIT;
				r = split_args(ap, s, &args);
				if (r == -E2BIG) {
					discover_problem(ap->ctx, "discovery.limit", file,
							 start_line, "more than %d arguments",
							 APACHE_MAX_ARGS);
					r = 0;
				} else if (r >= 0 && args.n) {
					r = directive(ap, file, start_line, &args, depth);
				}
				hu_strv_clear(&args);
			}
		}
		hu_buf_clear(&logical);
	}
	if (r >= 0 && ap->n_sections > sections_at_start) {
		discover_problem(ap->ctx, "discovery.syntax", file, line,
				 "<%s> is not closed at the end of the file",
				 ap->sections[ap->n_sections - 1].name);
		ap->n_sections = sections_at_start;
		ap->cur = NULL;
	}
	free(ap->stack.v[--ap->stack.n]);
	ap->stack.v[ap->stack.n] = NULL;
out:
	hu_buf_clear(&logical);
	return r == -ENOMEM ? r : 0;
}

/* A vhost becomes a site, with what it inherits from the main server. */
static int finish_vhost(struct apache *ap, struct vhost *v)
{
	struct hu_site *s = v->site;
	int r = 0;

	v->site = NULL;
	if (v->names.n == 0) {
		hu_site_free(s); /* no ServerName: answers for the main server's name */
		return 0;
	}
	free(s->name);
	s->name = strdup(v->names.v[0]);
	hu_strv_clear(&s->names);
	if (!s->name || hu_strv_merge(&s->names, &v->names) < 0)
		r = -ENOMEM;
	/* Certificates matter only where SSL is on; the DocumentRoot is filled
	 * in after merging (fill_docroots), so that a vhost's own one wins. */
	if (r >= 0 && v->ssl && s->cert_files.n == 0)
		r = hu_strv_merge(&s->cert_files, &ap->global->cert_files);
	if (r >= 0 && v->ssl && s->key_files.n == 0)
		r = hu_strv_merge(&s->key_files, &ap->global->key_files);
	if (r >= 0 && v->ssl && s->chain_files.n == 0)
		r = hu_strv_merge(&s->chain_files, &ap->global->chain_files);
	if (r >= 0 && s->php_handlers.n == 0)
		r = hu_strv_merge(&s->php_handlers, &ap->global->php_handlers);
	for (size_t p = 0; r >= 0 && v->ssl && p < v->n_ports; p++)
		for (size_t j = 0; r >= 0 && j < v->names.n; j++)
			r = hu_site_add_https(s, v->names.v[j], (uint16_t)v->ports[p]);
	if (r >= 0)
		r = hu_site_add_origin(s, "apache", v->file, v->line);
	if (r < 0) {
		hu_site_free(s);
		return r;
	}
	return discover_add_site(ap->ctx, s);
}

/* Apache sites without a DocumentRoot of their own get the main server's. */
static int fill_docroots(struct apache *ap)
{
	if (!ap->global->docroot)
		return 0;
	for (size_t i = 0; i < ap->ctx->sites->n; i++) {
		struct hu_site *s = ap->ctx->sites->v[i];
		bool from_apache = false;
		for (size_t j = 0; j < s->n_origins; j++)
			from_apache |= strcmp(s->origins[j].source, "apache") == 0;
		if (from_apache && !s->docroot && hu_site_set_docroot(s, ap->global->docroot) < 0)
			return -ENOMEM;
	}
	return 0;
}

int discover_apache(struct discover_ctx *ctx, const char *root)
{
	struct apache ap = { .ctx = ctx };
	struct hu_stat st;
	char *main_file = NULL;
	int r = 0;

	if (hu_host_stat(ctx->host, root, true, &st, NULL) < 0)
		return 0; /* Apache is not installed here */
	if (st.type == HU_FILE_DIR) {
		ap.server_root = strdup(root);
		main_file = discover_path(root, "apache2.conf");
		if (main_file && hu_host_stat(ctx->host, main_file, true, &st, NULL) < 0) {
			char *alt = discover_path(root, "httpd.conf");
			if (alt && hu_host_stat(ctx->host, alt, true, &st, NULL) == 0) {
				free(main_file);
				main_file = alt;
			} else {
				free(alt);
			}
		}
	} else {
		main_file = strdup(root);
		const char *slash = strrchr(root, '/');
		ap.server_root =
		    slash ? strndup(root, (size_t)(slash - root) + (slash == root)) : strdup(".");
	}
	ap.global = hu_site_new("_");
	if (!main_file || !ap.server_root || !ap.global) {
		r = -ENOMEM;
		goto out;
	}
	r = read_file(&ap, main_file, 0);
	for (size_t i = 0; r >= 0 && i < ap.n_vhosts; i++)
		r = finish_vhost(&ap, &ap.vhosts[i]);
	if (r >= 0)
		r = fill_docroots(&ap);
out:
	for (size_t i = 0; i < ap.n_vhosts; i++) {
		hu_site_free(ap.vhosts[i].site);
		hu_strv_clear(&ap.vhosts[i].names);
	}
	free(ap.vhosts);
	hu_site_free(ap.global);
	hu_strv_clear(&ap.modules);
	hu_strv_clear(&ap.defines);
	hu_strv_clear(&ap.files);
	hu_strv_clear(&ap.stack);
	free(ap.server_root);
	free(main_file);
	return r;
}
