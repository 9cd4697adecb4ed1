#!/bin/sh
# NAME
#	store-pg-terminate.sh - the milter's PostgreSQL connections killed under load: it reconnects
# DESCRIPTION
#	A running links-milter behind a private Postfix, its store on a
#	private PostgreSQL cluster (tests/store-pg-lib.sh). While a batch
#	of "Từ chối" replies is in flight (16 concurrent SMTP sessions),
#	every backend of the store's database is killed with
#	pg_terminate_backend(), again and again until the batch is done.
#	Checks: those sessions got 250 or 451 4.3.0 (never a 5xx, never
#	another 4xx) and each one that got 250 is recorded; once the
#	killing stops, the next replies are all accepted at the first
#	attempt and recorded: the milter reconnected each of its pooled
#	connections by itself, with no restart and no lost message. The
#	ones refused during the fault are sent again (as Postfix retries);
#	then every refusal is recorded exactly once.
#	Skips (77) without root, Postfix, swaks or PostgreSQL.
. "${top_srcdir:?}/tests/lib.sh"
lt_init store-pg-terminate
. "$top_srcdir/tests/store-pg-lib.sh"
pgf_need
lt_pg_createdb links
pgf_setup "$LT_PG_CONNINFO dbname=links"
B1=16
B2=32
KILL="SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'links' AND pid <> pg_backend_pid();"

pgf_batch 1 "$B1"
pgf_wait
pgf_expect 1 "$B1" 250
before=$(pgf_psql "SELECT count(*) FROM pg_stat_activity WHERE datname = 'links';")
[ "$before" -gt 0 ] || lt_fail "the milter holds no connection to kill"
lt_ok "replies 1-$B1: 250; the milter holds $before connections"

pgf_batch $((B1 + 1)) "$B2"
killed=0
rounds=0
# kill whatever the milter (re)opens until the batch is over (bounded)
while [ "$rounds" -lt 600 ] && pgf_running; do
	n=$(pgf_psql "$KILL") || lt_fail "pg_terminate_backend"
	killed=$((killed + n))
	rounds=$((rounds + 1))
	sleep 0.1
done
pgf_wait
[ "$killed" -gt 0 ] || lt_fail "no backend was terminated"
pgf_expect $((B1 + 1)) "$B2" "250|451"
pgf_accepted_recorded $((B1 + 1)) "$B2"
lt_ok "replies $((B1 + 1))-$B2 while $killed backends were terminated: $(pgf_count $((B1 + 1)) "$B2" 250) got 250 (each recorded), $(pgf_count $((B1 + 1)) "$B2" 451) got 451 4.3.0, none other"

# the killing is over: the next messages go through at once
n=$(pgf_psql "$KILL")
pgf_batch $((B2 + 1)) "$PGF_N"
pgf_wait
pgf_expect $((B2 + 1)) "$PGF_N" 250
pgf_accepted_recorded $((B2 + 1)) "$PGF_N"
lt_ok "after pg_terminate_backend of every connection ($n more): replies $((B2 + 1))-$PGF_N all 250 at the first attempt and recorded"

pgf_retry 1 "$B2"
pgf_recorded_once "$PGF_N"
lt_ok "the refused ones sent again; each of the $PGF_N refusals recorded exactly once"
pgf_done
exit 0
