#!/bin/sh
# NAME
#	sender-weblink.sh - links-sender's https links work in a running links-web
# DESCRIPTION
#	With web_base_url set (under a path, as behind a proxy on an
#	existing site), links-sender sends a promotion to three customers
#	through the dir transport. Each message must carry:
#	 - List-Unsubscribe with the https link BASE/u/TOKEN FIRST, then the
#	   mailto noreply+TOKEN@, and List-Unsubscribe-Post:
#	   List-Unsubscribe=One-Click (RFC 8058);
#	 - in the footer of the text part the preference page BASE/p/TOKEN,
#	   and in the HTML part a link <a href="BASE/p/TOKEN">;
#	 - links of its own customer: the three messages' tokens differ.
#	Then links-web runs on 127.0.0.1 with the same store; the link is
#	taken from the mail and POSTed as Gmail's button does (curl, body
#	List-Unsubscribe=One-Click): 200, exactly one consent event, a
#	promotion refusal with channel one_click, for that customer only; a
#	repeat records nothing. The preference link opens the customer's
#	page. A GET of another customer's unsubscribe link changes nothing.
#	An invoice (not refusable) carries no List-Unsubscribe and no
#	preference link. Without web_base_url: mailto only, no
#	List-Unsubscribe-Post, no preference link. The deprecated
#	unsubscribe_url: ignored with a warning when web_base_url is set,
#	used (after a warning) only while web_base_url is empty. An invalid
#	web_base_url stops the send before anything is recorded.
#	Needs curl and python3 (skips without them).
. "$top_srcdir/tests/sender-lib.sh"
lt_need_tool curl
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || lt_skip "python3 is not installed"
[ -x "$LINKS_WEB" ] || lt_fail "$LINKS_WEB is not built"
PORT=$(lt_free_port) || lt_fail "no free port"
BASE=https://lienket.ilinks.test/email/
st_setup sender-weblink "web_base_url=$BASE" "web_listen=127.0.0.1:$PORT" "web_rate_limit=0" \
	"promotion_min_interval=0"
cat > "$LT_TMP/c.csv" <<'CSV'
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
an.nguyen@example.vn,Nguyễn Văn An,,portal,vps,VPS-1,active,2024-01-01,
binh.tran@example.vn,Trần Thị Bình,,portal,hosting,HOST-2,active,2024-01-01,
cuong.le@example.vn,Lê Văn Cường,,portal,vps,VPS-3,active,2024-01-01,
CSV
st_import "$LT_TMP/c.csv"
S="$SENDER -c $CONF"
AN=an.nguyen@example.vn
BINH=binh.tran@example.vn
PROMO="--category promotion --template promotion --set offer=Giảm_20% --set until=2026-12-31 --set url=https://ilinks.asia/km --no-progress"

# links FILE: print "UNSUB MAILTO POST PREF_TEXT PREF_HTML" of the message FILE
# (each "-" when absent), checking that the https link comes first.
links() {
	"$PYTHON3" - "$1" <<'PY'
import email, email.policy, re, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
lu = msg.get('List-Unsubscribe')
entries = re.findall(r'<([^>]*)>', str(lu)) if lu is not None else []
https = [e for e in entries if e.startswith('https://')]
mailto = [e for e in entries if e.startswith('mailto:')]
if https and entries[0] != https[0]:
    sys.exit('the https link is not first in List-Unsubscribe: %s' % lu)
if len(entries) != len(https) + len(mailto) or len(https) > 1 or len(mailto) != (1 if lu else 0):
    sys.exit('unexpected List-Unsubscribe: %s' % lu)
post = msg.get('List-Unsubscribe-Post')
text = msg.get_body(('plain',)).get_content()
html = msg.get_body(('html',))
html = html.get_content() if html is not None else ''
pt = re.findall(r'Email preferences: (\S+)', text)
ph = re.findall(r'<a href="([^"]*/p/[^"]*)"', html)
print(https[0] if https else '-', mailto[0] if mailto else '-',
      str(post).replace(' ', '_') if post is not None else '-',
      pt[0] if pt else '-', ph[0] if ph else '-')
PY
}

# ---- a promotion with web_base_url ----
$S send $PROMO --all >"$LT_TMP/send.out" 2>&1 || lt_fail "send: $(cat "$LT_TMP/send.out")"
grep -q "deprecated" "$LT_TMP/send.out" && lt_fail "a warning without unsubscribe_url set"
[ "$(ls "$LT_TMP/out" | wc -l)" -eq 3 ] || lt_fail "expected three messages: $(ls "$LT_TMP/out")"
: >"$LT_TMP/tokens"
for f in "$LT_TMP"/out/*.eml; do
	l=$(links "$f") || lt_fail "$f: $l"
	set -- $l
	case $1 in "${BASE}u/"?*) ;; *) lt_fail "no one-click link under $BASE: $l" ;; esac
	case $2 in mailto:noreply+?*@*) ;; *) lt_fail "no mailto after the https link: $l" ;; esac
	[ "$3" = "List-Unsubscribe=One-Click" ] || lt_fail "List-Unsubscribe-Post: '$3'"
	case $4 in "${BASE}p/"?*) ;; *) lt_fail "no preference link in the text footer: $l" ;; esac
	case $5 in "${BASE}p/"?*) ;; *) lt_fail "no preference link in the HTML footer: $l" ;; esac
	echo "${1##*/u/}" >>"$LT_TMP/tokens"
	rcpt=$(grep -m1 '^To:' "$f")
	case $rcpt in *"$AN"*) AN_MAIL=$f ;; *"$BINH"*) BINH_MAIL=$f ;; esac
done
[ "$(sort -u "$LT_TMP/tokens" | wc -l)" -eq 3 ] || lt_fail "two customers got the same link"
[ -n "${AN_MAIL:-}" ] && [ -n "${BINH_MAIL:-}" ] || lt_fail "no message to $AN or $BINH"
lt_ok "List-Unsubscribe: https link first, then mailto; List-Unsubscribe-Post; preference link in text and HTML"

# ---- the link from the mail, in a running links-web ----
lt_web_start "$CONF"
set -- $(links "$AN_MAIL")
U_AN=$LT_WEB_URL/email/${1#"$BASE"}
P_AN=$LT_WEB_URL/email/${4#"$BASE"}
set -- $(links "$BINH_MAIL")
U_BINH=$LT_WEB_URL/email/${1#"$BASE"}
events() {	# events EMAIL: consent events on record
	"$LINKS_STORE" -c "$CONF" consent-log "$1" | grep -c . || true
}
post() {	# post URL: the status of Gmail's one-click POST to URL
	curl -s -o "$LT_TMP/b" -w '%{http_code}' --max-time 30 \
		-H "Content-Type: application/x-www-form-urlencoded" \
		--data "List-Unsubscribe=One-Click" "$1"
}
code=$(curl -s -o "$LT_TMP/b" -w '%{http_code}' --max-time 30 "$U_BINH")
[ "$code" = 200 ] || lt_fail "GET of $BINH's link from the mail: $code"
[ "$(events $BINH)" -eq 0 ] || lt_fail "a GET of the link recorded something"
code=$(post "$U_AN")
[ "$code" = 200 ] || { head -c 400 "$LT_TMP/b" >&2; lt_fail "one-click POST of the link from the mail: $code"; }
[ "$(events $AN)" -eq 1 ] || lt_fail "one-click recorded $(events $AN) events, not 1"
"$LINKS_STORE" -c "$CONF" consent-log $AN | grep -q "promotion.*refused.*one_click" \
	|| lt_fail "not a one_click refusal of promotions: $("$LINKS_STORE" -c "$CONF" consent-log $AN)"
"$LINKS_STORE" -c "$CONF" customer show $AN | grep -q "promotion: *refused" || lt_fail "$AN not refused"
[ "$(events $BINH)" -eq 0 ] || lt_fail "$AN's click changed $BINH"
code=$(post "$U_AN")
[ "$code" = 200 ] || lt_fail "a repeated one-click: $code"
[ "$(events $AN)" -eq 1 ] || lt_fail "a repeated one-click recorded a second event"
lt_ok "the mail's link POSTed to links-web: 200, one consent event, channel one_click; a repeat records nothing"
code=$(curl -s -o "$LT_TMP/b" -w '%{http_code}' --max-time 30 "$P_AN")
[ "$code" = 200 ] || lt_fail "the preference link from the mail: $code"
grep -q "<form" "$LT_TMP/b" || lt_fail "the preference page has no form"
lt_ok "the preference link from the mail opens $AN's page"
lt_web_stop

# ---- not refusable: no List-Unsubscribe, no preference link ----
rm -f "$LT_TMP"/out/*.eml
$S send --category account --template invoice --to $BINH --set invoice_no=HD-1 --set amount=1 \
	--set due_date=2026-12-31 --no-progress >"$LT_TMP/inv.out" 2>&1 \
	|| lt_fail "invoice: $(cat "$LT_TMP/inv.out")"
l=$(links "$LT_TMP"/out/*.eml) || lt_fail "invoice: $l"
[ "$l" = "- - - - -" ] || lt_fail "an invoice has unsubscribe or preference links: $l"
lt_ok "an invoice has no List-Unsubscribe and no preference link"

# ---- no web_base_url: mailto only ----
rm -f "$LT_TMP"/out/*.eml
$S -o web_base_url= send $PROMO --to $BINH >"$LT_TMP/s2.out" 2>&1 || lt_fail "send: $(cat "$LT_TMP/s2.out")"
l=$(links "$LT_TMP"/out/*.eml) || lt_fail "$l"
set -- $l
[ "$1" = - ] && [ "$3" = - ] && [ "$4" = - ] && [ "$5" = - ] || lt_fail "links without web_base_url: $l"
case $2 in mailto:noreply+?*@*) ;; *) lt_fail "no mailto: $l" ;; esac
lt_ok "without web_base_url: the mailto only"

# ---- the deprecated unsubscribe_url ----
rm -f "$LT_TMP"/out/*.eml
$S -o unsubscribe_url=https://old.ilinks.test/u/ send $PROMO --to $BINH \
	>"$LT_TMP/s3.out" 2>&1 || lt_fail "send: $(cat "$LT_TMP/s3.out")"
grep -q "unsubscribe_url is deprecated and ignored" "$LT_TMP/s3.out" || lt_fail "no warning: $(cat "$LT_TMP/s3.out")"
set -- $(links "$LT_TMP"/out/*.eml)
case $1 in "${BASE}u/"?*) ;; *) lt_fail "unsubscribe_url beat web_base_url: $1" ;; esac
rm -f "$LT_TMP"/out/*.eml
$S -o web_base_url= -o unsubscribe_url=https://old.ilinks.test/u/ send $PROMO --to $BINH \
	>"$LT_TMP/s4.out" 2>&1 || lt_fail "send: $(cat "$LT_TMP/s4.out")"
grep -q "unsubscribe_url is deprecated: set web_base_url" "$LT_TMP/s4.out" || lt_fail "no warning: $(cat "$LT_TMP/s4.out")"
set -- $(links "$LT_TMP"/out/*.eml)
case $1 in https://old.ilinks.test/u/?*) ;; *) lt_fail "unsubscribe_url alone not used: $1" ;; esac
[ "$3" = "List-Unsubscribe=One-Click" ] || lt_fail "no List-Unsubscribe-Post with unsubscribe_url"
lt_ok "unsubscribe_url: warned; ignored beside web_base_url, used alone"

# ---- an invalid web_base_url stops before anything is recorded ----
rm -f "$LT_TMP"/out/*.eml
n=$($S status | grep -c .)
$S -o web_base_url=http://lienket.ilinks.test/ send $PROMO --to $BINH >"$LT_TMP/s5.out" 2>&1 \
	&& lt_fail "an http web_base_url was accepted"
grep -q "https://" "$LT_TMP/s5.out" || lt_fail "the error does not say why: $(cat "$LT_TMP/s5.out")"
[ "$($S status | grep -c .)" -eq "$n" ] || lt_fail "a campaign was recorded"
[ -z "$(ls "$LT_TMP/out")" ] || lt_fail "a message was written"
lt_ok "an http web_base_url: refused, nothing recorded"
exit 0
