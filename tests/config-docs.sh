#!/bin/sh
# Every option of the table (config/conf_options.def) is documented in
# links.conf(5) and shown in the sample config/links.conf; and no page
# documents an option that does not exist.
set -u
src=${top_srcdir:?}
table=$src/config/conf_options.def
man=$src/doc/links.conf.5
sample=$src/config/links.conf
fail=0
opts=$(sed -n 's/^CONF_OPT(\([a-z0-9_]*\), .*/\1/p' "$table")
[ -n "$opts" ] || { echo "no options found in $table"; exit 1; }
n=0
for o in $opts; do
	n=$((n + 1))
	grep -q "^\.B $o\$" "$man" || grep -q "^\.BR $o " "$man" || grep -q "^\.IP \"\\\\fB$o\\\\fR" "$man" || {
		echo "links.conf.5: option $o is not documented"; fail=1; }
	grep -Eq "^#?$o =" "$sample" || { echo "config/links.conf: option $o is missing"; fail=1; }
done
# Options named in the man page's OPTIONS list must exist.
for o in $(sed -n 's/^\.IP "\\fB\([a-z0-9_]*\)\\fR.*/\1/p' "$man"); do
	echo "$opts" | grep -qx "$o" || { echo "links.conf.5 documents unknown option $o"; fail=1; }
done
echo "config-docs: $n options checked"
[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
