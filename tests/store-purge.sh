#!/bin/sh
# NAME
#	store-purge.sh - links-store purge and the retention policy
# DESCRIPTION
#	With retention_grace_days = 30: a customer whose contracts all
#	ended more than 30 days ago is deleted; one whose contract ended
#	10 days ago, one with an active contract and one with an active and
#	an old ended contract are untouched. --dry-run reports the same and
#	changes nothing. A refused address stays on the suppression list
#	after purge, and re-importing it keeps it opted out. The CSV is
#	generated with dates relative to today.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init store-purge

LS=$LINKS_STORE
T=$LT_TMP
C=$T/links.conf
printf 'store_path = %s/links.db\nkey_file = %s/master.key\nretention_grace_days = 30\n' "$T" "$T" >"$C"
lt_store_conf_backend "$C"	# PostgreSQL when run by store-pg.sh
"$LS" -c "$C" init >/dev/null || lt_fail "init"

expect() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" -eq "$want" ] || lt_fail "$* exited $got, expected $want: $(cat "$T/err")"
}
has() { grep -q -- "$2" "$T/$1" || lt_fail "no \"$2\" in $1: $(cat "$T/$1")"; }
snapshot() {
	{ "$LS" -c "$C" customer list; "$LS" -c "$C" stats --json
	  for e in old@example.vn refused@example.vn recent@example.vn active@example.vn mixed@example.vn; do
		"$LS" -c "$C" customer show "$e" 2>&1 | grep -v '^updated'
		"$LS" -c "$C" consent-log "$e" 2>&1
	  done; } >"$1"
}

d10=$(date -u -d '10 days ago' +%Y-%m-%d) || lt_fail "date -d is needed"
cat >"$T/purge.csv" <<CSV
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
old@example.vn,Khách Cũ,0900 000 201,portal,hosting,H-OLD-1,ended,2018-01-01,2020-01-31
old@example.vn,Khách Cũ,0900 000 201,portal,domain,D-OLD-2,ended,2018-01-01,2021-05-31
refused@example.vn,Từ Chối,0900 000 202,web_form,email,M-REF-1,ended,2019-01-01,2022-12-31
recent@example.vn,Mới Hết Hạn,,portal,hosting,H-REC-1,ended,2024-01-01,$d10
active@example.vn,Đang Dùng,,portal,vps,V-ACT-1,active,2020-01-01,
mixed@example.vn,Hỗn Hợp,,staff,hosting,H-MIX-1,ended,2015-01-01,2016-01-01
mixed@example.vn,Hỗn Hợp,,staff,vps,V-MIX-2,active,2016-01-01,
CSV
expect 0 "$LS" -c "$C" import "$T/purge.csv"
expect 0 "$LS" -c "$C" optout refused@example.vn
expect 0 "$LS" -c "$C" customer show refused@example.vn; has out "suppressed:  yes"
old_id=$("$LS" -c "$C" customer find old@example.vn)
ref_id=$("$LS" -c "$C" customer find refused@example.vn)

# ---- dry run ----
snapshot "$T/before"
expect 0 "$LS" -c "$C" purge --dry-run
has out "would delete customer $old_id"
has out "would delete customer $ref_id"
has out "dry run, nothing changed): 2 customers would be deleted (3 contracts); 1 refused addresses kept"
[ "$(grep -c 'would delete' "$T/out")" -eq 2 ] || lt_fail "dry run lists: $(cat "$T/out")"
snapshot "$T/after"
cmp -s "$T/before" "$T/after" || lt_fail "purge --dry-run changed the store: $(diff "$T/before" "$T/after")"
lt_ok "purge --dry-run reports 2 customers and changes nothing"

# ---- the real purge ----
expect 0 "$LS" -c "$C" purge
has out "deleting customer $old_id"
has out "purge: 2 customers deleted (3 contracts); 1 refused addresses kept on the suppression list"
expect 66 "$LS" -c "$C" customer show old@example.vn
expect 66 "$LS" -c "$C" customer show refused@example.vn
expect 66 "$LS" -c "$C" contract end H-OLD-1
for e in recent@example.vn active@example.vn mixed@example.vn; do
	expect 0 "$LS" -c "$C" customer show "$e"
done
expect 0 "$LS" -c "$C" customer show active@example.vn
grep -Eq "V-ACT-1 +vps +active" "$T/out" || lt_fail "active customer's contract changed"
expect 0 "$LS" -c "$C" customer show mixed@example.vn
grep -Eq "V-MIX-2 +vps +active" "$T/out" || lt_fail "mixed customer's contract changed"
expect 0 "$LS" -c "$C" stats --json
has out '"customers": 3'
has out '"suppressed": 1'
has out '"consent_events": 2'
lt_ok "purge deleted the customers past the grace period only; consent events kept"

# a second purge finds nothing
expect 0 "$LS" -c "$C" purge
has out "purge: 0 customers deleted"

# ---- the refused address comes back ----
printf 'email,name,source\nRefused@Example.vn,Từ Chối,portal\n' >"$T/again.csv"
expect 0 "$LS" -c "$C" import "$T/again.csv"
has out "1 customers created"
expect 0 "$LS" -c "$C" customer show refused@example.vn
has out "survey:      refused"
has out "promotion:   refused"
has out "suppressed:  yes"
expect 0 "$LS" -c "$C" consent-log refused@example.vn
has out "promotion  refused  import    re-applied from the suppression list"
lt_ok "a purged refused address stays suppressed; re-importing it keeps it opted out"
exit 0
