#!/bin/sh
# NAME
#	selftest.sh - the benchmark's verdict checks catch a wrong milter
# SYNOPSIS
#	make check	(bench/), or: sh selftest.sh with abs_top_builddir,
#			abs_top_srcdir, abs_builddir, abs_srcdir set
# DESCRIPTION
#	Proves, without timing anything, that the benchmark measures only
#	milters that do the job: on a small corpus from gen-mail.py,
#	1. the NR null milter (accepts at CONNECT) meets its expectations
#	   (expect.null) with no error, also paced (milterload -R: the run
#	   cannot end before its last message is due);
#	2. a milter that discards everything is caught: milterload, with
#	   links-milter's expectations, exits 1 and counts an error for
#	   every message whose expected verdict is not a discard;
#	3. links-milter meets its expectations on the mix and on the
#	   refusals, and benchstore finds every refusal recorded once and
#	   nothing else; a second pass of the refusals records nothing new;
#	4. benchstore catches a store that does not match (the refusals'
#	   expectations checked against a store that saw only the mix);
#	5. replymix (the reply analysis benchmark) judges every result on
#	   the refusals and the questions, and is caught out when a
#	   question is presented as a refusal (exit 1, one BAD line).
#	Everything runs in a private temporary folder and is stopped at
#	the end, also on failure.
# DIAGNOSTICS
#	Exit 0 when every check holds, 1 with the failed check on stderr,
#	77 (skip) when python3 or a program is missing.
set -u
top_srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${abs_top_builddir:-$top_srcdir}
srcdir=${abs_srcdir:-$top_srcdir/bench}
builddir=${abs_builddir:-$top_builddir/bench}
LOAD=$builddir/milterload
NULL=$builddir/nullmilter
BSTORE=$builddir/benchstore
RMIX=$builddir/replymix
MILTER=$top_builddir/milter/links-milter
STORE=$top_builddir/store/links-store
TIMEOUT=120			# seconds for one milterload run
START_WAIT=100			# tenths of a second for a milter's socket

command -v python3 >/dev/null || { echo "selftest: python3 missing: skipped"; exit 77; }
for p in "$LOAD" "$NULL" "$BSTORE" "$RMIX" "$MILTER" "$STORE"; do
	[ -x "$p" ] || { echo "selftest: $p not built: skipped"; exit 77; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/links-bench-selftest.XXXXXX") || exit 1
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "selftest: FAIL: $*" >&2; exit 1; }
ok() { echo "selftest: ok: $*"; }

# start SOCK COMMAND...: run a milter in the background until its socket exists
start() {
	sock=$1
	shift
	rm -f "$sock"
	"$@" >> "$W/milters.log" 2>&1 &
	LAST=$!
	PIDS="$PIDS $LAST"
	n=0
	while [ ! -S "$sock" ]; do
		n=$((n + 1))
		[ "$n" -le "$START_WAIT" ] || fail "no socket $sock: $(tail -3 "$W/milters.log")"
		sleep 0.1
	done
}
stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
count() { ls "$W/gen/$1" | grep -c '\.eml$'; }
# load CORPUS EXPECT SOCK: milterload once over the corpus; its RESULT line, status in $RC
load() {
	OUT=$(timeout "$TIMEOUT" "$LOAD" -q -c 4 -n "$(count "$1")" -d "$W/gen/$1" \
		-e "$W/gen/$1/expect.$2" "unix:$3" 2>>"$W/load.err")
	RC=$?
}
field() { echo "$OUT" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

cat > "$W/links.conf" <<EOF
store_path = $W/links.db
key_file = $W/master.key
socket = unix:$W/links.sock
socket_mode = 0666
log_level = warning
trusted_authserv_ids = mx.ilinks.asia
EOF
C=$W/links.conf
python3 "$srcdir/gen-mail.py" customers "$W/gen" --customers 300 >/dev/null || fail "gen-mail customers"
"$STORE" -c "$C" init >/dev/null 2>&1 || fail "links-store init"
"$STORE" -c "$C" import "$W/gen/customers.csv" >/dev/null 2>&1 || fail "links-store import"
"$BSTORE" -c "$C" tokens promotion < "$W/gen/customers.csv" > "$W/tokens" 2>/dev/null || fail "tokens"
python3 "$srcdir/gen-mail.py" corpus "$W/gen" --customers 300 --scale 0.02 --tokens "$W/tokens" \
	--templates "$top_srcdir/config/templates" --footer "$top_srcdir/config/footer.h" >/dev/null \
	|| fail "gen-mail corpus"
"$BSTORE" -c "$C" msglog < "$W/gen/msglog.tsv" 2>/dev/null || fail "msglog"
N=$(count mix)

# 1. the NR null milter meets its own expectations
start "$W/null.sock" "$NULL" -m connect "unix:$W/null.sock"
load mix null "$W/null.sock"
[ "$RC" = 0 ] && [ "$(field errors)" = 0 ] && [ "$(field accept)" = "$N" ] \
	|| fail "null milter: $OUT"
ok "the NR null milter accepts all $N messages of the mix at CONNECT, no error"
# the open loop (-R): no message starts before it is due, so the run lasts at least (N - 1) / RATE
PACE=$((N * 4))
OUT=$(timeout "$TIMEOUT" "$LOAD" -q -c 4 -n "$N" -R "$PACE" -d "$W/gen/mix" \
	-e "$W/gen/mix/expect.null" "unix:$W/null.sock" 2>>"$W/load.err")
RC=$?
[ "$RC" = 0 ] && [ "$(field errors)" = 0 ] && [ "$(field offered)" = "$PACE" ] \
	&& [ -n "$(field lag_p99)" ] \
	&& awk -v s="$(field secs)" -v n="$N" -v r="$PACE" 'BEGIN { exit !(s >= (n - 1) / r) }' \
	|| fail "null milter at -R $PACE: $OUT"
stop "$LAST"
ok "milterload -R $PACE paces the mix: $(field secs) s for $N messages (at least $(( (N - 1) * 1000 / PACE )) ms)"

# 2. a milter that discards everything is caught
DISC=$(awk -F'\t' '{ split($2, a, / \|\| /); f = 0
	for (i in a) if (a[i] ~ /final=[a-z|]*discard/) f = 1
	n += !f } END { print n + 0 }' "$W/gen/mix/expect.links")
start "$W/bad.sock" "$NULL" -m discard "unix:$W/bad.sock"
load mix links "$W/bad.sock"
[ "$RC" = 1 ] && [ "$(field errors)" = "$DISC" ] && [ "$DISC" -gt 0 ] \
	|| fail "a discarding milter scored $(field errors) errors (expected $DISC), exit $RC"
stop "$LAST"
ok "a milter that discards everything scores $DISC errors of $N (exit 1)"

# 3. links-milter: verdicts and the store
start "$W/links.sock" "$MILTER" -f -e -c "$C"
load mix links "$W/links.sock"
[ "$RC" = 0 ] && [ "$(field errors)" = 0 ] || fail "links-milter on the mix: $OUT $(head -3 "$W/load.err")"
"$BSTORE" -c "$C" consent "$W/gen/mix/consent.expect" > "$W/consent" 2>&1 \
	|| fail "store after the mix: $(cat "$W/consent")"
ok "links-milter: every verdict of the mix as expected; $(head -1 "$W/consent")"

# 4. benchstore catches a store that does not match
"$BSTORE" -c "$C" consent "$W/gen/refusals/consent.expect" > "$W/consent" 2>&1 \
	&& fail "benchstore accepted a store without the refusals: $(cat "$W/consent")"
ok "benchstore reports the refusals missing from a store that did not see them"

cp "$W/gen/mix/consent.expect" "$W/both.expect"
cat "$W/gen/refusals/consent.expect" >> "$W/both.expect"
sort -u "$W/both.expect" | awk -F'\t' '{ c[$1] = c[$1] ? c[$1] "," $2 : $2 }
	END { for (e in c) { n = split(c[e], a, ","); s = ""; delete seen
		for (i = 1; i <= n; i++) if (!(a[i] in seen)) { seen[a[i]] = 1; s = s ? s "," a[i] : a[i] }
		print e "\t" s } }' > "$W/union.expect"
for pass in 1 2; do
	load refusals links "$W/links.sock"
	[ "$RC" = 0 ] && [ "$(field errors)" = 0 ] \
		|| fail "links-milter, refusals pass $pass: $OUT $(tail -3 "$W/load.err")"
	"$BSTORE" -c "$C" consent "$W/union.expect" > "$W/consent" 2>&1 \
		|| fail "store after refusals pass $pass: $(cat "$W/consent")"
done
stop "$LAST"
ok "links-milter: refusals twice, every refusal recorded exactly once; $(head -1 "$W/consent")"

# 5. replymix measures only right answers
for c in refusals questions; do
	OUT=$(timeout "$TIMEOUT" "$RMIX" -s 0.2 "$W/gen/$c" 2>&1) && [ "$(field bad)" = 0 ] \
		|| fail "replymix on $c: $OUT"
done
mkdir "$W/wrong"
Q=$(ls "$W/gen/questions" | grep '\.eml$' | head -1)
cp "$W/gen/questions/$Q" "$W/wrong/00001-refusal-gmail.eml"
OUT=$(timeout "$TIMEOUT" "$RMIX" -s 0.1 "$W/wrong" 2>&1)
RC=$?
[ "$RC" = 1 ] && [ "$(field bad)" = 1 ] && echo "$OUT" | grep -q '^BAD 00001-refusal-gmail.eml' \
	|| fail "replymix took a question for a refusal (exit $RC): $OUT"
ok "replymix: every refusal and question analysed as its class; a question presented as a refusal is caught"
exit 0
