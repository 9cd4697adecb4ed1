#!/bin/sh
# NAME
#	sender-bench.sh - links-sender throughput against smtp-source -d, and its memory
# SYNOPSIS
#	sh bench/sender-bench.sh [BUILD-DIR]
# DESCRIPTION
#	Starts smtp-sink on a loopback port, then, ROUNDS times
#	(interleaved):
#	1. smtp-source -d sends N messages of the size of our promotion
#	   over CONN sessions, keeping each session for many messages
#	   (-d), as links-sender keeps its SMTP sessions: the baseline;
#	2. links-sender sends a promotion campaign to N customers (store
#	   expansion, rendering, MIME, SMTP, durable delivery rows) through
#	   the same sink with smtp_connections = CONN, from a fresh copy of
#	   the same store;
#	and prints messages/s of each round, the median and spread, the
#	CPU time per message of links-sender, and the ratio of the medians
#	(target >= 0.8). It then runs campaigns of 1,000, 10,000 and
#	100,000 recipients (RSS_SIZES) and prints the peak RSS (VmHWM) of
#	each and the growth from 10,000 to 100,000 (target: flat). The last
#	line is machine-readable ("RESULT sender ..."). Not part of `make
#	check`; `make bench` runs it, the throughput rounds alone (PARTS=rate)
#	and the rest (PARTS="rss profile", where CPU share does not matter)
#	beside the profiles, to keep the run short.
# ENVIRONMENT
#	PARTS ("rate rss profile": which parts run), N (10000), CONN (2),
#	ROUNDS (3), RSS_SIZES ("1000 10000 100000"),
#	CALLGRIND (a file: one campaign of PROFILE_N (1000) recipients under
#	callgrind), KEEP (keep the work directory).
set -eu
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-${top_builddir:-$top_srcdir}}
B=$(cd "$B" && pwd)
SENDER=$B/sender/links-sender
STORE=$B/store/links-store
N=${N:-10000}
CONN=${CONN:-2}
ROUNDS=${ROUNDS:-3}
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
for p in "$SENDER" "$STORE" "$SINK" "$SOURCE"; do
	[ -x "$p" ] || { echo "sender-bench: $p not found" >&2; exit 77; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/links-sender-bench.XXXXXX")
chmod 755 "$W"
SINKPID=""
cleanup() {
	[ -n "$SINKPID" ] && kill "$SINKPID" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT INT TERM

PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
USER_OPT=""
[ "$(id -u)" -eq 0 ] && USER_OPT="-u postfix"
# shellcheck disable=SC2086
"$SINK" $USER_OPT -c "127.0.0.1:$PORT" 1000 > "$W/sink.out" 2>&1 &
SINKPID=$!
# wait until the sink accepts connections (at most 10 s): a fixed pause
# was too short on a loaded machine and smtp-source met a refused port
i=0
until bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; do
	kill -0 "$SINKPID" 2>/dev/null && [ "$i" -lt 100 ] || {
		echo "sender-bench: smtp-sink did not listen on 127.0.0.1:$PORT: $(cat "$W/sink.out")" >&2
		exit 1
	}
	i=$((i + 1))
	sleep 0.1
done

part() { case " ${PARTS:-rate rss profile} " in *" $1 "*) return 0 ;; esac; return 1; }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
# stats: "median min max" of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

mkconf() {	# DIR
	mkdir -p "$1"
	cat > "$1/links.conf" <<CONF
store_path = $1/links.db
key_file = $1/master.key
template_dir = $top_srcdir/config/templates
transport = smtp
smtp_host = 127.0.0.1
smtp_port = $PORT
smtp_connections = $CONN
log_level = warning
CONF
	"$STORE" -c "$1/links.conf" init > /dev/null
}
customers() {	# FILE COUNT
	awk -v n="$2" 'BEGIN {
		print "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at"
		for (i = 1; i <= n; i++)
			printf "c%06d@example.vn,Khách hàng Số %d,0900 %06d,portal,vps,VPS-%06d,active,2024-01-01,\n", i, i, i, i
	}' > "$1"
}
send() {	# CONF: a promotion to every customer of CONF's store
	"$SENDER" -c "$1" send --category promotion --template promotion --all \
		--set "offer=Giảm 20%" --set until=2026-12-31 --set url=https://ilinks.asia/km \
		--no-progress
}

# Peak RSS in kB of a command (VmHWM, sampled from /proc until it exits).
peak_rss() {
	"$@" > "$W/peak.out" 2>&1 &
	pid=$!
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
		[ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
		sleep 0.05
	done
	wait "$pid" || { cat "$W/peak.out" >&2; return 1; }
	echo "$peak"
}

if part rate; then	# the throughput rounds (not indented: the blocks stay as they were)
mkconf "$W/main"
customers "$W/c.csv" "$N"
"$STORE" -c "$W/main/links.conf" import "$W/c.csv" > /dev/null
cp "$W/main/links.db" "$W/pristine.db"

# A sample message of ours sets smtp-source's message size.
"$SENDER" -c "$W/main/links.conf" send --category promotion --template promotion \
	--set "offer=Giảm 20%" --set until=2026-12-31 --set url=https://ilinks.asia/km \
	--to c000001@example.vn --dry-run --outdir "$W/sample" > /dev/null
SIZE=$(wc -c < "$(ls "$W"/sample/*.eml | head -n 1)")

echo "sender-bench: $N messages of $SIZE bytes, $CONN connections, loopback smtp-sink, $ROUNDS round(s)"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	t0=$(now)
	"$SOURCE" -d -l "$SIZE" -m "$N" -s "$CONN" -f noreply@ilinks.asia -t c@example.vn \
		"127.0.0.1:$PORT" > "$W/source.out" 2>&1 || { cat "$W/source.out" >&2; exit 1; }
	t1=$(now)
	src=$(rate "$N" "$t0" "$t1")
	rm -f "$W"/main/links.db*
	cp "$W/pristine.db" "$W/main/links.db"
	rm -f "$W/cpu"
	t0=$(now)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$W/cpu" "$SENDER" -c "$W/main/links.conf" send \
			--category promotion --template promotion --all --set "offer=Giảm 20%" \
			--set until=2026-12-31 --set url=https://ilinks.asia/km --no-progress \
			> "$W/send.out" 2>&1 || { cat "$W/send.out" >&2; exit 1; }
	else
		send "$W/main/links.conf" > "$W/send.out" 2>&1 || { cat "$W/send.out" >&2; exit 1; }
	fi
	t1=$(now)
	ls=$(rate "$N" "$t0" "$t1")
	grep -q "sent $N," "$W/send.out" || { cat "$W/send.out" >&2; echo "not all sent" >&2; exit 1; }
	cpu=""
	[ -s "$W/cpu" ] && cpu=$(awk -v n="$N" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$W/cpu")
	echo "  round $r: smtp-source -d $src msg/s, links-sender $ls msg/s${cpu:+ ($cpu µs CPU per message)}"
	echo "$src" >> "$W/src"
	echo "$ls" >> "$W/ls"
	[ -n "$cpu" ] && echo "$cpu" >> "$W/lscpu"
	r=$((r + 1))
done
set -- $(stats < "$W/src"); SRC_MED=$1; SRC_MIN=$2; SRC_MAX=$3
set -- $(stats < "$W/ls"); LS_MED=$1; LS_MIN=$2; LS_MAX=$3
LS_CPU=""
[ -s "$W/lscpu" ] && LS_CPU=$(stats < "$W/lscpu" | cut -d' ' -f1)
RATIO=$(awk -v a="$LS_MED" -v b="$SRC_MED" 'BEGIN { printf "%.2f", a / b }')
echo "  smtp-source -d: median $SRC_MED msg/s (min $SRC_MIN, max $SRC_MAX)"
echo "  links-sender:   median $LS_MED msg/s (min $LS_MIN, max $LS_MAX; campaign creation included)"
echo "  ratio of the medians: $RATIO (target >= 0.8)"
fi

RSS_SIZES=${RSS_SIZES:-1000 10000 100000}
part rss || RSS_SIZES=""
for n in $RSS_SIZES; do
	mkconf "$W/rss$n"
	customers "$W/c$n.csv" "$n"
	"$STORE" -c "$W/rss$n/links.conf" import "$W/c$n.csv" > /dev/null
	kb=$(peak_rss "$SENDER" -c "$W/rss$n/links.conf" send --category promotion --template promotion --all \
		--set "offer=Giảm 20%" --set until=2026-12-31 --set url=https://ilinks.asia/km --no-progress)
	echo "  peak RSS, $n recipients: $kb kB"
	eval "RSS_$n=$kb"
done
# CALLGRIND=FILE: one campaign of PROFILE_N recipients under callgrind
if part profile && [ -n "${CALLGRIND:-}" ] && command -v valgrind >/dev/null; then
	PROFILE_N=${PROFILE_N:-1000}
	mkconf "$W/prof"
	customers "$W/cprof.csv" "$PROFILE_N"
	"$STORE" -c "$W/prof/links.conf" import "$W/cprof.csv" > /dev/null
	# every customer: --all where links-sender asks for it (issue 18's staff guard)
	PROF_ALL=""
	"$SENDER" --help 2>&1 | grep -q -e '--all ' && PROF_ALL=--all
	# shellcheck disable=SC2086
	valgrind --tool=callgrind --callgrind-out-file="$CALLGRIND" "$SENDER" -c "$W/prof/links.conf" \
		send --category promotion --template promotion $PROF_ALL --set "offer=Giảm 20%" \
		--set until=2026-12-31 --set url=https://ilinks.asia/km --no-progress \
		> "$W/prof.out" 2>&1 && echo "  callgrind: $PROFILE_N recipients in $CALLGRIND"
fi
GROWTH=""
if [ -n "${RSS_10000:-}" ] && [ -n "${RSS_100000:-}" ]; then
	GROWTH=$(awk -v a="$RSS_10000" -v b="$RSS_100000" 'BEGIN { printf "%.2f", b / a }')
	echo "  peak RSS 100,000 / 10,000 recipients: $GROWTH (+$((RSS_100000 - RSS_10000)) kB; target: flat)"
fi
echo "RESULT sender src_median=${SRC_MED:-} src_min=${SRC_MIN:-} src_max=${SRC_MAX:-} ls_median=${LS_MED:-} ls_min=${LS_MIN:-} ls_max=${LS_MAX:-} ratio=${RATIO:-} ls_cpu_us_per_msg=${LS_CPU:-} rss_10k=${RSS_10000:-} rss_100k=${RSS_100000:-} rss_growth=${GROWTH:-}"
