/*
 * NAME
 *	outbox 3
 * SUMMARY
 *	system messages queued by the milter: links-sender outbox
 * SYNOPSIS
 *	#include "outbox.h"
 * DESCRIPTION
 *	See outbox.h. The outbox is the second row source of the delivery
 *	engine (delivery.h); its rows are the store's outbox rows.
 * DIAGNOSTICS
 *	Errors on standard error, one line each, without personal data.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "compose.h"
#include "lock.h"
#include "log.h"
#include "mime.h"
#include "outbox.h"
#include "render.h"
#include "tmpl.h"

#define OUTBOX_ERR_MAX	512

struct osrc {
	struct audience aud;		/* category account, no narrowing */
	const struct compose *comp;
};

/* What a row keeps besides the engine's fields (delivery_row.priv). */
struct orow {
	char   *template_name;
	char   *thread;		/* store_outbox.thread: the reply answered; "" */
};

/* osrc_free - a row's own fields */
static void
osrc_free(void *priv)
{
	struct orow *o = priv;

	if (o == NULL)
		return;
	free(o->template_name);
	free(o->thread);
	free(o);
}

/* osrc_fetch - the pending outbox rows after AFTER */
static int
osrc_fetch(void *arg, struct store *st, int64_t after, struct delivery_row *rows, int max)
{
	struct store_outbox ob[DELIVERY_FETCH_MAX];
	struct orow *o[DELIVERY_FETCH_MAX];
	int	n, i, j;

	(void) arg;
	if (max > DELIVERY_FETCH_MAX)
		max = DELIVERY_FETCH_MAX;
	if ((n = store_outbox_pending(st, after, ob, max)) < 0)
		return (n);
	for (i = 0; i < n; i++)
		if ((o[i] = calloc(1, sizeof(*o[i]))) == NULL)
			break;
	if (i < n) {				/* out of memory: nothing taken */
		for (j = 0; j < n; j++) {
			if (j < i)
				free(o[j]);
			store_outbox_clear(&ob[j]);
		}
		return (STORE_TEMP);
	}
	for (i = 0; i < n; i++) {
		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].id = ob[i].id;
		rows[i].customer_id = ob[i].customer_id;
		rows[i].message_id = ob[i].message_id;
		rows[i].reason = ob[i].reason;
		o[i]->template_name = ob[i].template_name;
		o[i]->thread = ob[i].thread;
		rows[i].priv = o[i];
		ob[i].message_id = ob[i].reason = ob[i].template_name = ob[i].thread = NULL;
		store_outbox_clear(&ob[i]);
	}
	return (n);
}

/*
 * osrc_thread - from THREAD ("<a> ... <reply>", the store's), the
 * Message-ID answered (the last one) into IRT and the References into
 * REFS, leaving out what we may not write; 0, or -1 when there is no
 * reply to answer (none, or the last one is not writable).
 */
static int
osrc_thread(const char *thread, char *irt, size_t irtlen, char *refs, size_t refslen)
{
	const char *p = thread, *gt;
	size_t	len = 0, n;
	int	w;

	refs[0] = 0;
	while ((p = strchr(p, '<')) != NULL && (gt = strchr(p, '>')) != NULL) {
		n = (size_t) (gt - p - 1);
		irt[0] = 0;
		if (n < irtlen) {
			memcpy(irt, p + 1, n);
			irt[n] = 0;
		}
		p = gt + 1;
		if (irt[0] == 0 || !mime_ref_valid(irt)
		    || (w = snprintf(refs + len, refslen - len, "%s<%s>", len ? " " : "", irt)) < 0
		    || (size_t) w >= refslen - len) {
			refs[len] = 0;
			irt[0] = 0;
			continue;
		}
		len += (size_t) w;
	}
	return (len > 0 && irt[0] != 0 ? 0 : -1);
}

/* osrc_prepare - render one outbox row */
static int
osrc_prepare(void *arg, struct store *st, const struct delivery_row *row,
	     struct delivery_msg *msg, char *reason, size_t reasonlen, char *err, size_t errlen)
{
	struct osrc *s = arg;
	const struct orow *o = row->priv;
	struct render_id id = {row->message_id, 0, NULL, NULL};
	char	irt[MIME_ID_MAX + 1], refs[MIME_REFS_MAX + 1];

	if (o == NULL || o->template_name == NULL
	    || strcmp(o->template_name, OUTBOX_TEMPLATE) != 0) {
		snprintf(reason, reasonlen, "unknown template");
		return (DELIVERY_SKIP);
	}
	/* Threaded to the customer's reply (In-Reply-To, References). */
	if (o->thread != NULL && osrc_thread(o->thread, irt, sizeof(irt), refs, sizeof(refs)) == 0) {
		id.in_reply_to = irt;
		id.references = refs;
	}
	return (render_customer(st, s->comp, &s->aud, row->customer_id, &id, msg,
				reason, reasonlen, err, errlen));
}

/* osrc_record - the engine's record of one outbox row */
static int
osrc_record(void *arg, struct store *st, int64_t id, enum store_delivery_status status,
	    const char *reason)
{
	(void) arg;
	return (store_outbox_set(st, id, status, reason));
}

/* outbox_source - the delivery engine's view of the outbox */
static void
outbox_source(struct delivery_source *src, struct osrc *s)
{
	memset(src, 0, sizeof(*src));
	src->what = "outbox";
	src->cat = CATEGORY_ACCOUNT;
	src->campaign_id = 0;
	src->dup_counter = OUTBOX_DUP_COUNTER;
	src->file_prefix = "outbox-";
	src->again = "links-sender outbox";
	src->arg = s;
	src->fetch = osrc_fetch;
	src->prepare = osrc_prepare;
	src->record = osrc_record;
	src->row_free = osrc_free;
}

/* pending - how many outbox rows are still pending; -1 on a store error */
static long
pending(struct store *st)
{
	struct store_outbox ob[DELIVERY_FETCH_MAX];
	int64_t after = 0;
	long	left = 0;
	int	n, i;

	while ((n = store_outbox_pending(st, after, ob, DELIVERY_FETCH_MAX)) > 0) {
		after = ob[n - 1].id;
		left += n;
		for (i = 0; i < n; i++)
			store_outbox_clear(&ob[i]);
	}
	return (n < 0 ? -1 : left);
}

/* outbox_send - run the engine over the outbox; an EX_ code */
static int
outbox_send(const struct conf *conf, const struct delivery_opts *o,
	    const struct compose *comp, struct store *st)
{
	struct osrc s;
	struct delivery_source src;
	struct delivery_stats stats;
	char	err[OUTBOX_ERR_MAX];
	long	left;

	memset(&s, 0, sizeof(s));
	s.aud.cat = CATEGORY_ACCOUNT;
	s.comp = comp;
	outbox_source(&src, &s);
	if (delivery_run(conf, &src, o, &stats, err, sizeof(err)) < 0) {
		fprintf(stderr, "links-sender: outbox: %s\n", err);
		return (EX_TEMPFAIL);
	}
	if (stats.fatal)
		fprintf(stderr, "links-sender: outbox: %s\n", stats.fatal_msg);
	if ((left = pending(st)) < 0)
		fprintf(stderr, "links-sender: outbox: store: %s\n", store_errmsg(st));
	printf("outbox: sent %ld, failed %ld, left for later %ld, possible duplicates %ld\n",
	       stats.sent, stats.failed + stats.skipped, left, stats.dups);
	log_info("outbox: sent %ld failed %ld left %ld possible-duplicates %ld", stats.sent,
		 stats.failed + stats.skipped, left, stats.dups);
	return (left != 0 || stats.fatal ? EX_TEMPFAIL : EX_OK);
}

/* outbox_check - the template and the transport can be used; an EX_ code */
static int
outbox_check(const struct conf *conf, const struct delivery_opts *o, struct tmpl **t,
	     struct compose **comp, char *err, size_t errlen)
{
	struct transport *tr;

	if ((*t = tmpl_load(conf_template_dir(conf), OUTBOX_TEMPLATE, err, errlen)) == NULL
	    || (*comp = compose_new(conf, CATEGORY_ACCOUNT, *t, NULL, NULL, err, errlen)) == NULL)
		return (EX_CONFIG);
	if ((tr = transport_open(conf, o->transport, o->outdir, err, errlen)) == NULL)
		return (EX_CONFIG);
	transport_close(tr);
	return (EX_OK);
}

/* outbox_run - links-sender outbox; see outbox.h */
int
outbox_run(const struct conf *conf, const struct delivery_cli *cli)
{
	struct store *st = NULL;
	struct tmpl *t = NULL;
	struct compose *comp = NULL;
	struct delivery_opts o;
	char	err[OUTBOX_ERR_MAX];
	int	ex = EX_TEMPFAIL, lock;

	if ((lock = lock_take(conf, LOCK_OUTBOX, err, sizeof(err))) < 0) {
		fprintf(stderr, "links-sender: %s\n", err);
		return (EX_TEMPFAIL);
	}
	if (delivery_opts_init(&o, conf, cli) < 0) {
		snprintf(err, sizeof(err), "unknown transport in the configuration");
		ex = EX_CONFIG;
	} else if ((st = store_open(conf, err, sizeof(err))) != NULL
		   && (ex = outbox_check(conf, &o, &t, &comp, err, sizeof(err))) == EX_OK)
		ex = outbox_send(conf, &o, comp, st);
	if (st == NULL || (ex != EX_OK && ex != EX_TEMPFAIL))
		fprintf(stderr, "links-sender: %s\n", err);
	compose_free(comp);
	tmpl_free(t);
	store_close(st);
	lock_release(lock);
	return (ex);
}
