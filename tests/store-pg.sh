#!/bin/sh
# NAME
#	store-pg.sh - the whole store test suite again, on PostgreSQL
# SYNOPSIS
#	make check TESTS=store-pg.sh
# DESCRIPTION
#	Starts a private PostgreSQL cluster (tests/lib.sh lt_pg_start:
#	initdb + pg_ctl, Unix socket in a temporary folder, unprivileged
#	user, stopped at the end) and runs, with LINKS_TEST_PG_CONNINFO
#	set, every unit test program of the store (each fixture gets a
#	fresh database) and the store's shell tests (store-cli.sh,
#	store-import-bad.sh, store-purge.sh), so every store behaviour is
#	proved on both engines. LINKS_TEST_PG_DATADIR lets
#	test_store_files_hold_no_plain_personal_data search the cluster's
#	data folder (tables and WAL, after a checkpoint) for the sample's
#	addresses, names and phone numbers. Then the same search with
#	strings(1), as an administrator would.
# DIAGNOSTICS
#	Exit 0 when all pass, 77 when PostgreSQL's server programs are not
#	installed, 1 otherwise (the failing program's log is shown).
. "${top_srcdir:?}/tests/lib.sh"
lt_init store-pg
lt_pg_start
lt_ok "private cluster on $LT_PG_SOCKDIR port $LT_PG_PORT"
LINKS_TEST_PG_CONNINFO=$LT_PG_CONNINFO
LINKS_TEST_PG_DATADIR=$LT_PG_DATA
export LINKS_TEST_PG_CONNINFO LINKS_TEST_PG_DATADIR

units="test_store test_store_customer test_store_contract test_store_token test_store_consent
 test_store_purge test_store_campaign test_store_stats test_store_export"
fail=0
for u in $units; do
	if "$top_builddir/tests/unit/$u" >"$LT_TMP/$u.log" 2>&1; then
		lt_ok "unit/$u on PostgreSQL: $(grep -o '[0-9]*%: Checks: [0-9]*' "$LT_TMP/$u.log")"
	else
		cat "$LT_TMP/$u.log" >&2
		echo "FAIL: unit/$u on PostgreSQL" >&2
		fail=1
	fi
done
for t in store-cli.sh store-import-bad.sh store-purge.sh; do
	if $SHELL "$top_srcdir/tests/$t" >"$LT_TMP/$t.log" 2>&1; then
		lt_ok "$t on PostgreSQL"
	else
		cat "$LT_TMP/$t.log" >&2
		echo "FAIL: $t on PostgreSQL" >&2
		fail=1
	fi
done

# strings(1) on the data folder: none of the fixtures' personal data.
lt_pg_psql <<SQL || lt_fail "checkpoint"
CHECKPOINT;
SQL
find "$LT_PG_DATA" -type f -exec strings -a -n 4 {} + >"$LT_TMP/strings" 2>/dev/null
for needle in an.nguyen binh.tran example.vn "Nguyễn" "Bình" "0900 000 00" "0912"; do
	if grep -q -- "$needle" "$LT_TMP/strings"; then
		echo "FAIL: strings finds \"$needle\" in the PostgreSQL data folder" >&2
		fail=1
	fi
done
[ "$fail" -eq 0 ] && lt_ok "strings on the data folder: no address, name or phone in clear"
[ "$fail" -eq 0 ] || exit 1
echo "1 passed, 0 failed"
