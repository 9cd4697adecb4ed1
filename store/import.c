/*
 * NAME
 *	import 3
 * SUMMARY
 *	import customers and contracts from a portal or web-form CSV
 * SYNOPSIS
 *	#include "import.h"
 * DESCRIPTION
 *	See import.h for the columns and which errors skip a row or abort.
 *	The import is one store transaction; each row is a savepoint inside
 *	it, so a row that fails half-way (customer written, contract
 *	refused) leaves nothing behind.
 * DIAGNOSTICS
 *	See import.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "import.h"
#include "store_int.h"
#include "text.h"

#define IMPORT_HEADER_SHOW	40	/* characters of a bad column name shown */
#define IMPORT_MSG_MAX		512

enum col {
	COL_EMAIL, COL_NAME, COL_PHONE, COL_SOURCE, COL_SERVICE_TYPE, COL_SERVICE_REF,
	COL_STATUS, COL_STARTED, COL_ENDED, COL_CONSENT, COL_COUNT
};

static const char *const col_names[COL_COUNT] = {
	"email", "name", "phone", "source", "service_type", "service_ref",
	"contract_status", "started_at", "ended_at", "promotion_consent",
};

#define IMPORT_CONSENT_EVIDENCE	"import: promotion_consent=no"

static int
is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
days_from_civil(long y, long m, long d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
import_date(const char *s, time_t *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long	y, m, d;
	int	i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char) s[i]))
			return -1;
	if (s[10] != 0)
		return -1;
	y = strtol(s, NULL, 10);
	m = strtol(s + 5, NULL, 10);
	d = strtol(s + 8, NULL, 10);
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1
	    || d > mdays[m - 1] + (m == 2 && is_leap(y)))
		return -1;
	*out = (time_t) days_from_civil(y, m, d) * 86400;
	return 0;
}

static void
show_name(const char *in, char *out, size_t outlen)
{
	size_t	i;

	for (i = 0; in[i] && i + 1 < outlen && i < IMPORT_HEADER_SHOW; i++)
		out[i] = isprint((unsigned char) in[i]) ? in[i] : '?';
	out[i] = 0;
}

static int
read_header(struct csv *csv, const char *name, FILE *report, int map[COL_COUNT], size_t *ncols)
{
	char	show[IMPORT_HEADER_SHOW + 1];
	size_t	i;
	int	rc, k;

	for (k = 0; k < COL_COUNT; k++)
		map[k] = -1;
	rc = csv_read(csv);
	if (rc == CSV_EOF) {
		fprintf(report, "%s: empty file: no header row\n", name);
		return -1;
	}
	if (rc != CSV_RECORD) {
		fprintf(report, "%s: %s (in the header row)\n", name, csv_error(csv));
		return -1;
	}
	*ncols = csv_nfields(csv);
	for (i = 0; i < *ncols; i++) {
		char   *f = text_trim((char *) csv_field(csv, i));

		for (k = 0; k < COL_COUNT; k++)
			if (strcasecmp(f, col_names[k]) == 0)
				break;
		show_name(f, show, sizeof(show));
		if (k == COL_COUNT) {
			fprintf(report, "%s:%ld: unknown column \"%s\" (known: email, name, phone, "
				"source, service_type, service_ref, contract_status, started_at, "
				"ended_at, promotion_consent)\n", name, csv_line(csv), show);
			return -1;
		}
		if (map[k] >= 0) {
			fprintf(report, "%s:%ld: column \"%s\" appears twice\n", name,
				csv_line(csv), show);
			return -1;
		}
		map[k] = (int) i;
	}
	if (map[COL_EMAIL] < 0) {
		fprintf(report, "%s:%ld: no \"email\" column in the header row\n", name,
			csv_line(csv));
		return -1;
	}
	return 0;
}

static const char *
get(struct csv *csv, const int map[COL_COUNT], enum col k)
{
	return map[k] >= 0 ? text_trim((char *) csv_field(csv, (size_t) map[k])) : "";
}

/* contract_fields - the contract columns of a row, checked; STORE_ERR + MSG */
static int
contract_fields(const char *stype, const char *ref, const char *status, const char *started,
		const char *ended, enum store_contract_status *cst, time_t *t_start,
		time_t *t_end, char *msg, size_t msglen)
{
	const char *why = NULL;

	*cst = STORE_CONTRACT_ACTIVE;
	if ((*stype != 0) != (*ref != 0))
		why = "service_type and service_ref go together";
	else if (*status && strcasecmp(status, "active") != 0 && strcasecmp(status, "ended") != 0)
		why = "contract_status must be active or ended";
	else if (*started && import_date(started, t_start) < 0)
		why = "started_at is not a date YYYY-MM-DD";
	else if (*ended && import_date(ended, t_end) < 0)
		why = "ended_at is not a date YYYY-MM-DD";
	else if (*ended && *status && strcasecmp(status, "active") == 0)
		why = "contract_status is active but ended_at is set";
	else if (!*stype && (*status || *started || *ended))
		why = "contract fields without service_type and service_ref";
	if (why != NULL) {
		snprintf(msg, msglen, "%s", why);
		return (STORE_ERR);
	}
	if ((*status && strcasecmp(status, "ended") == 0) || (!*status && *ended))
		*cst = STORE_CONTRACT_ENDED;
	return (STORE_OK);
}

/* consent_value - promotion_consent: 1 yes, 0 no, -1 empty, -2 invalid */
static int
consent_value(const char *v)
{
	static const char *const yes[] = {"yes", "y", "true", "1"}, *const no[] = {"no", "n",
		"false", "0"};
	size_t	i;

	if (*v == 0)
		return (-1);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return (1);
		if (strcasecmp(v, no[i]) == 0)
			return (0);
	}
	return (-2);
}

/*
 * row_consent - apply a row's promotion consent (V from consent_value)
 * to customer ID: "no" refuses promotions, "yes" changes nothing (a
 * refusal is never undone by an import), an empty value is
 * import_promotion_consent for a customer this row CREATED.
 */
static int
row_consent(struct store *st, int64_t id, int created, int v)
{
	if (v < 0)
		v = created ? st->import_promotion_consent : 1;
	if (v != 0)
		return (STORE_OK);
	return (store_optout(st, id, CATEGORY_PROMOTION, STORE_CH_IMPORT, IMPORT_CONSENT_EVIDENCE,
			     NULL));
}

/*
 * import_row - one row inside its own savepoint. Returns STORE_OK,
 * STORE_ERR (row skipped; message in MSG) or STORE_TEMP.
 */
static int
import_row(struct store *st, struct csv *csv, const int map[COL_COUNT],
	   struct import_summary *sum, char *msg, size_t msglen)
{
	const char *email = get(csv, map, COL_EMAIL), *name = get(csv, map, COL_NAME);
	const char *phone = get(csv, map, COL_PHONE), *source = get(csv, map, COL_SOURCE);
	const char *stype = get(csv, map, COL_SERVICE_TYPE), *ref = get(csv, map, COL_SERVICE_REF);
	const char *status = get(csv, map, COL_STATUS), *started = get(csv, map, COL_STARTED);
	const char *ended = get(csv, map, COL_ENDED);
	int	consent = consent_value(get(csv, map, COL_CONSENT));
	char	norm[STORE_EMAIL_MAX + 1], lstype[STORE_REF_MAX + 1];
	enum store_source src = STORE_SRC_PORTAL;
	enum store_contract_status cst = STORE_CONTRACT_ACTIVE;
	time_t	t_start = 0, t_end = 0;
	int64_t	id;
	int	created = 0, rc;
	size_t	i;

	if (addr_normalise(email, norm, sizeof(norm)) != 0) {
		snprintf(msg, msglen, *email ? "invalid email address" : "no email address");
		return STORE_ERR;
	}
	if (*source && store_source_parse(source, &src) < 0) {
		snprintf(msg, msglen, "unknown source (portal, web_form or staff)");
		return STORE_ERR;
	}
	if (contract_fields(stype, ref, status, started, ended, &cst, &t_start, &t_end, msg,
			    msglen) != STORE_OK)
		return STORE_ERR;
	if (consent == -2) {
		snprintf(msg, msglen, "promotion_consent must be yes or no");
		return STORE_ERR;
	}
	for (i = 0; stype[i] && i < STORE_REF_MAX; i++)
		lstype[i] = (char) tolower((unsigned char) stype[i]);
	lstype[i] = 0;

	if ((rc = store_begin(st)) != STORE_OK)
		goto fail;
	rc = store_customer_upsert(st, norm, *name ? name : NULL, *phone ? phone : NULL, src,
				   &id, &created);
	if (rc == STORE_OK && *stype)
		rc = store_contract_upsert(st, id, lstype, ref, cst, t_start, t_end, NULL);
	if (rc == STORE_OK)
		rc = row_consent(st, id, created, consent);
	if (rc != STORE_OK) {
		snprintf(msg, msglen, "%s", store_errmsg(st));
		store_rollback(st);
		goto fail;
	}
	if ((rc = store_commit(st)) != STORE_OK)
		goto fail;
	if (created)
		sum->created++;
	else
		sum->updated++;
	if (*stype)
		sum->contracts++;
	return STORE_OK;
fail:
	if (rc == STORE_TEMP)
		snprintf(msg, msglen, "%s", store_errmsg(st));
	return rc == STORE_TEMP ? STORE_TEMP : STORE_ERR;
}

int
import_csv(struct store *st, FILE *in, const char *name, FILE *report,
	   struct import_summary *sum)
{
	char	msg[IMPORT_MSG_MAX];
	struct csv *csv;
	int	map[COL_COUNT], rc, ret = IMPORT_ABORT;
	size_t	ncols;

	memset(sum, 0, sizeof(*sum));
	if ((csv = csv_new(in)) == NULL) {
		fprintf(report, "%s: out of memory\n", name);
		return IMPORT_TEMP;
	}
	if (read_header(csv, name, report, map, &ncols) < 0)
		goto done;
	if ((rc = store_begin(st)) != STORE_OK) {
		fprintf(report, "%s: %s\n", name, store_errmsg(st));
		ret = rc == STORE_TEMP ? IMPORT_TEMP : IMPORT_ABORT;
		goto done;
	}
	for (;;) {
		rc = csv_read(csv);
		if (rc == CSV_EOF)
			break;
		if (rc == CSV_EFATAL) {
			fprintf(report, "%s: %s; import aborted, nothing imported\n", name,
				csv_error(csv));
			goto rollback;
		}
		sum->rows++;
		if (rc == CSV_EBAD) {
			fprintf(report, "%s: %s; row skipped\n", name, csv_error(csv));
			sum->skipped++;
			continue;
		}
		if (csv_nfields(csv) != ncols) {
			fprintf(report, "%s:%ld: %zu fields, the header has %zu; row skipped\n", name,
				csv_line(csv), csv_nfields(csv), ncols);
			sum->skipped++;
			continue;
		}
		rc = import_row(st, csv, map, sum, msg, sizeof(msg));
		if (rc == STORE_TEMP) {
			fprintf(report, "%s:%ld: %s; import aborted, nothing imported\n", name,
				csv_line(csv), msg);
			ret = IMPORT_TEMP;
			goto rollback;
		}
		if (rc != STORE_OK) {
			fprintf(report, "%s:%ld: %s; row skipped\n", name, csv_line(csv), msg);
			sum->skipped++;
		}
	}
	if ((rc = store_commit(st)) != STORE_OK) {
		fprintf(report, "%s: %s; import aborted, nothing imported\n", name, store_errmsg(st));
		ret = rc == STORE_TEMP ? IMPORT_TEMP : IMPORT_ABORT;
		goto done;
	}
	ret = sum->skipped ? IMPORT_PARTIAL : IMPORT_OK;
	goto done;
rollback:
	store_rollback(st);
done:
	if (ret == IMPORT_ABORT || ret == IMPORT_TEMP) {
		sum->created = sum->updated = sum->contracts = 0;
	}
	csv_free(csv);
	return ret;
}
