/*
 * NAME
 *	milter_state 3
 * SUMMARY
 *	links-milter running configuration
 * SYNOPSIS
 *	#include "milter_state.h"
 * DESCRIPTION
 *	See milter_state.h. One pointer, guarded by a mutex: the main
 *	thread replaces it on SIGHUP while libmilter's threads read it at
 *	each MAIL FROM.
 * DIAGNOSTICS
 *	None.
 */
#include "config.h"

#include <pthread.h>

#include "milter_state.h"

static pthread_mutex_t mstate_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mcfg *mstate_cur;		/* guarded by mstate_lock */

/* mstate_set - install CFG as the running configuration */
void
mstate_set(struct mcfg *cfg)
{
	struct mcfg *old;

	mcfg_ref(cfg);
	pthread_mutex_lock(&mstate_lock);
	old = mstate_cur;
	mstate_cur = cfg;
	pthread_mutex_unlock(&mstate_lock);
	mcfg_release(old);
}

/* mstate_get - the running configuration, with a reference for the caller */
struct mcfg *
mstate_get(void)
{
	struct mcfg *cfg;

	pthread_mutex_lock(&mstate_lock);
	cfg = mcfg_ref(mstate_cur);
	pthread_mutex_unlock(&mstate_lock);
	return (cfg);
}
