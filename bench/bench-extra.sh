# NAME
#	bench-extra.sh - the sender, reply analysis and profile sections of run-all.sh
# SYNOPSIS
#	. bench-extra.sh	(sourced by run-all.sh)
# DESCRIPTION
#	section_sender runs bench/sender-bench.sh's throughput rounds
#	(ROUNDS); its memory campaigns and instruction profile run in the
#	background during the memory, reply and profile sections, which
#	measure peak RSS, CPU time and instructions, not wall-clock rates
#	(sender_rest_start, sender_rest_wait).
#	section_reply runs replymix (the reply analysis on every message of
#	the mix, replies per CPU-second, each result checked against its
#	class) ROUNDS times, each time first linked with the reply analysis
#	of BENCH_REPLY_BASE (an older commit, built once with
#	reply_base_build) then with this tree's: before and after on the
#	same corpus in the same run; then the reply engineer's bench_reply
#	(its own samples; given the mix with -d when it takes one). All
#	bounded in time.
#
#	section_profile runs each milter under valgrind --tool=callgrind:
#	start, warm up with 20 messages, zero the counters
#	(callgrind_control -z), send PROFILE_MSGS messages, dump the
#	counters (callgrind_control -d): instructions per message,
#	repeatable on a shared machine where wall-clock time is not; the
#	null milters on the ordinary mail (they do the same on any
#	corpus), OpenDKIM on the mix, links-milter on both. For links-milter it
#	keeps the functions by inclusive and by self cost
#	(callgrind_annotate), and, when perf(1) can sample, a perf profile
#	of a timed run of the ordinary mail. Before that, section_sys
#	splits the CPU time per message of the NR null milter, the EOH null
#	milter and links-milter on the ordinary mail into user and system
#	time (/proc) and counts their system calls (strace -c -f).
# DIAGNOSTICS
#	Failures are recorded in the result files, never fatal.

# sender_bench PARTS: bench/sender-bench.sh with those parts, its output
sender_bench() {
	# shellcheck disable=SC2086
	env top_builddir="$abs_top_builddir" ROUNDS="$ROUNDS" N="${BENCH_SENDER_N:-10000}" PARTS="$1" \
		RSS_SIZES="${BENCH_RSS_SIZES:-1000 10000 100000}" ${PROFILE_ON:+CALLGRIND="$W/cg.sender.out"} \
		PROFILE_N="$SENDER_PROFILE_N" \
		timeout "$SENDER_TIMEOUT" sh "$abs_srcdir/sender-bench.sh" "$abs_top_builddir" 2>&1
}

# section_sender: the throughput rounds now; sender_rest_start starts the
# memory campaigns and the instruction profile in the background (peak
# RSS and instruction counts do not depend on the CPU share), beside the
# profiles of section 6; sender_rest_wait collects them
section_sender() {
	SENDER_OUT=""
	SENDER_RC=""
	[ -f "$abs_srcdir/sender-bench.sh" ] || return
	log "4. sender: bench/sender-bench.sh, $ROUNDS round(s) (at most ${SENDER_TIMEOUT}s)"
	SENDER_OUT=$(sender_bench rate)
	SENDER_RC=$?
}
sender_rest_start() {
	SENDER_REST_PID=""
	[ -f "$abs_srcdir/sender-bench.sh" ] || return
	log "4. sender: memory campaigns and profile in the background"
	sender_bench "rss profile" > "$W/sender.rest" 2>&1 &
	SENDER_REST_PID=$!
	PIDS="$PIDS $SENDER_REST_PID"
}
sender_rest_wait() {
	local rc
	[ -n "${SENDER_REST_PID:-}" ] || return
	log "4. sender: waiting for the memory campaigns"
	wait "$SENDER_REST_PID"
	rc=$?
	SENDER_OUT="$SENDER_OUT
$(grep -v '^sender-bench: ' "$W/sender.rest")"
	[ "$rc" != 0 ] && SENDER_RC="${SENDER_RC:-0}, memory part $rc"
	# links-sender: one campaign under callgrind, made by sender-bench.sh
	if [ -s "$W/cg.sender.out" ]; then
		CG_SENDER=$(awk -v t="$(cg_total "$W/cg.sender.out")" -v n="$SENDER_PROFILE_N" \
			'BEGIN { if (t > 0) printf "%.0f", t / n; else print "-" }')
		PROFILE_MSGS=$SENDER_PROFILE_N cg_functions "$W/cg.sender.out" > "$W/cg.sender.txt"
	fi
}

# reply_base_build COMMIT: replymix linked with COMMIT's reply analysis
# library, built once into $abs_top_builddir/bench-base-COMMIT (kept for
# the next run); sets REPLY_BASE_BIN, or REPLY_BASE_WHY
reply_base_build() {
	local commit dir src bld cflags
	commit=$(git -C "$abs_top_srcdir" rev-parse --short=12 "$1^{commit}" 2>/dev/null) \
		|| { REPLY_BASE_WHY="commit $1 not in this repository"; return 1; }
	REPLY_BASE_COMMIT=$commit
	dir=$abs_top_builddir/bench-base-$commit
	src=$dir/src
	bld=$dir/build
	REPLY_BASE_BIN=$bld/replymix-base
	# the driver of this tree, so both sides run the same loop and checks
	if [ ! -f "$bld/milter/reply/liblinksreply.la" ]; then
		log "   building the reply analysis of $commit (once, kept in $dir)"
		rm -rf "$dir"
		mkdir -p "$src" "$bld"
		git -C "$abs_top_srcdir" archive "$commit" | tar -x -C "$src" \
			&& (cd "$src" && autoreconf -fi) > "$dir/build.log" 2>&1 \
			&& (cd "$bld" && "$src/configure" && make -C config && make -C milter/reply) \
				>> "$dir/build.log" 2>&1 \
			|| { REPLY_BASE_WHY="building $commit failed: $(tail -2 "$dir/build.log" | tr '\n' ' ')"; return 1; }
	fi
	cflags=$(sed -n 's/^CFLAGS = //p' "$abs_top_builddir/Makefile")
	# shellcheck disable=SC2086
	(cd "$bld" && ./libtool --quiet --tag=CC --mode=link gcc $cflags -I. -I"$src/config" \
		-I"$src/milter/reply" -I"$abs_srcdir" -o replymix-base "$abs_srcdir/replymix.c" \
		"$abs_srcdir/corpus.c" milter/reply/liblinksreply.la config/liblinksconf.la) \
		>> "$dir/build.log" 2>&1 \
		|| { REPLY_BASE_WHY="linking replymix with $commit failed: $(tail -2 "$dir/build.log" | tr '\n' ' ')"; return 1; }
	return 0
}

# section_reply: the reply analysis on the mix, per CPU-second, this tree
# and BENCH_REPLY_BASE interleaved (ROUNDS rounds); bench_reply's samples
section_reply() {
	local r s
	REPLY_OUT=""
	REPLY_RC=""
	REPLY_BASE_WHY=""
	REPLY_BASE_BIN=""
	if [ -x "$REPLYMIX" ]; then
		log "4. reply analysis on the mix: replymix, $ROUNDS round(s), this tree and $REPLY_BASE"
		reply_base_build "$REPLY_BASE" || { log "   before: $REPLY_BASE_WHY"; REPLY_BASE_BIN=""; }
		for r in $(seq 1 "$ROUNDS"); do
			if [ -n "$REPLY_BASE_BIN" ]; then
				timeout "$REPLY_TIMEOUT" "$REPLY_BASE_BIN" -s "$REPLY_SECS" "$CORPUS/mix" \
					> "$W/replymix.base.$r" 2>&1
				echo "rc=$?" >> "$W/replymix.base.$r"
			fi
			timeout "$REPLY_TIMEOUT" "$REPLYMIX" -s "$REPLY_SECS" "$CORPUS/mix" > "$W/replymix.now.$r" 2>&1
			echo "rc=$?" >> "$W/replymix.now.$r"
		done
		for s in now base; do
			for r in $(seq 1 "$ROUNDS"); do
				grep -h '^RESULT' "$W/replymix.$s.$r" 2>/dev/null | sed "s/^RESULT/RESULT round=$r/"
			done > "$W/m.replymix.$s"
			[ -s "$W/m.replymix.$s" ] || rm -f "$W/m.replymix.$s"
			for r in $(seq 1 "$ROUNDS"); do
				grep -h '^REPLIES' "$W/replymix.$s.$r" 2>/dev/null | sed "s/^REPLIES/RESULT round=$r/"
			done > "$W/m.replymix.$s.replies"
			[ -s "$W/m.replymix.$s.replies" ] || rm -f "$W/m.replymix.$s.replies"
		done
	fi
	[ -x "$BENCH_REPLY" ] || return
	log "4. reply analysis: bench_reply (at most ${REPLY_TIMEOUT}s)"
	REPLY_ARGS=""
	"$BENCH_REPLY" --help 2>&1 | grep -q -- '-d ' && REPLY_ARGS="-d $CORPUS/mix"
	# shellcheck disable=SC2086
	REPLY_OUT=$(cd "$abs_builddir" && timeout "$REPLY_TIMEOUT" "$BENCH_REPLY" $REPLY_ARGS 2>&1)
	REPLY_RC=$?
}

# cg_total FILE: the total instruction count of a callgrind dump
cg_total() { sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$1" | head -1; }

# cg_run NAME START_FN SOCK CORPORA [N]: callgrind counts of a milter, Ir per
# message of the ordinary mail, the mix and the refusals ("-" when not in
# CORPORA), N (default PROFILE_MSGS) messages each. A fresh process per corpus: start-up and
# 20 messages, counters zeroed, PROFILE_MSGS messages, one dump
# ($W/cg/NAME.CORPUS.out).
cg_run() {
	local name=$1 start=$2 sock=$3 n=${5:-$PROFILE_MSGS} pid c out ir dump
	mkdir -p "$W/cg"
	out=""
	for c in ordinary mix refusals; do
		case " $4 " in *" $c "*) ;; *) out="$out -"; continue ;; esac
		rm -f "$W"/cg/"$name".[0-9]*
		PROFILE_WRAP="valgrind --tool=callgrind --callgrind-out-file=$W/cg/$name.%p"
		if ! $start; then
			PROFILE_WRAP=""
			out="$out -"
			continue
		fi
		PROFILE_WRAP=""
		pid=$(daemon_pid "$name")
		"$MILTERLOAD" -q -c 4 -n 20 -d "$CORPUS/$c" -T 120 "unix:$sock" >/dev/null 2>&1
		callgrind_control -z "$pid" >/dev/null 2>&1
		timeout "$PROFILE_TIMEOUT" "$MILTERLOAD" -q -c 4 -n "$n" -d "$CORPUS/$c" \
			-T 300 "unix:$sock" > "$W/cg/$name.$c.load" 2>&1
		callgrind_control -d "$pid" >/dev/null 2>&1
		sleep 1
		stop_daemon "$name"
		dump=$(ls -t "$W"/cg/"$name".[0-9]*.[0-9]* 2>/dev/null | head -1)
		ir=""
		if [ -n "$dump" ]; then
			mv "$dump" "$W/cg/$name.$c.out"
			ir=$(cg_total "$W/cg/$name.$c.out")
		fi
		out="$out $(awk -v t="$ir" -v n="$n" 'BEGIN { if (t > 0) printf "%.0f", t / n; else print "-" }')"
	done
	echo "$out"
}

# cg_list FILE INCLUSIVE: the top functions of a dump, Ir per message,
# without the thread and libmilter frames every function sits under
cg_list() {
	callgrind_annotate --inclusive="$2" --threshold=99 "$1" 2>/dev/null | awk -v n="$PROFILE_MSGS" \
		-v top="$abs_top_srcdir/" '
		/^-+$/ { s++; next }
		s < 3 || !/^ *[0-9,]+ \(/ { next }
		/PROGRAM TOTALS|start_thread|clone\.S|mi_engine|libmilter\.so|pthread_create|\[\?\?\?\]/ { next }
		{
			c = $1; gsub(",", "", c)
			pct = ""
			if (match($0, /\([ 0-9.]+%\)/)) { pct = substr($0, RSTART + 1, RLENGTH - 2); gsub(/ /, "", pct) }
			fn = $0; sub(/^ *[0-9,]+ \([^)]*\) +/, "", fn)
			obj = fn; sub(/.*\[/, "", obj); sub(/\].*/, "", obj); sub(/.*\//, "", obj)
			sub(/ \[.*/, "", fn); sub(top, "", fn); sub(/^\.\/[^:]*\//, "", fn)
			if (fn ~ /^\?\?\?:/) fn = substr(fn, 5)
			printf "%12.0f %9s  %s  (%s)\n", c / n, pct, fn, obj
			if (++k == 22) exit
		}'
}

# cg_functions FILE: the top functions of a dump, inclusive and self
cg_functions() {
	echo "Inclusive (the function and everything it calls): Ir per message, share of the run"
	cg_list "$1" yes
	echo
	echo "Self (the function's own instructions): Ir per message, share of the run"
	cg_list "$1" no
}

# perf_links: a perf profile (cpu-clock) of links-milter on the ordinary mail
perf_links() {
	local pid
	command -v perf >/dev/null || return
	links_fresh || return
	pid=$(daemon_pid links)
	perf record -q -e cpu-clock:u -F 999 -g -p "$pid" -o "$W/perf.data" -- sleep "$SECS" \
		>/dev/null 2>&1 &
	local ppid=$!
	sleep 0.3
	"$MILTERLOAD" -q -c "$CONNS" -t "$SECS" -d "$CORPUS/ordinary" "unix:$LINKS_SOCK" >/dev/null 2>&1
	wait "$ppid"
	perf report -i "$W/perf.data" --stdio --no-children --sort symbol 2>/dev/null \
		| grep -E '^ +[0-9]' | head -n 20 > "$W/perf.top"
	stop_daemon links
}

# cpu_ticks PID: "utime stime" of process PID in clock ticks
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat" 2>/dev/null; }

# sys_run NAME START_FN SOCK: where a milter's CPU goes on the ordinary
# mail: "user_us system_us syscalls_per_msg top" per message, from a
# fresh process warmed up with 200 messages: SYS_MSGS messages at CONNS
# connections timed by /proc (user and system CPU), then SYS_MSGS more
# under strace -c -f (the system calls of every thread, counted)
sys_run() {
	local name=$1 start=$2 sock=$3 pid a b sp hz
	hz=$(getconf CLK_TCK)
	$start || return 1
	pid=$(daemon_pid "$name")
	"$MILTERLOAD" -q -c "$CONNS" -n 200 -x accept -d "$CORPUS/ordinary" "unix:$sock" >/dev/null 2>&1
	a=$(cpu_ticks "$pid")
	"$MILTERLOAD" -q -c "$CONNS" -n "$SYS_MSGS" -x accept -d "$CORPUS/ordinary" -T 120 \
		"unix:$sock" > "$W/sys.$name.load" 2>&1
	b=$(cpu_ticks "$pid")
	timeout "$PROFILE_TIMEOUT" strace -c -f -q -p "$pid" -o "$W/strace.$name" 2>/dev/null &
	sp=$!
	sleep 1
	timeout "$PROFILE_TIMEOUT" "$MILTERLOAD" -q -c "$CONNS" -n "$SYS_MSGS" -x accept \
		-d "$CORPUS/ordinary" -T 120 "unix:$sock" >> "$W/sys.$name.load" 2>&1
	kill -INT "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	stop_daemon "$name"
	awk -v a="$a" -v b="$b" -v hz="$hz" -v n="$SYS_MSGS" '
		$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { calls[$NF] = $4; total += $4 }
		END {
			split(a, x, " "); split(b, y, " ")
			printf "%.0f %.0f %.1f", (y[1] - x[1]) * 1e6 / hz / n, (y[2] - x[2]) * 1e6 / hz / n, total / n
			k = 0
			for (m in calls) order[++k] = m
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
				if (calls[order[j]] > calls[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
			sep = " "
			for (i = 1; i <= k && i <= 5; i++) { printf "%s%s:%.1f", sep, order[i], calls[order[i]] / n; sep = "," }
			printf "\n"
		}' "$W/strace.$name" 2>/dev/null
}

# section_sys: sys_run of the NR null, the EOH null and links-milter
section_sys() {
	command -v strace >/dev/null || { SYS_WHY="strace is not installed"; return; }
	log "5. profiles: user and system CPU, system calls per message ($SYS_MSGS messages of the ordinary mail)"
	SYS_NULL=$(sys_run null start_null "$NULL_SOCK")
	SYS_EOH=$(sys_run eoh start_eoh "$EOH_SOCK")
	SYS_NULLOWN=$(sys_run nullown start_nullown "$NULLOWN_SOCK")
	SYS_EOHOWN=$(sys_run eohown start_eohown "$EOHOWN_SOCK")
	SYS_LINKS=""
	[ "$LINKS_OK" = 1 ] && SYS_LINKS=$(sys_run links links_fresh "$LINKS_SOCK")
}

section_profile() {
	section_sys
	command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || {
		PROFILE_WHY="valgrind is not installed"
		return
	}
	log "5. profiles: callgrind, $PROFILE_MSGS messages of the ordinary mail and of the mix"
	CG_EOH=$(cg_run eoh start_eoh "$EOH_SOCK" ordinary)
	CG_NULL=$(cg_run null start_null "$NULL_SOCK" ordinary)
	CG_DKIM=""
	[ "$DKIM_OK" = 1 ] && CG_DKIM=$(cg_run dkim start_dkim "$DKIM_SOCK" mix $((PROFILE_MSGS / 3)))
	CG_LINKS=""
	if [ "$LINKS_OK" = 1 ]; then
		CG_LINKS=$(cg_run links links_fresh "$LINKS_SOCK" "ordinary mix refusals")
		[ -f "$W/cg/links.ordinary.out" ] && cg_functions "$W/cg/links.ordinary.out" > "$W/cg.ordinary.txt"
		[ -f "$W/cg/links.mix.out" ] && cg_functions "$W/cg/links.mix.out" > "$W/cg.mix.txt"
		[ -f "$W/cg/links.refusals.out" ] && cg_functions "$W/cg/links.refusals.out" > "$W/cg.refusals.txt"
		perf_links
	fi
}
