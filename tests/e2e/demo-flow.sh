#!/bin/sh
# The README's demo (scripts/demo) is an end-to-end test: a maintenance
# notice through a private Postfix with links-milter, a "Từ chối" reply
# (In-Reply-To the notice) flips the flag, a question reaches support, the
# confirmation is delivered once, the next promotion skips the refuser, and
# a second customer unsubscribes with the promotion's RFC 8058 one-click
# link through links-web (Gmail's button); the consent log shows both.
exec sh "${top_srcdir:?}/scripts/demo" "${top_builddir:?}"
