/*
 * NAME
 *	mime_plan 3h
 * SUMMARY
 *	a campaign's messages built from one skeleton, without libetpan per message
 * SYNOPSIS
 *	#include "mime_plan.h"
 *
 *	struct mime_plan *mime_plan_new(void);
 *	int	mime_plan_build(struct mime_plan *mp, const struct mime_msg *m,
 *				char **out, size_t *len, char *err, size_t errlen);
 *	int	mime_plan_made(struct mime_plan *mp);
 *	void	mime_plan_free(struct mime_plan *mp);
 * DESCRIPTION
 *	mime_build() costs a message a whole libetpan tree (fields, parts,
 *	a boundary) and a byte-by-byte write of its bodies. The messages
 *	of one campaign share most of that: the MIME structure, the part
 *	headers, From, List-Id, Auto-Submitted, often the subject.
 *
 *	mime_plan_new() makes an empty plan. The first message given to
 *	mime_plan_build() makes it: that message (FIRST) is built with
 *	mime_build(), and the plan
 *	keeps each header field's bytes with the values it was made from,
 *	and the rest of the message (the MIME headers, the boundary lines,
 *	the part headers) with the places of the base64 bodies in it. It
 *	then builds FIRST again through the plan and checks that the two
 *	messages are the same bytes; a plan that does not reproduce
 *	mime_build() is not made.
 *
 *	mime_plan_build() writes message M (FIRST too): a header field whose values
 *	are those of FIRST is copied; any other (To, Message-ID, Date, the
 *	subject when it names the customer, List-Unsubscribe) is made and
 *	written by libetpan alone, so it is folded exactly as mime_build()
 *	folds it; the bodies are encoded (base64) and put in the skeleton.
 *	The result is the bytes mime_build() writes for M, except the
 *	multipart boundary, which is FIRST's for every message of the plan
 *	(base64 never contains its '_'). A message whose shape differs
 *	(HTML where FIRST had none, or the reverse), and every message of
 *	a plan FIRST could not make, is built by mime_build(). Every value
 *	is checked as mime_build() checks it.
 *	The result is owned by the caller (free()).
 *
 *	mime_plan_made() says whether the first message made a plan (the
 *	others are built from it) or not (every message is mime_build()'s).
 *
 *	Threads may share a plan: it is made once, under a lock, and not
 *	changed afterwards.
 * DIAGNOSTICS
 *	mime_plan_new() returns NULL when out of memory.
 *	mime_plan_build() returns -1 with a message in ERR, as mime_build()
 *	does.
 */
#ifndef LINKS_MIME_PLAN_H
#define LINKS_MIME_PLAN_H

#include <stddef.h>

#include "mime.h"

struct mime_plan;

struct mime_plan *mime_plan_new(void);
int	mime_plan_build(struct mime_plan *mp, const struct mime_msg *m, char **out,
			size_t *len, char *err, size_t errlen);
int	mime_plan_made(struct mime_plan *mp);
void	mime_plan_free(struct mime_plan *mp);

#endif
