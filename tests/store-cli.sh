#!/bin/sh
# NAME
#	store-cli.sh - links-store(8) end to end on a private store
# DESCRIPTION
#	Drives the built links-store with a temporary configuration
#	(store_path = $T/links.db, key_file = $T/master.key):
#	command-line handling and exit codes, init (key mode 0600),
#	refusal of a key file that group/others can read, import of the
#	shipped sample CSV, no email/name/phone of it in the database files
#	(strings(1) and a byte search, db, -wal, -shm), customer, contract,
#	optout/optin, consent-log, export (JSON), stats --json, and
#	EX_TEMPFAIL when another writer holds the database.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init store-cli

LS=$LINKS_STORE
SAMPLE=$top_srcdir/config/customers.sample.csv
T=$LT_TMP
C=$T/links.conf
printf 'store_path = %s/links.db\nkey_file = %s/master.key\nstore_busy_timeout = 300\n' "$T" "$T" >"$C"
lt_store_conf_backend "$C"	# PostgreSQL when run by store-pg.sh
[ -x "$LS" ] || lt_fail "links-store not built: $LS"

# expect CODE COMMAND...: run, keep stdout in $T/out and stderr in $T/err
expect() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" -eq "$want" ] || lt_fail "$* exited $got, expected $want: $(cat "$T/err")"
}
has() { grep -q -- "$2" "$T/$1" || lt_fail "no \"$2\" in $1: $(cat "$T/$1")"; }

# ---- command line ----
expect 0 "$LS" --help;          has out "usage: links-store"
expect 0 "$LS" --version;       has out "links-store (links-mail) [0-9]"
expect 64 "$LS";                has err "usage"
expect 64 "$LS" -c "$C" frobnicate; has err "unknown command frobnicate"
expect 78 "$LS" -c "$T/missing.conf" stats; has err "missing.conf"
if [ "$LT_BACKEND" = sqlite ]; then
	expect 66 "$LS" -c "$C" stats;  has err "links-store init"
fi
lt_ok "usage, version, unknown command, missing config and database"

# ---- init ----
expect 0 "$LS" -c "$C" init;    has out "created (mode 0600)"
[ "$(stat -c %a "$T/master.key")" = 600 ] || lt_fail "key file mode $(stat -c %a "$T/master.key")"
[ "$(stat -c %s "$T/master.key")" = 32 ] || lt_fail "key file size"
expect 0 "$LS" -c "$C" init;    has out "existing, checked"
expect 64 "$LS" -c "$C" init extra
lt_ok "init creates a 0600 key and the database; a second init checks them"

# ---- key file readable by others ----
for mode in 644 640 604; do
	chmod "$mode" "$T/master.key"
	expect 78 "$LS" -c "$C" customer list	# (stats reads no key: store-admin.sh)
	has err "key file $T/master.key has mode 0$mode"
	has err "chmod 600"
done
chmod 600 "$T/master.key"
expect 0 "$LS" -c "$C" stats
lt_ok "a key file that group or others can read is refused, naming the file and mode"

# ---- import the sample ----
expect 0 "$LS" -c "$C" import "$SAMPLE"
has out "customers created"
has out "0 rows skipped"
n=$("$LS" -c "$C" customer list | wc -l)
[ "$n" -ge 50 ] || lt_fail "only $n customers after importing the sample"
expect 0 "$LS" -c "$C" import "$SAMPLE"; has out " 0 customers created"
[ "$("$LS" -c "$C" customer list | wc -l)" -eq "$n" ] || lt_fail "re-import changed the count"
lt_ok "sample imported ($n customers), re-import is idempotent"

# the demo's customers: at least 5 active vps, including an.nguyen and binh.tran
for e in an.nguyen@example.vn binh.tran@example.vn; do
	expect 0 "$LS" -c "$C" customer show "$e"
	grep -Eq "^  [^ ]+ +vps +active" "$T/out" || lt_fail "$e has no active vps contract"
done
nvps=$(grep -c ',vps,[^,]*,active,' "$SAMPLE")
[ "$nvps" -ge 5 ] || lt_fail "only $nvps active vps contracts in the sample"
lt_ok "sample has $nvps active vps contracts incl. an.nguyen and binh.tran"

# ---- no personal data in clear in the database files ----
# (PostgreSQL: store-pg.sh runs strings on the cluster's data folder)
"$LS" -c "$C" customer list >"$T/list" || lt_fail "customer list"
[ "$LT_BACKEND" = sqlite ] || : >"$T/list"
strings -a -n 4 "$T"/links.db* >"$T/strings" 2>/dev/null
nchk=0
while IFS="$(printf '\t')" read -r id email name phone src; do
	for v in "$email" "$name" "$phone"; do
		[ -n "$v" ] || continue
		nchk=$((nchk + 1))
		if grep -qF -- "$v" "$T/strings"; then lt_fail "strings finds \"$v\" in the database"; fi
		for f in "$T"/links.db "$T"/links.db-wal "$T"/links.db-shm; do
			[ -f "$f" ] || continue
			if grep -qaF -- "$v" "$f"; then lt_fail "\"$v\" in clear in $f"; fi
		done
	done
	local_part=${email%@*}
	if grep -qF -- "$local_part@" "$T/strings"; then lt_fail "local part $local_part in the database"; fi
done <"$T/list"
# and the address list of the CSV itself, straight from the file
cut -d, -f1 "$SAMPLE" | sed 1d | sort -u >"$T/emails"
while read -r e; do
	if grep -qF -- "$e" "$T/strings"; then lt_fail "strings finds $e"; fi
done <"$T/emails"
if [ "$LT_BACKEND" = sqlite ]; then
	[ "$nchk" -gt 100 ] || lt_fail "checked only $nchk values"
	lt_ok "strings and a byte search find none of $nchk emails, names and phones"
fi

# ---- customers and contracts ----
expect 0 "$LS" -c "$C" customer show an.nguyen@example.vn; has out "Nguyễn Văn An"
expect 0 "$LS" -c "$C" customer find AN.NGUYEN@EXAMPLE.VN; id=$(cat "$T/out")
expect 0 "$LS" -c "$C" customer show "$id"; has out "an.nguyen@example.vn"
expect 66 "$LS" -c "$C" customer show nobody@example.vn
expect 66 "$LS" -c "$C" customer show 999999
expect 65 "$LS" -c "$C" customer add "not an address"
expect 0 "$LS" -c "$C" customer add moi@example.vn --name "Khách Hàng Mới" --phone "0900 111 222"
has out "created"
expect 0 "$LS" -c "$C" customer add moi@example.vn --source web_form; has out "updated"
expect 64 "$LS" -c "$C" customer add moi@example.vn --source fax
expect 0 "$LS" -c "$C" contract add moi@example.vn vps VPS-NEW-1 --started 2026-01-02
expect 0 "$LS" -c "$C" customer show moi@example.vn
grep -Eq "VPS-NEW-1 +vps +active +started 2026-01-02" "$T/out" || lt_fail "new contract: $(cat "$T/out")"
has out "Khách Hàng Mới"
expect 0 "$LS" -c "$C" contract end VPS-NEW-1 --date 2026-06-30
expect 0 "$LS" -c "$C" customer show moi@example.vn
grep -Eq "VPS-NEW-1 +vps +ended +started 2026-01-02 ended 2026-06-30" "$T/out" || lt_fail "ended contract: $(cat "$T/out")"
expect 66 "$LS" -c "$C" contract end NO-SUCH-REF
expect 64 "$LS" -c "$C" contract end VPS-NEW-1 --date yesterday
expect 64 "$LS" -c "$C" contract add moi@example.vn vps
lt_ok "customer show/find/add, contract add/end, exit codes"

# ---- opt-out, opt-in, consent log ----
expect 0 "$LS" -c "$C" optout an.nguyen@example.vn --category promotion; has out "(1 category changed)"
expect 0 "$LS" -c "$C" optout an.nguyen@example.vn --category promotion; has out "(0 categories changed)"
expect 0 "$LS" -c "$C" customer show an.nguyen@example.vn
has out "promotion:   refused"; has out "survey:      accepted"; has out "suppressed:  no"
expect 0 "$LS" -c "$C" optout an.nguyen@example.vn; has out "(1 category changed)"
expect 0 "$LS" -c "$C" customer show an.nguyen@example.vn; has out "suppressed:  yes"
expect 64 "$LS" -c "$C" optout an.nguyen@example.vn --category account
expect 0 "$LS" -c "$C" consent-log an.nguyen@example.vn
[ "$(grep -c refused "$T/out")" -eq 2 ] || lt_fail "consent log: $(cat "$T/out")"
has out "promotion  refused  staff"
expect 0 "$LS" -c "$C" optin an.nguyen@example.vn --category survey; has out "(1 category changed)"
expect 0 "$LS" -c "$C" consent-log an.nguyen@example.vn; has out "survey     agreed   staff"
lt_ok "optout/optin are idempotent, account mail cannot be refused, consent log"

# ---- support: who made a change, a note, every customer's events by day ----
me=$(id -un)
NOTE="ticket #4411: khách gọi lại 0900 999 888"
expect 0 "$LS" -c "$C" customer find binh.tran@example.vn; binh=$(cat "$T/out")
expect 0 "$LS" -c "$C" optout "$binh" --category promotion --note "$NOTE"
has out "customer $binh: promotion refused (1 category changed)"
expect 0 "$LS" -c "$C" consent-log binh.tran@example.vn
has out "promotion  refused  staff     links-store by $me note: $NOTE"
if [ "$(id -u)" = 0 ]; then	# under sudo, root and the user who ran sudo
	expect 0 env SUDO_USER=lan.pham "$LS" -c "$C" optin "$binh" --category promotion --note "t#4412"
	expect 0 "$LS" -c "$C" consent-log "$binh"; has out "links-store by root (sudo lan.pham) note: t#4412"
fi
if [ "$LT_BACKEND" = sqlite ]; then
	! grep -aq "0900 999 888" "$T"/links.db* || lt_fail "the note is in the database in clear"
fi
expect 64 "$LS" -c "$C" optout "$binh" --note "$(printf '%0501d' 0)"; has err "at most 500 bytes"
today=$(date -u +%F)
yesterday=$(date -u -d yesterday +%F)
expect 0 "$LS" -c "$C" consent-log --since "$today" --until "$today"
has out "customer $id "; has out "customer $binh "
total=$(wc -l <"$T/out")
expect 0 "$LS" -c "$C" consent-log; [ "$(wc -l <"$T/out")" -eq "$total" ] || lt_fail "consent-log without dates"
expect 0 "$LS" -c "$C" consent-log --since "$yesterday" --until "$yesterday"
[ ! -s "$T/out" ] || lt_fail "yesterday's events: $(cat "$T/out")"
expect 0 "$LS" -c "$C" consent-log --until "$yesterday"; [ ! -s "$T/out" ] || lt_fail "until yesterday"
expect 0 "$LS" -c "$C" consent-log binh.tran@example.vn --since "$today"; has out "note: $NOTE"
expect 64 "$LS" -c "$C" consent-log --since 2026-13-01; has err "dates are YYYY-MM-DD"
expect 64 "$LS" -c "$C" consent-log --since "$today" --until "$yesterday"; has err "before --since"
lt_ok "optout/optin record the real user and a note (not in clear in the files); consent-log by day across customers"

# ---- export: that customer's own data, as JSON ----
expect 0 "$LS" -c "$C" export an.nguyen@example.vn
has out '"email": "an.nguyen@example.vn"'
has out '"promotion": "refused"'
if grep -q "binh.tran" "$T/out"; then lt_fail "export of one customer mentions another"; fi
if [ -n "${PYTHON3:-}" ] && [ -x "$PYTHON3" ]; then
	"$PYTHON3" -c 'import json,sys; d=json.load(sys.stdin); assert d["customer"]["name"]=="Nguyễn Văn An"; assert any(c["service_type"]=="vps" for c in d["contracts"])' <"$T/out" \
		|| lt_fail "export is not the expected JSON"
fi
expect 66 "$LS" -c "$C" export nobody@example.vn
lt_ok "export EMAIL writes that customer's data as JSON"

# ---- stats ----
expect 0 "$LS" -c "$C" stats; has out "customers"
expect 0 "$LS" -c "$C" stats --json
has out "\"customers\": $((n + 1))"
has out '"promotion": 1'
expect 64 "$LS" -c "$C" stats --xml
lt_ok "stats and stats --json"

# ---- a database held by another writer: EX_TEMPFAIL ----
if [ "$LT_BACKEND" = postgresql ]; then
	db=$(sed -n 's/^store_conninfo = .*dbname=//p' "$C")
	# held until the check below is done (a busy machine may be slow to start psql)
	{ echo "BEGIN; LOCK TABLE customers IN EXCLUSIVE MODE;"
	  while [ ! -e "$T/lock.done" ]; do sleep 0.2; done; echo "COMMIT;"; } \
		| psql -X -q "$LINKS_TEST_PG_CONNINFO dbname=$db" &
	holder=$!
	lt_cleanup_add "touch '$T/lock.done'; kill $holder"
	lt_wait_for 60 sh -c "psql -X -At '$LINKS_TEST_PG_CONNINFO dbname=$db' -c \"SELECT count(*) FROM pg_locks WHERE relation = 'customers'::regclass AND mode = 'ExclusiveLock' AND granted\" | grep -qx 1" \
		|| lt_fail "the lock holder did not take its lock"
	expect 75 "$LS" -c "$C" customer add late@example.vn
	has err "lock timeout"
	touch "$T/lock.done"
	wait "$holder"
	expect 0 "$LS" -c "$C" customer add late@example.vn
	lt_ok "a table locked by another writer is a temporary failure (EX_TEMPFAIL)"
elif command -v sqlite3 >/dev/null 2>&1; then
	{ echo "BEGIN IMMEDIATE;"; echo "CREATE TABLE IF NOT EXISTS lock_probe(x);"; sleep 3; echo "COMMIT;"; } \
		| sqlite3 "$T/links.db" &
	holder=$!
	lt_cleanup_add "kill $holder"
	sleep 1
	expect 75 "$LS" -c "$C" customer add late@example.vn
	has err "locked"
	wait "$holder"
	expect 0 "$LS" -c "$C" customer add late@example.vn
	lt_ok "a locked database is a temporary failure (EX_TEMPFAIL)"
else
	echo "note: sqlite3 shell not installed, lock check left to unit/test_store"
fi
exit 0
