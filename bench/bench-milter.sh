# NAME
#	bench-milter.sh - the milter protocol and memory sections of run-all.sh
# SYNOPSIS
#	. bench-milter.sh	(sourced by run-all.sh)
# DESCRIPTION
#	section_milter runs milterload against each milter on each corpus,
#	BENCH_ROUNDS rounds, the milters interleaved within a round and
#	the corpora interleaved across rounds. links-milter gets a corpus
#	with refusals once per run (-n its size), each run on a pristine
#	copy of the store after BENCH_WARM_MSGS (400) messages of ordinary
#	mail, which write nothing (links_warm), and benchstore checks the
#	consent events afterwards; every other run (the ordinary mail, the baselines,
#	which record nothing) lasts BENCH_SECS. Each round ends with the mix
#	and the refusals at half the rate issue 14 requires of links-milter
#	on them, measured against that round's NR null milter: 0.4 x its rate
#	on the mix (half of 0.8 x), 0.3 x on the refusals (half of 0.6 x)
#	(paced_pass: milterload -R, open loop; results under the tags
#	mixpaced and refusalspaced). Results go to $W/m.CORPUS.MILTER (RESULT lines,
#	one per round), $W/consent.CORPUS (CONSENT lines), $W/cls.* (CLASS
#	lines) and $W/fsync (FSYNC lines of the store's disk, one per round).
#
#	section_memory measures VmHWM of each milter, freshly started,
#	while 16 connections each send a BENCH_LARGE_MB message.
# DIAGNOSTICS
#	Failures are recorded in the result files, never fatal.

# run_load TAG MILTER SOCK CORPUS EXPECT ARGS...: one run, its RESULT line into $W/m.TAG
run_load() {
	local tag=$1 name=$2 sock=$3 corpus=$4 expect=$5 out pid
	shift 5
	pid=$(daemon_pid "$name")
	out=$(timeout "$LOAD_TIMEOUT" "$MILTERLOAD" -q -K -c "$CONNS" -T 30 ${pid:+-P "$pid"} \
		-d "$CORPUS/$corpus" -e "$CORPUS/$corpus/expect.$expect" "$@" "unix:$sock" \
		2>>"$W/err.$tag")
	echo "$out" | grep '^CLASS' | sed "s/^/round=$ROUND /" >> "$W/cls.$tag"
	echo "$out" | grep '^RESULT' | tail -1 | sed "s/^RESULT/RESULT round=$ROUND/" >> "$W/m.$tag"
}

# corpus_size C: messages in corpus C
corpus_size() { ls "$CORPUS/$1" | grep -c '\.eml$'; }

# consent_check C [TAG]: benchstore's verdict on the store after a pass of C, into $W/consent.TAG
consent_check() {
	local out tag=${2:-$1}
	out=$("$BENCHSTORE" -c "$LINKS_CONF" consent "$CORPUS/$1/consent.expect" 2>>"$W/err.consent.$tag")
	echo "round=$ROUND ${out:-CONSENT failed}" >> "$W/consent.$tag"
}

# links_warm SOCK: ordinary mail (which writes nothing) through a freshly
# started links-milter, so that a timed pass finds its connection threads
# and their store connections open, as in a milter that has been running:
# the baselines run all along; links-milter is restarted on a pristine
# store before each pass of a corpus that writes
links_warm() {
	"$MILTERLOAD" -q -K -c "$CONNS" -T 30 -n "$WARM_MSGS" -d "$CORPUS/ordinary" \
		-e "$CORPUS/ordinary/expect.links" "unix:$1" >/dev/null 2>>"$W/err.warm"
}
WARM_MSGS=${BENCH_WARM_MSGS:-400}
# The open-loop passes: half the throughput target of each corpus, as a fraction of
# the NR null milter's rate (issue 14: mix >= 0.8 x, refusals >= 0.6 x)
PACED_MIX=0.4
PACED_REFUSALS=0.3

# links_pass C [ARGS...]: links-milter on a fresh store, warmed, one pass of C, consent checked
links_pass() { links_pass_as "$1" "$@"; }

# links_pass_as TAG C [ARGS...]: the same, its results under TAG (m.TAG.links, consent.TAG)
links_pass_as() {
	local tag=$1 c=$2
	shift 2
	if ! links_fresh; then
		echo "RESULT round=$ROUND links-milter did not start errors=1" >> "$W/m.$tag.links"
		return
	fi
	links_warm "$LINKS_SOCK"
	run_load "$tag.links" links "$LINKS_SOCK" "$c" links "$@"
	consent_check "$c" "$tag"
}

# null_rate_times C F: F times the NR null milter's closed-loop rate on C in this round (msg/s)
null_rate_times() {
	sed -n "s/^RESULT round=$ROUND .* rate=\([0-9.]*\) .*/\1/p" "$W/m.$1.null" | tail -1 \
		| awk -v f="$2" '$1 * f >= 1 { printf "%d\n", $1 * f }'
}

# paced_pass C N F: open loop (milterload -R) at F times the NR null milter's rate on C:
# the NR null milter, then links-milter on a fresh store; F is half the throughput
# issue 14 requires of links-milter on C (PACED_MIX, PACED_REFUSALS)
paced_pass() {
	local c=$1 n=$2 rate
	rate=$(null_rate_times "$c" "$3")
	[ -n "$rate" ] || return 0
	run_load "${c}paced.null" null "$NULL_SOCK" "$c" null -n "$n" -R "$rate"
	[ "$LINKS_OK" = 1 ] && links_pass_as "${c}paced" "$c" -n "$n" -R "$rate"
}

# linkspg_pass C [ARGS...]: the same with the store on PostgreSQL
linkspg_pass() {
	local c=$1 out
	shift
	if ! links_fresh_pg; then
		echo "RESULT round=$ROUND links-milter on PostgreSQL did not start errors=1" >> "$W/m.$c.linkspg"
		return
	fi
	links_warm "$PGLINKS_SOCK"
	run_load "$c.linkspg" linkspg "$PGLINKS_SOCK" "$c" links "$@"
	out=$("$BENCHSTORE" -c "$PGLINKS_CONF" consent "$CORPUS/$c/consent.expect" 2>>"$W/err.consent.pg.$c")
	echo "round=$ROUND ${out:-CONSENT failed}" >> "$W/consent.pg.$c"
	stop_daemon linkspg
}

section_milter() {
	local n_mix n_ref n_q n_auto
	log "1. milter protocol: $ROUNDS round(s), $CONNS connections"
	n_mix=$(corpus_size mix)
	n_ref=$(corpus_size refusals)
	start_null || return
	start_eoh || return
	start_nullown || return
	start_eohown || return
	if [ "$DKIM_OK" = 1 ] && ! start_dkim; then
		DKIM_OK=0
		DKIM_WHY="opendkim did not start: $(tail -2 "$W/dkim.log" | tr '\n' ' ')"
	fi
	# warm-up: page cache, thread pools, the store's pages
	ROUND=0
	run_load warm null "$NULL_SOCK" ordinary null -n 200
	[ "$LINKS_OK" = 1 ] && links_fresh && run_load warm links "$LINKS_SOCK" ordinary links -n 200
	[ "$DKIM_OK" = 1 ] && run_load warm dkim "$DKIM_SOCK" mix dkim -n 200
	ROUND=1
	while [ "$ROUND" -le "$ROUNDS" ]; do
		log "   round $ROUND: mix"
		run_load mix.null null "$NULL_SOCK" mix null -t "$SECS"
		run_load mix.nullown nullown "$NULLOWN_SOCK" mix null -t "$SECS"
		[ "$DKIM_OK" = 1 ] && run_load mix.dkim dkim "$DKIM_SOCK" mix dkim -t "$SECS"
		[ "$LINKS_OK" = 1 ] && links_pass mix -n "$n_mix"
		[ "$PG_OK" = 1 ] && linkspg_pass mix -n "$n_mix"
		log "   round $ROUND: ordinary mail (${SECS}s each)"
		run_load ordinary.null null "$NULL_SOCK" ordinary null -t "$SECS"
		run_load ordinary.eoh eoh "$EOH_SOCK" ordinary null -t "$SECS"
		run_load ordinary.nullown nullown "$NULLOWN_SOCK" ordinary null -t "$SECS"
		run_load ordinary.eohown eohown "$EOHOWN_SOCK" ordinary null -t "$SECS"
		[ "$LINKS_OK" = 1 ] && run_load ordinary.links links "$LINKS_SOCK" ordinary links -t "$SECS"
		log "   round $ROUND: refusals"
		run_load refusals.null null "$NULL_SOCK" refusals null -t "$SECS"
		run_load refusals.nullown nullown "$NULLOWN_SOCK" refusals null -t "$SECS"
		[ "$LINKS_OK" = 1 ] && links_pass refusals -n "$n_ref"
		[ "$PG_OK" = 1 ] && linkspg_pass refusals -n "$n_ref"
		log "   round $ROUND: the mix and the refusals at half their required rate (open loop)"
		paced_pass mix "$n_mix" "$PACED_MIX"
		paced_pass refusals "$n_ref" "$PACED_REFUSALS"
		"$FSYNCFLOOR" -t 2 -n 2000 "$STORE_DIR" >> "$W/fsync" 2>>"$W/err.fsync"
		ROUND=$((ROUND + 1))
	done
	if [ "$LINKS_OK" = 1 ]; then
		ROUND=1
		n_q=$(corpus_size questions)
		n_auto=$(corpus_size auto)
		log "   verdicts: questions, auto-replies and bounces (one pass each)"
		links_pass questions -n "$n_q"
		links_pass auto -n "$n_auto"
	fi
	stop_daemon links
	stop_daemon dkim
	stop_daemon eohown
	stop_daemon nullown
	stop_daemon eoh
	stop_daemon null
}

# mem_test NAME START_FN SOCK ALLOWED: "base_kb peak_kb RESULT..." of a fresh milter
mem_test() {
	local name=$1 start=$2 sock=$3 allowed=$4 pid base peak out
	stop_daemon "$name"
	$start || return 1
	pid=$(daemon_pid "$name")
	"$MILTERLOAD" -q -c 4 -n 20 -x "$allowed" -d "$CORPUS/questions" "unix:$sock" >/dev/null 2>&1
	base=$(hwm_kb "$pid")
	out=$("$MILTERLOAD" -q -c "$LARGE_CONNS" -n "$LARGE_CONNS" -x "$allowed" -T 120 \
		-r noreply@ilinks.asia -d "$W/large" "unix:$sock" 2>>"$W/err.mem.$name")
	peak=$(hwm_kb "$pid")
	echo "$base $peak $(echo "$out" | grep '^RESULT')"
	stop_daemon "$name"
}

section_memory() {
	log "3. memory: $LARGE_CONNS connections x $LARGE_MB MB"
	python3 "$abs_srcdir/gen-mail.py" large "$W/large" --count 1 --mb "$LARGE_MB" >/dev/null || return
	LARGE_BYTES=$(cat "$W"/large/*.eml | wc -c)
	MEM_NULL=$(mem_test null start_null "$NULL_SOCK" accept)
	MEM_DKIM=""
	[ "$DKIM_OK" = 1 ] && MEM_DKIM=$(mem_test dkim start_dkim "$DKIM_SOCK" accept,continue)
	MEM_LINKS=""
	[ "$LINKS_OK" = 1 ] && MEM_LINKS=$(mem_test links links_fresh "$LINKS_SOCK" accept,continue,discard)
}
