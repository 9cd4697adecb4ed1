/*
 * NAME
 *	milter_serve 3
 * SUMMARY
 *	links-milter's milter sockets and connection threads
 * SYNOPSIS
 *	#include <libmilter/mfapi.h>
 *
 *	smfi_setconn(), smfi_setbacklog(), smfi_opensocket(), smfi_main(),
 *	smfi_stop()
 * DESCRIPTION
 *	The listening socket (unix:PATH, local:PATH, /PATH, inet:PORT@HOST,
 *	inet6:PORT@HOST) and the threads that serve its connections with
 *	mproto_session() (milter_proto.c), behind libmilter's API.
 *
 *	Threads: every worker waits in accept() on the listening socket
 *	itself (the kernel wakes one per connection) and serves the
 *	connection it took to its end, so a connection costs no hand-off
 *	between threads. The worker that takes the last idle place starts
 *	another (no limit, as libmilter has none); a worker idle for
 *	MPROTO_IDLE_SECS ends while MPROTO_KEEP_IDLE others wait.
 *	smfi_main() starts the first worker and waits for smfi_stop(),
 *	which shuts the listening socket down: the idle workers leave
 *	accept(), smfi_main() returns and the connections in progress carry
 *	on (links-milter drains them). It first waits up to
 *	MSERVE_JOIN_SECS for the workers to end, so that what a thread
 *	keeps for itself (OpenSSL's per-thread state) is freed before the
 *	program exits. Signals are the program's business: nothing here
 *	handles one.
 *
 * DIAGNOSTICS
 *	MI_SUCCESS or MI_FAILURE as libmilter's functions; failures to
 *	accept or to start a thread are logged.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "log.h"
#include "milter_proto.h"

#define MPROTO_MAX_SPEC		1024
#define MPROTO_BACKLOG		SOMAXCONN
#define MPROTO_IDLE_SECS	60
#define MPROTO_KEEP_IDLE	32
#define MSERVE_JOIN_SECS	5

static char mproto_spec[MPROTO_MAX_SPEC];
static int mproto_backlog = MPROTO_BACKLOG;
static int mproto_lfd = -1;
static atomic_int mproto_stopping;

/* A worker thread: joinable, so that smfi_main() can wait for its end. */
struct mserve_worker {
	pthread_t tid;
	struct mserve_worker *next;
};

/*
 * The workers: each waits in accept() on the listening socket itself, so
 * that a connection costs no hand-off between threads. mserve_idle counts
 * the workers in accept(); the one that takes the last idle place starts
 * another. The lock guards the lists and the stop flag's condition only.
 */
static pthread_mutex_t mserve_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mserve_cond = PTHREAD_COND_INITIALIZER;	/* stop or failure */
static atomic_int mserve_idle;			/* workers waiting in accept() */
static int mserve_failed;			/* accept() failed for good */
static struct mserve_worker *mserve_live;	/* running workers */
static struct mserve_worker *mserve_ended;	/* returned, not yet joined */

/* ---- the library's settings ---- */

int
smfi_setconn(char *spec)
{
	if (spec == NULL || strlen(spec) >= sizeof(mproto_spec) || *spec == 0)
		return (MI_FAILURE);
	memcpy(mproto_spec, spec, strlen(spec) + 1);
	return (MI_SUCCESS);
}

int
smfi_setbacklog(int backlog)
{
	if (backlog <= 0)
		return (MI_FAILURE);
	mproto_backlog = backlog;
	return (MI_SUCCESS);
}

/* ---- the socket ---- */

/* mproto_listen_unix - bind and listen at PATH (removed first if RM); -1 with errno */
static int
mproto_listen_unix(const char *path, int rm)
{
	struct sockaddr_un sun;
	int	fd, e;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (rm)
		(void) unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return (-1);
	if (bind(fd, (struct sockaddr *) &sun, sizeof(sun)) != 0
	    || listen(fd, mproto_backlog) != 0)
		goto fail;
	return (fd);
fail:
	e = errno;
	(void) close(fd);
	errno = e;
	return (-1);
}

/* mproto_listen_inet - "PORT@HOST" or "PORT" (all addresses) of FAMILY; -1 with errno */
static int
mproto_listen_inet(const char *where, int family)
{
	char	port[32];
	const char *at = strchr(where, '@');
	const char *host = at ? at + 1 : NULL;
	size_t	plen = at ? (size_t) (at - where) : strlen(where);
	struct addrinfo hints, *res = NULL, *ai;
	int	fd = -1, one = 1, e = EADDRNOTAVAIL;

	if (plen == 0 || plen >= sizeof(port)) {
		errno = EINVAL;
		return (-1);
	}
	memcpy(port, where, plen);
	port[plen] = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (getaddrinfo(host && *host ? host : NULL, port, &hints, &res) != 0) {
		errno = EADDRNOTAVAIL;
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0)) < 0) {
			e = errno;
			continue;
		}
		(void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, mproto_backlog) == 0)
			break;
		e = errno;
		(void) close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		errno = e;
	return (fd);
}

int
smfi_opensocket(bool rmsocket)
{
	const char *s = mproto_spec;

	if (mproto_lfd >= 0)
		return (MI_SUCCESS);
	if (!mproto_registered() || *s == 0)
		return (MI_FAILURE);
	if (strncmp(s, "unix:", 5) == 0)
		mproto_lfd = mproto_listen_unix(s + 5, rmsocket);
	else if (strncmp(s, "local:", 6) == 0)
		mproto_lfd = mproto_listen_unix(s + 6, rmsocket);
	else if (s[0] == '/')
		mproto_lfd = mproto_listen_unix(s, rmsocket);
	else if (strncmp(s, "inet:", 5) == 0)
		mproto_lfd = mproto_listen_inet(s + 5, AF_INET);
	else if (strncmp(s, "inet6:", 6) == 0)
		mproto_lfd = mproto_listen_inet(s + 6, AF_INET6);
	else
		errno = EINVAL;
	return (mproto_lfd >= 0 ? MI_SUCCESS : MI_FAILURE);
}

/* ---- the workers ---- */

/* mserve_unlink - take W out of the list at *HEAD (under mserve_lock) */
static void
mserve_unlink(struct mserve_worker **head, struct mserve_worker *w)
{
	for (; *head != NULL; head = &(*head)->next)
		if (*head == w) {
			*head = w->next;
			return;
		}
}

/* mserve_reap - join the workers that have ended */
static void
mserve_reap(void)
{
	struct mserve_worker *w;

	pthread_mutex_lock(&mserve_lock);
	w = mserve_ended;
	mserve_ended = NULL;
	pthread_mutex_unlock(&mserve_lock);
	while (w != NULL) {
		struct mserve_worker *next = w->next;

		(void) pthread_join(w->tid, NULL);
		free(w);
		w = next;
	}
}

static void *mserve_worker(void *);

/* mserve_spawn - start one more worker; -1 (logged) when it cannot */
static int
mserve_spawn(void)
{
	struct mserve_worker *w;
	int	rc;

	mserve_reap();
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		log_error("milter: cannot start a connection thread: out of memory");
		return (-1);
	}
	pthread_mutex_lock(&mserve_lock);
	w->next = mserve_live;
	mserve_live = w;
	if ((rc = pthread_create(&w->tid, NULL, mserve_worker, w)) != 0) {
		mserve_live = w->next;
		pthread_mutex_unlock(&mserve_lock);
		free(w);
		log_error("milter: cannot start a connection thread: %s", strerror(rc));
		return (-1);
	}
	pthread_mutex_unlock(&mserve_lock);
	return (0);
}

/* mserve_fail - accept() cannot go on: make smfi_main() return MI_FAILURE */
static void
mserve_fail(void)
{
	pthread_mutex_lock(&mserve_lock);
	mserve_failed = 1;
	pthread_cond_broadcast(&mserve_cond);
	pthread_mutex_unlock(&mserve_lock);
}

/*
 * mserve_accept - the next connection for a worker; -1 when the worker
 * should end (stop, failure, or idle for MPROTO_IDLE_SECS while at least
 * MPROTO_KEEP_IDLE others wait). Starts another worker when this one
 * took the last idle place.
 */
static int
mserve_accept(int lfd)
{
	for (;;) {
		int	fd, e, left;

		if (atomic_load(&mproto_stopping))
			return (-1);
		atomic_fetch_add(&mserve_idle, 1);
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		e = errno;
		left = atomic_fetch_sub(&mserve_idle, 1) - 1;
		if (atomic_load(&mproto_stopping)) {
			if (fd >= 0)
				(void) close(fd);	/* the MTA applies its milter default action */
			return (-1);
		}
		if (fd >= 0) {
			if (left == 0)
				(void) mserve_spawn();
			return (fd);
		}
		if (e == EAGAIN || e == EWOULDBLOCK) {		/* idle: SO_RCVTIMEO */
			if (left >= MPROTO_KEEP_IDLE)
				return (-1);
			continue;
		}
		if (e == EINTR || e == ECONNABORTED)
			continue;
		if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
			log_warning("milter socket: accept: %s", strerror(e));
			sleep(1);
			continue;
		}
		log_error("milter socket: accept: %s", strerror(e));
		mserve_fail();
		return (-1);
	}
}

/* mserve_worker - accept and serve connections until told to end; ARG is its record */
static void *
mserve_worker(void *arg)
{
	struct mserve_worker *w = arg;
	SMFICTX *ctx = mproto_ctx_new();
	int	fd;

	if (ctx == NULL)
		log_error("milter connection thread: out of memory");
	else {
		while ((fd = mserve_accept(mproto_lfd)) >= 0)
			mproto_session(ctx, fd);
		mproto_ctx_free(ctx);
	}
	pthread_mutex_lock(&mserve_lock);
	mserve_unlink(&mserve_live, w);
	w->next = mserve_ended;
	mserve_ended = w;
	if (mserve_live == NULL)
		pthread_cond_broadcast(&mserve_cond);	/* smfi_main() may be waiting for the last */
	pthread_mutex_unlock(&mserve_lock);
	return (NULL);
}

/*
 * mserve_join_all - at stop: wait up to MSERVE_JOIN_SECS for every
 * worker to end (the idle ones leave accept() when the socket is shut
 * down); one still serving a connection then is left to finish on its
 * own. Returns the number of workers still running.
 */
static int
mserve_join_all(void)
{
	struct timespec until;
	struct mserve_worker *w;
	int	left = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += MSERVE_JOIN_SECS;
	for (;;) {
		pthread_mutex_lock(&mserve_lock);
		if ((w = mserve_live) != NULL)
			mserve_live = w->next;
		pthread_mutex_unlock(&mserve_lock);
		if (w == NULL)
			break;
		if (pthread_timedjoin_np(w->tid, NULL, &until) != 0) {
			left++;
			continue;	/* still serving: it files itself on mserve_ended at its end */
		}
		pthread_mutex_lock(&mserve_lock);
		mserve_unlink(&mserve_ended, w);
		pthread_mutex_unlock(&mserve_lock);
		free(w);
	}
	mserve_reap();
	return (left);
}

int
smfi_main(void)
{
	struct timeval idle = {MPROTO_IDLE_SECS, 0};
	int	lfd, failed;

	if (smfi_opensocket(0) != MI_SUCCESS) {
		log_error("milter socket %s: %s", mproto_spec, strerror(errno));
		return (MI_FAILURE);
	}
	lfd = mproto_lfd;
	/* an idle worker's accept() returns EAGAIN after this long */
	(void) setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	if (!atomic_load(&mproto_stopping) && mserve_spawn() != 0)
		mserve_fail();
	pthread_mutex_lock(&mserve_lock);
	while (!atomic_load(&mproto_stopping) && !mserve_failed)
		pthread_cond_wait(&mserve_cond, &mserve_lock);
	failed = mserve_failed;
	pthread_mutex_unlock(&mserve_lock);
	if (failed) {
		atomic_store(&mproto_stopping, 1);
		(void) shutdown(lfd, SHUT_RDWR);	/* wakes the workers in accept() */
	}
	/*
	 * The socket stays open (shut down) while a worker may still call
	 * accept() on it, so that its descriptor cannot be reused under it.
	 */
	if (mserve_join_all() == 0) {
		mproto_lfd = -1;
		(void) close(lfd);
	}
	return (failed ? MI_FAILURE : MI_SUCCESS);
}

int
smfi_stop(void)
{
	pthread_mutex_lock(&mserve_lock);
	atomic_store(&mproto_stopping, 1);
	if (mproto_lfd >= 0)
		(void) shutdown(mproto_lfd, SHUT_RDWR);	/* wakes the workers in accept() */
	pthread_cond_broadcast(&mserve_cond);
	pthread_mutex_unlock(&mserve_lock);
	return (MI_SUCCESS);
}
