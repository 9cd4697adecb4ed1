#!/bin/sh
# NAME
#	milter-trust.sh - issue 12 end to end: only customers' mail is judged,
#	no forged refusal or bounce counts, nothing private leaks
# DESCRIPTION
#	A private Postfix with two listeners, as on a real MX: a port-25 style
#	one (milter_macro_daemon_name is the host name) and a submission style
#	one (-o milter_macro_daemon_name=ORIGINATING, SMTP AUTH required), and
#	SMTP AUTH offered on both (Postfix's own SASL client, dovecot type,
#	with tests/e2e/sasl-peer.py as the authentication server).
#	smtpd_milters = OpenDKIM verifying (AuthservID mx.test.invalid, the
#	trusted authserv-id, with AuthservIDWithJobID; TestDNSData holds
#	example.vn's key) in front of links-milter with
#	authserv_id_with_job_id = yes, as links-milter(8) recommends. Each numbered failure of
#	issue 12 is one block below; each fails on the code before the issue:
#	  1. staff mail (submission with or without AUTH, or AUTH on port 25)
#	     quoting "Từ chối" in
#	     a thread of a promotion: nobody opted out, nothing to support,
#	     the customer's copy without X-Links-*;
#	  2. forged Authentication-Results: a pass below our own fail, two
#	     forged copies, a dmarc=pass without header.from, a trusted id
#	     below a Received from outside: never applied;
#	  3. forged DSNs: none counted without proof (no VERP token, another
#	     recipient's token); a valid token counts once per DSN; a logged
#	     Message-ID counts; unproven ones reach support;
#	  4. a Bcc to noreply beside an outside recipient: that copy carries
#	     no X-Links-*; evidence keeps no reply Message-ID in clear;
#	  5. RCPT TO:<"noreply"@ilinks.asia> is noreply; the Unicode and the
#	     punycode forms of a customer's domain are one customer;
#	  6. an empty mail to noreply+TOKEN@ is a one-click refusal, not a
#	     question for support.
#	subject_tag = yes is on: what reaches support gets [Từ chối] or
#	[Câu hỏi] before its Subject, a copy to an outside recipient not.
#	Skips (77) when Postfix, swaks, OpenDKIM or python3 are missing or
#	not running as root.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
lt_init milter-trust

lt_need_root
lt_need_tool postfix swaks sqlite3 opendkim opendkim-genkey python3
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

FIX="$top_builddir/tests/miltertest/milter-fixture"
CONF="$LT_TMP/links.conf"
lt_write_conf "$CONF" trusted_authserv_ids=mx.test.invalid bounce_threshold=2 \
	optout_from_policy=require_auth company_domains=ilinks.asia subject_tag=yes \
	authserv_id_with_job_id=yes
fix() {
	"$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}
fix init
C1=$(fix customer c1@example.vn)
C2=$(fix customer c2@example.vn)
C3=$(fix customer c3@example.vn)
C4=$(fix customer c4@example.vn)
C5=$(fix customer c5@example.vn)
C6=$(fix customer "an@việt-nam.vn")
TAG="trust$$"
for c in 1 2 3 4 5; do
	eval "fix msglog \"$TAG.promo.c$c@ilinks.asia\" \"\$C$c\" promotion"
done
VERP_C3=$(fix verp "$C3" 7)
VERP_C4=$(fix verp "$C4" 7)
TOKEN_C2=$(fix token "$C2" promotion)

# --- OpenDKIM verifying in front, as on the MX
DK="$LT_TMP/dkim"
mkdir -p "$DK"
opendkim-genkey -b 1024 -d example.vn -s s1 -D "$DK" 2>"$DK/genkey.log" || lt_fail "opendkim-genkey"
PUB=$(tr -d '\n\t"()' < "$DK/s1.txt" | sed 's/.*IN *TXT *//; s/ *;[ -]*DKIM key.*//; s/  */ /g')
echo "s1._domainkey.example.vn $PUB" > "$DK/dns"
cat > "$DK/verify.conf" <<CF
Mode			v
Socket			local:$DK/dkim.sock
Background		no
Syslog			no
UMask			000
PidFile			$DK/verify.pid
AuthservID		mx.test.invalid
AuthservIDWithJobID	yes
TestDNSData		file:$DK/dns
On-BadSignature		accept
On-KeyNotFound		accept
On-Default		accept
AlwaysAddARHeader	yes
CF
opendkim -f -x "$DK/verify.conf" >"$DK/opendkim.log" 2>&1 &
DKIM_PID=$!
lt_cleanup_add "kill $DKIM_PID 2>/dev/null"
lt_wait_for 20 test -S "$DK/dkim.sock" || lt_fail "opendkim did not start: $(tail -2 "$DK/opendkim.log")"

python3 "$top_srcdir/tests/e2e/sasl-peer.py" "$LT_TMP/auth.sock" lan@ilinks.asia staffpass \
	>"$LT_TMP/sasl.log" 2>&1 &
SASL_PID=$!
lt_cleanup_add "kill $SASL_PID 2>/dev/null"
lt_wait_for 10 test -S "$LT_TMP/auth.sock" || lt_fail "the SASL peer did not start"

lt_milter_start "$CONF"
MX_PORT=$(lt_free_port) || lt_fail "no free port"
SUB_PORT=$(lt_free_port) || lt_fail "no free port"
[ "$SUB_PORT" != "$MX_PORT" ] || SUB_PORT=$(lt_free_port)
LT_PF_EXTRA_MAILBOXES="c1@example.vn=c1/, friend@example.org=friend/"
LT_PF_EXTRA_MASTER="127.0.0.1:$SUB_PORT inet n - n - - smtpd
  -o milter_macro_daemon_name=ORIGINATING
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_mynetworks,permit_sasl_authenticated,reject"
LT_PF_EXTRA_MAIN="virtual_mailbox_domains = ilinks.asia, example.vn, example.org
smtpd_sasl_type = dovecot
smtpd_sasl_path = $LT_TMP/auth.sock
smtpd_sasl_auth_enable = yes
recipient_delimiter = +"
export LT_PF_EXTRA_MAILBOXES LT_PF_EXTRA_MASTER LT_PF_EXTRA_MAIN
lt_postfix_start "$LT_TMP/mx" "$MX_PORT" "unix:$DK/dkim.sock, unix:$LT_TMP/milter.sock"
lt_ok "Postfix: MX style on $MX_PORT, submission style on $SUB_PORT; OpenDKIM and links-milter"

STAFF_BODY="Chào anh, nếu không muốn nhận khuyến mãi nữa, anh chỉ cần trả lời: Từ chối"

# msg FILE HEADER-LINES... -- BODY: a message file in the order given (swaks --data FILE)
msg() {
	f=$1
	shift
	: > "$f"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		printf '%s\r\n' "$1" >> "$f"
		shift
	done
	shift
	printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n' >> "$f"
	printf 'Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n' "$*" >> "$f"
}
sendfile() {
	sp=$1
	f=$2
	shift 2
	lt_swaks --server "127.0.0.1:$sp" --data "@$f" "$@" \
		|| lt_fail "swaks: $(tail -n 3 "$LT_TMP/swaks.last")"
}
decided() {
	grep -c "verdict=" "$LT_TMP/milter.log"
}
decided_more() {
	[ "$(decided)" -gt "$1" ]
}
support_n() {
	lt_maildir_count support
}

# --- 1. staff mail is never judged
SUPPORT0=$(support_n)
msg "$LT_TMP/staff.eml" "From: Lan <lan@ilinks.asia>" "To: C1 <c1@example.vn>" \
	"Cc: noreply@ilinks.asia" "Subject: Re: Khuyến mãi tháng 11" \
	"References: <$TAG.promo.c1@ilinks.asia>" "Message-ID: <$TAG.staff1@ilinks.asia>" \
	-- "$STAFF_BODY"
sendfile "$SUB_PORT" "$LT_TMP/staff.eml" --auth PLAIN --auth-user lan@ilinks.asia \
	--auth-password staffpass --from lan@ilinks.asia --to c1@example.vn,noreply@ilinks.asia
lt_wait_maildir c1 1 20 || lt_fail "the customer's copy of the staff answer did not arrive"
grep -q "outgoing.*not analysed" "$LT_TMP/milter.log" || lt_fail "no 'outgoing' log line"
sed "s/staff1/staff2/" "$LT_TMP/staff.eml" > "$LT_TMP/staff2.eml"
sendfile "$MX_PORT" "$LT_TMP/staff2.eml" --auth PLAIN --auth-user lan@ilinks.asia \
	--auth-password staffpass --from lan@ilinks.asia --to c1@example.vn,noreply@ilinks.asia
lt_wait_maildir c1 2 20 || lt_fail "the second staff answer did not arrive"
grep -q "outgoing (SMTP AUTH): not analysed" "$LT_TMP/milter.log" \
	|| lt_fail "SMTP AUTH on port 25 not seen as outgoing"
# submission from the office network without AUTH: only {daemon_name}
# (asked for with MAIL FROM at negotiation, CONNECT is not sent) says it
sed "s/staff1/staff3/" "$LT_TMP/staff.eml" > "$LT_TMP/staff3.eml"
sendfile "$SUB_PORT" "$LT_TMP/staff3.eml" --from lan@ilinks.asia --to c1@example.vn,noreply@ilinks.asia
lt_wait_maildir c1 3 20 || lt_fail "the third staff answer did not arrive"
grep -q "outgoing (daemon_name in originating_daemons): not analysed" "$LT_TMP/milter.log" \
	|| lt_fail "submission without AUTH not seen as outgoing: {daemon_name} did not arrive with MAIL"
sleep 1
[ "$(fix optout "$C1" promotion)" = 0 ] || lt_fail "staff mail opted c1 out"
[ "$(support_n)" = "$SUPPORT0" ] || lt_fail "staff mail reached support as a customer question"
for f in "$LT_PF_DIR/mail/c1/new"/*; do
	grep -q "^X-Links-" "$f" && lt_fail "the customer's copy of staff mail carries X-Links-*"
done
lt_ok "1. staff mail (submission with and without AUTH; AUTH on port 25) is not judged: no opt-out, nothing to support, no X-Links-*"

# --- 2. forged Authentication-Results
ar_case() {
	name=$1
	shift
	msg "$LT_TMP/$name.eml" "$@" "From: C2 <c2@example.vn>" "To: noreply@ilinks.asia" \
		"Subject: Từ chối" "Message-ID: <$TAG.$name@example.vn>" -- "Từ chối"
	sendfile "$MX_PORT" "$LT_TMP/$name.eml" --from c2@example.vn --to noreply@ilinks.asia
	lt_wait_for 20 decided_more "$N_BEFORE" || lt_fail "A-R case $name: no decision logged"
	line=$(grep "verdict=" "$LT_TMP/milter.log" | tail -n 1)
	N_BEFORE=$(decided)
	case $line in
	*optout=unverified*) ;;
	*) lt_fail "A-R case $name: expected unverified, got: $line" ;;
	esac
	[ "$(fix optout "$C2" promotion)" = 0 ] || lt_fail "A-R case $name opted c2 out"
}
N_BEFORE=$(decided)
# our own OpenDKIM finds a bad example.vn signature (dkim=fail, aligned); a forged pass below
ar_case fail-wins \
	"Authentication-Results: mx.test.invalid; dmarc=pass header.from=example.vn" \
	"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.vn; s=s1; h=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA=="
# two forged copies: OpenDKIM strips the first (it holds a DKIM result), not the second
ar_case two-forged \
	"Authentication-Results: mx.test.invalid; dkim=pass header.d=example.vn" \
	"Authentication-Results: mx.test.invalid; dmarc=pass header.from=example.vn"
# dmarc=pass without header.from proves nothing
ar_case no-header-from "Authentication-Results: mx.test.invalid; dmarc=pass"
# the trusted id, below a Received from outside
ar_case from-outside \
	"Received: from x.evil.example by relay.evil.example (Postfix); Mon, 30 Nov 2026 01:00:00 +0700" \
	"Authentication-Results: mx.test.invalid; dmarc=pass header.from=example.vn"
# the first case is what it says: our own verifier (OpenDKIM, at the top) wrote a dkim=fail
FW=$(grep -l "$TAG.fail-wins@" "$LT_PF_DIR/mail/support/new"/* | head -n 1)
[ -n "$FW" ] || lt_fail "the fail-wins case did not reach support"
FIRST_AR=$(awk '/^$/ {exit} /^[ \t]/ {l = l $0; next} {if (l != "") print l; l = $0} END {print l}' "$FW" \
	| grep -i "^Authentication-Results:" | head -n 1)
case $FIRST_AR in
*mx.test.invalid/*dkim=fail*header.d=example.vn*) ;;
*) lt_fail "the first A-R is not OpenDKIM's dkim=fail: $FIRST_AR" ;;
esac
grep -q "^Subject: =?UTF-8?B?W1Thu6sgY2jhu5FpXSA=?= Từ chối" "$FW" \
	|| lt_fail "subject_tag: no [Từ chối] before the Subject of an unverified refusal"
lt_ok "2. forged A-R (below our fail, two copies, no header.from, from outside) never applied"

# --- 3. forged DSNs
# dsn FILE ADDRESS STATUS RETURNED-MESSAGE-ID: a Postfix-style DSN naming ADDRESS twice
dsn() {
	{
		printf 'From: MAILER-DAEMON@mx.example.vn (Mail Delivery System)\r\n'
		printf 'To: noreply@ilinks.asia\r\nSubject: Undelivered Mail Returned to Sender\r\n'
		printf 'Message-ID: <%s.%s@mx.example.vn>\r\nAuto-Submitted: auto-replied\r\n' "$TAG" "$(basename "$1")"
		printf 'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n'
		printf '\tboundary="B.%s"\r\n\r\n--B.%s\r\nContent-Type: text/plain\r\n\r\n' "$TAG" "$TAG"
		printf 'I am sorry to have to inform you that your message could not be delivered.\r\n\r\n'
		printf -- '--B.%s\r\nContent-Type: message/delivery-status\r\n\r\n' "$TAG"
		printf 'Reporting-MTA: dns; mx.example.vn\r\n\r\n'
		for dsn_i in 1 2; do
			printf 'Final-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\n' "$2" "$3"
			printf 'Diagnostic-Code: smtp; 550 5.1.1 <%s>: user unknown\r\n\r\n' "$2"
		done
		printf -- '--B.%s\r\nContent-Type: text/rfc822-headers\r\n\r\n' "$TAG"
		printf 'From: LINKS <noreply@ilinks.asia>\r\nSubject: Khuyen mai\r\nMessage-ID: <%s>\r\n\r\n' "$4"
		printf -- '--B.%s--\r\n' "$TAG"
	} > "$1"
}
send_dsn() {
	sendfile "$MX_PORT" "$1" --from "<>" --to "$2"
}
SUPPORT0=$(support_n)
for n in 1 2 3; do
	dsn "$LT_TMP/dsn-forged$n" c3@example.vn 5.1.1 "unknown$n@example.net"
	send_dsn "$LT_TMP/dsn-forged$n" noreply@ilinks.asia
done
dsn "$LT_TMP/dsn-other" c3@example.vn 5.1.1 "unknown@example.net"
send_dsn "$LT_TMP/dsn-other" "noreply+b-$VERP_C4@ilinks.asia"
lt_wait_maildir support $((SUPPORT0 + 4)) 30 || lt_fail "unproven DSNs did not reach support ($(support_n))"
[ "$(fix undeliverable c3@example.vn)" = 0 ] || lt_fail "forged DSNs made c3 undeliverable"
lt_ok "3a. DSNs without proof (no VERP token x3, another recipient's token) not counted, sent to support"
dsn "$LT_TMP/dsn-valid1" c3@example.vn 5.1.1 "unknown@example.net"
send_dsn "$LT_TMP/dsn-valid1" "noreply+b-$VERP_C3@ilinks.asia"
lt_wait_for 20 grep -q "bounce_by=verp" "$LT_TMP/milter.log" || lt_fail "the VERP-proven DSN was not counted"
[ "$(fix undeliverable c3@example.vn)" = 0 ] || lt_fail "one DSN naming c3 twice counted twice"
dsn "$LT_TMP/dsn-valid2" c3@example.vn 5.1.1 "unknown@example.net"
send_dsn "$LT_TMP/dsn-valid2" "noreply+b-$VERP_C3@ilinks.asia"
lt_wait_for 20 sh -c "[ \$(grep -c 'bounce_by=verp' '$LT_TMP/milter.log') -ge 2 ]" || lt_fail "second DSN"
[ "$(fix undeliverable c3@example.vn)" = 1 ] || lt_fail "two proven DSNs did not reach bounce_threshold 2"
lt_ok "3b. a valid VERP token counts, once per DSN (two DSNs: undeliverable at bounce_threshold 2)"
for n in 1 2; do
	dsn "$LT_TMP/dsn-msgid$n" c5@example.vn 5.2.2 "$TAG.promo.c5@ilinks.asia"
	send_dsn "$LT_TMP/dsn-msgid$n" noreply@ilinks.asia
done
lt_wait_for 20 sh -c "[ \$(grep -c 'bounce_by=msgid' '$LT_TMP/milter.log') -ge 2 ]" || lt_fail "logged Message-ID DSNs not counted"
[ "$(fix undeliverable c5@example.vn)" = 1 ] || lt_fail "DSNs returning c5's logged Message-ID not counted"
dsn "$LT_TMP/dsn-soft" c4@example.vn 4.4.1 "unknown@example.net"
send_dsn "$LT_TMP/dsn-soft" "noreply+b-$VERP_C4@ilinks.asia"
lt_wait_for 20 grep -q "soft=1 bounce_by=verp" "$LT_TMP/milter.log" || lt_fail "the soft DSN was not kept apart"
lt_ok "3c. a logged Message-ID of that recipient counts; a 4.x.x failure is counted apart (soft)"

# --- 4. privacy: X-Links only to company addresses; evidence without the reply's Message-ID
msg "$LT_TMP/bcc.eml" "From: Minh <minh@example.net>" "To: friend@example.org" \
	"Subject: Hỏi về dịch vụ" "Message-ID: <$TAG.bcc@example.net>" -- "Cho tôi hỏi giá dịch vụ VPS?"
SUPPORT0=$(support_n)
sendfile "$MX_PORT" "$LT_TMP/bcc.eml" --from minh@example.net --to friend@example.org,noreply@ilinks.asia
lt_wait_maildir friend 1 20 || lt_fail "the outside copy did not arrive"
lt_wait_maildir support $((SUPPORT0 + 1)) 20 || lt_fail "the question did not reach support"
for f in "$LT_PF_DIR/mail/friend/new"/*; do
	grep -q "^X-Links-" "$f" && lt_fail "a copy to an outside recipient carries X-Links-*"
	grep -q "^Subject: Hỏi về dịch vụ" "$f" || lt_fail "a copy to an outside recipient got a subject tag"
done
msg "$LT_TMP/secret.eml" "From: C5 <c5@example.vn>" "To: noreply@ilinks.asia" "Subject: Re: Khuyến mãi" \
	"In-Reply-To: <$TAG.promo.c5@ilinks.asia>" "Message-ID: <c5-secret.$TAG@example.vn>" -- "Từ chối"
sendfile "$MX_PORT" "$LT_TMP/secret.eml" --from c5@example.vn --to noreply@ilinks.asia
lt_wait_for 20 sh -c "[ \$('$FIX' -c '$CONF' optout $C5 promotion) = 1 ]" || lt_fail "c5's refusal not applied"
sqlite3 "$LT_TMP/store/links.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null 2>&1
if cat "$LT_TMP/store/links.db" "$LT_TMP/store/links.db-wal" 2>/dev/null | strings | grep -q "c5-secret"; then
	lt_fail "the reply's Message-ID is in the database in clear"
fi
sqlite3 "$LT_TMP/store/links.db" "SELECT evidence FROM consent_events" | grep -q "msgid=<h:[0-9a-f]\{24\}>" \
	|| lt_fail "no keyed hash in the evidence"
lt_ok "4. no X-Links-* on a copy to an outside recipient; evidence keeps the reply's Message-ID as its keyed hash (h:)"

# --- 5. addresses: a quoted noreply, a customer's Unicode domain in punycode
msg "$LT_TMP/quoted.eml" "From: C4 <c4@example.vn>" "To: noreply@ilinks.asia" "Subject: Re: Khuyến mãi" \
	"In-Reply-To: <$TAG.promo.c4@ilinks.asia>" "Message-ID: <$TAG.quoted@example.vn>" -- "Từ chối"
sendfile "$MX_PORT" "$LT_TMP/quoted.eml" --from c4@example.vn --to '"noreply"@ilinks.asia'
lt_wait_for 20 sh -c "[ \$('$FIX' -c '$CONF' optout $C4 promotion) = 1 ]" \
	|| lt_fail "RCPT TO:<\"noreply\"@ilinks.asia> was not taken for noreply"
SUPPORT0=$(support_n)
msg "$LT_TMP/idn.eml" "From: An <an@xn--vit-nam-zv4c.vn>" "To: noreply@ilinks.asia" \
	"Subject: Hỏi hợp đồng" "Message-ID: <$TAG.idn@example.vn>" -- "Hợp đồng của tôi hết hạn khi nào?"
sendfile "$MX_PORT" "$LT_TMP/idn.eml" --from an@xn--vit-nam-zv4c.vn --to noreply@ilinks.asia
lt_wait_maildir support $((SUPPORT0 + 1)) 20 || lt_fail "the IDN question did not reach support"
grep -l "^X-Links-Customer: $C6" "$LT_PF_DIR/mail/support/new"/* >/dev/null \
	|| lt_fail "an@xn--vit-nam-zv4c.vn was not found as the customer an@việt-nam.vn"
grep -l "^Subject: =?UTF-8?B?W0PDonUgaOG7j2ldIA==?= Hỏi hợp đồng" "$LT_PF_DIR/mail/support/new"/* >/dev/null \
	|| lt_fail "subject_tag: no [Câu hỏi] before the Subject of a question"
lt_ok "5. RCPT TO:<\"noreply\"@...> is noreply; a Unicode domain's punycode form is the same customer"

# --- 6. a one-click unsubscribe (empty mail to noreply+TOKEN@) is not a question
SUPPORT0=$(support_n)
# no subject either: the mailto loses its ?subject= hint when it does not fit a line
printf 'From: c2@example.vn\r\nTo: noreply+%s@ilinks.asia\r\nSubject: \r\n\r\n' "$TOKEN_C2" \
	> "$LT_TMP/oneclick.eml"
sendfile "$MX_PORT" "$LT_TMP/oneclick.eml" --from c2@example.vn --to "noreply+$TOKEN_C2@ilinks.asia"
lt_wait_for 20 sh -c "[ \$('$FIX' -c '$CONF' optout $C2 promotion) = 1 ]" || lt_fail "the one-click refusal was not applied"
sleep 2
[ "$(support_n)" = "$SUPPORT0" ] || lt_fail "an empty one-click mail reached support"
lt_ok "6. an empty mail to noreply+TOKEN@ opts out and does not reach support"
lt_milter_log_clean
exit 0
