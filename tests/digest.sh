#!/bin/sh
# NAME
#	digest.sh - links-sender digest tells support what happened in the window, and only then
# DESCRIPTION
#	Fills a store over three "days" through the real producers: the
#	milter (links-milter under miltertest: a customer's "Từ chối" reply,
#	a refusal that also asks, a forged refusal (unverified), the
#	List-Unsubscribe mailto token, a question to noreply@, a proven and
#	an unproven bounce) and links-store (staff opt-out and opt-in with
#	a note). After each day every recorded time is moved one day back
#	(sqlite3), so the first day becomes the day before yesterday and
#	the second yesterday. Then links-sender digest, into a dir
#	transport, must:
#	  - write one standard mail (tests/digest-check.py: From noreply@
#	    with the company name, To support@, RFC 2047 subject, Date,
#	    Message-ID, Auto-Submitted: auto-generated, base64 UTF-8 text,
#	    no List-Unsubscribe), Vietnamese first, English below;
#	  - count yesterday's refusals per channel (reply, one-click/mailto,
#	    staff), the opt-in, the questions, unverified refusals and
#	    unauthenticated bounces exactly as the milter's counters grew on
#	    that day, the hard-bounced address, and list them with the
#	    customers' addresses, while nothing of the day before yesterday
#	    nor of today appears;
#	  - with --since/--until, report the day before yesterday instead;
#	  - bound its lists (--lines 1: "and 3 more");
#	  - send a "nothing new" mail for an empty window, and nothing with
#	    --skip-empty; print without sending with --dry-run;
#	  - refuse a recipient outside company_domains (the digest holds
#	    customers' addresses), bad times and campaign options (exit 64,
#	    nothing written).
#	Skips (77) only when miltertest or sqlite3 is not installed.

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
lt_init digest

MILTERTEST=${MILTERTEST:-$(command -v miltertest)}
[ -n "$MILTERTEST" ] && [ -x "$MILTERTEST" ] || lt_skip "miltertest is not installed"
lt_need_tool sqlite3
PY=${PYTHON3:-python3}
SENDER="$top_builddir/sender/links-sender"
FIX="$top_builddir/tests/miltertest/milter-fixture"
MT_DIR="$top_srcdir/tests/miltertest"
CHECK="$top_srcdir/tests/digest-check.py"
CONF="$LT_TMP/links.conf"
DB="$LT_TMP/store/links.db"
DAY=86400

lt_write_conf "$CONF" company_domains=ilinks.asia bounce_threshold=1 \
	trusted_authserv_ids=mx.ilinks.asia max_body_size=16k company_name=LINKS \
	transport=dir "outdir=$LT_TMP/out"
"$FIX" -c "$CONF" init || lt_fail "store init"

fix() {
	"$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}

# --- customers c1..c10 and the messages we "sent" them (as milter-miltertest.sh)
MT_RUN="dg$$"
for i in 1 2 3 4 5 6 7 8 9 10; do
	eval "MT_C$i=\$(fix customer c$i@example.vn)"
done
MT_MSGID_C1="$MT_RUN.promo.c1@ilinks.asia"
MT_MSGID_C2="$MT_RUN.account.c2@ilinks.asia"
MT_MSGID_C3="$MT_RUN.survey.c3@ilinks.asia"
MT_MSGID_C8="$MT_RUN.maint.c8@ilinks.asia"
fix msglog "$MT_MSGID_C1" "$MT_C1" promotion
fix msglog "$MT_MSGID_C2" "$MT_C2" account
fix msglog "$MT_MSGID_C3" "$MT_C3" survey
fix msglog "$MT_MSGID_C8" "$MT_C8" maintenance
MT_TOKEN_C7=$(fix token "$MT_C7" promotion)
MT_C8_EMAIL=c8@example.vn
MT_BOTH_TEXT="Từ chối. Nhưng cho tôi hỏi hoá đơn tháng này đã gửi chưa?"
MT_SOCKET="$LT_TMP/milter.sock"
MT_LIB="$MT_DIR/common.lua"
MT_ARCHIVE_N=1
export MT_RUN MT_SOCKET MT_LIB MT_C1 MT_C2 MT_C3 MT_C4 MT_C5 MT_C6 MT_C7 MT_C8 MT_C9 MT_C10 \
	MT_MSGID_C1 MT_MSGID_C2 MT_MSGID_C3 MT_MSGID_C8 MT_TOKEN_C7 MT_C8_EMAIL MT_BOTH_TEXT \
	MT_ARCHIVE_N

run_lua() {
	if ! "$MILTERTEST" -s "$MT_DIR/$1.lua" >"$LT_TMP/$1.out" 2>&1; then
		cat "$LT_TMP/$1.out" >&2
		lt_fail "miltertest $1"
	fi
	grep -q "$1 passed" "$LT_TMP/$1.out" || { cat "$LT_TMP/$1.out" >&2; lt_fail "$1 did not finish"; }
}

staff() {	# staff ACTION ID [ARGS]: links-store optout/optin with a note
	"$LINKS_STORE" -c "$CONF" "$@" >/dev/null || lt_fail "links-store $*"
}

# The milter's counters the digest reports, as "name=value" lines.
COUNTERS="milter.questions milter.routed milter.unverified milter.soft_bounces milter.bounces_unverified"
counters() {
	for n in $COUNTERS; do
		echo "$n=$(fix counter "$n")"
	done
}
counter_of() {	# counter_of FILE NAME
	sed -n "s/^$2=//p" "$1"
}

# age: every recorded time one day back (the milter stopped: its counters are stored)
age() {
	sqlite3 "$DB" "BEGIN; UPDATE consent_events SET at = at - $DAY;
		UPDATE bounces SET last = last - $DAY;
		UPDATE counter_hours SET hour = -hour;
		UPDATE counter_hours SET hour = -hour - $DAY; COMMIT;" || lt_fail "aging the store"
}

# The window ends at the hour this test started in, fixed, so that an
# hour boundary during the test changes nothing.
T0=$(date +%s)
U=$((T0 - T0 % 3600))
until_arg() {	# until_arg SECONDS: a --until/--since value for that time
	date -u -d "@$1" '+%Y-%m-%d %H:%MZ'
}

# --- the day before yesterday (A): c1 replies "Từ chối", c2 asks, staff opts c10 out
counters >"$LT_TMP/c0"
lt_milter_start "$CONF"
run_lua 02-refusal-msgid
run_lua 03-question-noreply
lt_milter_stop
staff optout "$MT_C10" --note "ticket A-1"
counters >"$LT_TMP/cA"
age

# --- yesterday (B)
lt_milter_start "$CONF"
run_lua 04-optout-question	# c3: refusal (reply) and a question
run_lua 05-forged		# a refusal claiming c4: unverified, to support
run_lua 07-token		# c7: the List-Unsubscribe mailto; a bad token to support
run_lua 09-bounce		# c8: a proven 5.1.1 bounce; an unproven one to support
lt_milter_stop
staff optout "$MT_C5" --category promotion --note "ticket B-2"
staff optin "$MT_C1" --note "ticket B-3: agrees again"
counters >"$LT_TMP/cB"
age

# --- today (C): after the window
lt_milter_start "$CONF"
run_lua 03-question-noreply
lt_milter_stop
staff optout "$MT_C6" --note "ticket C-4"
lt_ok "three days recorded by links-milter and links-store"

delta() {	# delta NAME: how much counter NAME grew on day B
	echo $(($(counter_of "$LT_TMP/cB" "$1") - $(counter_of "$LT_TMP/cA" "$1")))
}
Q=$(delta milter.questions)
R=$(delta milter.routed)
V=$(delta milter.unverified)
S=$(delta milter.soft_bounces)
BU=$(delta milter.bounces_unverified)
[ "$Q" -ge 1 ] && [ "$V" -ge 1 ] && [ "$BU" -ge 1 ] \
	|| lt_fail "the milter did not count day B's question, unverified refusal and unproven bounce: $Q $V $BU"
QA=$(($(counter_of "$LT_TMP/cA" milter.questions) - $(counter_of "$LT_TMP/c0" milter.questions)))
[ "$QA" -ge 1 ] || lt_fail "the milter did not count day A's question"

# digest OUTDIR ARGS...: run it, expect exit 0, the mail decoded into $LT_TMP/mail
digest() {
	dg_out=$1
	shift
	TZ=ICT-7 "$SENDER" -c "$CONF" digest --outdir "$dg_out" "$@" >"$LT_TMP/stdout" 2>"$LT_TMP/stderr" \
		|| { cat "$LT_TMP/stderr" >&2; lt_fail "digest $* failed"; }
	set -- "$dg_out"/*.eml
	[ $# -eq 1 ] && [ -f "$1" ] || lt_fail "digest $*: expected one mail in $dg_out, got: $(ls "$dg_out")"
	"$PY" "$CHECK" "$1" noreply@ilinks.asia "${DG_TO:-support@ilinks.asia}" >"$LT_TMP/mail" \
		|| lt_fail "the digest mail is not standard (see above)"
}
has() {
	grep -qF -- "$1" "$LT_TMP/mail" || { cat "$LT_TMP/mail" >&2; lt_fail "digest lacks: $1"; }
}
has_line() {
	grep -qxF -- "$1" "$LT_TMP/mail" || { cat "$LT_TMP/mail" >&2; lt_fail "digest lacks the line: $1"; }
}
hasnt() {
	if grep -qF -- "$1" "$LT_TMP/mail"; then cat "$LT_TMP/mail" >&2; lt_fail "digest shows: $1"; fi
}

# --- yesterday's digest
digest "$LT_TMP/d1" --until "$(until_arg "$U")"
lt_ok "the digest is one standard mail: From noreply@, To support@, encoded subject, Date, Message-ID, Auto-Submitted, base64 UTF-8 text"
B=$((1 + S + BU))
has "Subject: Tóm tắt hỗ trợ "
has ": 3 từ chối, $Q câu hỏi, $B thư trả về, $V chưa xác minh (support digest)"
has "Từ chối nhận thư: 3 (trả lời \"Từ chối\": 1, nút hủy đăng ký hoặc mailto: 1, trang web: 0, nhân viên: 1, nhập CSV: 0)"
has "Đồng ý nhận lại: 1"
has_line "Câu hỏi của khách hàng chuyển đến hỗ trợ: $Q"
has "Thư trả về: địa chỉ lỗi vĩnh viễn 1 (đã ngừng gửi: 1), lỗi tạm thời $S, không xác thực được $BU"
has "Thư gửi noreply@ đã chuyển cho hỗ trợ (câu hỏi, yêu cầu chưa xác minh, thư trả về chưa xác thực): $R"
has "Yêu cầu từ chối chưa xác minh được (chưa áp dụng, đã chuyển cho hỗ trợ): $V"
has "---- English ----"
has "Refusals: 3 (reply \"Từ chối\": 1, one-click or unsubscribe mailto: 1, web page: 0, staff: 1, CSV import: 0)"
has "Agreed again (opt-in): 1"
has_line "Customer questions routed to support: $Q"
has "Bounces: addresses that failed permanently 1 (no longer mailed: 1), temporary failures $S, not authenticated $BU"
has "Mail to noreply@ rerouted to support (questions, unverified requests, unauthenticated bounces): $R"
has "Refusals that could not be verified (not applied, sent to support): $V"
has "(+0700)"
lt_ok "yesterday's counts, in Vietnamese then English: 3 refusals by channel, 1 opt-in, $Q questions, $V unverified, $B bounces"
vi_line=$(grep -n "Tóm tắt hằng ngày" "$LT_TMP/mail" | head -n 1 | cut -d: -f1)
en_line=$(grep -n "Daily digest for support" "$LT_TMP/mail" | head -n 1 | cut -d: -f1)
[ -n "$vi_line" ] && [ -n "$en_line" ] && [ "$vi_line" -lt "$en_line" ] || lt_fail "Vietnamese does not come before English"
has "== Từ chối và đồng ý lại / Refusals and opt-ins: 4 =="
has "#$MT_C3 c3@example.vn  từ chối / refused  reply \"Từ chối\"  survey, promotion"
has "#$MT_C7 c7@example.vn  từ chối / refused  one-click or unsubscribe mailto  promotion"
grep -F "#$MT_C5 c5@example.vn  từ chối / refused  staff (" "$LT_TMP/mail" | grep -qF ")  promotion" \
	|| { cat "$LT_TMP/mail" >&2; lt_fail "staff refusal of c5 with its actor not listed"; }
has "#$MT_C1 c1@example.vn  đồng ý lại / agreed again  staff ("
has "== Địa chỉ lỗi vĩnh viễn / Addresses that bounced permanently: 1 =="
has "#$MT_C8 c8@example.vn  1 lần / time; đã ngừng gửi / no longer mailed"
hasnt "c10@example.vn"
hasnt "c6@example.vn"
hasnt "c2@example.vn"
hasnt "#$MT_C1 c1@example.vn  từ chối"
lt_ok "yesterday's refusals, opt-in and bounce listed with the customers' addresses; nothing of the day before nor of today"
if grep -q "@example.vn" "$LT_TMP/stdout" "$LT_TMP/stderr"; then
	lt_fail "the digest's output names a customer: $(cat "$LT_TMP/stdout" "$LT_TMP/stderr")"
fi
grep -q "^digest sent to support@ilinks.asia: 3 refusals, 1 opt-ins, $Q questions, $B bounces, $V unverified" \
	"$LT_TMP/stdout" || lt_fail "digest output: $(cat "$LT_TMP/stdout")"
lt_ok "the command says what it sent, without a customer's address"

# --- the day before yesterday, with --since/--until
digest "$LT_TMP/d2" --since "$(until_arg $((U - 2 * DAY)))" --until "$(until_arg $((U - DAY)))"
has ": 2 từ chối, $QA câu hỏi, 0 thư trả về, 0 chưa xác minh (support digest)"
has "Refusals: 2 (reply \"Từ chối\": 1, one-click or unsubscribe mailto: 0, web page: 0, staff: 1, CSV import: 0)"
has "#$MT_C1 c1@example.vn  từ chối / refused  reply \"Từ chối\""
has "#$MT_C10 c10@example.vn  từ chối / refused  staff ("
hasnt "c3@example.vn"
hasnt "c8@example.vn"
lt_ok "--since/--until: the day before yesterday, and only it"

# --- bounded lists
digest "$LT_TMP/d3" --until "$(until_arg "$U")" --lines 1
has "== Từ chối và đồng ý lại / Refusals and opt-ins: 4 =="
has "... và 3 mục khác / and 3 more"
[ "$(grep -c "^  20[0-9-]* [0-9:]*  #" "$LT_TMP/mail")" -eq 2 ] \
	|| { cat "$LT_TMP/mail" >&2; lt_fail "--lines 1: more than one line per list"; }
lt_ok "--lines 1: one line per list, then \"và 3 mục khác / and 3 more\""

# --- an empty window: a short mail, or none with --skip-empty
digest "$LT_TMP/d4" --since 2020-01-01 --until 2020-01-02
has "không có gì mới (support digest: nothing new)"
has "Nothing happened in this window. This mail shows that the daily digest still runs."
has "Refusals: 0 ("
lt_ok "an empty window still sends a short \"nothing new\" mail"
mkdir "$LT_TMP/d5"
"$SENDER" -c "$CONF" digest --outdir "$LT_TMP/d5" --since 2020-01-01 --until 2020-01-02 --skip-empty \
	>"$LT_TMP/stdout" 2>&1 || lt_fail "--skip-empty failed: $(cat "$LT_TMP/stdout")"
[ -z "$(ls "$LT_TMP/d5")" ] || lt_fail "--skip-empty wrote a mail"
grep -q "no digest sent (--skip-empty)" "$LT_TMP/stdout" || lt_fail "--skip-empty: $(cat "$LT_TMP/stdout")"
lt_ok "--skip-empty: nothing sent for an empty window"

# --- --dry-run prints, sends nothing (the configured dir transport stays empty)
TZ=ICT-7 "$SENDER" -c "$CONF" digest --dry-run --until "$(until_arg "$U")" >"$LT_TMP/mail" 2>&1 \
	|| lt_fail "--dry-run failed: $(cat "$LT_TMP/mail")"
has "To: support@ilinks.asia"
has "Subject: Tóm tắt hỗ trợ "
has "Refusals: 3 ("
has "(--dry-run: nothing was sent)"
[ ! -d "$LT_TMP/out" ] || [ -z "$(ls "$LT_TMP/out")" ] || lt_fail "--dry-run wrote a mail"
lt_ok "--dry-run prints the digest readably and sends nothing"

# --- the configured transport (dir into outdir), --to another company address
DG_TO=lan.pham@ilinks.asia
TZ=ICT-7 "$SENDER" -c "$CONF" digest --to lan.pham@ilinks.asia --until "$(until_arg "$U")" \
	>"$LT_TMP/stdout" 2>&1 || lt_fail "digest --to: $(cat "$LT_TMP/stdout")"
set -- "$LT_TMP"/out/digest-*.eml
[ $# -eq 1 ] && [ -f "$1" ] || lt_fail "no digest in the configured outdir"
"$PY" "$CHECK" "$1" noreply@ilinks.asia lan.pham@ilinks.asia >"$LT_TMP/mail" || lt_fail "digest --to: not standard"
has "Refusals: 3 ("
lt_ok "the transport of links.conf, --to another company address"

# --- refusals: exit 64, nothing written
refuse() {	# refuse MESSAGE ARGS...
	rf_msg=$1
	shift
	mkdir -p "$LT_TMP/r"
	"$SENDER" -c "$CONF" digest --outdir "$LT_TMP/r" "$@" >"$LT_TMP/stdout" 2>"$LT_TMP/stderr"
	rf_ex=$?
	[ "$rf_ex" -eq 64 ] || lt_fail "digest $*: exit $rf_ex, expected 64"
	grep -qF -- "$rf_msg" "$LT_TMP/stderr" || lt_fail "digest $*: $(cat "$LT_TMP/stderr")"
	[ -z "$(ls "$LT_TMP/r")" ] || lt_fail "digest $*: wrote a mail"
}
refuse "it goes only to an address of company_domains" --to an.customer@gmail.com
refuse "expected YYYY-MM-DD" --since yesterday
refuse "expected YYYY-MM-DD" --until 2026-13-01
refuse "--until must come after --since" --since 2026-01-02 --until 2026-01-01
refuse "--lines: expected a number" --lines many
refuse "digest takes --since" --category promotion
refuse "choose one" --dry-run
"$SENDER" -c "$CONF" status --lines 3 >/dev/null 2>&1
[ $? -eq 64 ] || lt_fail "status --lines accepted"
lt_ok "a recipient outside the company, bad times, --lines and campaign options refused (64), nothing written"
