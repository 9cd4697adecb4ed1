#!/bin/sh
# NAME
#	milter-postfix.sh - links-milter end to end behind a private Postfix
# DESCRIPTION
#	Starts links-milter as a daemon (root opens the socket, then it runs
#	as nobody with socket group postfix, mode 0660, pid file), a private
#	Postfix "mx" instance using it (milter_default_action = tempfail,
#	delivery to Maildirs) and an "edge" instance relaying to mx. Sends
#	replies with swaks and checks:
#	  - a "Từ chối" reply whose In-Reply-To is in the message log flips
#	    the customer's opt-out in the store and is not delivered;
#	  - a question to noreply@ arrives in support's Maildir with the
#	    X-Links-* headers (a spoofed X-Links-Customer is gone);
#	  - a forged refusal (From spoofed, no reference) opts nobody out and
#	    reaches support marked X-Links-Optout: unverified;
#	  - with the store write-locked past store_busy_timeout, mx answers
#	    4xx and the message stays queued on edge; after the lock is gone
#	    postqueue -f delivers it once and the refusal is recorded once;
#	  - with the milter stopped, mx answers 4xx (tempfail), and the
#	    daemon removed its pid file and socket.
#	Skips (77) when Postfix or swaks are absent or not running as root.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
lt_init milter-postfix

lt_need_root
lt_need_tool postfix postqueue swaks sqlite3 runuser
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

FIX="$top_builddir/tests/miltertest/milter-fixture"
RUN="$LT_TMP/run"
CONF="$LT_TMP/links.conf"
mkdir -p "$RUN" "$LT_TMP/store"
chown nobody "$RUN" "$LT_TMP/store"
LT_MILTER_SOCKET="$RUN/milter.sock"
lt_write_conf "$CONF" user=nobody group=postfix socket_mode=0660 \
	pid_file="$RUN/links-milter.pid" store_busy_timeout=1000 \
	trusted_authserv_ids=mx.test.invalid
LT_STORE_USER=nobody
fix() {
	runuser -u nobody -- "$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}
fix init

C1=$(fix customer c1@example.vn)
C2=$(fix customer c2@example.vn)
C3=$(fix customer c3@example.vn)
C4=$(fix customer c4@example.vn)
TAG="e2e$$"
fix msglog "$TAG.c1@ilinks.asia" "$C1" promotion
fix msglog "$TAG.c2@ilinks.asia" "$C2" account
fix msglog "$TAG.c4@ilinks.asia" "$C4" survey

# --- the daemon: socket as root, then nobody; pid file
"$LINKS_MILTER" -e -c "$CONF" 2>>"$LT_TMP/milter.log" || lt_fail "links-milter did not start"
lt_cleanup_add 'kill -TERM $(cat "$RUN/links-milter.pid" 2>/dev/null) 2>/dev/null; sleep 1'
[ -S "$LT_MILTER_SOCKET" ] || lt_fail "no socket after start"
PID=$(cat "$RUN/links-milter.pid") || lt_fail "no pid file"
kill -0 "$PID" || lt_fail "pid file names no running process"
[ "$(ps -o user= -p "$PID" | tr -d ' ')" = nobody ] || lt_fail "the daemon does not run as nobody"
[ "$(stat -c '%U:%G %a' "$LT_MILTER_SOCKET")" = "nobody:postfix 660" ] \
	|| lt_fail "socket ownership/mode: $(stat -c '%U:%G %a' "$LT_MILTER_SOCKET")"
lt_ok "daemon runs as nobody, socket nobody:postfix 0660, pid file written"

MX_PORT=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx" "$MX_PORT" "unix:$LT_MILTER_SOCKET"
EDGE_PORT=$(lt_free_port) || lt_fail "no free port"
[ "$EDGE_PORT" != "$MX_PORT" ] || EDGE_PORT=$(lt_free_port)
lt_postfix_relay_start "$LT_TMP/edge" "$EDGE_PORT" "$MX_PORT"
lt_ok "Postfix mx on $MX_PORT, edge on $EDGE_PORT"

send_mx() {
	lt_swaks --server "127.0.0.1:$MX_PORT" --add-header "MIME-Version: 1.0" \
		--add-header "Content-Type: text/plain; charset=utf-8" \
		--add-header "Content-Transfer-Encoding: 8bit" "$@"
}

maillog_has() {
	grep -q "$1" "$LT_TMP/mx/maillog"
}

# --- 1. a refusal in reply to our promotion: recorded, not delivered
send_mx --from other-address@example.net --to noreply@ilinks.asia \
	--header "Subject: Re: Khuyến mãi tháng 11" \
	--header "In-Reply-To: <$TAG.c1@ilinks.asia>" \
	--header "Message-ID: <$TAG.refusal1@example.net>" \
	--body "Từ chối" || lt_fail "swaks refusal: $(cat "$LT_TMP/swaks.last")"
lt_wait_for 10 maillog_has "milter-discard" || lt_fail "the refusal was not discarded"
[ "$(fix optout "$C1" promotion)" = 1 ] || lt_fail "c1 promotion not refused"
[ "$(fix optout "$C1" survey)" = 1 ] || lt_fail "c1 survey not refused"
[ "$(fix consents "$C1")" = 2 ] || lt_fail "c1 consent events: $(fix consents "$C1")"
lt_ok "a 'Từ chối' reply flips c1's opt-out and is not delivered"

# --- 2. a question to noreply: delivered to support with the headers
send_mx --from c2@example.vn --to noreply@ilinks.asia \
	--header "Subject: Re: Hợp đồng" \
	--header "In-Reply-To: <$TAG.c2@ilinks.asia>" \
	--header "X-Links-Customer: 999" \
	--body "Cho tôi hỏi khi nào hợp đồng của tôi hết hạn?" \
	|| lt_fail "swaks question: $(cat "$LT_TMP/swaks.last")"
lt_wait_maildir support 1 20 || lt_fail "the question did not reach support"
Q=$(find "$LT_TMP/mx/mail/support/new" -type f | head -n 1)
grep -q "^X-Links-Verdict: question" "$Q" || lt_fail "no X-Links-Verdict in the delivered question"
grep -q "^X-Links-Customer: $C2\$" "$Q" || lt_fail "no X-Links-Customer: $C2"
grep -q "^X-Links-Category: account" "$Q" || lt_fail "no X-Links-Category"
grep -q "^X-Links-Customer: 999" "$Q" && lt_fail "the spoofed X-Links-Customer survived"
[ "$(lt_maildir_count noreply)" = 0 ] || lt_fail "something was delivered to noreply"
[ "$(fix optout "$C2" promotion)" = 0 ] || lt_fail "a question opted c2 out"
lt_ok "a question to noreply reaches support with X-Links-* headers"

# --- 3. a forged refusal: nobody opted out, support gets it unverified
send_mx --from attacker@evil.example --to noreply@ilinks.asia \
	--header "From: C3 <c3@example.vn>" --header "Subject: Từ chối" \
	--body "Từ chối" || lt_fail "swaks forged: $(cat "$LT_TMP/swaks.last")"
lt_wait_maildir support 2 20 || lt_fail "the forged refusal did not reach support"
grep -l "^X-Links-Optout: unverified" "$LT_TMP/mx/mail/support/new"/* >/dev/null \
	|| lt_fail "no X-Links-Optout: unverified"
[ "$(fix optout "$C3" promotion)" = 0 ] || lt_fail "a forged refusal opted c3 out"
[ "$(fix consents "$C3")" = 0 ] || lt_fail "a forged refusal left consent events"
lt_ok "a forged refusal opts nobody out and reaches support unverified"

# --- 4. store locked: 4xx, queued on edge; after the fix, delivered once
OUTBOX_BEFORE=$(fix outbox)
lt_store_lock "$LT_TMP/store/links.db"
lt_swaks --server "127.0.0.1:$EDGE_PORT" --from c4@example.vn --to noreply@ilinks.asia \
	--add-header "MIME-Version: 1.0" --add-header "Content-Type: text/plain; charset=utf-8" \
	--add-header "Content-Transfer-Encoding: 8bit" \
	--header "Subject: Re: Khảo sát" --header "In-Reply-To: <$TAG.c4@ilinks.asia>" \
	--header "Message-ID: <$TAG.refusal4@example.vn>" \
	--body "Từ chối" || lt_fail "swaks to edge: $(cat "$LT_TMP/swaks.last")"
edge_deferred() {
	grep -q "status=deferred.*451 4.3.0" "$LT_TMP/edge/maillog"
}
lt_wait_for 30 edge_deferred || lt_fail "edge did not get a 451 from mx: $(tail -n 5 "$LT_TMP/edge/maillog")"
edge_deferred_count() {
	find "$LT_TMP/edge/spool/deferred" -type f | wc -l
}
edge_one_deferred() {
	[ "$(edge_deferred_count)" -eq 1 ]
}
# the client logs "deferred" before the queue manager moves the file
lt_wait_for 10 edge_one_deferred || lt_fail "edge's deferred queue holds $(edge_deferred_count) messages, expected 1"
lt_store_unlock
[ "$(fix optout "$C4" survey)" = 0 ] || lt_fail "c4 opted out while the store was locked"
lt_ok "store locked: mx answered 451 4.3.0, the message waits on edge"

postqueue -c "$LT_TMP/edge/etc" -f || lt_fail "postqueue -f"
edge_sent() {
	grep -q "status=sent" "$LT_TMP/edge/maillog"
}
lt_wait_for 30 edge_sent || lt_fail "edge did not deliver after the flush"
postqueue -c "$LT_TMP/edge/etc" -f
sleep 1
[ "$(fix optout "$C4" survey)" = 1 ] || lt_fail "c4 not opted out after the retry"
[ "$(fix consents "$C4")" = 2 ] || lt_fail "c4 consent events: $(fix consents "$C4") (expected 2: promotion, survey)"
[ "$(fix outbox)" = $((OUTBOX_BEFORE + 1)) ] || lt_fail "confirmations: $(fix outbox), expected $((OUTBOX_BEFORE + 1))"
[ "$(grep -c "status=sent" "$LT_TMP/edge/maillog")" = 1 ] || lt_fail "edge sent more than once"
lt_ok "after the fix, postqueue -f delivers it once and the refusal is recorded once"

# --- 5. milter stopped: Postfix tempfails (milter_default_action)
kill -TERM "$PID"
lt_wait_for 15 sh -c "! kill -0 $PID" || lt_fail "the daemon did not stop on SIGTERM"
[ ! -e "$RUN/links-milter.pid" ] || lt_fail "pid file left behind"
[ ! -e "$LT_MILTER_SOCKET" ] || lt_fail "socket left behind"
if send_mx --from c2@example.vn --to noreply@ilinks.asia --body "Cho tôi hỏi?"; then
	lt_fail "mx accepted mail with the milter down"
fi
grep -q "^<\\*\\* *4[0-9][0-9]" "$LT_TMP/swaks.last" || lt_fail "no 4xx with the milter down: $(tail -n 3 "$LT_TMP/swaks.last")"
lt_ok "milter down: Postfix answers 4xx; the daemon removed its pid file and socket"
lt_milter_log_clean
exit 0
