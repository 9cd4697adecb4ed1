/*
 * NAME
 *	test_store_csv 1
 * SUMMARY
 *	unit tests of the CSV reader (csv.h) and the importer (import.h)
 * SYNOPSIS
 *	unit/test_store_csv
 * DESCRIPTION
 *	The reader on RFC 4180 quoting, line ends, a byte order mark, line
 *	numbers of records that span lines, the bound on a record, and
 *	malformed records; the importer on skipped rows versus aborted
 *	imports (nothing half-written) and idempotency.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <check.h>

#include "conf.h"
#include "csv.h"
#include "import.h"
#include "store.h"
#include "unit.h"

#define PATH_BUF	512

static FILE *
mem(const char *s)
{
	FILE   *fp = tmpfile();

	ck_assert_ptr_nonnull(fp);
	fputs(s, fp);
	rewind(fp);
	return fp;
}

START_TEST(test_csv_quoting_and_line_ends)
{
	FILE   *fp = mem("\xef\xbb\xbf" "email,name\r\n"
			 "a@example.vn,\"Trần, Bình\"\r\n"
			 "\n"
			 "b@example.vn,\"say \"\"hi\"\"\"\n"
			 "c@example.vn,\"two\nlines\"\n"
			 "d@example.vn,\r"
			 "e@example.vn,last");
	struct csv *c = csv_new(fp);

	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_str_eq(csv_field(c, 0), "email");	/* BOM stripped */
	ck_assert_int_eq(csv_line(c), 1);
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_uint_eq(csv_nfields(c), 2);
	ck_assert_str_eq(csv_field(c, 1), "Trần, Bình");
	ck_assert_int_eq(csv_line(c), 2);
	ck_assert_int_eq(csv_read(c), CSV_RECORD);	/* blank line skipped */
	ck_assert_str_eq(csv_field(c, 1), "say \"hi\"");
	ck_assert_int_eq(csv_line(c), 4);
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_str_eq(csv_field(c, 1), "two\nlines");
	ck_assert_int_eq(csv_line(c), 5);
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_str_eq(csv_field(c, 1), "");
	ck_assert_int_eq(csv_line(c), 7);		/* the record above took two lines */
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_str_eq(csv_field(c, 1), "last");	/* no final newline */
	ck_assert_int_eq(csv_line(c), 8);
	ck_assert_int_eq(csv_read(c), CSV_EOF);
	csv_free(c);
	fclose(fp);
}
END_TEST

START_TEST(test_csv_malformed_record_is_skipped_and_reading_goes_on)
{
	FILE   *fp = mem("a,b\n"
			 "x\"y,1\n"
			 "\"q\"z,2\n"
			 "ok,3\n");
	struct csv *c = csv_new(fp);

	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_int_eq(csv_read(c), CSV_EBAD);
	ck_assert_str_eq(csv_error(c), "line 2: quote inside an unquoted field");
	ck_assert_int_eq(csv_read(c), CSV_EBAD);
	ck_assert_str_eq(csv_error(c), "line 3: text after a closing quote");
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_str_eq(csv_field(c, 0), "ok");
	ck_assert_int_eq(csv_line(c), 4);
	csv_free(c);
	fclose(fp);
}
END_TEST

START_TEST(test_csv_unterminated_quote_is_fatal)
{
	FILE   *fp = mem("a,b\n1,\"open\n2,3\n");
	struct csv *c = csv_new(fp);

	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_int_eq(csv_read(c), CSV_EFATAL);
	ck_assert_str_eq(csv_error(c), "line 2: quoted field not closed at end of file");
	csv_free(c);
	fclose(fp);
}
END_TEST

START_TEST(test_csv_overlong_record_is_fatal_with_line_number)
{
	FILE   *fp = tmpfile();
	struct csv *c;
	char	expect[64];
	long	i;

	fputs("a,b\nshort,1\n", fp);
	for (i = 0; i < 10L * 1024 * 1024; i++)
		putc('x', fp);
	fputs(",2\n", fp);
	rewind(fp);
	c = csv_new(fp);
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_int_eq(csv_read(c), CSV_EFATAL);
	snprintf(expect, sizeof(expect), "line 3: record longer than %d bytes", CSV_RECORD_MAX);
	ck_assert_str_eq(csv_error(c), expect);
	csv_free(c);
	fclose(fp);
}
END_TEST

START_TEST(test_csv_too_many_fields_and_nul)
{
	FILE   *fp;
	struct csv *c;
	char	line[CSV_FIELDS_MAX * 2 + 8];
	int	i;

	for (i = 0; i < CSV_FIELDS_MAX + 1; i++) {
		line[2 * i] = 'x';
		line[2 * i + 1] = ',';
	}
	line[2 * i - 1] = '\n';
	line[2 * i] = 0;
	fp = tmpfile();
	fputs(line, fp);
	fwrite("a\0b,c\nok\n", 1, 9, fp);
	rewind(fp);
	c = csv_new(fp);
	ck_assert_int_eq(csv_read(c), CSV_EBAD);
	ck_assert_str_eq(csv_error(c), "line 1: too many fields");
	ck_assert_int_eq(csv_read(c), CSV_EBAD);
	ck_assert_str_eq(csv_error(c), "line 2: NUL byte in the input");
	ck_assert_int_eq(csv_read(c), CSV_RECORD);
	ck_assert_str_eq(csv_field(c, 0), "ok");
	csv_free(c);
	fclose(fp);
}
END_TEST

START_TEST(test_import_date)
{
	time_t	t;

	ck_assert_int_eq(import_date("1970-01-01", &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(import_date("2024-02-29", &t), 0);
	ck_assert_int_eq(t, 1709164800);
	ck_assert_int_eq(import_date("2023-02-29", &t), -1);
	ck_assert_int_eq(import_date("2024-13-01", &t), -1);
	ck_assert_int_eq(import_date("2024-1-01", &t), -1);
	ck_assert_int_eq(import_date("2024-01-01x", &t), -1);
	ck_assert_int_eq(import_date("01/02/2024", &t), -1);
}
END_TEST

/* ---- the importer against a real store ---- */

struct fx {
	char	dir[PATH_BUF];
	struct conf *conf;
	struct store *st;
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return remove(path);
}

static void
fx_setup(struct fx *f)
{
	char	path[PATH_BUF + 16], err[CONF_ERR_MAX];
	const char *tmp = getenv("TMPDIR");

	snprintf(f->dir, sizeof(f->dir), "%s/test_csv.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	f->conf = conf_defaults();
	snprintf(path, sizeof(path), "%s/links.db", f->dir);
	ck_assert_int_eq(conf_set(f->conf, "store_path", path, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/master.key", f->dir);
	ck_assert_int_eq(conf_set(f->conf, "key_file", path, err, sizeof(err)), 0);
	ck_assert_msg(store_init(f->conf, err, sizeof(err)) == STORE_OK, "%s", err);
	f->st = store_open(f->conf, err, sizeof(err));
	ck_assert_msg(f->st != NULL, "%s", err);
}

static void
fx_teardown(struct fx *f)
{
	store_close(f->st);
	conf_free(f->conf);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
run_import(struct fx *f, const char *text, struct import_summary *sum, char *report, size_t len)
{
	FILE   *in = mem(text), *rep = tmpfile();
	size_t	n;
	int	rc;

	rc = import_csv(f->st, in, "t.csv", rep, sum);
	rewind(rep);
	n = fread(report, 1, len - 1, rep);
	report[n] = 0;
	fclose(in);
	fclose(rep);
	return rc;
}

static long
customers(struct fx *f)
{
	struct store_stats s;

	ck_assert_int_eq(store_stats_get(f->st, &s), STORE_OK);
	return s.customers;
}

START_TEST(test_import_skips_bad_rows_and_keeps_the_rest)
{
	struct fx f;
	struct import_summary sum;
	struct store_customer c;
	char	rep[2048];

	fx_setup(&f);
	ck_assert_int_eq(run_import(&f,
				    "Email,Name,service_type,service_ref,contract_status,ended_at\n"
				    "an.nguyen@example.vn,Nguyễn Văn An,vps,VPS-1,active,\n"
				    "not-an-address,X,,,,\n"
				    "binh.tran@example.vn,Bình,vps,,,\n"
				    "cuong@example.vn,Cường,hosting,H-1,expired,\n"
				    "dung@example.vn,Dung,hosting,H-2,,2020-02-30\n"
				    "an.nguyen@example.vn,Nguyễn Văn An,domain,DOM-1,ended,2021-01-01\n"
				    "extra@example.vn,E,,,,,\n",
				    &sum, rep, sizeof(rep)), IMPORT_PARTIAL);
	ck_assert_int_eq(sum.rows, 7);
	ck_assert_int_eq(sum.created, 1);
	ck_assert_int_eq(sum.updated, 1);
	ck_assert_int_eq(sum.contracts, 2);
	ck_assert_int_eq(sum.skipped, 5);
	ck_assert_msg(strstr(rep, "t.csv:3: invalid email address; row skipped"), "%s", rep);
	ck_assert_msg(strstr(rep, "t.csv:4: service_type and service_ref go together"), "%s", rep);
	ck_assert_msg(strstr(rep, "t.csv:5: contract_status must be active or ended"), "%s", rep);
	ck_assert_msg(strstr(rep, "t.csv:6: ended_at is not a date"), "%s", rep);
	ck_assert_msg(strstr(rep, "t.csv:8: 7 fields, the header has 6"), "%s", rep);
	ck_assert_ptr_null(strstr(rep, "not-an-address"));	/* values are not echoed */
	ck_assert_int_eq(customers(&f), 1);
	ck_assert_int_eq(store_customer_find(f.st, "an.nguyen@example.vn", &c), STORE_OK);
	ck_assert_int_eq(store_customer_has_active(f.st, c.id, "vps"), 1);
	ck_assert_int_eq(store_customer_has_active(f.st, c.id, "domain"), 0);
	store_customer_clear(&c);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_import_aborts_on_unknown_column_and_broken_quote)
{
	struct fx f;
	struct import_summary sum;
	char	rep[2048];

	fx_setup(&f);
	ck_assert_int_eq(run_import(&f, "email,name,favourite_colour\na@example.vn,A,blue\n", &sum,
				    rep, sizeof(rep)), IMPORT_ABORT);
	ck_assert_msg(strstr(rep, "t.csv:1: unknown column \"favourite_colour\""), "%s", rep);
	ck_assert_int_eq(run_import(&f, "name,phone\nA,1\n", &sum, rep, sizeof(rep)), IMPORT_ABORT);
	ck_assert_msg(strstr(rep, "no \"email\" column"), "%s", rep);
	ck_assert_int_eq(run_import(&f, "email,email\n", &sum, rep, sizeof(rep)), IMPORT_ABORT);
	ck_assert_int_eq(run_import(&f, "", &sum, rep, sizeof(rep)), IMPORT_ABORT);
	/* rows before the broken quote are rolled back too */
	ck_assert_int_eq(run_import(&f, "email,name\na@example.vn,A\nb@example.vn,B\n"
				    "c@example.vn,\"C\n", &sum, rep, sizeof(rep)), IMPORT_ABORT);
	ck_assert_msg(strstr(rep, "line 4: quoted field not closed at end of file; import aborted"),
		      "%s", rep);
	ck_assert_int_eq(sum.created, 0);
	ck_assert_int_eq(customers(&f), 0);
	fx_teardown(&f);
}
END_TEST

START_TEST(test_import_twice_changes_nothing)
{
	static const char text[] =
		"email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at\n"
		"an.nguyen@example.vn,An,0900 000 001,portal,vps,VPS-1,active,2024-01-01,\n"
		"binh.tran@example.vn,Bình,,web_form,hosting,H-1,ended,2020-01-01,2021-01-01\n";
	struct fx f;
	struct import_summary sum;
	struct store_stats s1, s2;
	char	rep[1024];

	fx_setup(&f);
	ck_assert_int_eq(run_import(&f, text, &sum, rep, sizeof(rep)), IMPORT_OK);
	ck_assert_int_eq(sum.created, 2);
	ck_assert_int_eq(store_stats_get(f.st, &s1), STORE_OK);
	ck_assert_int_eq(run_import(&f, text, &sum, rep, sizeof(rep)), IMPORT_OK);
	ck_assert_int_eq(sum.created, 0);
	ck_assert_int_eq(sum.updated, 2);
	ck_assert_int_eq(store_stats_get(f.st, &s2), STORE_OK);
	ck_assert_mem_eq(&s1, &s2, sizeof(s1));
	ck_assert_int_eq(s1.contracts_active, 1);
	ck_assert_int_eq(s1.contracts_ended, 1);
	fx_teardown(&f);
}
END_TEST

/* refused - whether customer EMAIL refuses promotions (and survey: S) */
static int
refused(struct fx *f, const char *email, enum category cat)
{
	struct store_customer c;
	int	r;

	ck_assert_int_eq(store_customer_find(f->st, email, &c), STORE_OK);
	r = store_is_optout(f->st, c.id, cat);
	store_customer_clear(&c);
	return r;
}

START_TEST(test_import_promotion_consent_column_and_default)
{
	struct fx f;
	struct import_summary sum;
	char	rep[2048], err[CONF_ERR_MAX];

	fx_setup(&f);
	/* default (import_promotion_consent = yes): only "no" refuses */
	ck_assert_int_eq(run_import(&f, "email,promotion_consent\n"
				    "a@example.vn,yes\nb@example.vn,No\nc@example.vn,\n"
				    "d@example.vn,maybe\n", &sum, rep, sizeof(rep)), IMPORT_PARTIAL);
	ck_assert_msg(strstr(rep, "t.csv:5: promotion_consent must be yes or no; row skipped"),
		      "%s", rep);
	ck_assert_ptr_null(strstr(rep, "maybe"));
	ck_assert_int_eq(sum.created, 3);
	ck_assert_int_eq(refused(&f, "a@example.vn", CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(refused(&f, "b@example.vn", CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(refused(&f, "b@example.vn", CATEGORY_SURVEY), 0);
	ck_assert_int_eq(refused(&f, "c@example.vn", CATEGORY_PROMOTION), 0);
	/* "yes" never undoes a refusal; "no" refuses for an existing customer */
	ck_assert_int_eq(run_import(&f, "email,promotion_consent\nb@example.vn,yes\n"
				    "a@example.vn,no\n", &sum, rep, sizeof(rep)), IMPORT_OK);
	ck_assert_int_eq(refused(&f, "b@example.vn", CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(refused(&f, "a@example.vn", CATEGORY_PROMOTION), 1);
	/* import_promotion_consent = no: new customers without a value start refused,
	 * existing ones without a value are left as they are */
	store_close(f.st);
	ck_assert_int_eq(conf_set(f.conf, "import_promotion_consent", "no", err, sizeof(err)), 0);
	f.st = store_open(f.conf, err, sizeof(err));
	ck_assert_msg(f.st != NULL, "%s", err);
	ck_assert_int_eq(run_import(&f, "email,name\ne@example.vn,E\nc@example.vn,C\n", &sum, rep,
				    sizeof(rep)), IMPORT_OK);
	ck_assert_int_eq(refused(&f, "e@example.vn", CATEGORY_PROMOTION), 1);
	ck_assert_int_eq(refused(&f, "c@example.vn", CATEGORY_PROMOTION), 0);
	ck_assert_int_eq(run_import(&f, "email,promotion_consent\nf@example.vn,yes\n", &sum, rep,
				    sizeof(rep)), IMPORT_OK);
	ck_assert_int_eq(refused(&f, "f@example.vn", CATEGORY_PROMOTION), 0);
	fx_teardown(&f);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite  *s = suite_create("store_csv");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csv_quoting_and_line_ends);
	tcase_add_test(tc, test_csv_malformed_record_is_skipped_and_reading_goes_on);
	tcase_add_test(tc, test_csv_unterminated_quote_is_fatal);
	tcase_add_test(tc, test_csv_overlong_record_is_fatal_with_line_number);
	tcase_add_test(tc, test_csv_too_many_fields_and_nul);
	tcase_add_test(tc, test_import_date);
	tcase_add_test(tc, test_import_skips_bad_rows_and_keeps_the_rest);
	tcase_add_test(tc, test_import_aborts_on_unknown_column_and_broken_quote);
	tcase_add_test(tc, test_import_twice_changes_nothing);
	tcase_add_test(tc, test_import_promotion_consent_column_and_default);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return (unit_run(csv_suite()));
}
