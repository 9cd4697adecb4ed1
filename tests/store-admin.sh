#!/bin/sh
# NAME
#	store-admin.sh - links-store(8)'s administrator commands end to end
# DESCRIPTION
#	Drives the built links-store on a private store (SQLite, or
#	PostgreSQL when run by store-pg.sh) loaded with the shipped sample
#	CSV: init's message when the key folder is missing; customer delete (asks for "yes", --yes, what goes and what
#	stays, an erased address re-imported is still refused, exit codes)
#	customer set-email (normalised, history and refusals kept, an
#	address of another customer refused, exit codes); key rotate (the
#	same data under a new key, the old key refused, a stray .new
#	discarded; the kill -9 case is unit/test_store_rekey); stats without
#	the key (key file moved away; as root also run as an unprivileged
#	user in the database's group, as monitoring does, with and without
#	another connection open); backup while another process writes and
#	restore (into a new place and over the store, a damaged backup and
#	a key of another store refused; PostgreSQL: EX_UNAVAILABLE naming
#	pg_dump).
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init store-admin

LS=$LINKS_STORE
SAMPLE=$top_srcdir/config/customers.sample.csv
T=$LT_TMP
C=$T/links.conf
printf 'store_path = %s/links.db\nkey_file = %s/master.key\nstore_busy_timeout = 2000\n' "$T" "$T" >"$C"
lt_store_conf_backend "$C"	# PostgreSQL when run by store-pg.sh
[ -x "$LS" ] || lt_fail "links-store not built: $LS"

# expect CODE COMMAND...: run (stdin from /dev/null), stdout in $T/out, stderr in $T/err
expect() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	[ "$got" -eq "$want" ] || lt_fail "$* exited $got, expected $want: $(cat "$T/err" "$T/out")"
}
has() { grep -q -- "$2" "$T/$1" || lt_fail "no \"$2\" in $1: $(cat "$T/$1")"; }
hasnt() { if grep -q -- "$2" "$T/$1"; then lt_fail "\"$2\" in $1: $(cat "$T/$1")"; fi; }
ls_() { "$LS" -c "$C" "$@"; }

# init where the key folder is missing: says which folder and how to make it
printf 'store_path = %s/nk.db\nkey_file = %s/nokeys/master.key\n' "$T" "$T" >"$T/nokeys.conf"
expect 78 "$LS" -c "$T/nokeys.conf" init
has err "cannot create key file $T/nokeys/master.key"
has err "the key folder $T/nokeys must exist"; has err "install -d -o links-milter"
lt_ok "init without its key folder names the folder and how to create it"

expect 0 ls_ init
expect 0 ls_ import "$SAMPLE"
ncust=$(ls_ customer list | wc -l)

# ---- customer delete ----
e=an.nguyen@example.vn
id=$(ls_ customer find "$e") || lt_fail "find $e"
expect 0 ls_ optout "$e" --category promotion
expect 64 ls_ customer delete
expect 64 ls_ customer delete "$e" extra
expect 64 ls_ customer delete "$e" --force
expect 66 ls_ customer delete nobody@example.vn --yes
expect 65 ls_ customer delete "not an address" --yes
# no answer (stdin at end), or another answer than yes: nothing erased
expect 77 ls_ customer delete "$e"
has err "Erase customer $id <$e>"; has err "not confirmed; nothing was erased"
printf 'y\n' | ls_ customer delete "$e" >"$T/out" 2>"$T/err"
[ $? -eq 77 ] || lt_fail "an answer other than yes erased: $(cat "$T/err")"
expect 0 ls_ customer show "$e"
lt_ok "customer delete asks, and without \"yes\" erases nothing (EX_NOPERM)"

printf 'yes\n' | ls_ customer delete "$id" >"$T/out" 2>"$T/err" || lt_fail "delete: $(cat "$T/err")"
has out "customer $id erased"; has out "2 contracts (2 active)"
has out "kept without identity: 1 consent events; refusals as a keyed hash: promotion"
hasnt out "$e"
expect 66 ls_ customer show "$e"
expect 66 ls_ customer show "$id"
expect 66 ls_ contract end VPS-0101
[ "$(ls_ customer list | wc -l)" -eq $((ncust - 1)) ] || lt_fail "customer count after delete"
expect 0 ls_ stats --json
has out '"consent_events": 1'
lt_ok "customer delete ID erases the customer and contracts, keeps refusal and consent"

# the erased address comes back in the next portal import: refused again
grep -i "^$e," "$SAMPLE" | head -1 >"$T/again.csv"
[ -s "$T/again.csv" ] || lt_fail "$e is not in the sample"
{ head -1 "$SAMPLE"; cat "$T/again.csv"; } >"$T/again2.csv"
expect 0 ls_ import "$T/again2.csv"
expect 0 ls_ customer show "$e"
has out "promotion:   refused"; has out "survey:      accepted"
lt_ok "an erased address re-imported is still refused for promotion"

e2=binh.tran@example.vn
id2=$(ls_ customer find "$e2")
expect 0 ls_ customer delete "$e2" --yes
has out "customer $id2 erased"; has out "refusals as a keyed hash: none"
expect 66 ls_ customer find "$e2"
lt_ok "customer delete EMAIL --yes erases without asking"

# ---- customer set-email ----
e3=cuong.le@example.vn
id3=$(ls_ customer find "$e3") || lt_fail "find $e3"
e4=$(sed 1d "$SAMPLE" | cut -d, -f1 | grep -v -e "^$e3\$" -e an.nguyen -e binh.tran | head -1)
[ "$(ls_ customer find "$e4")" != "$id3" ] || lt_fail "$e4 is customer $id3"
expect 0 ls_ optout "$e3"
expect 64 ls_ customer set-email "$e3"
expect 66 ls_ customer set-email nobody@example.vn new@example.vn
expect 65 ls_ customer set-email "$e3" "not an address"
expect 65 ls_ customer set-email "$e3" "$(echo "$e4" | tr a-z A-Z)"
has err "belongs to customer"; hasnt err "$e4"
expect 0 ls_ customer set-email "$id3" " Moi.Dia.Chi@Bücher.Example "
has out "customer $id3: address changed to moi.dia.chi@xn--bcher-kva.example"
expect 0 ls_ customer show moi.dia.chi@xn--bcher-kva.example
has out "id:          $id3"; has out "suppressed:  yes"
expect 66 ls_ customer show "$e3"
expect 0 ls_ consent-log "$id3"
[ "$(grep -c refused "$T/out")" -eq 2 ] || lt_fail "consent history lost: $(cat "$T/out")"
expect 0 ls_ customer set-email "$id3" moi.dia.chi@BÜCHER.example
has out "unchanged"
# the old address, imported again as a new customer, is still refused
expect 0 ls_ customer add "$e3"; has out "created"
expect 0 ls_ customer show "$e3"
has out "suppressed:  yes"
lt_ok "customer set-email: normalised, history and refusals kept, another customer's address refused"

# ---- stats without the key ----
expect 0 ls_ stats --json
cp "$T/out" "$T/stats.key"
mv "$T/master.key" "$T/master.key.away"
expect 0 ls_ stats --json
cmp -s "$T/out" "$T/stats.key" || lt_fail "stats without the key differ: $(cat "$T/out")"
expect 0 ls_ stats; has out "customers"
expect 78 ls_ customer list; has err "master.key"
mv "$T/master.key.away" "$T/master.key"
lt_ok "stats reads the counts without the key file"
if [ "$(id -u)" -eq 0 ] && [ "$LT_BACKEND" = sqlite ] && command -v setpriv >/dev/null 2>&1 \
    && id nobody >/dev/null 2>&1; then
	grp=$(id -gn nobody)
	chgrp "$grp" "$T/links.db"
	chmod 640 "$T/links.db"
	asmon() { setpriv --reuid=nobody --regid="$grp" --clear-groups "$@"; }
	expect 0 asmon "$LS" -c "$C" stats --json
	cmp -s "$T/out" "$T/stats.key" || lt_fail "stats as nobody: $(cat "$T/out")"
	expect 78 asmon "$LS" -c "$C" customer list; has err "master.key"
	if command -v sqlite3 >/dev/null 2>&1; then	# another connection open, as the milter's
		{ echo "SELECT count(*) FROM customers;"; sleep 4; } | sqlite3 "$T/links.db" >/dev/null &
		holder=$!
		sleep 1
		expect 0 asmon "$LS" -c "$C" stats --json
		cmp -s "$T/out" "$T/stats.key" || lt_fail "stats as nobody, store open: $(cat "$T/out")"
		wait "$holder"
	fi
	lt_ok "stats as an unprivileged user of the database's group, who cannot read the key"
fi

# ---- key rotate ----
# a staff note (sealed) and a campaign's parameters (sealed) are re-encrypted too
expect 0 ls_ optin "$id3" --category survey --note "ticket 41"
expect 0 ls_ optout "$id3" --category survey --note "ticket 42 before rotation"
ls_ customer list >"$T/before.list" || lt_fail "list before rotation"
ls_ export "$id3" | grep -v '"exported_at"' >"$T/before.json"
cp "$T/master.key" "$T/old.key"
expect 64 ls_ key
expect 64 ls_ key spin
expect 0 ls_ key rotate
has out "($(wc -l <"$T/before.list") customers) re-encrypted in one transaction"
has out "Restart links-milter"
nv=$(sed -n 's/.*re-encrypted \([0-9]*\) of \1 values.*/\1/p' "$T/out")
[ -n "$nv" ] && [ "$nv" -gt $((3 * $(wc -l <"$T/before.list"))) ] \
	|| lt_fail "not every value re-encrypted (customers' fields and the note): $(cat "$T/out")"
cmp -s "$T/master.key" "$T/old.key" && lt_fail "the key file did not change"
[ "$(stat -c %a "$T/master.key")" = 600 ] || lt_fail "new key mode $(stat -c %a "$T/master.key")"
[ ! -e "$T/master.key.new" ] && [ ! -e "$T/master.key.old" ] || lt_fail "leftover key files"
ls_ customer list >"$T/after.list" || lt_fail "list after rotation"
cmp -s "$T/before.list" "$T/after.list" || lt_fail "customers differ after rotation"
ls_ export "$id3" | grep -v '"exported_at"' >"$T/after.json"
cmp -s "$T/before.json" "$T/after.json" || lt_fail "export differs after rotation"
expect 0 ls_ customer show moi.dia.chi@xn--bcher-kva.example; has out "suppressed:  yes"
expect 0 ls_ consent-log "$id3"; has out "ticket 42 before rotation"
printf 'key_file = %s/old.key\n' "$T" >"$T/oldkey.conf"
cat "$C" "$T/oldkey.conf" >"$T/old.conf"
expect 78 "$LS" -c "$T/old.conf" customer list; has err "does not match"
# a stray .new left by a run killed before its commit: discarded, rotation done
head -c 32 /dev/urandom >"$T/master.key.new"
chmod 600 "$T/master.key.new"
cp "$T/master.key" "$T/k1"
expect 0 ls_ key rotate; has out "customers) re-encrypted"
cmp -s "$T/master.key" "$T/k1" && lt_fail "second rotation did not change the key"
ls_ customer list >"$T/after2.list" && cmp -s "$T/before.list" "$T/after2.list" \
	|| lt_fail "customers differ after the second rotation"
lt_ok "key rotate: new key, same data, old key refused, a stray .new discarded"

# ---- backup and restore ----
if [ "$LT_BACKEND" = postgresql ]; then
	expect 69 ls_ backup "$T/bk"; has err "pg_dump"
	expect 69 ls_ restore "$T/bk" --yes; has err "pg_restore"
	lt_ok "backup and restore on PostgreSQL name pg_dump and pg_restore (EX_UNAVAILABLE)"
	# a rotated SQLite store moved to PostgreSQL: the key ring goes with it
	Q=$T/q
	mkdir "$Q"
	printf 'store_path = %s/links.db\nkey_file = %s/master.key\n' "$Q" "$Q" >"$Q/links.conf"
	lq() { "$LS" -c "$Q/links.conf" "$@"; }
	expect 0 lq init
	expect 0 lq import "$SAMPLE"
	expect 0 lq optout binh.tran@example.vn
	expect 0 lq key rotate
	qdb="lt_admin_rotated_$$"
	lt_pg_createdb "$qdb"
	lt_cleanup_add "printf 'DROP DATABASE IF EXISTS $qdb WITH (FORCE);\\n' | psql -X -q '$LINKS_TEST_PG_CONNINFO dbname=postgres'"
	echo "store_conninfo = $LINKS_TEST_PG_CONNINFO dbname=$qdb" >>"$Q/links.conf"
	expect 0 lq migrate-to postgresql
	echo "store_backend = postgresql" >>"$Q/links.conf"
	expect 0 lq customer show binh.tran@example.vn; has out "suppressed:  yes"
	expect 0 lq customer find AN.NGUYEN@example.vn
	lt_ok "a store whose key was rotated keeps its lookups after migrate-to postgresql"
	exit 0
fi
expect 64 ls_ backup
# a writer adds customers all along the backup, as the milter would write
: >"$T/writing"
( i=0; while [ -e "$T/writing" ]; do
	ls_ customer add "w$i@example.vn" >/dev/null 2>&1 || echo "writer failed at $i" >>"$T/writer.err"
	i=$((i + 1)); done ) &
writer=$!
lt_cleanup_add "rm -f '$T/writing'"
sleep 1
expect 0 ls_ backup "$T/bk"
has out "manifest $T/bk/MANIFEST written"
sleep 1
rm -f "$T/writing"
wait "$writer"
[ ! -s "$T/writer.err" ] || lt_fail "the writer failed during the backup: $(cat "$T/writer.err")"
[ "$(stat -c %a "$T/bk")" = 700 ] || lt_fail "backup folder mode $(stat -c %a "$T/bk")"
[ "$(stat -c %a "$T/bk/master.key")" = 600 ] || lt_fail "backup key mode"
cmp -s "$T/bk/master.key" "$T/master.key" || lt_fail "the backup's key is not the store's"
grep -q "^file links.db [0-9]* [0-9a-f]\{64\}$" "$T/bk/MANIFEST" || lt_fail "manifest: $(cat "$T/bk/MANIFEST")"
expect 65 ls_ backup "$T/bk"; has err "already holds a backup"
expect 0 ls_ backup "$T/deep/er/bk2"
[ "$(stat -c %a "$T/deep") $(stat -c %a "$T/deep/er")" = "700 700" ] || lt_fail "new parents not 0700"
nnow=$(ls_ customer list | wc -l)
lt_ok "backup while another process writes ($nnow customers now)"

# restore into a new place (a new host): database and key appear, readable
R=$T/r
mkdir "$R"
printf 'store_path = %s/links.db\nkey_file = %s/master.key\n' "$R" "$R" >"$R/links.conf"
[ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && chown nobody "$R"	# the store's owner
expect 0 "$LS" -c "$R/links.conf" restore "$T/bk"
has out "restored"
[ "$(stat -c %a "$R/master.key")" = 600 ] || lt_fail "restored key mode"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	[ "$(stat -c %U "$R/master.key") $(stat -c %U "$R/links.db")" = "nobody nobody" ] \
		|| lt_fail "restored as root, the files are not the store owner's: $(ls -l "$R")"
fi
"$LS" -c "$R/links.conf" customer list >"$T/r.list" || lt_fail "restored store unreadable"
nr=$(wc -l <"$T/r.list")
[ "$nr" -gt "$ncust" ] && [ "$nr" -le "$nnow" ] || lt_fail "restored $nr customers, expected between $ncust and $nnow"
if command -v sqlite3 >/dev/null 2>&1; then
	[ "$(sqlite3 "$R/links.db" 'PRAGMA integrity_check;')" = ok ] || lt_fail "restored database damaged"
fi
lt_ok "restore into a new place: a consistent snapshot of $nr customers, readable with the key"

# over the store itself: what changed since the backup is undone
expect 0 ls_ customer delete moi.dia.chi@xn--bcher-kva.example --yes
expect 77 ls_ restore "$T/bk"; has err "Replace the database"
expect 0 ls_ restore "$T/bk" --yes
expect 0 ls_ customer show moi.dia.chi@xn--bcher-kva.example
[ "$(ls_ customer list | wc -l)" -eq "$nr" ] || lt_fail "restore over the store: count"
lt_ok "restore --yes over the live store puts the backup back"

# refused: no manifest, a damaged file, the key of another store
expect 66 ls_ restore "$T/nothing" --yes
cp -a "$T/bk" "$T/bad"
printf 'X' | dd of="$T/bad/links.db" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect 65 ls_ restore "$T/bad" --yes; has err "does not match the checksum"
O=$T/other
mkdir "$O"
printf 'store_path = %s/links.db\nkey_file = %s/master.key\n' "$O" "$O" >"$O/links.conf"
"$LS" -c "$O/links.conf" init >/dev/null || lt_fail "other init"
cp -a "$T/bk" "$T/mixed"
cp "$O/master.key" "$T/mixed/master.key"
sum=$(sha256sum "$T/mixed/master.key" | cut -d' ' -f1)
sed -i "s/^file master.key 32 .*/file master.key 32 $sum/" "$T/mixed/MANIFEST"
expect 65 ls_ restore "$T/mixed" --yes; has err "does not match database"
cmp -s "$T/master.key" "$T/bk/master.key" || lt_fail "a refused restore changed the key"
expect 0 ls_ customer show moi.dia.chi@xn--bcher-kva.example
lt_ok "restore refuses a missing manifest, a damaged file and a key of another store"

# a store with another key, replaced by the backup: its old key is kept
cp "$O/master.key" "$T/other.key"
expect 0 "$LS" -c "$O/links.conf" restore "$T/bk" --yes
cmp -s "$O/master.key" "$T/bk/master.key" || lt_fail "the backup's key was not installed"
cmp -s "$O/master.key.pre-restore" "$T/other.key" || lt_fail "the replaced key was not kept"
[ "$("$LS" -c "$O/links.conf" customer list | wc -l)" -eq "$nr" ] || lt_fail "restore over another store"
lt_ok "restore over a store of another key installs the backup's key and keeps the old one"
exit 0
