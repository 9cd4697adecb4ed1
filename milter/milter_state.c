/*
 * NAME
 *	milter_state 3
 * SUMMARY
 *	links-milter shared state: the running configuration, statistics,
 *	one store connection per worker thread
 * SYNOPSIS
 *	#include "milter_state.h"
 * DESCRIPTION
 *	See milter_state.h. The only process-wide mutable state of the
 *	milter lives here: the running configuration pointer (guarded by a
 *	mutex), the statistics (atomics) and the thread-specific store key.
 *
 *	Why a thread-specific store: libmilter runs each SMTP connection
 *	in its own thread and a SQLite connection must not be shared
 *	between threads without serialising it; one connection per thread
 *	gives each message its own. Opening one is not cheap (schema, key
 *	file, key check: a sixth of the milter's CPU when every session
 *	opened one), so a thread that ends leaves its connection in a
 *	small pool for the next thread.
 * DIAGNOSTICS
 *	Failures to open the store are reported to the caller, who logs.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "milter_state.h"

struct mcfg {
	atomic_int refs;
	struct conf *conf;
	struct reply_analyzer *ra;
	struct maddr_conf *addr;
	enum mcfg_from_policy from_policy;
	enum mcfg_pure_action pure_action;
	int	auto_reply_discard;
	int	bounce_discard;
	int	failure_tempfail;
	char	archive[MADDR_MAX];
	size_t	max_body;
	size_t	ntrusted;
	const char *trusted[MCFG_TRUSTED_MAX];	/* point into conf */
};

struct mcfg *mcfg_new(struct conf *conf, char *err, size_t errlen)
{
	struct mcfg *cfg;
	const char *s;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		snprintf(err, errlen, "out of memory");
		conf_free(conf);
		return NULL;
	}
	atomic_init(&cfg->refs, 1);
	cfg->conf = conf;
	if ((cfg->addr = maddr_conf_new(conf, err, errlen)) == NULL)
		goto fail;
	s = conf_optout_from_policy(conf);
	cfg->from_policy = strcmp(s, "accept") == 0 ? MCFG_FROM_ACCEPT
	    : strcmp(s, "never") == 0 ? MCFG_FROM_NEVER : MCFG_FROM_REQUIRE_AUTH;
	s = conf_pure_refusal_action(conf);
	cfg->pure_action = strcmp(s, "archive") == 0 ? MCFG_PURE_ARCHIVE
	    : strcmp(s, "deliver") == 0 ? MCFG_PURE_DELIVER : MCFG_PURE_DISCARD;
	cfg->auto_reply_discard = strcmp(conf_auto_reply_action(conf), "discard") == 0;
	cfg->bounce_discard = strcmp(conf_bounce_action(conf), "discard") == 0;
	cfg->failure_tempfail = strcmp(conf_store_failure_action(conf), "tempfail") == 0;
	s = conf_archive_address(conf);
	if (maddr_normalise(s, cfg->archive, sizeof(cfg->archive)) != 0) {
		snprintf(err, errlen, "archive_address: not a valid address");
		goto fail;
	}
	if (cfg->pure_action == MCFG_PURE_ARCHIVE && cfg->archive[0] == 0) {
		snprintf(err, errlen, "pure_refusal_action = archive needs archive_address");
		goto fail;
	}
	cfg->max_body = (size_t) conf_max_body_size(conf);
	cfg->ntrusted = conf_trusted_authserv_ids_count(conf);
	if (cfg->ntrusted > MCFG_TRUSTED_MAX) {
		snprintf(err, errlen, "trusted_authserv_ids: more than %d names", MCFG_TRUSTED_MAX);
		goto fail;
	}
	for (size_t i = 0; i < cfg->ntrusted; i++)
		cfg->trusted[i] = conf_trusted_authserv_ids_item(conf, i);
	if ((cfg->ra = reply_analyzer_new(conf, err, errlen)) == NULL)
		goto fail;
	return cfg;

fail:
	maddr_conf_free(cfg->addr);
	conf_free(cfg->conf);
	free(cfg);
	return NULL;
}

struct mcfg *mcfg_ref(struct mcfg *cfg)
{
	if (cfg)
		atomic_fetch_add(&cfg->refs, 1);
	return cfg;
}

void	mcfg_release(struct mcfg *cfg)
{
	if (cfg == NULL || atomic_fetch_sub(&cfg->refs, 1) > 1)
		return;
	reply_analyzer_free(cfg->ra);
	maddr_conf_free(cfg->addr);
	conf_free(cfg->conf);
	free(cfg);
}

const struct conf *mcfg_conf(const struct mcfg *cfg) { return cfg->conf; }
const struct reply_analyzer *mcfg_analyzer(const struct mcfg *cfg) { return cfg->ra; }
const struct maddr_conf *mcfg_addr(const struct mcfg *cfg) { return cfg->addr; }
enum mcfg_from_policy mcfg_from_policy(const struct mcfg *cfg) { return cfg->from_policy; }
enum mcfg_pure_action mcfg_pure_action(const struct mcfg *cfg) { return cfg->pure_action; }
int	mcfg_auto_reply_discard(const struct mcfg *cfg) { return cfg->auto_reply_discard; }
int	mcfg_bounce_discard(const struct mcfg *cfg) { return cfg->bounce_discard; }
int	mcfg_store_failure_tempfail(const struct mcfg *cfg) { return cfg->failure_tempfail; }
const char *mcfg_archive(const struct mcfg *cfg) { return cfg->archive; }
size_t	mcfg_max_body(const struct mcfg *cfg) { return cfg->max_body; }

size_t	mcfg_trusted(const struct mcfg *cfg, const char *const **ids)
{
	*ids = cfg->trusted;
	return cfg->ntrusted;
}

/* ---- the running configuration ---- */

static pthread_mutex_t mstate_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mcfg *mstate_cur;		/* guarded by mstate_lock */

void	mstate_set(struct mcfg *cfg)
{
	struct mcfg *old;

	mcfg_ref(cfg);
	pthread_mutex_lock(&mstate_lock);
	old = mstate_cur;
	mstate_cur = cfg;
	pthread_mutex_unlock(&mstate_lock);
	mcfg_release(old);
}

struct mcfg *mstate_get(void)
{
	struct mcfg *cfg;

	pthread_mutex_lock(&mstate_lock);
	cfg = mcfg_ref(mstate_cur);
	pthread_mutex_unlock(&mstate_lock);
	return cfg;
}

/* ---- one store per thread ---- */

struct mstore_slot {
	struct store *st;
	struct mcfg *cfg;		/* the configuration it was opened with */
};

static pthread_key_t mstore_key;
static pthread_once_t mstore_once = PTHREAD_ONCE_INIT;

/*
 * Connections of ended threads wait here for the next thread. libmilter
 * runs each milter session in a thread of its own, and Postfix opens a
 * session per SMTP connection: without the pool every session would
 * open the database again (schema, key file, key check), which cost
 * about a sixth of the milter's CPU under load.
 */
#define MSTORE_POOL_MAX	64		/* idle connections kept */

static pthread_mutex_t mstore_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mstore_slot *mstore_pool[MSTORE_POOL_MAX];
static size_t mstore_pool_n;

static void mstore_slot_free(void *arg)
{
	struct mstore_slot *slot = arg;

	if (slot == NULL)
		return;
	if (slot->st) {
		pthread_mutex_lock(&mstore_pool_lock);
		if (mstore_pool_n < MSTORE_POOL_MAX) {
			mstore_pool[mstore_pool_n++] = slot;
			slot = NULL;
		}
		pthread_mutex_unlock(&mstore_pool_lock);
		if (slot == NULL)
			return;
		store_close(slot->st);
	}
	mcfg_release(slot->cfg);
	free(slot);
}

/* An idle connection opened with CFG, or NULL. Others are closed. */
static struct mstore_slot *mstore_pool_take(struct mcfg *cfg)
{
	struct mstore_slot *found = NULL, *stale[MSTORE_POOL_MAX];
	size_t	nstale = 0;

	pthread_mutex_lock(&mstore_pool_lock);
	while (mstore_pool_n > 0 && found == NULL) {
		struct mstore_slot *slot = mstore_pool[--mstore_pool_n];

		if (slot->cfg == cfg)
			found = slot;
		else
			stale[nstale++] = slot;	/* from before a reload */
	}
	pthread_mutex_unlock(&mstore_pool_lock);
	for (size_t i = 0; i < nstale; i++) {
		store_close(stale[i]->st);
		mcfg_release(stale[i]->cfg);
		free(stale[i]);
	}
	return found;
}

void	mstore_pool_clear(void)
{
	struct mstore_slot *slot;

	for (;;) {
		pthread_mutex_lock(&mstore_pool_lock);
		slot = mstore_pool_n > 0 ? mstore_pool[--mstore_pool_n] : NULL;
		pthread_mutex_unlock(&mstore_pool_lock);
		if (slot == NULL)
			break;
		store_close(slot->st);
		mcfg_release(slot->cfg);
		free(slot);
	}
}

static void mstore_key_init(void)
{
	if (pthread_key_create(&mstore_key, mstore_slot_free) != 0)
		abort();		/* cannot happen: only on exhaustion at start */
}

struct store *mstore_get(struct mcfg *cfg, char *err, size_t errlen)
{
	struct mstore_slot *slot;

	pthread_once(&mstore_once, mstore_key_init);
	if ((slot = pthread_getspecific(mstore_key)) == NULL) {
		if ((slot = mstore_pool_take(cfg)) != NULL) {
			if (pthread_setspecific(mstore_key, slot) != 0) {
				mstore_slot_free(slot);
				snprintf(err, errlen, "pthread_setspecific failed");
				return NULL;
			}
			return slot->st;
		}
		if ((slot = calloc(1, sizeof(*slot))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		if (pthread_setspecific(mstore_key, slot) != 0) {
			free(slot);
			snprintf(err, errlen, "pthread_setspecific failed");
			return NULL;
		}
	}
	if (slot->st && slot->cfg == cfg)
		return slot->st;
	if (slot->st) {
		store_close(slot->st);
		slot->st = NULL;
	}
	mcfg_release(slot->cfg);
	slot->cfg = NULL;
	if ((slot->st = store_open(cfg->conf, err, errlen)) == NULL)
		return NULL;
	/* Checkpoints run from the main thread (mstats_flush's caller), not
	 * inside a message's commit. */
	if (store_set_autocheckpoint(slot->st, 0) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(slot->st));
		store_close(slot->st);
		slot->st = NULL;
		return NULL;
	}
	slot->cfg = mcfg_ref(cfg);
	return slot->st;
}

void	mstore_discard(void)
{
	struct mstore_slot *slot;

	pthread_once(&mstore_once, mstore_key_init);
	if ((slot = pthread_getspecific(mstore_key)) == NULL)
		return;
	if (slot->st)
		store_close(slot->st);
	slot->st = NULL;
	mcfg_release(slot->cfg);
	slot->cfg = NULL;
}

static pthread_mutex_t mstore_writer = PTHREAD_MUTEX_INITIALIZER;

int	mstore_write_lock(long timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_mutex_timedlock(&mstore_writer, &ts) == 0 ? 0 : -1;
}

void	mstore_write_unlock(void)
{
	pthread_mutex_unlock(&mstore_writer);
}

/* ---- statistics ---- */

static atomic_long mstats[MSTAT_COUNT];

static const char *const mstat_names[MSTAT_COUNT] = {
	"milter.messages", "milter.optouts", "milter.unverified", "milter.questions",
	"milter.routed", "milter.discarded", "milter.archived", "milter.auto_replies",
	"milter.bounces", "milter.bounce_rcpts", "milter.tempfails", "milter.store_errors",
	"milter.passed",
};

/* Deltas the store has not seen yet, for the counters kept there. */
static atomic_long mstats_pending[MSTAT_COUNT];

/* The counters kept in the store (the others live only in the process). */
static const unsigned char mstat_stored[MSTAT_COUNT] = {
	[MSTAT_MESSAGES] = 1, [MSTAT_OPTOUTS] = 1, [MSTAT_UNVERIFIED] = 1,
	[MSTAT_QUESTIONS] = 1, [MSTAT_ROUTED] = 1, [MSTAT_AUTO_REPLIES] = 1,
	[MSTAT_BOUNCES] = 1, [MSTAT_TEMPFAILS] = 1,
};

void	mstats_add(enum mstat which, long n)
{
	if ((unsigned) which < MSTAT_COUNT) {
		atomic_fetch_add(&mstats[which], n);
		if (mstat_stored[which])
			atomic_fetch_add(&mstats_pending[which], n);
	}
}

void	mstats_add_total(enum mstat which, long n)
{
	if ((unsigned) which < MSTAT_COUNT)
		atomic_fetch_add(&mstats[which], n);
}

void	mstats_take(long d[MSTAT_COUNT])
{
	for (int i = 0; i < MSTAT_COUNT; i++)
		d[i] = atomic_exchange(&mstats_pending[i], 0);
}

void	mstats_give_back(const long d[MSTAT_COUNT])
{
	for (int i = 0; i < MSTAT_COUNT; i++)
		if (d[i] != 0)
			atomic_fetch_add(&mstats_pending[i], d[i]);
}

int	mstats_store(struct store *st, const long d[MSTAT_COUNT])
{
	int	rc;

	for (int i = 0; i < MSTAT_COUNT; i++)
		if (d[i] != 0 && mstat_stored[i]
		    && (rc = store_counter_add(st, mstat_names[i], d[i])) != STORE_OK)
			return rc;
	return STORE_OK;
}

/*
 * mstats_flush - store what is pending, in one transaction of its own
 * (taking the milter's write lock like a message does). Nothing to do:
 * STORE_OK without touching the store. On failure the deltas are kept
 * for the next flush and ERR says why.
 */
int	mstats_flush(struct store *st, long lock_timeout_ms, char *err, size_t errlen)
{
	long	d[MSTAT_COUNT];
	int	rc, any = 0;

	for (int i = 0; i < MSTAT_COUNT; i++)
		if (atomic_load(&mstats_pending[i]) != 0)
			any = 1;
	if (!any)
		return STORE_OK;
	if (mstore_write_lock(lock_timeout_ms) != 0) {
		snprintf(err, errlen, "waited store_busy_timeout for the write lock");
		return STORE_TEMP;
	}
	mstats_take(d);
	if ((rc = store_begin(st)) == STORE_OK) {
		if ((rc = mstats_store(st, d)) == STORE_OK)
			rc = store_commit(st);
		else
			(void) store_rollback(st);
	}
	if (rc != STORE_OK)
		snprintf(err, errlen, "%s", store_errmsg(st));
	mstore_write_unlock();
	if (rc != STORE_OK)
		mstats_give_back(d);
	return rc;
}

long	mstats_get(enum mstat which)
{
	return (unsigned) which < MSTAT_COUNT ? atomic_load(&mstats[which]) : 0;
}

const char *mstat_store_name(enum mstat which)
{
	return (unsigned) which < MSTAT_COUNT ? mstat_names[which] : "milter.unknown";
}

void	mstats_log(void)
{
	char	line[1024];
	size_t	n = 0;

	for (int i = 0; i < MSTAT_COUNT && n < sizeof(line); i++) {
		int	w = snprintf(line + n, sizeof(line) - n, "%s%s=%ld", i ? " " : "",
				     mstat_names[i] + strlen("milter."), atomic_load(&mstats[i]));

		if (w < 0)
			break;
		n += (size_t) w;
	}
	log_notice("statistics: %s", line);
}
