# NAME
#	bench-postfix.sh - the "through Postfix" section of run-all.sh
# SYNOPSIS
#	. bench-postfix.sh	(sourced by run-all.sh)
# DESCRIPTION
#	section_postfix starts a private Postfix (its own configuration,
#	queue and log, loopback only) with three smtpd listeners: no
#	milter, the NR null milter, links-milter; it relays everything for
#	ilinks.asia to smtp-sink. Each round sends the smtp corpus (a mix
#	like the milter section's, smaller) through each
#	listener in turn with smtpload (BENCH_CONNS sessions, one message
#	per session, each with its own envelope), waits until the queue is
#	empty, and checks from the maillog that every message was
#	delivered or (links-milter only) discarded, that the discards are
#	within what the expected verdicts allow, and that nothing reached
#	noreply@; links-milter starts every run on a pristine store, whose
#	consent events are checked afterwards. Results: $W/pf.LISTENER
#	(one line per round: "accepted_rate delivered_rate RESULT...") and
#	$W/pf.check.LISTENER (the delivery checks).
# DIAGNOSTICS
#	PF_STATUS says why the section did not run.

PF_STATUS="not run"

# pf_expect_discards: "min max" discards the expected verdicts of the mix allow
pf_expect_discards() {
	awk -F'\t' '{
		n = split($2, alt, / \|\| /); all = 1; any = 0
		for (i = 1; i <= n; i++) {
			f = alt[i]; sub(/.*final=/, "", f); sub(/ .*/, "", f)
			if (f ~ /discard/) any = 1
			if (f != "discard") all = 0
		}
		lo += all; hi += any
	} END { print lo + 0, hi + 0 }' "$CORPUS/smtp/expect.links"
}

# pf_qcount: messages in the private queue
pf_qcount() {
	find "$PF_DIR/spool/incoming" "$PF_DIR/spool/active" "$PF_DIR/spool/deferred" \
		"$PF_DIR/spool/maildrop" -type f 2>/dev/null | wc -l
}
pf_qempty() { [ "$(pf_qcount)" = 0 ]; }

# pf_check NAME FROM_LINE: the delivery check of the run logged after line FROM_LINE
pf_check() {
	local name=$1 from=$2 n range
	n=$(corpus_size smtp)
	range=$(pf_expect_discards)
	tail -n +"$((from + 1))" "$PF_DIR/maillog" | awk -v n="$n" -v name="$name" -v range="$range" '
		/status=sent/ { if (match($0, /: [0-9A-Za-z]+: to=/)) { q = substr($0, RSTART + 2, RLENGTH - 7); sent[q] = 1 }
			if ($0 ~ /to=<noreply[@+]/) noreply++
			if ($0 ~ /to=<support@/) support++ }
		/milter-discard/ { discard++ }
		/status=(deferred|bounced)/ { failed++ }
		END {
			for (q in sent) delivered++
			split(range, r, " ")
			ok = (delivered + discard == n) && failed == 0
			if (name == "links") ok = ok && noreply == 0 && discard >= r[1] && discard <= r[2]
			else ok = ok && discard == 0
			printf "%s delivered=%d discarded=%d of %d (allowed discards %d-%d) to_support=%d to_noreply=%d failed=%d\n",
				ok ? "ok" : "FAILED", delivered, discard, n, r[1], r[2], support, noreply, failed
		}'
}

# pf_run NAME PORT: one pass of the mix through listener PORT
pf_run() {
	local name=$1 port=$2 t0 t1 t2 from out n
	n=$(corpus_size smtp)
	from=$(wc -l < "$PF_DIR/maillog" 2>/dev/null || echo 0)
	t0=$(date +%s.%N)
	out=$(timeout "$LOAD_TIMEOUT" "$SMTPLOAD" -q -c "$CONNS" -n "$n" -d "$CORPUS/smtp" \
		"127.0.0.1:$port" 2>>"$W/err.pf.$name")
	t1=$(date +%s.%N)
	wait_for "$DRAIN_TIMEOUT" pf_qempty || echo "round $ROUND: queue not empty after ${DRAIN_TIMEOUT}s" >> "$W/err.pf.$name"
	t2=$(date +%s.%N)
	sleep 1		# the last log lines
	echo "round=$ROUND $(pf_check "$name" "$from")" >> "$W/pf.check.$name"
	echo "$(awk -v n="$n" -v a="$t0" -v c="$t2" 'BEGIN { printf "%.1f", n / (c - a) }') \
$(echo "$out" | grep '^RESULT')" >> "$W/pf.$name"
	: "$t1"
}

# pf_setup: the private instance and its sink; 0 when it runs
pf_setup() {
	local p_sink
	PF_DIR=$W/postfix
	P_WITHOUT=$(free_port); P_NULL=$(free_port); P_LINKS=$(free_port); p_sink=$(free_port)
	while [ "$P_NULL" = "$P_WITHOUT" ]; do P_NULL=$(free_port); done
	while [ "$P_LINKS" = "$P_WITHOUT" ] || [ "$P_LINKS" = "$P_NULL" ]; do P_LINKS=$(free_port); done
	while [ "$p_sink" = "$P_WITHOUT" ] || [ "$p_sink" = "$P_NULL" ] || [ "$p_sink" = "$P_LINKS" ]; do
		p_sink=$(free_port)
	done
	mkdir -p "$PF_DIR/etc" "$PF_DIR/spool" "$PF_DIR/data"
	chown postfix "$PF_DIR/data"
	sed '/^smtp      inet/d' /etc/postfix/master.cf > "$PF_DIR/etc/master.cf"
	cat >> "$PF_DIR/etc/master.cf" <<EOF
127.0.0.1:$P_WITHOUT inet n - n - - smtpd -o smtpd_milters=
127.0.0.1:$P_NULL inet n - n - - smtpd -o smtpd_milters=unix:$NULL_SOCK
127.0.0.1:$P_LINKS inet n - n - - smtpd -o smtpd_milters=unix:$LINKS_SOCK
EOF
	cat > "$PF_DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/data
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.ilinks.asia
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relay_domains = ilinks.asia
transport_maps = inline:{ ilinks.asia=smtp:[127.0.0.1]:$p_sink }
alias_maps =
alias_database =
smtp_host_lookup = native
message_size_limit = 52428800
default_process_limit = 100
milter_default_action = tempfail
milter_protocol = 6
EOF
	"$(command -v smtp-sink)" -u nobody "127.0.0.1:$p_sink" 256 >"$W/sink.log" 2>&1 &
	PIDS="$PIDS $!"
	if ! postfix -c "$PF_DIR/etc" check >"$W/pf-check.log" 2>&1 \
	    || ! postfix -c "$PF_DIR/etc" start >"$W/pf-start.log" 2>&1; then
		PF_STATUS="not run: the private Postfix did not start: $(cat "$W"/pf-check.log "$W"/pf-start.log | head -3 | tr '\n' ' ')"
		return 1
	fi
	wait_for 10 sh -c "ss -ltn | grep -q '127.0.0.1:$P_LINKS '"
	return 0
}

section_postfix() {
	if [ "$LINKS_OK" != 1 ]; then
		PF_STATUS="not run: $LINKS_WHY"
		return
	fi
	if ! command -v postfix >/dev/null || ! command -v smtp-sink >/dev/null; then
		PF_STATUS="not run: postfix or smtp-sink missing"
		return
	fi
	log "2. through Postfix: a mix of $(corpus_size smtp) messages per run, $ROUNDS round(s)"
	start_null || { PF_STATUS="not run: the null milter did not start"; return; }
	links_fresh || { PF_STATUS="not run: links-milter did not start"; return; }
	pf_setup || return
	PF_STATUS=ok
	ROUND=0
	pf_run without "$P_WITHOUT" >/dev/null 2>&1	# warm-up
	: > "$W/pf.without"; : > "$W/pf.check.without"
	ROUND=1
	while [ "$ROUND" -le "$ROUNDS" ]; do
		log "   round $ROUND"
		pf_run without "$P_WITHOUT"
		pf_run null "$P_NULL"
		links_fresh && pf_run links "$P_LINKS" && consent_check smtp pf
		ROUND=$((ROUND + 1))
	done
	postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
	stop_daemon links
	stop_daemon null
}
