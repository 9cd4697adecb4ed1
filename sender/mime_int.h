/*
 * NAME
 *	mime_int 3h
 * SUMMARY
 *	what mime.c shares with mime_plan.c, and nobody else
 * SYNOPSIS
 *	#include "mime_int.h"
 *
 *	int	mime_check(const struct mime_msg *m, char *err, size_t errlen);
 *	int	mime_encode(const struct mime_msg *m, unsigned mask,
 *			    struct mime_parts *p, char *err, size_t errlen);
 *	char   *mime_encode_body(const char *text, size_t *len);
 *	struct mailimf_fields *mime_header_fields(const struct mime_msg *m,
 *			    unsigned mask, struct mime_parts *p);
 *	void	mime_parts_free(struct mime_parts *p);
struct mailimf_date_time *mime_date(time_t t);
 *	struct mailimf_date_time *mime_date(time_t t);
 * DESCRIPTION
 *	The steps of mime_build(), so that mime_plan.c builds the same
 *	bytes field by field: mime_check() checks every value of M that
 *	reaches a header; mime_encode() encodes the header values of the
 *	fields in MASK (MIME_F_*) and, with MIME_F_BODIES, both bodies into P;
 *	mime_encode_body() is one base64 body of CRLF lines (the caller
 *	frees it); mime_header_fields() makes libetpan's header fields of
 *	M in MASK, in the order mime_build() writes them, taking P's
 *	encoded values (mailimf_fields_free()); mime_date() is the Date of
 *	T in local time, what mailimf_get_date() gives for a zone of whole
 *	hours, without its cost (mailimf_date_time_free()).
 * DIAGNOSTICS
 *	-1 with a message in ERR; NULL when out of memory.
 */
#ifndef LINKS_MIME_INT_H
#define LINKS_MIME_INT_H

#include <stddef.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "mime.h"

/* The header fields of a message, in the order they are written. */
#define MIME_F_DATE		(1u << 0)
#define MIME_F_FROM		(1u << 1)
#define MIME_F_TO		(1u << 2)
#define MIME_F_MID		(1u << 3)
#define MIME_F_SUBJECT		(1u << 4)
#define MIME_F_NFIXED		5	/* the fields before the extra ones */
#define MIME_F_EXTRA(i)		(1u << (MIME_F_NFIXED + (i)))
#define MIME_F_NSLOTS		(MIME_F_NFIXED + MIME_EXTRA_MAX)
#define MIME_F_BODIES		(1u << MIME_F_NSLOTS)	/* mime_encode(): the bodies too */
#define MIME_F_ALL		((MIME_F_BODIES << 1) - 1)

/* The parts of a message as libetpan will own them, before they are put together. */
struct mime_parts {
	char   *subject, *from_name, *to_name;	/* encoded; NULL when absent */
	char   *text, *html;			/* base64 bodies; html may be NULL */
	size_t	tlen, hlen;
};

int	mime_check(const struct mime_msg *m, char *err, size_t errlen);
int	mime_encode(const struct mime_msg *m, unsigned mask, struct mime_parts *p, char *err,
		    size_t errlen);
char   *mime_encode_body(const char *text, size_t *len);
struct mailimf_fields *mime_header_fields(const struct mime_msg *m, unsigned mask,
					  struct mime_parts *p);
void	mime_parts_free(struct mime_parts *p);
struct mailimf_date_time *mime_date(time_t t);

#endif
