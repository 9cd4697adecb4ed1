/*
 * NAME
 *	svcname 3h
 * SUMMARY
 *	display names of service types (links.conf service_type_names)
 * SYNOPSIS
 *	#include "svcname.h"
 *
 *	struct svcname *svcname_load(const struct conf *conf, char *err, size_t errlen);
 *	const char *svcname_get(const struct svcname *s, const char *code);
 *	void	svcname_free(struct svcname *s);
 * DESCRIPTION
 *	Contracts carry a service type code ("vps", "hosting"); a message
 *	shows the customer its name ("VPS", "Tên miền"). links.conf's
 *	service_type_names holds the table as "code: Name; code: Name".
 *
 *	svcname_load() reads and checks it: codes are made of a-z, 0-9,
 *	'_' and '-'; names are UTF-8 text without control characters, at
 *	most SVCNAME_NAME_MAX bytes. svcname_get() returns the name of
 *	CODE, or CODE itself when the table has none. The table is owned
 *	by the caller (svcname_free()).
 * DIAGNOSTICS
 *	svcname_load() returns NULL with a message in ERR for a malformed
 *	table or when out of memory.
 */
#ifndef LINKS_SVCNAME_H
#define LINKS_SVCNAME_H

#include <stddef.h>

#include "conf.h"

#define SVCNAME_MAX		64	/* entries */
#define SVCNAME_CODE_MAX	32	/* bytes of a code */
#define SVCNAME_NAME_MAX	64	/* bytes of a name */

struct svcname;

struct svcname *svcname_load(const struct conf *conf, char *err, size_t errlen);
const char *svcname_get(const struct svcname *s, const char *code);
void	svcname_free(struct svcname *s);

#endif
