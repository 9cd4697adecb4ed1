# NAME
#	sender-lib.sh - helpers for the links-sender shell tests
# SYNOPSIS
#	. "$top_srcdir/tests/sender-lib.sh"
# DESCRIPTION
#	Sources tests/lib.sh, then:
#	st_setup NAME [NAME=VALUE...]
#		lt_init NAME, write $CONF (templates from the source tree,
#		transport dir into $LT_TMP/out, the given options) and
#		create the store.
#	st_customers FILE N [SERVICE]
#		Write a CSV of N customers c00001@example.vn ... with an
#		active contract of SERVICE (default vps), to import.
#	st_import FILE
#		links-store import FILE into $CONF's store.
#	SENDER is the links-sender under test.
. "$top_srcdir/tests/lib.sh"

: "${SENDER:=$top_builddir/sender/links-sender}"

st_setup() {
	lt_init "$1"
	shift
	CONF=$LT_TMP/links.conf
	lt_write_conf "$CONF" "template_dir=$top_srcdir/config/templates" \
		"transport=dir" "outdir=$LT_TMP/out" "$@"
	lt_store_init "$CONF" >/dev/null
}

st_customers() {
	awk -v n="$2" -v svc="${3:-vps}" 'BEGIN {
		print "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at"
		for (i = 1; i <= n; i++)
			printf "c%05d@example.vn,Khách hàng Số %d,0900 %06d,portal,%s,%s-%05d,active,2024-01-01,\n", i, i, i, svc, toupper(svc), i
	}' > "$1"
}

st_import() {
	"$LINKS_STORE" -c "$CONF" import "$1" >/dev/null || lt_fail "import of $1 failed"
}
