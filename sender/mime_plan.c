/*
 * NAME
 *	mime_plan 3
 * SUMMARY
 *	a campaign's messages built from one skeleton, without libetpan per message
 * SYNOPSIS
 *	#include "mime_plan.h"
 * DESCRIPTION
 *	See mime_plan.h. The header block is written one field at a time
 *	with libetpan's own field writer: every field starts at column 0
 *	and ends with CRLF, so a field's bytes do not depend on the fields
 *	before it, and a field with the same values is the same bytes.
 *	"Slots" are the header fields in the order mime_build() writes
 *	them: Date, From, To, Message-ID, Subject, then the extra headers.
 * DIAGNOSTICS
 *	-1 / NULL with a message in ERR, never a value of the message.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "mime_int.h"
#include "mime_plan.h"
#include "strbuf.h"

#define PLAN_SEP	"\r\n\r\n"	/* the blank line before a part's body */
#define PLAN_ROOM	512		/* bytes reserved beyond the first message's size */

/* One header field of the first message: its bytes and what they were made from. */
struct plan_slot {
	char   *a, *b;			/* the values compared (copies; NULL when none) */
	char   *bytes;			/* the field as written, CRLF included */
	size_t	len;
};

/* What the first message leaves: immutable once made. */
struct plan {
	struct plan_slot slot[MIME_F_NSLOTS];
	size_t	nslots;			/* MIME_F_NFIXED + the first message's extras */
	time_t	date;
	int	html;			/* the message has an HTML alternative */
	char   *skel;			/* everything after the header block */
	size_t	skel_len;
	size_t	t_at, t_len;		/* the first message's text body in SKEL */
	size_t	h_at, h_len;		/* and its HTML body (h_len 0: none) */
};

struct mime_plan {
	pthread_mutex_t mu;		/* guards the making of PLAN */
	int	tried;			/* the first message was seen */
	struct plan *plan;		/* NULL: mime_build() for every message */
};

/* nz - S, or "" for NULL (a NULL name and an empty one are written alike) */
static const char *
nz(const char *s)
{
	return (s != NULL ? s : "");
}

/* slot_values - the two values slot I of M is made from, into *A and *B */
static void
slot_values(const struct mime_msg *m, size_t i, const char **a, const char **b)
{
	*a = *b = "";
	switch (i) {
	case 0:
		break;			/* Date: compared as a time */
	case 1:
		*a = m->from_addr;
		*b = nz(m->from_name);
		break;
	case 2:
		*a = m->to_addr;
		*b = nz(m->to_name);
		break;
	case 3:
		*a = m->message_id;
		break;
	case 4:
		*a = nz(m->subject_label);
		*b = m->subject;
		break;
	default:
		*a = m->extra[i - MIME_F_NFIXED].name;
		*b = m->extra[i - MIME_F_NFIXED].value;
		break;
	}
}

/* slot_same - whether slot I of M has the values of the plan's first message */
static int
slot_same(const struct plan *pl, const struct mime_msg *m, size_t i)
{
	const char *a, *b;

	if (i >= pl->nslots || pl->slot[i].bytes == NULL)
		return (0);
	if (i == 0)
		return (m->date == pl->date);
	slot_values(m, i, &a, &b);
	return (strcmp(a, pl->slot[i].a) == 0 && strcmp(b, pl->slot[i].b) == 0);
}

/* sb_write - libetpan's writer callback into a strbuf; 0 when out of memory */
static int
sb_write(void *data, const char *str, size_t len)
{
	return (strbuf_add(data, str, len) < 0 ? 0 : (int) len);
}

/* slots_of - the slots M has: the fixed fields and its extra headers */
static size_t
slots_of(const struct mime_msg *m)
{
	return (MIME_F_NFIXED + m->nextra);
}

/*
 * write_header - M's header block into B: the slots not in MASK copied
 * from the plan (PL may be NULL when MASK has every slot), those in
 * MASK written by libetpan one field at a time; each field's start in
 * B into AT[] (may be NULL). -1 with ERR.
 */
static int
write_header(const struct plan *pl, const struct mime_msg *m, unsigned mask,
	     struct strbuf *b, size_t *at, char *err, size_t errlen)
{
	struct mime_parts p;
	struct mailimf_fields *f = NULL;
	clistiter *it = NULL;
	size_t	i, n = slots_of(m);
	int	col, ret = -1;

	if (mime_encode(m, mask & ~MIME_F_BODIES, &p, err, errlen) < 0)
		goto done;
	if ((f = mime_header_fields(m, mask, &p)) == NULL)
		goto nomem;
	it = clist_begin(f->fld_list);
	for (i = 0; i < n; i++) {
		if (at != NULL)
			at[i] = b->len;
		if (!(mask & (1u << i))) {
			if (strbuf_add(b, pl->slot[i].bytes, pl->slot[i].len) < 0)
				goto nomem;
			continue;
		}
		col = 0;
		if (it == NULL || mailimf_field_write_driver(sb_write, b, &col, clist_content(it))
		    != MAILIMF_NO_ERROR)
			goto nomem;
		it = clist_next(it);
	}
	ret = 0;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory building the message");
done:
	if (f != NULL)
		mailimf_fields_free(f);
	mime_parts_free(&p);
	return (ret);
}

/* put_body - the skeleton of PL with the base64 bodies of P into B */
static int
put_body(const struct plan *pl, const struct mime_parts *p, struct strbuf *b)
{
	const char *s = pl->skel;
	size_t	t_end = pl->t_at + pl->t_len;

	if (strbuf_reserve(b, pl->skel_len + p->tlen + p->hlen) < 0
	    || strbuf_add(b, s, pl->t_at) < 0 || strbuf_add(b, p->text, p->tlen) < 0)
		return (-1);
	if (!pl->html)
		return (strbuf_add(b, s + t_end, pl->skel_len - t_end));
	if (strbuf_add(b, s + t_end, pl->h_at - t_end) < 0 || strbuf_add(b, p->html, p->hlen) < 0
	    || strbuf_add(b, s + pl->h_at + pl->h_len, pl->skel_len - pl->h_at - pl->h_len) < 0)
		return (-1);
	return (0);
}

/* plan_build - message M from plan PL */
static int
plan_build(const struct plan *pl, const struct mime_msg *m, char **out, size_t *len,
	   char *err, size_t errlen)
{
	struct strbuf b;
	struct mime_parts p;
	unsigned mask = 0;
	size_t	i, room = pl->skel_len + PLAN_ROOM;

	*out = NULL;
	if ((m->html != NULL) != pl->html)
		return (mime_build(m, out, len, err, errlen));
	if (mime_check(m, err, errlen) < 0)
		return (-1);
	for (i = 0; i < slots_of(m); i++) {
		if (!slot_same(pl, m, i))
			mask |= 1u << i;
		room += i < pl->nslots ? pl->slot[i].len : 0;
	}
	strbuf_init(&b);
	memset(&p, 0, sizeof(p));
	/* About the first message's size: one allocation, not a doubling per kilobyte. */
	if (strbuf_reserve(&b, room) < 0) {
		snprintf(err, errlen, "out of memory building the message");
		return (-1);
	}
	if (write_header(pl, m, mask, &b, NULL, err, errlen) < 0
	    || mime_encode(m, MIME_F_BODIES, &p, err, errlen) < 0)
		goto fail;
	if (put_body(pl, &p, &b) < 0) {
		snprintf(err, errlen, "out of memory building the message");
		goto fail;
	}
	mime_parts_free(&p);
	*len = b.len;
	if ((*out = strbuf_steal(&b)) == NULL) {
		snprintf(err, errlen, "out of memory building the message");
		return (-1);
	}
	return (0);
fail:
	mime_parts_free(&p);
	strbuf_free(&b);
	return (-1);
}

/* plan_free - free PL */
static void
plan_free(struct plan *pl)
{
	size_t	i;

	if (pl == NULL)
		return;
	for (i = 0; i < MIME_F_NSLOTS; i++) {
		free(pl->slot[i].a);
		free(pl->slot[i].b);
		free(pl->slot[i].bytes);
	}
	free(pl->skel);
	free(pl);
}

/* keep_slots - each header field of FIRST (written at AT[] in HEAD) with its values */
static int
keep_slots(struct plan *pl, const struct mime_msg *first, const struct strbuf *head,
	   const size_t *at)
{
	const char *a, *b;
	size_t	i, end;

	pl->nslots = slots_of(first);
	pl->date = first->date;
	for (i = 0; i < pl->nslots; i++) {
		end = i + 1 < pl->nslots ? at[i + 1] : head->len;
		slot_values(first, i, &a, &b);
		if ((pl->slot[i].a = strdup(a)) == NULL || (pl->slot[i].b = strdup(b)) == NULL
		    || (pl->slot[i].bytes = malloc(end - at[i] + 1)) == NULL)
			return (-1);
		memcpy(pl->slot[i].bytes, head->data + at[i], end - at[i]);
		pl->slot[i].bytes[end - at[i]] = 0;
		pl->slot[i].len = end - at[i];
	}
	return (0);
}

/*
 * find_bodies - the skeleton: FULL (mime_build()'s FIRST, LEN bytes)
 * after its header block of HLEN bytes, and the places of FIRST's
 * bodies P in it (each right after a blank line); -1 when not found.
 */
static int
find_bodies(struct plan *pl, const char *full, size_t len, size_t hlen,
	    const struct mime_parts *p)
{
	const char *s, *t, *h;
	size_t	sl = strlen(PLAN_SEP);
	char   *probe;

	if (len < hlen || (pl->skel = malloc(len - hlen + 1)) == NULL)
		return (-1);
	memcpy(pl->skel, full + hlen, len - hlen);
	pl->skel[len - hlen] = 0;
	pl->skel_len = len - hlen;
	s = pl->skel;
	if ((probe = malloc(sl + (p->tlen > p->hlen ? p->tlen : p->hlen) + 1)) == NULL)
		return (-1);
	memcpy(probe, PLAN_SEP, sl);
	memcpy(probe + sl, p->text, p->tlen);
	t = memmem(s, pl->skel_len, probe, sl + p->tlen);
	h = NULL;
	if (t != NULL && p->html != NULL) {
		memcpy(probe + sl, p->html, p->hlen);
		h = memmem(t + sl + p->tlen, pl->skel_len - (size_t) (t + sl + p->tlen - s), probe,
			   sl + p->hlen);
	}
	free(probe);
	if (t == NULL || (p->html != NULL && h == NULL))
		return (-1);
	pl->t_at = (size_t) (t - s) + sl;
	pl->t_len = p->tlen;
	pl->html = p->html != NULL;
	pl->h_at = h != NULL ? (size_t) (h - s) + sl : 0;
	pl->h_len = p->hlen;
	return (0);
}

/* plan_checks - whether PL builds FIRST as mime_build() did (FULL, LEN bytes) */
static int
plan_checks(const struct plan *pl, const struct mime_msg *first, const char *full,
	    size_t len)
{
	char	err[128], *again = NULL;
	size_t	n = 0;
	int	same;

	if (plan_build(pl, first, &again, &n, err, sizeof(err)) < 0)
		return (0);
	same = n == len && memcmp(again, full, len) == 0;
	free(again);
	return (same);
}

/* plan_new - the plan of FIRST's messages; NULL with ERR */
static struct plan *
plan_new(const struct mime_msg *first, char *err, size_t errlen)
{
	struct plan *pl = NULL;
	struct mime_parts p;
	struct strbuf head;
	size_t	at[MIME_F_NSLOTS], len = 0;
	char   *full = NULL;

	if (errlen > 0)
		err[0] = 0;
	strbuf_init(&head);
	memset(&p, 0, sizeof(p));
	if (mime_build(first, &full, &len, err, errlen) < 0)
		goto fail;
	if ((pl = calloc(1, sizeof(*pl))) == NULL
	    || write_header(NULL, first, MIME_F_ALL, &head, at, err, errlen) < 0
	    || mime_encode(first, MIME_F_BODIES, &p, err, errlen) < 0
	    || keep_slots(pl, first, &head, at) < 0)
		goto nomem;
	if (head.len > len || memcmp(full, head.data, head.len) != 0
	    || find_bodies(pl, full, len, head.len, &p) < 0 || !plan_checks(pl, first, full, len)) {
		snprintf(err, errlen, "the message does not fit a plan");
		goto fail;
	}
	mime_parts_free(&p);
	strbuf_free(&head);
	free(full);
	return (pl);
nomem:
	if (*err == 0)
		snprintf(err, errlen, "out of memory building the message");
fail:
	mime_parts_free(&p);
	strbuf_free(&head);
	free(full);
	plan_free(pl);
	return (NULL);
}

/* mime_plan_new - an empty plan; NULL when out of memory */
struct mime_plan *
mime_plan_new(void)
{
	struct mime_plan *mp;

	if ((mp = calloc(1, sizeof(*mp))) == NULL)
		return (NULL);
	if (pthread_mutex_init(&mp->mu, NULL) != 0) {
		free(mp);
		return (NULL);
	}
	return (mp);
}

/* mime_plan_build - message M, from the plan its first message made; see mime_plan.h */
int
mime_plan_build(struct mime_plan *mp, const struct mime_msg *m, char **out, size_t *len,
		char *err, size_t errlen)
{
	const struct plan *pl;
	char	why[128];

	pthread_mutex_lock(&mp->mu);
	if (!mp->tried) {
		mp->tried = 1;
		mp->plan = plan_new(m, why, sizeof(why));
	}
	pl = mp->plan;
	pthread_mutex_unlock(&mp->mu);
	if (pl == NULL)
		return (mime_build(m, out, len, err, errlen));
	return (plan_build(pl, m, out, len, err, errlen));
}

/* mime_plan_made - whether MP's first message made a plan */
int
mime_plan_made(struct mime_plan *mp)
{
	int	made;

	pthread_mutex_lock(&mp->mu);
	made = mp->plan != NULL;
	pthread_mutex_unlock(&mp->mu);
	return (made);
}

/* mime_plan_free - free MP */
void
mime_plan_free(struct mime_plan *mp)
{
	if (mp == NULL)
		return;
	plan_free(mp->plan);
	pthread_mutex_destroy(&mp->mu);
	free(mp);
}
