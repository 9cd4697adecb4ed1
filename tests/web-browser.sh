#!/bin/sh
# NAME
#	web-browser.sh - a customer unsubscribes and re-subscribes in a real browser
# DESCRIPTION
#	Starts links-web with a private store (the sample customers) and
#	headless Chromium through chromedriver (web-browser.py, JavaScript
#	off, a phone's screen). The link is a real one (a dated token of
#	the store's key, for An and promotions), pointed at this links-web
#	in place of the HTTPS proxy. The browser opens it, checks the page (language,
#	labels, contrast, phone width, no script), presses the button; the
#	store must then hold exactly one refusal of promotions by An with
#	channel web; the browser ticks promotions again on the preference
#	page and saves; the store must then show An accepting promotions
#	again with a consent event of channel web. Screenshots (the
#	confirmation page among them) are kept in tests/artifacts/ of the
#	build tree. Chromium and chromedriver run in their own process group,
#	stopped at the end whatever happens. Skips without chromium,
#	chromedriver or python3.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_need_tool chromium chromedriver python3 curl
lt_init web-browser
PY=${PYTHON3:-python3}
ART=$top_builddir/tests/artifacts
PORT=$(lt_free_port) || lt_fail "no free port"
DPORT=$(lt_free_port) || lt_fail "no free port"
C=$LT_TMP/links.conf
BASE=https://lienket.ilinks.test/
lt_write_conf "$C" "web_listen=127.0.0.1:$PORT" "web_base_url=$BASE" \
	"template_dir=$top_srcdir/config/templates"
mkdir -p "$ART"
lt_store_init "$C" >/dev/null
"$LINKS_STORE" -c "$C" import "$top_srcdir/config/customers.sample.csv" >/dev/null || lt_fail "import"
AN=an.nguyen@example.vn
LINK=${BASE}u/$("$top_builddir/tests/web-token" "$C" "$(lt_customer_id "$C" $AN)" promotion) \
	|| lt_fail "web-token"
lt_web_start "$C"
PAGE=$LT_WEB_URL/${LINK#"$BASE"}

setsid chromedriver --port="$DPORT" >"$LT_TMP/chromedriver.log" 2>&1 &
DRIVER=$!
lt_cleanup_add "kill -TERM -- -$DRIVER; sleep 1; kill -KILL -- -$DRIVER"
lt_wait_for 20 lt_port_busy "$DPORT" || lt_fail "chromedriver does not listen on $DPORT"

events() {
	"$LINKS_STORE" -c "$C" consent-log "$AN"
}
mkfifo "$LT_TMP/go"
timeout 180 "$PY" "$top_srcdir/tests/web-browser.py" --driver "$DPORT" --page "$PAGE" \
	--shots "$ART" --profile "$LT_TMP/profile" <"$LT_TMP/go" >"$LT_TMP/browser.out" 2>&1 &
BROWSER=$!
exec 8>"$LT_TMP/go"
lt_wait_for 120 grep -q "^STEP unsubscribed\|^FAIL" "$LT_TMP/browser.out"
cat "$LT_TMP/browser.out"
grep -q "^STEP unsubscribed" "$LT_TMP/browser.out" || lt_fail "the browser did not unsubscribe"
[ "$(events | grep -c .)" -eq 1 ] || lt_fail "not exactly one event after the click: $(events)"
events | grep -q "promotion *refused *web .*unsubscribe page" || lt_fail "not a web refusal: $(events)"
"$LINKS_STORE" -c "$C" customer show "$AN" | grep -q "promotion: *refused" || lt_fail "not refused"
lt_ok "the store holds one refusal of promotions by the page's button"
echo go >&8
exec 8>&-
wait "$BROWSER"
st=$?
sed -n '/^STEP unsubscribed/,$p' "$LT_TMP/browser.out" | sed 1d
[ "$st" -eq 0 ] || lt_fail "the browser failed (exit $st)"
"$LINKS_STORE" -c "$C" customer show "$AN" | grep -q "promotion: *accepted" \
	|| lt_fail "the store does not show promotions accepted again"
events | tail -n 1 | grep -q "promotion *agreed *web .*preference page" \
	|| lt_fail "no consent event of the preference page: $(events)"
[ "$(events | grep -c .)" -eq 2 ] || lt_fail "not two events: $(events)"
[ -s "$ART/web-confirmation.png" ] || lt_fail "no screenshot of the confirmation"
lt_ok "re-subscribed on the preference page; screenshots in $ART"
echo "web-browser: passed"
