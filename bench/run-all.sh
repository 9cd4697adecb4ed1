#!/bin/bash
# NAME
#	run-all.sh - run every links-mail benchmark and write RESULTS.md
# SYNOPSIS
#	make bench            (in bench/ of a build tree, or at the top)
#	BENCH_QUICK=1 make bench   (a short run to check the harness)
# DESCRIPTION
#	Sets up, from nothing and reproducibly: a store of BENCH_CUSTOMERS
#	customers (links-store init + import), the corpora of gen-mail.py
#	(ordinary mail to staff, questions, refusals by distinct customers,
#	auto-replies and bounces, a realistic MX mix) with the Message-IDs
#	of the notices they answer recorded in the store and the one-click
#	tokens of the customers, a 2048-bit DKIM key (opendkim-genkey) with
#	which OpenDKIM in signing mode signs every corpus for real, and the
#	public key given to the verifying OpenDKIM through TestDNSData (no
#	DNS). Then, in one run, so that every figure has its baseline
#	beside it (these machines are shared: compare ratios):
#
#	 1. milter protocol: milterload at BENCH_CONNS connections against
#	    the NR null milter (nullmilter -m connect: every step negotiated
#	    away, accepts at CONNECT), the EOH null milter (-m eoh: reads
#	    envelope and headers without replying, accepts at end of
#	    headers), OpenDKIM verifying and links-milter, on the mix, the
#	    ordinary mail and the refusals; BENCH_ROUNDS interleaved rounds;
#	    every message's verdict checked (expect.*), and after every
#	    links-milter pass of a corpus that writes, the store's consent
#	    events (benchstore consent), from a fresh copy of the store
#	    each time (so refusals are first-time refusals every round);
#	    the CPU time of each milter per message; then, in each round, the
#	    mix and the refusals again at half the rate issue 14 requires of
#	    links-milter on them (0.4 and 0.3 x that round's NR null milter
#	    rate; milterload -R, open loop), the NR null milter and
#	    links-milter: latency at a stated load, where the closed loop
#	    gives latency at saturation; the fsync floor of the
#	    store's disk (fsyncfloor) measured between rounds;
#	 2. through Postfix: the mix (smtpload, one envelope per message)
#	    into a private Postfix with three loopback listeners: no milter,
#	    the NR null milter, links-milter; relayed to smtp-sink;
#	    interleaved rounds; what was delivered to whom and what was
#	    discarded checked against the expected verdicts;
#	 3. memory: VmHWM of each milter while 16 connections each send a
#	    BENCH_LARGE_MB message;
#	 4. bench/sender-bench.sh (links-sender against smtp-source -d);
#	    the reply analysis on the mix (replymix: replies per CPU-second,
#	    every result checked), this tree beside an older commit's
#	    (BENCH_REPLY_BASE), interleaved; bench_reply (the reply
#	    engineer's samples);
#	 5. profiles: instructions per message (callgrind, repeatable on a
#	    shared machine) of each milter on the ordinary mail and on the
#	    mix, and links-milter's functions by inclusive and self cost.
#	Everything listens on 127.0.0.1 or unix sockets in a private
#	temporary directory, is bounded in count and time, and is stopped
#	by the EXIT trap, also on failure or Ctrl-C. Needs root (a private
#	Postfix instance). RESULTS.md records the machine (CPU, cores, RAM,
#	kernel, the store's disk), the date, the commit, and the load
#	average sampled every LOAD_SAMPLE seconds during the run (the
#	machine may be shared: the figures to compare are the ratios).
#
#	Environment: abs_top_builddir, abs_top_srcdir, abs_builddir,
#	abs_srcdir (set by `make bench`; guessed otherwise); BENCH_RESULTS
#	(default $abs_srcdir/RESULTS.md; RESULTS.quick.md in the build
#	tree with BENCH_QUICK=1); BENCH_SECS (5: seconds of a time-bound
#	run, the ordinary mail), BENCH_ROUNDS (3), BENCH_CONNS (16), BENCH_WARM_MSGS (400: ordinary
#	messages through links-milter after each restart, before a timed pass),
#	BENCH_SCALE (5: corpus sizes, see gen-mail.py; 10,000 messages of the
#	mix and of the refusals, so that a pass of links-milter, which sends
#	each message once, is not over in a fraction of a second on a fast
#	machine), BENCH_CUSTOMERS (15000: more than the refusals), BENCH_LARGE_MB (25), BENCH_SECTIONS (default "milter
#	postfix memory sender reply profile"), BENCH_REPLY_BASE (the commit
#	whose reply analysis is the "before" of section 4; default f17fad0,
#	main before issue 14's work on it), BENCH_KEEP=1 keeps the
#	work directory for a post-mortem.
# DIAGNOSTICS
#	Progress on stderr. Exit status 0 when RESULTS.md was written (a
#	missed target or a wrong verdict is reported in it, not as a
#	failure), 1 when the benchmark could not be set up at all.
# The whole script is one compound command: bash reads it completely
# before it runs, so editing this file during a run does not change it.
{
set -u

here=$(cd "$(dirname "$0")" && pwd)
abs_srcdir=${abs_srcdir:-$here}
abs_top_srcdir=${abs_top_srcdir:-$(cd "$abs_srcdir/.." && pwd)}
abs_builddir=${abs_builddir:-$(pwd)}
abs_top_builddir=${abs_top_builddir:-$(cd "$abs_builddir/.." && pwd)}
PATH=$PATH:/usr/sbin:/sbin

QUICK=${BENCH_QUICK:-${LINKS_BENCH_QUICK:-0}}
if [ "$QUICK" = 1 ]; then
	SECS=${BENCH_SECS:-2}; ROUNDS=${BENCH_ROUNDS:-1}; SCALE=${BENCH_SCALE:-0.1}; REPLY_SECS=1
	LARGE_MB=${BENCH_LARGE_MB:-5}; PROFILE_MSGS=40; SENDER_PROFILE_N=200; SYS_MSGS=300
	BENCH_SENDER_N=${BENCH_SENDER_N:-2000}; BENCH_RSS_SIZES=${BENCH_RSS_SIZES:-1000 5000}
	RESULTS=${BENCH_RESULTS:-$abs_builddir/RESULTS.quick.md}
else
	SECS=${BENCH_SECS:-5}; ROUNDS=${BENCH_ROUNDS:-3}; SCALE=${BENCH_SCALE:-5}; REPLY_SECS=2
	LARGE_MB=${BENCH_LARGE_MB:-25}; PROFILE_MSGS=100; SENDER_PROFILE_N=1000; SYS_MSGS=2000
	BENCH_SENDER_N=${BENCH_SENDER_N:-5000}; BENCH_RSS_SIZES=${BENCH_RSS_SIZES:-10000 100000}
	RESULTS=${BENCH_RESULTS:-$abs_srcdir/RESULTS.md}
fi
CONNS=${BENCH_CONNS:-16}
CUSTOMERS=${BENCH_CUSTOMERS:-15000}
SECTIONS=${BENCH_SECTIONS:-milter postfix memory sender reply profile}
REPLY_BASE=${BENCH_REPLY_BASE:-f17fad0}
LOAD_SAMPLE=10			# seconds between load average samples
IDLE_SAMPLE=5			# seconds of CPU use measured before the run starts
LARGE_CONNS=16
SENDER_TIMEOUT=600		# seconds for each part of sender-bench.sh
REPLY_TIMEOUT=90		# seconds for bench_reply
START_TIMEOUT=15		# seconds for a daemon to come up
LOAD_TIMEOUT=300		# seconds for one milterload or smtpload run
DRAIN_TIMEOUT=180		# seconds for Postfix to empty its queue
PROFILE_TIMEOUT=600		# seconds for one run under valgrind

B=$abs_builddir
MILTERLOAD=$B/milterload
SMTPLOAD=$B/smtpload
NULLMILTER=$B/nullmilter
NULLMILTER_OWN=$B/nullmilter-own
BENCHSTORE=$B/benchstore
FSYNCFLOOR=$B/fsyncfloor
LINKS_MILTER=$abs_top_builddir/milter/links-milter
LINKS_STORE=$abs_top_builddir/store/links-store
BENCH_REPLY=$B/bench_reply
REPLYMIX=$B/replymix

log() { echo "bench: [$(date +%T)] $*" >&2; }
has_section() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }

W=$(mktemp -d /tmp/links-bench.XXXXXX) || exit 1
chmod 755 "$W"
PIDS=""
PF_DIR=""
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	if [ -n "$PF_DIR" ] && [ -f "$PF_DIR/etc/main.cf" ]; then
		postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
	fi
	[ -n "${PG_STARTED:-}" ] && pg_stop
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "kept $W ${STORE_CLEAN:-}"
	else
		rm -rf "$W" ${STORE_CLEAN:+"$STORE_CLEAN"}
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# field NAME LINE: the value of NAME=VALUE in a RESULT line ("" if absent)
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

# stats: "median min max" of the numbers on stdin ("" if none)
stats() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# ratio A B: A/B with two decimals ("n/a" when either is missing or B is 0)
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# meets VALUE OP LIMIT: "met" or "MISSED" (or "not measured")
meets() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "" || v == "n/a") { print "not measured"; exit }
		ok = (op == ">=") ? (v + 0 >= l + 0) : (op == "<=") ? (v + 0 <= l + 0) : (v + 0 > l + 0)
		print ok ? "met" : "**MISSED**" }'
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

# start_daemon NAME SOCKETPATH COMMAND...: start a daemon, wait for its socket
start_daemon() {
	local name=$1 sock=$2 pid
	shift 2
	rm -f "$sock"
	"$@" >>"$W/$name.log" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
	echo "$pid" > "$W/$name.pid"
	if ! wait_for "$START_TIMEOUT" test -S "$sock"; then
		log "$name did not open $sock; its log:"
		tail -5 "$W/$name.log" | sed 's/^/  /' >&2
		return 1
	fi
	chmod 666 "$sock" 2>/dev/null
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

daemon_pid() { cat "$W/$1.pid" 2>/dev/null; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

. "$abs_srcdir/bench-setup.sh"
. "$abs_srcdir/bench-milter.sh"
. "$abs_srcdir/bench-postfix.sh"
. "$abs_srcdir/bench-extra.sh"
. "$abs_srcdir/bench-report.sh"

# ---------------------------------------------------------------- run
for t in "$MILTERLOAD" "$SMTPLOAD" "$NULLMILTER" "$NULLMILTER_OWN" "$BENCHSTORE" "$FSYNCFLOOR"; do
	[ -x "$t" ] || { log "$t is not built (run make bench)"; exit 1; }
done
if [ "$(id -u)" != 0 ]; then
	log "needs root (a private Postfix instance)"
	exit 1
fi
# how busy the machine was before the benchmark started: other work shows here
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
read -r b0 t0 <<< "$(cpu_busy)"
sleep "$IDLE_SAMPLE"
read -r b1 t1 <<< "$(cpu_busy)"
PRE_BUSY=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN { if (t > 0) printf "%.0f", 100 * b / t }')
T_START=$(date +%s)
# the load average (1 min) and the runnable threads, sampled during the run
while :; do
	echo "$(cut -d' ' -f1 /proc/loadavg) $(sed -n 's/^procs_running //p' /proc/stat)" >> "$W/loadavg"
	sleep "$LOAD_SAMPLE"
done &
PIDS="$PIDS $!"
has_section profile && command -v valgrind >/dev/null && PROFILE_ON=1
setup_all || exit 1
has_section milter && section_milter
has_section postfix && section_postfix
# links-sender's memory campaigns and profile (peak RSS, instruction
# counts) run in the background beside the sections measured in peak RSS,
# CPU time or instructions, never beside a wall-clock rate
has_section sender && section_sender
has_section sender && sender_rest_start
has_section memory && section_memory
has_section reply && section_reply
has_section profile && section_profile
has_section sender && sender_rest_wait
T_END=$(date +%s)
write_results
log "done in $((T_END - T_START)) s: $RESULTS"
exit 0
}
