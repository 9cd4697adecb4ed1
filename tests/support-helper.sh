#!/bin/sh
# NAME
#	support-helper.sh - links-support(8): a support agent's day without root
# DESCRIPTION
#	Installs the test copy of links-support (support/links-support-test,
#	built with its configuration and links-store at fixed paths in
#	SUPPORT_TEST_DIR) the way the package does: set-user-id to the
#	store's owner, executable by the support group only. Three users are
#	created for the test and removed after it: the store's owner
#	(lts-milter), a support agent (lts-agent, in group lts-support only:
#	not root, not in the store owner's group) and a colleague outside
#	support (lts-other). The agent then
#	  - looks up a customer by address and by id,
#	  - lists yesterday's refusals across customers (consent-log
#	    --since/--until), which shows yesterday's and not today's,
#	  - opts a customer out of promotions with a note; the event names
#	    the agent and keeps the note,
#	  - prints yesterday's digest (links-sender digest --dry-run, run by
#	    the helper as the store's owner): yesterday's refusals with the
#	    customers' addresses, not today's; then mails it (transport dir:
#	    the file belongs to the store's owner), while --outdir, --to,
#	    --transport and bad values are refused,
#	and cannot read the key or the database, nor run anything the
#	helper does not allow (no note, an option in disguise, another
#	command, a bad date): each refused with EX_USAGE and nothing
#	recorded. The colleague outside the group is refused (EX_NOPERM).
#	Needs root (users, set-user-id); skips otherwise.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init support-helper
lt_need_root
lt_need_tool useradd userdel groupadd groupdel runuser sqlite3 flock

D=${SUPPORT_TEST_DIR:?SUPPORT_TEST_DIR is set by tests/Makefile.am}
HELPER_BUILT=$top_builddir/support/links-support-test
[ -x "$HELPER_BUILT" ] || lt_fail "not built: $HELPER_BUILT"
[ -x "$LINKS_STORE" ] || lt_fail "links-store not built: $LINKS_STORE"
# A set-user-id process cannot be traced, so LeakSanitizer cannot run in
# links-store started through the helper (and the helper clears
# ASAN_OPTIONS with the rest of the environment): the plain build tests it.
if grep -q __asan_init "$LINKS_STORE" 2>/dev/null; then
	lt_skip "links-store is built with ASan: the set-user-id path is tested by the plain build"
fi

# One run at a time per build tree: the folder and the users are fixed.
exec 9>"$D.lock" || lt_fail "cannot open $D.lock"
flock -w 300 9 || lt_fail "another support-helper test holds $D.lock"

U_OWNER=lts-milter U_AGENT=lts-agent U_OTHER=lts-other G_SUPPORT=lts-support
cleanup_users() {
	for u in $U_AGENT $U_OTHER $U_OWNER; do userdel "$u" >/dev/null 2>&1; done
	groupdel "$G_SUPPORT" >/dev/null 2>&1
	rm -rf "$D"
}
cleanup_users
lt_cleanup_add cleanup_users
groupadd --system "$G_SUPPORT" || lt_fail "groupadd $G_SUPPORT"
useradd --system --no-create-home --shell /usr/sbin/nologin "$U_OWNER" || lt_fail "useradd $U_OWNER"
useradd --system --no-create-home --shell /bin/sh -G "$G_SUPPORT" "$U_AGENT" || lt_fail "useradd $U_AGENT"
useradd --system --no-create-home --shell /bin/sh "$U_OTHER" || lt_fail "useradd $U_OTHER"
id -Gn "$U_AGENT" | grep -qw "$U_OWNER" && lt_fail "the agent must not be in the store owner's group"

# The installed layout, in miniature: the configuration readable by all,
# links-store, the store and key readable by their owner only, the helper
# 4750 owner:support.
mkdir -p "$D/store" && chmod 755 "$D" || lt_fail "mkdir $D"
LS=$D/links-store
cp "$LINKS_STORE" "$LS" && chmod 755 "$LS" || lt_fail "copy links-store"
cp "$top_builddir/sender/links-sender" "$D/links-sender" && chmod 755 "$D/links-sender" || lt_fail "copy links-sender"
cp "$HELPER_BUILT" "$D/links-support" || lt_fail "copy the helper"
chown "$U_OWNER:$G_SUPPORT" "$D/links-support" && chmod 4750 "$D/links-support" || lt_fail "chmod 4750"
printf 'store_path = %s/store/links.db\nkey_file = %s/store/master.key\nsupport_group = %s\nstore_busy_timeout = 2000\n' \
	"$D" "$D" "$G_SUPPORT" >"$D/links.conf"
printf 'transport = dir\noutdir = %s/out\n' "$D" >>"$D/links.conf"
mkdir "$D/out" && chown "$U_OWNER" "$D/out" && chmod 700 "$D/out" || lt_fail "mkdir $D/out"
chmod 644 "$D/links.conf"
chown "$U_OWNER" "$D/store" && chmod 700 "$D/store"
H=$D/links-support
C=$D/links.conf
T=$LT_TMP

# as USER CODE COMMAND...: run as USER, stdout in $T/out, stderr in $T/err
as() {
	who=$1 want=$2
	shift 2
	runuser -u "$who" -- "$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	[ "$got" -eq "$want" ] || lt_fail "as $who: $* exited $got, expected $want: $(cat "$T/err") $(cat "$T/out")"
}
has() { grep -q -- "$2" "$T/$1" || lt_fail "no \"$2\" in $1: $(cat "$T/$1")"; }
hasnt() { if grep -q -- "$2" "$T/$1"; then lt_fail "\"$2\" in $1: $(cat "$T/$1")"; fi; }
events() { sqlite3 "$D/store/links.db" 'SELECT count(*) FROM consent_events;'; }

# ---- the store, set up by its owner ----
as "$U_OWNER" 0 "$LS" -c "$C" init
as "$U_OWNER" 0 "$LS" -c "$C" import "$top_srcdir/config/customers.sample.csv"
as "$U_OWNER" 0 "$LS" -c "$C" customer find an.nguyen@example.vn; id_an=$(cat "$T/out")
as "$U_OWNER" 0 "$LS" -c "$C" customer find binh.tran@example.vn; id_binh=$(cat "$T/out")
as "$U_OWNER" 0 "$LS" -c "$C" customer find cuong.le@example.vn; id_chi=$(cat "$T/out")
as "$U_OWNER" 0 "$LS" -c "$C" customer find dung.pham@example.com; id_dung=$(cat "$T/out")
# Yesterday An and Bình refused promotions; today Cường did.
as "$U_OWNER" 0 "$LS" -c "$C" optout "$id_an" --category promotion --note "fixture"
as "$U_OWNER" 0 "$LS" -c "$C" optout "$id_binh" --category promotion --note "fixture"
runuser -u "$U_OWNER" -- sqlite3 "$D/store/links.db" \
	"UPDATE consent_events SET at = at - 86400 WHERE customer_id IN ($id_an, $id_binh);" \
	|| lt_fail "backdating the fixture's events"
as "$U_OWNER" 0 "$LS" -c "$C" optout "$id_chi" --category promotion --note "fixture"
yesterday=$(date -u -d yesterday +%Y-%m-%d)
lt_ok "store of the sample, refusals yesterday (2) and today (1)"

# ---- what the agent cannot do directly ----
as "$U_AGENT" 1 cat "$D/store/master.key"
as "$U_AGENT" 1 cat "$D/store/links.db"
runuser -u "$U_AGENT" -- "$LS" -c "$C" stats >"$T/out" 2>&1 && lt_fail "links-store ran for the agent without the helper"
lt_ok "the agent reads neither the key nor the database, and links-store alone fails"

# ---- the agent's day through the helper ----
as "$U_AGENT" 0 "$H" customer show dung.pham@example.com;  has out "dung.pham@example.com"
as "$U_AGENT" 0 "$H" customer show "$id_dung";            has out "dung.pham@example.com"
lt_ok "the agent looks up a customer by address and by id"

as "$U_AGENT" 0 "$H" consent-log --since "$yesterday" --until "$yesterday"
grep -Eq "(^|[^0-9])$id_an([^0-9]|\$)|an\.nguyen@example\.vn" "$T/out" || lt_fail "An's refusal of yesterday not listed: $(cat "$T/out")"
grep -Eq "(^|[^0-9])$id_binh([^0-9]|\$)|binh\.tran@example\.vn" "$T/out" || lt_fail "Bình's refusal of yesterday not listed: $(cat "$T/out")"
if grep -Eq "(^|[^0-9])$id_chi([^0-9]|\$)|cuong\.le@example\.vn" "$T/out"; then lt_fail "today's refusal listed as yesterday's: $(cat "$T/out")"; fi
[ "$(grep -c refused "$T/out")" -eq 2 ] || lt_fail "yesterday's refusals: $(cat "$T/out")"
lt_ok "the agent lists yesterday's refusals across customers, not today's"

# The digest of yesterday (local dates, as links-sender reads them).
l_yesterday=$(date -d yesterday +%Y-%m-%d)
l_today=$(date +%Y-%m-%d)
as "$U_AGENT" 0 "$H" digest --since "$l_yesterday" --until "$l_today" --dry-run
has out "^Refusals: 2 (reply"
has out "#$id_an an.nguyen@example.vn  từ chối / refused  staff"
has out "#$id_binh binh.tran@example.vn  từ chối / refused  staff"
hasnt out "cuong.le@example.vn"
has out "nothing was sent"
[ -z "$(ls "$D/out")" ] || lt_fail "digest --dry-run wrote a mail"
as "$U_AGENT" 0 "$H" digest --since "$l_yesterday" --until "$l_today"
has out "digest sent to support@ilinks.asia: 2 refusals"
set -- "$D"/out/digest-*.eml
[ $# -eq 1 ] && [ -f "$1" ] && [ "$(stat -c %U "$1")" = "$U_OWNER" ] || lt_fail "digest: no mail of the store's owner in $D/out"
for bad in "--outdir /tmp" "--to lan.pham@ilinks.asia" "--transport smtp" "--since yesterday" \
	"--lines 99999" "--lines" "--skip-empty"; do
	# shellcheck disable=SC2086
	as "$U_AGENT" 64 "$H" digest $bad
done
[ "$(ls "$D/out" | wc -l)" -eq 1 ] || lt_fail "a refused digest command wrote a mail"
lt_ok "the agent prints yesterday's digest and mails it to support through the helper, without the key; other options refused"

n0=$(events)
as "$U_AGENT" 0 "$H" optout dung.pham@example.com --category promotion --note "ticket #4711: asked by phone"
[ "$(events)" -eq $((n0 + 1)) ] || lt_fail "the opt-out was not recorded once"
as "$U_AGENT" 0 "$H" customer show dung.pham@example.com; has out "promotion: *refused"
as "$U_AGENT" 0 "$H" consent-log dung.pham@example.com
has out "ticket #4711: asked by phone"; has out "$U_AGENT"
lt_ok "the agent opts a customer out with a note; the event names the agent and keeps the note"

# ---- refused: each with EX_USAGE and nothing recorded ----
n0=$(events)
as "$U_AGENT" 64 "$H" optout "$id_dung" --category survey
as "$U_AGENT" 64 "$H" optout "$id_dung" --category survey --note "-x"
as "$U_AGENT" 64 "$H" optout "$id_dung" --category account --note "not refusable"
as "$U_AGENT" 64 "$H" optout -c/etc/passwd --note "an option in disguise"
as "$U_AGENT" 64 "$H" optout "$id_dung" --note "two" --note
as "$U_AGENT" 64 "$H" customer delete "$id_dung"
as "$U_AGENT" 64 "$H" export "$id_dung"
as "$U_AGENT" 64 "$H" consent-log --since yesterday
as "$U_AGENT" 64 "$H" consent-log "$id_dung" --until 2026-1-1
as "$U_AGENT" 64 "$H" key rotate
as "$U_AGENT" 64 "$H"
[ "$(events)" -eq "$n0" ] || lt_fail "a refused command recorded something"
lt_ok "no note, options in disguise, other commands, bad dates: EX_USAGE, nothing recorded"

# ---- outside the group ----
runuser -u "$U_OTHER" -- "$H" stats >"$T/out" 2>"$T/err" </dev/null \
	&& lt_fail "a colleague outside the support group ran the helper"
has err "Permission denied"
lt_ok "a colleague outside the support group cannot even run the helper (mode 4750)"
# Same binary, reachable: a group-executable copy, to see the helper's own check.
cp -p "$D/links-support" "$D/links-support-open" && chmod 4755 "$D/links-support-open"
as "$U_OTHER" 77 "$D/links-support-open" stats; has err "not in the support group"
[ "$(events)" -eq "$n0" ] || lt_fail "a refused caller recorded something"
lt_ok "outside the support group: EX_NOPERM from the helper itself"
