/*
 * NAME
 *	links-store 3h
 * SUMMARY
 *	the parts of links-store(8) its command files share
 * SYNOPSIS
 *	#include "links-store.h"
 * DESCRIPTION
 *	links-store.c holds the command line, the dispatch and the everyday
 *	commands; links-store-admin.c the administrator's commands that
 *	change the store as a whole or forget a customer (customer delete,
 *	customer set-email, key rotate, backup, restore, migrate-to).
 *
 *	fail() prints "links-store: WHAT: the store's message" and returns
 *	the exit status for RC (sysexits.h). find_customer() looks a
 *	customer up by id (all digits) or address. staff_evidence() names
 *	the person who runs the command: the name of the real uid, or
 *	"root (sudo NAME)" under sudo, for consent events and the log.
 * DIAGNOSTICS
 *	Exit statuses: see links-store.c.
 */
#ifndef LINKS_STORE_CLI_H
#define LINKS_STORE_CLI_H

#include <stddef.h>

#include "conf.h"
#include "store.h"

#define PROG		"links-store"

int	fail(struct store *st, int rc, const char *what);
int	find_customer(struct store *st, const char *arg, struct store_customer *c);
void	staff_evidence(char *buf, size_t len);

int	cmd_customer_delete(struct store *st, int argc, char **argv);
int	cmd_customer_set_email(struct store *st, int argc, char **argv);
int	cmd_backup(struct store *st, struct conf *conf, int argc, char **argv);
int	cmd_restore(struct conf *conf, int argc, char **argv);
int	cmd_key(struct conf *conf, int argc, char **argv);
int	cmd_migrate_to(struct store *src, struct conf *conf, int argc, char **argv);

#endif
