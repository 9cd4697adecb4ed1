#!/bin/sh
# NAME
#	install-package.sh - build the Debian package, install it, run the
#	whole flow through the system Postfix as the README says, purge it
# SYNOPSIS
#	LINKS_PACKAGE_TEST=1 make check TESTS=install-package.sh
# DESCRIPTION
#	The package test (issue 13). Slow (it builds the package), and it
#	installs a package and configures the system Postfix, so it runs
#	only when LINKS_PACKAGE_TEST=1 (scripts/test sets it for its plain
#	make check, once); otherwise it skips and says so.
#	 1. make dist; dpkg-buildpackage -us -uc -b in the unpacked tree,
#	    with no network (unshare --net), tests off (make check ran them);
#	 2. lintian: no error (its output and the units' security scores are
#	    kept in install-package.out, for tests/RELIABILITY.md);
#	 3. tests/install-package-flow.sh: dpkg -i, the README's blocks as
#	    they are, the flow, apt purge, /etc/postfix restored. On a machine
#	    booted with systemd whose Postfix is not running it runs on the
#	    machine itself; otherwise (a live MX, a container, a shared build
#	    host) in a throw-away boot of this machine (systemd-nspawn on an
#	    overlay of /, private network with only loopback, writes in a
#	    tmpfs), where the units run under a real systemd.
#	    LINKS_PACKAGE_TEST_MODE=system|container chooses.
#	Skips (77) when not root, not Debian, or a tool is missing.
#	LINKS_PACKAGE_DEB=FILE skips steps 1 and 2 and installs FILE (for
#	work on the flow); LINKS_PACKAGE_KEEP=DIR keeps the built files there.
#	Prints "N passed, M failed".
set -u
S=${top_srcdir:?}
B=${top_builddir:?}
OUTF=$B/tests/install-package.out	# lintian output and security scores, for RELIABILITY.md
skip() { echo "SKIP: $*"; exit 77; }
[ "${LINKS_PACKAGE_TEST:-}" = 1 ] || skip "the package test runs only with LINKS_PACKAGE_TEST=1 (scripts/test sets it): it builds and installs a .deb"
[ "$(id -u)" -eq 0 ] || skip "the package test needs root (dpkg -i, the system Postfix)"
[ -f /etc/debian_version ] && command -v dpkg >/dev/null 2>&1 || skip "not a Debian system (no /etc/debian_version or dpkg)"
for t in dpkg-buildpackage dh lintian postfix swaks opendkim; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || skip "$t is not installed (scripts/install-deps)"
done
mode=${LINKS_PACKAGE_TEST_MODE:-}
if [ -z "$mode" ]; then
	# On the machine only when it is booted with systemd and its Postfix
	# is not running (a test machine, not a live MX).
	if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && ! postfix status >/dev/null 2>&1; then
		mode=system
	else
		mode=container
	fi
fi
if [ "$mode" = container ]; then
	command -v systemd-nspawn >/dev/null 2>&1 || skip "systemd is not PID 1 and systemd-nspawn is missing (scripts/install-deps)"
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlay file system for the throw-away boot"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/links-package.XXXXXX")
chmod 755 "$T"
NSPAWN_PID=""
CG=""
cleanup() {
	st=$?
	if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
		ct_run systemctl poweroff >/dev/null 2>&1
		i=0
		while kill -0 "$NSPAWN_PID" 2>/dev/null && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
		kill -KILL "$NSPAWN_PID" 2>/dev/null
		[ -n "${LEADER:-}" ] && kill -KILL "$LEADER" 2>/dev/null
		sleep 1
	fi
	if [ -n "$CG" ]; then
		for d in $CG; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done
	fi
	umount -R "$T/ct/root" 2>/dev/null; umount "$T/ct/ovl" 2>/dev/null
	rm -rf "$T"
	exit $st
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# One package test at a time on this machine.
exec 9>/run/lock/links-package-test.lock 2>/dev/null || exec 9>/tmp/links-package-test.lock
flock -w 3600 9 || { echo "FAIL: another package test holds the lock for an hour"; exit 1; }

fail=0; pass=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
die() { bad "$*"; echo "$pass passed, $fail failed"; exit 1; }

# ---- 1. the package, built from the distributed tree, with no network ----
V=$(sed -n 's/^VERSION = //p' "$B/Makefile")
if [ -n "${LINKS_PACKAGE_DEB:-}" ]; then
	DEB=$LINKS_PACKAGE_DEB
	echo "note: LINKS_PACKAGE_DEB: installing $DEB (not built, not checked by lintian here)"
else
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$B" dist-gzip >"$T/dist.log" 2>&1 || die "make dist: $(tail -5 "$T/dist.log")"
	mkdir -p "$T/pkg" && tar -C "$T/pkg" -xzf "$B/links-mail-$V.tar.gz" && rm -f "$B/links-mail-$V.tar.gz" || die "unpack the dist"
	net="unshare --net"
	$net true 2>/dev/null || { net=""; echo "note: unshare --net is not permitted here: building with the network present"; }
	start=$(date +%s)
	(cd "$T/pkg/links-mail-$V" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL DEB_BUILD_OPTIONS="nocheck parallel=2" \
		nice $net dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1 \
		|| die "dpkg-buildpackage -us -uc -b: $(grep -i 'error' "$T/build.log" | tail -5)"
	DEB=$(ls "$T/pkg"/links-mail_"$V"_*.deb 2>/dev/null | head -n 1)
	[ -n "$DEB" ] || die "no links-mail_${V}_*.deb after the build"
	ok "dpkg-buildpackage -us -uc -b${net:+ with no network} built $(basename "$DEB") in $(( $(date +%s) - start )) s"

	# ---- 2. lintian ----
	CHANGES=$(ls "$T/pkg"/links-mail_"$V"_*.changes | head -n 1)
	lintian --pedantic "$CHANGES" >"$T/lintian.out" 2>&1
	{ echo "# lintian $(lintian --version | sed 's/^Lintian v//') --pedantic $(basename "$CHANGES")"; cat "$T/lintian.out"; } >"$OUTF"
	errors=$(grep -c '^E:' "$T/lintian.out")
	[ "$errors" -eq 0 ] && ok "lintian: no error ($(grep -c '^[WIPX]:' "$T/lintian.out") warnings, infos, pedantic tags)" \
		|| bad "lintian: $errors errors: $(grep '^E:' "$T/lintian.out" | head -5)"
	sed 's/^/    /' "$T/lintian.out"
	[ -n "${LINKS_PACKAGE_KEEP:-}" ] && mkdir -p "$LINKS_PACKAGE_KEEP" && cp "$T/pkg"/*.deb "$T/pkg"/*.changes "$T/build.log" "$T/lintian.out" "$LINKS_PACKAGE_KEEP/"
fi

# ---- the package ships what the tree builds ----
# am_var FILE VAR - the words of VAR in a Makefile.am (= and +=, with
# continuation lines)
am_var() {
	awk -v var="$2" '
		cont { line = line " " $0 }
		!cont { line = $0 }
		/\\$/ { sub(/\\$/, "", line); cont = 1; next }
		{ cont = 0 }
		line ~ "^" var "[ \t]*\\+?=" { sub(/^[^=]*=/, "", line); print line }
	' "$1" | tr ' \t' '\n\n' | grep -v '^$'
}
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/contents"
shipped() { grep -qx "$1" "$T/contents"; }
missing=""
n=0
for mk in "$S"/*/Makefile.am; do
	for p in $(am_var "$mk" sbin_PROGRAMS); do n=$((n + 1)); shipped "/usr/sbin/$p" || missing="$missing /usr/sbin/$p"; done
	for p in $(am_var "$mk" bin_PROGRAMS); do n=$((n + 1)); shipped "/usr/bin/$p" || missing="$missing /usr/bin/$p"; done
done
for m in $(am_var "$S/doc/Makefile.am" dist_man_MANS); do
	n=$((n + 1)); shipped "/usr/share/man/man${m##*.}/$m.gz" || missing="$missing $m"
done
for u in "$S"/config/systemd/*.in; do
	u=$(basename "$u" .in)
	n=$((n + 1)); shipped "/lib/systemd/system/$u" || missing="$missing $u"
done
for f in "$S"/config/templates/*.tmpl; do
	n=$((n + 1)); shipped "/usr/share/links-mail/templates/$(basename "$f")" || missing="$missing $(basename "$f")"
done
n=$((n + 2))
shipped /etc/links/links.conf || missing="$missing /etc/links/links.conf"
shipped /usr/lib/tmpfiles.d/links-mail.conf || missing="$missing tmpfiles.d/links-mail.conf"
[ "$n" -gt 20 ] && [ -z "$missing" ] && ok "the package ships every program, man page, unit and template of the tree ($n files)" \
	|| bad "the package lacks:$missing (of $n files)"

# ---- 3. on the machine, or in a throw-away boot of it ----
SHARE=$T/share
mkdir -p "$SHARE/out" && cp "$DEB" "$SHARE/" && chmod -R a+rX "$SHARE"
ct_run() { nsenter -t "$LEADER" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
if [ "$mode" = system ]; then
	echo "note: on this machine (systemd is PID 1)"
	LINKS_FLOW_OUT=$SHARE/out sh "$S/tests/install-package-flow.sh" "$SHARE/$(basename "$DEB")" >"$T/flow.log" 2>&1
	frc=$?
else
	echo "note: in a throw-away boot of this machine (systemd-nspawn, overlay of /, loopback only)"
	mkdir -p "$T/ct/ovl" "$T/ct/root"
	# The container's cgroups live in one folder of ours, removed at the end.
	for m in $(findmnt -rn -t cgroup,cgroup2 -o TARGET,FSTYPE,OPTIONS | awk '$2 == "cgroup2" || $3 ~ /name=systemd/ { print $1 }'); do
		d=$m/links-package.$$
		mkdir -p "$d" && CG="$CG $d"
	done
	cat >"$T/ct/boot.sh" <<EOF
set -e
for d in $CG; do echo \$\$ >"\$d/cgroup.procs"; done
mount -t tmpfs tmpfs /run
mount -t tmpfs -o size=1g,mode=0755 tmpfs "$T/ct/ovl"
mkdir "$T/ct/ovl/upper" "$T/ct/ovl/work"
mount -t overlay overlay -o lowerdir=/,upperdir="$T/ct/ovl/upper",workdir="$T/ct/ovl/work" "$T/ct/root"
exec systemd-nspawn -q -D "$T/ct/root" --private-network --register=no --keep-unit --link-journal=no \
	--uuid=$(tr -d '-' </proc/sys/kernel/random/uuid) -M links-package --console=pipe \
	--bind-ro="$S:/links-package/src" --bind-ro="$SHARE:/links-package/share" --bind="$SHARE/out:/links-package/out" -b
EOF
	unshare -m --propagation private sh "$T/ct/boot.sh" >"$T/ct/nspawn.log" 2>&1 &
	NSPAWN_PID=$!
	LEADER=""
	i=0
	while [ -z "$LEADER" ] && [ $i -lt 300 ]; do
		# the container's init: systemd-nspawn's child named systemd
		LEADER=$(pgrep -x -P "$NSPAWN_PID" systemd 2>/dev/null | head -n 1)
		kill -0 "$NSPAWN_PID" 2>/dev/null || die "systemd-nspawn stopped: $(cat "$T/ct/nspawn.log")"
		sleep 0.1; i=$((i + 1))
	done
	[ -n "$LEADER" ] || die "the container did not start: $(cat "$T/ct/nspawn.log")"
	# Until its manager answers, then until the boot is over.
	i=0; state=""
	while [ $i -lt 120 ]; do
		state=$(timeout 120 nsenter -t "$LEADER" -a systemctl is-system-running --wait 2>/dev/null)
		[ -n "$state" ] && break
		sleep 1; i=$((i + 1))
	done
	case "$state" in
	running|degraded) ok "the throw-away boot is up ($state$( [ "$state" = degraded ] && printf ': %s' "$(ct_run systemctl --failed --plain --no-legend | awk '{print $1}' | tr '\n' ' ')"))" ;;
	*) die "the throw-away boot is not up: '$state' $(cat "$T/ct/nspawn.log")" ;;
	esac
	ct_run sh -c 'ip -o addr | grep -v " lo " | grep -q inet' && die "the container has a network besides loopback"
	ct_run env top_srcdir=/links-package/src LINKS_FLOW_OUT=/links-package/out \
		sh /links-package/src/tests/install-package-flow.sh "/links-package/share/$(basename "$DEB")" >"$T/flow.log" 2>&1
	frc=$?
fi
cat "$T/flow.log"
fp=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$T/flow.log" | tail -n 1)
ff=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$T/flow.log" | tail -n 1)
pass=$((pass + ${fp:-0})); fail=$((fail + ${ff:-0}))
[ "$frc" -eq 0 ] || [ "${ff:-0}" -gt 0 ] || bad "the flow exited $frc"
if [ -s "$SHARE/out/security.txt" ]; then
	{ echo "# systemd-analyze security (running units, $mode)"; cat "$SHARE/out/security.txt"; } >>"$OUTF"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
