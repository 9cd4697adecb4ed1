/*
 * NAME
 *	links-milter 8
 * SUMMARY
 *	LINKS reply analysis and opt-out milter for Postfix
 * SYNOPSIS
 *	links-milter [-c FILE] [-f] [-e] [-n] [-o NAME=VALUE ...]
 *	links-milter [-c FILE] --classify FILE|-
 *	links-milter --help | --version
 * DESCRIPTION
 *	Reads links.conf(5), opens the milter socket (as root if need be),
 *	applies socket_mode and ownership to a unix socket, writes the pid
 *	file when it daemonises, drops to user/group, checks that the store
 *	opens, and serves the milter protocol (milter_proto.c, behind the
 *	libmilter API) until SIGTERM.
 *
 *	Signals. smfi_main() runs in a thread of its own which, with every
 *	worker thread it starts, has SIGHUP, SIGTERM, SIGINT and SIGUSR1
 *	blocked, while the main thread keeps them unblocked with handlers
 *	that write one byte to a self-pipe; the main thread reads the pipe
 *	and reloads (SIGHUP), logs statistics (SIGUSR1) or calls smfi_stop()
 *	(SIGTERM, SIGINT).
 *
 *	Reload builds a complete new configuration (config file, patterns,
 *	addresses, a test open of the store) and only then installs it; a
 *	bad one is logged and the running one kept. Messages in progress
 *	keep the configuration they started with (reference counting).
 * DIAGNOSTICS
 *	Exit status from <sysexits.h>: EX_OK, EX_USAGE, EX_CONFIG (bad
 *	configuration, also for -n), EX_NOPERM, EX_OSERR, EX_UNAVAILABLE,
 *	EX_CANTCREAT (pid file); --classify returns classify_file()'s code
 *	(EX_NOINPUT when the file cannot be read).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "classify.h"
#include "cmdline.h"
#include "conf.h"
#include "daemon.h"
#include "log.h"
#include "milter_cb.h"
#include "milter_cfg.h"
#include "milter_state.h"
#include "milter_stats.h"
#include "milter_store.h"
#include "reply.h"
#include "store.h"

#define LM_PROG		"links-milter"
#define LM_SOCKET_MAX	1024		/* a socket specification */
#define LM_DRAIN_POLL_MS 100		/* how often shutdown checks for busy messages */
#define LM_THREAD_STACK	(2UL * 1024 * 1024)	/* stack of each SMTP session's thread */


struct lm_socket {
	char	spec[LM_SOCKET_MAX];	/* as given to smfi_setconn */
	char	path[sizeof(((struct sockaddr_un *) 0)->sun_path)];	/* unix: */
	mode_t	mode;
	int	is_unix;
	int	dir_missing;		/* its folder does not exist (yet) */
};

/* The self-pipe: written by signal handlers, read by the main thread. */
static int lm_pipe[2] = {-1, -1};

/* usage - print the usage text to FP */
static void
usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [-c FILE] [-f] [-e] [-n] [-o NAME=VALUE ...]\n"
		"       %s [-c FILE] --classify FILE|-\n"
		"LINKS reply analysis and opt-out milter for Postfix.\n\n"
		"  -c FILE          configuration file (default %s, or $LINKS_CONF)\n"
		"  -f               stay in the foreground (for systemd); no pid file\n"
		"  -e               log to standard error instead of syslog\n"
		"  -n               check the configuration, the patterns and the store, then exit\n"
		"  -o NAME=VALUE    override one links.conf option (may be repeated)\n"
		"  --classify FILE  analyse one message (\"-\" for standard input), print JSON\n"
		"  --help           show this help\n"
		"  --version        show the version\n\n"
		"Signals: HUP reloads the configuration, USR1 logs statistics,\n"
		"TERM and INT stop after the messages in progress.\n",
		LM_PROG, LM_PROG, conf_default_path());
}

static const struct cmdline_spec lm_cmdline = {LM_PROG, usage, "classify"};

/* lm_load - the configuration with -o overrides applied; owned by the caller */
static struct conf *
lm_load(const struct cmdline *o, char *err, size_t errlen)
{
	struct conf *c;

	/*
	 * --classify needs no store and no socket: without -c and without
	 * $LINKS_CONF and without a file at the default place, the built-in
	 * defaults do.
	 */
	if (o->extra && o->conf_path == NULL && getenv("LINKS_CONF") == NULL
	    && access(conf_default_path(), F_OK) != 0) {
		if ((c = conf_defaults()) == NULL)
			snprintf(err, errlen, "out of memory");
	} else {
		c = conf_load(o->conf_path, err, errlen);
	}
	if (c == NULL)
		return (NULL);
	if (conf_overrides_apply(c, &o->ov, err, errlen) < 0)
		goto fail;
	return (c);

fail:
	conf_free(c);
	return (NULL);
}

/* lm_socket_parse - check and split the socket and socket_mode options */
static int
lm_socket_parse(const struct conf *c, struct lm_socket *s, char *err, size_t errlen)
{
	const char *spec = conf_socket(c);
	const char *mode = conf_socket_mode(c);
	const char *path = NULL;
	char   *end;
	long	m;

	memset(s, 0, sizeof(*s));
	if (strlen(spec) >= sizeof(s->spec) || spec[0] == 0) {
		snprintf(err, errlen, "socket: empty or too long");
		return (-1);
	}
	snprintf(s->spec, sizeof(s->spec), "%s", spec);
	if (strncmp(spec, "unix:", 5) == 0)
		path = spec + 5;
	else if (strncmp(spec, "local:", 6) == 0)
		path = spec + 6;
	else if (spec[0] == '/')
		path = spec;
	if (path) {
		struct stat sb;
		char	dir[sizeof(s->path)];
		char   *slash;

		if (path[0] != '/' || strlen(path) >= sizeof(s->path)) {
			snprintf(err, errlen, "socket: %s: need an absolute path shorter than %zu bytes",
				 spec, sizeof(s->path));
			return (-1);
		}
		snprintf(s->path, sizeof(s->path), "%s", path);
		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = 0;
		else
			*slash = 0;
		if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "socket: %s is not a directory", dir);
			return (-1);
		}
		/* a missing folder is no configuration error: systemd-tmpfiles
		 * or the unit creates it before the start (lm_check() says so,
		 * lm_socket_open() fails with the remedy when still missing) */
		s->dir_missing = stat(dir, &sb) != 0;
		s->is_unix = 1;
	} else if (strncmp(spec, "inet:", 5) == 0 || strncmp(spec, "inet6:", 6) == 0) {
		const char *p = strchr(spec, ':') + 1;
		long	port = strtol(p, &end, 10);

		if (end == p || port < 1 || port > 65535 || (*end != 0 && *end != '@')) {
			snprintf(err, errlen, "socket: %s: need inet:PORT@HOST", spec);
			return (-1);
		}
	} else {
		snprintf(err, errlen, "socket: %s: need unix:PATH or inet:PORT@HOST", spec);
		return (-1);
	}
	errno = 0;
	m = strtol(mode, &end, 8);
	if (mode[0] == 0 || *end != 0 || errno || m < 0 || m > 0777) {
		snprintf(err, errlen, "socket_mode: %s: need an octal mode such as 0660", mode);
		return (-1);
	}
	s->mode = (mode_t) m;
	return (0);
}

/* lm_store_check - whether the store of C opens */
static int
lm_store_check(const struct conf *c, char *err, size_t errlen)
{
	struct store *st = store_open(c, err, errlen);

	if (st == NULL)
		return (-1);
	store_close(st);
	return (0);
}

/* ---- signals ---- */

/* lm_on_signal - signal handler: one byte into the self-pipe */
static void
lm_on_signal(int sig)
{
	int	saved = errno;
	char	b = sig == SIGHUP ? 'H' : sig == SIGUSR1 ? 'U' : 'T';
	ssize_t n;

	n = write(lm_pipe[1], &b, 1);
	(void) n;			/* a full pipe already holds a wake-up */
	errno = saved;
}

/* lm_signals_install - the self-pipe and the signal handlers */
static int
lm_signals_install(char *err, size_t errlen)
{
	struct sigaction sa;
	static const int sigs[] = {SIGHUP, SIGTERM, SIGINT, SIGUSR1};

	if (pipe(lm_pipe) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return (-1);
	}
	for (int i = 0; i < 2; i++) {
		fcntl(lm_pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(lm_pipe[i], F_SETFL, fcntl(lm_pipe[i], F_GETFL) | O_NONBLOCK);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lm_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0) {
			snprintf(err, errlen, "sigaction: %s", strerror(errno));
			return (-1);
		}
	signal(SIGPIPE, SIG_IGN);
	return (0);
}

/* lm_milter_thread - the thread running smfi_main() */
static void *
lm_milter_thread(void *arg)
{
	int    *status = arg;
	char	b = 'X';
	ssize_t n;

	*status = smfi_main();
	n = write(lm_pipe[1], &b, 1);
	(void) n;
	return (NULL);
}

/* ---- reload ---- */

/* lm_reload - SIGHUP: build a new configuration, install it when it is complete */
static void
lm_reload(const struct cmdline *o, const struct lm_socket *sock_now, int to_stderr)
{
	char	err[CONF_ERR_MAX];
	struct conf *c;
	struct mcfg *cfg;
	struct lm_socket sock_new;

	if ((c = lm_load(o, err, sizeof(err))) == NULL) {
		log_error("reload: %s; keeping the running configuration", err);
		return;
	}
	if (lm_store_check(c, err, sizeof(err)) != 0) {
		log_error("reload: store: %s; keeping the running configuration", err);
		conf_free(c);
		return;
	}
	if (lm_socket_parse(c, &sock_new, err, sizeof(err)) == 0
	    && (strcmp(sock_new.spec, sock_now->spec) != 0 || sock_new.mode != sock_now->mode))
		log_notice("reload: socket and socket_mode take effect at the next restart");
	if ((cfg = mcfg_new(c, err, sizeof(err))) == NULL) {
		log_error("reload: %s; keeping the running configuration", err);
		return;
	}
	log_open(LM_PROG, to_stderr, mcfg_conf(cfg));
	mstate_set(cfg);
	mcfg_release(cfg);
	log_notice("reloaded the configuration from %s", conf_file(mcfg_conf(cfg)));
}

/* ---- daemon ---- */

/*
 * lm_socket_dir_check - say why a unix socket cannot be made in its folder.
 * This names the folder, the error and, for the usual causes, the remedy.
 */
static int
lm_socket_dir_check(const char *path, char *err, size_t errlen)
{
	char	dir[sizeof(((struct sockaddr_un *) 0)->sun_path)];
	char   *slash;
	int	e;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		slash[1] = 0;
	else
		*slash = 0;
	if (access(dir, W_OK | X_OK) == 0)
		return (0);
	e = errno;
	snprintf(err, errlen, "cannot create the milter socket %.300s: folder %.300s: %s%s", path, dir,
		 strerror(e), e == ENOENT ? " (create it: systemd-tmpfiles --create links-mail.conf)"
		 : e == EROFS ? " (read-only for this process: under systemd, see ReadWritePaths= in links-milter.service)"
		 : e == EACCES ? " (the folder must be writable by the milter's user)" : "");
	return (-1);
}

/* lm_socket_open - open the socket as the starting user; hand a unix socket to the run
 * user and give it socket_mode. */
static int
lm_socket_open(const struct conf *c, const struct lm_socket *s,
			  const struct daemon_ids *ids, char *err, size_t errlen)
{
	mode_t	old = 0;

	if (smfi_setconn((char *) s->spec) != MI_SUCCESS) {
		snprintf(err, errlen, "smfi_setconn(%.300s) failed", s->spec);
		return (-1);
	}
	if (smfi_settimeout((int) conf_milter_timeout(c)) != MI_SUCCESS
	    || smfi_register(*mcb_desc()) != MI_SUCCESS) {
		snprintf(err, errlen, "smfi_register failed");
		return (-1);
	}
	if (s->is_unix && lm_socket_dir_check(s->path, err, errlen) != 0)
		return (-1);
	if (s->is_unix)
		old = umask(0177);	/* nobody may connect before the chmod */
	errno = 0;
	if (smfi_opensocket(1) != MI_SUCCESS) {
		int	e = errno;

		if (s->is_unix)
			umask(old);
		snprintf(err, errlen, "cannot open the milter socket %.300s: %s", s->spec,
			 e ? strerror(e) : "no reason given");
		return (-1);
	}
	if (!s->is_unix)
		return (0);
	umask(old);
	if (ids->set && geteuid() == 0 && chown(s->path, ids->uid, ids->gid) != 0) {
		snprintf(err, errlen, "chown %s: %s", s->path, strerror(errno));
		(void) unlink(s->path);
		return (-1);
	}
	if (chmod(s->path, s->mode) != 0) {
		snprintf(err, errlen, "chmod %s: %s", s->path, strerror(errno));
		(void) unlink(s->path);
		return (-1);
	}
	return (0);
}

/*
 * lm_wal_rewind - after each checkpoint, and once before serving: the
 * write-ahead log begun again from its start in a file reserved
 * beforehand (mstore_wal_rewind()), so that refusals' commits overwrite
 * it instead of growing it. A failure is logged once until it works.
 */
static void
lm_wal_rewind(struct mcfg *cfg)
{
	static int failing;
	char	err[256];

	if (mstore_wal_rewind(cfg, err, sizeof(err)) < 0) {
		if (!failing)
			log_warning("write-ahead log rewind failed (retrying): %s", err);
		failing = 1;
		return;
	}
	failing = 0;
}

/*
 * lm_flush_stats - statistics reach the store from here, not from every message: at
 * most every MSTATS_FLUSH_SECS while the milter is idle or answering
 * questions (refusals and bounces carry them in their own transaction),
 * and at shutdown. This thread's connection commits without fsync:
 * counters are not evidence. A store failure keeps the counts for the
 * next try and is logged once until a flush succeeds again.
 */
static void
lm_flush_stats(void)
{
	static int failing;
	struct mcfg *cfg = mstate_get();
	struct store *st;
	char	err[256];
	int	rc;

	if (cfg == NULL)
		return;
	if ((st = mstore_get(cfg, err, sizeof(err))) == NULL) {
		if (!failing)
			log_warning("statistics not stored: %s", err);
		failing = 1;
		mcfg_release(cfg);
		return;
	}
	if ((rc = store_set_sync(st, 0)) != STORE_OK)
		snprintf(err, sizeof(err), "%s", store_errmsg(st));
	else
		rc = mstats_flush(st, conf_store_busy_timeout(mcfg_conf(cfg)), err, sizeof(err));
	/* The write-ahead log is copied into the database from here: message
	 * connections do not checkpoint (mstore_get()). */
	if (rc == STORE_OK && (rc = store_checkpoint(st)) != STORE_OK)
		snprintf(err, sizeof(err), "%s", store_errmsg(st));
	if (rc != STORE_OK) {
		if (!failing)
			log_warning("statistics flush or checkpoint failed (counts kept, retrying): %s", err);
		failing = 1;
		mstore_discard();
	} else
		failing = 0;
	lm_wal_rewind(cfg);
	mcfg_release(cfg);
}

/* lm_drain - after smfi_main() returned: let messages in progress finish */
static void
lm_drain(long seconds)
{
	long	waited = 0;
	struct timespec ts = {0, LM_DRAIN_POLL_MS * 1000000L};

	while (mcb_in_progress() > 0 && waited < seconds * 1000) {
		nanosleep(&ts, NULL);
		waited += LM_DRAIN_POLL_MS;
	}
	if (mcb_in_progress() > 0)
		log_warning("stopping with %ld message(s) still in progress; the MTA will retry them",
			    mcb_in_progress());
}

/* lm_classify - --classify: analyse one message, print JSON */
static int
lm_classify(const struct conf *c, const char *what)
{
	char	err[CONF_ERR_MAX];
	struct reply_analyzer *ra = reply_analyzer_new(c, err, sizeof(err));
	int	rc;

	if (ra == NULL) {
		fprintf(stderr, "%s: %s\n", LM_PROG, err);
		return (EX_CONFIG);
	}
	rc = classify_file(ra, what, stdout);	/* a <sysexits.h> code */
	reply_analyzer_free(ra);
	if (fflush(stdout) != 0 && rc == EX_OK)
		rc = EX_IOERR;
	return (rc);
}

/* Everything main() starts and must stop. */
struct lm_run {
	struct cmdline o;		/* o.extra: --classify FILE */
	struct lm_socket sock;
	struct daemon_ids ids;
	struct mcfg *cfg;
	char	pidfile[LM_SOCKET_MAX];
	int	ready_fd;
	int	pidfile_written;
	int	socket_opened;
	int	milter_status;
	pthread_t tid;
};

/*
 * lm_check_runtime_dirs - -n: name the runtime folders that do not exist
 * yet. They are no configuration error: systemd creates them (the unit's
 * RuntimeDirectory= for the pid file, systemd-tmpfiles for the socket
 * folder inside Postfix's chroot) before links-milter starts, so an admin
 * who runs -n before the first start is told, not failed.
 */
static void
lm_check_runtime_dirs(const struct conf *c, const struct lm_socket *sock)
{
	char	dir[LM_SOCKET_MAX];
	char   *slash;
	struct stat sb;

	if (sock->is_unix && sock->dir_missing) {
		snprintf(dir, sizeof(dir), "%s", sock->path);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
			*slash = 0;
		printf("%s: note: the socket folder %s does not exist yet: systemd-tmpfiles creates"
		       " it (links-mail.conf, at boot and on package install); without systemd,"
		       " create it for the milter's user, searchable by Postfix\n", LM_PROG, dir);
	}
	snprintf(dir, sizeof(dir), "%s", conf_pid_file(c));
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = 0;
		if (stat(dir, &sb) != 0)
			printf("%s: note: the pid_file folder %s does not exist yet: systemd creates"
			       " it when it starts links-milter (RuntimeDirectory=); started by hand"
			       " without -f, create it first\n", LM_PROG, dir);
	}
}

/* lm_check - -n: the configuration was built; check the store, say OK */
static int
lm_check(struct mcfg *cfg, const struct lm_socket *sock)
{
	char	err[CONF_ERR_MAX];
	int	rc = EX_OK;

	lm_check_runtime_dirs(mcfg_conf(cfg), sock);
	if (lm_store_check(mcfg_conf(cfg), err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: store: %s\n", LM_PROG, err);
		rc = store_open_err_temporary(err) ? EX_TEMPFAIL : EX_CONFIG;
	} else {
		printf("%s: configuration OK\n", conf_file(mcfg_conf(cfg))[0]
		       ? conf_file(mcfg_conf(cfg)) : "(defaults)");
	}
	mcfg_release(cfg);
	return (rc);
}

/* lm_configure - load, check and bundle the configuration into R; EX_ code */
static int
lm_configure(struct lm_run *r)
{
	char	err[CONF_ERR_MAX];
	struct conf *c;

	if ((c = lm_load(&r->o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", LM_PROG, err);
		return (EX_CONFIG);
	}
	if (r->o.extra) {
		int	rc = lm_classify(c, r->o.extra);

		conf_free(c);
		return (rc);
	}
	if (lm_socket_parse(c, &r->sock, err, sizeof(err)) != 0
	    || daemon_ids_lookup(conf_user(c), conf_group(c), &r->ids, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", LM_PROG, conf_file(c), err);
		conf_free(c);
		return (EX_CONFIG);
	}
	snprintf(r->pidfile, sizeof(r->pidfile), "%s", conf_pid_file(c));
	if ((r->cfg = mcfg_new(c, err, sizeof(err))) == NULL) {	/* takes C */
		fprintf(stderr, "%s: %s\n", LM_PROG, err);
		return (EX_CONFIG);
	}
	return (EX_OK);
}

/* lm_start - become a daemon, open the socket, drop privileges; EX_ code */
static int
lm_start(struct lm_run *r)
{
	char	err[CONF_ERR_MAX];

	if (!r->o.foreground && daemon_fork(&r->ready_fd, r->o.to_stderr) != 0) {
		log_error("cannot become a daemon: %s", strerror(errno));
		return (EX_OSERR);
	}
	if (lm_socket_open(mcfg_conf(r->cfg), &r->sock, &r->ids, err, sizeof(err)) != 0) {
		log_error("%s", err);
		return (EX_UNAVAILABLE);
	}
	r->socket_opened = r->sock.is_unix;
	if (!r->o.foreground) {
		if (daemon_pidfile(r->pidfile, &r->ids, err, sizeof(err)) != 0) {
			log_error("pid_file %s", err);
			return (EX_CANTCREAT);
		}
		r->pidfile_written = r->pidfile[0] != 0;
	}
	if (daemon_drop(&r->ids, err, sizeof(err)) != 0) {
		log_error("%s", err);
		return (EX_NOPERM);
	}
	if (lm_store_check(mcfg_conf(r->cfg), err, sizeof(err)) != 0) {
		if (!store_open_err_temporary(err)) {
			log_error("store: %s", err);
			return (EX_CONFIG);
		}
		/* exit 78 would keep systemd from restarting it once repaired */
		log_warning("store: %s: starting anyway; until the store opens, messages that "
			    "need it get store_failure_action", err);
	}
	mstate_set(r->cfg);
	if (lm_signals_install(err, sizeof(err)) != 0) {
		log_error("%s", err);
		return (EX_OSERR);
	}
	return (EX_OK);
}

/*
 * lm_thread_stack - smaller stacks for the worker threads of the milter
 * protocol (milter_proto.c; they use the default attributes). glibc keeps
 * about 40 MB of the stacks of ended threads for reuse: five of the
 * default 8 MB (RLIMIT_STACK), so with more connections than that
 * every new session mapped a fresh stack and every ended one unmapped
 * it (page faults, TLB shootdowns): 15-25% of links-milter's CPU per
 * message on ordinary mail at 16 connections (bench/RESULTS.md). With
 * LM_THREAD_STACK twenty stay cached. The deepest work of a session is
 * bounded (mime_max_depth, REPLY_HTML_MAX_DEPTH, libxml2's own depth
 * limit; PCRE2 matches on the heap). Never raised; left alone under
 * AddressSanitizer, whose frames are larger.
 */
static void
lm_thread_stack(void)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	pthread_attr_t a;
	size_t	cur;

	if (pthread_getattr_default_np(&a) != 0)
		return;
	if (pthread_attr_getstacksize(&a, &cur) == 0 && cur > LM_THREAD_STACK
	    && pthread_attr_setstacksize(&a, LM_THREAD_STACK) == 0
	    && pthread_setattr_default_np(&a) != 0)
		log_warning("pthread_setattr_default_np: keeping %zu-byte thread stacks", cur);
	pthread_attr_destroy(&a);
#endif
}

/* lm_thread_start - run smfi_main() in a thread that blocks our signals */
static int
lm_thread_start(struct lm_run *r)
{
	sigset_t block, old;
	int	rc;

	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	lm_thread_stack();
	rc = pthread_create(&r->tid, NULL, lm_milter_thread, &r->milter_status);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("pthread_create: %s", strerror(rc));
		return (EX_OSERR);
	}
	return (EX_OK);
}

/* lm_wait - read the self-pipe until the milter thread ends; flush statistics when idle */
static void
lm_wait(struct lm_run *r)
{
	int	stopping = 0;

	for (;;) {
		char	b;
		ssize_t n = read(lm_pipe[0], &b, 1);

		if (n < 0 && errno == EAGAIN) {
			fd_set	rfds;
			struct timeval tv = {MSTATS_FLUSH_SECS, 0};

			FD_ZERO(&rfds);
			FD_SET(lm_pipe[0], &rfds);
			if (select(lm_pipe[0] + 1, &rfds, NULL, NULL, &tv) == 0)
				lm_flush_stats();
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || b == 'X')
			break;
		if (b == 'H' && !stopping)
			lm_reload(&r->o, &r->sock, r->o.to_stderr);
		else if (b == 'U')
			mstats_log();
		else if (b == 'T' && !stopping) {
			stopping = 1;
			log_notice("stopping");
			smfi_stop();
		}
	}
}

/* lm_serve - serve until stopped; EX_ code */
static int
lm_serve(struct lm_run *r)
{
	int	rc;

	lm_wal_rewind(r->cfg);
	if ((rc = lm_thread_start(r)) != EX_OK)
		return (rc);
	log_notice("%s %s started on %s (pid %ld)", LM_PROG, PACKAGE_VERSION, r->sock.spec,
		   (long) getpid());
	daemon_ready(&r->ready_fd, EX_OK);
	lm_wait(r);
	pthread_join(r->tid, NULL);
	lm_drain(conf_milter_timeout(mcfg_conf(r->cfg)));
	lm_flush_stats();
	mstore_discard();	/* the main thread's connection */
	mstore_pool_clear();
	mstats_log();
	log_notice("stopped");
	return (r->milter_status == MI_SUCCESS ? EX_OK : EX_SOFTWARE);
}

/* main - links-milter */
int
main(int argc, char **argv)
{
	struct lm_run r;
	int	rc;

	memset(&r, 0, sizeof(r));
	r.ready_fd = -1;
	r.milter_status = MI_FAILURE;
	if ((rc = cmdline_parse(argc, argv, &lm_cmdline, &r.o)) != EX_OK)
		return (rc == CMDLINE_DONE ? EX_OK : rc);
	if (r.o.extra || r.o.test_only)
		r.o.to_stderr = 1;
	log_open(LM_PROG, 1, NULL);
	if ((rc = lm_configure(&r)) != EX_OK || r.o.extra)
		return (rc);
	if (r.o.test_only)
		return (lm_check(r.cfg, &r.sock));
	log_open(LM_PROG, r.o.to_stderr, mcfg_conf(r.cfg));
	if ((rc = lm_start(&r)) == EX_OK)
		rc = lm_serve(&r);
	daemon_ready(&r.ready_fd, rc);
	if (r.pidfile_written)
		(void) unlink(r.pidfile);
	/* Ours, also after a failed start: a stale socket would look alive. */
	if (r.socket_opened)
		(void) unlink(r.sock.path);
	mstate_set(NULL);
	mcfg_release(r.cfg);
	log_close();
	return (rc);
}
