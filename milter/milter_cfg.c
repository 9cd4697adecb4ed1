/*
 * NAME
 *	milter_cfg 3
 * SUMMARY
 *	links-milter configuration bundle
 * SYNOPSIS
 *	#include "milter_cfg.h"
 * DESCRIPTION
 *	See milter_cfg.h. Everything a message needs from links.conf is
 *	parsed once here, when the configuration is loaded or reloaded,
 *	never per message.
 * DIAGNOSTICS
 *	Invalid combinations of options are reported by mcfg_new().
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter_cfg.h"

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
	int	subject_tag;
	int	authserv_jobid;
};

/* mcfg_policies - parse the enumerated policies of CONF into CFG */
static void
mcfg_policies(struct mcfg *cfg, const struct conf *conf)
{
	const char *s;

	s = conf_optout_from_policy(conf);
	cfg->from_policy = strcmp(s, "accept") == 0 ? MCFG_FROM_ACCEPT
	    : strcmp(s, "never") == 0 ? MCFG_FROM_NEVER : MCFG_FROM_REQUIRE_AUTH;
	s = conf_pure_refusal_action(conf);
	cfg->pure_action = strcmp(s, "archive") == 0 ? MCFG_PURE_ARCHIVE
	    : strcmp(s, "deliver") == 0 ? MCFG_PURE_DELIVER : MCFG_PURE_DISCARD;
	cfg->auto_reply_discard = strcmp(conf_auto_reply_action(conf), "discard") == 0;
	cfg->bounce_discard = strcmp(conf_bounce_action(conf), "discard") == 0;
	cfg->failure_tempfail = strcmp(conf_store_failure_action(conf), "tempfail") == 0;
	cfg->max_body = (size_t) conf_max_body_size(conf);
	cfg->subject_tag = conf_subject_tag(conf);
	cfg->authserv_jobid = conf_authserv_id_with_job_id(conf);
}

/* mcfg_lists - the archive address and the trusted authserv-ids; -1 with ERR */
static int
mcfg_lists(struct mcfg *cfg, const struct conf *conf, char *err, size_t errlen)
{
	if (maddr_normalise(conf_archive_address(conf), cfg->archive,
			    sizeof(cfg->archive)) != 0) {
		snprintf(err, errlen, "archive_address: not a valid address");
		return (-1);
	}
	if (cfg->pure_action == MCFG_PURE_ARCHIVE && cfg->archive[0] == 0) {
		snprintf(err, errlen, "pure_refusal_action = archive needs archive_address");
		return (-1);
	}
	cfg->ntrusted = conf_trusted_authserv_ids_count(conf);
	if (cfg->ntrusted > MCFG_TRUSTED_MAX) {
		snprintf(err, errlen, "trusted_authserv_ids: more than %d names", MCFG_TRUSTED_MAX);
		return (-1);
	}
	for (size_t i = 0; i < cfg->ntrusted; i++)
		cfg->trusted[i] = conf_trusted_authserv_ids_item(conf, i);
	return (0);
}

/* mcfg_new - the bundle of CONF (taken over), or NULL with ERR */
struct mcfg *
mcfg_new(struct conf *conf, char *err, size_t errlen)
{
	struct mcfg *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		snprintf(err, errlen, "out of memory");
		conf_free(conf);
		return (NULL);
	}
	atomic_init(&cfg->refs, 1);
	cfg->conf = conf;
	if ((cfg->addr = maddr_conf_new(conf, err, errlen)) == NULL)
		goto fail;
	mcfg_policies(cfg, conf);
	if (mcfg_lists(cfg, conf, err, errlen) != 0)
		goto fail;
	if ((cfg->ra = reply_analyzer_new(conf, err, errlen)) == NULL)
		goto fail;
	return (cfg);

fail:
	maddr_conf_free(cfg->addr);
	conf_free(cfg->conf);
	free(cfg);
	return (NULL);
}

/* mcfg_ref - one more reference to CFG (NULL stays NULL) */
struct mcfg *
mcfg_ref(struct mcfg *cfg)
{
	if (cfg)
		atomic_fetch_add(&cfg->refs, 1);
	return (cfg);
}

/* mcfg_release - drop one reference; the last frees the bundle */
void
mcfg_release(struct mcfg *cfg)
{
	if (cfg == NULL || atomic_fetch_sub(&cfg->refs, 1) > 1)
		return;
	reply_analyzer_free(cfg->ra);
	maddr_conf_free(cfg->addr);
	conf_free(cfg->conf);
	free(cfg);
}

/* mcfg_conf - the configuration itself */
const struct conf *
mcfg_conf(const struct mcfg *cfg)
{
	return (cfg->conf);
}

/* mcfg_analyzer - the compiled reply analyzer */
const struct reply_analyzer *
mcfg_analyzer(const struct mcfg *cfg)
{
	return (cfg->ra);
}

/* mcfg_addr - the LINKS address set */
const struct maddr_conf *
mcfg_addr(const struct mcfg *cfg)
{
	return (cfg->addr);
}

/* mcfg_from_policy - optout_from_policy */
enum mcfg_from_policy
mcfg_from_policy(const struct mcfg *cfg)
{
	return (cfg->from_policy);
}

/* mcfg_pure_action - pure_refusal_action */
enum mcfg_pure_action
mcfg_pure_action(const struct mcfg *cfg)
{
	return (cfg->pure_action);
}

/* mcfg_auto_reply_discard - auto_reply_action = discard */
int
mcfg_auto_reply_discard(const struct mcfg *cfg)
{
	return (cfg->auto_reply_discard);
}

/* mcfg_bounce_discard - bounce_action = discard */
int
mcfg_bounce_discard(const struct mcfg *cfg)
{
	return (cfg->bounce_discard);
}

/* mcfg_store_failure_tempfail - store_failure_action = tempfail */
int
mcfg_store_failure_tempfail(const struct mcfg *cfg)
{
	return (cfg->failure_tempfail);
}

/* mcfg_archive - the normalised archive_address, "" if none */
const char *
mcfg_archive(const struct mcfg *cfg)
{
	return (cfg->archive);
}

/* mcfg_max_body - max_body_size in bytes */
size_t
mcfg_max_body(const struct mcfg *cfg)
{
	return (cfg->max_body);
}

/* mcfg_trusted - the trusted authserv-ids into *IDS; their count */
size_t
mcfg_trusted(const struct mcfg *cfg, const char *const **ids)
{
	*ids = cfg->trusted;
	return (cfg->ntrusted);
}

/* mcfg_originating - whether DAEMON_NAME is one of originating_daemons */
int
mcfg_originating(const struct mcfg *cfg, const char *daemon_name)
{
	size_t	n = conf_originating_daemons_count(cfg->conf);

	for (size_t i = 0; daemon_name && i < n; i++)
		if (strcmp(conf_originating_daemons_item(cfg->conf, i), daemon_name) == 0)
			return (1);
	return (0);
}

/* mcfg_subject_tag - subject_tag */
int
mcfg_subject_tag(const struct mcfg *cfg)
{
	return (cfg->subject_tag);
}

/* mcfg_authserv_jobid - authserv_id_with_job_id */
int
mcfg_authserv_jobid(const struct mcfg *cfg)
{
	return (cfg->authserv_jobid);
}
