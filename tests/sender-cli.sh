#!/bin/sh
# NAME
#	sender-cli.sh - links-sender's command line: usage rules, errors, dir transport, status
# DESCRIPTION
#	Usage errors exit 64 (maintenance without --service-type, answer or
#	staff without recipients, staff without a company --from, ...); a
#	missing placeholder stops the campaign before anything is recorded
#	or sent (exit 65); an unknown template exits 66; a campaign through
#	the dir transport writes one .eml per delivery id; status and
#	resume report on campaigns.
. "$top_srcdir/tests/sender-lib.sh"

st_setup sender-cli
cat > "$LT_TMP/c.csv" <<'CSV'
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
an.nguyen@example.vn,Nguyễn Văn An,,portal,vps,VPS-1,active,2024-01-01,
binh.tran@example.vn,Trần Thị Bình,,portal,hosting,HOST-2,active,2024-01-01,
cuong.le@example.vn,Lê Văn Cường,,portal,vps,VPS-3,ended,2023-01-01,2024-01-01
CSV
st_import "$LT_TMP/c.csv"

expect() {	# STATUS DESCRIPTION command...
	want=$1
	what=$2
	shift 2
	"$@" > "$LT_TMP/cmd.out" 2>&1
	got=$?
	[ "$got" -eq "$want" ] || { cat "$LT_TMP/cmd.out"; lt_fail "$what: exit $got, expected $want"; }
	lt_ok "$what (exit $want)"
}
S="$SENDER -c $CONF"

expect 0 "--help" $S --help
expect 0 "--version" $S --version
grep -q "links-sender (links-mail) [0-9]" "$LT_TMP/cmd.out" || lt_fail "--version text"
expect 64 "no command" $SENDER
expect 64 "unknown command" $S frobnicate
expect 64 "unknown category" $S send --category spam --template promotion
expect 64 "no template" $S send --category promotion
expect 64 "maintenance without --service-type" $S send --category maintenance --template maintenance
grep -q "service-type" "$LT_TMP/cmd.out" || lt_fail "maintenance usage message"
expect 64 "answer without recipients" $S send --category answer --template answer --set topic=x --set answer=y
expect 64 "staff without --from" $S send --category staff --template staff --to an.nguyen@example.vn
expect 64 "staff --from outside company_domains" $S send --category staff --template staff \
	--from lan@example.com --to an.nguyen@example.vn --set subject=x --set body=y --set signature=z
expect 64 "--from on a non-staff category" $S send --category account --template confirmation \
	--from lan@ilinks.asia --set request=x
expect 64 "--to and --customers together" $S send --category account --template confirmation \
	--to an.nguyen@example.vn --customers /dev/null --set request=x
expect 64 "--set of a customer field" $S send --category account --template confirmation --set name=x
expect 64 "resume without a campaign" $S resume
expect 66 "unknown template" $S send --category account --template nosuch
expect 64 "template of another category" $S send --category account --template promotion \
	--set offer=x --set until=y --set url=z
expect 65 "--to a stranger" $S send --category account --template confirmation \
	--to stranger@example.vn --set request=x
grep -q "stranger" "$LT_TMP/cmd.out" && lt_fail "the error repeats the address"

expect 65 "missing placeholder" $S send --category promotion --template promotion --set until=x --set url=y
grep -q "{{offer}}" "$LT_TMP/cmd.out" || lt_fail "the error does not name the placeholder"
$S status | tail -n +2 | grep -q . && lt_fail "a failed expansion left a campaign behind"
[ -d "$LT_TMP/out" ] && [ -n "$(ls "$LT_TMP/out" 2>/dev/null)" ] && lt_fail "something was written"
lt_ok "missing placeholder: nothing recorded, nothing sent"

expect 0 "maintenance vps through the dir transport" $S send --category maintenance \
	--template maintenance --service-type vps --set window=x --set impact=y --no-progress
grep -q "1 queued, 0 skipped" "$LT_TMP/cmd.out" || lt_fail "maintenance audience: $(cat "$LT_TMP/cmd.out")"
[ "$(ls "$LT_TMP/out" | wc -l)" -eq 1 ] || lt_fail "expected one .eml"
ls "$LT_TMP/out" | grep -q '^[0-9][0-9]*\.eml$' || lt_fail "file not named by delivery id"
grep -q "an.nguyen@example.vn" "$LT_TMP"/out/*.eml || lt_fail "wrong recipient"
expect 0 "status" $S status
grep -q "maintenance" "$LT_TMP/cmd.out" || lt_fail "status lists the campaign"
expect 0 "status 1" $S status 1
grep -q "service_type=vps" "$LT_TMP/cmd.out" || lt_fail "status shows the audience"
expect 0 "resume of a finished campaign" $S resume 1 --no-progress
expect 66 "resume of no campaign" $S resume 99
expect 66 "status of no campaign" $S status 99

# --to a customer without the service: recorded as skipped with the reason.
expect 0 "maintenance --to a hosting customer" $S send --category maintenance --template maintenance \
	--service-type vps --to binh.tran@example.vn --set window=x --set impact=y --no-progress
grep -q "0 queued, 1 skipped" "$LT_TMP/cmd.out" || lt_fail "not skipped"
exit 0
