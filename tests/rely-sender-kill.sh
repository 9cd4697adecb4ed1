#!/bin/sh
# NAME
#	rely-sender-kill.sh - links-sender killed in the middle of an SMTP transaction
# DESCRIPTION
#	A campaign of seven recipients through an SMTP server on loopback
#	(tests/data/rely/smtpd-hang.py) that, for hang@example.vn, takes
#	the whole message and then never answers the final dot. links-sender
#	is killed with SIGKILL right then: the message is sent but neither
#	acknowledged nor recorded. Then links-sender resume must:
#	  - deliver every recipient that was not acknowledged (nobody lost);
#	  - not send again what the server had acknowledged before the kill;
#	  - send hang@ again with the same Message-ID as the unacknowledged
#	    copy (the one repeat, in the window between handing the message
#	    over and recording it, that a receiver can recognise);
#	  - count that repeat in its "possible duplicates" figure;
#	  - finish the campaign: every recipient sent, nothing queued.
#	The random kills of a large campaign, and 421/451/550 answers, are
#	tests/sender-crash.sh and tests/sender-smtp.sh.
#	Skips (77) only when python3 is absent.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/sender-lib.sh"
: "${PYTHON3:=python3}"
command -v "$PYTHON3" >/dev/null 2>&1 || { echo "SKIP: python3"; exit 77; }

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

"$SENDER" -c "$CONF" send --category promotion --template promotion --no-progress \
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
timeout 120 "$SENDER" -c "$CONF" resume "$CAMPAIGN" --no-progress >"$LT_TMP/resume.out" 2>&1 \
	|| lt_fail "resume: $(cat "$LT_TMP/resume.out")"

for a in k1 k2 k3 hang k5 k6 k7; do
	n=$(grep -c "^$a@example.vn	" "$LOG")
	[ "$n" -eq 1 ] || lt_fail "$a@ acknowledged $n times, expected once"
done
lt_ok "every recipient acknowledged exactly once: nobody lost, nothing acknowledged sent again"
AGAIN=$(awk -F '\t' '$1 == "hang@example.vn" { print $2 }' "$LOG")
[ "$AGAIN" = "$HANG_ID" ] || lt_fail "hang@ resent with Message-ID $AGAIN, the unacknowledged copy had $HANG_ID"
lt_ok "hang@ sent again with the same Message-ID <$HANG_ID>"
grep -Eq "possible duplicates: [1-9]" "$LT_TMP/resume.out" \
	|| lt_fail "the repeat is not counted: $(grep 'possible' "$LT_TMP/resume.out")"
grep -q "recipients 7, sent 7, failed 0, skipped 0, queued 0" "$LT_TMP/resume.out" \
	|| lt_fail "campaign not finished: $(cat "$LT_TMP/resume.out")"
lt_ok "resume: 7 sent, 0 queued; the repeat counted as a possible duplicate"
exit 0
