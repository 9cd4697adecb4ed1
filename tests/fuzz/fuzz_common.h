/*
 * NAME
 *	fuzz_common 3h
 * SUMMARY
 *	helpers shared by the links-mail fuzz targets
 * SYNOPSIS
 *	#include "fuzz_common.h"
 *
 *	const char *fuzz_tmpdir(void);
 *	void	fuzz_write_file(const char *path, const uint8_t *data, size_t size);
 *	int	fuzz_valid_utf8(const char *s, size_t len);
 *	void	fuzz_check(int cond, const char *what);
 * DESCRIPTION
 *	fuzz_tmpdir() makes, on first use, a private directory (under
 *	/dev/shm when it is writable, else $TMPDIR or /tmp) that is removed
 *	with its files at exit; the result is owned by this module.
 *
 *	fuzz_write_file() replaces PATH (mode 0600) with SIZE bytes of DATA.
 *
 *	fuzz_valid_utf8() says whether LEN bytes of S are well-formed UTF-8
 *	(no overlong forms, surrogates or code points above U+10FFFF).
 *
 *	fuzz_check() aborts with a message naming the broken invariant:
 *	that is how a target reports a finding that is not a crash.
 * DIAGNOSTICS
 *	fuzz_tmpdir() and fuzz_write_file() abort when the file system
 *	refuses: a fuzz run cannot go on without them.
 */
#ifndef LINKS_FUZZ_COMMON_H
#define LINKS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_PATH_MAX	4096

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *fuzz_tmpdir(void);
void	fuzz_write_file(const char *path, const uint8_t *data, size_t size);
int	fuzz_valid_utf8(const char *s, size_t len);
void	fuzz_check(int cond, const char *what);

#endif
