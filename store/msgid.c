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
 *	st_make_message_id() writes "HEX@DOMAIN": 32 hex digits from 16
 *	random bytes, DOMAIN being message_id_domain or the first
 *	company_domains item. st_msgid_clean() copies a Message-ID without
 *	surrounding angle brackets and spaces, and refuses one without
 *	'@', with spaces, controls, brackets or non-ASCII inside, or longer
 *	than OUTLEN - 1. Message-IDs are stored without angle brackets.
 * DIAGNOSTICS
 *	STORE_OK, or STORE_ERR/STORE_TEMP with the store's message set.
 */
#include "config.h"

#include <string.h>

#include "store_int.h"

/* st_make_message_id - a new random Message-ID of ours */
int
st_make_message_id(struct store *st, char *out, size_t outlen)
{
	unsigned char rnd[STORE_MSGID_RANDOM];
	char	hex[2 * STORE_MSGID_RANDOM + 1];
	int	n;

	if (crypt_random(rnd, sizeof(rnd)) < 0)
		return (st_err(st, STORE_TEMP, "no randomness for a Message-ID"));
	crypt_hex(rnd, sizeof(rnd), hex);
	n = snprintf(out, outlen, "%s@%s", hex, st->msgid_domain);
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
