#!/bin/sh
# NAME
#	install-package-flow.sh - the package test's steps on the target system
# SYNOPSIS
#	install-package-flow.sh DEB
# DESCRIPTION
#	Run by tests/install-package.sh, as root, on the system under test: the
#	machine itself (booted with systemd) or a throw-away boot of it
#	(systemd-nspawn). Uses only loopback. In order:
#	 1. give the system Postfix a test MX setup as an admin would have it
#	    (Debian's master.cf: smtpd chrooted; loopback only; the company
#	    and customer domains as local Maildirs; an OpenDKIM milter already
#	    in smtpd_milters and non_smtpd_milters = $smtpd_milters; a test
#	    domain routed by transport_maps to a private Postfix on
#	    127.0.0.1 that answers 550 for one recipient);
#	 2. dpkg -i the package: user, group, folders, conffile, units
#	    enabled but idle before the key exists (links-web with its man
#	    page and unit when the tree has web/);
#	 3. configure links.conf and run the README's "links-setup" block as
#	    it is (links-store init, links-milter -n, systemctl start);
#	 4. run the README's "postfix-setup" block as it is, twice (the second
#	    run must change nothing);
#	 5. the whole flow: a notice sent with links-sender, a "Từ chối"
#	    reply, a question routed to support, the remote 5xx whose DSN is
#	    counted, the List-Unsubscribe mailto, the RFC 8058 one-click POST
#	    through links-web.service (when shipped), the confirmation sent
#	    by the outbox unit (sendmail transport through setgid postdrop under the
#	    unit's hardening), the purge unit, mail submitted on port 587 not
#	    taken for a reply, and the same socket with a non-chrooted smtpd;
#	 6. an upgrade (the package's links.conf and the admin's both
#	    changed): the admin's file is kept, the milter restarted, the store
#	    intact;
#	 7. apt purge: data removed after saying so; /etc/postfix restored
#	    exactly, Postfix stopped again if it was stopped.
#	Prints "ok: ..." / "FAIL: ..." lines and "N passed, M failed".
# ENVIRONMENT
#	top_srcdir	the source tree (README.md, tests/lib.sh, the sample)
#	LINKS_FLOW_OUT	a folder for files the caller keeps (security scores)
set -u
DEB=${1:?usage: install-package-flow.sh DEB}
: "${top_srcdir:?}"
top_builddir=$top_srcdir
export top_srcdir top_builddir
OUT=${LINKS_FLOW_OUT:-}
. "$top_srcdir/tests/lib.sh"
README=$top_srcdir/README.md

fail=0; pass=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {	# check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
stop_here() { bad "$*"; echo "$pass passed, $fail failed"; exit 1; }

# readme_block NAME - print the fenced block after the README marker
# "runs this block as it is: NAME", without the list indentation.
readme_block() {
	awk -v name="$1" '
		!inb && index($0, "runs this block as it is: " name " -->") { want = 1; match($0, /^ */); ind = RLENGTH; next }
		want && /^ *```/ { if (inb) exit; inb = 1; next }
		inb { print substr($0, ind + 1) }
	' "$README"
}

lt_init pkgflow
W=$LT_TMP
postfix_was_running=no
postfix status >/dev/null 2>&1 && postfix_was_running=yes
links_user_existed=no
getent passwd links-milter >/dev/null && links_user_existed=yes

# ---- restore what the test changes, whatever happens ----
tar -C /etc -cpf "$W/etc-postfix.tar" postfix || stop_here "cannot back up /etc/postfix"
# etc_postfix_state - every name, mode, owner, time, and each file's checksum
etc_postfix_state() {
	(cd /etc && find postfix -print0 | sort -z | xargs -0 stat -c '%n %a %U %G %Y %F' \
		&& find postfix -type f -print0 | sort -z | xargs -0 md5sum)
}
etc_postfix_state >"$W/etc-postfix.before"
# A policy-rc.d that forbids starting services (container images have
# one) would hide what the maintainer scripts do on a real system.
if [ -e /usr/sbin/policy-rc.d ]; then
	mv /usr/sbin/policy-rc.d "$W/policy-rc.d"
	echo "note: /usr/sbin/policy-rc.d moved aside for the test (restored at the end)"
fi
restore() {
	[ -n "${RESTORED:-}" ] && return 0
	RESTORED=1
	systemctl stop links-milter.service >/dev/null 2>&1
	dpkg -s links-mail >/dev/null 2>&1 && apt-get -y -q purge links-mail >/dev/null 2>&1
	[ -n "${OD_PID:-}" ] && kill "$OD_PID" 2>/dev/null
	systemctl stop postfix >/dev/null 2>&1 || postfix stop >/dev/null 2>&1
	rm -rf /etc/postfix && tar -C /etc -xpf "$W/etc-postfix.tar"
	[ -e "$W/policy-rc.d" ] && mv "$W/policy-rc.d" /usr/sbin/policy-rc.d
	[ "$postfix_was_running" = yes ] && systemctl start postfix >/dev/null 2>&1
	if [ "$links_user_existed" = no ]; then
		deluser --quiet links-milter >/dev/null 2>&1
		delgroup --quiet links-milter >/dev/null 2>&1
		delgroup --quiet links-support >/dev/null 2>&1
	fi
}
lt_cleanup_add restore

# ---- 1. the MX as the admin has it before links-mail ----
[ -f /etc/postfix/main.cf ] || cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf
postconf -F smtp/inet/chroot | grep -q '= y$' || postconf -F smtp/inet/chroot=y
check "smtpd runs chrooted, as Debian ships it" sh -c "postconf -F smtp/inet/chroot | grep -q '= y\$'"
mkdir -p "$W/mail"; chown nobody "$W/mail"
{
	printf 'noreply@ilinks.asia noreply/\nsupport@ilinks.asia support/\n'
	awk -F, 'NR > 1 { print $1 " customers/" $1 "/" }' "$top_srcdir/config/customers.sample.csv" | sort -u
} >"$W/mailboxes"
# The customer whose mail server answers 550: a test domain, routed to a
# private Postfix on loopback (a "remote" MX).
GONE=gone@bounce.example.net
RPORT=$(lt_free_port) || stop_here "no free port"
R=$W/remote
lt_pf_prepare "$R" "$RPORT" remote.test.invalid
mkdir -p "$R/mail"; chown nobody "$R/mail"
cat >>"$R/etc/main.cf" <<CF
virtual_mailbox_domains = bounce.example.net
virtual_mailbox_base = $R/mail
virtual_mailbox_maps = inline:{ kept@bounce.example.net=kept/ }
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
smtpd_recipient_restrictions = check_recipient_access inline:{ { $GONE = 550 5.1.1 mailbox unavailable } }, permit_mynetworks, reject
CF
lt_pf_boot "$R" "$RPORT" "the remote MX"
lt_cleanup_add "postfix -c '$R/etc' stop"
# An OpenDKIM (verify mode) already in the admin's milter lists.
OPORT=$(lt_free_port) || stop_here "no free port"
printf 'Mode v\nSocket inet:%s@127.0.0.1\nAuthservID mx.ilinks.test\nAlwaysAddARHeader yes\nSyslog no\nUserID opendkim\nPidFile %s/opendkim.pid\n' \
	"$OPORT" "$W" >"$W/opendkim.conf"
opendkim -f -x "$W/opendkim.conf" >"$W/opendkim.log" 2>&1 &
OD_PID=$!
lt_wait_for 10 lt_port_busy "$OPORT" || stop_here "OpenDKIM does not listen on $OPORT: $(cat "$W/opendkim.log")"
DKIM="{ inet:127.0.0.1:$OPORT, default_action=accept }"
postconf -e "inet_interfaces = loopback-only" "inet_protocols = ipv4" "myhostname = mx.ilinks.test" \
	"mydestination = localhost" "mynetworks = 127.0.0.0/8" "relayhost =" \
	"virtual_mailbox_domains = ilinks.asia example.vn example.com example.net example.org" \
	"virtual_mailbox_base = $W/mail" "virtual_mailbox_maps = texthash:$W/mailboxes" \
	"virtual_uid_maps = static:$(id -u nobody)" "virtual_gid_maps = static:$(id -g nobody)" \
	"transport_maps = inline:{ bounce.example.net=smtp:[127.0.0.1]:$RPORT }" \
	"smtpd_milters = $DKIM" 'non_smtpd_milters = $smtpd_milters' \
	"recipient_delimiter =" "queue_run_delay = 10s" "minimal_backoff_time = 10s"
# A submission service on loopback (an admin's would add TLS and SASL).
postconf -M submission/inet="submission inet n - y - - smtpd"
postconf -P "submission/inet/syslog_name=postfix/submission"
systemctl restart postfix || stop_here "the system Postfix does not start: $(journalctl -q -n 5 -u 'postfix*' 2>&1)"
lt_wait_for 20 lt_port_busy 25 || stop_here "the system Postfix does not listen on 25"

# ---- 2. dpkg -i ----
dpkg -i "$DEB" >"$W/dpkg-i.log" 2>&1 || stop_here "dpkg -i: $(tail -5 "$W/dpkg-i.log")"
ok "dpkg -i $(basename "$DEB")"
check "the links-milter system user and group exist" sh -c 'getent passwd links-milter | grep -q ":/var/lib/links:" && getent group links-milter >/dev/null'
check "postfix is in the links-milter group" sh -c 'id -nG postfix | tr " " "\n" | grep -qx links-milter'
mode() { stat -c '%a %U %G' "$1" 2>/dev/null; }
check "/var/lib/links is links-milter's, 0750" test "$(mode /var/lib/links)" = "750 links-milter links-milter"
check "/etc/links/keys is links-milter's, 0700" test "$(mode /etc/links/keys)" = "700 links-milter links-milter"
check "the socket folder inside Postfix's chroot is links-milter's, 0750" \
	test "$(mode /var/spool/postfix/links-milter)" = "750 links-milter links-milter"
check "links-support is set-user-id links-milter, for the links-support group only (4750)" \
	test "$(stat -c '%a %U %G' /usr/sbin/links-support 2>/dev/null)" = "4750 links-milter links-support"
check "links.conf is a conffile" sh -c 'dpkg-query -W -f="\${Conffiles}" links-mail | grep -q "/etc/links/links.conf"'
check "tmpfiles.d/links-mail.conf installed" test -f /usr/lib/tmpfiles.d/links-mail.conf
check "the postinst says what to do next" grep -q 'links-store init' "$W/dpkg-i.log"
# Every unit with an [Install] section is enabled (the milter, the
# timers, links-web when the tree has it); the timers' services are not.
UNITS=$(cd /lib/systemd/system && ls links-*.service links-*.timer 2>/dev/null)
check "the package's units include the milter and both timers" \
	sh -c "echo '$UNITS' | grep -qx links-milter.service && echo '$UNITS' | grep -qx links-store-purge.timer && echo '$UNITS' | grep -qx links-sender-outbox.timer"
for u in $UNITS; do
	if grep -q '^\[Install\]' "/lib/systemd/system/$u"; then
		check "$u is enabled" test "$(systemctl is-enabled $u 2>&1)" = enabled
	fi
done
# links-web ships with the package when the tree has it.
WEB=no
if [ -f "$top_srcdir/web/links-web.c" ]; then
	WEB=yes
	check "links-web, its man page and its unit are installed" \
		sh -c 'test -x /usr/sbin/links-web && test -f /usr/share/man/man8/links-web.8.gz && test -f /lib/systemd/system/links-web.service'
fi
check "the postinst started links-milter, which waits: its condition (the key) is unmet, nothing failed" \
	sh -c '[ "$(systemctl is-active links-milter)" = inactive ] && [ "$(systemctl show -P ConditionResult links-milter)" = no ] \
		&& [ "$(systemctl show -P ConditionTimestampMonotonic links-milter)" != 0 ]'
for u in links-store-purge.timer links-sender-outbox.timer; do
	check "$u is started" test "$(systemctl is-active $u)" = active
done
systemctl start links-store-purge.service links-sender-outbox.service
check "before links-store init the timers' services are skipped, not failed" \
	sh -c '[ "$(systemctl show -P ConditionResult links-store-purge.service)" = no ] && [ "$(systemctl show -P ConditionResult links-sender-outbox.service)" = no ] \
		&& ! systemctl is-failed links-store-purge.service links-sender-outbox.service >/dev/null'

# ---- 3. links.conf and the README's links-setup block ----
cat >>/etc/links/links.conf <<CF

# ---- the package test's settings ----
trusted_authserv_ids = mx.ilinks.test
transport = sendmail
log_level = info
bounce_threshold = 1
CF
if [ "$WEB" = yes ]; then
	WPORT=$(lt_free_port) || stop_here "no free port"
	WEB_BASE=https://lienket.ilinks.test/email/
	# links-sender writes the https one-click link under web_base_url
	# (links.conf(5)), where links-web answers.
	printf 'web_listen = 127.0.0.1:%s\nweb_base_url = %s\n' "$WPORT" "$WEB_BASE" >>/etc/links/links.conf
fi
readme_block links-setup >"$W/links-setup.sh"
[ -s "$W/links-setup.sh" ] || stop_here "no links-setup block in the README"
sh -e "$W/links-setup.sh" >"$W/links-setup.log" 2>&1 || stop_here "the README's links-setup block: $(tail -5 "$W/links-setup.log")"
ok "the README's links-setup block ran ($(wc -l <"$W/links-setup.sh") lines)"
check "the key was created by links-milter, mode 0600" test "$(mode /etc/links/keys/master.key)" = "600 links-milter links-milter"
lt_wait_for 15 sh -c '[ "$(systemctl is-active links-milter)" = active ]' \
	|| stop_here "links-milter does not run: $(journalctl -q -n 8 -u links-milter 2>&1)"
SOCK=/var/spool/postfix/links-milter/milter.sock
lt_wait_for 15 test -S "$SOCK" || stop_here "no socket $SOCK: $(journalctl -q -n 8 -u links-milter 2>&1)"
check "links-milter runs (unit, hardened) with its socket at $SOCK, 0660 links-milter" \
	test "$(mode "$SOCK")" = "660 links-milter links-milter"
runuser -u links-milter -- links-store import "$top_srcdir/config/customers.sample.csv" >"$W/import.log" 2>&1 \
	|| stop_here "import: $(tail -3 "$W/import.log")"
printf 'email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at\n%s,Khách Thử,,portal,vps,VPS-9001,active,2024-01-01,\n' "$GONE" \
	>"$W/gone.csv"
runuser -u links-milter -- links-store import "$W/gone.csv" >>"$W/import.log" 2>&1 || stop_here "import $GONE"
ok "customers imported as links-milter"

# ---- 4. the README's postfix-setup block, as it is, twice ----
readme_block postfix-setup >"$W/postfix-setup.sh"
grep -q 'postconf' "$W/postfix-setup.sh" || stop_here "no postfix-setup block in the README"
sh -e "$W/postfix-setup.sh" >"$W/postfix-setup.log" 2>&1 || stop_here "the README's postfix-setup block: $(tail -5 "$W/postfix-setup.log")"
postconf -n >"$W/main.cf.after1"
sh -e "$W/postfix-setup.sh" >>"$W/postfix-setup.log" 2>&1 || stop_here "the README's postfix-setup block (second run)"
postconf -n >"$W/main.cf.after2"
ok "the README's postfix-setup block ran ($(wc -l <"$W/postfix-setup.sh") lines)"
check "running it twice changes nothing" cmp -s "$W/main.cf.after1" "$W/main.cf.after2"
m=$(postconf -h smtpd_milters)
case "$m" in
"$DKIM"*links-milter/milter.sock*) ok "smtpd_milters keeps OpenDKIM first, links-milter after it" ;;
*) bad "smtpd_milters = $m" ;;
esac
n=$(postconf -hx non_smtpd_milters)
check "non_smtpd_milters has links-milter once (it was \$smtpd_milters)" test "$(echo "$n" | grep -o 'links-milter/milter.sock' | wc -l)" -eq 1
check "internal_mail_filter_classes = bounce" test "$(postconf -h internal_mail_filter_classes | tr -d ' ')" = bounce
check "recipient_delimiter = +" test "$(postconf -h recipient_delimiter)" = "+"
check "submission is marked ORIGINATING" sh -c "postconf -P submission/inet/milter_macro_daemon_name | grep -q '= ORIGINATING\$'"
check "postfix check is clean" sh -c '! postfix check 2>&1 | grep -q .'

# ---- 5. the flow ----
box() { find "$W/mail/$1/new" -type f 2>/dev/null | wc -l | tr -d ' '; }
AN=an.nguyen@example.vn
BINH=binh.tran@example.vn
CUONG=cuong.le@example.vn
store() { runuser -u links-milter -- links-store "$@"; }
runuser -u links-milter -- links-sender send --category maintenance --template maintenance --service-type vps --no-progress \
	--set window="22:00–23:00 ngày 28/11/2026" --set impact="VPS khởi động lại, gián đoạn 5 phút" \
	>"$W/send.log" 2>&1 || stop_here "links-sender send: $(tail -5 "$W/send.log")"
ok "links-sender sent a maintenance notice (transport = sendmail)"
nvps=$(awk -F, 'NR>1 && $5=="vps" && $7=="active" {print $1}' "$top_srcdir/config/customers.sample.csv" | sort -u | wc -l)
lt_wait_for 60 sh -c "[ \$(find '$W/mail/customers' -path '*/new/*' -type f | wc -l) -ge $nvps ]" \
	|| stop_here "the $nvps VPS customers did not get the notice: $(postqueue -p | tail -3)"
ok "the $nvps VPS customers with local mailboxes received the notice"
notice=$(find "$W/mail/customers/$AN/new" -type f | head -n 1)
an_before_refusal=$(box "customers/$AN")
msgid=$(sed -n 's/^[Mm]essage-[Ii][Dd]: *//p' "$notice" | head -n 1 | tr -d '\r')

# The remote 5xx: Postfix's own DSN reaches the milter through cleanup
# (bounce_threshold = 1: one hard bounce makes the address undeliverable).
pflog() { journalctl -q --no-pager -o cat -u 'postfix*' 2>/dev/null | grep -v 'connect from\|disconnect from' | tail -n "$1"; }
lt_wait_for 60 sh -c "runuser -u links-milter -- links-store customer show '$GONE' | grep -q '^deliverable: *no'" \
	&& ok "the remote 550 for $GONE: the DSN Postfix wrote passed the milter and was counted (address now undeliverable)" \
	|| bad "the DSN after the remote 550 was not counted: $(runuser -u links-milter -- links-store customer show "$GONE" 2>&1 | grep deliverable); postfix: $(pflog 12)"
check "the DSN to noreply was not delivered to noreply's mailbox (bounce_action = discard)" test "$(box noreply)" -eq 0

# "Từ chối" to the notice, through the chrooted smtpd.
lt_swaks --server 127.0.0.1:25 --from "$AN" --to noreply@ilinks.asia \
	--header "Subject: Re: Thông báo bảo trì" --header "In-Reply-To: $msgid" --header "References: $msgid" \
	--header "Content-Type: text/plain; charset=utf-8" \
	--body "$(printf 'Từ chối\n\n> Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung "Từ chối".\n')" \
	|| bad "swaks (refusal) through the chrooted smtpd: $(tail -3 "$W/swaks.last")"
lt_wait_for 20 sh -c "runuser -u links-milter -- links-store consent-log '$AN' | grep -qi reply" \
	&& ok "the \"Từ chối\" reply through the chrooted smtpd is recorded" \
	|| bad "no refusal recorded for $AN: $(runuser -u links-milter -- links-store consent-log "$AN" 2>&1 | tail -3)"

# A question to noreply reaches support.
lt_swaks --server 127.0.0.1:25 --from "$BINH" --to noreply@ilinks.asia \
	--header "Subject: Re: Thông báo bảo trì" --header "Content-Type: text/plain; charset=utf-8" \
	--body "$(printf 'Chào anh chị,\nTrong lúc bảo trì website của tôi có bị gián đoạn không ạ?\n')" \
	|| bad "swaks (question): $(tail -3 "$W/swaks.last")"
lt_wait_for 30 sh -c "[ \$(find '$W/mail/support/new' -type f 2>/dev/null | wc -l) -ge 1 ]" \
	&& q=$(grep -l -i '^X-Links-Verdict: question' "$W/mail/support/new"/* 2>/dev/null | head -n 1) && [ -n "$q" ] \
	&& ok "the question reached support's mailbox, marked X-Links-Verdict: question" \
	|| bad "no question in support's mailbox"
[ -n "${q:-}" ] && check "OpenDKIM (before links-milter) still saw the mail" grep -qi '^Authentication-Results: mx.ilinks.test' "$q"

# The outbox unit (started here, or already by its timer) sends the
# confirmation: sendmail -> set-group-id postdrop under NoNewPrivileges,
# through the postdrop group.
systemctl start links-sender-outbox.service
check "links-sender-outbox.service ran and succeeded" test "$(systemctl show -P Result links-sender-outbox.service)" = success
lt_wait_for 30 sh -c "[ \$(find '$W/mail/customers/$AN/new' -type f | wc -l) -gt $an_before_refusal ]" \
	&& ok "the opt-out confirmation reached $AN through the outbox unit (sendmail transport)" \
	|| bad "no confirmation for $AN: $(journalctl -q -n 6 -u links-sender-outbox 2>&1)"

# A promotion: AN (who refused) is skipped; its List-Unsubscribe mailto
# (noreply+TOKEN@) is what CUONG uses.
before_an=$(box "customers/$AN"); before_c=$(box "customers/$CUONG")
runuser -u links-milter -- links-sender send --category promotion --template promotion --all --no-progress \
	--set offer="Giảm 20% VPS" --set until=31/12/2026 --set url=https://ilinks.asia/khuyen-mai \
	>"$W/send2.log" 2>&1 || bad "links-sender send promotion: $(tail -3 "$W/send2.log")"
lt_wait_for 60 sh -c "[ \$(find '$W/mail/customers/$CUONG/new' -type f | wc -l) -gt $before_c ]" \
	|| bad "$CUONG did not get the promotion"
sleep 2
check "the promotion skipped $AN, who refused" test "$(box "customers/$AN")" -eq "$before_an"
# header FILE NAME - the unfolded value of header NAME in FILE
header() {
	tr -d '\r' <"$1" | awk -v name="$2" '
		/^$/ { exit }
		/^[ \t]/ { if (on) v = v " " substr($0, 2); next }
		{ if (on) exit; if (tolower(substr($0, 1, length(name) + 1)) == tolower(name) ":") { on = 1; v = substr($0, length(name) + 2) } }
		END { if (on) print v }'
}
cn=$(grep -l '^List-Unsubscribe:' "$W/mail/customers/$CUONG/new"/* 2>/dev/null | head -n 1)
lu=$(header "$cn" List-Unsubscribe | sed -n 's/.*<mailto:\([^>?]*\).*/\1/p')
case "$lu" in
noreply+*@ilinks.asia)
	lt_swaks --server 127.0.0.1:25 --from "$CUONG" --to "$lu" --header "Subject: unsubscribe" --body "unsubscribe" \
		&& ok "Postfix accepted the List-Unsubscribe mailto $(echo "$lu" | sed 's/+.*@/+TOKEN@/') (recipient_delimiter)" \
		|| bad "the List-Unsubscribe mailto was refused: $(grep -m1 '<-  *5' "$W/swaks.last")"
	lt_wait_for 20 sh -c "runuser -u links-milter -- links-store consent-log '$CUONG' | grep -q refused" \
		&& ok "the List-Unsubscribe mailto recorded $CUONG's refusal" \
		|| bad "no refusal recorded for $CUONG after the mailto"
	;;
*) bad "no List-Unsubscribe mailto in the promotion to $CUONG: '$lu' $(ls "$W/mail/customers/$CUONG/new"; sed -n '1,/^\r*$/p' "$(ls -t "$W/mail/customers/$CUONG/new"/* | head -n 1)" | head -40)" ;;
esac

# RFC 8058 one-click through links-web (the unit as packaged, the https
# link of the promotion with the proxy's part cut off).
if [ "$WEB" = yes ]; then
	systemctl start links-web.service
	lt_wait_for 15 lt_port_busy "$WPORT" \
		&& ok "links-web.service runs (hardened unit) and listens on 127.0.0.1:$WPORT" \
		|| bad "links-web.service does not listen: $(journalctl -q -n 8 -u links-web 2>&1)"
	GH=ha.vu@example.net
	lt_wait_for 30 sh -c "grep -q '^List-Unsubscribe:' '$W/mail/customers/$GH/new'/* 2>/dev/null"
	hn=$(grep -l '^List-Unsubscribe:' "$W/mail/customers/$GH/new"/* 2>/dev/null | head -n 1)
	wu=$( [ -n "$hn" ] && header "$hn" List-Unsubscribe | tr ',' '\n' | sed -n "s|.*<$WEB_BASE\([^>]*\)>.*|\1|p" | head -n 1)
	check "the promotion's List-Unsubscribe has the https one-click link and List-Unsubscribe-Post" \
		sh -c "[ -n '$wu' ] && grep -qi '^List-Unsubscribe-Post: *List-Unsubscribe=One-Click' '$hn'"
	code=$(curl -s -o "$W/oneclick.html" -w '%{http_code}' --max-time 20 -H 'X-Forwarded-For: 198.51.100.7' \
		--data 'List-Unsubscribe=One-Click' "http://127.0.0.1:$WPORT/email/$wu")
	check "the one-click POST answered 200" test "$code" = 200
	lt_wait_for 10 sh -c "runuser -u links-milter -- links-store consent-log '$GH' | grep -q one_click" \
		&& ok "the one-click POST to links-web recorded $GH's refusal (channel one_click)" \
		|| bad "no one_click refusal for $GH: $(runuser -u links-milter -- links-store consent-log "$GH" 2>&1 | tail -3)"
	check "links-web logged no error" sh -c "! journalctl -q -u links-web -p err 2>/dev/null | grep -q ."
fi

systemctl start links-store-purge.service
check "links-store-purge.service ran and succeeded" test "$(systemctl show -P Result links-store-purge.service)" = success

# Mail submitted on port 587 (ORIGINATING) is never taken for a reply:
# the very refusal that was applied on port 25 for AN, for GIANG.
GIANG=giang.hoang@example.vn
gmsgid=$(sed -n 's/^[Mm]essage-[Ii][Dd]: *//p' "$(find "$W/mail/customers/$GIANG/new" -type f | head -n 1)" | head -n 1 | tr -d '\r')
if ! grep -q '^#*originating_daemons' /etc/links/links.conf; then
	echo "STEP NOT RUN: submission (ORIGINATING) skip: this links-milter has no originating_daemons yet (the milter engineer's part of issue 13)"
elif lt_swaks --server 127.0.0.1:587 --from "$GIANG" --to noreply@ilinks.asia \
	--header "Subject: Re: Thông báo bảo trì" --header "In-Reply-To: $gmsgid" \
	--header "Content-Type: text/plain; charset=utf-8" --body "Từ chối"; then
	sleep 3
	if runuser -u links-milter -- links-store consent-log "$GIANG" | grep -q .; then
		bad "a \"Từ chối\" submitted on port 587 (ORIGINATING) was taken for a customer's refusal"
	else
		ok "a \"Từ chối\" submitted on port 587 (ORIGINATING) was not taken for a refusal"
	fi
else
	bad "swaks on port 587: $(tail -3 "$W/swaks.last")"
fi

# The same socket with a non-chrooted smtpd.
postconf -F smtp/inet/chroot=n && postfix reload >/dev/null 2>&1
sleep 2
nsup=$(box support)
HAI=hai.dang@example.vn
lt_swaks --server 127.0.0.1:25 --from "$HAI" --to noreply@ilinks.asia --header "Subject: Câu hỏi" \
	--header "Content-Type: text/plain; charset=utf-8" --body "Cho tôi hỏi giá gia hạn VPS năm tới là bao nhiêu?" \
	|| bad "swaks with a non-chrooted smtpd: $(tail -3 "$W/swaks.last")"
lt_wait_for 30 sh -c "[ \$(find '$W/mail/support/new' -type f | wc -l) -gt $nsup ]" \
	&& ok "with a non-chrooted smtpd the same smtpd_milters line reaches the milter (question in support)" \
	|| bad "non-chrooted smtpd: the question did not reach support"

# The running units' exposure, as systemd rates them.
for u in $(echo "$UNITS" | grep '\.service$'); do
	s=$(systemd-analyze security "$u" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	[ -n "$OUT" ] && echo "$u $s" >>"$OUT/security.txt"
	[ -n "$s" ] && awk "BEGIN { exit !($s <= 4.0) }" && ok "systemd-analyze security $u: $s" || bad "systemd-analyze security $u: '$s'"
done
check "links-milter logged no error" sh -c "! journalctl -q -u links-milter -p err 2>/dev/null | grep -q ."
runuser -u links-milter -- links-store stats >"$W/stats.txt" 2>&1 && [ -n "$OUT" ] && cp "$W/stats.txt" "$OUT/"

# ---- an upgrade: the package's links.conf changed, the admin's too ----
U=$W/upgrade
rm -rf "$U" && dpkg-deb -R "$DEB" "$U" || stop_here "dpkg-deb -R"
echo "# a line a newer package adds" >>"$U/etc/links/links.conf"
sed -i 's/^Version: .*/&+upgrade1/' "$U/DEBIAN/control"
(cd "$U" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | sort | xargs md5sum >DEBIAN/md5sums)
dpkg-deb -b "$U" "$W/upgrade.deb" >/dev/null 2>&1 || stop_here "dpkg-deb -b (upgrade)"
pid_before=$(systemctl show -P MainPID links-milter)
customers_before=$(runuser -u links-milter -- links-store customer list | wc -l)
dpkg -i --force-confdef --force-confold "$W/upgrade.deb" >"$W/upgrade.log" 2>&1 || bad "upgrade: $(tail -3 "$W/upgrade.log")"
check "after an upgrade the edited links.conf is kept, the package's new one is links.conf.dpkg-dist" \
	sh -c "grep -q '^trusted_authserv_ids = mx.ilinks.test' /etc/links/links.conf && grep -q 'a newer package adds' /etc/links/links.conf.dpkg-dist"
lt_wait_for 15 sh -c '[ "$(systemctl is-active links-milter)" = active ] && test -S /var/spool/postfix/links-milter/milter.sock'
check "the upgrade restarted the milter (new process, socket back)" \
	sh -c "[ \"\$(systemctl is-active links-milter)\" = active ] && [ \"\$(systemctl show -P MainPID links-milter)\" != '$pid_before' ] && test -S /var/spool/postfix/links-milter/milter.sock"
check "the upgrade kept the store and the key ($customers_before customers)" \
	test "$(runuser -u links-milter -- links-store customer list | wc -l)" -eq "$customers_before"
rm -f /etc/links/links.conf.dpkg-dist

# ---- 7. apt purge, and the machine as it was ----
apt-get -y -q purge links-mail >"$W/purge.log" 2>&1 || bad "apt purge: $(tail -3 "$W/purge.log")"
check "apt purge says what it deletes" grep -q 'purge: deleting the customer store /var/lib/links' "$W/purge.log"
check "the store, the key and the socket folder are gone" sh -c '! test -e /var/lib/links && ! test -e /etc/links && ! test -e /var/spool/postfix/links-milter'
check "no statoverride is left for links-support" sh -c '! dpkg-statoverride --list /usr/sbin/links-support >/dev/null'
check "the milter is stopped" sh -c '[ "$(systemctl is-active links-milter)" != active ]'
check "its unit files are gone" sh -c '! ls /lib/systemd/system/links-* /etc/systemd/system/*/links-* 2>/dev/null | grep -q .'
restore
etc_postfix_state >"$W/etc-postfix.after"
cmp -s "$W/etc-postfix.before" "$W/etc-postfix.after" && ok "/etc/postfix is restored exactly (names, modes, owners, times, contents)" \
	|| bad "/etc/postfix differs after the restore: $(diff "$W/etc-postfix.before" "$W/etc-postfix.after" | head -6)"
if [ "$postfix_was_running" = no ]; then
	check "the system Postfix is stopped again" sh -c '! postfix status >/dev/null 2>&1'
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
