#!/bin/sh
# NAME
#	rely-sighup.sh - SIGHUP with broken configurations, and a storm of reloads under traffic
# DESCRIPTION
#	links-milter behind a private Postfix. The configuration file is
#	replaced by a broken one in each of these ways, then SIGHUP:
#	an unknown option, the file deleted, binary garbage with NUL bytes,
#	a 10 kB line, an invalid refusal_pattern, store_path naming a
#	database that does not exist, key_file readable by others. Each
#	time the milter must stay up, log why with "keeping the running
#	configuration", and a refusal sent right after must be recorded
#	with the running configuration.
#	Then 40 good reloads (SIGHUP every 50 ms) while 24 refusals arrive
#	over 8 concurrent SMTP sessions: every message accepted, every
#	refusal recorded once, no milter timeout, the milter alive and its
#	log free of sanitizer reports.
#	Skips (77) when Postfix or swaks are absent or not running as root.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_init rely-sighup

lt_need_root
lt_need_tool postfix swaks
id postfix >/dev/null 2>&1 || lt_skip "no postfix user"

FIX="$top_builddir/tests/miltertest/milter-fixture"
CONF="$LT_TMP/links.conf"
lt_write_conf "$CONF.good" store_busy_timeout=10000
cp "$CONF.good" "$CONF"
"$FIX" -c "$CONF" init || lt_fail "store init"
fix() {
	"$FIX" -c "$CONF.good" "$@" || lt_fail "milter-fixture $*"
}
N=40
TAG="hup$$"
i=1
while [ "$i" -le "$N" ]; do
	id=$(fix customer "h$i@example.vn")
	fix msglog "$TAG.h$i@ilinks.asia" "$id" promotion
	eval "ID_$i=$id"
	i=$((i + 1))
done

lt_milter_start "$CONF"
PORT=$(lt_free_port) || lt_fail "no free port"
lt_postfix_start "$LT_TMP/mx" "$PORT" "unix:$LT_TMP/milter.sock"

refuse() {	# customer number
	timeout 60 swaks --timeout 30 --server "127.0.0.1:$PORT" \
		--from "h$1@example.vn" --to noreply@ilinks.asia \
		--add-header "MIME-Version: 1.0" --add-header "Content-Type: text/plain; charset=utf-8" \
		--add-header "Content-Transfer-Encoding: 8bit" --header "Subject: Re: Khuyến mãi" \
		--header "In-Reply-To: <$TAG.h$1@ilinks.asia>" --header "Message-ID: <$TAG.r$1@example.vn>" \
		--body "Từ chối" >"$LT_TMP/swaks.$1" 2>&1
}
recorded() {	# customer number
	eval "id=\$ID_$1"
	[ "$(fix optout "$id" promotion)" = 1 ] && [ "$(fix consents "$id")" = 2 ]
}
kept_count() {
	grep -c "keeping the running configuration" "$LT_TMP/milter.log"
}

# --- broken configurations
cp "$LT_TMP/store/master.key" "$LT_TMP/open.key"
chmod 0644 "$LT_TMP/open.key"
k=1
for broken in unknown deleted garbage longline pattern nostore openkey; do
	case $broken in
	unknown)  { cat "$CONF.good"; echo "no_such_option = 1"; } >"$CONF.new" ;;
	deleted)  rm -f "$CONF.new" ;;
	garbage)  head -c 2000 /dev/urandom | tr -d '\n' >"$CONF.new"; printf '\0\0x\n' >>"$CONF.new" ;;
	longline) { cat "$CONF.good"; printf 'company_name = %010000d\n' 0; } >"$CONF.new" ;;
	pattern)  { cat "$CONF.good"; echo 'refusal_pattern = (unclosed[group'; } >"$CONF.new" ;;
	nostore)  { cat "$CONF.good"; echo "store_path = $LT_TMP/nowhere/links.db"; } >"$CONF.new" ;;
	openkey)  { cat "$CONF.good"; echo "key_file = $LT_TMP/open.key"; } >"$CONF.new" ;;
	esac
	if [ -f "$CONF.new" ]; then mv "$CONF.new" "$CONF"; else rm -f "$CONF"; fi
	before=$(kept_count)
	kill -HUP "$LT_MILTER_PID"
	more_kept() {
		[ "$(kept_count)" -gt "$before" ]
	}
	lt_wait_for 10 more_kept || lt_fail "$broken: no 'keeping the running configuration' in the log"
	kill -0 "$LT_MILTER_PID" || lt_fail "$broken: the milter died on SIGHUP"
	refuse "$k" || lt_fail "$broken: the refusal after the reload was not accepted: $(grep '^<\*\*' "$LT_TMP/swaks.$k")"
	lt_wait_for 10 recorded "$k" || lt_fail "$broken: the refusal after the reload was not recorded"
	lt_ok "$broken: $(grep 'keeping the running' "$LT_TMP/milter.log" | tail -n 1 | sed 's/.*reload: //' | cut -c1-90)"
	k=$((k + 1))
done

# --- a storm of good reloads under traffic
cp "$CONF.good" "$CONF"
reloads0=$(grep -c "reloaded the configuration" "$LT_TMP/milter.log")
( j=0; while [ "$j" -lt 40 ]; do kill -HUP "$LT_MILTER_PID" 2>/dev/null; sleep 0.05; j=$((j + 1)); done ) &
HUPS=$!
pids=""
first=$k
while [ "$k" -le $((first + 23)) ]; do
	refuse "$k" &
	pids="$pids $!"
	k=$((k + 1))
	[ $(( (k - first) % 8 )) -eq 0 ] && { for p in $pids; do wait "$p" || lt_fail "a refusal during the reloads was refused"; done; pids=""; }
done
for p in $pids; do
	wait "$p" || lt_fail "a refusal during the reloads was refused"
done
wait "$HUPS"
kill -0 "$LT_MILTER_PID" || lt_fail "the milter died in the storm of reloads"
i=$first
while [ "$i" -lt "$k" ]; do
	lt_wait_for 10 recorded "$i" || lt_fail "h$i: not recorded exactly once during the reloads"
	i=$((i + 1))
done
reloads=$(( $(grep -c "reloaded the configuration" "$LT_TMP/milter.log") - reloads0 ))
[ "$reloads" -ge 1 ] || lt_fail "no reload happened"
if grep -Eiq "milter.*(timeout|timed out)|451 4\." "$LT_TMP/mx/maillog"; then
	lt_fail "milter timeout or tempfail: $(grep -Ei 'timeout|451' "$LT_TMP/mx/maillog" | head -n 3)"
fi
lt_ok "40 SIGHUPs ($reloads reloads logged) while 24 refusals arrived: all recorded once, no timeout"
lt_milter_stop || lt_fail "links-milter exit status $? after SIGTERM"
lt_milter_log_clean
exit 0
