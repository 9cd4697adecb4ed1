#!/bin/sh
# NAME
#	rely-store-faults.sh - store faults and a killed milter: tempfail, retry, nothing lost
# DESCRIPTION
#	links-milter (as nobody, like a real install) behind a private
#	Postfix "mx" with milter_default_action = tempfail, and an "edge"
#	Postfix relaying to it (a sending MTA that keeps what mx refuses
#	with 4xx). The store lives on a small tmpfs mounted for the test.
#	For each fault, a "Từ chối" reply to a message we sent is sent to
#	edge:
#	  - the store file deleted (database, WAL and shared memory);
#	  - the store read-only (files and directory mode 0444/0555, no
#	    -wal or -shm file left, the milter, running as nobody,
#	    restarted meanwhile: it starts without its store and says so);
#	    repaired without a restart;
#	  - the disk full (the tmpfs filled by another file), once with one
#	    refusal and once with six arriving at the same time (each is
#	    either recorded and acknowledged, or refused with 4xx and not
#	    recorded: SQLite may commit into WAL pages it already holds);
#	mx must answer 4xx so that the message waits on edge and nothing is
#	recorded; then the fault is repaired (the database restored from
#	the backup taken before, the file system made writable, the filler
#	removed), edge's queue is flushed, and the refusal must be recorded
#	exactly once (one consent event per refusable category, one
#	confirmation), with every earlier refusal still recorded once.
#	  - the milter killed with SIGKILL in the middle of a message (after
#	    the headers, during DATA): mx applies milter_default_action and
#	    answers 4xx; the milter is started again (stale socket and pid
#	    file left by the kill) and the client's retry is recorded once.
#	Skips (77) when Postfix, swaks or python3 are absent, not running as
#	root, or tmpfs cannot be mounted.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init rely-store-faults

lt_need_root
lt_need_tool postfix postqueue swaks sqlite3 runuser python3 mount umount
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

FIX="$top_builddir/tests/miltertest/milter-fixture"
STEP="$top_srcdir/tests/data/rely/smtp-step.py"
STORE="$LT_TMP/store"
RUN="$LT_TMP/run"
CONF="$LT_TMP/links.conf"
mkdir -p "$STORE" "$RUN"
mount -t tmpfs -o size=4m,mode=0755 rely-store "$STORE" 2>"$LT_TMP/mount.err" \
	|| lt_skip "cannot mount a tmpfs: $(cat "$LT_TMP/mount.err")"
lt_cleanup_add "umount -l '$STORE'"
chown nobody "$RUN" "$STORE"
LT_MILTER_SOCKET="$RUN/milter.sock"
lt_write_conf "$CONF" user=nobody group=postfix socket_mode=0660 \
	pid_file="$RUN/links-milter.pid" store_busy_timeout=1000
fix() {
	runuser -u nobody -- "$FIX" -c "$CONF" "$@" || lt_fail "milter-fixture $*"
}
fix init
TAG="rely$$"
for i in 1 2 3 4 5 6 7 8 9 10 11; do
	eval "C$i=\$(fix customer c$i@example.vn)"
	eval "fix msglog '$TAG.c$i@ilinks.asia' \"\$C$i\" promotion"
done

milter_start() {
	"$LINKS_MILTER" -e -c "$CONF" 2>>"$LT_TMP/milter.log" || lt_fail "links-milter did not start"
	lt_wait_for 10 test -S "$LT_MILTER_SOCKET" || lt_fail "no milter socket"
	PID=$(cat "$RUN/links-milter.pid") || lt_fail "no pid file"
}
milter_start
lt_cleanup_add 'kill -TERM $(cat "$RUN/links-milter.pid" 2>/dev/null) 2>/dev/null; sleep 1'

MX_PORT=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx" "$MX_PORT" "unix:$LT_MILTER_SOCKET"
EDGE_PORT=$(lt_free_port) || lt_fail "no free port"
[ "$EDGE_PORT" != "$MX_PORT" ] || EDGE_PORT=$(lt_free_port)
lt_postfix_relay_start "$LT_TMP/edge" "$EDGE_PORT" "$MX_PORT"
lt_ok "store on a 4 MB tmpfs; mx on $MX_PORT with links-milter, edge on $EDGE_PORT"

OUTBOX0=$(fix outbox)
DONE=""		# customers whose refusal is recorded

# refusal N: customer cN replies "Từ chối" through edge
refuse_via_edge() {
	lt_swaks --server "127.0.0.1:$EDGE_PORT" --from "c$1@example.vn" --to noreply@ilinks.asia \
		--add-header "MIME-Version: 1.0" --add-header "Content-Type: text/plain; charset=utf-8" \
		--add-header "Content-Transfer-Encoding: 8bit" \
		--header "Subject: Re: Khuyến mãi" --header "In-Reply-To: <$TAG.c$1@ilinks.asia>" \
		--header "Message-ID: <$TAG.refusal$1@example.vn>" \
		--body "Từ chối" || lt_fail "swaks to edge: $(cat "$LT_TMP/swaks.last")"
}
edge_deferred_count() {
	find "$LT_TMP/edge/spool/deferred" -type f | wc -l | tr -d ' '
}
edge_deferred_is() {
	[ "$(edge_deferred_count)" -eq "$1" ]
}
edge_sent_count() {
	grep -c "status=sent" "$LT_TMP/edge/maillog"
}
edge_sent_is() {
	[ "$(edge_sent_count)" -ge "$1" ]
}
# Every customer in DONE: opted out, two consent events (promotion,
# survey); one confirmation each.
check_recorded_once() {
	n=0
	for c in $DONE; do
		eval "id=\$C$c"
		[ "$(fix optout "$id" promotion)" = 1 ] || lt_fail "c$c not opted out ($1)"
		[ "$(fix consents "$id")" = 2 ] || lt_fail "c$c has $(fix consents "$id") consent events, expected 2 ($1)"
		n=$((n + 1))
	done
	[ "$(fix outbox)" = $((OUTBOX0 + n)) ] || lt_fail "confirmations: $(fix outbox), expected $((OUTBOX0 + n)) ($1)"
}
SENT=0
# fault N NAME: the refusal of cN waits on edge while the fault lasts
during_fault() {
	refuse_via_edge "$1"
	lt_wait_for 40 edge_deferred_is 1 \
		|| lt_fail "$2: edge does not hold the refusal (deferred: $(edge_deferred_count)); mx said: $(grep -o 'said: 4[^)]*' "$LT_TMP/edge/maillog" | tail -n 1)"
	grep -q "status=deferred.*said: 4" "$LT_TMP/edge/maillog" || lt_fail "$2: no 4xx from mx"
	eval "id=\$C$1"
	[ "$(fix optout "$id" promotion 2>/dev/null)" != 1 ] || lt_fail "$2: c$1 recorded during the fault"
}
# Retry as a sending MTA would (each retry is a postqueue -f): a
# connection the milter held on the broken store answers one more 4xx
# and is replaced, so a few retries may be needed; at most RETRIES_MAX.
RETRIES_MAX=5
after_repair() {
	SENT=$((SENT + 1))
	tries=0
	while [ "$tries" -lt "$RETRIES_MAX" ]; do
		postqueue -c "$LT_TMP/edge/etc" -f || lt_fail "postqueue -f"
		tries=$((tries + 1))
		lt_wait_for 5 edge_sent_is "$SENT" && break
	done
	edge_sent_is "$SENT" || lt_fail "$2: edge did not deliver after $RETRIES_MAX retries"
	echo "$2: delivered at retry $tries"
	lt_wait_for 10 edge_deferred_is 0 || lt_fail "$2: still deferred after the repair"
	DONE="$DONE $1"
	check_recorded_once "$2"
}

# --- 0. a normal refusal first, so the milter has store connections open
refuse_via_edge 1
SENT=1
lt_wait_for 30 edge_sent_is 1 || lt_fail "the first refusal was not delivered"
DONE=1
check_recorded_once "before any fault"
lt_ok "a refusal through edge and mx is recorded once"

# --- 1. the store file deleted
sqlite3 "$STORE/links.db" ".backup '$LT_TMP/backup.db'" || lt_fail "backup"
rm -f "$STORE/links.db" "$STORE/links.db-wal" "$STORE/links.db-shm"
during_fault 2 "store deleted"
[ ! -e "$STORE/links.db" ] || lt_fail "store deleted: the milter made a new, empty database"
lt_ok "store deleted: mx answered 4xx, the refusal waits on edge"
cp "$LT_TMP/backup.db" "$STORE/links.db" && chown nobody "$STORE/links.db" || lt_fail "restore"
after_repair 2 "store deleted"
lt_ok "store restored from the backup: the refusal is recorded once, the earlier one still once"

# --- 2. the store read-only. A connection the milter opened before keeps
# its writable descriptor, so the milter is restarted once the files are
# read-only (as after a reboot with wrong permissions); it opens the store
# read-only and every write must fail temporarily. After the repair no
# restart: the milter must not stay stuck on its read-only connection.
milter_stop() {
	kill -TERM "$PID"
	lt_wait_for 15 sh -c "! kill -0 $PID 2>/dev/null" || lt_fail "the milter did not stop"
}
milter_stop
# As after a clean shutdown: no -wal or -shm file beside the database, so
# a reader that may not write the folder cannot even open it (the milter
# must start anyway, warn, and answer 4xx until the repair).
sqlite3 "$STORE/links.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null || lt_fail "checkpoint"
[ ! -e "$STORE/links.db-wal" ] || lt_fail "the -wal file is still there after the last connection closed"
chmod 0444 "$STORE"/links.db*
chmod 0555 "$STORE"
milter_start
grep -q "warning: store: .*(temporary): starting anyway" "$LT_TMP/milter.log" \
	|| lt_fail "the milter did not say it started without its store"
during_fault 3 "read-only store"
chmod 0755 "$STORE"
chmod 0644 "$STORE"/links.db*
lt_ok "read-only store: mx answered 4xx, nothing recorded"
after_repair 3 "read-only store"
lt_ok "store writable again: the refusal is recorded once (no restart needed)"

# --- 3. the disk full. The write-ahead log is emptied first: a log that
# earlier commits had grown is reused in place, and a commit into pages
# already on disk needs no new space (then it succeeds, as in 3b).
sqlite3 "$STORE/links.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null \
	|| lt_fail "could not empty the write-ahead log"
dd if=/dev/zero of="$STORE/filler" bs=64k >/dev/null 2>&1
[ "$(df -k "$STORE" | awk 'NR == 2 { print $4 }')" -lt 64 ] || lt_fail "could not fill the tmpfs"
during_fault 4 "disk full"
rm -f "$STORE/filler"
lt_ok "disk full: mx answered 4xx, nothing recorded"
after_repair 4 "disk full"
lt_ok "space freed: the refusal is recorded once"

# --- 3b. the disk full again, six refusals at once (the milter commits
# concurrent refusals together). SQLite may still commit into pages it
# already holds (the WAL is reused), so a refusal on a full disk is
# either recorded, and acknowledged, or refused with 4xx and not
# recorded; never acknowledged without being recorded.
dd if=/dev/zero of="$STORE/filler" bs=64k >/dev/null 2>&1
dd if=/dev/zero of="$STORE/filler2" bs=1k >/dev/null 2>&1
sent0=$(edge_sent_count)
pids=""
for c in 6 7 8 9 10 11; do
	refuse_via_edge "$c" &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || lt_fail "disk full, concurrent: a submission to edge failed"
done
settled() {
	[ $(( $(edge_sent_count) - sent0 + $(edge_deferred_count) )) -eq 6 ]
}
lt_wait_for 60 settled || lt_fail "disk full, concurrent: $(( $(edge_sent_count) - sent0 )) sent + $(edge_deferred_count) deferred, expected 6 in all"
ACKED=$(( $(edge_sent_count) - sent0 ))
RECORDED=0
for c in 6 7 8 9 10 11; do
	eval "id=\$C$c"
	[ "$(fix optout "$id" promotion 2>/dev/null)" = 1 ] && RECORDED=$((RECORDED + 1))
done
[ "$RECORDED" -eq "$ACKED" ] || lt_fail "disk full, concurrent: $ACKED acknowledged but $RECORDED recorded"
[ "$ACKED" -lt 6 ] || echo "note: disk full, concurrent: SQLite found room for all six"
rm -f "$STORE/filler" "$STORE/filler2"
lt_ok "disk full, six concurrent refusals: $((6 - ACKED)) answered 4xx and not recorded, $ACKED recorded and acknowledged"
SENT=$((sent0 + 6 - 1))		# after_repair counts one more
after_repair "6 7 8 9 10 11" "disk full, concurrent"
lt_ok "space freed: the six refusals are recorded once each"

# --- 4. the milter killed with SIGKILL in the middle of a message
cat > "$LT_TMP/msg5.eml" <<MSG
From: C5 <c5@example.vn>
To: noreply@ilinks.asia
Subject: Re: Khuyến mãi
Message-ID: <$TAG.refusal5@example.vn>
In-Reply-To: <$TAG.c5@ilinks.asia>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Từ chối
--
C5
MSG
python3 "$STEP" 127.0.0.1 "$MX_PORT" c5@example.vn noreply@ilinks.asia "$LT_TMP/msg5.eml" \
	"kill -KILL $PID" >"$LT_TMP/step1.out" 2>&1
rc=$?
[ "$rc" -eq 75 ] || lt_fail "milter killed mid-message: expected a 4xx, got exit $rc: $(cat "$LT_TMP/step1.out")"
# dead, or a zombie its reaper (init in a container) has not collected yet
gone() {
	! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}
lt_wait_for 5 gone "$PID" || lt_fail "the milter survived SIGKILL"
[ "$(fix optout "$C5" promotion)" = 0 ] || lt_fail "c5 recorded although mx answered 4xx"
lt_ok "milter killed mid-message: mx answered $(cut -c1-40 "$LT_TMP/step1.out")"
milter_start
lt_ok "links-milter starts again over the stale socket and pid file"
python3 "$STEP" 127.0.0.1 "$MX_PORT" c5@example.vn noreply@ilinks.asia "$LT_TMP/msg5.eml" \
	>"$LT_TMP/step2.out" 2>&1 || lt_fail "retry after the restart: $(cat "$LT_TMP/step2.out")"
DONE="$DONE 5"
check_recorded_once "after the kill"
lt_ok "the client's retry after the restart is recorded once"

# A second delivery of any refusal changes nothing (idempotent on evidence).
postqueue -c "$LT_TMP/edge/etc" -f
python3 "$STEP" 127.0.0.1 "$MX_PORT" c5@example.vn noreply@ilinks.asia "$LT_TMP/msg5.eml" \
	>"$LT_TMP/step3.out" 2>&1 || lt_fail "repeat: $(cat "$LT_TMP/step3.out")"
check_recorded_once "after a repeat"
lt_ok "all eleven refusals recorded exactly once after five faults"
lt_milter_log_clean
exit 0
