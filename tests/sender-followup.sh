#!/bin/sh
# NAME
#	sender-followup.sh - what a campaign's message brings back, end to end:
#	the opt-out confirmation threaded to the customer's reply, and the
#	campaign's bounces in links-sender status
# DESCRIPTION
#	links-sender sends a real promotion to two customers (dir
#	transport). Through a running links-milter (miltertest), customer 1
#	replies "Từ chối" to it from Gmail (References: an older message,
#	then ours); links-sender outbox then sends the confirmation, which
#	must carry In-Reply-To: <the reply's Message-ID> and References:
#	the older one, ours, the reply (RFC 5322 3.6.4). Three delivery
#	status notifications come to customer 2's VERP return path (the
#	token names the campaign and the customer): a delay, a failure and
#	the same failure again; links-sender status of the campaign must
#	show "bounced: 1 customer hard, 1 soft" (the retry counted once),
#	and the reply's Message-ID must not be found in clear in the store.
#	Skips (77) only when miltertest is not installed.

. "${top_srcdir:-$(dirname "$0")/..}/tests/sender-lib.sh"
st_setup sender-followup "company_domains=ilinks.asia" "trusted_authserv_ids=mx.ilinks.asia"

MILTERTEST=${MILTERTEST:-$(command -v miltertest)}
[ -n "$MILTERTEST" ] && [ -x "$MILTERTEST" ] || lt_skip "miltertest is not installed"
FIX="$top_builddir/tests/miltertest/milter-fixture"
S="$SENDER -c $CONF"

st_customers "$LT_TMP/customers.csv" 2
st_import "$LT_TMP/customers.csv"
$S send --category promotion --template promotion --all --no-progress \
	--set offer="Giảm 20% VPS" --set until=31/12/2026 --set url=https://dichvu.ilinks.asia/km \
	>"$LT_TMP/send.out" 2>&1 || lt_fail "send: $(cat "$LT_TMP/send.out")"
CAMPAIGN=$($S status | awk 'NR > 1 { print $1 }' | tail -n 1)
[ -n "$CAMPAIGN" ] || lt_fail "no campaign in status"
msg_to() {
	grep -l -i "^To:.*$1" "$LT_TMP"/out/*.eml | head -n 1
}
M1=$(msg_to c00001@example.vn)
[ -n "$M1" ] || lt_fail "no message to c00001: $(ls "$LT_TMP/out")"
OURS=$(tr -d '\r' <"$M1" | sed -n 's/^Message-ID: *<\(.*\)>$/\1/Ip' | head -n 1)
[ -n "$OURS" ] || lt_fail "no Message-ID in $M1"
lt_ok "campaign $CAMPAIGN sent, c00001's message is <$OURS>"

C2=$("$FIX" -c "$CONF" customer c00002@example.vn) || lt_fail "customer id of c00002"
FU_VERP=$("$FIX" -c "$CONF" verp "$C2" "$CAMPAIGN") || lt_fail "verp token"
MT_RUN="fu$$"
FU_REPLY_ID="CAKx3-$$.q+Reply=1@mail.gmail.com"
FU_OLDER="older.$$@ilinks.asia"
MT_SOCKET="$LT_TMP/milter.sock"
MT_LIB="$top_srcdir/tests/miltertest/common.lua"
FU_OURS=$OURS FU_C1_EMAIL=c00001@example.vn FU_C2_EMAIL=c00002@example.vn
export MT_RUN MT_SOCKET MT_LIB FU_VERP FU_REPLY_ID FU_OLDER FU_OURS FU_C1_EMAIL FU_C2_EMAIL

lt_milter_start "$CONF"
"$MILTERTEST" -s "$top_srcdir/tests/sender-followup.lua" >"$LT_TMP/mt.out" 2>&1 \
	|| { cat "$LT_TMP/mt.out" >&2; lt_fail "miltertest"; }
grep -q "sender-followup passed" "$LT_TMP/mt.out" || { cat "$LT_TMP/mt.out" >&2; lt_fail "miltertest did not finish"; }
lt_ok "the refusal and three notifications went through links-milter"
lt_milter_stop

# The reply's Message-ID is kept sealed while the confirmation waits.
if grep -a -q -F "q+Reply=1@mail.gmail" "$LT_TMP"/store/links.db*; then
	lt_fail "the reply's Message-ID is in clear in the store"
fi
lt_ok "the reply's Message-ID is not in clear in the store"

rm -f "$LT_TMP"/out/*.eml
$S outbox --no-progress >"$LT_TMP/outbox.out" 2>&1 || lt_fail "outbox: $(cat "$LT_TMP/outbox.out")"
CONFIRM=$(ls "$LT_TMP"/out/*.eml 2>/dev/null)
[ "$(echo "$CONFIRM" | grep -c .)" -eq 1 ] || lt_fail "expected one confirmation: $CONFIRM"
# the header block, unfolded
awk '/^\r?$/ { exit } { print }' "$CONFIRM" | tr -d '\r' \
	| awk '/^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next } { if (h != "") print h; h = $0 } END { print h }' \
	>"$LT_TMP/confirm.h"
grep -q -i "^To:.*c00001@example.vn" "$LT_TMP/confirm.h" || lt_fail "confirmation not to c00001: $(cat "$LT_TMP/confirm.h")"
grep -q -x -F "In-Reply-To: <$FU_REPLY_ID>" "$LT_TMP/confirm.h" \
	|| lt_fail "In-Reply-To is not the reply's Message-ID: $(grep -i '^In-Reply-To' "$LT_TMP/confirm.h")"
lt_ok "the confirmation's In-Reply-To is the refusal's Message-ID"
grep -q -x -F "References: <$FU_OLDER> <$OURS> <$FU_REPLY_ID>" "$LT_TMP/confirm.h" \
	|| lt_fail "References: $(grep -i '^References' "$LT_TMP/confirm.h")"
lt_ok "its References are the reply's thread, then the reply"
if grep -a -q -F "q+Reply=1@mail.gmail" "$LT_TMP"/store/links.db*; then
	lt_fail "the reply's Message-ID is in the store after the confirmation was sent"
fi

$S status "$CAMPAIGN" >"$LT_TMP/status.out" 2>&1 || lt_fail "status: $(cat "$LT_TMP/status.out")"
grep -q -x "bounced: 1 customer hard, 1 soft" "$LT_TMP/status.out" \
	|| lt_fail "status of campaign $CAMPAIGN: $(cat "$LT_TMP/status.out")"
lt_ok "status shows the campaign's bounces (the retried notification counted once)"
grep -q -x "refusals in reply: 1 customer (1 message)" "$LT_TMP/status.out" \
	|| lt_fail "status refusals: $(cat "$LT_TMP/status.out")"
lt_ok "and the refusal received in reply"
exit 0
