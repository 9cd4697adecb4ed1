#!/bin/sh
# NAME
#	rely-hostile-mail.sh - injected X-Links-* headers and forged tokens, through Postfix
# DESCRIPTION
#	links-milter behind a private Postfix (recipient_delimiter "+", as a
#	site using unsubscribe tokens needs). Checks:
#	  - X-Links-* headers written by the sender (any case, folded,
#	    repeated) are gone from every delivered copy: mail straight to
#	    support@ and to staff@, and a question to noreply@ rerouted to
#	    support@ (which carries only the milter's own X-Links-* headers);
#	  - forged refusals opt nobody out and still reach a person: a
#	    genuine token with one character altered, a guessed token of the
#	    right length and alphabet, a token of another category's
#	    signature spliced onto a customer; a customer's genuine token
#	    sent by another customer (From and envelope of B, token of A)
#	    never opts B out.
#	What is already proven elsewhere is not repeated here: the spoofed
#	From without a reference (tests/e2e/milter-postfix.sh), the short
#	malformed token (tests/miltertest/07-token.lua).
#	Skips (77) when Postfix or swaks are absent or not running as root.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init rely-hostile-mail

lt_need_root
lt_need_tool postfix postconf swaks
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

FIX="$top_builddir/tests/miltertest/milter-fixture"
CONF="$LT_TMP/links.conf"
lt_write_conf "$CONF"
"$FIX" -c "$CONF" init || lt_fail "store init"
fix() {
	"$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}
A=$(fix customer a@example.vn)
B=$(fix customer b@example.vn)
Q=$(fix customer q@example.vn)
TAG="host$$"
fix msglog "$TAG.q@ilinks.asia" "$Q" account
TOK_A=$(fix token "$A" promotion)
TOK_B=$(fix token "$B" promotion)
TOK_A_ACC=$(fix token "$A" account)
[ ${#TOK_A} -gt 10 ] || lt_fail "no token: $TOK_A"

lt_milter_start "$CONF"
PORT=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx" "$PORT" "unix:$LT_TMP/milter.sock"
postconf -c "$LT_TMP/mx/etc" -e "recipient_delimiter = +" || lt_fail "postconf"
postfix -c "$LT_TMP/mx/etc" reload >/dev/null 2>&1 || lt_fail "postfix reload"
sleep 1

send() {
	lt_swaks --server "127.0.0.1:$PORT" --add-header "MIME-Version: 1.0" \
		--add-header "Content-Type: text/plain; charset=utf-8" \
		--add-header "Content-Transfer-Encoding: 8bit" "$@" \
		|| lt_fail "swaks $*: $(tail -n 5 "$LT_TMP/swaks.last")"
}
INJECT="--add-header X-Links-Verdict:injected-optout --add-header X-Links-Customer:999999
	--add-header x-links-optout:injected --add-header X-LINKS-CATEGORY:injected
	--add-header X-Links-Customer:999998"

# --- 1. injected X-Links-* headers
send --from outsider@example.net --to support@ilinks.asia $INJECT \
	--header "X-Links-Evil: first line
 injected-continuation" --header "Subject: Hỏi về hóa đơn" --body "Xin chào, cho tôi hỏi?"
send --from outsider@example.net --to staff@ilinks.asia $INJECT \
	--header "Subject: Gửi nhân viên" --body "Xin chào"
send --from q@example.vn --to noreply@ilinks.asia $INJECT \
	--header "Subject: Re: Hợp đồng" --header "In-Reply-To: <$TAG.q@ilinks.asia>" \
	--body "Cho tôi hỏi hợp đồng còn hạn không?"
grep -q "X-LINKS-CATEGORY:injected" "$LT_TMP/swaks.last" \
	|| lt_fail "swaks did not send the injected headers"
lt_wait_maildir support 2 20 || lt_fail "support did not get both messages"
lt_wait_maildir staff 1 20 || lt_fail "staff did not get its message"
for f in "$LT_TMP"/mx/mail/support/new/* "$LT_TMP"/mx/mail/staff/new/*; do
	if grep -Eiq "injected|99999[89]" "$f"; then
		lt_fail "$(basename "$(dirname "$(dirname "$f")")"): an injected X-Links header survived: $(grep -Ei 'injected|99999' "$f" | head -n 3)"
	fi
done
grep -l "^X-Links-Customer: $Q\$" "$LT_TMP"/mx/mail/support/new/* >/dev/null \
	|| lt_fail "the rerouted question lost the milter's own X-Links-Customer"
lt_ok "X-Links-* from outside removed from mail to support@, staff@ and a rerouted question"

# --- 2. forged tokens
alter() {	# change the character in the middle to the next one of the alphabet
	printf '%s' "$1" | awk '{ m = int(length($0) / 2); c = substr($0, m, 1)
		a = "abcdefghijklmnopqrstuvwxyz234567"; i = index(a, c); n = substr(a, i % 32 + 1, 1)
		print substr($0, 1, m - 1) n substr($0, m + 1) }'
}
ALTERED=$(alter "$TOK_A")
[ "$ALTERED" != "$TOK_A" ] && [ ${#ALTERED} -eq ${#TOK_A} ] || lt_fail "alter: $ALTERED"
GUESSED=$(od -An -N64 -tu1 /dev/urandom | tr -s ' \n' '\n\n' | grep . \
	| awk -v n=${#TOK_A} 'BEGIN { a = "abcdefghijklmnopqrstuvwxyz234567" }
		{ s = s substr(a, $1 % 32 + 1, 1) } END { print substr(s, 1, n) }')
# A's payload (first half) with the signature part of B's token
SPLICED=$(printf '%s\n%s\n' "$TOK_A" "$TOK_B" | awk 'NR == 1 { a = $0 } NR == 2 {
	m = int(length(a) / 2); print substr(a, 1, m) substr($0, m + 1) }')
[ "$SPLICED" != "$TOK_A" ] || lt_fail "splice"
before=$(lt_maildir_count support)
n=0
for t in "$ALTERED" "$GUESSED" "$SPLICED" "$(alter "$TOK_A_ACC")"; do
	send --from a@example.vn --to "noreply+$t@ilinks.asia" \
		--header "From: A <a@example.vn>" --header "Subject: unsubscribe" --body "Từ chối"
	n=$((n + 1))
done
lt_wait_maildir support $((before + n)) 20 || lt_fail "forged token messages did not all reach support"
for id in "$A" "$B"; do
	[ "$(fix optout "$id" promotion)" = 0 ] || lt_fail "customer $id opted out by a forged token"
	[ "$(fix consents "$id")" = 0 ] || lt_fail "customer $id has consent events after forged tokens"
done
grep -c "^X-Links-Optout: unverified" "$LT_TMP"/mx/mail/support/new/* | awk -F: '{ n += $2 } END { exit !(n >= 4) }' \
	|| lt_fail "the forged-token messages are not marked X-Links-Optout: unverified"
lt_ok "altered, guessed and spliced tokens opt nobody out; $n messages reach support unverified"

# B sends A's genuine token: B is never opted out.
send --from b@example.vn --to "noreply+$TOK_A@ilinks.asia" \
	--header "From: B <b@example.vn>" --header "Subject: Từ chối" --body "Từ chối"
sleep 1
[ "$(fix optout "$B" promotion)" = 0 ] || lt_fail "B opted out with A's token"
[ "$(fix optout "$B" survey)" = 0 ] || lt_fail "B opted out of survey with A's token"
[ "$(fix consents "$B")" = 0 ] || lt_fail "B has consent events"
lt_ok "A's token sent by B: B stays subscribed (A: promotion refused = $(fix optout "$A" promotion), the token's own customer, as the List-Unsubscribe mailto promises)"
grep -q "^X-Links" "$LT_TMP/milter.log" && lt_fail "the milter logged header text"
lt_milter_stop || lt_fail "links-milter exit status $?"
lt_milter_log_clean
exit 0
