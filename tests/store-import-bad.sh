#!/bin/sh
# NAME
#	store-import-bad.sh - links-store import on bad input
# DESCRIPTION
#	Broken quoting at end of file, unknown columns and a 10 MB line
#	abort the import with EX_DATAERR, a message with the line number,
#	and nothing written (one transaction). Invalid addresses and fields
#	skip their rows with a message naming the line; the other rows are
#	imported and the exit status is 0 with a warning. Messages never
#	echo the rejected values. The 10 MB line is generated here.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init store-import-bad

LS=$LINKS_STORE
D=$top_srcdir/tests/data/store
T=$LT_TMP
C=$T/links.conf
printf 'store_path = %s/links.db\nkey_file = %s/master.key\n' "$T" "$T" >"$C"
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
customers() { "$LS" -c "$C" stats --json | sed -n 's/^ *"customers": \([0-9]*\),*/\1/p'; }

# broken quoting: the quote opened on line 4 is never closed
expect 65 "$LS" -c "$C" import "$D/broken-quote.csv"
has err "broken-quote.csv: line 4: quoted field not closed at end of file; import aborted"
has err "nothing was imported"
[ "$(customers)" -eq 0 ] || lt_fail "rows before the broken quote were written"
lt_ok "broken quoting aborts with its line number, nothing half-written"

# unknown column
expect 65 "$LS" -c "$C" import "$D/unknown-column.csv"
has err "unknown-column.csv:1: unknown column \"password_md5\""
[ "$(customers)" -eq 0 ] || lt_fail "rows written despite an unknown column"
lt_ok "an unknown column aborts the import"

# a 10 MB line (generated, not committed), after two good rows
{
	echo "email,name"
	echo "mot@example.vn,Một"
	echo "hai@example.vn,Hai"
	printf 'ba@example.vn,'
	head -c 10485760 /dev/zero | tr '\0' 'x'
	echo
	echo "bon@example.vn,Bốn"
} >"$T/huge.csv"
expect 65 "$LS" -c "$C" import "$T/huge.csv"
has err "huge.csv: line 4: record longer than 65536 bytes; import aborted"
[ "$(wc -c <"$T/err")" -lt 2000 ] || lt_fail "the error output echoes the line"
[ "$(customers)" -eq 0 ] || lt_fail "rows written despite the 10 MB line"
# the same through stdin
"$LS" -c "$C" import - <"$T/huge.csv" >"$T/out" 2>"$T/err"
[ $? -eq 65 ] || lt_fail "import - of the 10 MB line"
has err "stdin: line 4: record longer"
lt_ok "a 10 MB line is an error with its line number, no crash, nothing written"

# invalid addresses and fields: those rows skipped, the rest imported
expect 0 "$LS" -c "$C" import "$D/invalid-emails.csv"
for l in 3 4 5 6; do has err "invalid-emails.csv:$l: invalid email address; row skipped"; done
has err "invalid-emails.csv:8: no email address; row skipped"
has err "invalid-emails.csv:9: invalid phone number"
has err "warning: 6 rows skipped"
has out "8 rows: 2 customers created, 0 updated, 2 contracts, 6 rows skipped"
for v in "an.nguyen@@example.vn" "khong-co-a-cong" "co dau cach" "gọi tôi"; do
	if grep -qF -- "$v" "$T/err"; then lt_fail "the message echoes the rejected value $v"; fi
done
[ "$(customers)" -eq 2 ] || lt_fail "expected 2 customers, got $(customers)"
expect 0 "$LS" -c "$C" customer show binh.tran@example.vn
expect 66 "$LS" -c "$C" customer show cuong.le@example.vn
lt_ok "invalid addresses are skipped with line numbers, the rest imported, exit 0"

# the file cannot be read
expect 66 "$LS" -c "$C" import "$T/no-such.csv"
has err "no-such.csv"
expect 64 "$LS" -c "$C" import
lt_ok "a missing file is EX_NOINPUT"
exit 0
