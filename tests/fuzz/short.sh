#!/bin/sh
# NAME
#	short.sh - a short libFuzzer run of every fuzz target
# DESCRIPTION
#	When clang can build with -fsanitize=fuzzer, compiles the libraries
#	the targets use (config, store, the template renderer, reply
#	analysis) from the sources with coverage, AddressSanitizer and
#	UndefinedBehaviorSanitizer into a temporary directory, links each
#	target (tests/fuzz/fuzz_*.c) and fuzzes it for FUZZ_SECONDS seconds
#	over its seed corpus, FUZZ_JOBS targets at a time. New inputs go to
#	a temporary directory, never into the source tree. Fails when a
#	target crashes, leaks, hangs (over 10 s on one input), runs out of
#	memory (2 GB) or breaks an invariant; the input that did it is
#	copied to tests/fuzz-findings/ in the build tree and shown in hex.
#	Skips (77) when clang or its libFuzzer runtime is missing.
# ENVIRONMENT
#	FUZZ_SECONDS	seconds per target (default 12)
#	FUZZ_JOBS	targets run at once (default 2)
#	FUZZ_TARGETS	which targets (default "conf csv tmpl token addr auth dsn reply web")
#	FUZZ_KEEP	a directory: keep each target's new corpus in
#			FUZZ_KEEP/TARGET and its log in FUZZ_KEEP/TARGET.log
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
lt_init fuzz-short

: "${top_builddir:=$top_srcdir}"
: "${FUZZ_SECONDS:=12}"
: "${FUZZ_JOBS:=2}"
: "${FUZZ_TARGETS:=conf csv tmpl token addr auth dsn reply web}"
CC_FUZZ=${CLANG:-clang}

lt_need_tool "$CC_FUZZ" pkg-config
[ -f "$top_builddir/config.h" ] || lt_fail "no config.h in $top_builddir (run configure)"

# Does this clang have libFuzzer and the sanitizers?
cat > "$LT_TMP/probe.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void) d; (void) n; return 0; }
C
"$CC_FUZZ" -fsanitize=fuzzer,address,undefined -o "$LT_TMP/probe" "$LT_TMP/probe.c" \
	>"$LT_TMP/probe.log" 2>&1 || lt_skip "$CC_FUZZ cannot build with -fsanitize=fuzzer"

S=$top_srcdir
PKGS="libetpan libpcre2-8 libutf8proc libxml-2.0 jansson sqlite3 libpq libcrypto libidn2"
PKG_CFLAGS=$(pkg-config --cflags $PKGS) || lt_fail "pkg-config --cflags $PKGS"
PKG_LIBS=$(pkg-config --libs $PKGS) || lt_fail "pkg-config --libs $PKGS"
CFLAGS_FUZZ="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
-fno-sanitize-recover=undefined -I$top_builddir -I$S/config -I$S/store -I$S/milter -I$S/milter/reply \
-I$S/sender -I$S/web -I$S/tests/fuzz -DSYSCONFDIR='\"/etc\"' -DLOCALSTATEDIR='\"/var\"' \
-DPKGDATADIR='\"/usr/share/links-mail\"' -DRUNSTATEDIR='\"/run\"' $PKG_CFLAGS"

# The libraries' sources, as their Makefile.am fragments list them:
# am_sources FILE VARIABLE DIR prints DIR/x.c for each .c in the
# (possibly continued) assignment of VARIABLE in FILE.
am_sources() {
	sed -n "/^$2 *+*=/,/[^\\\\]\$/p" "$S/$1" | sed "s/^$2 *+*= *//" \
		| tr ' \t\\' '\n\n\n' | grep '\.c$' | sed "s|^|$3/|"
}
CONF_SRC=$(am_sources config/Makefile.am liblinksconf_la_SOURCES config)
STORE_SRC=$(am_sources store/Makefile.am liblinksstore_la_SOURCES store)
SENDER_SRC=$(am_sources sender/Makefile.am libsender_la_SOURCES sender)
REPLY_SRC=$(am_sources milter/reply/Makefile.am liblinksreply_la_SOURCES milter/reply)
WEB_SRC=$(am_sources web/Makefile.am liblinksweb_la_SOURCES web)
[ -n "$CONF_SRC" ] && [ -n "$STORE_SRC" ] && [ -n "$SENDER_SRC" ] && [ -n "$REPLY_SRC" ] \
	&& [ -n "$WEB_SRC" ] \
	|| lt_fail "cannot read the library sources from the Makefile.am files"
COMMON_SRC="tests/fuzz/fuzz_common.c"
STSET_SRC="tests/fuzz/fuzz_store_setup.c"

sources_of() {
	case $1 in
	conf)	echo "$COMMON_SRC tests/fuzz/fuzz_conf.c $CONF_SRC" ;;
	addr)	echo "$COMMON_SRC tests/fuzz/fuzz_addr.c $CONF_SRC" ;;
	auth)	echo "$COMMON_SRC tests/fuzz/fuzz_auth.c milter/milter_auth.c milter/milter_addr.c $CONF_SRC" ;;
	dsn)	echo "$COMMON_SRC tests/fuzz/fuzz_dsn.c milter/milter_dsn.c milter/milter_addr.c $CONF_SRC" ;;
	csv)	echo "$COMMON_SRC $STSET_SRC tests/fuzz/fuzz_csv.c $STORE_SRC $CONF_SRC" ;;
	token)	echo "$COMMON_SRC $STSET_SRC tests/fuzz/fuzz_token.c $STORE_SRC $CONF_SRC" ;;
	web)	echo "$COMMON_SRC $STSET_SRC tests/fuzz/fuzz_web.c $WEB_SRC $STORE_SRC $CONF_SRC" ;;
	tmpl)	echo "$COMMON_SRC tests/fuzz/fuzz_tmpl.c $SENDER_SRC $STORE_SRC $CONF_SRC" ;;
	reply)	echo "tests/fuzz/fuzz_reply.c $REPLY_SRC $CONF_SRC" ;;
	esac
}
seeds_of() {
	case $1 in
	reply)	echo "$S/tests/corpus/vi $S/tests/corpus/fuzz" ;;
	*)	echo "$S/tests/fuzz/corpus/$1" ;;
	esac
}
maxlen_of() {
	case $1 in
	token)	echo 256 ;;
	addr)	echo 1024 ;;
	auth)	echo 8192 ;;
	conf)	echo 8192 ;;
	reply)	echo 65536 ;;
	*)	echo 16384 ;;
	esac
}

targets=""
for t in $FUZZ_TARGETS; do
	if [ ! -f "$S/tests/fuzz/fuzz_$t.c" ]; then
		echo "note: tests/fuzz/fuzz_$t.c does not exist; target $t not run"
		continue
	fi
	targets="$targets $t"
done
[ -n "$targets" ] || lt_fail "no fuzz target to run"

# Compile each source once, FUZZ_JOBS at a time (a generated Makefile).
all_src=$(for t in $targets; do sources_of $t; done | tr ' \t' '\n\n' | grep . | sort -u)
obj_of() {
	echo "$LT_TMP/obj/$(echo "$1" | tr / _).o"
}
mkdir -p "$LT_TMP/obj"
{
	printf 'CFLAGS_FUZZ = %s\nall:' "$CFLAGS_FUZZ"
	for src in $all_src; do printf ' %s' "$(obj_of $src)"; done
	printf '\n'
	for src in $all_src; do
		printf '%s: %s\n\t%s $(CFLAGS_FUZZ) -c %s -o $@\n' "$(obj_of $src)" "$S/$src" \
			"$CC_FUZZ" "$S/$src"
	done
} >"$LT_TMP/Makefile.fuzz"
t0=$(date +%s)
make -s -f "$LT_TMP/Makefile.fuzz" -j "$FUZZ_JOBS" >"$LT_TMP/build.log" 2>&1 \
	|| { tail -n 40 "$LT_TMP/build.log" >&2; lt_fail "compiling with $CC_FUZZ failed"; }
for t in $targets; do
	objs=""
	for src in $(sources_of $t); do
		objs="$objs $(obj_of $src)"
	done
	"$CC_FUZZ" -fsanitize=fuzzer,address,undefined -o "$LT_TMP/fuzz_$t" $objs $PKG_LIBS \
		-lpthread >"$LT_TMP/link-$t.log" 2>&1 \
		|| { cat "$LT_TMP/link-$t.log" >&2; lt_fail "linking fuzz_$t failed"; }
done
lt_ok "built$targets in $(( $(date +%s) - t0 )) s"

# Run one target; its status in $LT_TMP/TARGET.rc.
run_one() {
	t=$1
	new=${FUZZ_KEEP:+$FUZZ_KEEP/$t}
	: "${new:=$LT_TMP/new-$t}"
	mkdir -p "$new" "$LT_TMP/art-$t"
	( cd "$LT_TMP/art-$t" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$LT_TMP/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(maxlen_of $t)" -print_final_stats=1 -artifact_prefix="$LT_TMP/art-$t/" \
		"$new" $(seeds_of $t) ) >"$LT_TMP/$t.log" 2>&1
	echo $? >"$LT_TMP/$t.rc"
	[ -n "${FUZZ_KEEP:-}" ] && cp "$LT_TMP/$t.log" "$FUZZ_KEEP/$t.log"
}

set -- $targets
while [ $# -gt 0 ]; do
	pids=""
	j=0
	while [ $# -gt 0 ] && [ "$j" -lt "$FUZZ_JOBS" ]; do
		run_one "$1" &
		pids="$pids $!"
		shift
		j=$((j + 1))
	done
	for p in $pids; do
		wait "$p"
	done
done

failed=""
for t in $targets; do
	rc=$(cat "$LT_TMP/$t.rc" 2>/dev/null || echo 99)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LT_TMP/$t.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$LT_TMP/$t.log" | tail -n 1)
	if [ "$rc" -ne 0 ] || grep -Eq "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:" "$LT_TMP/$t.log"; then
		echo "--- fuzz_$t failed (exit $rc); log tail:" >&2
		tail -n 40 "$LT_TMP/$t.log" >&2
		mkdir -p "$top_builddir/tests/fuzz-findings"
		for a in "$LT_TMP/art-$t"/*; do
			[ -f "$a" ] || continue
			cp "$a" "$top_builddir/tests/fuzz-findings/$t-$(basename "$a")"
			echo "--- input ($top_builddir/tests/fuzz-findings/$t-$(basename "$a")), first 512 bytes:" >&2
			od -A d -c "$a" | head -n 32 >&2
		done
		failed="$failed $t"
	else
		lt_ok "fuzz_$t: ${runs:-?} inputs in $FUZZ_SECONDS s, $cov, no finding"
	fi
done
[ -z "$failed" ] || lt_fail "fuzz targets with findings:$failed"
