#!/bin/sh
# NAME
#	sender-crash.sh - SIGKILL a 2,000-recipient campaign again and again; resume
# DESCRIPTION
#	Sends a promotion to 2,000 customers through smtp-sink (each message
#	dumped to its own file), kills links-sender with SIGKILL at random
#	moments (during the expansion or the sending) five times, resuming
#	after each kill, then resumes to the end. Checks that smtp-sink saw
#	every recipient, that a recipient seen twice got the same
#	Message-ID both times, and that the extra copies are no more than
#	the "possible duplicates" links-sender counted. Under ~60 s.
. "$top_srcdir/tests/sender-lib.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || lt_skip "python3 is not installed"
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
[ -x "$SINK" ] || lt_skip "smtp-sink (postfix) is not installed"

N=2000
KILLS=5
PORT=$(lt_free_port) || lt_fail "no free port"
st_setup sender-crash transport=smtp smtp_host=127.0.0.1 "smtp_port=$PORT" \
	smtp_connections=2 smtp_timeout=10
st_customers "$LT_TMP/c.csv" "$N"
st_import "$LT_TMP/c.csv"

mkdir -p "$LT_TMP/sink"
USER_OPT=""
if [ "$(id -u)" -eq 0 ]; then
	chown postfix "$LT_TMP/sink" || lt_skip "no postfix user for smtp-sink"
	USER_OPT="-u postfix"
fi
# shellcheck disable=SC2086
"$SINK" $USER_OPT -d "$LT_TMP/sink/%M." "127.0.0.1:$PORT" 1000 &
SINKPID=$!
lt_cleanup_add "kill $SINKPID"
lt_wait_for 10 lt_port_busy "$PORT" || lt_fail "smtp-sink does not listen"

rand_ms() {	# a random delay of 100..$1 ms, as seconds
	awk -v seed="$(od -An -N4 -tu4 /dev/urandom)" -v max="$1" \
		'BEGIN { srand(seed); printf "%.3f", (100 + rand() * (max - 100)) / 1000 }'
}

campaign_id() {
	"$SENDER" -c "$CONF" status 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { id = $1 } END { print id }'
}

KILLED=0
run_killed() {	# command... : run it, SIGKILL it after a random moment
	# --rate keeps a run long enough for the kill to land mid-campaign.
	"$@" --no-progress --rate 500 > "$LT_TMP/run.out" 2>&1 &
	pid=$!
	sleep "$(rand_ms 900)"
	if kill -KILL "$pid" 2>/dev/null; then
		KILLED=$((KILLED + 1))
		echo "killed pid $pid"
	else
		echo "pid $pid had finished"
	fi
	wait "$pid" 2>/dev/null
}

start=$(date +%s)
CID=""
k=0
while [ "$k" -lt "$KILLS" ]; do
	if [ -z "$CID" ]; then
		run_killed "$SENDER" -c "$CONF" send --category promotion --template promotion --all \
			--set "offer=Giảm 20%" --set until=2026-12-31 --set url=https://ilinks.asia/km
		CID=$(campaign_id)
		[ -n "$CID" ] && echo "campaign $CID exists after kill $k"
	else
		run_killed "$SENDER" -c "$CONF" resume "$CID"
	fi
	k=$((k + 1))
done
[ -n "$CID" ] || { "$SENDER" -c "$CONF" send --category promotion --template promotion --all \
	--set "offer=Giảm 20%" --set until=2026-12-31 --set url=https://ilinks.asia/km \
	--no-progress > "$LT_TMP/final.out" 2>&1; CID=$(campaign_id); }
timeout 120 "$SENDER" -c "$CONF" resume "$CID" --no-progress > "$LT_TMP/final.out" 2>&1
rc=$?
cat "$LT_TMP/final.out"
[ "$rc" -eq 0 ] || lt_fail "final resume exited $rc"
grep -q "campaign: recipients $N, sent $N, failed 0, skipped 0, queued 0" "$LT_TMP/final.out" \
	|| lt_fail "not every recipient is marked sent"
DUPS=$(sed -n 's/^  possible duplicates: \([0-9]*\).*/\1/p' "$LT_TMP/final.out")
[ -n "$DUPS" ] || lt_fail "no possible-duplicates line in the summary"

# Let smtp-sink finish writing, then count what it received.
sleep 1
"$PYTHON3" "$top_srcdir/tests/sender-sink-check.py" "$LT_TMP/sink" "$N" "$DUPS" \
	|| lt_fail "the sink's view does not match"
[ "$KILLED" -ge 3 ] || lt_fail "only $KILLED runs were killed mid-way"
lt_ok "$KILLED kills in $(( $(date +%s) - start )) s: every recipient received, duplicates ($DUPS possible) kept their Message-ID"
exit 0
