# NAME
#	store-pg-lib.sh - shared part of the PostgreSQL fault tests
# SYNOPSIS
#	. "$top_srcdir/tests/store-pg-lib.sh"   (after tests/lib.sh and lt_init)
# DESCRIPTION
#	The fault tests (store-pg-stop.sh, store-pg-terminate.sh,
#	store-pg-failover.sh) run a RUNNING links-milter behind a private
#	Postfix on a private PostgreSQL cluster and break the database
#	under load. This file holds what they share:
#
#	pgf_need: skip (77) without root, Postfix, swaks or PostgreSQL's
#	server programs; then start the private cluster (lt_pg_start).
#
#	pgf_setup CONNINFO: a links.conf on CONNINFO (store_backend =
#	postgresql), the store created, PGF_N customers k1..kN@example.vn
#	each with a promotion of ours in the message log, links-milter
#	and a private Postfix started (PGF_PORT).
#
#	pgf_batch FROM TO: customer kI's "Từ chối" reply (In-Reply-To our
#	message, its own fixed Message-ID, as a Postfix client resends
#	it) for I in FROM..TO, PGF_SESSIONS concurrent SMTP sessions at a
#	time, in the background (pgf_wait waits for them). Each attempt's
#	swaks output goes to $LT_TMP/r.I; pgf_outcome I says "250",
#	"451" (451 4.3.0 from the milter) or "other".
#
#	pgf_expect FROM TO WHAT: every reply of FROM..TO got WHAT ("250",
#	"451", or "250|451": a store fault may cut either way, but never a
#	5xx, never another 4xx such as a milter timeout).
#
#	pgf_accepted_recorded FROM TO: every reply of FROM..TO that got
#	250 is recorded (accepted never means lost).
#
#	pgf_retry FROM TO: the replies of FROM..TO that did not get 250
#	are sent again, as Postfix's client retries a 4xx, until all are
#	accepted (PGF_RETRY_ROUNDS rounds at most; PGF_ROUNDS says how
#	many it took).
#
#	pgf_accepted_at_least N: N sessions so far got 250 (to break the
#	database in the middle of a batch, after some of it went through).
#
#	pgf_recorded_once COUNT: customers 1..COUNT opted out with
#	exactly one consent event per refusable category (two) and COUNT
#	confirmations queued, the others not opted out.
# DIAGNOSTICS
#	lt_fail with what differs.

PGF_N=${PGF_N:-48}			# customers
PGF_SESSIONS=${PGF_SESSIONS:-16}	# concurrent SMTP sessions
PGF_RETRY_ROUNDS=${PGF_RETRY_ROUNDS:-3}
PGF_FIX="$top_builddir/tests/miltertest/milter-fixture"
PGF_TAG="pgf$$"
PGF_PIDS=""

pgf_need() {
	lt_need_root
	lt_need_tool postfix swaks
	id postfix >/dev/null 2>&1 || lt_skip "no postfix user"
	lt_pg_start
}

pgf_fix() {
	"$PGF_FIX" -c "$PGF_CONF" "$@" || lt_fail "milter-fixture $*"
}

pgf_setup() {
	PGF_CONF=$LT_TMP/links.conf
	lt_write_conf "$PGF_CONF" store_busy_timeout=10000 log_level=info \
		store_backend=postgresql "store_conninfo=$1" \
		"template_dir=$top_srcdir/config/templates" transport=dir "outdir=$LT_TMP/out"
	"$PGF_FIX" -c "$PGF_CONF" init || lt_fail "store init on PostgreSQL"
	pgf_fix customers k "$PGF_N" "$PGF_TAG" promotion >"$LT_TMP/ids"
	[ "$(wc -l <"$LT_TMP/ids")" -eq "$PGF_N" ] || lt_fail "customers not created"
	lt_milter_start "$PGF_CONF"
	PGF_PORT=$(lt_free_port) || lt_fail "no free port"
	lt_postfix_start "$LT_TMP/mx" "$PGF_PORT" "unix:$LT_TMP/milter.sock"
	lt_ok "$PGF_N customers on PostgreSQL; links-milter behind Postfix on $PGF_PORT"
}

# pgf_reply I: one SMTP session with customer kI's refusal (output appended to r.I)
pgf_reply() {
	{
		echo "=== attempt"
		timeout 90 swaks --timeout 60 --server "127.0.0.1:$PGF_PORT" \
			--from "k$1@example.vn" --to noreply@ilinks.asia \
			--add-header "MIME-Version: 1.0" \
			--add-header "Content-Type: text/plain; charset=utf-8" \
			--add-header "Content-Transfer-Encoding: 8bit" \
			--header "Subject: Re: Khuyến mãi" \
			--header "In-Reply-To: <$PGF_TAG.k$1@ilinks.asia>" \
			--header "Message-ID: <$PGF_TAG.reply.k$1@example.vn>" \
			--body "Từ chối"
	} >>"$LT_TMP/r.$1" 2>&1
	return 0
}

# pgf_outcome I: what the last attempt of reply I got at end of data
pgf_outcome() {
	pgf_last=$(awk '/^=== attempt/ { s = "" } { s = s $0 "\n" } END { printf "%s", s }' \
		"$LT_TMP/r.$1")
	if printf '%s' "$pgf_last" | grep -q '^<-  *250 2\.0\.0 Ok: queued'; then
		echo 250
	elif printf '%s' "$pgf_last" | grep -q '^<\*\*  *451 4\.3\.0 LINKS store temporarily unavailable'; then
		echo 451
	else
		echo other
	fi
}

# pgf_batch FROM TO: replies FROM..TO, PGF_SESSIONS at a time, in the background
pgf_batch() {
	(
		i=$1
		while [ "$i" -le "$2" ]; do
			pids=""
			j=$i
			while [ "$j" -lt $((i + PGF_SESSIONS)) ] && [ "$j" -le "$2" ]; do
				pgf_reply "$j" &
				pids="$pids $!"
				j=$((j + 1))
			done
			for p in $pids; do wait "$p"; done
			i=$j
		done
	) &
	PGF_PIDS="$PGF_PIDS $!"
}

# pgf_accepted_at_least N: whether N sessions (of all so far) got 250
pgf_accepted_at_least() {
	[ "$(cat "$LT_TMP"/r.* 2>/dev/null | grep -c '^<-  *250 2\.0\.0 Ok: queued')" -ge "$1" ]
}

# pgf_running: whether a batch started by pgf_batch is still running
pgf_running() {
	for p in $PGF_PIDS; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

pgf_wait() {
	for p in $PGF_PIDS; do wait "$p"; done
	PGF_PIDS=""
}

# pgf_expect FROM TO WHAT: every reply of FROM..TO got WHAT (a regular expression)
pgf_expect() {
	i=$1
	while [ "$i" -le "$2" ]; do
		o=$(pgf_outcome "$i")
		if ! printf '%s\n' "$o" | grep -Eqx "$3"; then
			sed -n '/^<\*\*/p; /^<-  *[245][0-9][0-9] /p' "$LT_TMP/r.$i" | tail -n 4 >&2
			lt_fail "reply k$i got \"$o\", expected $3"
		fi
		i=$((i + 1))
	done
	if grep -Eiq "milter.*(timeout|timed out)" "$LT_TMP/mx/maillog"; then
		lt_fail "a milter timeout in Postfix's log"
	fi
	if grep -Eq "milter-reject: END-OF-MESSAGE from [^:]*: 5" "$LT_TMP/mx/maillog"; then
		lt_fail "a 5xx from the milter"
	fi
}

# pgf_count FROM TO WHAT: how many replies of FROM..TO got WHAT
pgf_count() {
	pgf_n=0
	i=$1
	while [ "$i" -le "$2" ]; do
		[ "$(pgf_outcome "$i")" = "$3" ] && pgf_n=$((pgf_n + 1))
		i=$((i + 1))
	done
	echo "$pgf_n"
}

# pgf_accepted_recorded FROM TO: each accepted reply of FROM..TO is in the store
pgf_accepted_recorded() {
	pgf_fix report k "$PGF_N" >"$LT_TMP/report"
	i=$1
	while [ "$i" -le "$2" ]; do
		if [ "$(pgf_outcome "$i")" = 250 ]; then
			grep -qx "$i 1 2" "$LT_TMP/report" \
				|| lt_fail "k$i's reply was accepted (250) but is not recorded: $(grep "^$i " "$LT_TMP/report")"
		fi
		i=$((i + 1))
	done
}

# pgf_retry FROM TO: resend what was not accepted, as Postfix's client would
pgf_retry() {
	round=1
	while [ "$round" -le "$PGF_RETRY_ROUNDS" ]; do
		todo=""
		i=$1
		while [ "$i" -le "$2" ]; do
			[ "$(pgf_outcome "$i")" = 250 ] || todo="$todo $i"
			i=$((i + 1))
		done
		if [ -z "$todo" ]; then
			PGF_ROUNDS=$((round - 1))
			return 0
		fi
		pids=""
		for i in $todo; do
			pgf_reply "$i" &
			pids="$pids $!"
		done
		for p in $pids; do wait "$p"; done
		pgf_expect "$1" "$2" "250|451"
		round=$((round + 1))
	done
	PGF_ROUNDS=$PGF_RETRY_ROUNDS
	[ "$(pgf_count "$1" "$2" 250)" -eq $(($2 - $1 + 1)) ] \
		|| lt_fail "after $PGF_RETRY_ROUNDS retries, $(($2 - $1 + 1 - $(pgf_count "$1" "$2" 250))) replies still not accepted"
}

# pgf_recorded_once COUNT: customers 1..COUNT refused exactly once each, the others not
pgf_recorded_once() {
	pgf_fix report k "$PGF_N" >"$LT_TMP/report"
	i=1
	while [ "$i" -le "$PGF_N" ]; do
		if [ "$i" -le "$1" ]; then want="$i 1 2"; else want="$i 0 0"; fi
		grep -qx "$want" "$LT_TMP/report" \
			|| lt_fail "k$i: \"$(grep "^$i " "$LT_TMP/report")\" (customer optout events), expected \"$want\""
		i=$((i + 1))
	done
	[ "$(pgf_fix outbox)" = "$1" ] || lt_fail "confirmations queued: $(pgf_fix outbox), expected $1"
}

# pgf_psql SQL: run SQL on the cluster's postgres database (CONNINFO: $2, default the primary)
pgf_psql() {
	printf '%s\n' "$1" | psql -X -q -A -t -v ON_ERROR_STOP=1 "${2:-$LT_PG_CONNINFO} dbname=postgres"
}

pgf_done() {
	lt_milter_log_clean
	lt_milter_stop || lt_fail "links-milter exit status $? after SIGTERM"
}
