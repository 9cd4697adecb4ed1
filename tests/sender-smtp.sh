#!/bin/sh
# NAME
#	sender-smtp.sh - SMTP replies: 451 retried, 421 reconnects, 550 fails
# DESCRIPTION
#	Runs links-sender against sender-smtpd.py on loopback: a recipient
#	answered 451 twice is delivered on the third attempt, one answered
#	451 every time fails after smtp_max_attempts, a 421 after DATA makes
#	links-sender reconnect and deliver, a 550 is recorded as failed (and
#	counted as a bounce: with bounce_threshold = 1 the next campaign
#	skips that address as undeliverable). Nobody is delivered twice.
#	Every message leaves with its own VERP return path
#	(MAIL FROM:<noreply+b-TOKEN@ilinks.asia>, a different token per
#	recipient). A customer with a non-ASCII local part (RFC 6531) is
#	sent with "MAIL FROM:<...> SMTPUTF8" to a server that offers it,
#	and fails with the reason, never half-sent, to one that does not.
#	To a server offering PIPELINING, MAIL, RCPT and DATA go out
#	together (RFC 2920); to one that does not, one by one, with the same
#	outcomes (delivered once, 550 failed and not delivered). A server
#	that stops answering is given up after smtp_timeout seconds, the
#	row left queued.
. "$top_srcdir/tests/sender-lib.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || lt_skip "python3 is not installed"

PORT=$(lt_free_port) || lt_fail "no free port"
st_setup sender-smtp transport=smtp smtp_host=127.0.0.1 "smtp_port=$PORT" \
	smtp_max_attempts=3 smtp_connections=2 smtp_timeout=10 bounce_threshold=1
cat > "$LT_TMP/c.csv" <<'CSV'
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
ok1@example.vn,Một,,portal,vps,V1,active,2024-01-01,
ok2@example.vn,Hai,,portal,vps,V2,active,2024-01-01,
temp2@example.vn,Ba,,portal,vps,V3,active,2024-01-01,
tempall@example.vn,Bốn,,portal,vps,V4,active,2024-01-01,
reject@example.vn,Năm,,portal,vps,V5,active,2024-01-01,
drop421@example.vn,Sáu,,portal,vps,V6,active,2024-01-01,
CSV
st_import "$LT_TMP/c.csv"

LOG=$LT_TMP/accepted.log
: > "$LOG"
"$PYTHON3" "$top_srcdir/tests/sender-smtpd.py" "$PORT" "$LOG" > "$LT_TMP/smtpd.out" 2>&1 &
SMTPD=$!
lt_cleanup_add "kill $SMTPD"
lt_wait_for 10 grep -q ready "$LT_TMP/smtpd.out" || lt_fail "test SMTP server did not start"

timeout 60 "$SENDER" -c "$CONF" send --category account --template confirmation --all \
	--set "request=Kiểm tra" --retry-delay 1 --no-progress > "$LT_TMP/out1" 2>&1
rc=$?
cat "$LT_TMP/out1"
[ "$rc" -eq 0 ] || lt_fail "send exited $rc"
grep -q "campaign: recipients 6, sent 4, failed 2, skipped 0, queued 0" "$LT_TMP/out1" \
	|| lt_fail "unexpected counts"
for r in ok1 ok2 temp2 drop421; do
	n=$(grep -c "^$r@example.vn	" "$LOG")
	[ "$n" -eq 1 ] || lt_fail "$r@example.vn delivered $n times"
done
grep -q "^tempall@\|^reject@" "$LOG" && lt_fail "a failed recipient was delivered"
lt_ok "451 twice then delivered, 421 reconnected, 550 and persistent 451 failed"
[ "$(grep -c '^pipelined$' "$LOG.pipe")" -eq 4 ] && [ "$(wc -l < "$LOG.pipe")" -eq 4 ] \
	|| { cat "$LOG.pipe"; lt_fail "the transactions were not pipelined"; }
lt_ok "MAIL, RCPT and DATA pipelined to a server offering PIPELINING"

# The reasons are in the store: 550 text, and the attempts for the 451.
"$LINKS_STORE" -c "$CONF" export reject@example.vn > "$LT_TMP/reject.json" 2>/dev/null
"$PYTHON3" - "$CONF" <<'PY' || lt_fail "failure reasons not recorded"
import sqlite3, sys
conf = dict(l.split(' = ', 1) for l in open(sys.argv[1]).read().splitlines() if ' = ' in l)
db = sqlite3.connect(conf['store_path'])
reasons = [r[0] for r in db.execute("SELECT reason FROM deliveries WHERE status = 2")]
print(reasons)
assert any(r.startswith('550') for r in reasons), reasons
assert any('451' in r and 'after 3 attempts' in r for r in reasons), reasons
PY
lt_ok "reasons recorded (550 ..., 451 ... after 3 attempts)"

# The 550 counted as a bounce: the address is now undeliverable and skipped.
timeout 60 "$SENDER" -c "$CONF" send --category account --template confirmation \
	--set "request=Lần hai" --to reject@example.vn --no-progress > "$LT_TMP/out2" 2>&1
grep -q "0 queued, 1 skipped" "$LT_TMP/out2" || { cat "$LT_TMP/out2"; lt_fail "undeliverable address not skipped"; }
lt_ok "a 550 at RCPT makes the address undeliverable (bounce_threshold = 1)"

# The return path: noreply+b-TOKEN@, one token per recipient, no SMTPUTF8 for ASCII.
grep -c "	MAIL FROM:<noreply+b-[a-z2-7]*@ilinks.asia>\$" "$LOG" > "$LT_TMP/nverp"
[ "$(cat "$LT_TMP/nverp")" -eq 4 ] || { cat "$LOG"; lt_fail "not every message has a VERP return path"; }
[ "$(cut -f3 "$LOG" | sort -u | wc -l)" -eq 4 ] || lt_fail "two recipients share a return path"
lt_ok "each message has its own return path noreply+b-TOKEN@ilinks.asia"

# A customer whose local part is not ASCII: sent with SMTPUTF8.
printf '%s\n%s\n' "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at" \
	"nguyễn.an@example.vn,Nguyễn An,,portal,vps,V7,active,2024-01-01," > "$LT_TMP/u.csv"
st_import "$LT_TMP/u.csv"
timeout 60 "$SENDER" -c "$CONF" send --category account --template confirmation \
	--set "request=Unicode" --to nguyễn.an@example.vn --no-progress > "$LT_TMP/outu" 2>&1 \
	|| { cat "$LT_TMP/outu"; lt_fail "send to a non-ASCII address failed"; }
grep -q "sent 1, failed 0, skipped 0" "$LT_TMP/outu" || { cat "$LT_TMP/outu"; lt_fail "not sent"; }
grep -q "^nguyễn.an@example.vn	<[^	]*>	MAIL FROM:<noreply+b-[a-z2-7]*@ilinks.asia> SMTPUTF8\$" "$LOG" \
	|| { cat "$LOG"; lt_fail "no SMTPUTF8 transaction for the non-ASCII address"; }
lt_ok "a non-ASCII local part is sent with MAIL FROM ... SMTPUTF8"

# A server that cannot be reached: rows stay queued, exit EX_TEMPFAIL (75), resume works.
kill "$SMTPD"
wait "$SMTPD" 2>/dev/null
timeout 60 "$SENDER" -c "$CONF" send --category account --template confirmation \
	--set "request=Ba" --to ok1@example.vn --retry-delay 0 --no-progress > "$LT_TMP/out3" 2>&1
rc=$?
[ "$rc" -eq 75 ] || { cat "$LT_TMP/out3"; lt_fail "unreachable server: exit $rc, expected 75"; }
grep -q "queued 1" "$LT_TMP/out3" || lt_fail "row not left queued"
cid=$(sed -n 's/^campaign \([0-9]*\) created.*/\1/p' "$LT_TMP/out3")
"$PYTHON3" "$top_srcdir/tests/sender-smtpd.py" "$PORT" "$LOG" > "$LT_TMP/smtpd.out" 2>&1 &
SMTPD=$!
lt_cleanup_add "kill $SMTPD"
lt_wait_for 10 grep -q ready "$LT_TMP/smtpd.out" || lt_fail "test SMTP server did not restart"
timeout 60 "$SENDER" -c "$CONF" resume "$cid" --no-progress > "$LT_TMP/out4" 2>&1 \
	|| { cat "$LT_TMP/out4"; lt_fail "resume failed"; }
grep -q "possible duplicates: 0" "$LT_TMP/out4" || lt_fail "connection failure counted as duplicate"
[ "$(grep -c '^ok1@example.vn	' "$LOG")" -eq 2 ] || lt_fail "resume did not deliver"
lt_ok "server down: rows stay queued (exit 75), resume delivers"

# A server without SMTPUTF8: the non-ASCII address fails with the reason, nothing is sent.
kill "$SMTPD"
wait "$SMTPD" 2>/dev/null
SMTPD_NO_SMTPUTF8=1 "$PYTHON3" "$top_srcdir/tests/sender-smtpd.py" "$PORT" "$LOG" \
	> "$LT_TMP/smtpd.out" 2>&1 &
SMTPD=$!
lt_cleanup_add "kill $SMTPD"
lt_wait_for 10 grep -q ready "$LT_TMP/smtpd.out" || lt_fail "test SMTP server did not restart"
before=$(wc -l < "$LOG")
timeout 60 "$SENDER" -c "$CONF" send --category account --template confirmation \
	--set "request=Unicode 2" --to nguyễn.an@example.vn --no-progress > "$LT_TMP/outv" 2>&1
grep -q "sent 0, failed 1" "$LT_TMP/outv" || { cat "$LT_TMP/outv"; lt_fail "not failed"; }
[ "$(wc -l < "$LOG")" -eq "$before" ] || lt_fail "something was delivered without SMTPUTF8"
"$PYTHON3" - "$CONF" <<'PY' || lt_fail "the reason is not recorded"
import sqlite3, sys
conf = dict(l.split(' = ', 1) for l in open(sys.argv[1]).read().splitlines() if ' = ' in l)
db = sqlite3.connect(conf['store_path'])
r = db.execute("SELECT reason FROM deliveries ORDER BY id DESC LIMIT 1").fetchone()[0]
print(r)
assert 'SMTPUTF8' in r, r
PY
lt_ok "a server without SMTPUTF8: the non-ASCII address fails, saying why"

# A server without PIPELINING: the commands one by one, the same outcomes.
kill "$SMTPD"
wait "$SMTPD" 2>/dev/null
SMTPD_NO_PIPELINING=1 "$PYTHON3" "$top_srcdir/tests/sender-smtpd.py" "$PORT" "$LOG" \
	> "$LT_TMP/smtpd.out" 2>&1 &
SMTPD=$!
lt_cleanup_add "kill $SMTPD"
lt_wait_for 10 grep -q ready "$LT_TMP/smtpd.out" || lt_fail "test SMTP server did not restart"
printf '%s\n%s\n%s\n' "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at" \
	"nopipe@example.vn,Tám,,portal,vps,V8,active,2024-01-01," \
	"rejectnp@example.vn,Chín,,portal,vps,V9,active,2024-01-01," > "$LT_TMP/np.csv"
st_import "$LT_TMP/np.csv"
: > "$LOG.pipe"
for to in nopipe rejectnp; do
	timeout 60 "$SENDER" -c "$CONF" send --category account --template confirmation \
		--set "request=No pipelining" --to "$to@example.vn" --no-progress > "$LT_TMP/np-$to" 2>&1
done
grep -q "sent 1, failed 0" "$LT_TMP/np-nopipe" || { cat "$LT_TMP/np-nopipe"; lt_fail "not sent"; }
grep -q "sent 0, failed 1" "$LT_TMP/np-rejectnp" || { cat "$LT_TMP/np-rejectnp"; lt_fail "550 not failed"; }
[ "$(grep -c '^nopipe@example.vn	' "$LOG")" -eq 1 ] || lt_fail "not delivered once without PIPELINING"
grep -q "^rejectnp@" "$LOG" && lt_fail "a refused recipient was delivered"
[ "$(cat "$LOG.pipe")" = "one-by-one" ] || { cat "$LOG.pipe"; lt_fail "pipelined to a server without PIPELINING"; }
lt_ok "a server without PIPELINING: commands one by one, delivered once, 550 failed"

# A server that stops answering (no reply to RCPT TO): each attempt ends
# after smtp_timeout seconds, never hangs, delivers nothing, and the row
# stays queued for a later run.
kill "$SMTPD"
wait "$SMTPD" 2>/dev/null
"$PYTHON3" "$top_srcdir/tests/sender-smtpd.py" "$PORT" "$LOG" > "$LT_TMP/smtpd.out" 2>&1 &
SMTPD=$!
lt_cleanup_add "kill $SMTPD"
lt_wait_for 10 grep -q ready "$LT_TMP/smtpd.out" || lt_fail "test SMTP server did not restart"
printf '%s\n%s\n' "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at" \
	"silent@example.vn,Mười,,portal,vps,V10,active,2024-01-01," > "$LT_TMP/silent.csv"
st_import "$LT_TMP/silent.csv"
t0=$(date +%s)
timeout 25 "$SENDER" -c "$CONF" -o smtp_timeout=2 -o smtp_max_attempts=2 send --category account \
	--template confirmation --set "request=Silent" --to silent@example.vn --retry-delay 1 \
	--no-progress > "$LT_TMP/silent.out" 2>&1
rc=$?
t1=$(date +%s)
cat "$LT_TMP/silent.out"
[ "$rc" -ne 124 ] || lt_fail "links-sender waited for a silent server past smtp_timeout"
[ "$rc" -eq 75 ] || lt_fail "a silent server: exit $rc, not 75 (EX_TEMPFAIL)"
[ $((t1 - t0)) -ge 4 ] || lt_fail "gave up before smtp_timeout (2 attempts of 2 s)"
grep -q "queued 1" "$LT_TMP/silent.out" || lt_fail "the row did not stay queued"
grep -q "^silent@" "$LOG" && lt_fail "delivered to a server that never accepted"
lt_ok "a server that stops answering: each attempt ends after smtp_timeout, the row stays queued"
exit 0
