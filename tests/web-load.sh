#!/bin/sh
# NAME
#	web-load.sh - 200 clients press "unsubscribe" at once, forged links among them
# DESCRIPTION
#	A store of WEB_LOAD_CUSTOMERS customers (default 1000), a dated
#	promotion link for each, and as many forged links (altered tokens and
#	made-up ones). web-load.py runs 200 keep-alive clients (each its own
#	address in X-Forwarded-For) that POST the RFC 8058 one-click body for
#	WEB_LOAD_SECONDS seconds (8 in make check; LINKS_LONG=1 runs 30 s,
#	the figures of tests/RELIABILITY.md), about two thirds valid links.
#	Every valid link must be answered 200 and every forged one 404, with
#	no other status, reset or time-out; afterwards the store must hold
#	exactly one refusal event, one refusal and one queued confirmation
#	per customer whose link was used, and nothing for the others.
#	web_rate_limit is off here: the clients are simulated, each sending
#	hundreds of requests (the limiter has its own tests). Prints the
#	figures (rate, latency percentiles) and keeps them in
#	tests/artifacts/web-load.json of the build tree.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_need_tool python3 curl
lt_init web-load
PY=${PYTHON3:-python3}
N=${WEB_LOAD_CUSTOMERS:-1000}
CLIENTS=${WEB_LOAD_CLIENTS:-200}
if [ -n "${LINKS_LONG:-}" ]; then
	SECS=${WEB_LOAD_SECONDS:-30}
else
	SECS=${WEB_LOAD_SECONDS:-8}
fi
ART=$top_builddir/tests/artifacts
mkdir -p "$ART"
PORT=$(lt_free_port) || lt_fail "no free port"
C=$LT_TMP/links.conf
lt_write_conf "$C" "web_listen=127.0.0.1:$PORT" "web_base_url=https://lienket.ilinks.test/" \
	"web_rate_limit=0" "web_max_clients=512" "log_level=notice" "store_busy_timeout=5000"
lt_store_init "$C" >/dev/null
{
	echo "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at"
	i=1
	while [ $i -le "$N" ]; do
		printf 'load%05d@example.net,Khách %d,,portal,hosting,H-%05d,active,2024-01-01,\n' $i $i $i
		i=$((i + 1))
	done
} >"$LT_TMP/customers.csv"
"$LINKS_STORE" -c "$C" import "$LT_TMP/customers.csv" >/dev/null || lt_fail "import"
FIRST=$(lt_customer_id "$C" load00001@example.net)
LAST=$(lt_customer_id "$C" "$(printf 'load%05d@example.net' "$N")")
[ "$((LAST - FIRST + 1))" -eq "$N" ] || lt_fail "customer ids are not $FIRST..$((FIRST + N - 1))"
"$top_builddir/tests/web-token" "$C" range "$FIRST" "$LAST" promotion >"$LT_TMP/tokens" \
	|| lt_fail "web-token"
awk '{ print "/u/" $2 }' "$LT_TMP/tokens" >"$LT_TMP/valid"
# Forged: each token with one character changed, and made-up ones of the right shape.
awk 'BEGIN { srand(7); a = "abcdefghijklmnopqrstuvwxyz234567" }
	{ t = $2; p = 1 + int(rand() * length(t)); c = substr(t, p, 1)
	  do { r = substr(a, 1 + int(rand() * 32), 1) } while (r == c)
	  print "/u/" substr(t, 1, p - 1) r substr(t, p + 1)
	  m = ""; for (i = 0; i < 32; i++) m = m substr(a, 1 + int(rand() * 32), 1)
	  print "/u/" m }' "$LT_TMP/tokens" >"$LT_TMP/forged"
lt_web_start "$C"
lt_ok "$N customers, $N valid and $((2 * N)) forged links; $CLIENTS clients for $SECS s"

"$PY" "$top_srcdir/tests/web-load.py" --port "$PORT" --valid "$LT_TMP/valid" \
	--forged "$LT_TMP/forged" --clients "$CLIENTS" --seconds "$SECS" \
	--out "$LT_TMP/result.json" >"$LT_TMP/load.out" 2>&1
st=$?
cat "$LT_TMP/load.out"
cp "$LT_TMP/result.json" "$ART/web-load.json"
[ "$st" -eq 0 ] || lt_fail "the load had errors (see above)"
kill -0 "$LT_WEB_PID" || lt_fail "links-web died under load"
used=$(grep -c . "$LT_TMP/result.json.used")
[ "$used" -gt 0 ] || lt_fail "no valid link was used"
"$LINKS_STORE" -c "$C" stats --json >"$LT_TMP/stats.json" || lt_fail "stats"
"$PY" - "$LT_TMP/stats.json" "$used" <<'PY' || lt_fail "the store does not hold each used link once"
import json, sys
s = json.load(open(sys.argv[1]))
used = int(sys.argv[2])
bad = []
if s["optouts"]["promotion"] != used:
	bad.append("%d customers refused promotions, %d links used" % (s["optouts"]["promotion"], used))
if s["consent_events"] != used:
	bad.append("%d consent events for %d links used" % (s["consent_events"], used))
if s["optouts"]["survey"] != 0:
	bad.append("surveys refused: %d" % s["optouts"]["survey"])
if s["outbox_pending"] != used:
	bad.append("%d confirmations queued for %d refusals" % (s["outbox_pending"], used))
for b in bad:
	print("FAIL: " + b)
print("store: %d refusals, %d events, %d confirmations for %d links used"
      % (s["optouts"]["promotion"], s["consent_events"], s["outbox_pending"], used))
sys.exit(1 if bad else 0)
PY
# A sample of used links, customer by customer: one event each, channel one_click.
for path in $(shuf -n 5 --random-source="$LT_TMP/tokens" "$LT_TMP/result.json.used"); do
	id=$(grep " ${path#/u/}\$" "$LT_TMP/tokens" | cut -d' ' -f1)
	email=$(printf 'load%05d@example.net' $((id - FIRST + 1)))
	n=$("$LINKS_STORE" -c "$C" consent-log "$email" | grep -c "promotion *refused *one_click")
	[ "$n" -eq 1 ] || lt_fail "$email has $n one-click refusals"
done
lt_web_stop || lt_fail "links-web did not stop cleanly"
grep -Eq "Sanitizer|runtime error:" "$LT_TMP/web.log" && lt_fail "sanitizer report in web.log"
lt_ok "every valid link recorded once, no forged one, no error"
echo "web-load: passed"
