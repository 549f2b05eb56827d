/* SPDX-License-Identifier: MIT */
/*
 * nginx configuration: tokenized the way nginx does (comments, both quote
 * styles, escapes, ${var}), built into a directive tree with every
 * include (globs, symlinks) spliced in where it appears, then walked for
 * http { server { ... } } blocks and upstreams.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "huolto/buf.h"
#include "huolto/fcgi.h"

/* nginx's compiled-in prefix on Debian: where a relative "root" points. */
#define NGINX_PREFIX "/usr/share/nginx"

struct ngx_node {
	struct hu_strv args; /* args.v[0] is the directive's name; empty for the root */
	const char *file;
	unsigned line;
	bool block;
	struct ngx_node **kids;
	size_t n_kids;
};

struct ngx_parser {
	struct discover_ctx *ctx;
	const char *conf_dir; /* relative include paths start here */
	struct hu_strv files; /* owns the file names nodes point at */
	struct hu_strv stack; /* files being parsed: include loops */
};

enum tok_type { TOK_WORD, TOK_SEMI, TOK_OPEN, TOK_CLOSE, TOK_EOF, TOK_ERROR };

struct lexer {
	const char *p, *end;
	unsigned line;
	struct hu_buf word;
	const char *error;
};

static void node_free(struct ngx_node *n)
{
	if (!n)
		return;
	hu_strv_clear(&n->args);
	for (size_t i = 0; i < n->n_kids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static int node_add(struct ngx_node *parent, struct ngx_node *kid)
{
	struct ngx_node **v = realloc(parent->kids, (parent->n_kids + 1) * sizeof(*v));

	if (!v) {
		node_free(kid);
		return -ENOMEM;
	}
	parent->kids = v;
	parent->kids[parent->n_kids++] = kid;
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static enum tok_type lex_next(struct lexer *lx, unsigned *tok_line)
{
	hu_buf_clear(&lx->word);
	for (;;) {
		while (lx->p < lx->end && is_space(*lx->p)) {
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p >= lx->end)
			return TOK_EOF;
		if (*lx->p != '#')
			break;
		while (lx->p < lx->end && *lx->p != '\n')
			lx->p++;
	}
	*tok_line = lx->line;
	char c = *lx->p;
	if (c == ';' || c == '{' || c == '}') {
		lx->p++;
		return c == ';' ? TOK_SEMI : (c == '{' ? TOK_OPEN : TOK_CLOSE);
	}
	if (c == '"' || c == '\'') {
		char q = c;
		lx->p++;
		while (lx->p < lx->end && *lx->p != q) {
			char ch = *lx->p++;
			if (ch == '\n')
				lx->line++;
			if (ch == '\\' && lx->p < lx->end) {
				char e = *lx->p++;
				ch = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
				if (e != '"' && e != '\'' && e != '\\' && e != 't' && e != 'n' &&
				    e != 'r') {
					if (hu_buf_append(&lx->word, "\\", 1) < 0)
						goto too_long;
				}
			}
			if (hu_buf_append(&lx->word, &ch, 1) < 0)
				goto too_long;
		}
		if (lx->p >= lx->end) {
			lx->error = "unterminated quoted string";
			return TOK_ERROR;
		}
		lx->p++;
		if (lx->p < lx->end && !is_space(*lx->p) && *lx->p != ';' && *lx->p != '{' &&
		    *lx->p != '}') {
			lx->error = "unexpected character after a quoted string";
			return TOK_ERROR;
		}
		if (hu_buf_append(&lx->word, "", 0) < 0)
			goto too_long;
		return TOK_WORD;
	}
	while (lx->p < lx->end) {
		char ch = *lx->p;
		if (is_space(ch) || ch == ';' || ch == '}')
			break;
		/* "{" ends a word, except in a variable such as ${host}. */
		if (ch == '{' && !(lx->word.len && lx->word.data[lx->word.len - 1] == '$'))
			break;
		if (ch == '\\' && lx->p + 1 < lx->end) {
			lx->p++;
			ch = *lx->p;
		}
		lx->p++;
		if (hu_buf_append(&lx->word, &ch, 1) < 0)
			goto too_long;
	}
	return TOK_WORD;
too_long:
	lx->error = "token too long";
	return TOK_ERROR;
}

static int parse_file(struct ngx_parser *ps, const char *path, struct ngx_node *into,
		      unsigned depth);

static int do_include(struct ngx_parser *ps, struct ngx_node *into, const char *file, unsigned line,
		      const char *pattern, unsigned depth)
{
	struct hu_strv files = HU_STRV_INIT;
	struct hu_err err = HU_ERR_INIT;
	char *abs = discover_path(ps->conf_dir, pattern);
	int r;

	if (!abs)
		return -ENOMEM;
	if (depth >= DISCOVER_MAX_DEPTH) {
		discover_problem(ps->ctx, "discovery.limit", file, line,
				 "include %s: includes nested deeper than %d", pattern,
				 DISCOVER_MAX_DEPTH);
		free(abs);
		return 0;
	}
	r = hu_host_glob(ps->ctx->host, abs, DISCOVER_MAX_GLOB, &files, &err);
	if (r == -E2BIG)
		discover_problem(ps->ctx, "discovery.limit", file, line, "include %s: %s", pattern,
				 hu_err_msg(&err));
	else if (r < 0 && r != -ENOMEM)
		discover_problem(ps->ctx, "discovery.unreadable", file, line, "include %s: %s",
				 pattern, hu_err_msg(&err));
	hu_err_clear(&err);
	if (r == -ENOMEM)
		goto out;
	/* nginx fails on an include without wildcards that matches nothing. */
	if (files.n == 0 && !strpbrk(pattern, "*?["))
		discover_problem(ps->ctx, "discovery.unreadable", file, line,
				 "include %s: no such file", pattern);
	r = 0;
	for (size_t i = 0; i < files.n && r >= 0; i++) {
		struct hu_stat st;
		if (hu_host_stat(ps->ctx->host, files.v[i], true, &st, NULL) == 0 &&
		    st.type == HU_FILE_DIR)
			continue; /* nginx skips directories matched by a glob */
		r = parse_file(ps, files.v[i], into, depth + 1);
	}
out:
	hu_strv_clear(&files);
	free(abs);
	return r == -ENOMEM ? r : 0;
}

/*
 * Parse statements into parent until "}" (nested) or end of file. Returns
 * 1 on "}", 0 on end of file, a negative errno for ENOMEM; syntax errors
 * are reported and end the file (-EINVAL).
 */
static int parse_block(struct ngx_parser *ps, struct lexer *lx, const char *file,
		       struct ngx_node *parent, bool nested, unsigned depth)
{
	struct hu_strv args = HU_STRV_INIT;
	unsigned line = 0, tline = 0;
	int r = 0;

	for (;;) {
		enum tok_type t = lex_next(lx, &tline);
		if (t == TOK_ERROR) {
			discover_problem(ps->ctx, "discovery.syntax", file, lx->line, "%s",
					 lx->error);
			r = -EINVAL;
			break;
		}
		if (t == TOK_WORD) {
			if (args.n == 0)
				line = tline;
			r = hu_strv_push(&args, lx->word.data ? lx->word.data : "");
			if (r < 0)
				break;
			continue;
		}
		if (t == TOK_EOF) {
			if (args.n)
				discover_problem(
				    ps->ctx, "discovery.syntax", file, lx->line,
				    "unexpected end of file, expecting \";\" or \"}\"");
			else if (nested)
				discover_problem(ps->ctx, "discovery.syntax", file, lx->line,
						 "unexpected end of file, expecting \"}\"");
			r = args.n || nested ? -EINVAL : 0;
			break;
		}
		if (t == TOK_CLOSE) {
			if (args.n || !nested) {
				discover_problem(ps->ctx, "discovery.syntax", file, tline,
						 "unexpected \"}\"");
				r = -EINVAL;
			} else {
				r = 1;
			}
			break;
		}
		if (args.n == 0) {
			discover_problem(ps->ctx, "discovery.syntax", file, tline,
					 "unexpected \"%s\"", t == TOK_SEMI ? ";" : "{");
			r = -EINVAL;
			break;
		}
		if (t == TOK_SEMI && strcmp(args.v[0], "include") == 0) {
			if (args.n != 2)
				discover_problem(ps->ctx, "discovery.syntax", file, line,
						 "include takes one file name");
			else
				r = do_include(ps, parent, file, line, args.v[1], depth);
			hu_strv_clear(&args);
			if (r < 0)
				break;
			continue;
		}
		struct ngx_node *n = calloc(1, sizeof(*n));
		if (!n) {
			r = -ENOMEM;
			break;
		}
		n->args = args;
		args = (struct hu_strv)HU_STRV_INIT;
		n->file = file;
		n->line = line;
		n->block = t == TOK_OPEN;
		r = node_add(parent, n);
		if (r < 0)
			break;
		if (n->block) {
			r = parse_block(ps, lx, file, n, true, depth);
			if (r <= 0)
				break;
		}
	}
	hu_strv_clear(&args);
	return r;
}

static int parse_file(struct ngx_parser *ps, const char *path, struct ngx_node *into,
		      unsigned depth)
{
	const struct hu_file *f = NULL;
	struct lexer lx = { .line = 1, .word = HU_BUF_INIT(65536) };
	const char *file;
	int r;

	if (hu_strv_contains(&ps->stack, path)) {
		discover_problem(ps->ctx, "discovery.limit", path, 0, "includes itself");
		return 0;
	}
	r = discover_read(ps->ctx, path, false, &f);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	r = hu_strv_push(&ps->files, path);
	if (r < 0 || (r = hu_strv_push(&ps->stack, path)) < 0)
		return r;
	file = ps->files.v[ps->files.n - 1];
	lx.p = f->data;
	lx.end = f->data + f->len;
	r = parse_block(ps, &lx, file, into, false, depth);
	free(ps->stack.v[--ps->stack.n]);
	ps->stack.v[ps->stack.n] = NULL;
	hu_buf_clear(&lx.word);
	return r == -ENOMEM ? r : 0;
}

/* ---- semantics ---- */

static const struct ngx_node *child(const struct ngx_node *n, const char *name)
{
	for (size_t i = 0; i < n->n_kids; i++)
		if (strcmp(n->kids[i]->args.v[0], name) == 0)
			return n->kids[i];
	return NULL;
}

static bool is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The port of a listen address; 0 for a unix socket or nonsense. */
static unsigned listen_port(const char *a)
{
	const char *p;

	if (strncmp(a, "unix:", 5) == 0)
		return 0;
	if (is_digits(a))
		return (unsigned)strtoul(a, NULL, 10);
	if (a[0] == '[') {
		p = strchr(a, ']');
		if (!p)
			return 0;
		p = p[1] == ':' ? p + 2 : NULL;
	} else {
		p = strrchr(a, ':');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return 80;
	if (!is_digits(p))
		return 0;
	unsigned long v = strtoul(p, NULL, 10);
	return v > 0 && v <= 65535 ? (unsigned)v : 0;
}

struct server_info {
	struct hu_site *site; /* names and files collected here until a name is known */
	struct hu_strv names;
	unsigned ports[64];
	bool ssl_port[64];
	size_t n_ports;
	bool ssl_on;
};

static int add_handler(struct ngx_parser *ps, const struct ngx_node *http, const struct ngx_node *d,
		       struct hu_site *site)
{
	const char *v = d->args.v[1];
	char *norm = NULL;

	if (strchr(v, '$'))
		return 0; /* decided per request; cannot be known here */
	if (hu_fcgi_normalize(v, &norm) == 0)
		return hu_strv_push_owned(&site->php_handlers, norm);
	/* An upstream name: its servers are the handlers. */
	for (size_t i = 0; http && i < http->n_kids; i++) {
		const struct ngx_node *u = http->kids[i];
		if (!u->block || strcmp(u->args.v[0], "upstream") != 0 || u->args.n < 2 ||
		    strcmp(u->args.v[1], v) != 0)
			continue;
		for (size_t j = 0; j < u->n_kids; j++) {
			const struct ngx_node *s = u->kids[j];
			if (strcmp(s->args.v[0], "server") != 0 || s->args.n < 2)
				continue;
			if (hu_fcgi_normalize(s->args.v[1], &norm) == 0) {
				int r = hu_strv_push_owned(&site->php_handlers, norm);
				if (r < 0)
					return r;
			}
		}
		return 0;
	}
	discover_problem(ps->ctx, "discovery.syntax", d->file, d->line,
			 "fastcgi_pass %s: no such upstream and not an address", v);
	return 0;
}

/* Walk a server block and its locations (nested to any depth). */
static int walk_server(struct ngx_parser *ps, const struct ngx_node *http, const struct ngx_node *n,
		       struct server_info *si, bool top)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < n->n_kids; i++) {
		const struct ngx_node *d = n->kids[i];
		const char *name = d->args.v[0];
		size_t na = d->args.n;

		if (d->block) {
			r = walk_server(ps, http, d, si, false);
			if (r >= 0 && strcmp(name, "location") == 0 && na == 2 &&
			    strcmp(d->args.v[1], "/") == 0 && !si->site->docroot) {
				const struct ngx_node *root = child(d, "root");
				if (root && root->args.n == 2) {
					char *p = discover_path(NGINX_PREFIX, root->args.v[1]);
					r = p ? hu_site_set_docroot(si->site, p) : -ENOMEM;
					free(p);
				}
			}
			continue;
		}
		if (strcmp(name, "fastcgi_pass") == 0 && na == 2) {
			r = add_handler(ps, http, d, si->site);
			continue;
		}
		if (!top)
			continue;
		if (strcmp(name, "server_name") == 0) {
			for (size_t j = 1; r >= 0 && j < na; j++) {
				char *v = d->args.v[j];
				if (!hu_site_name_is_concrete(v))
					continue;
				for (char *c = v; *c; c++) /* names are case-insensitive */
					if (*c >= 'A' && *c <= 'Z')
						*c = (char)(*c - 'A' + 'a');
				r = hu_strv_push_unique(&si->names, v);
			}
		} else if (strcmp(name, "listen") == 0 && na >= 2) {
			unsigned port = listen_port(d->args.v[1]);
			bool ssl = false, quic = false;
			for (size_t j = 2; j < na; j++) {
				ssl |= strcmp(d->args.v[j], "ssl") == 0;
				quic |= strcmp(d->args.v[j], "quic") == 0;
			}
			if (port && !quic && si->n_ports < 64) {
				si->ports[si->n_ports] = port;
				si->ssl_port[si->n_ports++] = ssl;
			}
		} else if (strcmp(name, "root") == 0 && na == 2) {
			char *p = discover_path(NGINX_PREFIX, d->args.v[1]);
			free(si->site->docroot); /* the server's own root wins over location / */
			si->site->docroot = p;
			r = p ? 0 : -ENOMEM;
		} else if (strcmp(name, "ssl") == 0 && na == 2) {
			si->ssl_on = strcmp(d->args.v[1], "on") == 0;
		} else if ((strcmp(name, "ssl_certificate") == 0 ||
			    strcmp(name, "ssl_certificate_key") == 0) &&
			   na == 2 && !strchr(d->args.v[1], '$')) {
			char *p = discover_path(ps->conf_dir, d->args.v[1]);
			if (!p)
				return -ENOMEM;
			r = hu_strv_push_unique(strcmp(name, "ssl_certificate") == 0
						    ? &si->site->cert_files
						    : &si->site->key_files,
						p);
			free(p);
		}
	}
	return r;
}

/* http-level defaults a server inherits: root, certificates. */
static int inherit_http(struct ngx_parser *ps, const struct ngx_node *http, struct hu_site *s)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < http->n_kids; i++) {
		const struct ngx_node *d = http->kids[i];
		if (d->block || d->args.n != 2 || strchr(d->args.v[1], '$'))
			continue;
		const char *name = d->args.v[0];
		if (strcmp(name, "root") == 0 && !s->docroot) {
			s->docroot = discover_path(NGINX_PREFIX, d->args.v[1]);
			r = s->docroot ? 0 : -ENOMEM;
		} else if (strcmp(name, "ssl_certificate") == 0 && s->cert_files.n == 0) {
			char *p = discover_path(ps->conf_dir, d->args.v[1]);
			r = p ? hu_strv_push_owned(&s->cert_files, p) : -ENOMEM;
		} else if (strcmp(name, "ssl_certificate_key") == 0 && s->key_files.n == 0) {
			char *p = discover_path(ps->conf_dir, d->args.v[1]);
			r = p ? hu_strv_push_owned(&s->key_files, p) : -ENOMEM;
		}
	}
	return r;
}

static int server_site(struct ngx_parser *ps, const struct ngx_node *http,
		       const struct ngx_node *srv)
{
	struct server_info si = { .names = HU_STRV_INIT };
	int r;

	si.site = hu_site_new("_");
	if (!si.site)
		return -ENOMEM;
	r = walk_server(ps, http, srv, &si, true);
	if (r >= 0)
		r = inherit_http(ps, http, si.site);
	if (r < 0 || si.names.n == 0) {
		/* No concrete server_name (a default or catch-all server): not a site. */
		hu_site_free(si.site);
		hu_strv_clear(&si.names);
		return r;
	}
	free(si.site->name);
	si.site->name = strdup(si.names.v[0]);
	hu_strv_clear(&si.site->names);
	r = si.site->name ? hu_strv_merge(&si.site->names, &si.names) : -ENOMEM;
	if (si.n_ports == 0) {
		si.ports[0] = 80; /* nginx listens on *:80 when no listen is given */
		si.ssl_port[0] = false;
		si.n_ports = 1;
	}
	for (size_t p = 0; r >= 0 && p < si.n_ports; p++)
		if (si.ssl_port[p] || si.ssl_on)
			for (size_t j = 0; r >= 0 && j < si.names.n; j++)
				r = hu_site_add_https(si.site, si.names.v[j],
						      (uint16_t)si.ports[p]);
	if (r >= 0)
		r = hu_site_add_origin(si.site, "nginx", srv->file, srv->line);
	hu_strv_clear(&si.names);
	if (r < 0) {
		hu_site_free(si.site);
		return r;
	}
	return discover_add_site(ps->ctx, si.site);
}

int discover_nginx(struct discover_ctx *ctx, const char *root)
{
	struct ngx_parser ps = { .ctx = ctx, .files = HU_STRV_INIT, .stack = HU_STRV_INIT };
	struct ngx_node top = { 0 };
	struct hu_stat st;
	char *main_file = NULL, *dir = NULL;
	int r;

	if (hu_host_stat(ctx->host, root, true, &st, NULL) < 0)
		return 0; /* nginx is not installed here */
	if (st.type == HU_FILE_DIR) {
		dir = strdup(root);
		main_file = discover_path(root, "nginx.conf");
	} else {
		main_file = strdup(root);
		const char *slash = strrchr(root, '/');
		dir = slash ? strndup(root, (size_t)(slash - root) + (slash == root)) : strdup(".");
	}
	if (!main_file || !dir) {
		r = -ENOMEM;
		goto out;
	}
	ps.conf_dir = dir;
	r = parse_file(&ps, main_file, &top, 0);
	for (size_t i = 0; r >= 0 && i < top.n_kids; i++) {
		const struct ngx_node *http = top.kids[i];
		if (!http->block || strcmp(http->args.v[0], "http") != 0)
			continue;
		for (size_t j = 0; r >= 0 && j < http->n_kids; j++) {
			const struct ngx_node *srv = http->kids[j];
			if (srv->block && strcmp(srv->args.v[0], "server") == 0)
				r = server_site(&ps, http, srv);
		}
	}
out:
	for (size_t i = 0; i < top.n_kids; i++)
		node_free(top.kids[i]);
	free(top.kids);
	hu_strv_clear(&ps.files);
	hu_strv_clear(&ps.stack);
	free(main_file);
	free(dir);
	return r;
}
