/*
 * NAME
 *	sender_fixture 3h
 * SUMMARY
 *	what the unit tests of sender/ share: a store of five customers, headers
 * SYNOPSIS
 *	#include "sender_fixture.h"
 * DESCRIPTION
 *	fixture_open() makes a temporary directory (tmpdir), a
 *	configuration for it (test_conf(): store and key there, the
 *	templates of the source tree, bounce_threshold 1) and a store with
 *	five customers:
 *	  a   active vps contract VPS-A;
 *	  b   ended vps VPS-B, active hosting HOST-B;
 *	  cc  active vps VPS-C, refused promotions;
 *	  d   active vps VPS-D, undeliverable (one bounce);
 *	  e   active email MAIL-E, refused everything.
 *	fixture_close() closes and removes it all.
 *
 *	header() returns the unfolded value of header NAME of a CRLF
 *	message (a static buffer), NULL when absent; longest_header_line()
 *	the longest line of its header block; decode_words() the decoded
 *	text of a value's RFC 2047 words (static), with the longest
 *	word's length and whether every word alone is valid UTF-8;
 *	text_body() the decoded first base64 text part (static);
 *	count_files() the number of files in a directory matching a
 *	shell pattern; fixture_counter() the value of a store counter (0
 *	when absent).
 * DIAGNOSTICS
 *	Check assertions.
 */
#ifndef LINKS_SENDER_FIXTURE_H
#define LINKS_SENDER_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "store.h"

#define TEST_TEMPLATES TOP_SRCDIR "/config/templates"

struct fixture {
	struct conf *conf;
	struct store *st;
	int64_t a, b, cc, d, e;
};

extern char tmpdir[256];

struct conf *test_conf(const char *dir);
void	make_tmpdir(void);
void	remove_tmpdir(void);
void	fixture_open(struct fixture *f);
void	fixture_close(struct fixture *f);

size_t	longest_header_line(const char *msg);
const char *header(const char *msg, const char *name);
char   *decode_words(const char *v, int *max_word, int *words_ok);
const char *text_body(const char *msg);
int	count_files(const char *dir, const char *pattern);
long	fixture_counter(struct store *st, const char *name);

#endif
