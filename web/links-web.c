/*
 * NAME
 *	links-web 8
 * SUMMARY
 *	RFC 8058 one-click unsubscribe and the customers' preference page
 * SYNOPSIS
 *	links-web [-c FILE] [-f] [-e] [-n] [-o NAME=VALUE ...]
 *	links-web --help | --version
 * DESCRIPTION
 *	Reads links.conf(5), opens web_listen (as root if need be), forks
 *	unless -f, writes web_pid_file when it forks, becomes web_user,
 *	checks that the store opens, and serves HTTP with libmicrohttpd,
 *	one thread per connection (at most web_max_clients), until SIGTERM
 *	or SIGINT. SIGHUP reloads links.conf (a broken file is logged and
 *	the running configuration kept; web_listen, web_user and the
 *	limits of the server take effect at the next start).
 *
 *	It never terminates TLS: it belongs behind the company's HTTPS
 *	reverse proxy (links-web(8) has nginx and Apache examples).
 *	Everything it decides is in app.c; this file is the HTTP glue:
 *	reading a bounded body, finding the client behind the proxy, the
 *	security headers of every answer.
 *
 *	Signals are blocked in every thread (libmicrohttpd's inherit the
 *	mask) and taken by the main thread with sigwait().
 * DIAGNOSTICS
 *	Exit status from <sysexits.h>: EX_OK, EX_USAGE, EX_CONFIG (bad
 *	configuration, also for -n; the store cannot be opened),
 *	EX_NOPERM, EX_OSERR, EX_UNAVAILABLE (the server did not start),
 *	EX_CANTCREAT (pid file).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sysexits.h>
#include <unistd.h>

#include <microhttpd.h>

#include "app.h"
#include "client.h"
#include "cmdline.h"
#include "conf.h"
#include "daemon.h"
#include "listen.h"
#include "log.h"
#include "store.h"
#include "strbuf.h"

#define PROG			"links-web"
#define CONN_MEMORY		(16 * 1024)	/* request line and headers, per connection */
#define THREAD_STACK		(256 * 1024)	/* per connection thread */
#define MHD_LOG_MAX		512

#define CSP	"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " \
		"frame-ancestors 'none'; base-uri 'none'"

/* The server: the app, and the configuration the HTTP layer reads. */
struct server {
	struct web_app *app;
	pthread_mutex_t lock;
	struct conf *conf;		/* web_trusted_proxies, web_request_max */
};

/* One request's body, collected across libmicrohttpd's calls. */
struct rqctx {
	struct strbuf body;
	size_t	max;
	int	too_large;
};

/* usage - the help text */
static void
usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [-c FILE] [-f] [-e] [-n] [-o NAME=VALUE ...]\n"
		"RFC 8058 one-click unsubscribe and the preference page, behind an HTTPS proxy.\n\n"
		"  -c FILE          configuration file (default %s, or $LINKS_CONF)\n"
		"  -f               stay in the foreground (for systemd); no pid file\n"
		"  -e               log to standard error instead of syslog\n"
		"  -n               check the configuration and the store, then exit\n"
		"  -o NAME=VALUE    override one links.conf option (may be repeated)\n"
		"  --help           show this help\n"
		"  --version        show the version\n\n"
		"Signals: HUP reloads the configuration, TERM and INT stop.\n",
		PROG, conf_default_path());
}

static const struct cmdline_spec web_cmdline = {PROG, usage, NULL};

/* load - the configuration with the -o overrides, checked; owned by the caller. */
static struct conf *
load(const struct cmdline *o, char *err, size_t errlen)
{
	struct conf *c;

	if ((c = conf_load(o->conf_path, err, errlen)) == NULL)
		return (NULL);
	if (conf_overrides_apply(c, &o->ov, err, errlen) < 0) {
		conf_free(c);
		return (NULL);
	}
	if (web_settings_check(c, err, errlen) < 0) {
		conf_free(c);
		return (NULL);
	}
	return (c);
}

/* ---- HTTP ---- */

/* mhd_log - libmicrohttpd's messages to our log */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	buf[MHD_LOG_MAX];

	(void) cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = 0;
	log_warning("http: %s", buf);
}

/* no_unescape - keep the path as sent: a token never needs an escape. */
static size_t
no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void) cls;
	(void) conn;
	return (strlen(s));
}

/* server_conf - the current configuration, referenced (conf_free() it) */
static struct conf *
server_conf(struct server *srv)
{
	struct conf *c;

	pthread_mutex_lock(&srv->lock);
	c = conf_ref(srv->conf);
	pthread_mutex_unlock(&srv->lock);
	return (c);
}

/* peer_of - the connection's address as text. */
static void
peer_of(struct MHD_Connection *conn, char *out, size_t outlen)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, outlen, "unknown");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *) sa)->sin_addr, out,
			  (socklen_t) outlen);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) sa)->sin6_addr, out,
			  (socklen_t) outlen);
}

/* add_headers - Content-Type and the security headers of every answer */
static int
add_headers(struct MHD_Response *r, const struct web_response *rs)
{
	char	num[32];
	int	ok = 1;

	ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type) == MHD_YES;
	ok &= MHD_add_response_header(r, "Content-Security-Policy", CSP) == MHD_YES;
	ok &= MHD_add_response_header(r, "X-Frame-Options", "DENY") == MHD_YES;
	ok &= MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") == MHD_YES;
	ok &= MHD_add_response_header(r, "Referrer-Policy", "no-referrer") == MHD_YES;
	ok &= MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin") == MHD_YES;
	ok &= MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin") == MHD_YES;
	ok &= MHD_add_response_header(r, "X-Robots-Tag", "noindex, nofollow") == MHD_YES;
	ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				      rs->cacheable ? "public, max-age=86400" : "no-store") == MHD_YES;
	if (rs->retry_after > 0) {
		snprintf(num, sizeof(num), "%ld", rs->retry_after);
		ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, num) == MHD_YES;
	}
	if (rs->allow)
		ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rs->allow) == MHD_YES;
	return (ok);
}

/* respond - run the app on the request and queue its answer. */
static enum MHD_Result
respond(struct server *srv, struct MHD_Connection *conn, const char *url, const char *method,
	struct rqctx *ctx)
{
	struct web_request rq;
	struct web_response rs;
	struct MHD_Response *r;
	struct conf *c = server_conf(srv);
	char	peer[CLIENT_ADDR_MAX], client[CLIENT_ADDR_MAX];
	enum MHD_Result ret;

	peer_of(conn, peer, sizeof(peer));
	client_address(peer, MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 "X-Forwarded-For"), c, client, sizeof(client));
	conf_free(c);
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_TYPE);
	rq.user_agent = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_USER_AGENT);
	rq.client = client;
	rq.body = ctx->body.data;
	rq.body_len = ctx->body.len;
	rq.body_too_large = ctx->too_large;
	web_app_handle(srv->app, &rq, &rs);
	r = MHD_create_response_from_buffer(rs.len, rs.body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		web_response_clear(&rs);
		return (MHD_NO);
	}
	rs.body = NULL;			/* the response owns it now */
	if (!add_headers(r, &rs)) {
		MHD_destroy_response(r);
		return (MHD_NO);
	}
	if (ctx->too_large)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(conn, (unsigned) rs.status, r);
	MHD_destroy_response(r);
	web_response_clear(&rs);
	return (ret);
}

/* on_request - libmicrohttpd's handler: collect the body, then answer */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size,
	   void **con_cls)
{
	struct server *srv = cls;
	struct rqctx *ctx = *con_cls;

	(void) version;
	if (ctx == NULL) {
		struct conf *c = server_conf(srv);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);

		if ((ctx = calloc(1, sizeof(*ctx))) == NULL) {
			conf_free(c);
			return (MHD_NO);
		}
		strbuf_init(&ctx->body);
		ctx->max = (size_t) conf_web_request_max(c);
		conf_free(c);
		*con_cls = ctx;
		/* A body announced too large is refused before it is read. */
		if (cl != NULL && strtoull(cl, NULL, 10) > ctx->max) {
			ctx->too_large = 1;
			return (respond(srv, conn, url, method, ctx));
		}
		return (MHD_YES);
	}
	if (*upload_data_size > 0) {
		if (!ctx->too_large && ctx->body.len + *upload_data_size <= ctx->max) {
			if (strbuf_add(&ctx->body, upload_data, *upload_data_size) < 0)
				return (MHD_NO);
		} else
			ctx->too_large = 1;
		*upload_data_size = 0;
		return (MHD_YES);
	}
	return (respond(srv, conn, url, method, ctx));
}

/* on_completed - free a request's body */
static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct rqctx *ctx = *con_cls;

	(void) cls;
	(void) conn;
	(void) toe;
	if (ctx == NULL)
		return;
	strbuf_free(&ctx->body);
	free(ctx);
	*con_cls = NULL;
}

/* http_start - libmicrohttpd on the socket FD, one thread per connection */
static struct MHD_Daemon *
http_start(struct server *srv, int fd, const struct conf *c)
{
	return (MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION
				| MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, srv,
				/* first: the options after it log through it */
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned) conf_web_max_clients(c),
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) conf_web_timeout(c),
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) CONN_MEMORY,
				MHD_OPTION_THREAD_STACK_SIZE, (size_t) THREAD_STACK,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
				MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
				MHD_OPTION_END));
}

/* ---- start, signals, stop ---- */

/* reload - SIGHUP: a new configuration, or the running one kept */
static void
reload(struct server *srv, const struct cmdline *o)
{
	char	err[CONF_ERR_MAX];
	struct conf *c, *old;

	if ((c = load(o, err, sizeof(err))) == NULL) {
		log_error("reload: %s; keeping the running configuration", err);
		return;
	}
	if (web_app_reload(srv->app, c, err, sizeof(err)) < 0) {
		log_error("reload: %s; keeping the running configuration", err);
		conf_free(c);
		return;
	}
	pthread_mutex_lock(&srv->lock);
	old = srv->conf;
	srv->conf = c;
	pthread_mutex_unlock(&srv->lock);
	if (strcmp(conf_web_listen(old), conf_web_listen(c)) != 0
	    || strcmp(conf_web_user(old), conf_web_user(c)) != 0)
		log_notice("reload: web_listen and web_user take effect at the next start");
	log_open(PROG, o->to_stderr, c);
	conf_free(old);
	log_notice("reloaded the configuration from %s", conf_file(c));
}

/* serve - run until TERM or INT; HUP reloads. */
static int
serve(struct server *srv, const struct cmdline *o, int fd, int *ready_fd)
{
	struct MHD_Daemon *d;
	sigset_t set;
	int	sig;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((d = http_start(srv, fd, srv->conf)) == NULL) {
		log_error("cannot start the HTTP server on %s", conf_web_listen(srv->conf));
		daemon_ready(ready_fd, EX_UNAVAILABLE);
		return (EX_UNAVAILABLE);
	}
	log_notice("%s %s serving http://%s%s (pid %ld)", PROG, PACKAGE_VERSION,
		   conf_web_listen(srv->conf), *conf_web_base_url(srv->conf) ? "" : "/",
		   (long) getpid());
	daemon_ready(ready_fd, EX_OK);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(srv, o);
			continue;
		}
		break;
	}
	log_notice("stopping on signal %d", sig);
	MHD_quiesce_daemon(d);
	MHD_stop_daemon(d);
	return (EX_OK);
}

/* check - -n: the configuration, the socket address, the user and the store. */
static int
check(const struct conf *c)
{
	struct sockaddr_storage ss;
	struct daemon_ids ids;
	socklen_t len;
	char	err[CONF_ERR_MAX];
	struct store *st;

	if (listen_parse(conf_web_listen(c), &ss, &len, err, sizeof(err)) < 0
	    || daemon_ids_lookup(conf_web_user(c), NULL, &ids, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", PROG, err);
		return (EX_CONFIG);
	}
	if ((st = store_open(c, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: store: %s\n", PROG, err);
		return (EX_CONFIG);
	}
	store_close(st);
	if (*conf_web_base_url(c) == 0)
		fprintf(stderr, "%s: note: web_base_url is empty: links-sender writes no https "
			"links, and links-web serves under /\n", PROG);
	printf("%s: configuration %s is valid\n", PROG, conf_file(c));
	return (EX_OK);
}

/* start - listen, fork, pid file, user, store: everything before serving. */
static int
start(struct server *srv, const struct cmdline *o, int *fd, int *ready_fd)
{
	struct daemon_ids ids;
	char	err[CONF_ERR_MAX];
	struct store *st;

	if (daemon_ids_lookup(conf_web_user(srv->conf), NULL, &ids, err, sizeof(err)) < 0) {
		log_error("web_user: %s", err);
		return (EX_CONFIG);
	}
	if ((*fd = listen_open(conf_web_listen(srv->conf), err, sizeof(err))) < 0) {
		log_error("%s", err);
		return (EX_UNAVAILABLE);
	}
	if (!o->foreground) {
		if (daemon_fork(ready_fd, o->to_stderr) != 0) {
			log_error("cannot become a daemon: %s", strerror(errno));
			return (EX_OSERR);
		}
		if (daemon_pidfile(conf_web_pid_file(srv->conf), &ids, err, sizeof(err)) < 0) {
			log_error("web_pid_file: %s", err);
			return (EX_CANTCREAT);
		}
	}
	if (daemon_drop(&ids, err, sizeof(err)) < 0) {
		log_error("web_user: %s", err);
		return (EX_NOPERM);
	}
	if ((st = store_open(srv->conf, err, sizeof(err))) == NULL) {
		log_error("store: %s", err);
		return (EX_CONFIG);
	}
	store_close(st);
	return (EX_OK);
}

/* main - links-web */
int
main(int argc, char **argv)
{
	struct cmdline o;
	struct server srv;
	char	err[CONF_ERR_MAX];
	int	ex, fd = -1, ready_fd = -1;

	memset(&srv, 0, sizeof(srv));
	if ((ex = cmdline_parse(argc, argv, &web_cmdline, &o)) != EX_OK)
		return (ex == CMDLINE_DONE ? EX_OK : ex);
	if ((srv.conf = load(&o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", PROG, err);
		return (EX_CONFIG);
	}
	if (o.test_only) {
		ex = check(srv.conf);
		conf_free(srv.conf);
		return (ex);
	}
	log_open(PROG, o.to_stderr, srv.conf);
	pthread_mutex_init(&srv.lock, NULL);
	if ((ex = start(&srv, &o, &fd, &ready_fd)) == EX_OK) {
		if ((srv.app = web_app_new(srv.conf, err, sizeof(err))) == NULL) {
			log_error("%s", err);
			ex = EX_CONFIG;
		} else
			ex = serve(&srv, &o, fd, &ready_fd);
	}
	daemon_ready(&ready_fd, ex);
	web_app_free(srv.app);
	if (fd >= 0)
		close(fd);
	if (!o.foreground && *conf_web_pid_file(srv.conf))
		(void) unlink(conf_web_pid_file(srv.conf));
	conf_free(srv.conf);
	pthread_mutex_destroy(&srv.lock);
	log_close();
	return (ex);
}
