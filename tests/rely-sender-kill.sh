#!/bin/sh
# NAME
#	rely-sender-kill.sh - links-sender killed in the middle of an SMTP transaction
# DESCRIPTION
#	A campaign of seven recipients through an SMTP server on loopback
#	(tests/data/rely/smtpd-hang.py) that, for hang@example.vn, takes
#	the whole message and then never answers the final dot. links-sender
#	is killed with SIGKILL right then: the message is sent but neither
#	acknowledged nor recorded. The delivery rows are read as the kill
#	left them. Then links-sender resume must:
#	  - deliver every recipient (nobody lost);
#	  - never send again a row recorded "sent" before the kill, nor send
#	    twice a row never handed over;
#	  - repeat only rows left "sending" (handed over, answer not yet
#	    committed: hang@, and rows whose 250 came in the same batch), each
#	    with its own Message-ID, so a receiver can recognise the copy;
#	  - count at least those repeats as "possible duplicates";
#	  - finish the campaign: every recipient sent, nothing queued.
#	The random kills of a large campaign, and 421/451/550 answers, are
#	tests/sender-crash.sh and tests/sender-smtp.sh.
#	Skips (77) only when python3 or sqlite3 is absent.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/sender-lib.sh"
: "${PYTHON3:=python3}"
command -v "$PYTHON3" >/dev/null 2>&1 || { echo "SKIP: python3"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3"; exit 77; }

PORT=$(lt_free_port 2>/dev/null || echo 25999)
st_setup rely-sender-kill transport=smtp smtp_host=127.0.0.1 "smtp_port=$PORT" \
	smtp_connections=1 smtp_timeout=100
{
	echo "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at"
	for a in k1 k2 k3 hang k5 k6 k7; do
		echo "$a@example.vn,Khách $a,,portal,vps,VPS-$a,active,2024-01-01,"
	done
} >"$LT_TMP/c.csv"
st_import "$LT_TMP/c.csv"

LOG=$LT_TMP/accepted.log
: >"$LOG"
"$PYTHON3" "$top_srcdir/tests/data/rely/smtpd-hang.py" "$PORT" "$LOG" >"$LT_TMP/smtpd.out" 2>&1 &
SMTPD=$!
lt_cleanup_add "kill $SMTPD"
lt_wait_for 10 grep -q ready "$LT_TMP/smtpd.out" || lt_fail "the SMTP server did not start"

"$SENDER" -c "$CONF" send --category promotion --template promotion --all --no-progress \
	--set offer=x --set until=y --set url=https://dichvu.ilinks.asia/x >"$LT_TMP/send.out" 2>&1 &
SND=$!
lt_cleanup_add "kill -KILL $SND"
hung() {
	grep -q "^HANG" "$LOG"
}
lt_wait_for 30 hung || lt_fail "the sender never reached hang@: $(cat "$LT_TMP/send.out")"
kill -KILL "$SND"
wait "$SND" 2>/dev/null
HANG_ID=$(awk -F '\t' '$1 == "HANG" { print $3 }' "$LOG")
[ -n "$HANG_ID" ] || lt_fail "no Message-ID in the unacknowledged message"
BEFORE=$(grep -vc "^HANG" "$LOG")
cp "$LOG" "$LT_TMP/before.log"
lt_ok "killed in the middle of hang@'s transaction, after $BEFORE acknowledged messages"

CAMPAIGN=$(sed -n 's/^campaign \([0-9]*\) created.*/\1/p' "$LT_TMP/send.out" | head -n 1)
[ -n "$CAMPAIGN" ] || lt_fail "no campaign number: $(cat "$LT_TMP/send.out")"
# The rows as the kill left them: status 1 = sent (recorded), 0 = queued;
# a queued row with attempts > 0 was marked "sending": handed over, or
# about to be, without its answer recorded.
sqlite3 -separator ' ' "$LT_TMP/store/links.db" \
	"SELECT message_id, status, attempts FROM deliveries WHERE campaign_id = $CAMPAIGN" \
	>"$LT_TMP/rows.before" || lt_fail "cannot read the delivery rows"
[ "$(wc -l <"$LT_TMP/rows.before")" -eq 7 ] || lt_fail "expected 7 delivery rows"
grep -q "^$HANG_ID 0 [1-9]" "$LT_TMP/rows.before" || lt_fail "hang@'s row is not left 'sending': $(grep "$HANG_ID" "$LT_TMP/rows.before")"

timeout 120 "$SENDER" -c "$CONF" resume "$CAMPAIGN" --no-progress >"$LT_TMP/resume.out" 2>&1 \
	|| lt_fail "resume: $(cat "$LT_TMP/resume.out")"
grep -q "recipients 7, sent 7, failed 0, skipped 0, queued 0" "$LT_TMP/resume.out" \
	|| lt_fail "campaign not finished: $(cat "$LT_TMP/resume.out")"

# Nobody lost; each Message-ID is its row's; a repeat only for a row that
# was "sending" at the kill; none for a row recorded sent.
for a in k1 k2 k3 hang k5 k6 k7; do
	grep -q "^$a@example.vn	" "$LOG" || lt_fail "$a@ was never acknowledged (lost)"
done
REPEATS=0
while read -r mid status attempts; do
	n=$(awk -F '\t' -v m="$mid" '$1 != "HANG" && $2 == m' "$LOG" | wc -l)
	[ "$n" -ge 1 ] || lt_fail "Message-ID $mid never acknowledged"
	if [ "$status" = 1 ]; then
		[ "$n" -eq 1 ] || lt_fail "Message-ID $mid was recorded sent before the kill and sent again"
	elif [ "$attempts" = 0 ]; then
		[ "$n" -eq 1 ] || lt_fail "Message-ID $mid was never handed over before the kill, yet sent $n times"
	else
		REPEATS=$((REPEATS + n - 1))
	fi
done <"$LT_TMP/rows.before"
TOTAL=$(grep -vc "^HANG" "$LOG")
[ "$TOTAL" -eq $((7 + REPEATS)) ] || lt_fail "$TOTAL acknowledged, expected 7 + $REPEATS repeats: a Message-ID not in the rows"
lt_ok "nobody lost; $REPEATS repeat(s), all of rows left 'sending' by the kill, with their own Message-ID"
AGAIN=$(awk -F '\t' '$1 == "hang@example.vn" { print $2 }' "$LOG")
[ "$AGAIN" = "$HANG_ID" ] || lt_fail "hang@ resent with Message-ID $AGAIN, the unacknowledged copy had $HANG_ID"
lt_ok "hang@ (data sent, no 250) sent again with the same Message-ID"
PD=$(sed -n 's/.*possible duplicates: [0-9]* (this run \([0-9]*\)).*/\1/p' "$LT_TMP/resume.out")
[ "${PD:-0}" -ge $((REPEATS + 1)) ] || lt_fail "possible duplicates $PD < $REPEATS acknowledged repeats + hang@"
lt_ok "resume: 7 sent, 0 queued; possible duplicates reported: $PD (an upper bound, >= the $REPEATS + 1 real ones)"
exit 0
