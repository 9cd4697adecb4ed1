#!/bin/sh
# reply-classify (classify_file, as links-milter --classify): one JSON line
# per message, EX_NOINPUT for a missing file, stdin with "-", --help and
# --version.
set -u
prog="${top_builddir:-..}/tests/reply-classify"
vi="${top_srcdir:-..}/tests/corpus/vi"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
LINKS_CONF=/nonexistent/links.conf; export LINKS_CONF

expect() {  # description, expected, actual
	if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "FAIL - $1: want [$2] got [$3]"; fail=1; fi
}

# -c with a missing file is a configuration error
"$prog" -c /nonexistent/links.conf "$vi/case01_tu_choi_gmail_vi.eml" >/dev/null 2>&1
expect "-c missing config exits EX_CONFIG (78)" 78 $?

# default config path missing: built-in defaults are used
out=$("$prog" "$vi/case01_tu_choi_gmail_vi.eml"); rc=$?
expect "refusal exits 0" 0 $rc
expect "refusal JSON" '{"kind":"reply","optout":true,"question":false,"text":"Từ chối","reason":"command:tu_choi","scope":"all"}' "$out"

out=$("$prog" - < "$vi/case09_why_refused.eml")
expect "stdin question JSON" '{"kind":"reply","optout":false,"question":true,"text":"Tại sao thanh toán bị từ chối?","reason":"question:passive"}' "$out"

n=$("$prog" "$vi/case01_tu_choi_gmail_vi.eml" "$vi/bounce_dsn_postfix.eml" "$vi/auto_submitted.eml" | wc -l)
expect "one line per file" 3 "$n"
kinds=$("$prog" "$vi/bounce_dsn_postfix.eml" "$vi/auto_submitted.eml" | sed 's/^{"kind":"\([a-z_]*\)".*/\1/' | tr '\n' ' ')
expect "kinds" "bounce auto_reply " "$kinds"

"$prog" "$tmp/missing.eml" >"$tmp/out" 2>"$tmp/err"; rc=$?
expect "missing file exits EX_NOINPUT (66)" 66 $rc
expect "missing file: nothing on stdout" "" "$(cat "$tmp/out")"
grep -q "missing.eml" "$tmp/err"; expect "missing file named on stderr" 0 $?

printf '\001\002\377garbage' > "$tmp/garbage.eml"
out=$("$prog" "$tmp/garbage.eml"); rc=$?
expect "garbage still answered" 0 $rc
case "$out" in
'{"kind":"reply","optout":false,"question":true,'*) echo "ok - garbage is a question";;
*) echo "FAIL - garbage: $out"; fail=1;;
esac

"$prog" --help | grep -q "usage: reply-classify"; expect "--help" 0 $?
"$prog" --version | grep -q "[0-9]\.[0-9]"; expect "--version" 0 $?
"$prog" >/dev/null 2>&1; expect "no argument is EX_USAGE (64)" 64 $?
exit $fail
