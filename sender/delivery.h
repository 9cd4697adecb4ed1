/*
 * NAME
 *	delivery 3h
 * SUMMARY
 *	the delivery engine: workers, retries, rate, crash-safe records
 * SYNOPSIS
 *	#include "delivery.h"
 *
 *	int	delivery_run(const struct conf *conf, const struct delivery_source *src,
 *			     const struct delivery_opts *o, struct delivery_stats *stats,
 *			     char *err, size_t errlen);
 *	int	delivery_opts_init(struct delivery_opts *o, const struct conf *conf,
 *				   const struct delivery_cli *cli);
 *	int	delivery_attempts(const char *reason);
 *	int	delivery_was_sending(const char *reason);
 *
 *	extern volatile sig_atomic_t delivery_stop;
 * DESCRIPTION
 *	One engine sends every message links-sender sends: campaigns
 *	(campaign.c) and system messages (outbox.c) are two row sources of
 *	it. A row source is a table of durable rows in the store, each
 *	"queued" until the engine records it sent, failed or skipped; the
 *	source says how to read its queued rows, how to turn one into a
 *	message, and how to record a row's new state.
 *
 *	delivery_run() runs o->workers threads (at most DELIVERY_WORKERS_MAX
 *	and at most one per queued row when o->total is known), each with
 *	its own store connection and transport. A worker takes a few rows
 *	at once (up to DELIVERY_BATCH_MAX, about DELIVERY_COMMIT_MS worth at
 *	its current pace), asks the source to prepare each, and records
 *	them in ONE committed transaction BEFORE the transport sees any:
 *	skipped rows with their reason; rows to send as queued with the
 *	reason "sending (attempt N)", with their Message-ID in the message
 *	log, and a resend of a row found "sending" counted in the store
 *	counter src->dup_counter. After the transport's answers, each row
 *	becomes sent, failed (5xx, or 4xx o->max_attempts times) or stays
 *	queued as "deferred" and waits o->retry_delay x N seconds in a retry
 *	list, recorded in one transaction at least every DELIVERY_COMMIT_MS.
 *	A row still "sending" when a run starts was interrupted between the
 *	two commits: the server may have the message, so sending it again
 *	(with the same Message-ID) is a possible duplicate. Rows of a batch
 *	that a stopping run never handed over go back to what they were.
 *	A 5xx answer to RCPT TO is counted as a bounce of the address.
 *
 *	A run ends when no row is queued, when delivery_stop is set
 *	(SIGINT, SIGTERM: the messages in hand complete), on an error the
 *	source reports, or when the server cannot be reached
 *	o->max_attempts times in a row; rows left queued stay for the
 *	next run. o->rate (messages per second, 0: no limit) is shared by
 *	all workers. The main thread draws o->progress.
 *
 *	The source's callbacks run in the worker threads, several at once,
 *	each with the worker's own store connection ST:
 *	fetch() reads up to MAX queued rows with id > AFTER, in id order,
 *	into ROWS (the engine clears them with delivery_row_clear()), and
 *	returns how many, or a negative STORE_ code; it is called by one
 *	thread at a time. prepare() decides one row: DELIVERY_SEND with
 *	*MSG filled, DELIVERY_SKIP with REASON, or DELIVERY_FAIL with ERR
 *	(the run stops, the row is left as it was). record() writes a
 *	row's new status and reason, inside the engine's transaction.
 *	row_free() (may be NULL) frees a row's PRIV.
 *
 *	delivery_opts_init() fills O from links.conf and what the command
 *	line CLI changes (transport, outdir, rate, retry delay, progress);
 *	o->total is left unknown (-1).
 *
 *	delivery_attempts() reads the attempt count the engine recorded in
 *	a reason, 0 when none; delivery_was_sending() says whether the
 *	reason is the engine's "sending" mark.
 * DIAGNOSTICS
 *	delivery_run() returns 0 when the run took place (STATS says what
 *	happened; STATS->fatal when it stopped on an error, with the reason
 *	in STATS->fatal_msg), -1 with a message in ERR when it could not
 *	start (no store).
 */
#ifndef LINKS_DELIVERY_H
#define LINKS_DELIVERY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "conf.h"
#include "progress.h"
#include "store.h"
#include "transport.h"

#define DELIVERY_BATCH_MAX	32	/* rows a worker marks, sends and records together */
#define DELIVERY_FETCH_MAX	256	/* queued rows read from the store at once */
#define DELIVERY_COMMIT_MS	20	/* sent rows wait at most this long to be recorded */
#define DELIVERY_WORKERS_MAX	64
#define DELIVERY_WAL_BATCHES	16	/* batches between two restarts of the store's log */
#define DELIVERY_RETRY_DELAY	30	/* seconds before the first retry of a 4xx */
#define DELIVERY_RETRY_MAX	3600	/* longest wait before a retry */
#define DELIVERY_REASON_MAX	300	/* bytes of a reason we store */
#define DELIVERY_ERR_MAX	512

#define DELIVERY_SEND	0
#define DELIVERY_SKIP	1
#define DELIVERY_FAIL	(-1)

/* One queued row, as the source read it. */
struct delivery_row {
	int64_t id;
	int64_t customer_id;
	char   *message_id;		/* owned; without angle brackets */
	char   *reason;			/* owned; the state the engine recorded */
	void   *priv;			/* the source's own, freed by row_free() */
};

/* One message, prepared by the source. */
struct delivery_msg {
	char	from[ADDR_MAX];		/* envelope sender */
	char	rcpt[ADDR_MAX];		/* the one recipient */
	char   *data;			/* the message, CRLF lines; owned (free()) */
	size_t	len;
};

struct delivery_source {
	const char *what;		/* "campaign 12", "outbox": for messages */
	enum category cat;		/* for the message log */
	int64_t campaign_id;		/* for the message log; 0: none */
	const char *dup_counter;	/* store counter of possible duplicates */
	const char *file_prefix;	/* dir transport: PREFIXrow-id.eml */
	const char *again;		/* the command that sends what is left */
	void   *arg;
	int	(*fetch)(void *arg, struct store *st, int64_t after,
			 struct delivery_row *rows, int max);
	int	(*prepare)(void *arg, struct store *st, const struct delivery_row *row,
			   struct delivery_msg *msg, char *reason, size_t reasonlen,
			   char *err, size_t errlen);
	int	(*record)(void *arg, struct store *st, int64_t id,
			  enum store_delivery_status status, const char *reason);
	void	(*row_free)(void *priv);
};

struct delivery_opts {
	enum transport_kind transport;
	const char *outdir;		/* dir transport override; NULL: links.conf */
	int	workers;		/* threads wanted (capped as described) */
	long	total;			/* queued rows, for progress; < 0: unknown */
	double	rate;			/* messages per second; 0: no limit */
	double	retry_delay;		/* seconds before the first retry */
	int	max_attempts;
	enum progress_mode progress;
};

/* What the command line may change for a run. */
struct delivery_cli {
	int	transport;		/* enum transport_kind; -1: links.conf */
	const char *outdir;		/* NULL: links.conf */
	long	rate;			/* messages per second; < 0: send_rate */
	long	retry_delay;		/* seconds; < 0: DELIVERY_RETRY_DELAY */
	enum progress_mode progress;
};

struct delivery_stats {
	long	sent, failed, skipped, deferred, dups;
	int	fatal;
	char	fatal_msg[DELIVERY_ERR_MAX];
};

/* Set by the signal handler: finish the messages in hand, then stop. */
extern volatile sig_atomic_t delivery_stop;

int	delivery_run(const struct conf *conf, const struct delivery_source *src,
		     const struct delivery_opts *o, struct delivery_stats *stats,
		     char *err, size_t errlen);
int	delivery_opts_init(struct delivery_opts *o, const struct conf *conf,
			   const struct delivery_cli *cli);
void	delivery_row_clear(const struct delivery_source *src, struct delivery_row *row);
int	delivery_attempts(const char *reason);
int	delivery_was_sending(const char *reason);

#endif
