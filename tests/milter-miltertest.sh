#!/bin/sh
# NAME
#	milter-miltertest.sh - run the miltertest scripts against links-milter
# DESCRIPTION
#	Creates a temporary store with ten customers, message-log entries
#	and an unsubscribe token (tests/miltertest/milter-fixture), starts
#	links-milter in the foreground on a unix socket in a temporary
#	directory, runs each tests/miltertest/NN-*.lua script with
#	miltertest and checks, after each, what the store recorded. It also
#	covers -n, a SIGHUP reload (a good one, then a bad one that must
#	be rejected), a campaign's question count (a question in reply to
#	one of its messages counts once per reply, however often the reply
#	arrives), SIGUSR1 statistics, the store being unavailable
#	(locked past store_busy_timeout: tempfail, nothing recorded, then
#	recorded once the lock is gone; with store_failure_action = accept,
#	delivered to support unverified) and a clean stop on SIGTERM.
#	Skips (77) only when miltertest is not installed.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
lt_init milter-miltertest

MILTERTEST=${MILTERTEST:-$(command -v miltertest)}
[ -n "$MILTERTEST" ] && [ -x "$MILTERTEST" ] || lt_skip "miltertest is not installed"
FIX="$top_builddir/tests/miltertest/milter-fixture"
MT_DIR="$top_srcdir/tests/miltertest"
CONF="$LT_TMP/links.conf"
BASE_OPTS="company_domains=ilinks.asia bounce_threshold=1 trusted_authserv_ids=mx.ilinks.asia max_body_size=16k"

# shellcheck disable=SC2086
lt_write_conf "$CONF" $BASE_OPTS
"$FIX" -c "$CONF" init || lt_fail "store init"

fix() {
	"$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}

# --- fixtures: customers c1..c10, messages we "sent" them
MT_RUN="run$$"
for i in 1 2 3 4 5 6 7 8 9 10; do
	eval "MT_C$i=\$(fix customer c$i@example.vn)"
done
MT_MSGID_C1="$MT_RUN.promo.c1@ilinks.asia"
MT_MSGID_C2="$MT_RUN.account.c2@ilinks.asia"
MT_MSGID_C3="$MT_RUN.survey.c3@ilinks.asia"
MT_MSGID_C9="$MT_RUN.staff.c9@ilinks.asia"
MT_MSGID_C10="$MT_RUN.promo.c10@ilinks.asia"
MT_MSGID_C8="$MT_RUN.maint.c8@ilinks.asia"
fix msglog "$MT_MSGID_C1" "$MT_C1" promotion
fix msglog "$MT_MSGID_C2" "$MT_C2" account
fix msglog "$MT_MSGID_C3" "$MT_C3" survey
fix msglog "$MT_MSGID_C9" "$MT_C9" staff
fix msglog "$MT_MSGID_C10" "$MT_C10" promotion
fix msglog "$MT_MSGID_C8" "$MT_C8" maintenance
MT_TOKEN_C7=$(fix token "$MT_C7" promotion)
MT_CAMPAIGN=$(fix campaign survey)
MT_MSGID_Q="$MT_RUN.campaign.c6@ilinks.asia"
fix msglog "$MT_MSGID_Q" "$MT_C6" survey "$MT_CAMPAIGN"
MT_C8_EMAIL=c8@example.vn
MT_BOTH_TEXT="Từ chối. Nhưng cho tôi hỏi hoá đơn tháng này đã gửi chưa?"
MT_SOCKET="$LT_TMP/milter.sock"
MT_LIB="$MT_DIR/common.lua"
MT_ARCHIVE_N=1
export MT_RUN MT_SOCKET MT_LIB MT_C1 MT_C2 MT_C3 MT_C4 MT_C5 MT_C6 MT_C7 MT_C8 MT_C9 MT_C10 \
	MT_MSGID_C1 MT_MSGID_C2 MT_MSGID_C3 MT_MSGID_C9 MT_MSGID_C10 MT_MSGID_C8 MT_TOKEN_C7 MT_C8_EMAIL \
	MT_BOTH_TEXT MT_ARCHIVE_N MT_MSGID_Q

expect_eq() {
	[ "$2" = "$3" ] || lt_fail "$1: expected $3, got $2"
	lt_ok "$1 = $3"
}

run_lua() {
	if ! "$MILTERTEST" -s "$MT_DIR/$1.lua" >"$LT_TMP/$1.out" 2>&1; then
		cat "$LT_TMP/$1.out" >&2
		lt_fail "miltertest $1"
	fi
	grep -q "$1 passed" "$LT_TMP/$1.out" || { cat "$LT_TMP/$1.out" >&2; lt_fail "$1 did not finish"; }
	lt_ok "miltertest $1"
}

# --- -n: a good configuration, a bad one
"$LINKS_MILTER" -n -c "$CONF" >/dev/null || lt_fail "-n rejects a good configuration"
lt_ok "-n accepts the configuration"
cp "$CONF" "$LT_TMP/bad.conf"
echo "pure_refusal_action = archive" >> "$LT_TMP/bad.conf"	# without archive_address
"$LINKS_MILTER" -n -c "$LT_TMP/bad.conf" 2>/dev/null
expect_eq "-n exit status for a bad configuration" "$?" 78
"$LINKS_MILTER" -n -c "$CONF" -o store_path="$LT_TMP/nowhere/x.db" 2>/dev/null
expect_eq "-n exit status when the store does not open" "$?" 78
# runtime folders systemd creates at start (tmpfiles, RuntimeDirectory=)
# are no configuration error: -n names them and accepts the configuration
OUT=$("$LINKS_MILTER" -n -c "$CONF" -o socket="unix:$LT_TMP/not-yet/spool/milter.sock" \
	-o pid_file="$LT_TMP/not-yet/run/links-milter.pid" 2>&1) \
	|| lt_fail "-n fails on runtime folders that do not exist yet: $OUT"
case $OUT in
*"socket folder $LT_TMP/not-yet/spool does not exist yet"*"pid_file folder $LT_TMP/not-yet/run does not exist yet"*"configuration OK"*)
	lt_ok "-n explains the missing socket and pid_file folders and accepts the configuration" ;;
*) lt_fail "-n with missing runtime folders: $OUT" ;;
esac
: > "$LT_TMP/a-file"
"$LINKS_MILTER" -n -c "$CONF" -o socket="unix:$LT_TMP/a-file/milter.sock" 2>/dev/null
expect_eq "-n exit status when the socket folder is a file" "$?" 78

# --- --classify: no store, no socket
printf 'From: a@example.vn\r\nSubject: Re: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' \
	"Từ chối" >"$LT_TMP/refusal.eml"
OUT=$("$LINKS_MILTER" -c "$CONF" -o store_path=/nonexistent/x.db --classify - <"$LT_TMP/refusal.eml") \
	|| lt_fail "--classify failed"
case $OUT in
*'"optout":true'*) lt_ok "--classify reads standard input and needs no store" ;;
*) lt_fail "--classify: $OUT" ;;
esac
"$LINKS_MILTER" -c "$CONF" --classify "$LT_TMP/no-such.eml" >/dev/null 2>&1
expect_eq "--classify exit status for a missing file" "$?" 66

lt_milter_start "$CONF"
[ "$(stat -c %a "$MT_SOCKET")" = 666 ] || lt_fail "socket_mode not applied: $(stat -c %a "$MT_SOCKET")"
lt_ok "socket mode applied"

run_lua 01-not-ours

run_lua 02-refusal-msgid
expect_eq "c1 promotion refused" "$(fix optout "$MT_C1" promotion)" 1
expect_eq "c1 survey refused" "$(fix optout "$MT_C1" survey)" 1
expect_eq "c1 account (transactional) untouched" "$(fix optout "$MT_C1" account)" 0
expect_eq "c1 opt-out events after two deliveries" "$(fix consents "$MT_C1")" 2
expect_eq "confirmations queued" "$(fix outbox)" 1

run_lua 03-question-noreply
expect_eq "c2 not opted out by a question" "$(fix optout "$MT_C2" promotion)" 0

expect_eq "campaign replies before any question" "$(fix replies "$MT_CAMPAIGN")" "0 0 0 0"
run_lua 17-question-campaign
expect_eq "campaign questions (customers, messages) after one reply seen twice and another" \
	"$(fix replies "$MT_CAMPAIGN")" "0 0 1 2"

run_lua 04-optout-question
expect_eq "c3 opted out by optout+question" "$(fix optout "$MT_C3" survey)" 1

run_lua 05-forged
expect_eq "c4 not opted out by a forged refusal" "$(fix optout "$MT_C4" promotion)" 0
expect_eq "c4 consent events" "$(fix consents "$MT_C4")" 0

run_lua 06-from-auth
expect_eq "c5 opted out (dmarc=pass, trusted)" "$(fix optout "$MT_C5" promotion)" 1
expect_eq "c6 not opted out (untrusted authserv-id)" "$(fix optout "$MT_C6" promotion)" 0

run_lua 07-token
expect_eq "c7 promotion refused by token" "$(fix optout "$MT_C7" promotion)" 1
expect_eq "c7 survey untouched by a promotion token" "$(fix optout "$MT_C7" survey)" 0

run_lua 08-auto-reply
expect_eq "c1 events unchanged by an auto-reply" "$(fix consents "$MT_C1")" 2
expect_eq "c2 not opted out by an auto-reply" "$(fix optout "$MT_C2" promotion)" 0

expect_eq "c8 deliverable before the bounce" "$(fix undeliverable "$MT_C8_EMAIL")" 0
run_lua 09-bounce
expect_eq "c8 undeliverable after a proven 5.1.1 bounce (the unproven one not counted)" \
	"$(fix undeliverable "$MT_C8_EMAIL")" 1
grep -q "BOUNCE0: kind=bounce verdict=bounce .*action=route.* bounce_by=none" "$LT_TMP/milter.log" \
	|| lt_fail "the unproven bounce was not routed to support"
grep -q "BOUNCE1: kind=bounce verdict=bounce .*bounce_by=msgid" "$LT_TMP/milter.log" \
	|| lt_fail "the proven bounce was not counted by its Message-ID"

run_lua 10-support-staff
expect_eq "c9 opted out by a refusal to staff" "$(fix optout "$MT_C9" promotion)" 1

run_lua 16-ordinary
grep -q "ORDINARY1: cannot be a LINKS reply: accepted at end of headers" "$LT_TMP/milter.log" \
	|| lt_fail "the stranger's mail to staff was not accepted at end of headers"
grep -q "ORDINARY1: kind=" "$LT_TMP/milter.log" && lt_fail "the stranger's mail to staff was analysed"
expect_eq "c10 not opted out by a question to staff" "$(fix optout "$MT_C10" promotion)" 0
lt_ok "ordinary mail accepted at end of headers, the others read to their end"

run_lua 13-large-body
grep -q "LARGE1: .*(truncated)" "$LT_TMP/milter.log" || lt_fail "large body not marked truncated in the log"
lt_ok "large body truncated to max_body_size"

# --- one log line per message, with queue id, kind, verdict, customer, action, elapsed
grep -q "REFUSE1: kind=reply verdict=optout customer=$MT_C1 id_by=msgid optout=applied .*action=discard.* elapsed_us=[0-9]" \
	"$LT_TMP/milter.log" || lt_fail "no log line for REFUSE1"
if grep -q "c1@example.vn\|c4@example.vn" "$LT_TMP/milter.log"; then
	lt_fail "an address appears in clear in the log"
fi
lt_ok "log lines carry ids, not addresses"

# --- statistics: store counters and SIGUSR1
expect_eq "store counter milter.optouts" "$(fix counter milter.optouts)" 6
expect_eq "store counter milter.unverified" "$(fix counter milter.unverified)" 3
kill -USR1 "$LT_MILTER_PID"
lt_wait_for 5 grep -q "statistics: messages=" "$LT_TMP/milter.log" || lt_fail "no statistics on SIGUSR1"
lt_ok "SIGUSR1 logs statistics"

# --- store unavailable: tempfail, then recovery
# --- store locked past store_busy_timeout (2 s here): tempfail, then recovery
lt_store_lock "$LT_TMP/store/links.db"
run_lua 11-tempfail
lt_store_unlock
grep -q "TEMPFAIL1: kind=reply store failure (.*): tempfail" "$LT_TMP/milter.log" \
	|| lt_fail "no log line for the store failure"
expect_eq "c10 not opted out while the store was locked" "$(fix optout "$MT_C10" promotion)" 0

# --- SIGHUP: a good reload switches to archive; a bad one is rejected
# shellcheck disable=SC2086
lt_write_conf "$CONF.new" $BASE_OPTS pure_refusal_action=archive archive_address=archive@ilinks.asia
mv "$CONF.new" "$CONF"
MT_PID=$LT_MILTER_PID
MT_LOG="$LT_TMP/milter.log"
export MT_PID MT_LOG
run_lua 14-reload-midway	# sends the SIGHUP in the middle of a message
lt_wait_for 10 grep -q "reloaded the configuration" "$LT_TMP/milter.log" || lt_fail "no reload on SIGHUP"
kill -0 "$LT_MILTER_PID" || lt_fail "the milter died on SIGHUP"
run_lua 12-archive
expect_eq "c10 opted out after the store came back" "$(fix optout "$MT_C10" promotion)" 1

echo "pure_refusal_action = no-such-action" >> "$CONF"
kill -HUP "$LT_MILTER_PID"
lt_wait_for 10 grep -q "reload: .*keeping the running configuration" "$LT_TMP/milter.log" \
	|| lt_fail "a bad configuration was not rejected on SIGHUP"
MT_ARCHIVE_N=2
export MT_ARCHIVE_N
run_lua 12-archive
lt_ok "a bad reload keeps the running configuration"

# --- store_failure_action = accept: delivered to a person, nothing recorded
# shellcheck disable=SC2086
lt_write_conf "$CONF.new" $BASE_OPTS store_failure_action=accept
mv "$CONF.new" "$CONF"
RELOADS=$(grep -c "reloaded the configuration" "$LT_TMP/milter.log")
kill -HUP "$LT_MILTER_PID"
reloaded_again() {
	[ "$(grep -c "reloaded the configuration" "$LT_TMP/milter.log")" -gt "$RELOADS" ]
}
lt_wait_for 10 reloaded_again || lt_fail "no reload for store_failure_action = accept"
lt_store_lock "$LT_TMP/store/links.db"
run_lua 15-degraded
lt_store_unlock
expect_eq "c2 not opted out while the store was locked" "$(fix optout "$MT_C2" promotion)" 0
grep -q "DEGRADED1: .*action=route(degraded)" "$LT_TMP/milter.log" || lt_fail "no degraded log line"

# --- SIGTERM: clean stop, socket removed
pid=$LT_MILTER_PID
kill -TERM "$pid"
lt_wait_for 15 sh -c "! kill -0 $pid" || lt_fail "the milter did not stop on SIGTERM"
wait "$pid"
expect_eq "exit status after SIGTERM" "$?" 0
LT_MILTER_PID=""
grep -q "stopped" "$LT_TMP/milter.log" || lt_fail "no 'stopped' log line"
lt_milter_log_clean
lt_ok "clean stop"
exit 0
