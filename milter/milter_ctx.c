/*
 * NAME
 *	milter_ctx 3
 * SUMMARY
 *	links-milter per-message context: envelope, headers, bounded body
 * SYNOPSIS
 *	#include "milter_auth.h"
#include "milter_ctx.h"
 * DESCRIPTION
 *	See milter_ctx.h. The collected text grows geometrically but never
 *	beyond MCTX_HEADER_MAX + max_body_size + a few bytes: header bytes
 *	and body bytes have separate budgets, so a huge header block cannot
 *	starve the body of room, nor the reverse.
 * DIAGNOSTICS
 *	-1 on a limit that must not be crossed or out of memory.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milter_auth.h"
#include "milter_ctx.h"

#define MCTX_TEXT_INITIAL 4096		/* first allocation of the text buffer */

struct mctx_rcpt {
	char	addr[MADDR_MAX];
	char	token[STORE_TOKEN_MAX];
	enum maddr_kind kind;
};

struct mctx_xlinks {
	char	name[MCTX_XNAME_MAX];
	int	times;
};

struct mctx_msg {
	struct mcfg *cfg;
	char	envfrom[MADDR_MAX];
	int	envfrom_bad;		/* MAIL FROM was not a valid path */
	char	qid[MCTX_QID_MAX];
	struct mctx_rcpt *rcpts;
	size_t	nrcpts;
	size_t	rcpt_cap;
	int	ours;

	char   *text;
	size_t	len;
	size_t	cap;
	size_t	header_bytes;
	size_t	body_kept;
	size_t	body_seen;
	int	truncated;
	int	eoh;

	char   *hdr[MCTX_H_COUNT];
	char   *ar[MCTX_AR_MAX];
	size_t	nar;
	int	ar_closed;		/* the top block of our own headers ended */
	struct mctx_xlinks *xlinks;	/* MCTX_XLINKS_MAX, made at the first one:
					 * 8 KB that no ordinary message needs zeroed */
	size_t	nxlinks;
};

static const char *const mctx_hdr_names[MCTX_H_COUNT] = {
	"From", "Message-ID", "In-Reply-To", "References", "Subject"
};

/* mctx_new - a message context for configuration CFG (referenced); owned by the caller */
struct mctx_msg *
mctx_new(struct mcfg *cfg)
{
	struct mctx_msg *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return (NULL);
	m->cfg = mcfg_ref(cfg);
	return (m);
}

/* mctx_free - free message M and its reference to the configuration */
void
mctx_free(struct mctx_msg *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < MCTX_H_COUNT; i++)
		free(m->hdr[i]);
	for (size_t i = 0; i < m->nar; i++)
		free(m->ar[i]);
	free(m->text);
	free(m->rcpts);
	free(m->xlinks);
	mcfg_release(m->cfg);
	free(m);
}

/* mctx_cfg - accessor */
struct mcfg *
mctx_cfg(const struct mctx_msg *m)
{
	return (m->cfg);
}

/* mctx_set_envfrom - the envelope sender PATH, normalised */
int
mctx_set_envfrom(struct mctx_msg *m, const char *path)
{
	if (maddr_normalise(path, m->envfrom, sizeof(m->envfrom)) != 0) {
		/* keep going: an odd sender is no reason to lose a reply */
		m->envfrom[0] = 0;
		m->envfrom_bad = 1;
		return (-1);
	}
	return (0);
}

/* mctx_envfrom - the envelope sender ("" for <>, NULL when invalid) */
const char *
mctx_envfrom(const struct mctx_msg *m)
{
	return (m->envfrom_bad ? NULL : m->envfrom);
}

/* mctx_set_qid - keep the queue id, with only characters safe in logs */
void
mctx_set_qid(struct mctx_msg *m, const char *qid)
{
	size_t	n = 0;

	if (qid == NULL)
		return;
	/* queue ids are alphanumeric; keep only safe characters for logs */
	for (size_t i = 0; qid[i] && n + 1 < sizeof(m->qid); i++) {
		char	c = qid[i];

		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		    || c == '.' || c == '-' || c == '_')
			m->qid[n++] = c;
	}
	m->qid[n] = 0;
}

/* mctx_qid - accessor */
const char *
mctx_qid(const struct mctx_msg *m)
{
	return (m->qid[0] ? m->qid : "NOQUEUE");
}

/* mctx_add_rcpt - one envelope recipient, classified */
int
mctx_add_rcpt(struct mctx_msg *m, const char *path)
{
	struct mctx_rcpt *r;
	const char *s = path;
	size_t	n;

	if (m->nrcpts >= MCTX_RCPT_MAX)
		return (-1);
	if (m->nrcpts == m->rcpt_cap) {
		size_t	cap = m->rcpt_cap ? m->rcpt_cap * 2 : 4;
		struct mctx_rcpt *nr = realloc(m->rcpts, cap * sizeof(*nr));

		if (nr == NULL)
			return (-1);
		m->rcpts = nr;
		m->rcpt_cap = cap;
	}
	r = &m->rcpts[m->nrcpts];
	memset(r, 0, sizeof(*r));
	/* keep the address as given (for smfi_delrcpt), without brackets */
	if (*s == '<')
		s++;
	n = strcspn(s, ">");
	if (n >= sizeof(r->addr))
		n = sizeof(r->addr) - 1;
	memcpy(r->addr, s, n);
	r->addr[n] = 0;
	r->kind = maddr_classify(mcfg_addr(m->cfg), r->addr, r->token, sizeof(r->token));
	if (r->kind != MADDR_OTHER)
		m->ours = 1;
	m->nrcpts++;
	return (0);
}

/* mctx_rcpt_count - accessor */
size_t
mctx_rcpt_count(const struct mctx_msg *m)
{
	return (m->nrcpts);
}
/* mctx_rcpt_addr - accessor */
const char *
mctx_rcpt_addr(const struct mctx_msg *m, size_t i)
{
	return (m->rcpts[i].addr);
}
/* mctx_rcpt_kind - accessor */
enum maddr_kind
mctx_rcpt_kind(const struct mctx_msg *m, size_t i)
{
	return (m->rcpts[i].kind);
}
/* mctx_rcpt_token - accessor */
const char *
mctx_rcpt_token(const struct mctx_msg *m, size_t i)
{
	return (m->rcpts[i].token);
}
/* mctx_ours - accessor */
int
mctx_ours(const struct mctx_msg *m)
{
	return (m->ours);
}

/* mctx_append - append LEN bytes of DATA to the text, growing it; DATA NULL: room the caller fills */
static int
mctx_append(struct mctx_msg *m, const char *data, size_t len)
{
	if (m->len + len + 1 > m->cap) {
		size_t	cap = m->cap ? m->cap : MCTX_TEXT_INITIAL;
		char   *nt;

		while (cap < m->len + len + 1)
			cap *= 2;
		if ((nt = realloc(m->text, cap)) == NULL)
			return (-1);
		m->text = nt;
		m->cap = cap;
	}
	if (data != NULL)
		memcpy(m->text + m->len, data, len);
	m->len += len;
	m->text[m->len] = 0;
	return (0);
}

/* mctx_strdup_bounded - a copy of S cut at MCTX_HVALUE_MAX - 1 bytes, or NULL */
static char *
mctx_strdup_bounded(const char *s)
{
	size_t	n = strnlen(s, MCTX_HVALUE_MAX - 1);
	char   *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return (d);
}

/* mctx_received_ours - whether a Received header VALUE was written by one of our hosts */
static int
mctx_received_ours(const struct mctx_msg *m, const char *value)
{
	char	host[MADDR_MAX];
	const char *const *ids;
	size_t	n = mcfg_trusted(m->cfg, &ids);

	if (mauth_received_by(value, host, sizeof(host)) != 0)
		return (0);
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(ids[i], host) == 0)
			return (1);
	return (maddr_company_host(mcfg_addr(m->cfg), host));
}

/*
 * mctx_ar_track - keep the Authentication-Results of the top block: the
 * headers our own hosts added above the message that came from outside.
 * The block is everything above the first Received header that another
 * host wrote (our own hosts' Received keep it open): the A-R there are
 * our verifiers', or forged by a client that put them before any header
 * of its own (see milter_ctx.h). A header another milter inserted at the
 * top does not end it. A-R below it came from outside and are never kept.
 */
static int
mctx_ar_track(struct mctx_msg *m, const char *name, const char *value)
{
	if (m->ar_closed)
		return (0);
	if (strcasecmp(name, "Authentication-Results") == 0) {
		if (m->nar < MCTX_AR_MAX) {
			if ((m->ar[m->nar] = mctx_strdup_bounded(value)) == NULL)
				return (-1);
			m->nar++;
		}
		return (0);
	}
	if (strcasecmp(name, "Received") == 0 && !mctx_received_ours(m, value))
		m->ar_closed = 1;
	return (0);
}

/* mctx_xlinks - count an X-Links-* header NAME that came from outside; -2 past the limits */
static int
mctx_xlinks(struct mctx_msg *m, const char *name)
{
	size_t	nl = strlen(name), i;

	if (m->xlinks == NULL
	    && (m->xlinks = calloc(MCTX_XLINKS_MAX, sizeof(*m->xlinks))) == NULL)
		return (-1);
	for (i = 0; i < m->nxlinks; i++)
		if (strcasecmp(m->xlinks[i].name, name) == 0)
			break;
	if (i == m->nxlinks) {
		if (m->nxlinks >= MCTX_XLINKS_MAX || nl >= MCTX_XNAME_MAX)
			return (-2);
		memcpy(m->xlinks[i].name, name, nl + 1);
		m->nxlinks++;
	}
	m->xlinks[i].times++;
	return (0);
}

/* mctx_header - one header: track X-Links-* and A-R, keep the identifying ones, append */
int
mctx_header(struct mctx_msg *m, const char *name, const char *value)
{
	size_t	nl = strlen(name);
	size_t	vl = strlen(value);

	if (mctx_ar_track(m, name, value) != 0)
		return (-1);
	if (strncasecmp(name, "X-Links-", 8) == 0)
		return (mctx_xlinks(m, name));	/* not ours to analyse either */
	for (int h = 0; h < MCTX_H_COUNT; h++)
		if (m->hdr[h] == NULL
		    && tolower((unsigned char) name[0]) == tolower((unsigned char) mctx_hdr_names[h][0])
		    && strcasecmp(name, mctx_hdr_names[h]) == 0
		    && (m->hdr[h] = mctx_strdup_bounded(value)) == NULL)
			return (-1);
	if (m->header_bytes + nl + vl + 4 > MCTX_HEADER_MAX) {
		m->truncated = 1;
		return (0);
	}
	if (mctx_append(m, NULL, nl + vl + 4) != 0)	/* room for "NAME: VALUE\r\n" */
		return (-1);
	{
		char   *t = m->text + m->len - (nl + vl + 4);

		memcpy(t, name, nl);
		memcpy(t + nl, ": ", 2);
		memcpy(t + nl + 2, value, vl);
		memcpy(t + nl + 2 + vl, "\r\n", 2);
	}
	m->header_bytes += nl + vl + 4;
	return (0);
}

/* mctx_eoh - end of headers: the blank line */
int
mctx_eoh(struct mctx_msg *m)
{
	if (m->eoh)
		return (0);
	m->eoh = 1;
	return (mctx_append(m, "\r\n", 2));
}

/* mctx_body - a body chunk, kept up to max_body_size and counted beyond */
int
mctx_body(struct mctx_msg *m, const unsigned char *data, size_t len)
{
	size_t	room = mcfg_max_body(m->cfg) - m->body_kept;
	size_t	take = len < room ? len : room;

	if (!m->eoh && mctx_eoh(m) != 0)
		return (-1);
	m->body_seen += len;
	if (take < len)
		m->truncated = 1;
	if (take == 0)
		return (0);
	if (mctx_append(m, (const char *) data, take) != 0)
		return (-1);
	m->body_kept += take;
	return (0);
}

/* mctx_hdr - an identifying header, NULL if absent */
const char *
mctx_hdr(const struct mctx_msg *m, enum mctx_hdr h)
{
	return (unsigned) h < MCTX_H_COUNT ? m->hdr[h] : NULL;
}

/* mctx_ar_count - accessor */
size_t
mctx_ar_count(const struct mctx_msg *m)
{
	return (m->nar);
}
/* mctx_ar - accessor */
const char *
mctx_ar(const struct mctx_msg *m, size_t i)
{
	return (m->ar[i]);
}
/* mctx_xlinks_count - accessor */
size_t
mctx_xlinks_count(const struct mctx_msg *m)
{
	return (m->nxlinks);
}
/* mctx_xlinks_name - accessor */
const char *
mctx_xlinks_name(const struct mctx_msg *m, size_t i)
{
	return (m->xlinks[i].name);
}
/* mctx_xlinks_times - accessor */
int
mctx_xlinks_times(const struct mctx_msg *m, size_t i)
{
	return (m->xlinks[i].times);
}

/* mctx_text - the collected text and its length */
const char *
mctx_text(const struct mctx_msg *m, size_t *len)
{
	*len = m->len;
	return (m->text ? m->text : "");
}

/* mctx_body_seen - accessor */
size_t
mctx_body_seen(const struct mctx_msg *m)
{
	return (m->body_seen);
}
/* mctx_truncated - accessor */
int
mctx_truncated(const struct mctx_msg *m)
{
	return (m->truncated);
}
