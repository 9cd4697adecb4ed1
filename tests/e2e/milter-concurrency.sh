#!/bin/sh
# NAME
#	milter-concurrency.sh - 16 concurrent SMTP sessions through Postfix + links-milter
# DESCRIPTION
#	Sixteen customers each reply "Từ chối" to a message in the message
#	log, all at once, through a private Postfix using links-milter, then
#	a second round repeats every message (same Message-ID). Checks that
#	every session got 250, no milter timeout or tempfail appears in the
#	Postfix log, every customer is opted out with exactly one consent
#	event per refusable category (two), one confirmation each, and the
#	milter logged one line per message.
#	Skips (77) when Postfix or swaks are absent or not running as root.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
lt_init milter-concurrency

lt_need_root
lt_need_tool postfix swaks
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

N=16
FIX="$top_builddir/tests/miltertest/milter-fixture"
CONF="$LT_TMP/links.conf"
lt_write_conf "$CONF" store_busy_timeout=10000
"$FIX" -c "$CONF" init || lt_fail "store init"
fix() {
	"$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}
TAG="conc$$"
i=1
while [ "$i" -le "$N" ]; do
	id=$(fix customer "k$i@example.vn")
	fix msglog "$TAG.k$i@ilinks.asia" "$id" promotion
	eval "ID_$i=$id"
	i=$((i + 1))
done

lt_milter_start "$CONF"
PORT=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx" "$PORT" "unix:$LT_TMP/milter.sock"

send_round() {
	round=$1
	i=1
	pids=""
	while [ "$i" -le "$N" ]; do
		timeout 60 swaks --timeout 30 --server "127.0.0.1:$PORT" \
			--from "k$i@example.vn" --to noreply@ilinks.asia \
			--add-header "MIME-Version: 1.0" \
			--add-header "Content-Type: text/plain; charset=utf-8" \
			--add-header "Content-Transfer-Encoding: 8bit" \
			--header "Subject: Re: Khuyến mãi" \
			--header "In-Reply-To: <$TAG.k$i@ilinks.asia>" \
			--header "Message-ID: <$TAG.reply.k$i@example.vn>" \
			--body "Từ chối" >"$LT_TMP/swaks.$round.$i" 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	failed=0
	for p in $pids; do
		wait "$p" || failed=$((failed + 1))
	done
	[ "$failed" -eq 0 ] || lt_fail "round $round: $failed of $N SMTP sessions failed ($(grep -h '^<\*\*' "$LT_TMP"/swaks.$round.* | head -n 3))"
	lt_ok "round $round: $N concurrent sessions accepted"
}

send_round 1
send_round 2

discards() {
	grep -c "milter-discard" "$LT_TMP/mx/maillog"
}
all_done() {
	[ "$(discards)" -ge $((2 * N)) ]
}
lt_wait_for 30 all_done || lt_fail "only $(discards) of $((2 * N)) messages were handled"
if grep -Eq "milter .*(timeout|Connection timed out)|451 4\.|milter-reject" "$LT_TMP/mx/maillog"; then
	lt_fail "milter timeout or temporary failure: $(grep -E 'timeout|451|milter-reject' "$LT_TMP/mx/maillog" | head -n 3)"
fi
lt_ok "no milter timeout, no temporary failure"

i=1
while [ "$i" -le "$N" ]; do
	eval "id=\$ID_$i"
	[ "$(fix optout "$id" promotion)" = 1 ] || lt_fail "k$i not opted out"
	[ "$(fix consents "$id")" = 2 ] || lt_fail "k$i has $(fix consents "$id") opt-out events, expected 2"
	i=$((i + 1))
done
lt_ok "every customer opted out, each event recorded exactly once"
[ "$(fix outbox)" = "$N" ] || lt_fail "confirmations queued: $(fix outbox), expected $N"
lt_ok "one confirmation per customer"
LINES=$(grep -c "kind=reply verdict=optout .*optout=applied" "$LT_TMP/milter.log")
[ "$LINES" = $((2 * N)) ] || lt_fail "$LINES milter log lines, expected $((2 * N))"
[ "$(fix counter milter.messages)" = $((2 * N)) ] || lt_fail "milter.messages = $(fix counter milter.messages)"
lt_ok "one log line and one counted message per delivery"
lt_milter_stop || lt_fail "links-milter exit status $? after SIGTERM"
lt_milter_log_clean
lt_ok "clean stop"
exit 0
