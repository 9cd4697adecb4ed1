#!/bin/sh
# NAME
#	web-pg.sh - links-web on a PostgreSQL store: one-click once, pages, bad links
# DESCRIPTION
#	Starts a private PostgreSQL cluster (lt_pg_start), a store on it
#	(store_backend = postgresql) with the sample customers, and
#	links-web on a free 127.0.0.1 port, then with curl:
#	 - -n accepts the configuration (the store opens on PostgreSQL);
#	 - GET of an unsubscribe link and of the preference page: 200, and
#	   nothing recorded;
#	 - RFC 8058 one-click POST: 200, the refusal recorded once with
#	   channel one_click; a repeat answers 200 and records nothing;
#	 - a forged link: 404, nothing recorded.
#	The dated tokens need only the key, the consent change goes through
#	the store's backend table: this proves links-web on the second engine.
#	Skips (77) without the PostgreSQL server programs or curl.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
lt_need_tool curl
lt_init web-pg
[ -x "$LINKS_WEB" ] || lt_fail "$LINKS_WEB is not built"
lt_pg_start
LINKS_TEST_PG_CONNINFO=$LT_PG_CONNINFO
export LINKS_TEST_PG_CONNINFO
TOKEN=$top_builddir/tests/web-token
PORT=$(lt_free_port) || lt_fail "no free port"
C=$LT_TMP/links.conf
lt_write_conf "$C" "web_listen=127.0.0.1:$PORT" "web_base_url=https://lienket.ilinks.test/" \
	"web_rate_limit=0"
lt_store_conf_backend "$C"
[ "$LT_BACKEND" = postgresql ] || lt_fail "the store is not on PostgreSQL"
lt_store_init "$C" >/dev/null
"$LINKS_STORE" -c "$C" import "$top_srcdir/config/customers.sample.csv" >/dev/null \
	|| lt_fail "import"
AN=an.nguyen@example.vn
AN_ID=$(lt_customer_id "$C" $AN)
[ -n "$AN_ID" ] || lt_fail "no id for $AN"
"$LINKS_WEB" -n -c "$C" >/dev/null || lt_fail "-n refuses a store on PostgreSQL"
lt_ok "-n: the store opens on PostgreSQL"

lt_web_start "$C"
T=$("$TOKEN" "$C" "$AN_ID" promotion) || lt_fail "web-token"
ONE="List-Unsubscribe=One-Click"
# status METHOD PATH [CURL ARGS...]: the HTTP status of one request
status() {
	sm=$1
	sp=$2
	shift 2
	curl -s -o "$LT_TMP/b" -w '%{http_code}' --max-time 20 -X "$sm" "$@" "$LT_WEB_URL$sp"
}
events() {
	"$LINKS_STORE" -c "$C" consent-log $AN | grep -c . || true
}

[ "$(status GET "/u/$T")" = 200 ] || lt_fail "GET of the unsubscribe page"
[ "$(status GET "/p/$T")" = 200 ] || lt_fail "GET of the preference page"
[ "$(events)" -eq 0 ] || lt_fail "a GET changed the store"
lt_ok "GET of both pages: 200, nothing recorded"

[ "$(status POST "/u/$T" -d "$ONE")" = 200 ] || lt_fail "one-click POST"
[ "$(events)" -eq 1 ] || lt_fail "one-click recorded $(events) events, not 1"
"$LINKS_STORE" -c "$C" consent-log $AN | grep -q "promotion.*refused.*one_click" \
	|| lt_fail "not a one_click refusal: $("$LINKS_STORE" -c "$C" consent-log $AN)"
[ "$(status POST "/u/$T" -d "$ONE")" = 200 ] || lt_fail "repeated one-click POST"
[ "$(events)" -eq 1 ] || lt_fail "the repeat recorded a second event"
"$LINKS_STORE" -c "$C" customer show $AN | grep -q "promotion: *refused" \
	|| lt_fail "the customer is not refused"
lt_ok "one-click on PostgreSQL: 200, recorded once, a repeat records nothing"

[ "$(status POST "/u/abcdefghijklmnopqrstuvwxyz234567" -d "$ONE")" = 404 ] \
	|| lt_fail "a forged link is not 404"
[ "$(events)" -eq 1 ] || lt_fail "a forged link changed the store"
lt_ok "a forged link: 404, nothing recorded"
lt_web_stop || lt_fail "links-web did not stop cleanly"
lt_ok "links-web stopped"
