/*
 * NAME
 *	milter_cfg 3h
 * SUMMARY
 *	links-milter configuration bundle: links.conf with everything
 *	derived from it, immutable and reference-counted
 * SYNOPSIS
 *	#include "milter_cfg.h"
 *
 *	struct mcfg *mcfg_new(struct conf *conf, char *err, size_t errlen);
 *	struct mcfg *mcfg_ref(struct mcfg *cfg);
 *	void	mcfg_release(struct mcfg *cfg);
 *
 *	const struct conf *mcfg_conf(const struct mcfg *cfg);
 *	const struct reply_analyzer *mcfg_analyzer(const struct mcfg *cfg);
 *	const struct maddr_conf *mcfg_addr(const struct mcfg *cfg);
 *	enum mcfg_from_policy mcfg_from_policy(const struct mcfg *cfg);
 *	enum mcfg_pure_action mcfg_pure_action(const struct mcfg *cfg);
 *	int	mcfg_auto_reply_discard(const struct mcfg *cfg);
 *	int	mcfg_bounce_discard(const struct mcfg *cfg);
 *	int	mcfg_store_failure_tempfail(const struct mcfg *cfg);
 *	const char *mcfg_archive(const struct mcfg *cfg);
 *	size_t	mcfg_max_body(const struct mcfg *cfg);
 *	size_t	mcfg_trusted(const struct mcfg *cfg, const char *const **ids);
 *	int	mcfg_originating(const struct mcfg *cfg, const char *daemon_name);
 *	int	mcfg_subject_tag(const struct mcfg *cfg);
 *	int	mcfg_authserv_jobid(const struct mcfg *cfg);
 * DESCRIPTION
 *	A struct mcfg bundles everything derived from one links.conf: the
 *	configuration itself, the compiled reply analyzer, the LINKS address
 *	set and the parsed policies. It is immutable and reference-counted,
 *	so a reload never changes the rules under a running message:
 *	mcfg_new() takes over the caller's reference to CONF (also on
 *	failure) and returns a bundle with one reference, owned by the
 *	caller; mcfg_ref() adds one; mcfg_release() drops one and frees
 *	the bundle on the last.
 *
 *	The accessors return parsed options: mcfg_archive() the normalised
 *	archive_address ("" if none), mcfg_trusted() the trusted_authserv_ids
 *	(pointers into the configuration, valid while CFG is held).
 *	mcfg_originating() says whether DAEMON_NAME (Postfix's
 *	{daemon_name}, may be NULL) is one of originating_daemons.
 * DIAGNOSTICS
 *	mcfg_new() returns NULL with a message in ERR.
 */
#ifndef LINKS_MILTER_CFG_H
#define LINKS_MILTER_CFG_H

#include <stddef.h>

#include "conf.h"
#include "milter_addr.h"
#include "reply.h"

enum mcfg_from_policy { MCFG_FROM_ACCEPT, MCFG_FROM_REQUIRE_AUTH, MCFG_FROM_NEVER };
enum mcfg_pure_action { MCFG_PURE_DISCARD, MCFG_PURE_ARCHIVE, MCFG_PURE_DELIVER };

#define MCFG_TRUSTED_MAX 32		/* trusted_authserv_ids used */

struct mcfg;

struct mcfg *mcfg_new(struct conf *conf, char *err, size_t errlen);
struct mcfg *mcfg_ref(struct mcfg *cfg);
void	mcfg_release(struct mcfg *cfg);

const struct conf *mcfg_conf(const struct mcfg *cfg);
const struct reply_analyzer *mcfg_analyzer(const struct mcfg *cfg);
const struct maddr_conf *mcfg_addr(const struct mcfg *cfg);
enum mcfg_from_policy mcfg_from_policy(const struct mcfg *cfg);
enum mcfg_pure_action mcfg_pure_action(const struct mcfg *cfg);
int	mcfg_auto_reply_discard(const struct mcfg *cfg);
int	mcfg_bounce_discard(const struct mcfg *cfg);
int	mcfg_store_failure_tempfail(const struct mcfg *cfg);
const char *mcfg_archive(const struct mcfg *cfg);
size_t	mcfg_max_body(const struct mcfg *cfg);
size_t	mcfg_trusted(const struct mcfg *cfg, const char *const **ids);
int	mcfg_originating(const struct mcfg *cfg, const char *daemon_name);
int	mcfg_subject_tag(const struct mcfg *cfg);
int	mcfg_authserv_jobid(const struct mcfg *cfg);

#endif
