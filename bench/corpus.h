/*
 * NAME
 *	corpus 3h
 * SUMMARY
 *	benchmark corpus: messages, their envelopes, their expected verdicts
 * SYNOPSIS
 *	#include "corpus.h"
 *
 *	int	corpus_load(struct corpus *c, const char *dir, char *err, size_t errlen);
 *	int	corpus_load_expect(struct corpus *c, const char *file,
 *				   char *err, size_t errlen);
 *	void	corpus_free(struct corpus *c);
 *	const char *corpus_class(const struct corpus_msg *m, char *out, size_t outlen);
 *
 *	void	corpus_result_reset(struct corpus_result *r);
 *	void	corpus_result_rcpt(struct corpus_result *r, int op, const char *addr);
 *	void	corpus_result_header(struct corpus_result *r, const char *name,
 *				     const char *value);
 *	int	corpus_expect_check(const struct corpus_msg *m,
 *				    const struct corpus_result *r,
 *				    char *why, size_t whylen);
 * DESCRIPTION
 *	A corpus is a directory of NAME.eml files, sorted by name, with two
 *	optional files beside them:
 *
 *	MANIFEST, one line per message: "NAME<TAB>MAIL_FROM<TAB>RCPT[,RCPT...]",
 *	the SMTP envelope ("<>" for the null sender). Without it the
 *	envelope sender is the address of the From header and the
 *	recipients are the driver's default.
 *
 *	An expectation file (corpus_load_expect(); the benchmark writes one
 *	per milter: expect.links, expect.dkim, expect.null), one line per
 *	message: "NAME<TAB>SPEC", SPEC being words separated by spaces:
 *
 *	final=A|B|...	the final reply must be one of these (accept,
 *			continue, discard, reject, tempfail, replycode4xx,
 *			replycode5xx);
 *	+rcpt=ADDR	the milter must add recipient ADDR;
 *	-rcpt=ADDR	the milter must delete recipient ADDR; any recipient
 *			change not listed is an error, unless
 *	rcpt=any	recipient changes are not checked;
 *	hdr=NAME:TEXT	the milter must add (or insert) header NAME whose
 *			value contains TEXT (NAME without case, TEXT as is;
 *			empty TEXT: present);
 *	!hdr=NAME	the milter must not add header NAME;
 *	||		what follows is an acceptable alternative: the
 *			verdict the words before describe is the best one,
 *			the alternative is safe but second best (e.g. a
 *			refusal with a signature recorded, but routed to a
 *			person instead of discarded).
 *
 *	Replacing the body, changing the sender or quarantining is an
 *	error for every message (none of the milters measured may do it);
 *	changing or deleting headers is not checked. Lines starting with
 *	'#' and empty lines are ignored. Every message of the corpus must
 *	have a line once an expectation file is loaded.
 *
 *	Files are named SEQ-CLASS[-DETAIL].eml (00042-question-gmail.eml):
 *	corpus_class() returns CLASS ("question"), used to report latencies
 *	per kind of message; SEQ orders the corpus (a mix interleaves its
 *	kinds).
 *
 *	A corpus_result records what a milter did to one message: its
 *	final reply (a name as above), the recipients it added or deleted
 *	and the headers it added, for corpus_expect_check(), which returns
 *	0 when they match the message's expectation (or it has none), 1
 *	when they match an alternative (WHY says how it differs from the
 *	best), -1 with the first difference from the best in WHY otherwise.
 * DIAGNOSTICS
 *	corpus_load() and corpus_load_expect() return -1 with a message in
 *	ERR: unreadable file, a file larger than CORPUS_FILE_MAX, a message
 *	without a header block, a malformed MANIFEST or expectation line.
 */
#ifndef LINKS_BENCH_CORPUS_H
#define LINKS_BENCH_CORPUS_H

#include <stddef.h>

#define CORPUS_FILES_MAX	100000		/* .eml files in a corpus */
#define CORPUS_FILE_MAX		(64L * 1024 * 1024)	/* one message */
#define CORPUS_HEADERS_MAX	1000		/* headers of one message */
#define CORPUS_ADDR_MAX		512		/* one address, NUL included */
#define CORPUS_RCPTS_MAX	16		/* recipients of one message */
#define CORPUS_LINE_MAX		4096		/* MANIFEST / expectation line */
#define CORPUS_RESULT_MAX	32		/* changes recorded per message */
#define CORPUS_HVALUE_KEEP	512		/* bytes of an added header kept */

struct corpus_hdr {
	char   *name;
	char   *value;			/* after ": ", as Postfix sends it */
	char   *value_lead;		/* after ":", for SMFIP_HDR_LEADSPC */
};

struct corpus_expect;

struct corpus_msg {
	char   *name;			/* file name */
	char   *path;
	char   *raw;			/* the file with CRLF line ends */
	size_t	raw_len;
	struct corpus_hdr *hdrs;
	size_t	nhdrs;
	char   *body;			/* points into raw: after the empty line */
	size_t	body_len;
	char	mail_from[CORPUS_ADDR_MAX];	/* "" = null sender */
	int	has_mail_from;		/* from MANIFEST or the From header */
	char   *rcpts[CORPUS_RCPTS_MAX];	/* from MANIFEST; 0 = default */
	size_t	nrcpts;
	struct corpus_expect *expect;	/* NULL: none */
};

struct corpus {
	struct corpus_msg *msgs;
	size_t	n;
	int	has_manifest;
};

struct corpus_change {
	char	op;			/* '+', '-' recipient; 'h' header */
	char	name[CORPUS_ADDR_MAX];	/* address or header name */
	char	value[CORPUS_HVALUE_KEEP];
};

struct corpus_result {
	const char *final;		/* "accept", ... (static string) */
	struct corpus_change ch[CORPUS_RESULT_MAX];
	size_t	nch;
	size_t	lost;			/* changes beyond CORPUS_RESULT_MAX */
	int	forbidden;		/* body, sender or quarantine changed */
	char	forbidden_what[32];
};

int	corpus_load(struct corpus *c, const char *dir, char *err, size_t errlen);
int	corpus_load_expect(struct corpus *c, const char *file, char *err, size_t errlen);
void	corpus_free(struct corpus *c);
const char *corpus_class(const struct corpus_msg *m, char *out, size_t outlen);

void	corpus_result_reset(struct corpus_result *r);
void	corpus_result_rcpt(struct corpus_result *r, int op, const char *addr);
void	corpus_result_header(struct corpus_result *r, const char *name, const char *value);
void	corpus_result_forbidden(struct corpus_result *r, const char *what);
int	corpus_expect_check(const struct corpus_msg *m, const struct corpus_result *r,
			    char *why, size_t whylen);

#endif
