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
 test_store_purge test_store_campaign test_store_stats test_store_export test_store_redact
 test_store_erase test_store_readdress test_store_rekey test_store_backup
 test_store_digest"
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
for t in store-cli.sh store-import-bad.sh store-purge.sh store-admin.sh; do
	if $SHELL "$top_srcdir/tests/$t" >"$LT_TMP/$t.log" 2>&1; then
		lt_ok "$t on PostgreSQL"
	else
		cat "$LT_TMP/$t.log" >&2
		echo "FAIL: $t on PostgreSQL" >&2
		fail=1
	fi
done

# The engine's faults: backend terminated, server stopped and started,
# primary stopped and standby promoted (last: the primary stays down).
lt_pg_psql <<SQL || lt_fail "failover database"
CREATE DATABASE lt_failover;
SQL
lt_pg_standby_start
lt_ok "standby on port $LT_PG2_PORT"
export LT_TMP LT_PG_BIN LT_PG_DATA LT_PG_OSUSER LT_PG2_DATA LT_PG_CONNINFO LT_PG_SOCKDIR LT_PG2_PORT
LINKS_TEST_PG_STOP=". '$top_srcdir/tests/lib.sh'; lt_pg_ctl -w -t 30 -m fast stop >/dev/null"
LINKS_TEST_PG_START=". '$top_srcdir/tests/lib.sh'; lt_pg_ctl -w -t 60 -l '$LT_PG_LOG' start >/dev/null"
LINKS_TEST_PG_PROMOTE=". '$top_srcdir/tests/lib.sh'; lt_pg_promote"
LINKS_TEST_PG_FAILOVER_CONNINFO="$LT_PG_FAILOVER dbname=lt_failover"
export LINKS_TEST_PG_STOP LINKS_TEST_PG_START LINKS_TEST_PG_PROMOTE LINKS_TEST_PG_FAILOVER_CONNINFO
# (the strings check below runs before the failover, on the primary)

# ---- links-store migrate-to postgresql: a SQLite store copied, same key ----
LS=$top_builddir/store/links-store
M=$LT_TMP/migrate
mkdir -p "$M"
MC=$M/links.conf
printf 'store_path = %s/links.db\nkey_file = %s/master.key\n' "$M" "$M" >"$MC"
"$LS" -c "$MC" init >/dev/null || lt_fail "migrate: init"
"$LS" -c "$MC" import "$top_srcdir/config/customers.sample.csv" >/dev/null || lt_fail "migrate: import"
"$LS" -c "$MC" optout an.nguyen@example.vn >/dev/null || lt_fail "migrate: optout"
"$LS" -c "$MC" optout binh.tran@example.vn --category promotion >/dev/null || lt_fail "migrate: optout"
"$LS" -c "$MC" customer add "Lan@Bücher.example" --name "Lan" >/dev/null || lt_fail "migrate: add"
lt_pg_createdb lt_migrate
echo "store_conninfo = $LT_PG_CONNINFO dbname=lt_migrate" >>"$MC"
snapshot() {	# what an administrator sees, without the time of the export
	"$LS" -c "$MC" customer list >"$M/$1.list" || lt_fail "migrate: list ($1)"
	"$LS" -c "$MC" stats --json >"$M/$1.stats" || lt_fail "migrate: stats ($1)"
	"$LS" -c "$MC" consent-log an.nguyen@example.vn >"$M/$1.consent" || lt_fail "migrate: log ($1)"
	"$LS" -c "$MC" export binh.tran@example.vn | grep -v exported_at >"$M/$1.export" \
		|| lt_fail "migrate: export ($1)"
}
snapshot before
"$LS" -c "$MC" migrate-to postgresql >"$M/out" 2>&1 || { cat "$M/out" >&2; lt_fail "migrate-to failed"; }
grep -q "rows copied with the same key file" "$M/out" || lt_fail "migrate-to: $(cat "$M/out")"
grep -q "^customers  *5[0-9] rows copied, counts checked" "$M/out" || lt_fail "migrate-to: $(cat "$M/out")"
"$LS" -c "$MC" migrate-to postgresql >"$M/out2" 2>&1
[ $? -eq 65 ] && grep -q "not empty" "$M/out2" || lt_fail "a second migrate-to into a used database: $(cat "$M/out2")"
echo "store_backend = postgresql" >>"$MC"
snapshot after
for k in list stats consent export; do
	cmp -s "$M/before.$k" "$M/after.$k" || { diff "$M/before.$k" "$M/after.$k" >&2;
		lt_fail "migrate-to: $k differs on PostgreSQL"; }
done
last=$(tail -n 1 "$M/after.list" | cut -f1)
"$LS" -c "$MC" customer add new.after@example.vn >"$M/out3" || lt_fail "add after migrate"
grep -q "customer $((last + 1)) created" "$M/out3" || lt_fail "new id after migrate: $(cat "$M/out3")"
lt_ok "migrate-to postgresql: counts checked; list, stats, consent log and export identical; ids continue"

# strings(1) on the data folder: none of the fixtures' personal data.
# (a canary in clear proves the search sees table data)
lt_pg_createdb lt_canary
lt_pg_psql lt_canary <<SQL || lt_fail "canary"
CREATE TABLE t (x text);
INSERT INTO t VALUES ('canary.plain@example.net');
CHECKPOINT;
SQL
find "$LT_PG_DATA" -type f -exec strings -a -n 4 {} + >"$LT_TMP/strings" 2>/dev/null
# the sample's addresses, names and phones (imported above and by store-cli.sh)
cut -d, -f1-3 "$top_srcdir/config/customers.sample.csv" | sed 1d | tr ',' '\n' | sed '/^$/d' \
	| sort -u >"$LT_TMP/needles"
echo "Nguyễn" >>"$LT_TMP/needles"
[ "$(wc -l <"$LT_TMP/needles")" -gt 100 ] || lt_fail "too few values from the sample"
grep -q canary.plain@example.net "$LT_TMP/strings" || lt_fail "strings does not see a value stored in clear"
while IFS= read -r needle; do
	if grep -q -- "$needle" "$LT_TMP/strings"; then
		echo "FAIL: strings finds \"$needle\" in the PostgreSQL data folder" >&2
		fail=1
	fi
done <"$LT_TMP/needles"
[ "$fail" -eq 0 ] && lt_ok "strings on the data folder: no address, name or phone in clear"

if "$top_builddir/tests/unit/test_store_pg" >"$LT_TMP/test_store_pg.log" 2>&1; then
	lt_ok "unit/test_store_pg: reconnect after pg_terminate_backend, 4xx while stopped then recorded once, follows a promoted standby"
else
	cat "$LT_TMP/test_store_pg.log" >&2
	echo "FAIL: unit/test_store_pg" >&2
	fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "1 passed, 0 failed"
