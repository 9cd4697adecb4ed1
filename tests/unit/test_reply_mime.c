/*
 * NAME
 *	test_reply_mime 1 (test program)
 * SUMMARY
 *	unit tests of reply_mime: the MIME walk
 * SYNOPSIS
 *	test_reply_mime (run by make check; CK_FORK=no to debug)
 * DESCRIPTION
 *	The parts the analysis reads, decoded only as far as needed, within the
 *	limits; the Subject in canonical form.
 * DIAGNOSTICS
 *	Exit 0 when every test passes, 1 otherwise.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reply_mime.h"
#include "strbuf.h"
#include "unit.h"

static const struct reply_mime_limits lim = {64, 8, 256 * 1024};

/* parse_plain - M parsed from MSG, its text part found with CHARSET,
 * FLOWED and DELSP; the caller frees M */
static void
parse_plain(struct reply_mime *m, const char *msg, const char *charset, int flowed, int delsp)
{
	ck_assert_int_eq(reply_mime_parse(m, msg, strlen(msg), &lim), 0);
	ck_assert_int_eq(m->have_plain, 1);
	ck_assert_str_eq(m->plain_charset, charset);
	ck_assert_int_eq(m->plain_flowed, flowed);
	ck_assert_int_eq(m->plain_delsp, delsp);
}

START_TEST(test_reply_mime_plain_part_keeps_its_charset_and_flowed_parameters)
{
	const char *msg = "Subject: x\nContent-Type: text/plain; charset=windows-1258; format=flowed; delsp=yes\n"
	    "Content-Transfer-Encoding: quoted-printable\n\nT=FD=CC ch=F4=ECi\n";
	struct reply_mime m;

	parse_plain(&m, msg, "windows-1258", 1, 1);
	ck_assert_uint_eq(m.plain.len, 0);			/* decoded when asked */
	ck_assert_int_eq(reply_mime_plain(&m), 0);
	ck_assert_mem_eq(m.plain.data, "T\xfd\xcc ch\xf4\xeci", 9);	/* transfer-decoded, charset kept */
	reply_mime_free(&m);
}
END_TEST

START_TEST(test_reply_mime_content_type_parameters_first_of_each_name_in_any_order_quotes_skipped)
{
	/* a name inside a quoted value is not a parameter; the first of
	 * each name wins; blanks around "="; a later Content-Type of the
	 * same part starts over */
	const char *msg = "Subject: x\nContent-Type: multipart/mixed; x=\"boundary=Z; y\"; BOUNDARY = B;"
	    " boundary=C\n\n--B\nContent-Type: text/plain; charset=koi8-r\n"
	    "Content-Type: text/plain; name=\"a; charset=koi8-r; delsp=yes\"; DelSp=no;"
	    " Format = flowed; charset=\"windows-1258\"; charset=utf-8; delsp=yes\n\nhi\n--B--\n";
	struct reply_mime m;

	parse_plain(&m, msg, "windows-1258", 1, 0);
	ck_assert_int_eq(reply_mime_plain(&m), 0);
	ck_assert_str_eq(m.plain.data, "hi");
	reply_mime_free(&m);
}
END_TEST

/* The message's own fields (read with the kept ones, in one pass over the
 * header block) are read as a part's: folded values, a field of our name
 * in another field's continuation line, a later Content-Type starting over. */
START_TEST(test_reply_mime_top_level_fields_read_like_a_part_s_in_the_same_pass)
{
	const char *fields = "Content-Type: text/html\r\nX-Note: a\r\n Content-Type: text/html\r\n"
	    "Received: from a\r\n\tby b; Mon, 1 Dec 2026\r\nContent-Type:\r\n text/plain;\r\n"
	    "\tcharset=\"windows-1258\";\r\n format=flowed\r\nCONTENT-TRANSFER-ENCODING:  quoted-printable \r\n";
	struct strbuf top, nested;
	struct reply_mime m;

	strbuf_init(&top);
	strbuf_init(&nested);
	ck_assert_int_eq(strbuf_adds(&top, "Subject: x\r\n"), 0);
	ck_assert_int_eq(strbuf_adds(&top, fields), 0);
	ck_assert_int_eq(strbuf_adds(&top, "\r\nT=FD=CC ch=F4=ECi\r\n"), 0);
	ck_assert_int_eq(strbuf_adds(&nested, "Subject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n"
				     "\r\n--B\r\n"), 0);
	ck_assert_int_eq(strbuf_adds(&nested, fields), 0);
	ck_assert_int_eq(strbuf_adds(&nested, "\r\nT=FD=CC ch=F4=ECi\r\n--B--\r\n"), 0);
	parse_plain(&m, top.data, "windows-1258", 1, 0);
	ck_assert_int_eq(reply_mime_plain(&m), 0);
	ck_assert_mem_eq(m.plain.data, "T\xfd\xcc ch\xf4\xeci", 9);
	reply_mime_free(&m);
	parse_plain(&m, nested.data, "windows-1258", 1, 0);
	ck_assert_int_eq(reply_mime_plain(&m), 0);
	ck_assert_mem_eq(m.plain.data, "T\xfd\xcc ch\xf4\xeci", 9);
	reply_mime_free(&m);
	strbuf_free(&top);
	strbuf_free(&nested);
}
END_TEST

START_TEST(test_reply_mime_html_is_decoded_only_when_asked)
{
	const char *msg = "Subject: x\nContent-Type: multipart/alternative; boundary=A\n\n--A\n"
	    "Content-Type: text/plain\n\nhi\n--A\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\nPGI+VOG7qyBjaOG7kWk8L2I+\n--A--\n";
	struct reply_mime m;
	struct strbuf h;

	ck_assert_int_eq(reply_mime_parse(&m, msg, strlen(msg), &lim), 0);
	ck_assert_int_eq(m.have_html, 1);
	ck_assert_uint_eq(m.decoded, 0);		/* nothing decoded by the walk */
	strbuf_init(&h);
	ck_assert_int_eq(reply_mime_html(&m, &h), 0);
	ck_assert_str_eq(h.data, "<b>Từ chối</b>");
	ck_assert_str_eq(m.plain.data, "hi");		/* the text part first */
	strbuf_free(&h);
	reply_mime_free(&m);
}
END_TEST

/*
 * An auto-reply's or a bounce's text part is never read: the walk leaves
 * it encoded. Before a delivery-status part it is decoded first, so the
 * decoding budget (mime_max_decoded) is spent in the order of the parts.
 */
START_TEST(test_reply_mime_text_part_decoded_only_when_read_in_part_order)
{
	static const struct reply_mime_limits small = {64, 8, 12};
	const char *msg = "Subject: x\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n"
	    "--B\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nMDEyMzQ1Njc4OQ==\n"
	    "--B\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--B--\n";
	const char *nodsn = "Subject: x\nContent-Transfer-Encoding: base64\n\nMDEyMzQ1Njc4OQ==\n";
	struct reply_mime m;

	ck_assert_int_eq(reply_mime_parse(&m, nodsn, strlen(nodsn), &lim), 0);
	ck_assert_int_eq(m.have_plain, 1);
	ck_assert_uint_eq(m.decoded, 0);
	ck_assert_uint_eq(m.plain.len, 0);
	ck_assert_int_eq(reply_mime_plain(&m), 0);
	ck_assert_str_eq(m.plain.data, "0123456789");
	ck_assert_int_eq(reply_mime_plain(&m), 0);		/* once */
	ck_assert_str_eq(m.plain.data, "0123456789");
	reply_mime_free(&m);

	ck_assert_int_eq(reply_mime_parse(&m, msg, strlen(msg), &small), 0);
	ck_assert_str_eq(m.plain.data, "0123456789");
	ck_assert_int_eq(m.have_dsn, 1);
	ck_assert_str_eq(m.dsn.data, "St");			/* what the budget left */
	reply_mime_free(&m);
}
END_TEST

START_TEST(test_reply_mime_subject_8bit_in_the_body_charset)
{
	const char *a = "Subject: T\xfd\xcc ch\xf4\xeci\nContent-Type: text/plain; charset=windows-1258\n\nx\n";
	const char *b = "Subject: Re: T\xe1\xbb\xab ch\xe1\xbb\x91i\nContent-Type: text/plain; charset=iso-8859-1\n\nx\n";
	const char *c = "Subject: =?windows-1258?Q?T=FD=CC_ch=F4=ECi?=\n\nx\n";
	struct reply_mime m;

	ck_assert_int_eq(reply_mime_parse(&m, a, strlen(a), &lim), 0);
	ck_assert_str_eq(m.subject, "Từ chối");
	reply_mime_free(&m);
	ck_assert_int_eq(reply_mime_parse(&m, b, strlen(b), &lim), 0);
	ck_assert_str_eq(m.subject, "Re: Từ chối");
	reply_mime_free(&m);
	ck_assert_int_eq(reply_mime_parse(&m, c, strlen(c), &lim), 0);
	ck_assert_str_eq(m.subject, "Từ chối");
	reply_mime_free(&m);
}
END_TEST

/* RFC 2047: base64 (bytes outside its alphabet skipped) and Q ("_" a
 * space, "=XX" a byte, "=" without two hex digits kept); the blank
 * between two encoded words dropped. */
START_TEST(test_reply_mime_subject_encoded_words_b_and_q)
{
	const char *a = "Subject: =?utf-8?B?VOG7qyBj!aOG7kWk=?= =?UTF-8?q?_n=E1=BB=AFa=ZZ_=3D?=\n\nx\n";
	const char *b = "Subject: Re: =?utf-8?b?" "?=x\n\nx\n";
	struct reply_mime m;

	ck_assert_int_eq(reply_mime_parse(&m, a, strlen(a), &lim), 0);
	ck_assert_str_eq(m.subject, "Từ chối nữa=ZZ =");
	reply_mime_free(&m);
	ck_assert_int_eq(reply_mime_parse(&m, b, strlen(b), &lim), 0);
	ck_assert_str_eq(m.subject, "Re: x");	/* an empty word */
	reply_mime_free(&m);
}
END_TEST

/* A header value is unfolded (each run of blanks one space) and cut at
 * REPLY_HDR_VALUE_MAX bytes. */
START_TEST(test_reply_mime_header_values_unfolded_and_bounded)
{
	const char *head = "Precedence:  \t bulk\r\n\t  list \r\nX-Autoreply:";
	struct strbuf msg;
	struct reply_mime m;
	size_t	i;

	strbuf_init(&msg);
	ck_assert_int_eq(strbuf_adds(&msg, head), 0);
	for (i = 0; i < 2 * REPLY_HDR_VALUE_MAX; i++)
		ck_assert_int_eq(strbuf_adds(&msg, i < 8 && i % 2 ? "\n " : "y"), 0);
	ck_assert_int_eq(strbuf_adds(&msg, "\nSubject: a\n\t\tb\n\nhi\n"), 0);
	ck_assert_int_eq(reply_mime_parse(&m, msg.data, msg.len, &lim), 0);
	ck_assert_str_eq(m.hdr[REPLY_HDR_PRECEDENCE], "bulk list");
	ck_assert_str_eq(m.subject, "a b");
	ck_assert_uint_eq(strlen(m.hdr[REPLY_HDR_X_AUTOREPLY]), REPLY_HDR_VALUE_MAX);
	for (i = 0; i < REPLY_HDR_VALUE_MAX; i++)
		ck_assert_int_eq(m.hdr[REPLY_HDR_X_AUTOREPLY][i], i < 8 && i % 2 ? ' ' : 'y');
	reply_mime_free(&m);
	strbuf_free(&msg);
}
END_TEST

START_TEST(test_reply_mime_trace_fields_do_not_reach_the_parser)
{
	/* a Received field libetpan would choke on does not matter */
	const char *msg = "Received: from (((((((((\n\t(((((((( by x\nSubject: x\nContent-Type: text/plain\n\nTừ chối\n";
	struct reply_mime m;

	ck_assert_int_eq(reply_mime_parse(&m, msg, strlen(msg), &lim), 0);
	ck_assert_int_eq(reply_mime_plain(&m), 0);
	ck_assert_mem_eq(m.plain.data, "Từ chối", strlen("Từ chối"));
	reply_mime_free(&m);
}
END_TEST

static Suite *
suite(void)
{
	Suite  *s = suite_create("reply_mime");
	TCase  *tc = tcase_create("core");

	tcase_add_test(tc, test_reply_mime_plain_part_keeps_its_charset_and_flowed_parameters);
	tcase_add_test(tc, test_reply_mime_content_type_parameters_first_of_each_name_in_any_order_quotes_skipped);
	tcase_add_test(tc, test_reply_mime_top_level_fields_read_like_a_part_s_in_the_same_pass);
	tcase_add_test(tc, test_reply_mime_html_is_decoded_only_when_asked);
	tcase_add_test(tc, test_reply_mime_text_part_decoded_only_when_read_in_part_order);
	tcase_add_test(tc, test_reply_mime_subject_8bit_in_the_body_charset);
	tcase_add_test(tc, test_reply_mime_subject_encoded_words_b_and_q);
	tcase_add_test(tc, test_reply_mime_header_values_unfolded_and_bounded);
	tcase_add_test(tc, test_reply_mime_trace_fields_do_not_reach_the_parser);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (unit_run(suite()));
}
