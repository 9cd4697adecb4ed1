#!/bin/sh
# NAME
#	store-pg-mx.sh - two MX hosts, each with its links-milter, on one PostgreSQL
# DESCRIPTION
#	A private PostgreSQL cluster (lt_pg_start) holds the store; two
#	private Postfix instances ("mx1", "mx2"), each with its own
#	links-milter, use it (store_backend = postgresql). Every customer's
#	"Từ chối" reply arrives at BOTH MX hosts (a copy retried at the
#	backup MX), with 16 concurrent SMTP sessions per MX. Checks: every
#	session got 250; every customer is opted out with exactly one
#	consent event per refusable category (two) and one confirmation,
#	however many hosts saw the reply; customers who did not reply are
#	not. Then one links-sender promotion campaign (dir transport),
#	run on the same store, skips every refuser and reaches every other
#	customer. Skips (77) without root, Postfix, swaks or PostgreSQL's
#	server programs.
. "${top_srcdir:?}/tests/lib.sh"
lt_init store-pg-mx

lt_need_root
lt_need_tool postfix swaks
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"
lt_pg_start

N=32		# customers who refuse
Q=8		# customers who do not
SESSIONS=16	# concurrent sessions per MX
FIX="$top_builddir/tests/miltertest/milter-fixture"
SENDER="$top_builddir/sender/links-sender"
lt_pg_createdb links
CONF1=$LT_TMP/mx1.conf
CONF2=$LT_TMP/mx2.conf
for m in 1 2; do
	LT_MILTER_SOCKET=$LT_TMP/milter$m.sock lt_write_conf "$LT_TMP/mx$m.conf" \
		store_busy_timeout=10000 log_level=info "pid_file=$LT_TMP/milter$m.pid" \
		store_backend=postgresql "store_conninfo=$LT_PG_CONNINFO dbname=links" \
		"template_dir=$top_srcdir/config/templates" transport=dir "outdir=$LT_TMP/out"
done
"$FIX" -c "$CONF1" init || lt_fail "store init"
fix() {
	"$FIX" -c "$CONF1" "$@" || lt_fail "milter-fixture $*"
}
TAG="pgmx$$"
i=1
while [ "$i" -le $((N + Q)) ]; do
	id=$(fix customer "k$i@example.vn")
	fix msglog "$TAG.k$i@ilinks.asia" "$id" promotion
	echo "$id" >"$LT_TMP/id.$i"
	i=$((i + 1))
done
lt_ok "$((N + Q)) customers in PostgreSQL, each with a message in the message log"

# Two milters, two MX instances.
lt_milter_start "$CONF1"
"$LINKS_MILTER" -f -e -c "$CONF2" >>"$LT_TMP/milter2.log" 2>&1 &
M2=$!
lt_cleanup_add "kill -TERM $M2"
lt_wait_for 20 test -S "$LT_TMP/milter2.sock" || lt_fail "the second milter did not start"
P1=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx1" "$P1" "unix:$LT_TMP/milter1.sock"
MX1=$LT_PF_DIR
lt_cleanup_add "postfix -c '$MX1/etc' stop"
P2=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx2" "$P2" "unix:$LT_TMP/milter2.sock"
MX2=$LT_PF_DIR
lt_ok "mx1 on $P1 and mx2 on $P2, each with its links-milter, one store"

# reply I PORT: customer kI's refusal, with the same Message-ID on both MXs
reply() {
	timeout 60 swaks --timeout 30 --server "127.0.0.1:$2" \
		--from "k$1@example.vn" --to noreply@ilinks.asia \
		--add-header "MIME-Version: 1.0" \
		--add-header "Content-Type: text/plain; charset=utf-8" \
		--add-header "Content-Transfer-Encoding: 8bit" \
		--header "Subject: Re: Khuyến mãi" \
		--header "In-Reply-To: <$TAG.k$1@ilinks.asia>" \
		--header "Message-ID: <$TAG.reply.k$1@example.vn>" \
		--body "Từ chối" >"$LT_TMP/swaks.$1.$2" 2>&1
}
first=1
while [ "$first" -le "$N" ]; do
	pids=""
	i=$first
	while [ "$i" -lt $((first + SESSIONS)) ] && [ "$i" -le "$N" ]; do
		reply "$i" "$P1" &
		pids="$pids $!"
		reply "$i" "$P2" &
		pids="$pids $!"
		i=$((i + 1))
	done
	failed=0
	for p in $pids; do
		wait "$p" || failed=$((failed + 1))
	done
	[ "$failed" -eq 0 ] || lt_fail "$failed sessions failed: $(grep -l -v '250 2' "$LT_TMP"/swaks.* | head -n 1)"
	first=$((first + SESSIONS))
done
lt_ok "$N replies, each to both MX hosts, $SESSIONS concurrent sessions per MX: all 250"
for d in "$MX1" "$MX2"; do
	if grep -Eiq "milter.*(timeout|timed out)|milter-reject" "$d/maillog"; then
		lt_fail "milter timeout or 4xx in $d: $(grep -Ei 'milter.*(timeout|timed out)|milter-reject' "$d/maillog" | head -n 2)"
	fi
done

i=1
while [ "$i" -le $((N + Q)) ]; do
	id=$(cat "$LT_TMP/id.$i")
	if [ "$i" -le "$N" ]; then
		[ "$(fix optout "$id" promotion)" = 1 ] || lt_fail "k$i refused but is not opted out"
		[ "$(fix consents "$id")" = 2 ] || lt_fail "k$i: $(fix consents "$id") consent events, expected 2"
	else
		[ "$(fix optout "$id" promotion)" = 0 ] || lt_fail "k$i opted out without refusing"
	fi
	i=$((i + 1))
done
[ "$(fix outbox)" = "$N" ] || lt_fail "confirmations: $(fix outbox), expected $N"
lt_ok "each of the $N refusals recorded exactly once (2 consent events, 1 confirmation) though both MX hosts saw it"

# One campaign from the sender's side of the same store: refusers skipped.
"$SENDER" -c "$CONF1" send --category promotion --template promotion --no-progress \
	--set offer=x --set until=y --set url=https://dichvu.ilinks.asia/x >"$LT_TMP/send.out" 2>&1 \
	|| lt_fail "links-sender: $(tail -n 5 "$LT_TMP/send.out")"
sent=$(find "$LT_TMP/out" -type f | wc -l)
hits=0
i=1
while [ "$i" -le "$N" ]; do
	if grep -rlq "k$i@example.vn" "$LT_TMP/out" 2>/dev/null; then hits=$((hits + 1)); fi
	i=$((i + 1))
done
[ "$hits" -eq 0 ] || lt_fail "the campaign reached $hits refusers"
[ "$sent" -eq "$Q" ] || lt_fail "the campaign sent $sent messages, expected $Q (the customers who did not refuse)"
lt_ok "a links-sender promotion afterwards skipped all $N refusers and reached the $Q others"
kill -TERM "$M2"
lt_milter_stop || lt_fail "links-milter exit status $? after SIGTERM"
exit 0
