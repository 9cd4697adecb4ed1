#!/bin/sh
# The systemd units as built (config/systemd/*.service): every service
# carries the one shared hardening block of links-milter.service.in, word
# for word (web's unit included, when it exists), runs as an unprivileged
# user (milter, purge, outbox, digest: links-milter, the store's owner) and waits
# for the master key (ConditionPathExists) that "links-store init" creates; the paths each may write are exactly those
# it needs (milter: the store and the socket folder inside Postfix's
# chroot; purge: the store; outbox and digest: the store, Postfix's
# maildrop, outdir, with the postdrop group for the sendmail transport);
# the digest's timer fires daily at 07:00, Persistent; and
# "systemd-analyze security" rates each service at 4.0 or lower
# (the figures are printed, for tests/RELIABILITY.md).
set -u
S=${top_srcdir:?}
B=${top_builddir:?}
fail=0; pass=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
MAX_EXPOSURE=4.0
T=$(mktemp -d "${TMPDIR:-/tmp}/links-units.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

make -s -C "$B/config" $(cd "$S/config" && ls systemd/*.in | sed 's/\.in$//') >/dev/null 2>&1 \
	|| { echo "FAIL: cannot build the units"; echo "0 passed, 1 failed"; exit 1; }
block() { sed -n '/^# ---- links-mail hardening/,/^# ---- end of the shared hardening/p' "$1"; }
block "$S/config/systemd/links-milter.service.in" >"$T/ref"
[ "$(wc -l <"$T/ref")" -gt 20 ] && ok "the shared hardening block has $(wc -l <"$T/ref") lines" || bad "no hardening block in links-milter.service.in"
sysconfdir=$(sed -n 's/^sysconfdir = //p' "$B/Makefile")
prefix=$(sed -n 's/^prefix = //p' "$B/Makefile")
sysconfdir=$(echo "$sysconfdir" | sed "s|\${prefix}|$prefix|")
localstatedir=$(sed -n 's/^localstatedir = //p' "$B/Makefile" | sed "s|\${prefix}|$prefix|")

for in in "$S"/config/systemd/*.service.in; do
	u=$(basename "$in" .in)
	f=$B/config/systemd/$u
	block "$in" >"$T/this"
	cmp -s "$T/ref" "$T/this" && ok "$u: the shared hardening block" || bad "$u: hardening differs from links-milter.service.in: $(diff "$T/ref" "$T/this" | head -5)"
	grep -q '^User=[a-z]' "$f" && ! grep -q '^User=root$' "$f" && ok "$u: runs as $(sed -n 's/^User=//p' "$f")" || bad "$u: no unprivileged User="
	grep -q "^ConditionPathExists=$sysconfdir/links/keys/master.key$" "$f" && ok "$u: waits for the key of links-store init" \
		|| bad "$u: no ConditionPathExists on $sysconfdir/links/keys/master.key"
	if command -v systemd-analyze >/dev/null 2>&1; then
		score=$(systemd-analyze security --offline=true "$f" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
		if [ -n "$score" ] && awk "BEGIN { exit !($score <= $MAX_EXPOSURE) }"; then
			ok "$u: systemd-analyze security $score (at most $MAX_EXPOSURE)"
		else
			bad "$u: systemd-analyze security '${score:-no score}' (more than $MAX_EXPOSURE)"
			systemd-analyze security --offline=true "$f" 2>&1 | grep '✗' | head -20
		fi
	fi
done

for u in links-milter.service links-store-purge.service links-sender-outbox.service links-sender-digest.service; do
	grep -q '^User=links-milter$' "$B/config/systemd/$u" && ok "$u: runs as links-milter, the store's owner" || bad "$u: not User=links-milter"
done
# The writable paths, unit by unit (ProtectSystem=strict makes all else read-only).
rw() { { grep '^ReadWritePaths=' "$1" | sed 's/^ReadWritePaths=//'; grep '^StateDirectory=' "$1" | sed "s|^StateDirectory=|$localstatedir/lib/|"; } | tr ' ' '\n' | sed 's/^-//' | sort | tr '\n' ' '; }
U=$B/config/systemd
exp_milter="$localstatedir/lib/links $localstatedir/spool/postfix/links-milter "
exp_purge="$localstatedir/lib/links "
exp_outbox="$localstatedir/lib/links $localstatedir/spool/links $localstatedir/spool/postfix/maildrop "
[ "$(rw "$U/links-milter.service")" = "$exp_milter" ] && ok "links-milter writes only $exp_milter" || bad "links-milter writes: $(rw "$U/links-milter.service")"
[ "$(rw "$U/links-store-purge.service")" = "$exp_purge" ] && ok "links-store-purge writes only $exp_purge" || bad "purge writes: $(rw "$U/links-store-purge.service")"
[ "$(rw "$U/links-sender-outbox.service")" = "$exp_outbox" ] && ok "links-sender-outbox writes only $exp_outbox" || bad "outbox writes: $(rw "$U/links-sender-outbox.service")"
grep -q '^SupplementaryGroups=postdrop$' "$U/links-sender-outbox.service" && ok "outbox: postdrop group (sendmail transport under NoNewPrivileges)" || bad "outbox: no postdrop group"
[ "$(rw "$U/links-sender-digest.service")" = "$exp_outbox" ] && ok "links-sender-digest writes only $exp_outbox" || bad "digest writes: $(rw "$U/links-sender-digest.service")"
grep -q '^SupplementaryGroups=postdrop$' "$U/links-sender-digest.service" && ok "digest: postdrop group (sendmail transport)" || bad "digest: no postdrop group"
grep -q "^ExecStart=.*/links-sender -c $sysconfdir/links/links.conf digest$" "$U/links-sender-digest.service" \
	&& ok "digest: runs links-sender digest" || bad "digest: ExecStart $(grep ^ExecStart "$U/links-sender-digest.service")"
grep -q '^OnCalendar=\*-\*-\* 07:00$' "$U/links-sender-digest.timer" && grep -q '^Persistent=true$' "$U/links-sender-digest.timer" \
	&& grep -q '^WantedBy=timers.target$' "$U/links-sender-digest.timer" \
	&& ok "digest timer: daily at 07:00, Persistent, enabled with timers.target" || bad "digest timer: $(grep -v '^#' "$U/links-sender-digest.timer" | tr '\n' ' ')"
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze calendar '*-*-* 07:00' >/dev/null 2>&1 && ok "digest timer: OnCalendar parses" || bad "digest timer: OnCalendar does not parse"
fi
# The default socket lies in the folder the milter may write and tmpfiles.d creates.
sock=$(sed -n 's/^#socket = unix://p' "$S/config/links.conf")
[ "$(dirname "$sock")" = "$localstatedir/spool/postfix/links-milter" ] || [ "$(dirname "$sock")" = "/var/spool/postfix/links-milter" ] \
	&& ok "the default socket $sock is in Postfix's chroot, in the milter's writable folder" || bad "default socket $sock is not in the socket folder"
grep -q "^d .*/spool/postfix/links-milter 0750 links-milter links-milter" "$S/config/systemd/tmpfiles.d/links-mail.conf.in" \
	&& ok "tmpfiles.d creates the socket folder" || bad "tmpfiles.d does not create the socket folder"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
