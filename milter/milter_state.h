/*
 * NAME
 *	milter_state 3h
 * SUMMARY
 *	links-milter running configuration
 * SYNOPSIS
 *	#include "milter_state.h"
 *
 *	void	mstate_set(struct mcfg *cfg);
 *	struct mcfg *mstate_get(void);
 * DESCRIPTION
 *	mstate_set() installs CFG as the running configuration, taking a
 *	reference of its own; the previous one is released and lives on
 *	only as long as messages still hold it. mstate_set(NULL) clears it
 *	at shutdown.
 *
 *	mstate_get() returns the running configuration with a reference
 *	added for the caller (mcfg_release() it), or NULL before the first
 *	mstate_set().
 * DIAGNOSTICS
 *	None.
 */
#ifndef LINKS_MILTER_STATE_H
#define LINKS_MILTER_STATE_H

#include "milter_cfg.h"

void	mstate_set(struct mcfg *cfg);
struct mcfg *mstate_get(void);

#endif
