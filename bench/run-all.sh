#!/bin/bash
# NAME
#	run-all.sh - run every links-mail benchmark and write RESULTS.md
# SYNOPSIS
#	make bench            (in bench/ of a build tree)
#	bash run-all.sh       (with the variables below set)
# DESCRIPTION
#	Measures, in one run so that every figure has its baseline beside
#	it (these machines are noisy: compare ratios, not absolutes):
#	 1. milter protocol: milterload against nullmilter (libmilter,
#	    accepts everything), OpenDKIM in verify mode and links-milter,
#	    on the same 4 KB Vietnamese replies at BENCH_CONNS connections,
#	    BENCH_ROUNDS interleaved rounds of BENCH_SECS seconds each; the
#	    median round of each milter is reported;
#	 2. through Postfix: smtp-source -> private Postfix -> smtp-sink,
#	    on three smtpd listeners of one instance: without a milter,
#	    with the null milter (what any milter costs inside Postfix)
#	    and with links-milter in smtpd_milters, interleaved;
#	 3. memory: VmHWM of each milter while 16 connections each send a
#	    25 MB message with base64 attachments;
#	 4. bench/sender-bench.sh (links-sender vs smtp-source) and the
#	    reply analysis benchmark bench_reply, when their authors have
#	    provided them.
#	Everything listens on 127.0.0.1 or unix sockets in a private
#	temporary directory, is bounded in count and time, and is stopped
#	by the EXIT trap, also on failure or Ctrl-C. Needs root (a private
#	Postfix instance).
#
#	Environment: abs_top_builddir, abs_top_srcdir, abs_builddir,
#	abs_srcdir (set by `make bench`; guessed from the script's place
#	otherwise); BENCH_RESULTS (default $abs_srcdir/RESULTS.md);
#	BENCH_SECS (10), BENCH_ROUNDS (3), BENCH_CONNS (16),
#	BENCH_PF_MSGS (1000), BENCH_LARGE_MB (25); BENCH_KEEP=1 keeps the
#	work directory (logs, Postfix maillog) for a post-mortem; BENCH_QUICK=1 for a
#	short smoke run (results then go to $abs_builddir/RESULTS.quick.md
#	unless BENCH_RESULTS is set).
# DIAGNOSTICS
#	Progress on stderr. Exit status 0 when RESULTS.md was written (a
#	missed target is reported in it, not as a failure), 1 when a
#	benchmark could not run at all.
set -u

here=$(cd "$(dirname "$0")" && pwd)
abs_srcdir=${abs_srcdir:-$here}
abs_top_srcdir=${abs_top_srcdir:-$(cd "$abs_srcdir/.." && pwd)}
abs_builddir=${abs_builddir:-$(pwd)}
abs_top_builddir=${abs_top_builddir:-$(cd "$abs_builddir/.." && pwd)}
PATH=$PATH:/usr/sbin:/sbin

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	SECS=${BENCH_SECS:-2}; ROUNDS=${BENCH_ROUNDS:-1}; PF_MSGS=${BENCH_PF_MSGS:-200}
	RESULTS=${BENCH_RESULTS:-$abs_builddir/RESULTS.quick.md}
else
	SECS=${BENCH_SECS:-10}; ROUNDS=${BENCH_ROUNDS:-3}; PF_MSGS=${BENCH_PF_MSGS:-1000}
	RESULTS=${BENCH_RESULTS:-$abs_srcdir/RESULTS.md}
fi
CONNS=${BENCH_CONNS:-16}
LARGE_MB=${BENCH_LARGE_MB:-25}
LARGE_CONNS=16
PER_KIND=10			# 30 replies in the corpus
SENDER_TIMEOUT=360		# seconds for sender-bench.sh
REPLY_TIMEOUT=90		# seconds for bench_reply
START_TIMEOUT=15		# seconds for a daemon to come up
DRAIN_TIMEOUT=120		# seconds for Postfix to empty its queue

MILTERLOAD=$abs_builddir/milterload
NULLMILTER=$abs_builddir/nullmilter
LINKS_MILTER=$abs_top_builddir/milter/links-milter
LINKS_STORE=$abs_top_builddir/store/links-store
BENCH_REPLY=$abs_builddir/bench_reply

log() { echo "bench: $*" >&2; }

W=$(mktemp -d /tmp/links-bench.XXXXXX) || exit 1
chmod 755 "$W"
PIDS=""
PF_DIR=""
cleanup() {
	local p
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ -n "$PF_DIR" ] && [ -f "$PF_DIR/etc/main.cf" ]; then
		postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
	fi
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# field NAME LINE: the value of NAME=VALUE in a RESULT line ("" if absent)
field() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1
}

# median of numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "" }'
}

# ratio A B: A/B with two decimals ("n/a" when either is missing or B is 0)
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# meets VALUE OP LIMIT: "met" or "MISSED" (or "not measured")
meets() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "" || v == "n/a") { print "not measured"; exit }
		ok = (op == ">=") ? (v + 0 >= l + 0) : (op == "<") ? (v + 0 < l + 0) : (v + 0 > l + 0)
		print ok ? "met" : "MISSED" }'
}

free_port() {
	local p
	for p in $(seq 20000 40 39960); do
		p=$((p + RANDOM % 40))
		if ! ss -ltn 2>/dev/null | awk '{print $4}' | grep -q ":$p\$"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_for SECONDS COMMAND...: poll every 0.1 s
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# start NAME SOCKETPATH COMMAND...: start a daemon, wait for its socket
start_daemon() {
	local name=$1 sock=$2 pid
	shift 2
	rm -f "$sock"
	"$@" >"$W/$name.log" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
	if ! wait_for "$START_TIMEOUT" test -S "$sock"; then
		log "$name did not open $sock; its log:"
		sed 's/^/  /' "$W/$name.log" >&2
		return 1
	fi
	chmod 666 "$sock" 2>/dev/null
	echo "$pid" > "$W/$name.pid"
	return 0
}

stop_daemon() {
	local name=$1 pid
	pid=$(cat "$W/$name.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$W/$name.pid"
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$pid" | tr '\n' ' ')
}

hwm_kb() {	# peak resident set of PID, kB
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# ---------------------------------------------------------------- setup
for t in "$MILTERLOAD" "$NULLMILTER"; do
	[ -x "$t" ] || { log "$t is not built (run make bench)"; exit 1; }
done
if [ "$(id -u)" != 0 ]; then
	log "needs root (a private Postfix instance, daemons as root)"
	exit 1
fi

CORPUS=$W/corpus
log "generating the corpus in $CORPUS"
sh "$abs_srcdir/gen-corpus.sh" replies "$CORPUS/replies" "$PER_KIND" || exit 1
sh "$abs_srcdir/gen-corpus.sh" large "$CORPUS/large" 1 "$LARGE_MB" || exit 1
REPLY_BYTES=$(cat "$CORPUS"/replies/*.eml | wc -c)
REPLY_FILES=$(ls "$CORPUS"/replies/*.eml | wc -l)
REPLY_AVG=$((REPLY_BYTES / REPLY_FILES))
LARGE_BYTES=$(wc -c < "$CORPUS/large/big-01.eml")

# ---- the milters under test
NULL_SOCK=$W/null.sock
DKIM_SOCK=$W/dkim.sock
LINKS_SOCK=$W/links.sock
LINKS_CONF=$W/links.conf
LINKS_OK=0
LINKS_WHY=""

# OpenDKIM: verify mode; the corpus carries a DKIM-Signature (d=example.vn,
# s=s1) whose key is served from TestDNSData, so no DNS query leaves the
# machine; the signature is not valid, so OpenDKIM hashes every header and
# the whole body and does the RSA verification, then accepts (the default
# On-BadSignature) and adds Authentication-Results.
DKIM_OK=0
DKIM_WHY=""
if command -v opendkim >/dev/null && command -v opendkim-genkey >/dev/null; then
	mkdir -p "$W/dkim"
	if opendkim-genkey -b 2048 -d example.vn -s s1 -D "$W/dkim" 2>"$W/dkim/genkey.log"; then
		pub=$(tr -d '\n\t"()' < "$W/dkim/s1.txt" | sed 's/.*IN *TXT *//; s/ *;[ -]*DKIM key.*//; s/  */ /g')
		echo "s1._domainkey.example.vn $pub" > "$W/dkim/dns"
		cat > "$W/dkim/opendkim.conf" <<EOF
Mode			v
Socket			local:$DKIM_SOCK
Background		no
Syslog			no
UMask			000
PidFile			$W/dkim/opendkim.pid
TestDNSData		file:$W/dkim/dns
On-BadSignature		accept
On-KeyNotFound		accept
On-Default		accept
AlwaysAddARHeader	yes
EOF
		DKIM_OK=1
	else
		DKIM_WHY="opendkim-genkey failed: $(head -1 "$W/dkim/genkey.log")"
	fi
else
	DKIM_WHY="opendkim is not installed"
fi

if [ ! -x "$LINKS_MILTER" ]; then
	LINKS_WHY="links-milter is not built yet ($LINKS_MILTER missing)"
elif [ ! -x "$LINKS_STORE" ]; then
	LINKS_WHY="links-store is not built yet"
else
	mkdir -p "$W/store"
	cat > "$LINKS_CONF" <<EOF
# links.conf for the benchmark
store_path = $W/store/links.db
key_file = $W/store/master.key
socket = unix:$LINKS_SOCK
socket_mode = 0666
pid_file = $W/links-milter.pid
log_level = warning
optout_from_policy = accept
EOF
	if ! "$LINKS_STORE" -c "$LINKS_CONF" init >"$W/store-init.log" 2>&1; then
		LINKS_WHY="links-store init failed: $(head -3 "$W/store-init.log" | tr '\n' ' ')"
	elif ! "$LINKS_STORE" -c "$LINKS_CONF" import "$CORPUS/replies/customers.csv" \
		>"$W/store-import.log" 2>&1; then
		LINKS_WHY="links-store import failed: $(head -3 "$W/store-import.log" | tr '\n' ' ')"
	else
		LINKS_OK=1
		# -e (log to stderr) when this links-milter has it
		LINKS_ARGS="-f"
		"$LINKS_MILTER" --help 2>&1 | grep -q -- '^ *-e' && LINKS_ARGS="-f -e"
	fi
fi

start_null() { start_daemon null "$NULL_SOCK" "$NULLMILTER" "unix:$NULL_SOCK"; }
start_dkim() { start_daemon dkim "$DKIM_SOCK" opendkim -f -x "$W/dkim/opendkim.conf"; }
# shellcheck disable=SC2086
start_links() { start_daemon links "$LINKS_SOCK" "$LINKS_MILTER" $LINKS_ARGS -c "$LINKS_CONF"; }

# run_load NAME SOCK ALLOWED ARGS...: one milterload run, RESULT line on stdout
run_load() {
	local name=$1 sock=$2 allowed=$3 out
	shift 3
	out=$("$MILTERLOAD" -q -c "$CONNS" -x "$allowed" -T 30 "$@" "unix:$sock" 2>>"$W/load-$name.err")
	echo "$out" >> "$W/load-$name.results"
	echo "$out"
}

# ---------------------------------------------------------------- 1. milter protocol
log "1. milter protocol: $ROUNDS round(s) of ${SECS}s per milter, $CONNS connections"
start_null || exit 1
[ "$DKIM_OK" = 1 ] && { start_dkim || { DKIM_OK=0; DKIM_WHY="opendkim did not start: $(head -2 "$W/dkim.log" | tr '\n' ' ')"; }; }
if [ "$LINKS_OK" = 1 ] && ! start_links; then
	LINKS_OK=0
	LINKS_WHY="links-milter did not start: $(head -3 "$W/links.log" | tr '\n' ' ')"
fi
# warm-up (page cache, libmilter thread pools, SQLite pages)
run_load null "$NULL_SOCK" accept -n 200 -d "$CORPUS/replies" >/dev/null
[ "$DKIM_OK" = 1 ] && run_load dkim "$DKIM_SOCK" accept,continue -n 200 -d "$CORPUS/replies" >/dev/null
[ "$LINKS_OK" = 1 ] && run_load links "$LINKS_SOCK" accept,continue,discard -n 200 -d "$CORPUS/replies" >/dev/null
: > "$W/load-null.results"; : > "$W/load-dkim.results"; : > "$W/load-links.results"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	log "   round $r"
	run_load null "$NULL_SOCK" accept -t "$SECS" -d "$CORPUS/replies" >/dev/null
	[ "$DKIM_OK" = 1 ] && run_load dkim "$DKIM_SOCK" accept,continue -t "$SECS" -d "$CORPUS/replies" >/dev/null
	[ "$LINKS_OK" = 1 ] && run_load links "$LINKS_SOCK" accept,continue,discard -t "$SECS" -d "$CORPUS/replies" >/dev/null
	r=$((r + 1))
done

# pick the round with the median rate
median_line() {
	local f=$W/load-$1.results m
	[ -s "$f" ] || return 0
	m=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$f" | median)
	grep -m1 " rate=$m " "$f"
}
NULL_LINE=$(median_line null)
DKIM_LINE=$(median_line dkim)
LINKS_LINE=$(median_line links)
NULL_RATE=$(field rate "$NULL_LINE")
DKIM_RATE=$(field rate "$DKIM_LINE")
LINKS_RATE=$(field rate "$LINKS_LINE")
R_LINKS_NULL=$(ratio "$LINKS_RATE" "$NULL_RATE")
R_LINKS_DKIM=$(ratio "$LINKS_RATE" "$DKIM_RATE")
R_DKIM_NULL=$(ratio "$DKIM_RATE" "$NULL_RATE")

# ---------------------------------------------------------------- 3. memory
# A fresh process per milter, so that VmHWM is this test's peak. The
# baseline is the peak after start-up and a few small messages.
log "3. memory: $LARGE_CONNS connections x $((LARGE_BYTES / 1048576)) MB"
# mem_test NAME START_FN SOCK ALLOWED: prints "base_kb peak_kb RESULT..."
mem_test() {
	local name=$1 start=$2 sock=$3 allowed=$4 pid base peak out
	stop_daemon "$name"
	$start || return 1
	pid=$(cat "$W/$name.pid")
	"$MILTERLOAD" -q -c 4 -n 20 -x "$allowed" -d "$CORPUS/replies" "unix:$sock" >/dev/null 2>&1
	base=$(hwm_kb "$pid")
	out=$("$MILTERLOAD" -q -c "$LARGE_CONNS" -n "$LARGE_CONNS" -x "$allowed" -T 120 \
		-d "$CORPUS/large" "unix:$sock" 2>>"$W/mem-$name.err")
	peak=$(hwm_kb "$pid")
	echo "$base $peak $out"
	stop_daemon "$name"
}
MEM_NULL=$(mem_test null start_null "$NULL_SOCK" accept)
MEM_DKIM=""
[ "$DKIM_OK" = 1 ] && MEM_DKIM=$(mem_test dkim start_dkim "$DKIM_SOCK" accept,continue)
MEM_LINKS=""
[ "$LINKS_OK" = 1 ] && MEM_LINKS=$(mem_test links start_links "$LINKS_SOCK" accept,continue,discard)
mem_delta_mb() {	# "base peak ..." -> MB added
	echo "$1" | awk 'NF >= 2 && $2 > 0 { printf "%.1f\n", ($2 - $1) / 1024 }'
}
mem_mb() {
	echo "$1" | awk -v i="$2" 'NF >= 2 && $i > 0 { printf "%.1f\n", $i / 1024 }'
}

# ---------------------------------------------------------------- 2. through Postfix
PF_STATUS="not run"
PF_WITHOUT=""; PF_WITH=""; PF_DRAIN_WITHOUT=""; PF_DRAIN_WITH=""; PF_NULL=""; PF_DRAIN_NULL=""
if [ "$LINKS_OK" != 1 ]; then
	PF_STATUS="not run: $LINKS_WHY"
elif ! command -v postfix >/dev/null || ! command -v smtp-source >/dev/null \
	|| ! command -v smtp-sink >/dev/null; then
	PF_STATUS="not run: postfix, smtp-source or smtp-sink missing"
else
	log "2. through Postfix: $PF_MSGS messages per run, $ROUNDS round(s)"
	start_links || PF_STATUS="not run: links-milter did not restart"
	start_null || PF_STATUS="not run: the null milter did not restart"
	PF_DIR=$W/postfix
	P_WITH=$(free_port); P_WITHOUT=$(free_port); P_SINK=$(free_port); P_NULL=$(free_port)
	while [ "$P_WITHOUT" = "$P_WITH" ]; do P_WITHOUT=$(free_port); done
	while [ "$P_SINK" = "$P_WITH" ] || [ "$P_SINK" = "$P_WITHOUT" ]; do P_SINK=$(free_port); done
	while [ "$P_NULL" = "$P_WITH" ] || [ "$P_NULL" = "$P_WITHOUT" ] || [ "$P_NULL" = "$P_SINK" ]; do
		P_NULL=$(free_port)
	done
	mkdir -p "$PF_DIR/etc" "$PF_DIR/spool" "$PF_DIR/data"
	chown postfix "$PF_DIR/data"
	# master.cf: no public smtpd; three loopback listeners: no milter, null, links
	sed '/^smtp      inet/d' /etc/postfix/master.cf > "$PF_DIR/etc/master.cf"
	cat >> "$PF_DIR/etc/master.cf" <<EOF
127.0.0.1:$P_WITH inet n - n - - smtpd -o smtpd_milters=unix:$LINKS_SOCK
127.0.0.1:$P_WITHOUT inet n - n - - smtpd -o smtpd_milters=
127.0.0.1:$P_NULL inet n - n - - smtpd -o smtpd_milters=unix:$NULL_SOCK
EOF
	cat > "$PF_DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/data
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.bench.invalid
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relay_domains = ilinks.asia
transport_maps = inline:{ ilinks.asia=smtp:[127.0.0.1]:$P_SINK }
alias_maps =
alias_database =
smtp_host_lookup = native
milter_default_action = tempfail
milter_protocol = 6
EOF
	"$(command -v smtp-sink)" -u nobody 127.0.0.1:$P_SINK 256 >"$W/sink.log" 2>&1 &
	PIDS="$PIDS $!"
	if ! postfix -c "$PF_DIR/etc" check >"$W/pf-check.log" 2>&1 \
		|| ! postfix -c "$PF_DIR/etc" start >"$W/pf-start.log" 2>&1; then
		PF_STATUS="not run: private Postfix did not start: $(cat "$W/pf-check.log" "$W/pf-start.log" | head -3 | tr '\n' ' ')"
	else
		PF_STATUS="ok"
		qcount() { find "$PF_DIR/spool/incoming" "$PF_DIR/spool/active" "$PF_DIR/spool/deferred" \
			"$PF_DIR/spool/maildrop" -type f 2>/dev/null | wc -l; }
		qempty() { [ "$(qcount)" = 0 ]; }
		wait_for 10 sh -c "ss -ltn | grep -q \"127.0.0.1:$P_WITH \""
		# pf_run PORT: "source_seconds drain_seconds"
		pf_run() {
			local t0 t1 t2
			t0=$(date +%s.%N)
			if ! timeout 300 smtp-source -s "$CONNS" -m "$PF_MSGS" \
				-F "$CORPUS/replies/question-001.eml" -f khach-001@example.vn \
				-t noreply@ilinks.asia "127.0.0.1:$1" >>"$W/source.log" 2>&1; then
				echo "smtp-source failed on port $1: $(tail -1 "$W/source.log")" >> "$W/pf-errors"
			fi
			t1=$(date +%s.%N)
			wait_for "$DRAIN_TIMEOUT" qempty || echo "queue not empty after ${DRAIN_TIMEOUT}s" >> "$W/pf-errors"
			t2=$(date +%s.%N)
			awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f %.3f\n", b - a, c - a }'
		}
		pf_run "$P_WITHOUT" >/dev/null	# warm-up
		: > "$W/pf-without"; : > "$W/pf-with"; : > "$W/pf-null"
		r=1
		while [ "$r" -le "$ROUNDS" ]; do
			log "   round $r"
			pf_run "$P_WITHOUT" >> "$W/pf-without"
			pf_run "$P_NULL" >> "$W/pf-null"
			pf_run "$P_WITH" >> "$W/pf-with"
			r=$((r + 1))
		done
		PF_SENT=$(grep -c 'status=sent' "$PF_DIR/maillog")
		PF_EXPECTED=$((PF_MSGS * (3 * ROUNDS + 1)))
		[ "$PF_SENT" -ge "$PF_EXPECTED" ] || echo "the sink got $PF_SENT of $PF_EXPECTED messages" >> "$W/pf-errors"
		[ -s "$W/pf-errors" ] && PF_STATUS="FAILED: $(sort -u "$W/pf-errors" | head -3 | tr '\n' ' ')"
		PF_DEFERRED=$(find "$PF_DIR/spool/deferred" -type f 2>/dev/null | wc -l)
		PF_TEMPFAIL=$(grep -c 'milter.*451\|451 4.7.1' "$PF_DIR/maillog" 2>/dev/null)
		PF_REJECTED=$(grep -c 'milter-reject' "$PF_DIR/maillog" 2>/dev/null)
		PF_DISCARDED=$(grep -c 'milter-discard' "$PF_DIR/maillog" 2>/dev/null)
		rate_of() { awk -v n="$PF_MSGS" -v c="$2" '{ print n / $c }' "$1" | median; }
		PF_WITHOUT=$(rate_of "$W/pf-without" 1)
		PF_WITH=$(rate_of "$W/pf-with" 1)
		PF_DRAIN_WITHOUT=$(rate_of "$W/pf-without" 2)
		PF_DRAIN_WITH=$(rate_of "$W/pf-with" 2)
		PF_NULL=$(rate_of "$W/pf-null" 1)
		PF_DRAIN_NULL=$(rate_of "$W/pf-null" 2)
	fi
	postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
	stop_daemon links
	stop_daemon null
fi
R_PF=$(ratio "$PF_WITH" "$PF_WITHOUT")
R_PF_NULL=$(ratio "$PF_NULL" "$PF_WITHOUT")
R_PF_LINKS_NULL=$(ratio "$PF_WITH" "$PF_NULL")
R_PF_DRAIN=$(ratio "$PF_DRAIN_WITH" "$PF_DRAIN_WITHOUT")

# ---------------------------------------------------------------- 4. sender, reply analysis
SENDER_OUT=""
if [ -f "$abs_srcdir/sender-bench.sh" ]; then
	log "4. sender: bench/sender-bench.sh (at most ${SENDER_TIMEOUT}s)"
	SENDER_OUT=$(top_builddir=$abs_top_builddir abs_top_builddir=$abs_top_builddir \
		abs_top_srcdir=$abs_top_srcdir abs_builddir=$abs_builddir abs_srcdir=$abs_srcdir \
		timeout "$SENDER_TIMEOUT" sh "$abs_srcdir/sender-bench.sh" "$abs_top_builddir" 2>&1)
	SENDER_RC=$?
else
	SENDER_RC=""
fi
REPLY_OUT=""
if [ -x "$BENCH_REPLY" ]; then
	log "4. reply analysis: bench_reply (at most ${REPLY_TIMEOUT}s)"
	REPLY_OUT=$(cd "$abs_builddir" && timeout "$REPLY_TIMEOUT" "$BENCH_REPLY" 2>&1)
	REPLY_RC=$?
fi

# ---------------------------------------------------------------- RESULTS.md
log "writing $RESULTS"
COMMIT=$(git -C "$abs_top_srcdir" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$abs_top_srcdir" status --porcelain 2>/dev/null | grep -c .)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
NULL_EOM99=$(field eom_p99 "$NULL_LINE")
LINKS_EOM99=$(field eom_p99 "$LINKS_LINE")
LINKS_MEM_DELTA=$(mem_delta_mb "$MEM_LINKS")

row() {	# row NAME LINE
	[ -n "$2" ] || { echo "| $1 | not measured | | | | | | |"; return; }
	echo "| $1 | $(field rate "$2") | $(field eom_p50 "$2") | $(field eom_p99 "$2") | $(field eom_max "$2") | $(field msg_p50 "$2") | $(field msg_p99 "$2") | $(field errors "$2") |"
}
replies_of() {	# the reply histogram of a RESULT line
	echo "$1" | tr ' ' '\n' | grep -E '^(accept|continue|discard|reject|tempfail|replycode|shutdown|connfail|error|add|del|ins|chg|repl|quar|progress|skip)[a-z_0-9]*=' | grep -v '^errors=' | tr '\n' ' '
}
memrow() {	# memrow NAME "base peak RESULT..."
	[ -n "$2" ] || { echo "| $1 | not measured | | | |"; return; }
	local line=${2#* * }
	echo "| $1 | $(mem_mb "$2" 1) | $(mem_mb "$2" 2) | $(mem_delta_mb "$2") | $(field msgs "$line") ok, $(field errors "$line") errors, EOM p99 $(field eom_p99 "$line") ms |"
}

{
	echo "# links-mail benchmark results"
	echo
	echo "Written by \`bench/run-all.sh\` (\`make bench\`). Every figure below comes from one run;"
	echo "baselines ran in the same run, interleaved, so compare the **ratios**."
	[ "$QUICK" = 1 ] && echo && echo "**Quick smoke run (BENCH_QUICK=1): too short to be a measurement.**"
	echo
	echo "## Machine"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- commit: $COMMIT$([ "$DIRTY" != 0 ] && echo " (working tree had $DIRTY uncommitted path(s), other engineers' work in progress)")"
	echo "- CPU: $CPU, $(nproc) core(s) available; RAM $MEM"
	echo "- kernel: $(uname -sr); Postfix $(postconf -h mail_version 2>/dev/null || echo '?'); OpenDKIM $(opendkim -V 2>/dev/null | sed -n '1s/.*v//p')"
	echo "- corpus: $REPLY_FILES generated replies (refusal with quoted footer, question in multipart/alternative with HTML, out-of-office auto-reply), $REPLY_AVG bytes on average; one ${LARGE_MB} MiB message ($LARGE_BYTES bytes) with two base64 attachments"
	echo
	echo "## 1. Milter protocol, $CONNS connections, 4 KB replies"
	echo "\`milterload -c $CONNS -t $SECS\`, one message per milter session as Postfix does (new socket, OPTNEG,"
	echo "CONNECT, HELO, MAIL, RCPT, DATA, headers, EOH, body, EOM, ABORT, QUIT). Median of $ROUNDS interleaved rounds."
	echo "Latencies in ms: EOM = end-of-message sent to final reply; message = MAIL to final reply."
	echo
	echo "| milter | msg/s | EOM p50 | EOM p99 | EOM max | msg p50 | msg p99 | errors |"
	echo "|---|---|---|---|---|---|---|---|"
	row "null milter (libmilter, accepts all)" "$NULL_LINE"
	row "OpenDKIM $([ "$DKIM_OK" = 1 ] && echo 'verify' || echo "($DKIM_WHY)")" "$DKIM_LINE"
	row "links-milter$([ "$LINKS_OK" = 1 ] || echo " ($LINKS_WHY)")" "$LINKS_LINE"
	echo
	echo "Replies (final, then modifications) of the median rounds:"
	echo "- null milter: $(replies_of "$NULL_LINE")"
	[ -n "$DKIM_LINE" ] && echo "- OpenDKIM: $(replies_of "$DKIM_LINE")"
	[ -n "$LINKS_LINE" ] && echo "- links-milter: $(replies_of "$LINKS_LINE")"
	echo
	echo "Ratios: links-milter / null = **$R_LINKS_NULL**; links-milter / OpenDKIM = **$R_LINKS_DKIM**; OpenDKIM / null = $R_DKIM_NULL."
	echo
	echo "All rounds (RESULT lines):"
	echo
	echo '```'
	for n in null dkim links; do
		[ -s "$W/load-$n.results" ] && sed "s/^/$n: /" "$W/load-$n.results"
	done
	echo '```'
	echo
	echo "## 2. Through Postfix"
	if [ "$PF_STATUS" = ok ]; then
		echo "\`smtp-source -s $CONNS -m $PF_MSGS -F question-001.eml\` into a private Postfix $(postconf -h mail_version 2>/dev/null) on three"
		echo "loopback smtpd listeners of one instance (no milter; the null milter, which shows what any milter"
		echo "costs inside Postfix; \`smtpd_milters = links-milter\`),"
		echo "relaying to \`smtp-sink\`; median of $ROUNDS interleaved rounds. *Accepted* = messages / time for"
		echo "smtp-source to finish (the SMTP path the milter sits in); *delivered* = until the queue is empty."
		echo
		echo "| | accepted msg/s | delivered msg/s |"
		echo "|---|---|---|"
		echo "| without milter | $PF_WITHOUT | $PF_DRAIN_WITHOUT |"
		echo "| with the null milter | $PF_NULL | $PF_DRAIN_NULL |"
		echo "| with links-milter | $PF_WITH | $PF_DRAIN_WITH |"
		echo "| ratio links-milter / no milter | **$R_PF** | $R_PF_DRAIN |"
		echo "| ratio null milter / no milter (the ceiling for any milter) | $R_PF_NULL | |"
		echo "| ratio links-milter / null milter | $R_PF_LINKS_NULL | |"
		echo
		echo "Delivered to smtp-sink: $PF_SENT of $PF_EXPECTED (warm-up included); left in the deferred queue: $PF_DEFERRED; milter tempfails logged: $PF_TEMPFAIL; milter rejects: $PF_REJECTED; milter discards: $PF_DISCARDED."
	else
		echo "$PF_STATUS"
	fi
	echo
	echo "## 3. Memory: $LARGE_CONNS connections each sending a $LARGE_MB MiB message"
	echo "VmHWM of a freshly started milter: after start-up and 20 small messages (base), and after the"
	echo "$LARGE_CONNS large messages (peak). MB = MiB."
	echo
	echo "| milter | base MB | peak MB | added MB | run |"
	echo "|---|---|---|---|---|"
	memrow "null milter" "$MEM_NULL"
	memrow "OpenDKIM verify" "$MEM_DKIM"
	memrow "links-milter" "$MEM_LINKS"
	echo
	echo "## 4. Sender"
	if [ -n "$SENDER_RC" ]; then
		echo "\`bench/sender-bench.sh\` (exit status $SENDER_RC), its output:"
		echo
		echo '```'
		echo "$SENDER_OUT"
		echo '```'
	else
		echo "Not measured: \`bench/sender-bench.sh\` (the sender engineer's links-sender vs smtp-source"
		echo "comparison, 1k/10k/100k recipients) was not in the tree when this ran."
	fi
	echo
	echo "## 5. Reply analysis (bench_reply)"
	if [ -x "$BENCH_REPLY" ]; then
		echo "\`bench_reply\` (exit status $REPLY_RC), its output:"
		echo
		echo '```'
		echo "$REPLY_OUT"
		echo '```'
	else
		echo "Not measured: bench_reply (bench/reply.am) was not provided when this ran."
	fi
	echo
	echo "## Targets"
	echo
	echo "| target | measured | status |"
	echo "|---|---|---|"
	echo "| links-milter ≥ 0.8 × null milter msg/s (4 KB, $CONNS conns) | $R_LINKS_NULL | $(meets "$R_LINKS_NULL" '>=' 0.8) |"
	echo "| links-milter ahead of OpenDKIM verify | $R_LINKS_DKIM | $(meets "$R_LINKS_DKIM" '>' 1.0) |"
	echo "| through Postfix ≥ 0.95 × without milter | $R_PF (null milter: $R_PF_NULL) | $(meets "$R_PF" '>=' 0.95) |"
	echo "| EOM p99 < 2 ms (4 KB replies) | ${LINKS_EOM99:-n/a} ms (null: ${NULL_EOM99:-n/a} ms) | $(meets "${LINKS_EOM99:-}" '<' 2) |"
	echo "| 16 × 25 MB add < 64 MB RSS | ${LINKS_MEM_DELTA:-n/a} MB | $(meets "${LINKS_MEM_DELTA:-}" '<' 64) |"
	echo "| links-sender ≥ 0.5 × smtp-source; memory flat 10k→100k | see section 4 | $([ -n "$SENDER_RC" ] && echo 'see section 4' || echo 'not measured') |"
	echo
	echo "## Notes"
	echo "- OpenDKIM runs in verify mode with \`TestDNSData\` holding a generated 2048-bit key for"
	echo "  \`s1._domainkey.example.vn\`, so no DNS query leaves the machine. The corpus's DKIM-Signature"
	echo "  is not valid for that key: OpenDKIM hashes all headers and the body and does the RSA check,"
	echo "  then accepts (On-BadSignature accept) and adds Authentication-Results."
	echo "- The null milter registers every callback, so it receives the same steps as a content filter."
	echo "- milterload, the milters, Postfix and smtp-source share the same $(nproc) core(s): absolute rates"
	echo "  include the driver's own cost; ratios compare like with like."
	if [ -f "$abs_srcdir/RESULTS.notes" ]; then
		cat "$abs_srcdir/RESULTS.notes"
	fi
} > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
log "done: $RESULTS"
exit 0
