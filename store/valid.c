/*
 * NAME
 *	valid 3
 * SUMMARY
 *	input checks shared by the store modules
 * SYNOPSIS
 *	#include "store_int.h"
 *
 *	int	st_text_ok(struct store *st, const char *what, const char *s,
 *			size_t max);
 *	int	st_phone_valid(const char *s);
 *	int	st_service_type_valid(const char *s);
 *	int	st_ref_valid(const char *s);
 * DESCRIPTION
 *	st_text_ok() accepts NULL or UTF-8 text of at most MAX bytes, else
 *	records "invalid WHAT ..." and returns STORE_ERR. The others return
 *	1 for a valid value: a phone number (digits, spaces, +-(). and at
 *	most STORE_PHONE_MAX characters), a service type (lower-case
 *	letters, digits, '-' and '_', at most STORE_SERVICE_TYPE_MAX), a
 *	contract reference (printable ASCII without spaces, at most
 *	STORE_REF_MAX). Addresses are checked by config/addr.h.
 * DIAGNOSTICS
 *	Messages name the field, never its value.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "store_int.h"

/* st_text_ok - NULL or UTF-8 text of at most MAX bytes */
int
st_text_ok(struct store *st, const char *what, const char *s, size_t max)
{
	if (s && !utf8_text_ok(s, max))
		return (st_err(st, STORE_ERR, "invalid %s (not UTF-8 text or longer than %zu bytes)",
			       what, max));
	return (STORE_OK);
}

/* st_phone_valid - a phone number as people write it */
int
st_phone_valid(const char *s)
{
	size_t	n = 0;

	for (; *s; s++, n++)
		if (!isdigit((unsigned char) *s) && !strchr("+-(). ", *s))
			return (0);
	return (n <= STORE_PHONE_MAX);
}

/* st_service_type_valid - a service type name */
int
st_service_type_valid(const char *s)
{
	size_t	n = 0;

	for (; *s; s++, n++)
		if (!islower((unsigned char) *s) && !isdigit((unsigned char) *s) && *s != '_'
		    && *s != '-')
			return (0);
	return (n > 0 && n <= STORE_SERVICE_TYPE_MAX);
}

/* st_ref_valid - a contract reference */
int
st_ref_valid(const char *s)
{
	size_t	n = 0;

	for (; *s; s++, n++)
		if ((unsigned char) *s <= ' ' || (unsigned char) *s >= 0x7f)
			return (0);
	return (n > 0 && n <= STORE_REF_MAX);
}
