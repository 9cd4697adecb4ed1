#!/bin/sh
# make install DESTDIR=...: every program, man page, the sample config, the
# templates, the systemd units and the tmpfiles.d file land in the usual
# places, with the configured paths substituted (units, man pages); the
# installed programs answer --version and --help; with the installed sample
# config (plus a private store, socket and pid file, appended) links-store
# init works and links-milter -n accepts the config; systemd-analyze verify
# accepts the units where it exists. A second make install keeps an edited
# links.conf (the new one goes to links.conf.sample); make uninstall keeps
# the edited links.conf and removes every other file, and removes an
# unchanged links.conf too.
set -u
B=${top_builddir:?}
: "${top_srcdir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/links-install.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
fail=0; pass=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

D=$T/dest
make -s -C "$B" install DESTDIR="$D" >"$T/install.log" 2>&1 || { cat "$T/install.log"; echo "0 passed, 1 failed"; exit 1; }
prefix=$(sed -n 's/^prefix = //p' "$B/Makefile")
sysconfdir=$(sed -n 's/^sysconfdir = //p' "$B/Makefile" | sed "s|\${prefix}|$prefix|")
unitdir=$(sed -n 's/^systemdsystemunitdir = //p' "$B/Makefile" | sed "s|\${prefix}|$prefix|")
P=$D$prefix
for f in sbin/links-milter sbin/links-store bin/links-sender; do
	[ -x "$P/$f" ] && ok "$f installed" || bad "$f missing"
done
for f in share/man/man8/links-milter.8 share/man/man8/links-store.8 share/man/man1/links-sender.1 share/man/man5/links.conf.5; do
	[ -f "$P/$f" ] && ok "$f installed" || bad "$f missing"
done
[ -f "$D$sysconfdir/links/links.conf" ] && ok "links.conf installed" || bad "links.conf missing from $sysconfdir/links"
[ -f "$D$sysconfdir/links/links.conf.sample" ] && ok "links.conf.sample installed beside it" || bad "links.conf.sample missing"
tmpfilesdir=$(sed -n 's/^tmpfilesdir = //p' "$B/Makefile" | sed "s|\${prefix}|$prefix|")
localstatedir=$(sed -n 's/^localstatedir = //p' "$B/Makefile" | sed "s|\${prefix}|$prefix|")
tf=$D$tmpfilesdir/links-mail.conf
if [ -f "$tf" ] && grep -q "^d $localstatedir/spool/postfix/links-milter 0750 links-milter links-milter" "$tf" \
    && grep -q "^d $sysconfdir/links/keys 0700 links-milter links-milter" "$tf" && ! grep -q '@[A-Z]*@' "$tf"; then
	ok "tmpfiles.d/links-mail.conf installed (store, key and socket folders, paths substituted)"
else
	bad "tmpfiles.d file $tf: $(cat "$tf" 2>&1 | head -3)"
fi
left=$(grep -l '@[A-Z][A-Z]*@' "$P"/share/man/man*/* 2>/dev/null)
[ -z "$left" ] && ok "installed man pages have their paths substituted" || bad "literal @VARIABLE@ left in: $left"
grep -q "$sysconfdir/links/links.conf" "$P/share/man/man1/links-sender.1" && ok "links-sender.1 names $sysconfdir/links/links.conf" \
	|| bad "links-sender.1 does not name $sysconfdir/links/links.conf"
n=$(ls "$P/share/links-mail/templates/" 2>/dev/null | wc -l)
[ "$n" -ge 9 ] && ok "$n templates installed" || bad "only $n templates in share/links-mail/templates"
[ -f "$P/share/links-mail/customers.sample.csv" ] && ok "sample customers installed" || bad "sample CSV missing"
for u in links-milter.service links-store-purge.service links-store-purge.timer links-sender-outbox.service links-sender-outbox.timer \
	links-sender-digest.service links-sender-digest.timer; do
	[ -f "$D$unitdir/$u" ] && ok "unit $u installed" || bad "unit $u missing"
done
grep -q "^ExecStart=$prefix/sbin/links-milter -f" "$D$unitdir/links-milter.service" && ok "unit paths substituted" || bad "links-milter.service ExecStart"

if command -v readelf >/dev/null 2>&1; then
	for p in sbin/links-milter sbin/links-store bin/links-sender; do
		readelf -h "$P/$p" 2>/dev/null | grep -q 'Type:.*DYN' && ok "$p is position independent (ASLR)" \
			|| bad "$p is not PIE: $(readelf -h "$P/$p" | grep Type:)"
	done
fi
for p in sbin/links-milter sbin/links-store bin/links-sender; do
	"$P/$p" --version >"$T/v" 2>&1 && grep -q "0\.[0-9]" "$T/v" && ok "$p --version" || bad "$p --version: $(head -1 "$T/v")"
	"$P/$p" --help >"$T/h" 2>&1 && grep -qi "usage" "$T/h" && ok "$p --help" || bad "$p --help"
done

# The installed sample config, with a private store appended.
cp "$D$sysconfdir/links/links.conf" "$T/links.conf"
printf 'store_path = %s/links.db\nkey_file = %s/master.key\ntemplate_dir = %s/share/links-mail/templates\nsocket = unix:%s/milter.sock\npid_file = %s/milter.pid\n' "$T" "$T" "$P" "$T" "$T" >>"$T/links.conf"
"$P/sbin/links-store" -c "$T/links.conf" init >"$T/init.log" 2>&1 && ok "links-store init with the installed config" || { bad "links-store init"; cat "$T/init.log"; }
"$P/sbin/links-store" -c "$T/links.conf" import "$P/share/links-mail/customers.sample.csv" >"$T/imp.log" 2>&1 && ok "import the installed sample" || { bad "import"; tail -5 "$T/imp.log"; }
"$P/sbin/links-milter" -n -c "$T/links.conf" >"$T/n.log" 2>&1 && ok "links-milter -n accepts the installed config" || { bad "links-milter -n"; cat "$T/n.log"; }
# A socket folder the milter cannot write (as under ProtectSystem=strict
# without ReadWritePaths): exit 69, and the message names the folder and
# the errno.
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	mkdir -p "$T/ro"
	cp "$T/links.conf" "$T/ro.conf"
	echo "socket = unix:$T/ro/milter.sock" >>"$T/ro.conf"
	unshare -m sh -c "mount -t tmpfs -o ro tmpfs '$T/ro' && exec '$P/sbin/links-milter' -f -e -c '$T/ro.conf'" >"$T/ro.log" 2>&1; rc=$?
	[ $rc -eq 69 ] && grep -q "folder $T/ro: Read-only file system" "$T/ro.log" \
		&& ok "links-milter on a read-only socket folder: exit 69 naming the folder and the errno" \
		|| bad "read-only socket folder: rc=$rc $(cat "$T/ro.log")"
else
	echo "skip: the read-only socket folder case needs root and unshare"
fi
echo "nonsense_option = 1" >>"$T/links.conf"
"$P/sbin/links-milter" -n -c "$T/links.conf" >"$T/n2.log" 2>&1; rc=$?
[ $rc -eq 78 ] && grep -q "links.conf:[0-9]*: unknown option" "$T/n2.log" && ok "links-milter -n rejects a bad config (EX_CONFIG, file:line)" || bad "links-milter -n on a bad config: rc=$rc $(cat "$T/n2.log")"

if command -v systemd-analyze >/dev/null 2>&1; then
	# verify needs the binaries at their real paths: point the units at the DESTDIR copies.
	mkdir -p "$T/units"
	for u in "$D$unitdir"/*; do sed "s|$prefix/|$P/|g" "$u" >"$T/units/$(basename "$u")"; done
	if MANPATH="$P/share/man" systemd-analyze verify "$T"/units/*.service "$T"/units/*.timer >"$T/verify.log" 2>&1; then
		ok "systemd-analyze verify"
	else
		bad "systemd-analyze verify: $(cat "$T/verify.log")"
	fi
else
	echo "skip: systemd-analyze not installed"
fi
# An admin's edits survive a second make install and make uninstall.
conf=$D$sysconfdir/links/links.conf
echo "company_name = EDITED" >>"$conf"
make -s -C "$B" install DESTDIR="$D" >"$T/install2.log" 2>&1 || bad "second make install: $(tail -3 "$T/install2.log")"
grep -q '^company_name = EDITED' "$conf" && ok "a second make install keeps the edited links.conf" || bad "make install replaced the edited links.conf"
cmp -s "$top_srcdir/config/links.conf" "$D$sysconfdir/links/links.conf.sample" && grep -q 'links.conf.sample' "$T/install2.log" \
	&& ok "the new config is links.conf.sample beside it, and make install says so" || bad "links.conf.sample after a second install: $(cat "$T/install2.log")"
make -s -C "$B" uninstall DESTDIR="$D" >"$T/uninstall.log" 2>&1
left=$(find "$D" -type f)
[ "$left" = "$conf" ] && grep -q '^company_name = EDITED' "$conf" && ok "uninstall keeps the edited links.conf and removes every other file" \
	|| bad "uninstall left: $(echo "$left" | head -5)"
grep -q 'kept' "$T/uninstall.log" && ok "uninstall says it kept links.conf" || bad "uninstall is silent about links.conf: $(cat "$T/uninstall.log")"
# An unchanged links.conf is removed like any other installed file.
rm -rf "$D"
make -s -C "$B" install DESTDIR="$D" >/dev/null 2>&1 && make -s -C "$B" uninstall DESTDIR="$D" >/dev/null 2>&1
left=$(find "$D" -type f | wc -l)
[ "$left" -eq 0 ] && ok "install then uninstall with an unchanged links.conf removes every file" || bad "uninstall left $left files: $(find "$D" -type f | head -5)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
