/*
 * NAME
 *	fuzz_store_setup 3h
 * SUMMARY
 *	a throw-away store for the fuzz targets
 * SYNOPSIS
 *	#include "fuzz_store_setup.h"
 *
 *	struct store *fuzz_store_open(const char *name);
 *	struct conf *fuzz_store_conf(void);
 *	void	fuzz_store_close(struct store *st);
 * DESCRIPTION
 *	fuzz_store_open() creates, in fuzz_tmpdir(), the key file NAME.key
 *	holding FUZZ_STORE_KEY (fixed, so that seed corpora may hold valid
 *	tokens), an empty database NAME.db with store_init(), and opens it
 *	with a short busy timeout. fuzz_store_close() closes it and removes
 *	the files, so the next open starts empty. The struct is the
 *	caller's until fuzz_store_close(). fuzz_store_conf() returns a new
 *	configuration naming the files of the last fuzz_store_open() (for
 *	targets that open more connections); the caller frees it.
 * DIAGNOSTICS
 *	Aborts when the store cannot be made: the target cannot run.
 */
#ifndef LINKS_FUZZ_STORE_SETUP_H
#define LINKS_FUZZ_STORE_SETUP_H

#include "conf.h"
#include "store.h"

/* 32 bytes in hex: a test key, never a real one. */
#define FUZZ_STORE_KEY \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"

struct store *fuzz_store_open(const char *name);
/* A configuration naming the files of the last fuzz_store_open(); the caller frees it. */
struct conf *fuzz_store_conf(void);
void	fuzz_store_close(struct store *st);

#endif
