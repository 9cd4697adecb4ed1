#!/bin/sh
# NAME
#	web-curl.sh - links-web over real HTTP: one-click, pages, bad input, a locked store
# DESCRIPTION
#	Starts links-web on a free 127.0.0.1 port with a private store (the
#	shipped sample customers) and talks to it with curl:
#	 - GET of an unsubscribe link: 200, Vietnamese and English, the
#	   security headers, and nothing changes in the store (a mail
#	   scanner following links must not unsubscribe anyone);
#	 - RFC 8058 one-click POST (urlencoded, and multipart as some
#	   providers send it): 200 and no redirect; the refusal is recorded
#	   once with channel one_click; a repeat answers 200 and records
#	   nothing;
#	 - forged, altered, expired, undated-past-the-date, other-category
#	   and unknown links, over-long paths, wrong methods, wrong content
#	   types, bodies over web_request_max: each its 4xx page, nothing
#	   recorded;
#	 - the store locked by another writer: 503 with Retry-After, nothing
#	   recorded; after the lock goes, the same POST records once;
#	 - the per-client rate limit: 429 with Retry-After;
#	 - -n, --help, --version, a reload on SIGHUP, a clean stop.
#	Needs curl and sqlite3 (skips without them).
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_need_tool curl sqlite3
lt_init web-curl
[ -x "$LINKS_WEB" ] || lt_fail "$LINKS_WEB is not built"
TOKEN=$top_builddir/tests/web-token
PORT=$(lt_free_port) || lt_fail "no free port"
C=$LT_TMP/links.conf
lt_write_conf "$C" "web_listen=127.0.0.1:$PORT" "web_base_url=https://lienket.ilinks.test/" \
	"web_rate_limit=0" "company_name=LINKS Test" "web_request_max=1k"
lt_store_init "$C" >/dev/null
"$LINKS_STORE" -c "$C" import "$top_srcdir/config/customers.sample.csv" >/dev/null \
	|| lt_fail "import"
AN=an.nguyen@example.vn
BINH=binh.tran@example.vn
CUONG=cuong.le@example.vn
AN_ID=$(lt_customer_id "$C" $AN)
BINH_ID=$(lt_customer_id "$C" $BINH)
CUONG_ID=$(lt_customer_id "$C" $CUONG)

# http METHOD PATH [CURL ARGS...]: print the status; headers in h, body in b.
http() {
	hm=$1
	hp=$2
	shift 2
	if [ "$hm" = HEAD ]; then
		set -- -I "$@"
	else
		set -- -X "$hm" "$@"
	fi
	curl -s -o "$LT_TMP/b" -D "$LT_TMP/h" -w '%{http_code}' --max-time 20 \
		-H "X-Forwarded-For: $CLIENT_IP" "$@" "$LT_WEB_URL$hp"
}
expect() {	# expect STATUS WHAT METHOD PATH [CURL ARGS...]
	es=$1
	ew=$2
	shift 2
	got=$(http "$@")
	[ "$got" = "$es" ] || { head -c 600 "$LT_TMP/b" >&2; lt_fail "$ew: status $got, expected $es"; }
	lt_ok "$ew: $es"
}
header() {	# header NAME: its value in the last answer
	tr -d '\r' <"$LT_TMP/h" | sed -n "s/^$1: *//Ip" | head -n 1
}
events() {	# events EMAIL: consent events on record
	"$LINKS_STORE" -c "$C" consent-log "$1" | grep -c . || true
}
ONE="List-Unsubscribe=One-Click"
CLIENT_IP=198.51.100.23		# the customer, as the proxy (127.0.0.1) names them

# ---- the program ----
"$LINKS_WEB" --version | grep -q "^links-web " || lt_fail "--version"
"$LINKS_WEB" --help | grep -q -- "-n " || lt_fail "--help"
"$LINKS_WEB" -n -c "$C" >/dev/null || lt_fail "-n refuses a good configuration"
"$LINKS_WEB" -n -c "$C" -o web_base_url=http://lienket.test/ 2>"$LT_TMP/n.err" && lt_fail "-n accepted an http base URL"
[ $? -eq 78 ] || lt_fail "-n: exit status for a bad base URL is not 78 (EX_CONFIG)"
grep -q "https://" "$LT_TMP/n.err" || lt_fail "-n does not say why: $(cat "$LT_TMP/n.err")"
"$LINKS_WEB" -n -c "$C" -o web_listen=127.0.0.1:99999 2>/dev/null && lt_fail "-n accepted port 99999"
"$LINKS_WEB" -n -c "$C" -o web_undated_tokens_until=soon 2>/dev/null && lt_fail "-n accepted a bad date"
lt_ok "--version, --help, -n (good, bad base URL, bad port, bad date)"

lt_web_start "$C"
T_AN=$("$TOKEN" "$C" "$AN_ID" promotion) || lt_fail "web-token"

# ---- GET changes nothing ----
expect 200 "GET of an unsubscribe link shows the page" GET "/u/$T_AN"
grep -q "Ngừng nhận email khuyến mãi" "$LT_TMP/b" || lt_fail "the page does not say which mail stops"
grep -q 'lang="en"' "$LT_TMP/b" || lt_fail "no English part"
grep -q '<form method="post"' "$LT_TMP/b" || lt_fail "no form"
grep -qi '<script' "$LT_TMP/b" && lt_fail "the page has a script"
header Content-Security-Policy | grep -q "frame-ancestors 'none'" || lt_fail "no CSP frame-ancestors"
header Content-Security-Policy | grep -q "default-src 'none'" || lt_fail "CSP is not default-src 'none'"
[ "$(header X-Frame-Options)" = DENY ] || lt_fail "X-Frame-Options"
[ "$(header Cache-Control)" = no-store ] || lt_fail "Cache-Control is not no-store"
[ "$(header Referrer-Policy)" = no-referrer ] || lt_fail "Referrer-Policy"
[ "$(header X-Content-Type-Options)" = nosniff ] || lt_fail "X-Content-Type-Options"
header Content-Type | grep -qi "text/html; charset=utf-8" || lt_fail "Content-Type"
expect 200 "HEAD of it" HEAD "/u/$T_AN"
expect 200 "the style sheet" GET "/links-web.css"
[ "$(events $AN)" -eq 0 ] || lt_fail "a GET changed the store"
"$LINKS_STORE" -c "$C" customer show $AN | grep -q "promotion: *accepted" || lt_fail "GET refused"
lt_ok "GET and HEAD changed nothing"

# ---- one-click: once, and a repeat changes nothing ----
expect 200 "RFC 8058 one-click POST" POST "/u/$T_AN" -d "$ONE"
[ -z "$(header Location)" ] || lt_fail "one-click answered with a redirect"
[ "$(events $AN)" -eq 1 ] || lt_fail "one-click recorded $(events $AN) events, not 1"
"$LINKS_STORE" -c "$C" consent-log $AN | grep -q "promotion.*refused.*one_click.*one-click POST" \
	|| lt_fail "the event is not a one_click refusal: $("$LINKS_STORE" -c "$C" consent-log $AN)"
"$LINKS_STORE" -c "$C" consent-log $AN | grep -q "$CLIENT_IP" && lt_fail "the IP address is in clear"
expect 200 "the same POST again" POST "/u/$T_AN" -d "$ONE"
expect 200 "and once more (multipart)" POST "/u/$T_AN" -F "List-Unsubscribe=One-Click"
[ "$(events $AN)" -eq 1 ] || lt_fail "a repeat recorded a second event"
lt_ok "one-click records exactly once"
T_B=$("$TOKEN" "$C" "$BINH_ID" survey)
expect 200 "one-click as multipart/form-data" POST "/u/$T_B" -F "List-Unsubscribe=One-Click"
"$LINKS_STORE" -c "$C" customer show $BINH | grep -q "survey: *refused" || lt_fail "multipart not applied"
"$LINKS_STORE" -c "$C" customer show $BINH | grep -q "promotion: *accepted" \
	|| lt_fail "a survey link refused promotions too"

# ---- bad links and bad requests: 4xx, nothing changes ----
before=$("$LINKS_STORE" -c "$C" stats | md5sum)
T_C=$("$TOKEN" "$C" "$CUONG_ID" promotion)
ALT=$(printf '%s' "$T_C" | sed 's/^\(.....\)./\1a/')
[ "$ALT" = "$T_C" ] && ALT=$(printf '%s' "$T_C" | sed 's/^\(.....\)./\1b/')
expect 404 "an altered link" POST "/u/$ALT" -d "$ONE"
grep -q "Liên kết không hợp lệ" "$LT_TMP/b" || lt_fail "the 404 page does not say the link is wrong"
expect 404 "a forged link (right shape, made up)" POST "/u/abcdefghijklmnopqrstuvwxyz234567" -d "$ONE"
expect 404 "a link of another shape" GET "/u/abc"
expect 404 "characters no link has" GET "/u/abc%2e%2e"
expect 410 "a link 400 days old" POST "/u/$("$TOKEN" "$C" "$CUONG_ID" promotion 400)" -d "$ONE"
grep -q "Liên kết đã hết hạn" "$LT_TMP/b" || lt_fail "the 410 page does not say expired"
expect 200 "an undated link of an old mail (accepted until web_undated_tokens_until)" \
	GET "/u/$("$TOKEN" "$C" "$CUONG_ID" promotion undated)"
expect 403 "a link of service mail cannot refuse it" POST "/u/$("$TOKEN" "$C" "$CUONG_ID" account)" -d "$ONE"
expect 404 "an unknown page" GET "/admin"
expect 414 "an over-long path" GET "/u/$(head -c 700 /dev/zero | tr '\0' a)"
expect 405 "PUT" PUT "/u/$T_C" -d "$ONE"
[ "$(header Allow)" = "GET, HEAD, POST" ] || lt_fail "405 without Allow"
expect 405 "DELETE" DELETE "/u/$T_C"
expect 415 "a text/plain body" POST "/u/$T_C" -H "Content-Type: text/plain" --data-binary "$ONE"
expect 415 "a JSON body" POST "/u/$T_C" -H "Content-Type: application/json" --data-binary '{"List-Unsubscribe":"One-Click"}'
expect 400 "another body" POST "/u/$T_C" -d "List-Unsubscribe=Yes"
expect 400 "an empty body" POST "/u/$T_C" -d ""
expect 403 "the page's form without its form token" POST "/u/$T_C" -d "csrf=123.abc"
head -c 5000 /dev/zero | tr '\0' x >"$LT_TMP/big"
expect 413 "a body over web_request_max" POST "/u/$T_C" -H "Content-Type: application/x-www-form-urlencoded" --data-binary @"$LT_TMP/big"
expect 413 "a chunked body over web_request_max" POST "/u/$T_C" -H "Transfer-Encoding: chunked" -H "Content-Type: application/x-www-form-urlencoded" --data-binary @"$LT_TMP/big"
[ "$(events $CUONG)" -eq 0 ] || lt_fail "a bad request changed the store"
[ "$("$LINKS_STORE" -c "$C" stats | md5sum)" = "$before" ] || lt_fail "the store's statistics changed"
lt_ok "bad links and requests changed nothing"

# ---- the store locked: 503, nothing half-written ----
lt_store_lock "$LT_TMP/store/links.db"
expect 503 "one-click while another writer holds the store" POST "/u/$T_C" -d "$ONE"
[ -n "$(header Retry-After)" ] || lt_fail "503 without Retry-After"
grep -q "Tạm thời không thực hiện được" "$LT_TMP/b" || lt_fail "the 503 page does not say so"
expect 200 "a GET still shows the page (readers are not blocked)" GET "/u/$T_C"
lt_store_unlock
[ "$(events $CUONG)" -eq 0 ] || lt_fail "the refused request left an event"
expect 200 "the same POST once the store is free" POST "/u/$T_C" -d "$ONE"
[ "$(events $CUONG)" -eq 1 ] || lt_fail "not recorded once after the lock"
lt_ok "503 with Retry-After while locked; recorded once after"

# ---- reload and the rate limit ----
sed -i 's/^company_name = .*/company_name = LINKS Reloaded/' "$C"
echo "web_rate_limit = 5" >>"$C"
kill -HUP "$LT_WEB_PID"
lt_wait_for 10 sh -c "curl -s '$LT_WEB_URL/' | grep -q 'LINKS Reloaded'" || lt_fail "SIGHUP did not reload"
lt_ok "SIGHUP reloaded links.conf"
n429=0
i=0
while [ $i -lt 10 ]; do
	[ "$(http GET /u/abcdefgh)" = 429 ] && { n429=$((n429 + 1)); ra=$(header Retry-After); }
	i=$((i + 1))
done
[ "$n429" -ge 5 ] || lt_fail "the rate limit answered 429 only $n429 times of 10"
[ "${ra:-0}" -ge 1 ] || lt_fail "429 without Retry-After"
lt_ok "rate limit: $n429 of 10 bad requests got 429 (Retry-After: $ra)"
kill -0 "$LT_WEB_PID" || lt_fail "links-web died"
lt_web_stop
st=$?
[ "$st" -eq 0 ] || lt_fail "links-web exited $st on SIGTERM"
if grep -Eq "Sanitizer|runtime error:" "$LT_TMP/web.log"; then
	grep -E -A 20 "Sanitizer|runtime error:" "$LT_TMP/web.log" | head -n 40 >&2
	lt_fail "sanitizer report in web.log"
fi
grep -q "$CLIENT_IP\|an.nguyen" "$LT_TMP/web.log" && lt_fail "the log holds an address in clear"
lt_ok "clean stop; the log holds no address"
echo "web-curl: passed"
