#!/bin/sh
# NAME
#	rely-load.sh - 200 concurrent SMTP sessions through Postfix + links-milter
# DESCRIPTION
#	A private Postfix "mx" using links-milter, on loopback. For
#	LOAD_SECONDS (10; 60 with LINKS_LONG=1) smtp-source keeps
#	LOAD_SESSIONS (200) SMTP sessions open at once sending ordinary mail
#	to staff@ilinks.asia, while RELY_STREAMS (4) streams send "Từ chối"
#	replies to noreply@ with In-Reply-To a message we sent, customer
#	after customer; when every customer has refused, the streams go on
#	with new replies from customers who already refused, and some
#	replies are sent twice with the same Message-ID.
#	Checks: no milter timeout and no temporary failure in Postfix's
#	log; every reply accepted (250) by Postfix; every customer who
#	refused is opted out with exactly two consent events (promotion,
#	survey) and one confirmation, nobody else is; the milter's peak
#	memory (VmHWM) stays under LOAD_HWM_MB (256 MB; 1.5 GB when built
#	with AddressSanitizer). Prints the figures
#	(sessions, messages, replies, rates, memory) for tests/RELIABILITY.md.
#	Skips (77) when Postfix, smtp-source or swaks are absent or not
#	running as root.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init rely-load

lt_need_root
lt_need_tool postfix postconf swaks smtp-source
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

if [ -n "${LINKS_LONG:-}" ]; then
	: "${LOAD_SECONDS:=60}"
	: "${LOAD_CUSTOMERS:=600}"
else
	: "${LOAD_SECONDS:=10}"
	: "${LOAD_CUSTOMERS:=150}"
fi
: "${LOAD_SESSIONS:=200}"
: "${RELY_STREAMS:=4}"
# AddressSanitizer's quarantine and shadow memory multiply the footprint.
if ldd "$LINKS_MILTER" 2>/dev/null | grep -q libasan; then
	: "${LOAD_HWM_MB:=1536}"
else
	: "${LOAD_HWM_MB:=256}"
fi
SMTP_SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)

FIX="$top_builddir/tests/miltertest/milter-fixture"
CONF="$LT_TMP/links.conf"
lt_write_conf "$CONF" store_busy_timeout=10000 log_level=info
"$FIX" -c "$CONF" init || lt_fail "store init"
fix() {
	"$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}
TAG="load$$"
i=1
while [ "$i" -le "$LOAD_CUSTOMERS" ]; do
	id=$(fix customer "k$i@example.vn")
	fix msglog "$TAG.k$i@ilinks.asia" "$id" promotion
	echo "$id" >"$LT_TMP/id.$i"
	i=$((i + 1))
done
# One customer who never replies: must stay subscribed.
QUIET=$(fix customer "quiet@example.vn")
fix msglog "$TAG.quiet@ilinks.asia" "$QUIET" promotion
lt_ok "$LOAD_CUSTOMERS customers, each with a message in the message log"

lt_milter_start "$CONF"
PORT=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx" "$PORT" "unix:$LT_TMP/milter.sock"
# Room for every session: the helper's limits are for small tests.
postconf -c "$LT_TMP/mx/etc" -e "default_process_limit = $((LOAD_SESSIONS + 50))" \
	"smtpd_client_connection_count_limit = 0" "smtpd_client_connection_rate_limit = 0" \
	"smtpd_client_message_rate_limit = 0" "in_flow_delay = 0" \
	|| lt_fail "postconf"
postfix -c "$LT_TMP/mx/etc" reload >/dev/null 2>&1 || lt_fail "postfix reload"
sleep 1
hwm_kb() {
	sed -n 's/^VmHWM:[^0-9]*\([0-9]*\) kB/\1/p' "/proc/$LT_MILTER_PID/status"
}
HWM0=$(hwm_kb)

# One stream: refusals for customers S, S+STREAMS, ... until the time is up.
stream() {
	s=$1
	end=$2
	i=$s
	n=0
	pass=1
	while [ "$(date +%s)" -lt "$end" ]; do
		if [ "$i" -gt "$LOAD_CUSTOMERS" ]; then
			i=$s
			pass=$((pass + 1))
		fi
		mid="$TAG.reply.k$i.p$pass@example.vn"
		reps=1
		[ $((n % 5)) -eq 4 ] && reps=2		# the same reply twice
		r=0
		while [ "$r" -lt "$reps" ]; do
			if timeout 60 swaks --timeout 30 --server "127.0.0.1:$PORT" \
				--from "k$i@example.vn" --to noreply@ilinks.asia \
				--add-header "MIME-Version: 1.0" \
				--add-header "Content-Type: text/plain; charset=utf-8" \
				--add-header "Content-Transfer-Encoding: 8bit" \
				--header "Subject: Re: Khuyến mãi" \
				--header "In-Reply-To: <$TAG.k$i@ilinks.asia>" \
				--header "Message-ID: <$mid>" \
				--body "Từ chối" >"$LT_TMP/swaks.$s.last" 2>&1; then
				echo "$i" >>"$LT_TMP/refused.$s"
			else
				echo "$i $(grep '^<\*\*' "$LT_TMP/swaks.$s.last" | head -n 1)" >>"$LT_TMP/failed.$s"
			fi
			r=$((r + 1))
			n=$((n + 1))
		done
		i=$((i + RELY_STREAMS))
	done
	echo "$n" >"$LT_TMP/count.$s"
}

T0=$(date +%s)
END=$((T0 + LOAD_SECONDS))
timeout $((LOAD_SECONDS + 5)) "$SMTP_SOURCE" -c -l 2048 -m 10000000 -s "$LOAD_SESSIONS" \
	-f bg@example.net -t staff@ilinks.asia "127.0.0.1:$PORT" >"$LT_TMP/source.out" 2>&1 &
SRC_PID=$!
lt_cleanup_add "kill $SRC_PID"
s=1
pids=""
while [ "$s" -le "$RELY_STREAMS" ]; do
	stream "$s" "$END" &
	pids="$pids $!"
	s=$((s + 1))
done
# Sessions open at once, sampled while the load runs.
PEAK=0
while [ "$(date +%s)" -lt "$END" ]; do
	c=$(ss -Htn state established "( sport = :$PORT )" 2>/dev/null | wc -l)
	[ "$c" -gt "$PEAK" ] && PEAK=$c
	sleep 0.05
done
for p in $pids; do
	wait "$p"
done
kill -TERM "$SRC_PID" 2>/dev/null
wait "$SRC_PID" 2>/dev/null
T1=$(date +%s)
HWM1=$(hwm_kb)

# Let Postfix finish what it accepted.
queue_empty() {
	[ "$(lt_postfix_queue_count)" -eq 0 ]
}
lt_wait_for 120 queue_empty || lt_fail "the mx queue did not drain: $(lt_postfix_queue_count) left"

REPLIES=$(cat "$LT_TMP"/count.* | awk '{ n += $1 } END { print n + 0 }')
FAILED=$(cat "$LT_TMP"/failed.* 2>/dev/null | wc -l)
BG=$(grep -c "from=<bg@example.net>, size=" "$LT_TMP/mx/maillog")
echo "figures: duration=$((T1 - T0))s sessions=$LOAD_SESSIONS peak_established=$PEAK background_messages=$BG replies=$REPLIES failed_replies=$FAILED milter_hwm_kb_before=$HWM0 milter_hwm_kb_after=$HWM1"

[ "$FAILED" -eq 0 ] || lt_fail "$FAILED replies not accepted: $(cat "$LT_TMP"/failed.* | head -n 3)"
# Sampled every 0.05 s: sessions between two messages are not counted, a
# loaded CI host opens them more slowly, and a fast one ends them sooner
# (smtp-source opens one per message: sessions open at once = its rate x
# a session's length, 48-64 of 200 on an idle 2-core host); an eighth
# is the sanity bound: the load was concurrent, not one session after
# another.
[ "$PEAK" -ge $((LOAD_SESSIONS / 8)) ] || lt_fail "only $PEAK sessions were open at once"
[ "$BG" -gt 0 ] || lt_fail "smtp-source delivered nothing: $(tail -n 3 "$LT_TMP/source.out")"
# ("lost connection after ..." lines are smtp-source's sessions cut when it is stopped)
if grep -Eiq "milter.*(timeout|timed out)|451 4\.|milter-reject" "$LT_TMP/mx/maillog"; then
	lt_fail "milter timeout or temporary failure: $(grep -Ei 'milter.*(timeout|timed out)|451 4\.|milter-reject' "$LT_TMP/mx/maillog" | head -n 3)"
fi
lt_ok "$REPLIES replies and $BG other messages in $((T1 - T0)) s with up to $PEAK sessions: no milter timeout, no temporary failure"

# Every customer who refused: opted out once; nobody else.
sort -un "$LT_TMP"/refused.* >"$LT_TMP/refused"
NREF=$(wc -l <"$LT_TMP/refused")
while read -r i; do
	id=$(cat "$LT_TMP/id.$i")
	[ "$(fix optout "$id" promotion)" = 1 ] || lt_fail "k$i refused but is not opted out (lost)"
	[ "$(fix consents "$id")" = 2 ] || lt_fail "k$i has $(fix consents "$id") consent events, expected 2"
done <"$LT_TMP/refused"
i=1
while [ "$i" -le "$LOAD_CUSTOMERS" ]; do
	if ! grep -qx "$i" "$LT_TMP/refused"; then
		id=$(cat "$LT_TMP/id.$i")
		[ "$(fix optout "$id" promotion)" = 0 ] || lt_fail "k$i opted out without refusing"
	fi
	i=$((i + 1))
done
[ "$(fix optout "$QUIET" promotion)" = 0 ] || lt_fail "a customer who never replied is opted out"
[ "$(fix outbox)" = "$NREF" ] || lt_fail "confirmations: $(fix outbox), expected $NREF (one per customer)"
lt_ok "$NREF customers refused: each opted out with exactly 2 consent events and 1 confirmation; nobody else"

[ $((HWM1 / 1024)) -lt "$LOAD_HWM_MB" ] || lt_fail "milter peak memory $((HWM1 / 1024)) MB, bound $LOAD_HWM_MB MB"
lt_ok "milter peak memory $((HWM0 / 1024)) MB before, $((HWM1 / 1024)) MB after the load"
lt_milter_stop || lt_fail "links-milter exit status $? after SIGTERM"
lt_milter_log_clean
exit 0
