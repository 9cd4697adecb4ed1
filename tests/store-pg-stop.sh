#!/bin/sh
# NAME
#	store-pg-stop.sh - PostgreSQL stopped under load: 4xx, then every refusal recorded once
# DESCRIPTION
#	A running links-milter behind a private Postfix, its store on a
#	private PostgreSQL cluster (tests/store-pg-lib.sh). Customers'
#	"Từ chối" replies arrive in 16 concurrent SMTP sessions; the
#	server is stopped (pg_ctl -m fast) while a batch is in flight,
#	and more replies arrive while it is down. Checks: while it stops
#	and is down every session gets 250 or 451 4.3.0 (never a 5xx,
#	never another 4xx), those that arrive while it is down all get
#	451 4.3.0; after the restart every reply that got 250 is recorded
#	(accepted never means lost); the refused ones are sent again, as
#	Postfix's client would, until accepted; then every refusal is
#	recorded exactly once (two consent events, one confirmation).
#	Skips (77) without root, Postfix, swaks or PostgreSQL.
. "${top_srcdir:?}/tests/lib.sh"
lt_init store-pg-stop
. "$top_srcdir/tests/store-pg-lib.sh"
pgf_need
lt_pg_createdb links
pgf_setup "$LT_PG_CONNINFO dbname=links"
B1=16
B2=40

pgf_batch 1 "$B1"
pgf_wait
pgf_expect 1 "$B1" 250
lt_ok "replies 1-$B1: 250, PostgreSQL up"

# mid-load: stop the server while the second batch is in flight
pgf_batch $((B1 + 1)) "$B2"
# after 4 of it went through, while the others are in flight
lt_wait_for 60 pgf_accepted_at_least $((B1 + 4)) || lt_fail "the second batch is not accepted"
lt_pg_ctl -w -t 60 -m fast stop >/dev/null || lt_fail "pg_ctl stop"
pgf_wait
pgf_expect $((B1 + 1)) "$B2" "250|451"
lt_ok "replies $((B1 + 1))-$B2 while PostgreSQL stopped: $(pgf_count $((B1 + 1)) "$B2" 250) got 250, $(pgf_count $((B1 + 1)) "$B2" 451) got 451 4.3.0, none other"

pgf_batch $((B2 + 1)) "$PGF_N"
pgf_wait
pgf_expect $((B2 + 1)) "$PGF_N" 451
lt_ok "replies $((B2 + 1))-$PGF_N while PostgreSQL is down: all 451 4.3.0"

lt_pg_ctl -w -t 60 -l "$LT_PG_LOG" start >/dev/null || lt_fail "pg_ctl start"
pgf_accepted_recorded 1 "$PGF_N"
lt_ok "after the restart: every reply that got 250 is recorded"
pgf_retry 1 "$PGF_N"
lt_ok "the refused replies sent again (as Postfix retries): all accepted after $PGF_ROUNDS round(s)"
pgf_recorded_once "$PGF_N"
lt_ok "each of the $PGF_N refusals recorded exactly once (2 consent events, 1 confirmation)"
pgf_done
exit 0
