/*
 * NAME
 *	sample 3h
 * SUMMARY
 *	one message for a sample customer: --test-to and preview
 * SYNOPSIS
 *	#include "sample.h"
 *
 *	int	sample_find(struct store *st, const struct compose *comp,
 *			    const struct audience *aud, const int64_t *ids, size_t n,
 *			    struct store_customer *c, struct store_contract *k,
 *			    char *err, size_t errlen);
 *	int	sample_test(const struct conf *conf, const struct campaign_opts *o);
 *	int	sample_preview(const struct conf *conf, const struct campaign_opts *o,
 *			       const char *dir, int browser);
 * DESCRIPTION
 *	Staff want to see a campaign before it goes out. Both commands
 *	render the message for a sample customer: the first customer of
 *	the audience (IDS, in its order) whom the rules let receive it and
 *	whose data can be sent; they record nothing in the store (no
 *	campaign, no delivery, no message log).
 *
 *	sample_find() finds that customer: 1 with *C and *K filled (the
 *	caller clears them), 0 when none qualifies, -1 with ERR.
 *
 *	sample_test() sends it once to O->test_to, which must be an address
 *	of the company (company_domains): To is that address, the subject
 *	starts with "[TEST]", the Message-ID is new and the unsubscribe
 *	token verifies nothing, so the test cannot refuse anything for the
 *	customer.
 *
 *	sample_preview() writes DIR/preview.txt (From, To, Subject and the
 *	text with its footer) and DIR/preview.html (the HTML with its
 *	footer, or the text as HTML when the template has none, under a
 *	banner naming sender, recipient and subject) and prints their
 *	paths. DIR is made if missing (NULL: a new directory in $TMPDIR).
 *	With BROWSER, $BROWSER is run on the HTML file.
 * DIAGNOSTICS
 *	Exit statuses from <sysexits.h>: EX_OK; EX_USAGE (not a company
 *	address, bad options); EX_NOINPUT (no customer of the audience can
 *	receive it); EX_TEMPFAIL and EX_UNAVAILABLE (the server deferred or
 *	refused the test); EX_CANTCREAT (the preview files); EX_CONFIG (no
 *	$BROWSER).
 */
#ifndef LINKS_SAMPLE_H
#define LINKS_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "campaign.h"
#include "compose.h"
#include "store.h"

int	sample_find(struct store *st, const struct compose *comp, const struct audience *aud,
		    const int64_t *ids, size_t n, struct store_customer *c,
		    struct store_contract *k, char *err, size_t errlen);
int	sample_test(const struct conf *conf, const struct campaign_opts *o);
int	sample_preview(const struct conf *conf, const struct campaign_opts *o, const char *dir,
		       int browser);

#endif
