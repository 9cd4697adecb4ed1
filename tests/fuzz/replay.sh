#!/bin/sh
# NAME
#	replay.sh - run every fuzz target over its corpus, without libFuzzer
# DESCRIPTION
#	For each target in tests/fuzz.am and tests/web.am (conf, csv, tmpl,
#	token, addr, auth, dsn, web), runs
#	fuzz/replay_TARGET over tests/fuzz/corpus/TARGET/: the seeds and
#	the inputs that once crashed a target or broke one of its
#	invariants. Any compiler, so the findings stay regression tests in
#	every build (under --enable-sanitizers too). Fails when a target
#	aborts, a sanitizer reports, or a corpus directory is missing or
#	empty.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
lt_init fuzz-replay

: "${top_builddir:=$top_srcdir}"
for t in conf csv tmpl token addr auth dsn web; do
	prog=$top_builddir/tests/fuzz/replay_$t
	dir=$top_srcdir/tests/fuzz/corpus/$t
	[ -x "$prog" ] || lt_fail "$prog is not built"
	[ -d "$dir" ] || lt_fail "no corpus $dir"
	if ! TMPDIR=$LT_TMP "$prog" "$dir" >"$LT_TMP/$t.out" 2>&1; then
		cat "$LT_TMP/$t.out" >&2
		lt_fail "fuzz target $t failed on its corpus"
	fi
	if grep -Eq "Sanitizer|runtime error:" "$LT_TMP/$t.out"; then
		cat "$LT_TMP/$t.out" >&2
		lt_fail "sanitizer report replaying $t"
	fi
	n=$(sed -n 's/.*: \([0-9]*\) inputs replayed$/\1/p' "$LT_TMP/$t.out")
	[ "${n:-0}" -gt 0 ] || lt_fail "no input replayed for $t"
	lt_ok "$t: $n inputs replayed"
done
