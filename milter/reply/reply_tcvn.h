/*
 * NAME
 *	reply_tcvn 3h
 * SUMMARY
 *	text typed in a TCVN3 (.VnTime) font, read back as Vietnamese
 * SYNOPSIS
 *	#include "reply_tcvn.h"
 *
 *	int	reply_tcvn_repair(const char *s, size_t len,
 *				struct strbuf *out);
 * DESCRIPTION
 *	reply_tcvn_repair() reads LEN bytes of UTF-8 at S, text typed with
 *	a legacy TCVN3 font (ABC keyboards, ".VnTime", TCVN 5712:1993 VN3)
 *	and decoded as windows-1252 or ISO-8859-1: "Tõ chèi" for "Từ
 *	chối", "T«i kh«ng muèn" for "Tôi không muốn", one font byte per
 *	Vietnamese letter. Line by line, a line where most words holding
 *	such characters map to Vietnamese syllables is mapped back
 *	(precomposed letters). When one line was, the whole text is
 *	appended to OUT and 1 returned; otherwise it appends nothing and
 *	returns 0 (real French, German or Spanish text stays as it is).
 * DIAGNOSTICS
 *	-1 when out of memory.
 */
#ifndef LINKS_REPLY_TCVN_H
#define LINKS_REPLY_TCVN_H

#include <stddef.h>

#include "strbuf.h"

int	reply_tcvn_repair(const char *s, size_t len, struct strbuf *out);

#endif
