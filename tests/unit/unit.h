/*
 * NAME
 *	unit 3h
 * SUMMARY
 *	the one way a unit test program runs its suite
 * SYNOPSIS
 *	#include "unit.h"
 *
 *	int	unit_run(Suite *s);
 * DESCRIPTION
 *	unit_run() runs every test case of S with check(3) (forking, as
 *	check does by default, so a crash fails one test, not the
 *	program), frees the runner (which frees S) and returns the exit
 *	status for main(): EXIT_SUCCESS when every test passed.
 */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdlib.h>

static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int	failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed ? EXIT_FAILURE : EXIT_SUCCESS);
}

#endif
