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
 *	Threads: smfi_main() accepts connections and hands each to an idle
 *	worker, or starts a worker when none is idle (no limit, as
 *	libmilter has none); a worker serves its connection to its end,
 *	then waits MPROTO_IDLE_SECS for another before it exits (at most
 *	MPROTO_KEEP_IDLE stay). smfi_stop() closes the listening socket:
 *	smfi_main() returns and the connections in progress carry on
 *	(links-milter drains them); it first waits up to MSERVE_JOIN_SECS
 *	for its idle and ending workers to end, so that what a thread keeps
 *	for itself (OpenSSL's per-thread state) is freed before the
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
	int	fd;			/* its first connection */
	struct mserve_worker *next;
};

/* The workers waiting for a connection, and the connections handed to them. */
static pthread_mutex_t mproto_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mproto_cond = PTHREAD_COND_INITIALIZER;
static int mproto_idle;			/* waiting workers not yet given a connection */
static int *mproto_queue;		/* handed connections */
static size_t mproto_qcap, mproto_qhead, mproto_qlen;
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

/* mserve_unlink - take W out of the list at *HEAD (under mproto_lock) */
static void
mserve_unlink(struct mserve_worker **head, struct mserve_worker *w)
{
	for (; *head != NULL; head = &(*head)->next)
		if (*head == w) {
			*head = w->next;
			return;
		}
}

/* mserve_wait - wait for a handed connection; -1 when worker W should end (it is then on mserve_ended) */
static int
mserve_wait(struct mserve_worker *w)
{
	int	fd = -1;

	pthread_mutex_lock(&mproto_lock);
	mproto_idle++;
	for (;;) {
		struct timespec until;
		int	e;

		if (mproto_qlen > 0) {
			fd = mproto_queue[mproto_qhead];
			mproto_qhead = (mproto_qhead + 1) % mproto_qcap;
			mproto_qlen--;
			break;			/* the hander counted us out of mproto_idle */
		}
		if (atomic_load(&mproto_stopping)) {
			mproto_idle--;
			break;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += MPROTO_IDLE_SECS;
		e = pthread_cond_timedwait(&mproto_cond, &mproto_lock, &until);
		if (e == ETIMEDOUT && mproto_qlen == 0 && mproto_idle > MPROTO_KEEP_IDLE) {
			mproto_idle--;
			break;
		}
	}
	if (fd < 0) {
		mserve_unlink(&mserve_live, w);
		w->next = mserve_ended;
		mserve_ended = w;
	}
	pthread_mutex_unlock(&mproto_lock);
	return (fd);
}

/* mserve_worker - serve the first connection of ARG (its record), then others handed to it */
static void *
mserve_worker(void *arg)
{
	struct mserve_worker *w = arg;
	SMFICTX *ctx = mproto_ctx_new();
	int	fd = w->fd;

	if (ctx == NULL) {
		log_error("milter connection: out of memory");
		(void) close(fd);
		fd = -1;
		pthread_mutex_lock(&mproto_lock);
		mserve_unlink(&mserve_live, w);
		w->next = mserve_ended;
		mserve_ended = w;
		pthread_mutex_unlock(&mproto_lock);
	}
	while (fd >= 0) {
		mproto_session(ctx, fd);
		fd = mserve_wait(w);
	}
	mproto_ctx_free(ctx);
	return (NULL);
}

/* mserve_reap - join the workers that have ended */
static void
mserve_reap(void)
{
	struct mserve_worker *w;

	pthread_mutex_lock(&mproto_lock);
	w = mserve_ended;
	mserve_ended = NULL;
	pthread_mutex_unlock(&mproto_lock);
	while (w != NULL) {
		struct mserve_worker *next = w->next;

		(void) pthread_join(w->tid, NULL);
		free(w);
		w = next;
	}
}

/* mserve_queue_push - queue FD for an idle worker (under mproto_lock); -1 when out of memory */
static int
mserve_queue_push(int fd)
{
	if (mproto_qlen == mproto_qcap) {
		size_t	ncap = mproto_qcap ? mproto_qcap * 2 : 64;
		int    *nq = malloc(ncap * sizeof(*nq));

		if (nq == NULL)
			return (-1);
		for (size_t i = 0; i < mproto_qlen; i++)
			nq[i] = mproto_queue[(mproto_qhead + i) % mproto_qcap];
		free(mproto_queue);
		mproto_queue = nq;
		mproto_qcap = ncap;
		mproto_qhead = 0;
	}
	mproto_queue[(mproto_qhead + mproto_qlen) % mproto_qcap] = fd;
	mproto_qlen++;
	return (0);
}

/* mserve_hand - give connection FD to an idle worker or a new one */
static void
mserve_hand(int fd)
{
	struct mserve_worker *w;
	int	rc;

	pthread_mutex_lock(&mproto_lock);
	if (mproto_idle > 0) {
		if (mserve_queue_push(fd) < 0) {
			pthread_mutex_unlock(&mproto_lock);
			log_error("milter connection refused: out of memory");
			(void) close(fd);
			return;
		}
		mproto_idle--;
		pthread_cond_signal(&mproto_cond);
		pthread_mutex_unlock(&mproto_lock);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		pthread_mutex_unlock(&mproto_lock);
		log_error("milter connection refused: out of memory");
		(void) close(fd);
		return;
	}
	w->fd = fd;
	w->next = mserve_live;
	mserve_live = w;
	if ((rc = pthread_create(&w->tid, NULL, mserve_worker, w)) != 0) {
		mserve_live = w->next;
		free(w);
		pthread_mutex_unlock(&mproto_lock);
		log_error("milter connection refused: cannot start a thread: %s", strerror(rc));
		(void) close(fd);
		return;
	}
	pthread_mutex_unlock(&mproto_lock);
}

/*
 * mserve_join_all - at stop: wake the idle workers, wait up to
 * MSERVE_JOIN_SECS for every worker to end; one still serving a
 * connection then is left to finish on its own
 */
static void
mserve_join_all(void)
{
	struct timespec until;
	struct mserve_worker *w;

	pthread_mutex_lock(&mproto_lock);
	pthread_cond_broadcast(&mproto_cond);
	pthread_mutex_unlock(&mproto_lock);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += MSERVE_JOIN_SECS;
	for (;;) {
		pthread_mutex_lock(&mproto_lock);
		if ((w = mserve_live) != NULL)
			mserve_live = w->next;
		pthread_mutex_unlock(&mproto_lock);
		if (w == NULL)
			break;
		if (pthread_timedjoin_np(w->tid, NULL, &until) != 0)
			continue;	/* still serving: it files itself on mserve_ended at its end */
		pthread_mutex_lock(&mproto_lock);
		mserve_unlink(&mserve_ended, w);
		pthread_mutex_unlock(&mproto_lock);
		free(w);
	}
	mserve_reap();
}

int
smfi_main(void)
{
	int	lfd;

	if (smfi_opensocket(0) != MI_SUCCESS) {
		log_error("milter socket %s: %s", mproto_spec, strerror(errno));
		return (MI_FAILURE);
	}
	lfd = mproto_lfd;
	while (!atomic_load(&mproto_stopping)) {
		int	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (atomic_load(&mproto_stopping))
				break;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS
			    || errno == ENOMEM) {
				log_warning("milter socket: accept: %s", strerror(errno));
				sleep(1);
				continue;
			}
			log_error("milter socket: accept: %s", strerror(errno));
			return (MI_FAILURE);
		}
		mserve_reap();
		mserve_hand(fd);
	}
	mproto_lfd = -1;
	(void) close(lfd);
	mserve_join_all();
	return (MI_SUCCESS);
}

int
smfi_stop(void)
{
	atomic_store(&mproto_stopping, 1);
	if (mproto_lfd >= 0)
		(void) shutdown(mproto_lfd, SHUT_RDWR);	/* wakes accept() */
	return (MI_SUCCESS);
}
