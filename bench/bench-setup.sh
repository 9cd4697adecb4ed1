# NAME
#	bench-setup.sh - the benchmark's store, corpora, keys and milters
# SYNOPSIS
#	. bench-setup.sh	(sourced by run-all.sh)
# DESCRIPTION
#	setup_all builds everything the sections measure with, in $W:
#	gen/ (gen-mail.py's unsigned corpora), corpus/ (the same, signed
#	by OpenDKIM in signing mode through milterload -o), the store
#	(customers imported, notices' Message-IDs recorded; a pristine
#	copy to start every links-milter pass from), the DKIM key and the
#	verifier's configuration. start_null, start_eoh, start_dkim and
#	start_links start the milters measured; links_fresh restarts
#	links-milter on a pristine copy of the store.
#
#	The store lives on a disk file system: in $W unless /tmp is a
#	tmpfs (whose fsync costs nothing), then in the build tree.
# DIAGNOSTICS
#	setup_all returns 1 when the corpus cannot be built; a milter that
#	cannot be set up is reported (LINKS_WHY, DKIM_WHY) and skipped.

CORPORA="mix ordinary refusals questions auto smtp"
NULL_SOCK=$W/null.sock
EOH_SOCK=$W/eoh.sock
NULLOWN_SOCK=$W/nullown.sock
EOHOWN_SOCK=$W/eohown.sock
DKIM_SOCK=$W/dkim.sock
SIGN_SOCK=$W/dkim-sign.sock
LINKS_SOCK=$W/links.sock
LINKS_OK=0
LINKS_WHY=""
DKIM_OK=0
DKIM_WHY=""

# PROFILE_WRAP (valgrind ...) runs the milter under a profiler.
# shellcheck disable=SC2086
start_null() { start_daemon null "$NULL_SOCK" ${PROFILE_WRAP:-} "$NULLMILTER" -m connect "unix:$NULL_SOCK"; }
# shellcheck disable=SC2086
start_eoh() { start_daemon eoh "$EOH_SOCK" ${PROFILE_WRAP:-} "$NULLMILTER" -m eoh "unix:$EOH_SOCK"; }
# the same two on links-milter's protocol engine instead of libmilter (nullmilter-own)
# shellcheck disable=SC2086
start_nullown() { start_daemon nullown "$NULLOWN_SOCK" ${PROFILE_WRAP:-} "$NULLMILTER_OWN" -m connect "unix:$NULLOWN_SOCK"; }
# shellcheck disable=SC2086
start_eohown() { start_daemon eohown "$EOHOWN_SOCK" ${PROFILE_WRAP:-} "$NULLMILTER_OWN" -m eoh "unix:$EOHOWN_SOCK"; }
# shellcheck disable=SC2086
start_dkim() { start_daemon dkim "$DKIM_SOCK" ${PROFILE_WRAP:-} opendkim -f -x "$W/dkim/verify.conf"; }
# shellcheck disable=SC2086
start_links() { start_daemon links "$LINKS_SOCK" ${PROFILE_WRAP:-} "$LINKS_MILTER" -f -e -c "$LINKS_CONF"; }

# links_fresh: links-milter on a pristine copy of the store
links_fresh() {
	stop_daemon links
	rm -f "$STORE_DIR"/links.db "$STORE_DIR"/links.db-wal "$STORE_DIR"/links.db-shm
	cp "$STORE_DIR/pristine.db" "$STORE_DIR/links.db" || return 1
	start_links
}

# store_dir: a folder on a disk file system for the store
store_dir() {
	if [ "$(stat -f -c %T /tmp 2>/dev/null)" = tmpfs ]; then
		STORE_DIR=$(mktemp -d "$abs_builddir/bench-store.XXXXXX") || return 1
		STORE_CLEAN=$STORE_DIR
	else
		STORE_DIR=$W/store
		mkdir -p "$STORE_DIR"
	fi
	STORE_FS=$(df -T "$STORE_DIR" | awk 'NR == 2 { print $2 " on " $1 }')
}

# setup_store: links.conf, an initialised store with the customers
setup_store() {
	LINKS_CONF=$STORE_DIR/links.conf
	cat > "$LINKS_CONF" <<EOF
# links.conf for the benchmark
store_path = $STORE_DIR/links.db
key_file = $STORE_DIR/master.key
socket = unix:$LINKS_SOCK
socket_mode = 0666
pid_file = $W/links-milter.pid
log_level = warning
trusted_authserv_ids = mx.ilinks.asia
EOF
	if [ ! -x "$LINKS_MILTER" ] || [ ! -x "$LINKS_STORE" ]; then
		LINKS_WHY="links-milter or links-store is not built"
		return 1
	fi
	if ! "$LINKS_STORE" -c "$LINKS_CONF" init >"$W/store-init.log" 2>&1 \
	    || ! "$LINKS_STORE" -c "$LINKS_CONF" import "$W/gen/customers.csv" >"$W/store-import.log" 2>&1; then
		LINKS_WHY="links-store init/import failed: $(tail -2 "$W"/store-i*.log | tr '\n' ' ')"
		return 1
	fi
	"$BENCHSTORE" -c "$LINKS_CONF" tokens promotion < "$W/gen/customers.csv" \
		> "$W/gen/tokens.tsv" 2>>"$W/benchstore.log"
}

# setup_dkim: a key, the signer's and the verifier's configuration
setup_dkim() {
	local d=$W/dkim pub
	if ! command -v opendkim >/dev/null || ! command -v opendkim-genkey >/dev/null; then
		DKIM_WHY="opendkim is not installed"
		return 1
	fi
	mkdir -p "$d"
	if ! opendkim-genkey -b 2048 -d bench.invalid -s s1 -D "$d" 2>"$d/genkey.log"; then
		DKIM_WHY="opendkim-genkey failed: $(head -1 "$d/genkey.log")"
		return 1
	fi
	pub=$(tr -d '\n\t"()' < "$d/s1.txt" | sed 's/.*IN *TXT *//; s/ *;[ -]*DKIM key.*//; s/  */ /g')
	# one key for every signing domain, % = the From domain
	echo "signkey %:s1:$d/s1.private" > "$d/keytable"
	sed 's/^/*@/; s/$/ signkey/' "$W/gen/dkim-domains" > "$d/signingtable"
	sed "s|^|s1._domainkey.|; s|\$| $pub|" "$W/gen/dkim-domains" > "$d/dns"
	cat > "$d/sign.conf" <<EOF
Mode			s
Socket			local:$SIGN_SOCK
Background		no
Syslog			no
UMask			000
PidFile			$d/sign.pid
KeyTable		file:$d/keytable
SigningTable		refile:$d/signingtable
Canonicalization	relaxed/relaxed
InternalHosts		127.0.0.1
OversignHeaders		From
RequireSafeKeys		no
EOF
	cat > "$d/verify.conf" <<EOF
Mode			v
Socket			local:$DKIM_SOCK
Background		no
Syslog			no
UMask			000
PidFile			$d/verify.pid
TestDNSData		file:$d/dns
On-BadSignature		accept
On-KeyNotFound		accept
On-Default		accept
AlwaysAddARHeader	yes
EOF
	return 0
}

# sign_corpora: $W/corpus/C = $W/gen/C signed by OpenDKIM (signing mode)
sign_corpora() {
	local c n out
	start_daemon sign "$SIGN_SOCK" opendkim -f -x "$W/dkim/sign.conf" || return 1
	for c in $CORPORA; do
		n=$(ls "$W/gen/$c" | grep -c '\.eml$')
		out=$("$MILTERLOAD" -q -c 4 -n "$n" -x accept -C "localhost [127.0.0.1]" -T 60 \
			-d "$W/gen/$c" -o "$W/corpus/$c" "unix:$SIGN_SOCK" 2>>"$W/sign.err") || {
			DKIM_WHY="signing $c failed: $(head -2 "$W/sign.err" | tr '\n' ' ')"
			stop_daemon sign
			return 1
		}
		cp "$W/gen/$c/MANIFEST" "$W/gen/$c"/expect.* "$W/gen/$c/consent.expect" "$W/corpus/$c/"
		# the sender's signature below our MX's Authentication-Results and Received
		python3 "$abs_srcdir/gen-mail.py" dkim-below "$W/corpus/$c" >> "$W/sign.err" 2>&1
		echo "$c $(field insheader "$out")" >> "$W/signed.count"
	done
	stop_daemon sign
	return 0
}

# corpus_stats C: "messages avg_bytes classes" of corpus C
corpus_stats() {
	local d=$CORPUS/$1
	ls "$d" | grep '\.eml$' | awk -F- '{ c[$2]++ } END { for (k in c) printf "%s %d, ", k, c[k] }' \
		| sed 's/, $//' > "$W/classes.$1"
	echo "$(ls "$d" | grep -c '\.eml$') $(cat "$d"/*.eml | wc -c)" |
		awk -v cl="$(cat "$W/classes.$1")" '{ printf "%d messages, %.1f KB on average (%s)\n", $1, $2 / $1 / 1024, cl }'
}

setup_all() {
	local c
	command -v python3 >/dev/null || { log "python3 is needed (scripts/install-deps)"; return 1; }
	log "setup: $CUSTOMERS customers, corpora at scale $SCALE"
	mkdir -p "$W/gen" "$W/corpus"
	store_dir || return 1
	python3 "$abs_srcdir/gen-mail.py" customers "$W/gen" --customers "$CUSTOMERS" >/dev/null || return 1
	: > "$W/gen/tokens.tsv"
	setup_store && LINKS_OK=1
	python3 "$abs_srcdir/gen-mail.py" corpus "$W/gen" --customers "$CUSTOMERS" --scale "$SCALE" \
		--tokens "$W/gen/tokens.tsv" --templates "$abs_top_srcdir/config/templates" \
		--footer "$abs_top_srcdir/config/footer.h" > "$W/gen.log" 2>&1 || {
		log "gen-mail.py failed: $(cat "$W/gen.log")"
		return 1
	}
	if [ "$LINKS_OK" = 1 ]; then
		if "$BENCHSTORE" -c "$LINKS_CONF" msglog < "$W/gen/msglog.tsv" 2>>"$W/benchstore.log"; then
			cp "$STORE_DIR/links.db" "$STORE_DIR/pristine.db"
		else
			LINKS_OK=0
			LINKS_WHY="benchstore msglog failed: $(tail -1 "$W/benchstore.log")"
		fi
	fi
	CORPUS=$W/gen
	if setup_dkim && sign_corpora; then
		DKIM_OK=1
		CORPUS=$W/corpus
	else
		log "OpenDKIM: $DKIM_WHY (corpora left unsigned)"
	fi
	for c in $CORPORA; do
		echo "$c: $(corpus_stats "$c")" >> "$W/corpus.stats"
	done
	if [ "$LINKS_OK" = 1 ] && [ "${BENCH_PG:-1}" = 1 ]; then
		setup_pg || log "PostgreSQL: $PG_WHY"
	fi
	log "corpora: $(tr '\n' ';' < "$W/corpus.stats")"
	return 0
}

# ---- PostgreSQL (issue 16): the same store on a private cluster ----
#
# When the tree has the PostgreSQL backend (store_backend = postgresql
# in config/conf_options.def) and the server programs are installed,
# setup_pg starts a private cluster (initdb + pg_ctl as an unprivileged
# user, no TCP listener, its data folder on the store's disk, fsync and
# synchronous_commit on), initialises the same store there with the
# same key (so the corpus's tokens hold), and keeps a template copy;
# links_fresh_pg restarts links-milter (daemon "linkspg") on a database
# made again from that template.
PG_OK=0
PG_WHY="not run"
PGLINKS_SOCK=$W/linkspg.sock

# pg_bin: the folder of initdb, pg_ctl and postgres
pg_bin() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) \
	    "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")"; do
		if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}
pg_as() { runuser -u "$PG_OSUSER" -- "$@"; }
pg_psql() { psql -X -q -v ON_ERROR_STOP=1 "$PG_CONNINFO dbname=postgres"; }
pg_stop() {
	[ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 30 -m fast stop >/dev/null 2>&1
}

setup_pg() {
	grep -q postgresql "$abs_top_srcdir/config/conf_options.def" 2>/dev/null \
		|| { PG_WHY="this tree has no PostgreSQL backend yet"; return 1; }
	PG_BIN=$(pg_bin) && command -v psql >/dev/null \
		|| { PG_WHY="PostgreSQL's server programs or psql are not installed"; return 1; }
	if id postgres >/dev/null 2>&1; then PG_OSUSER=postgres; else PG_OSUSER=nobody; fi
	PG_DATA=$STORE_DIR/pg
	PG_SOCK=$W/pgsock
	PG_PORT=$(free_port)
	PG_LOG=$W/pglog/postgresql.log
	mkdir -p "$PG_DATA" "$PG_SOCK" "$W/pglog"
	chown "$PG_OSUSER" "$PG_DATA" "$PG_SOCK" "$W/pglog"
	chmod 700 "$PG_DATA"
	pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U links -A trust -E UTF8 --no-locale \
		> "$W/initdb.log" 2>&1 || { PG_WHY="initdb failed: $(tail -1 "$W/initdb.log")"; return 1; }
	cat >> "$PG_DATA/postgresql.conf" <<EOF2
listen_addresses = ''
unix_socket_directories = '$PG_SOCK'
port = $PG_PORT
fsync = on
synchronous_commit = on
max_connections = 200
shared_buffers = 128MB
logging_collector = off
EOF2
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$PG_LOG" start >/dev/null 2>&1 \
		|| { PG_WHY="PostgreSQL did not start: $(tail -1 "$PG_LOG" 2>/dev/null)"; return 1; }
	PG_STARTED=1
	PG_CONNINFO="host=$PG_SOCK port=$PG_PORT user=links"
	printf 'CREATE DATABASE links;\n' | pg_psql || { PG_WHY="CREATE DATABASE failed"; return 1; }
	PGLINKS_CONF=$STORE_DIR/links-pg.conf
	sed -e "s|^socket = .*|socket = unix:$PGLINKS_SOCK|" -e "s|^pid_file = .*|pid_file = $W/linkspg.pid|" \
		"$LINKS_CONF" > "$PGLINKS_CONF"
	printf 'store_backend = postgresql\nstore_conninfo = %s dbname=links\n' "$PG_CONNINFO" >> "$PGLINKS_CONF"
	if ! "$LINKS_STORE" -c "$PGLINKS_CONF" init > "$W/pg-init.log" 2>&1 \
	    || ! "$LINKS_STORE" -c "$PGLINKS_CONF" import "$W/gen/customers.csv" >> "$W/pg-init.log" 2>&1 \
	    || ! "$BENCHSTORE" -c "$PGLINKS_CONF" msglog < "$W/gen/msglog.tsv" 2>> "$W/pg-init.log"; then
		PG_WHY="the store on PostgreSQL could not be set up: $(tail -2 "$W/pg-init.log" | tr '\n' ' ')"
		return 1
	fi
	printf 'CREATE DATABASE links_pristine TEMPLATE links;\n' | pg_psql \
		|| { PG_WHY="CREATE DATABASE ... TEMPLATE failed"; return 1; }
	PG_OK=1
	PG_WHY=""
	return 0
}

# shellcheck disable=SC2086
start_linkspg() { start_daemon linkspg "$PGLINKS_SOCK" ${PROFILE_WRAP:-} "$LINKS_MILTER" -f -e -c "$PGLINKS_CONF"; }

# links_fresh_pg: links-milter on PostgreSQL, its database made again from the template
links_fresh_pg() {
	stop_daemon linkspg
	printf 'DROP DATABASE IF EXISTS links WITH (FORCE);\nCREATE DATABASE links TEMPLATE links_pristine;\n' \
		| pg_psql >> "$W/pg-reset.log" 2>&1 || return 1
	start_linkspg
}
