/*
 * NAME
 *	msgid 3
 * SUMMARY
 *	Message-IDs the store makes and accepts
 * SYNOPSIS
 *	#include "store_int.h"
 *
 *	int	st_make_message_id(struct store *st, char *out, size_t outlen);
 *	int	st_msgid_clean(struct store *st, const char *in, char *out,
 *			size_t outlen);
 * DESCRIPTION
 *	st_make_message_id() writes "HEX@DOMAIN": 12 hex digits of the
 *	time in milliseconds, then 32 hex digits from 16 random bytes,
 *	DOMAIN being message_id_domain or the first company_domains item.
 *	The random part keeps a Message-ID unguessable (a reply that refers
 *	to one of ours proves its writer received it); the time in front
 *	makes Message-IDs made later sort later, so that the insert into
 *	the outbox's (and the deliveries') unique message_id index lands on
 *	the index's last page instead of a random one: within one group
 *	commit of the milter the refusals' confirmations share that page,
 *	one page written to the log instead of one per refusal.
 *	st_msgid_clean() copies a Message-ID without
 *	surrounding angle brackets and spaces, and refuses one without
 *	'@', with spaces, controls, brackets or non-ASCII inside, or longer
 *	than OUTLEN - 1. Message-IDs are stored without angle brackets.
 * DIAGNOSTICS
 *	STORE_OK, or STORE_ERR/STORE_TEMP with the store's message set.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

#define MSGID_MS_PER_SEC	1000
#define MSGID_NS_PER_MS		1000000
/* the time's digits wrap after 16^12 ms (8,900 years): the order then restarts */
#define MSGID_TIME_MASK		((UINT64_C(1) << (4 * STORE_MSGID_TIME_HEX)) - 1)

/* st_make_message_id - a new Message-ID of ours: the time, then random digits */
int
st_make_message_id(struct store *st, char *out, size_t outlen)
{
	unsigned char rnd[STORE_MSGID_RANDOM];
	char	hex[2 * STORE_MSGID_RANDOM + 1];
	struct timespec ts;
	uint64_t ms;
	int	n;

	if (crypt_random(rnd, sizeof(rnd)) < 0)
		return (st_err(st, STORE_TEMP, "no randomness for a Message-ID"));
	crypt_hex(rnd, sizeof(rnd), hex);
	(void) clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t) ts.tv_sec * MSGID_MS_PER_SEC + (uint64_t) ts.tv_nsec / MSGID_NS_PER_MS;
	n = snprintf(out, outlen, "%0*" PRIx64 "%s@%s", STORE_MSGID_TIME_HEX,
		     ms & MSGID_TIME_MASK, hex, st->msgid_domain);
	if (n < 0 || (size_t) n >= outlen)
		return (st_err(st, STORE_ERR, "Message-ID buffer too small"));
	return (STORE_OK);
}

/* st_msgid_clean - copy a Message-ID without angle brackets and spaces */
int
st_msgid_clean(struct store *st, const char *in, char *out, size_t outlen)
{
	const char *s, *e;
	size_t	len;

	if (in == NULL)
		return (st_err(st, STORE_ERR, "no Message-ID"));
	for (s = in; *s == ' ' || *s == '\t' || *s == '<'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '>'))
		e--;
	len = (size_t) (e - s);
	if (len == 0 || len >= outlen || !memchr(s, '@', len))
		return (st_err(st, STORE_ERR, "invalid Message-ID"));
	memcpy(out, s, len);
	out[len] = 0;
	for (s = out; *s; s++)
		if ((unsigned char) *s <= ' ' || (unsigned char) *s >= 0x7f || *s == '<' || *s == '>')
			return (st_err(st, STORE_ERR, "invalid Message-ID"));
	return (STORE_OK);
}
