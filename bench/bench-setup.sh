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

CORPORA="mix ordinary refusals questions auto"
NULL_SOCK=$W/null.sock
EOH_SOCK=$W/eoh.sock
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
	log "corpora: $(tr '\n' ';' < "$W/corpus.stats")"
	return 0
}
