#!/bin/sh
# NAME
#	rely-hostile-cli.sh - a key file others can read; CR LF in names; SQL in CSV
# DESCRIPTION
#	Through the programs, not the libraries:
#	  - a master key file readable by group or others (0640, 0644) is
#	    refused by links-store, links-sender and links-milter (its -n
#	    check, and starting the daemon) with an error that names the key
#	    file and says what is wrong, and none of them runs (the daemon
#	    leaves no socket behind); mode 0600 works again;
#	  - a CSV whose quoted name field holds CR LF and a "Bcc:" line
#	    (customers from a web form) skips that row with its line number
#	    and without echoing the value; names full of header specials
#	    and SQL metacharacters are imported as data; a campaign to all
#	    of them (dir transport) writes messages whose header block has
#	    exactly the headers links-sender writes: no Bcc:, no second To:,
#	    one address per To:, every header line within RFC 5322 syntax;
#	  - links-store customer add with CR LF in --name is refused.
#	Skips (77) never: only the programs of this tree are needed.
# shellcheck disable=SC2086
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/sender-lib.sh"
st_setup rely-hostile-cli

STORE_CLI=$LINKS_STORE
KEY=$LT_TMP/store/master.key

# --- 1. the key file readable by others (stats reads no key: a command that decrypts)
for mode in 0644 0640 0604; do
	chmod "$mode" "$KEY"
	for prog in "$STORE_CLI -c $CONF customer list" "$SENDER -c $CONF status" \
		"$LINKS_MILTER -c $CONF -n" "$LINKS_MILTER -c $CONF -f -e"; do
		set -- $prog
		name=$(basename "$1")
		timeout 20 "$@" >"$LT_TMP/cmd.out" 2>&1
		rc=$?
		[ "$rc" -ne 0 ] || lt_fail "$name ran with a key file of mode $mode"
		[ "$rc" -ne 124 ] || lt_fail "$name did not stop with a key file of mode $mode"
		grep -q "master.key" "$LT_TMP/cmd.out" || lt_fail "$name: the error does not name the key file: $(cat "$LT_TMP/cmd.out")"
		grep -Eqi "mode|permission|readable|group|others" "$LT_TMP/cmd.out" \
			|| lt_fail "$name: the error does not say what is wrong: $(cat "$LT_TMP/cmd.out")"
		# A daemon that failed to start leaves no socket that looks alive.
		sockpath=$(lt_conf_socket_path "$CONF")
		[ -z "$sockpath" ] || [ ! -e "$sockpath" ] || lt_fail "$name left its socket $sockpath after a failed start"
	done
	lt_ok "key file mode $mode: links-store, links-sender and links-milter refuse with a clear error"
done
chmod 0600 "$KEY"
"$STORE_CLI" -c "$CONF" customer list >/dev/null || lt_fail "links-store with the key back to 0600"
lt_ok "mode 0600 works again"

# --- 2. CR LF in names, header specials, SQL metacharacters
printf '%s\r\n' 'email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at' \
	'crlf@example.vn,"Evil' 'Bcc: victim@example.net",,web_form,vps,VPS-C1,active,2024-01-01,' \
	'lf@example.vn,"Evil' 'To: another@example.net",,web_form,vps,VPS-C2,active,2024-01-01,' \
	'quote@example.vn,"""Admin"" <admin@ilinks.asia>, x@evil.example",,web_form,vps,VPS-C3,active,2024-01-01,' \
	'semi@example.vn,"Robert'"'"'); DROP TABLE customers;--",,web_form,vps,VPS-C4,active,2024-01-01,' \
	'enc@example.vn,=?utf-8?B?QmNjOiB4QGV2aWwuZXhhbXBsZQ==?=,,web_form,vps,VPS-C5,active,2024-01-01,' \
	'viet@example.vn,"Nguyễn Văn Ánh (Công ty; ""ABC""), Hà Nội",,web_form,vps,VPS-C6,active,2024-01-01,' \
	>"$LT_TMP/hostile.csv"
# the LF-only line end inside the second quoted field
sed -i '4s/\r$//' "$LT_TMP/hostile.csv"
"$STORE_CLI" -c "$CONF" import "$LT_TMP/hostile.csv" >"$LT_TMP/import.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] || lt_fail "import: exit $rc: $(cat "$LT_TMP/import.out")"
grep -q "hostile.csv:2:" "$LT_TMP/import.out" || lt_fail "the CR LF name on line 2 is not reported: $(cat "$LT_TMP/import.out")"
grep -q "hostile.csv:4:" "$LT_TMP/import.out" || lt_fail "the LF name on line 4 is not reported: $(cat "$LT_TMP/import.out")"
grep -Eq "victim|another@|Evil" "$LT_TMP/import.out" && lt_fail "the report echoes a rejected value"
for a in crlf lf; do
	"$STORE_CLI" -c "$CONF" customer find "$a@example.vn" >/dev/null 2>&1 \
		&& lt_fail "$a@example.vn was imported with a multi-line name"
done
for a in quote semi enc viet; do
	"$STORE_CLI" -c "$CONF" customer find "$a@example.vn" >/dev/null \
		|| lt_fail "$a@example.vn was not imported"
done
"$STORE_CLI" -c "$CONF" customer show semi@example.vn >"$LT_TMP/show.out" \
	|| lt_fail "customer show"
grep -qF "Robert'); DROP TABLE customers;--" "$LT_TMP/show.out" || lt_fail "the SQL-like name was not kept as data"
lt_ok "import: multi-line names skipped with their line numbers; specials and SQL kept as data"

if "$STORE_CLI" -c "$CONF" customer add added@example.vn --name "$(printf 'A\r\nBcc: v@example.net')" \
	>"$LT_TMP/add.out" 2>&1; then
	lt_fail "customer add accepted CR LF in --name"
fi
lt_ok "customer add refuses CR LF in --name"

mkdir -p "$LT_TMP/out"
"$SENDER" -c "$CONF" send --category promotion --template promotion --all --no-progress \
	--set offer=x --set until=y --set url=https://dichvu.ilinks.asia/x >"$LT_TMP/send.out" 2>&1 \
	|| lt_fail "send: $(cat "$LT_TMP/send.out")"
N=$(find "$LT_TMP/out" -type f | wc -l)
[ "$N" -eq 4 ] || lt_fail "$N messages written, expected 4: $(ls "$LT_TMP/out")"
for f in "$LT_TMP"/out/*; do
	# the header block, unfolded
	awk '/^\r?$/ { exit } { print }' "$f" | tr -d '\r' >"$LT_TMP/h"
	awk '/^[ \t]/ { last = last $0; next } { if (NR > 1) print last; last = $0 } END { print last }' \
		"$LT_TMP/h" >"$LT_TMP/hu"
	grep -Eiq "^(bcc|cc|resent-[a-z]*):" "$LT_TMP/hu" && lt_fail "$(basename "$f"): an injected header: $(grep -Ei '^(bcc|cc|resent)' "$LT_TMP/hu")"
	[ "$(grep -ci '^to:' "$LT_TMP/hu")" -eq 1 ] || lt_fail "$(basename "$f"): not exactly one To:"
	grep -Ev '^[!-9;-~]+:' "$LT_TMP/hu" | grep -q . && lt_fail "$(basename "$f"): a line that is not a header: $(grep -Ev '^[!-9;-~]+:' "$LT_TMP/hu" | head -n 1)"
	grep -i '^to:' "$LT_TMP/hu" >"$LT_TMP/to"
	grep -Eq '(quote|semi|enc|viet)@example.vn>?$' "$LT_TMP/to" || lt_fail "$(basename "$f"): the To: does not end with the customer's address: $(cat "$LT_TMP/to")"
	[ "$(grep -o '@' "$LT_TMP/to" | wc -l)" -eq 1 ] || lt_fail "$(basename "$f"): the To: holds more than one address: $(cat "$LT_TMP/to")"
	grep -q '[^ -~]' "$LT_TMP/hu" && lt_fail "$(basename "$f"): raw 8-bit bytes in a header"
done
lt_ok "4 messages: one To: with one address each, no injected header, only RFC 5322 header lines"
exit 0
