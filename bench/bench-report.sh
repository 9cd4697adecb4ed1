# NAME
#	bench-report.sh - RESULTS.md from the result files of run-all.sh
# SYNOPSIS
#	. bench-report.sh	(sourced by run-all.sh); write_results
# DESCRIPTION
#	Every figure is the median of the rounds with its spread (min-max);
#	a ratio is the median of the per-round ratios (the rounds are
#	interleaved, so each round's ratio compares runs taken a few
#	seconds apart). A figure whose run got a wrong verdict or whose
#	store check failed is marked, and its target cannot be met.
# DIAGNOSTICS
#	None: missing results are written as "not measured".

declare -A AGG			# "FILE|FIELD" -> "median min max sum"

# agg_load FILE: every field of the RESULT lines of FILE into AGG, one awk
agg_load() {
	local key val
	AGG["$1|"]=loaded
	[ -s "$1" ] || return 0
	while read -r key val; do
		AGG["$1|$key"]=$val
	done < <(awk '/^RESULT/ {
			for (i = 2; i <= NF; i++) {
				p = index($i, "="); if (p == 0) continue
				f = substr($i, 1, p - 1); v = substr($i, p + 1)
				if (!(f in n)) order[++nf] = f
				val[f, ++n[f]] = v; s[f] += v
			}
		} END {
			# sorted as numbers (a field is a string to awk), printed as written
			for (k = 1; k <= nf; k++) {
				f = order[k]; c = n[f]
				for (i = 1; i <= c; i++) { a[i] = val[f, i]; x[i] = val[f, i] + 0 }
				for (i = 2; i <= c; i++) { t = a[i]; y = x[i]; j = i - 1
					while (j > 0 && x[j] > y) { a[j + 1] = a[j]; x[j + 1] = x[j]; j-- }
					a[j + 1] = t; x[j + 1] = y }
				print f, a[int((c + 1) / 2)], a[1], a[c], s[f]
			}
		}' "$1")
}

# agg FILE FIELD: "median min max" of FIELD over the RESULT lines of FILE
agg() {
	[ -n "${AGG["$1|"]:-}" ] || agg_load "$1"
	local v=${AGG["$1|$2"]:-}
	[ -n "$v" ] && echo "${v% *}"
	return 0
}
med() { local v; v=$(agg "$1" "$2"); echo "${v%% *}"; }
# spread FILE FIELD: "MED (MIN–MAX)"
spread() {
	local v a b c
	v=$(agg "$1" "$2")
	[ -n "$v" ] || { echo "n/a"; return; }
	read -r a b c <<< "$v"
	if [ "$b" = "$c" ]; then echo "$a"; else echo "$a ($b–$c)"; fi
}
# sum FILE FIELD: the sum of FIELD over the rounds
sum() {
	[ -n "${AGG["$1|"]:-}" ] || agg_load "$1"
	local v=${AGG["$1|$2"]:-}
	echo "${v##* }" | grep . || echo 0
}
# rratio A B [FIELD]: per-round ratios of FIELD (rate) of files A and B: "MED MIN MAX"
rratio() {
	local f=${3:-rate}
	[ -s "$1" ] && [ -s "$2" ] || return 0
	join <(grep '^RESULT' "$1" | sed -n "s/.*round=\([0-9]*\).* $f=\([0-9.]*\).*/\1 \2/p" | sort) \
		<(grep '^RESULT' "$2" | sed -n "s/.*round=\([0-9]*\).* $f=\([0-9.]*\).*/\1 \2/p" | sort) \
		| awk '$3 > 0 { printf "%.3f\n", $2 / $3 }' | stats
}
# fmt_ratio "MED MIN MAX": "0.74 (0.70–0.80)"
fmt_ratio() {
	[ -n "$1" ] || { echo "n/a"; return; }
	echo "$1" | awk '{ if ($2 == $3) printf "%.2f\n", $1; else printf "%.2f (%.2f–%.2f)\n", $1, $2, $3 }'
}
first() { echo "$1" | cut -d' ' -f1; }

# verdicts TAG: "ok" or what went wrong in the runs of TAG (milterload errors, store checks)
verdicts() {
	local tag=$1 corpus=${1%%.*} errs second bad=""
	errs=$(sum "$W/m.$tag" errors)
	second=$(sum "$W/m.$tag" second_best)
	[ "$errs" != 0 ] && bad="$errs wrong verdict(s)"
	local cf=""
	case ${tag#*.} in
	links) cf=$W/consent.$corpus ;;
	linkspg) cf=$W/consent.pg.$corpus ;;
	esac
	if [ -n "$cf" ] && [ -s "$cf" ]; then
		grep -v ' missing=0 duplicate=0 extra=0' "$cf" | grep -q . \
			&& bad="${bad:+$bad, }store check failed ($(grep -v ' missing=0 duplicate=0 extra=0' "$cf" | head -1 | sed 's/^round=[0-9]* //'))"
	fi
	if [ -n "$bad" ]; then echo "**$bad**"; elif [ "$second" != 0 ]; then echo "ok ($second second best)"; else echo ok; fi
}

# row LABEL TAG CELL...: one table row of section 1 from the RESULT lines of TAG: each CELL
# is FN:FIELD (FN med or spread), then the verdicts; "not measured" when TAG has none
row() {
	local label=$1 tag=$2 f=$W/m.$2 cell line
	shift 2
	if [ ! -s "$f" ]; then
		echo "| $label | not measured |$(printf ' |%.0s' "$@")"
		return
	fi
	line="| $label |"
	for cell in "$@"; do
		line="$line $(${cell%%:*} "$f" "${cell#*:}") |"
	done
	echo "$line $(verdicts "$tag") |"
}

# mrow LABEL TAG: one row of a closed-loop table of section 1
mrow() {
	row "$1" "$2" spread:rate med:cpu_us_per_msg med:eom_p50 spread:eom_p99 med:dec_p50 spread:dec_p99
}

# mtable CORPUS MILTERS...: the table of one corpus
mtable() {
	local c=$1 m
	shift
	echo "| milter | msg/s | CPU µs/msg | EOM p50 | EOM p99 | decision p50 | decision p99 | verdicts |"
	echo "|---|---|---|---|---|---|---|---|"
	for m in "$@"; do
		case $m in
		null) mrow "NR null milter (accepts at CONNECT)" "$c.null" ;;
		eoh) mrow "EOH null milter (reads envelope + headers)" "$c.eoh" ;;
		nullown) mrow "NR null milter on milter_proto (no libmilter)" "$c.nullown" ;;
		eohown) mrow "EOH null milter on milter_proto (no libmilter)" "$c.eohown" ;;
		dkim) mrow "OpenDKIM verify" "$c.dkim" ;;
		links) mrow "links-milter" "$c.links" ;;
		linkspg) [ "$PG_OK" = 1 ] && mrow "links-milter, store on PostgreSQL" "$c.linkspg" ;;
		esac
	done
}

# class_table TAG: links-milter's latencies per kind of message (median round values)
class_table() {
	local f=$W/cls.$1
	[ -s "$f" ] || return 0
	echo "| kind | messages/round | EOM n | EOM p50 | EOM p99 | decision p50 | decision p99 |"
	echo "|---|---|---|---|---|---|---|"
	for k in $(sed -n 's/.* class=\([a-z]*\) .*/\1/p' "$f" | sort -u); do
		local t=$W/cls.$1.$k.r
		grep " class=$k " "$f" | sed 's/^round=[0-9]* CLASS/RESULT/' > "$t"
		agg_load "$t"
		echo "| $k | $(med "$t" msgs) | $(med "$t" eom_n) | $(med "$t" eom_p50) | $(med "$t" eom_p99) | $(med "$t" dec_p50) | $(med "$t" dec_p99) |"
	done
}

# consent_lines C: the store checks of corpus C
consent_lines() {
	[ -s "$W/consent.$1" ] || { echo "(no store check ran)"; return; }
	sed 's/^/    /' "$W/consent.$1"
}

machine() {
	local commit dirty disk
	commit=$(git -C "$abs_top_srcdir" rev-parse --short HEAD 2>/dev/null || echo unknown)
	dirty=$(git -C "$abs_top_srcdir" status --porcelain 2>/dev/null | grep -c .)
	disk=$(lsblk -dno NAME,ROTA,SIZE,MODEL 2>/dev/null | awk '$1 !~ /^(zram|loop)/ { m = (NF > 3) ? " " $4 : ""; printf "%s%s rotational=%s %s%s", sep, $1, $2, $3, m; sep = "; " }')
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); the run took $((T_END - T_START)) s"
	echo "- commit: $commit$([ "$dirty" != 0 ] && echo " (working tree had $dirty uncommitted path(s))")"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) ($(awk -F': ' '/^cpu family/ { f = $2 } /^model[[:space:]]*:/ { m = $2 } /^cpu MHz/ { h = $2 } /^flags/ { v = ($2 ~ / hypervisor/) ? ", virtual machine" : "" } END { printf "family %s model %s, %.0f MHz%s", f, m, h, v }' /proc/cpuinfo)), $(nproc) core(s) available; RAM $(awk '/^MemTotal:/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
	echo "- kernel: $(uname -sr)"
	if [ -s "$W/loadavg" ]; then
		echo "- load during the run (1-minute load average sampled every ${LOAD_SAMPLE} s, $(wc -l < "$W/loadavg") samples; $(nproc) core(s)): median $(cut -d' ' -f1 "$W/loadavg" | stats | awk '{ printf "%s (min %s, max %s)", $1, $2, $3 }'); runnable threads median $(cut -d' ' -f2 "$W/loadavg" | stats | awk '{ printf "%s (max %s)", $1, $3 }')$(awk -v n="$(nproc)" '$1 > n { hi++ } END { if (hi) printf "; above the core count in %d of %d samples (the benchmark itself keeps %d connections and the milters\x27 threads busy)", hi, NR, c }' c="$CONNS" "$W/loadavg")"
	fi
	[ -n "${PRE_BUSY:-}" ] && echo "- other work: the CPUs were ${PRE_BUSY}% busy in the ${IDLE_SAMPLE} s before the run started$(awk -v b="$PRE_BUSY" 'BEGIN { if (b > 10) print " (the machine was shared: wall-clock rates are lower and noisier than on an idle host; compare the ratios, CPU times and instruction counts)" }')"
	echo "- store disk: ${STORE_FS:-?}${disk:+ (block devices: $disk)}"
	echo "- Postfix $(postconf -d -h mail_version 2>/dev/null || echo '?'); OpenDKIM $(opendkim -V 2>/dev/null | sed -n '1s/.*v//p'); valgrind $(valgrind --version 2>/dev/null | sed 's/valgrind-//')"
	if [ -s "$W/fsync" ]; then
		echo "- fsync floor of the store's disk (fsyncfloor: 4 KB overwrite + fdatasync, 2 s per round, $(wc -l < "$W/fsync") round(s)): p50 $(spread "$W/fsync.r" p50) ms, p99 $(spread "$W/fsync.r" p99) ms, max $(spread "$W/fsync.r" max) ms"
	fi
}

write_targets() {
	local r_mix r_ord r_ref r_mixo r_ordo r_refo r_dkim eom_mix eom_ref peom_mix peom_ref pf sender_r growth reply_rate v_mix v_ord v_ref
	r_mix=$(rratio "$W/m.mix.links" "$W/m.mix.null")
	r_ord=$(rratio "$W/m.ordinary.links" "$W/m.ordinary.null")
	r_ref=$(rratio "$W/m.refusals.links" "$W/m.refusals.null")
	r_dkim=$(rratio "$W/m.mix.links" "$W/m.mix.dkim")
	eom_mix=$(agg "$W/m.mix.links" eom_p99)
	eom_ref=$(agg "$W/m.refusals.links" eom_p99)
	peom_mix=$(agg "$W/m.mixpaced.links" eom_p99)
	peom_ref=$(agg "$W/m.refusalspaced.links" eom_p99)
	pf=$(pf_ratio)
	v_mix=$(verdicts mix.links)
	v_ord=$(verdicts ordinary.links)
	v_ref=$(verdicts refusals.links)
	tstatus() {	# VALUE OP LIMIT VERDICTS
		local s
		s=$(meets "$1" "$2" "$3")
		case $4 in '**'*) [ "$s" = met ] && s="**MISSED** (verdicts wrong)" ;; esac
		echo "$s"
	}
	echo "| target (issue 14) | measured: median of the rounds (min–max) | status |"
	echo "|---|---|---|"
	echo "| MX mix: links-milter ≥ 0.8 × NR null milter msg/s | $(fmt_ratio "$r_mix"); verdicts $v_mix | $(tstatus "$(first "$r_mix")" '>=' 0.8 "$v_mix") |"
	echo "| ordinary mail: ≥ 0.9 × NR null milter | $(fmt_ratio "$r_ord"); verdicts $v_ord | $(tstatus "$(first "$r_ord")" '>=' 0.9 "$v_ord") |"
	echo "| refusals by distinct customers: ≥ 0.6 × NR null milter | $(fmt_ratio "$r_ref"); verdicts $v_ref | $(tstatus "$(first "$r_ref")" '>=' 0.6 "$v_ref") |"
	r_mixo=$(rratio "$W/m.mix.links" "$W/m.mix.nullown")
	r_ordo=$(rratio "$W/m.ordinary.links" "$W/m.ordinary.nullown")
	r_refo=$(rratio "$W/m.refusals.links" "$W/m.refusals.nullown")
	echo "| the same three against the NR null milter on links-milter's own protocol engine (no libmilter; stricter): mix ≥ 0.8 | $(fmt_ratio "$r_mixo") | $(tstatus "$(first "$r_mixo")" '>=' 0.8 "$v_mix") |"
	echo "| ordinary ≥ 0.9 × the NR null milter on the own engine | $(fmt_ratio "$r_ordo") | $(tstatus "$(first "$r_ordo")" '>=' 0.9 "$v_ord") |"
	echo "| refusals ≥ 0.6 × the NR null milter on the own engine | $(fmt_ratio "$r_refo") | $(tstatus "$(first "$r_refo")" '>=' 0.6 "$v_ref") |"
	echo "| ≥ 2 × OpenDKIM verifying real signatures (mix) | $(fmt_ratio "$r_dkim") | $(tstatus "$(first "$r_dkim")" '>=' 2 "$v_mix") |"
	echo "| EOM p99 at $CONNS connections ≤ 2 ms, mix, at half its required rate ($(med "$W/m.mixpaced.links" offered) msg/s offered, open loop, section 1) | $(fmt_ratio "$peom_mix") ms; lag p99 $(med "$W/m.mixpaced.links" lag_p99) ms; verdicts $(verdicts mixpaced.links) (fsync floor p99 $(med "$W/fsync.r" p99) ms) | $(tstatus "$(first "$peom_mix")" '<=' 2 "$(verdicts mixpaced.links)") |"
	echo "| EOM p99 at $CONNS connections ≤ 3 ms, refusals, at half their required rate ($(med "$W/m.refusalspaced.links" offered) msg/s offered) | $(fmt_ratio "$peom_ref") ms; lag p99 $(med "$W/m.refusalspaced.links" lag_p99) ms; verdicts $(verdicts refusalspaced.links) | $(tstatus "$(first "$peom_ref")" '<=' 3 "$(verdicts refusalspaced.links)") |"
	echo "| the same at saturation (closed loop, the throughput runs above), mix ≤ 2 ms | $(fmt_ratio "$eom_mix") ms | $(meets "$(first "$eom_mix")" '<=' 2) |"
	echo "| the same at saturation, refusals ≤ 3 ms | $(fmt_ratio "$eom_ref") ms | $(meets "$(first "$eom_ref")" '<=' 3) |"
	echo "| through Postfix, mix: links-milter ≥ 0.9 × NR null milter accepted msg/s | $(fmt_ratio "$pf") | $(meets "$(first "$pf")" '>=' 0.9) |"
	sender_r=$(echo "${SENDER_OUT:-}" | sed -n 's/^RESULT sender .* ratio=\([0-9.]*\).*/\1/p' | grep . | head -1)
	growth=$(echo "${SENDER_OUT:-}" | sed -n 's/^RESULT sender .* rss_growth=\([0-9.]*\).*/\1/p' | grep . | head -1)
	echo "| links-sender ≥ 0.8 × smtp-source -d, same connections | ${sender_r:-n/a} (ratio of the medians, section 4) | $(meets "$sender_r" '>=' 0.8) |"
	echo "| links-sender memory flat 10k → 100k recipients (≤ 1.25×) | ${growth:-n/a} × | $(meets "$growth" '<=' 1.25) |"
	reply_rate=$(med "$W/m.replymix.now" per_cpu_s)
	echo "| reply analysis ≥ 30k replies/s per CPU-second on the mix | every message of the mix $(spread "$W/m.replymix.now" per_cpu_s)$([ -s "$W/m.replymix.now" ] && echo "; results $(replymix_verdicts now)") (section 5) | $(tstatus "$reply_rate" '>=' 30000 "$(replymix_verdicts now)") |"
	echo "| the same, the mix's replies only (ordinary mail left out) | $(spread "$W/m.replymix.now.replies" per_cpu_s) | $(meets "$(med "$W/m.replymix.now.replies" per_cpu_s)" '>=' 30000) |"
}

# replymix_verdicts now|base: "ok" or the wrongly analysed messages of replymix
replymix_verdicts() {
	local bad
	bad=$(sum "$W/m.replymix.$1" bad)
	if [ "${bad:-0}" != 0 ]; then echo "**$bad wrong**"; else echo ok; fi
}

# write_section_reply: replymix before/after, then bench_reply
write_section_reply() {
	local k
	echo "## 5. Reply analysis"
	echo "\`replymix\` runs the reply analysis (liblinksreply's \`reply_analyze\`, one thread) on every"
	echo "message of the mix ($(sed -n 's/^mix: //p' "$W/corpus.stats")), as if the milter analysed every"
	echo "message; each result is first checked against the message's class (a refusal must be read as"
	echo "one, a question as a question and no refusal, an auto-reply and a bounce as such; ordinary mail"
	echo "and one-click token refusals are counted, not judged), then the corpus is analysed in passes"
	echo "for ${REPLY_SECS} CPU-second(s). Replies per **CPU-second** of the process (per wall second beside it),"
	echo "$ROUNDS interleaved round(s), the same driver linked once with the reply analysis of"
	echo "${REPLY_BASE_COMMIT:-$REPLY_BASE} (before) and once with this tree's (after)."
	echo
	if [ ! -s "$W/m.replymix.now" ]; then
		echo "Not measured: replymix is not built or did not run."
	else
		echo "| reply analysis | replies per CPU-second | per wall second | CPU ms per reply | results |"
		echo "|---|---|---|---|---|"
		if [ -s "$W/m.replymix.base" ]; then
			echo "| before: ${REPLY_BASE_COMMIT:-$REPLY_BASE} | $(spread "$W/m.replymix.base" per_cpu_s) | $(spread "$W/m.replymix.base" per_wall_s) | $(awk -v r="$(med "$W/m.replymix.base" per_cpu_s)" 'BEGIN { if (r > 0) printf "%.3f", 1000 / r }') | $(replymix_verdicts base) |"
		else
			echo "| before: ${REPLY_BASE_COMMIT:-$REPLY_BASE} | not measured: ${REPLY_BASE_WHY:-?} | | | |"
		fi
		echo "| after: this tree | $(spread "$W/m.replymix.now" per_cpu_s) | $(spread "$W/m.replymix.now" per_wall_s) | $(awk -v r="$(med "$W/m.replymix.now" per_cpu_s)" 'BEGIN { if (r > 0) printf "%.3f", 1000 / r }') | $(replymix_verdicts now) |"
		echo
		echo "The replies of the mix alone (every message but the ordinary mail, which links-milter accepts"
		echo "at end of headers without analysing it; $(sed -n 's/.* msgs=\([0-9]*\).*/\1/p' "$W/m.replymix.now.replies" 2>/dev/null | head -1) messages):"
		echo
		echo "| reply analysis | replies per CPU-second | per wall second |"
		echo "|---|---|---|"
		echo "| before: ${REPLY_BASE_COMMIT:-$REPLY_BASE} | $(spread "$W/m.replymix.base.replies" per_cpu_s) | $(spread "$W/m.replymix.base.replies" per_wall_s) |"
		echo "| after: this tree | $(spread "$W/m.replymix.now.replies" per_cpu_s) | $(spread "$W/m.replymix.now.replies" per_wall_s) |"
		echo
		echo "After / before (replies per CPU-second, per round): whole mix $(fmt_ratio "$(rratio "$W/m.replymix.now" "$W/m.replymix.base" per_cpu_s)"), its replies $(fmt_ratio "$(rratio "$W/m.replymix.now.replies" "$W/m.replymix.base.replies" per_cpu_s)")"
		echo
		echo "Per kind of message (replies per CPU-second, median of the rounds; what the analysis said in"
		echo "the checking pass):"
		echo
		echo "| kind | messages | before | after | after: read as refusal / question / auto-reply / bounce |"
		echo "|---|---|---|---|---|"
		for k in $(cat "$W"/replymix.now.* | sed -n 's/^CLASS class=\([a-z]*\) .*/\1/p' | sort -u); do
			echo "| $k | $(grep -h "^CLASS class=$k " "$W"/replymix.now.* | head -1 | sed 's/.* msgs=\([0-9]*\).*/\1/') | $(grep -h "^CLASS class=$k " "$W"/replymix.base.* 2>/dev/null | sed 's/.* per_cpu_s=\([0-9]*\).*/\1/' | stats | cut -d' ' -f1) | $(grep -h "^CLASS class=$k " "$W"/replymix.now.* | sed 's/.* per_cpu_s=\([0-9]*\).*/\1/' | stats | cut -d' ' -f1) | $(grep -h "^CLASS class=$k " "$W"/replymix.now.* | head -1 | sed 's/.* optout=\([0-9]*\) question=\([0-9]*\) kind=auto:\([0-9]*\),bounce:\([0-9]*\).*/\1 \/ \2 \/ \3 \/ \4/') |"
		done
		if grep -qh '^BAD' "$W"/replymix.*.* 2>/dev/null; then
			echo
			echo "Messages analysed wrongly (first of each side):"
			echo
			echo '```'
			for k in base now; do grep -h '^BAD' "$W"/replymix.$k.* 2>/dev/null | sort -u | head -5 | sed "s/^/$k: /"; done
			echo '```'
		fi
	fi
	echo
	echo "### bench_reply (the reply engineer's samples)"
	if [ -n "${REPLY_RC:-}" ]; then
		echo "\`bench_reply ${REPLY_ARGS:-}\` (exit status $REPLY_RC):"
		echo
		echo '```'
		echo "$REPLY_OUT"
		echo '```'
	else
		echo "Not measured: bench_reply is not built."
	fi
}

# pf_ratio: per-round ratio links/null of the accepted rate through Postfix
pf_ratio() {
	[ -s "$W/pf.links" ] && [ -s "$W/pf.null" ] || return 0
	paste -d' ' <(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$W/pf.links") \
		<(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$W/pf.null") | awk '$2 > 0 { printf "%.3f\n", $1 / $2 }' | stats
}

# pfrow LABEL NAME: one row of section 2
pfrow() {
	local f=$W/pf.$2
	[ -s "$f" ] || { echo "| $1 | not measured | | | | |"; return; }
	sed 's/^\([0-9.]*\) RESULT/RESULT delivered=\1/' "$f" > "$f.r"
	agg_load "$f.r"
	echo "| $1 | $(spread "$f.r" rate) | $(spread "$f.r" delivered) | $(med "$f.r" eod_p50) | $(spread "$f.r" eod_p99) | $(sum "$f.r" errors) | $(grep -c '^round=[0-9]* ok' "$W/pf.check.$2" 2>/dev/null)/$(wc -l < "$W/pf.check.$2" 2>/dev/null) |"
}

memrow() {	# memrow NAME "base peak RESULT..."
	[ -n "$2" ] || { echo "| $1 | not measured | | | |"; return; }
	local line=${2#* * }
	echo "| $1 | $(echo "$2" | awk '{ printf "%.1f", $1 / 1024 }') | $(echo "$2" | awk '{ printf "%.1f", $2 / 1024 }') | $(echo "$2" | awk '{ printf "%.1f", ($2 - $1) / 1024 }') | $(field msgs "$line") messages, $(field errors "$line") errors, EOM p99 $(field eom_p99 "$line") ms |"
}

# prow LABEL TAG: one row of the open-loop table
prow() {
	row "$1" "$2" spread:offered spread:rate spread:lag_p99 med:eom_p50 spread:eom_p99 spread:dec_p99
}

# write_paced: the mix and the refusals at half their required rate
write_paced() {
	local c
	[ -s "$W/m.mixpaced.links" ] || [ -s "$W/m.refusalspaced.links" ] || return 0
	echo "### Latency at a stated load: the mix and the refusals at half their required rate (open loop)"
	echo
	echo "The runs above are closed loops: $CONNS connections each send their next message as soon as"
	echo "the last one is answered, so the milter is always saturated and its latency is the queue"
	echo "in front of it (Little's law: mean latency = $CONNS / throughput). Here the same corpora"
	echo "are sent at a fixed offered rate (milterload -R, open loop: message i is due i / rate"
	echo "seconds after the start, over the same $CONNS connections): half the throughput issue 14"
	echo "requires of links-milter, against the NR null milter's closed-loop rate on that corpus in"
	echo "the same round (the mix: half of 0.8 ×, $PACED_MIX × the NR null milter's rate; the refusals:"
	echo "half of 0.6 ×, $PACED_REFUSALS ×), so the load follows the machine. *lag*"
	echo "is how late a message started against its due time (a lag that grows means the milter"
	echo "did not keep up, and its latencies are those of saturation again). links-milter starts on a"
	echo "fresh store, warmed as above; its store is checked as above."
	echo
	for c in mix refusals; do
		echo "| $c | offered msg/s | achieved msg/s | lag p99 | EOM p50 | EOM p99 | decision p99 | verdicts |"
		echo "|---|---|---|---|---|---|---|---|"
		prow "NR null milter (accepts at CONNECT)" "${c}paced.null"
		prow "links-milter" "${c}paced.links"
		echo
		echo "Store checks:"
		echo
		consent_lines "${c}paced"
		echo
		echo "links-milter per kind of message, $c at that rate:"
		echo
		class_table "${c}paced.links"
		echo
	done
}

write_section_milter() {
	echo "## 1. Milter protocol, $CONNS connections"
	echo "milterload speaks to each milter as Postfix's smtpd does (one milter session per message:"
	echo "OPTNEG, CONNECT from an outside MTA, HELO, MAIL, RCPT, DATA, headers, EOH, body, EOM; steps the"
	echo "milter negotiated away are not sent, steps it does not answer are not waited for, and a final"
	echo "reply before EOM ends the message there). Every message's verdict is checked against its"
	echo "expectation (bench/corpus.h); after each links-milter pass of the mix and of the refusals, which"
	echo "start from a fresh copy of the store (links-milter restarted on it, then warmed with"
	echo "${WARM_MSGS:-400} messages of ordinary mail, which write nothing, so that its connection threads and"
	echo "their store connections are open as in a milter that has been running, like the baselines),"
	echo "benchstore checks the store's consent events: every"
	echo "refusal recorded exactly once, nothing else recorded. $ROUNDS interleaved round(s); msg/s and"
	echo "latencies (ms) as median (min–max) of the rounds; CPU µs/msg = the milter process's CPU time"
	echo "over the messages of the run; *decision* = the step that got the final reply (CONNECT, EOH"
	echo "or EOM) to that reply; *EOM* = only the messages that reached end of message."
	echo
	echo "### The mix ($(sed -n 's/^mix: //p' "$W/corpus.stats")); links-milter: each message once per run"
	echo
	mtable mix null nullown dkim links linkspg
	echo
	echo "Store checks of the links-milter runs:"
	echo
	consent_lines mix
	[ "$PG_OK" = 1 ] && echo && echo "On PostgreSQL:" && echo && consent_lines pg.mix
	echo
	echo "links-milter per kind of message in the mix:"
	echo
	class_table mix.links
	echo
	echo "### Ordinary mail to staff from non-customers ($(sed -n 's/^ordinary: //p' "$W/corpus.stats")), ${SECS} s per run"
	echo
	mtable ordinary null nullown eoh eohown links
	echo
	echo "### Refusals ($(sed -n 's/^refusals: //p' "$W/corpus.stats")); links-milter: each once per run"
	echo
	mtable refusals null nullown links linkspg
	echo
	echo "Store checks of the links-milter runs:"
	echo
	consent_lines refusals
	[ "$PG_OK" = 1 ] && echo && echo "On PostgreSQL:" && echo && consent_lines pg.refusals
	echo
	class_table refusals.links
	echo
	write_paced
	echo "### Verdicts of the other corpora (links-milter, one pass each)"
	echo
	echo "- questions ($(sed -n 's/^questions: //p' "$W/corpus.stats")): rate $(med "$W/m.questions.links" rate) msg/s, verdicts $(verdicts questions.links); store: $(sed 's/^round=[0-9]* //' "$W/consent.questions" 2>/dev/null | head -1)"
	echo "- auto-replies and bounces ($(sed -n 's/^auto: //p' "$W/corpus.stats")): rate $(med "$W/m.auto.links" rate) msg/s, verdicts $(verdicts auto.links); store: $(sed 's/^round=[0-9]* //' "$W/consent.auto" 2>/dev/null | head -1)"
	echo
	echo "Ratios (median of the per-round ratios, min–max):"
	echo
	echo "- mix: links-milter / NR null $(fmt_ratio "$(rratio "$W/m.mix.links" "$W/m.mix.null")"); links-milter / OpenDKIM $(fmt_ratio "$(rratio "$W/m.mix.links" "$W/m.mix.dkim")"); OpenDKIM / NR null $(fmt_ratio "$(rratio "$W/m.mix.dkim" "$W/m.mix.null")")"
	echo "- ordinary: links-milter / NR null $(fmt_ratio "$(rratio "$W/m.ordinary.links" "$W/m.ordinary.null")"); links-milter / EOH null $(fmt_ratio "$(rratio "$W/m.ordinary.links" "$W/m.ordinary.eoh")"); EOH null / NR null $(fmt_ratio "$(rratio "$W/m.ordinary.eoh" "$W/m.ordinary.null")")"
	echo "- refusals: links-milter / NR null $(fmt_ratio "$(rratio "$W/m.refusals.links" "$W/m.refusals.null")")"
	echo "- against the null milters on links-milter's own protocol engine (milter_proto, no libmilter): links-milter / NR null (own) mix $(fmt_ratio "$(rratio "$W/m.mix.links" "$W/m.mix.nullown")"), ordinary $(fmt_ratio "$(rratio "$W/m.ordinary.links" "$W/m.ordinary.nullown")"), refusals $(fmt_ratio "$(rratio "$W/m.refusals.links" "$W/m.refusals.nullown")"); links-milter / EOH null (own), ordinary $(fmt_ratio "$(rratio "$W/m.ordinary.links" "$W/m.ordinary.eohown")"); NR null (own) / NR null (libmilter), ordinary $(fmt_ratio "$(rratio "$W/m.ordinary.nullown" "$W/m.ordinary.null")")"
	if [ "$PG_OK" = 1 ]; then
		echo "- store on PostgreSQL / on SQLite (links-milter): mix $(fmt_ratio "$(rratio "$W/m.mix.linkspg" "$W/m.mix.links")"), refusals $(fmt_ratio "$(rratio "$W/m.refusals.linkspg" "$W/m.refusals.links")")"
	else
		echo "- store on PostgreSQL (issue 16): not measured: ${PG_WHY:-not set up}"
	fi
	echo "- CPU per message, links-milter / NR null: mix $(ratio "$(med "$W/m.mix.links" cpu_us_per_msg)" "$(med "$W/m.mix.null" cpu_us_per_msg)"), ordinary $(ratio "$(med "$W/m.ordinary.links" cpu_us_per_msg)" "$(med "$W/m.ordinary.null" cpu_us_per_msg)")"
	if grep -q . "$W"/err.mix.links "$W"/err.refusals.links "$W"/err.ordinary.links 2>/dev/null; then
		echo
		echo "First messages of milterload about links-milter's verdicts:"
		echo
		echo '```'
		cat "$W"/err.mix.links "$W"/err.ordinary.links "$W"/err.refusals.links 2>/dev/null \
			| sed 's/^milterload: conn [0-9]*: //' | awk '!seen[$0]++' | cut -c1-300 | head -12
		echo '```'
	fi
	echo
	echo "All rounds (RESULT lines):"
	echo
	echo '```'
	for t in mix.null mix.nullown mix.dkim mix.links mix.linkspg ordinary.null ordinary.nullown ordinary.eoh ordinary.eohown ordinary.links \
	    refusals.null refusals.nullown refusals.links refusals.linkspg questions.links auto.links; do
		[ -s "$W/m.$t" ] && sed "s/^/$t: /" "$W/m.$t"
	done
	echo '```'
}

write_section_postfix() {
	echo "## 2. Through Postfix: the mix"
	if [ "$PF_STATUS" != ok ]; then
		echo "$PF_STATUS"
		return
	fi
	echo "smtpload sends a mix ($(sed -n 's/^smtp: //p' "$W/corpus.stats"); each message with its own envelope, one per SMTP session, $CONNS"
	echo "sessions at a time) into a private Postfix $(postconf -d -h mail_version 2>/dev/null) on three loopback smtpd listeners of one"
	echo "instance: no milter, the NR null milter, links-milter (\`milter_protocol = 6\`), relaying to"
	echo "smtp-sink; $ROUNDS interleaved round(s). *Accepted* = messages / time for smtpload to finish (the"
	echo "SMTP path the milter sits in); *delivered* = until the queue is empty; EOD = end of DATA to"
	echo "Postfix's 250 (where the milters' end of message runs). The check: every message delivered"
	echo "or discarded, discards within what the expected verdicts allow, nothing delivered to noreply@."
	echo
	echo "| | accepted msg/s | delivered msg/s | EOD p50 ms | EOD p99 ms | SMTP errors | delivery checks ok |"
	echo "|---|---|---|---|---|---|---|"
	pfrow "without milter" without
	pfrow "NR null milter" null
	pfrow "links-milter" links
	echo
	echo "Ratios of the accepted rate (per round): links-milter / NR null $(fmt_ratio "$(pf_ratio)"); NR null / no milter $(fmt_ratio "$(paste -d' ' <(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$W/pf.null") <(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$W/pf.without") | awk '$2 > 0 { printf "%.3f\n", $1 / $2 }' | stats)")."
	echo
	echo "Delivery checks and store checks (links-milter):"
	echo
	echo '```'
	for n in without null links; do sed "s/^/$n: /" "$W/pf.check.$n" 2>/dev/null; done
	sed 's/^/store: /' "$W/consent.pf" 2>/dev/null
	echo '```'
}

# sysrow LABEL "USER SYSTEM CALLS TOP": a row of the table of write_sys
sysrow() {
	local label=$1 v=$2
	if [ -z "$v" ]; then
		echo "| $label | not measured | | | | |"
		return
	fi
	# shellcheck disable=SC2086
	set -- $v
	echo "| $label | $1 | $2 | $(($1 + $2)) | $3 | $(echo "${4:-}" | sed 's/,/, /g') |"
}

# write_sys: the user / system split and the system calls (section_sys)
write_sys() {
	echo
	echo "Where the CPU time of a message goes, ordinary mail at $CONNS connections ($SYS_MSGS messages"
	echo "each, fresh processes after 200 messages of warm-up): user and system CPU of the milter process"
	echo "from /proc; its system calls (every thread) counted by strace -c -f in a second pass of as many"
	echo "messages (strace slows that pass; the counts, not its time, are the figure):"
	echo
	if [ -n "${SYS_WHY:-}" ]; then
		echo "Not measured: $SYS_WHY."
		return
	fi
	echo "| milter | user µs/msg | system µs/msg | CPU µs/msg | system calls/msg | most frequent (per message) |"
	echo "|---|---|---|---|---|---|"
	sysrow "NR null milter (accepts at CONNECT)" "${SYS_NULL:-}"
	sysrow "EOH null milter" "${SYS_EOH:-}"
	sysrow "NR null milter on milter_proto" "${SYS_NULLOWN:-}"
	sysrow "EOH null milter on milter_proto" "${SYS_EOHOWN:-}"
	sysrow "links-milter" "${SYS_LINKS:-}"
}

write_section_profile() {
	echo "## 6. Where the time goes (callgrind, perf)"
	if [ -n "${PROFILE_WHY:-}" ]; then
		echo "Not measured: $PROFILE_WHY."
		return
	fi
	echo "Instructions per message under callgrind (counters zeroed after start-up and 20 messages, then"
	echo "$PROFILE_MSGS messages at 4 connections; repeatable on a shared machine, unlike wall-clock time):"
	echo
	echo "| milter | ordinary mail, Ir/msg | mix, Ir/msg | refusals, Ir/msg |"
	echo "|---|---|---|---|"
	echo "| NR null milter | ${CG_NULL:-- - -} |" | sed 's/ \([-0-9]*\) \([-0-9]*\) \([-0-9]*\) |$/ \1 | \2 | \3 |/'
	echo "| EOH null milter | ${CG_EOH:-- - -} |" | sed 's/ \([-0-9]*\) \([-0-9]*\) \([-0-9]*\) |$/ \1 | \2 | \3 |/'
	echo "| OpenDKIM verify | ${CG_DKIM:-- - -} |" | sed 's/ \([-0-9]*\) \([-0-9]*\) \([-0-9]*\) |$/ \1 | \2 | \3 |/'
	echo "| links-milter | ${CG_LINKS:-- - -} |" | sed 's/ \([-0-9]*\) \([-0-9]*\) \([-0-9]*\) |$/ \1 | \2 | \3 |/'
	echo
	echo "(- : not run; the null milters do the same work on any corpus, OpenDKIM is measured on the mix.)"
	[ -n "${CG_SENDER:-}" ] && echo && echo "links-sender, one promotion campaign to $SENDER_PROFILE_N customers through smtp-sink: $CG_SENDER Ir per message (functions below)."
	for c in ordinary mix refusals sender; do
		[ -s "$W/cg.$c.txt" ] || continue
		echo
		if [ "$c" = sender ]; then
			echo "links-sender, one campaign of $SENDER_PROFILE_N recipients (start-up included):"
		else
			echo "links-milter on the $c corpus ($PROFILE_MSGS messages):"
		fi
		echo
		echo '```'
		cat "$W/cg.$c.txt"
		echo '```'
	done
	write_sys
	if [ -s "$W/perf.top" ]; then
		echo
		echo "perf (cpu-clock samples, self time) of links-milter during ${SECS} s of ordinary mail at $CONNS connections:"
		echo
		echo '```'
		cat "$W/perf.top"
		echo '```'
	fi
}

write_results() {
	local f
	log "writing $RESULTS"
	# the figures of every run, once (the table cells are subshells)
	[ -s "$W/fsync" ] && sed 's/^FSYNC/RESULT/' "$W/fsync" > "$W/fsync.r"
	for f in "$W"/m.* "$W/fsync.r"; do
		[ -f "$f" ] && agg_load "$f"
	done
	{
		echo "# links-mail benchmark results"
		echo
		echo "Written by \`bench/run-all.sh\` (\`make bench\`; \`BENCH_QUICK=1 make bench\` for a short check of the"
		echo "harness). Every figure comes from this one run; baselines ran in the same run, interleaved;"
		echo "the machine is shared, so compare the **ratios** and the instruction counts."
		[ "$QUICK" = 1 ] && echo && echo "**Quick run (BENCH_QUICK=1): small corpora, one round: a check of the harness, not a measurement.**"
		echo
		echo "## Machine"
		machine
		echo
		echo "## Corpora"
		echo "Generated at set-up by \`bench/gen-mail.py\` (seed fixed; scale $SCALE), $CUSTOMERS customers in the store:"
		echo
		sed 's/^/- /' "$W/corpus.stats"
		if [ "$DKIM_OK" = 1 ]; then
			echo "- DKIM: signed for real at set-up by OpenDKIM in signing mode (rsa-sha256, 2048-bit key from"
			echo "  opendkim-genkey, relaxed/relaxed) for the sender domains that sign in real traffic; signatures"
			echo "  per corpus: $(tr '\n' ',' < "$W/signed.count" | sed 's/,$//; s/,/, /g'). The verifier gets the public key through"
			echo "  TestDNSData (no DNS); its expectations demand \`dkim=pass\` for every signed message."
		else
			echo "- DKIM: not signed ($DKIM_WHY)."
		fi
		echo
		echo "## Targets"
		echo
		write_targets
		echo
		has_section milter && write_section_milter && echo
		has_section postfix && write_section_postfix && echo
		if has_section memory; then
			echo "## 3. Memory: $LARGE_CONNS connections each sending a $LARGE_MB MB message"
			echo "VmHWM of a freshly started milter after start-up and 20 small messages (base) and after the"
			echo "$LARGE_CONNS large messages ($((${LARGE_BYTES:-0} / 1048576)) MiB each, two base64 attachments; peak). MB = MiB."
			echo
			echo "| milter | base MB | peak MB | added MB | run |"
			echo "|---|---|---|---|---|"
			memrow "NR null milter" "${MEM_NULL:-}"
			memrow "OpenDKIM verify" "${MEM_DKIM:-}"
			memrow "links-milter" "${MEM_LINKS:-}"
			echo
		fi
		if has_section sender; then
			echo "## 4. Sender"
			if [ -n "${SENDER_RC:-}" ]; then
				echo "\`bench/sender-bench.sh\` (exit status $SENDER_RC):"
				echo
				echo '```'
				echo "$SENDER_OUT"
				echo '```'
			else
				echo "Not measured."
			fi
			echo
		fi
		has_section reply && write_section_reply && echo
		has_section profile && write_section_profile && echo
		if [ -f "$abs_srcdir/RESULTS.notes" ]; then
			cat "$abs_srcdir/RESULTS.notes"
		fi
	} > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
}
