/*
 * NAME
 *	sq_walvfs 3h
 * SUMMARY
 *	the SQLite VFS of the store's connections (one write per log commit)
 * SYNOPSIS
 *	#include "sq_walvfs.h"
 *
 *	const char *sq_walvfs_name(void);
 * DESCRIPTION
 *	See sq_walvfs.c.
 */
#ifndef SQ_WALVFS_H
#define SQ_WALVFS_H

extern const char *sq_walvfs_name(void);

#endif
