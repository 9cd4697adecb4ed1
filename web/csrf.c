/*
 * NAME
 *	csrf 3
 * SUMMARY
 *	form tokens of links-web: a page's button works only from that page
 * SYNOPSIS
 *	#include "csrf.h"
 * DESCRIPTION
 *	See csrf.h.
 * DIAGNOSTICS
 *	See csrf.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypt.h"
#include "csrf.h"

#define CSRF_LABEL	"csrf"
#define CSRF_TIME_MAX	20	/* digits of a Unix time */

/* csrf_mac - the MAC of (T, PAGE, TOKEN in lower case). */
static void
csrf_mac(const struct store *st, char page, const char *token, long long t,
	 unsigned char mac[STORE_MAC_LEN])
{
	char	msg[CSRF_TIME_MAX + 4 + STORE_TOKEN_MAX];
	size_t	n, i;

	n = (size_t) snprintf(msg, sizeof(msg), "%lld|%c|", t, page);
	for (i = 0; token[i] && n + 1 < sizeof(msg); i++)
		msg[n++] = (char) tolower((unsigned char) token[i]);
	store_web_mac(st, CSRF_LABEL, msg, n, mac);
}

/* csrf_make - a form token for PAGE and TOKEN at NOW */
int
csrf_make(const struct store *st, char page, const char *token, time_t now, char *out,
	  size_t outlen)
{
	unsigned char mac[STORE_MAC_LEN];
	int	n;

	csrf_mac(st, page, token, (long long) now, mac);
	if ((n = snprintf(out, outlen, "%lld.", (long long) now)) < 0
	    || (size_t) n + 2 * CSRF_MAC_BYTES + 1 > outlen)
		return (-1);
	crypt_hex(mac, CSRF_MAC_BYTES, out + n);
	return (0);
}

/* csrf_check - whether VALUE is a form token for PAGE and TOKEN, young enough */
int
csrf_check(const struct store *st, char page, const char *token, const char *value,
	   time_t now, long minutes)
{
	char	want[CSRF_MAX];
	long long t = 0;
	size_t	i;

	if (value == NULL || token == NULL)
		return (0);
	for (i = 0; value[i] >= '0' && value[i] <= '9'; i++) {
		if (i >= CSRF_TIME_MAX - 1)
			return (0);
		t = t * 10 + (value[i] - '0');
	}
	if (i == 0 || value[i] != '.' || strlen(value + i + 1) != 2 * CSRF_MAC_BYTES)
		return (0);
	if (t > (long long) now + CSRF_SKEW || (long long) now - t > (long long) minutes * 60)
		return (0);
	if (csrf_make(st, page, token, (time_t) t, want, sizeof(want)) < 0
	    || strlen(want) != strlen(value))
		return (0);
	return (CRYPTO_memcmp(want, value, strlen(want)) == 0);
}
