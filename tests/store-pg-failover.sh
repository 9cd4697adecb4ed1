#!/bin/sh
# NAME
#	store-pg-failover.sh - a standby promoted under load: the milter follows it
# DESCRIPTION
#	A running links-milter behind a private Postfix; its store_conninfo
#	names two PostgreSQL servers, a primary and its streaming standby,
#	with target_session_attrs=read-write (tests/store-pg-lib.sh). While
#	a batch of "Từ chối" replies is in flight (16 concurrent SMTP
#	sessions) the primary is stopped and the standby promoted
#	(lt_pg_promote). Checks: those sessions got 250 or 451 4.3.0
#	(never a 5xx, never another 4xx); on the promoted server, every
#	reply accepted before or during the failover is recorded; the next
#	replies are all accepted at the first attempt and recorded on it
#	without restarting the milter (its pooled connections reconnect); the refused ones are sent again (as Postfix retries); then
#	every refusal is recorded exactly once.
#	Skips (77) without root, Postfix, swaks or PostgreSQL.
. "${top_srcdir:?}/tests/lib.sh"
lt_init store-pg-failover
# Under ASan: libcrypto's own allocations are not reported (see the file).
LSAN_OPTIONS="suppressions=$top_srcdir/tests/lsan-openssl.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
. "$top_srcdir/tests/store-pg-lib.sh"
pgf_need
lt_pg_createdb links
lt_pg_standby_start
pgf_setup "$LT_PG_FAILOVER dbname=links"
B1=16
B2=40

pgf_batch 1 "$B1"
pgf_wait
pgf_expect 1 "$B1" 250
lt_ok "replies 1-$B1: 250 on the primary (standby on port $LT_PG2_PORT)"

pgf_batch $((B1 + 1)) "$B2"
# after 4 of it went through, while the others are in flight
lt_wait_for 60 pgf_accepted_at_least $((B1 + 4)) || lt_fail "the second batch is not accepted"
lt_pg_promote || lt_fail "the standby was not promoted"
pgf_wait
[ "$(pgf_psql "SELECT pg_is_in_recovery();" "host=$LT_PG_SOCKDIR port=$LT_PG2_PORT user=links")" = f ] \
	|| lt_fail "the standby is still in recovery"
pgf_expect $((B1 + 1)) "$B2" "250|451"
pgf_accepted_recorded 1 "$B2"
lt_ok "replies $((B1 + 1))-$B2 during the failover: $(pgf_count $((B1 + 1)) "$B2" 250) got 250, $(pgf_count $((B1 + 1)) "$B2" 451) got 451 4.3.0; every accepted one is on the promoted server"

pgf_batch $((B2 + 1)) "$PGF_N"
pgf_wait
pgf_expect $((B2 + 1)) "$PGF_N" 250
pgf_accepted_recorded $((B2 + 1)) "$PGF_N"
lt_ok "replies $((B2 + 1))-$PGF_N after the failover: all 250 at the first attempt, recorded on the promoted server (no milter restart)"
pgf_retry 1 "$B2"
pgf_recorded_once "$PGF_N"
lt_ok "the refused ones sent again: each of the $PGF_N refusals recorded exactly once"
pgf_done
exit 0
