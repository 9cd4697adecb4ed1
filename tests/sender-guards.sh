#!/bin/sh
# NAME
#	sender-guards.sh - links-sender's guards for staff: each refusal, its message, nothing recorded
# DESCRIPTION
#	Every guard of issue 18, run as staff would make the mistake, against
#	a store of four customers and the dir transport. Each refusal must
#	exit with its sysexits status, say what is wrong and what to do, and
#	leave the store and the out directory as they were (no campaign, no
#	message log entry, no file):
#	  - an audience of every customer without --all (saying how many);
#	    --all with --to;
#	  - an unknown --set key (a misspelt "ofer"), naming the template's keys;
#	  - --from noreply@ / support@ on staff mail, --from on account mail,
#	    staff mail without the staff member's name;
#	  - --test-to a customer, --test-to with --dry-run;
#	  - --schedule that cannot be read, has passed, is over a year ahead,
#	    or comes with --dry-run; --now or --browser where they mean nothing;
#	  - resume of a scheduled campaign before its time (75).
#	Then what the guards let through: --test-to a company address through
#	smtp-sink (one message, "[TEST]", to that address only, nothing
#	recorded); --all; a second promotion minutes later skips everyone
#	(promotion_min_interval); a scheduled campaign sent by `due` once due.
#	Skips only without sqlite3 (the test reads the store's tables).
. "$top_srcdir/tests/sender-lib.sh"
command -v sqlite3 >/dev/null 2>&1 || lt_skip "sqlite3 is not installed"

st_setup sender-guards
SCHED_AHEAD=30	# seconds between --schedule and its time (due is tried before and after)
cat > "$LT_TMP/c.csv" <<'CSV'
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
an.nguyen@example.vn,Nguyễn Văn An,,portal,vps,VPS-1,active,2024-01-01,
binh.tran@example.vn,Trần Thị Bình,,portal,hosting,HOST-2,active,2024-01-01,
cuong.le@example.vn,Lê Văn Cường,,portal,vps,VPS-3,active,2024-01-01,
dung.pham@example.vn,Phạm Dũng,,portal,vps,VPS-4,active,2024-01-01,
CSV
st_import "$LT_TMP/c.csv"
"$LINKS_STORE" -c "$CONF" optout dung.pham@example.vn >/dev/null || lt_fail "optout"
S="$SENDER -c $CONF"
DB=$LT_TMP/store/links.db
PROMO="--category promotion --template promotion --set offer=Giảm --set until=2026-12-31 --set url=https://ilinks.asia/km --no-progress"

# state: what a refusal must leave unchanged (campaigns, deliveries, message log, files)
state() {
	printf '%s %s %s %s\n' "$(sqlite3 "$DB" 'SELECT count(*) FROM campaigns')" \
		"$(sqlite3 "$DB" 'SELECT count(*) FROM deliveries')" \
		"$(sqlite3 "$DB" 'SELECT count(*) FROM msglog')" \
		"$(find "$LT_TMP/out" -type f 2>/dev/null | wc -l)"
}

# refused STATUS TEXT DESCRIPTION command...: exits STATUS, says TEXT, changes nothing
refused() {
	want=$1
	text=$2
	what=$3
	shift 3
	before=$(state)
	"$@" > "$LT_TMP/cmd.out" 2>&1
	got=$?
	[ "$got" -eq "$want" ] || { cat "$LT_TMP/cmd.out"; lt_fail "$what: exit $got, expected $want"; }
	grep -qF -- "$text" "$LT_TMP/cmd.out" || { cat "$LT_TMP/cmd.out"; lt_fail "$what: no \"$text\""; }
	[ "$(state)" = "$before" ] || lt_fail "$what: something was recorded or written ($before -> $(state))"
	lt_ok "$what: exit $want, \"$text\", nothing recorded"
}

# shellcheck disable=SC2086
{
refused 64 "would go to every customer (3 of the 4 customers in the store; 1 skipped" \
	"promotion to everyone without --all" $S send $PROMO
grep -q -- "give --all" "$LT_TMP/cmd.out" || lt_fail "the refusal does not say how to mean it"
refused 64 "would go to every customer" "invoice with --to forgotten" \
	$S send --category account --template invoice --set invoice_no=1 --set amount=1 \
	--set due_date=x --no-progress
refused 64 "--all means every customer" "--all with --to" \
	$S send $PROMO --all --to an.nguyen@example.vn
refused 64 "--set ofer: the template promotion has no {{ofer}} (its keys: offer, until, url)" \
	"a misspelt --set key" $S send --category promotion --template promotion --all \
	--set ofer=Giảm --set until=x --set url=y
refused 64 "staff mail comes from the staff member's own name@ address" \
	"staff mail --from noreply@" $S send --category staff --template staff \
	--from "Lan <noreply@ilinks.asia>" --to an.nguyen@example.vn --set subject=x --set body=y \
	--set signature=z
grep -q "category account" "$LT_TMP/cmd.out" || lt_fail "noreply@: no hint of the right category"
refused 64 "category answer or survey" "staff mail --from support@" \
	$S send --category staff --template staff --from "Lan <support@ilinks.asia>" \
	--to an.nguyen@example.vn --set subject=x --set body=y --set signature=z
refused 64 "account mail always comes from noreply@ilinks.asia: leave out --from" \
	"account mail --from noreply@" $S send --category account --template confirmation \
	--to an.nguyen@example.vn --from noreply@ilinks.asia --set request=x
refused 64 "needs the staff member's name" "staff mail without a name" \
	$S send --category staff --template staff --from lan.pham@ilinks.asia \
	--to an.nguyen@example.vn --set subject=x --set body=y --set signature=z
refused 64 "never to a customer" "--test-to a customer" \
	$S send $PROMO --test-to binh.tran@example.vn
refused 64 "--test-to sends one test message now" "--test-to with --dry-run" \
	$S send $PROMO --test-to lan.pham@ilinks.asia --dry-run
refused 64 "expected YYYY-MM-DD HH:MM" "--schedule that cannot be read" \
	$S send $PROMO --all --schedule "ngày mai"
refused 64 "that time has passed" "--schedule in the past" \
	$S send $PROMO --all --schedule "2020-01-01 08:00"
refused 64 "more than a year ahead" "--schedule over a year ahead" \
	$S send $PROMO --all --schedule "+400d"
refused 64 "not with --dry-run" "--schedule with --dry-run" \
	$S send $PROMO --all --schedule "+1h" --dry-run
refused 64 "--now is for resume" "--now on send" $S send $PROMO --all --now
refused 64 "--browser is for preview" "--browser on send" $S send $PROMO --all --browser
}

# What the guards let through.
SINK=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
if [ -x "$SINK" ]; then
	PORT=$(lt_free_port) || lt_fail "no free port"
	mkdir -p "$LT_TMP/sink"
	USER_OPT=""
	if [ "$(id -u)" -eq 0 ]; then
		chown postfix "$LT_TMP/sink" 2>/dev/null && USER_OPT="-u postfix"
	fi
	# shellcheck disable=SC2086
	"$SINK" $USER_OPT -d "$LT_TMP/sink/%M." "127.0.0.1:$PORT" 10 &
	lt_cleanup_add "kill $!"
	lt_wait_for 10 lt_port_busy "$PORT" || lt_fail "smtp-sink does not listen"
	before=$(state)
	# shellcheck disable=SC2086
	$S -o transport=smtp -o smtp_host=127.0.0.1 -o "smtp_port=$PORT" send $PROMO \
		--test-to lan.pham@ilinks.asia > "$LT_TMP/test.out" 2>&1 \
		|| { cat "$LT_TMP/test.out"; lt_fail "--test-to a company address"; }
	[ "$(state)" = "$before" ] || lt_fail "--test-to recorded something"
	lt_wait_for 10 sh -c "[ -n \"\$(ls '$LT_TMP/sink')\" ]" || lt_fail "smtp-sink got nothing"
	sleep 0.5
	[ "$(ls "$LT_TMP/sink" | wc -l)" -eq 1 ] || lt_fail "not exactly one test message"
	m=$(ls "$LT_TMP"/sink/*)
	grep -q "^RCPT TO:<lan.pham@ilinks.asia>" "$m" 2>/dev/null \
		|| grep -qi "lan.pham@ilinks.asia" "$m" || lt_fail "the test went elsewhere"
	grep -q "an.nguyen@example.vn>\|binh.tran@example.vn>\|cuong.le@example.vn>" "$m" \
		&& lt_fail "the test message is addressed to a customer"
	grep -q "^Subject: \[TEST\] \[QC\]" "$m" || lt_fail "no [TEST] in the subject"
	grep -q "customer 1" "$LT_TMP/test.out" || lt_fail "the sample customer is not named: $(cat "$LT_TMP/test.out")"
	lt_ok "--test-to lan.pham@: one [TEST] message through SMTP to her only, nothing recorded"
else
	echo "smtp-sink is not installed: --test-to through SMTP not run"
fi

# shellcheck disable=SC2086
$S send $PROMO --all > "$LT_TMP/all.out" 2>&1 || { cat "$LT_TMP/all.out"; lt_fail "--all"; }
grep -q "3 queued, 1 skipped" "$LT_TMP/all.out" || lt_fail "--all: $(cat "$LT_TMP/all.out")"
lt_ok "--all: sent to every customer the rules allow"

# shellcheck disable=SC2086
$S send $PROMO --all > "$LT_TMP/again.out" 2>&1 || { cat "$LT_TMP/again.out"; lt_fail "second promotion"; }
grep -q "0 queued, 4 skipped" "$LT_TMP/again.out" || lt_fail "second promotion: $(cat "$LT_TMP/again.out")"
CID2=$(sed -n 's/^campaign \([0-9]*\) created.*/\1/p' "$LT_TMP/again.out")
[ "$(sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE campaign_id = $CID2 AND reason LIKE 'got a promotion 0 h ago (promotion_min_interval 72 h)'")" -eq 3 ] \
	|| lt_fail "the cap is not the recorded reason"
lt_ok "a second promotion minutes later: every customer skipped by promotion_min_interval, with the reason"

# A real schedule a little ahead (the parameters are sealed in the store:
# nothing to tamper with), absolute in UTC; `due` before and after it.
WHEN=$(($(date +%s) + SCHED_AHEAD))
# shellcheck disable=SC2086
$S send --category maintenance --template maintenance --service-type vps --set window=x \
	--set impact=y --schedule "$(date -u -d "@$WHEN" '+%Y-%m-%d %H:%M:%S Z')" --no-progress \
	> "$LT_TMP/sched.out" 2>&1 || { cat "$LT_TMP/sched.out"; lt_fail "--schedule in ${SCHED_AHEAD}s"; }
grep -q "scheduled for" "$LT_TMP/sched.out" || lt_fail "no scheduled time said"
CID=$(sed -n 's/^campaign \([0-9]*\) created.*/\1/p' "$LT_TMP/sched.out")
files=$(find "$LT_TMP/out" -type f | wc -l)
refused 75 "is scheduled for" "resume before the scheduled time" $S resume "$CID"
$S due > "$LT_TMP/due.out" 2>&1 || lt_fail "due: $(cat "$LT_TMP/due.out")"
grep -q "due: 0 scheduled campaigns sent" "$LT_TMP/due.out" || lt_fail "due sent it early"
[ "$(find "$LT_TMP/out" -type f | wc -l)" -eq "$files" ] || lt_fail "sent before its time"
[ "$(date +%s)" -lt "$WHEN" ] || lt_fail "the host is too slow: the ${SCHED_AHEAD}s passed before due ran"
lt_wait_for $((SCHED_AHEAD + 5)) sh -c "[ \$(date +%s) -gt $WHEN ]" || lt_fail "the clock did not reach $WHEN"
$S due > "$LT_TMP/due.out" 2>&1 || lt_fail "due: $(cat "$LT_TMP/due.out")"
grep -q "due: 1 scheduled campaign sent" "$LT_TMP/due.out" || lt_fail "due: $(cat "$LT_TMP/due.out")"
[ "$(find "$LT_TMP/out" -type f | wc -l)" -eq $((files + 3)) ] || lt_fail "the scheduled campaign did not go out"
lt_ok "--schedule: created with its rows, not sent before its time, sent by due once due"
exit 0
