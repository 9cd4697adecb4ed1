#!/bin/sh
# debian/ keeps up with the tree: every library configure requires
# (LINKS_REQUIRE_PKG's Debian package) is in Build-Depends, and every
# Build-Depends is installed by scripts/install-deps (README step 1); every file of
# debian/ is distributed (the package is built from make dist); the
# maintainer scripts are valid sh and start with "set -e"; debian/changelog's
# version is configure's; debian/rules is executable. Fast, no root: the
# package itself is built and installed by install-package.sh.
set -u
S=${top_srcdir:?}
fail=0; pass=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

bd=$(sed -n '/^Build-Depends:/,/^[A-Z][A-Za-z-]*:/p' "$S/debian/control" | sed '$d' | sed 's/^Build-Depends://' \
	| tr ',' '\n' | sed 's/([^)]*)//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep .)
need=$(sed -n 's/^LINKS_REQUIRE_PKG(\[[A-Z0-9_]*\], *\[[^]]*\], *\[\([^]]*\)\]).*/\1/p' "$S/configure.ac")
[ -n "$need" ] && ok "configure requires $(echo "$need" | wc -l) libraries" || bad "no LINKS_REQUIRE_PKG in configure.ac"
for p in $need; do
	echo "$bd" | grep -qx "$p" && ok "Build-Depends has $p" || bad "debian/control: Build-Depends lacks $p (configure requires it)"
done
# README step 1 is install-deps, then dpkg-buildpackage: every build
# dependency must be one of install-deps' packages.
deps=$(sed -n '/^PKGS="/,/"$/p' "$S/scripts/install-deps" | tr -d '"' | sed 's/^PKGS=//' | tr ' \t' '\n\n' | grep .)
for p in $(echo "$bd" | sed 's/^debhelper-compat$/debhelper/; s/[[:space:]].*//'); do
	echo "$deps" | grep -qx "$p" && ok "scripts/install-deps installs $p" || bad "scripts/install-deps lacks $p (a Build-Depends of debian/control)"
done
for p in debhelper-compat pkg-config; do
	echo "$bd" | grep -q "^$p" && ok "Build-Depends has $p" || bad "Build-Depends lacks $p"
done

if command -v git >/dev/null 2>&1 && git -C "$S" rev-parse >/dev/null 2>&1; then
	files=$(git -C "$S" ls-files debian | grep -v '\.gitignore$')
else
	files=$(cd "$S" && find debian -type f ! -name .gitignore)
fi
dist=$(sed -n '/^EXTRA_DIST += debian/,/[^\\]$/p' "$S/Makefile.am" | tr -d '\\' | tr ' \t' '\n\n' | grep '^debian/')
for f in $files; do
	echo "$dist" | grep -qx "$f" && ok "$f is distributed" || bad "$f is not in EXTRA_DIST (top Makefile.am): make dist, and so the package, would lack it"
done

for f in "$S"/debian/*.postinst "$S"/debian/*.postrm "$S"/debian/*.preinst "$S"/debian/*.prerm; do
	[ -f "$f" ] || continue
	sh -n "$f" && grep -q '^set -e$' "$f" && grep -q '^#DEBHELPER#$' "$f" \
		&& ok "$(basename "$f"): valid sh, set -e, #DEBHELPER#" || bad "$(basename "$f"): syntax, set -e or #DEBHELPER#"
done
[ -x "$S/debian/rules" ] && ok "debian/rules is executable" || bad "debian/rules is not executable"
cv=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$S/debian/changelog")
av=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$S/configure.ac")
[ "$cv" = "$av" ] && ok "debian/changelog and configure.ac agree: $av" || bad "debian/changelog says $cv, configure.ac $av"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
