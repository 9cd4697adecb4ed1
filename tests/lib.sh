# NAME
#	lib.sh - shared shell helpers for the links-mail tests
# SYNOPSIS
#	. "$top_srcdir/tests/lib.sh"
# DESCRIPTION
#	Source this from a test script run by `make check` (top_srcdir and
#	top_builddir are exported by tests/Makefile.am; when they are not
#	set, they are guessed from the script's location). Every helper
#	that starts something registers its own cleanup; lt_init installs
#	one EXIT/INT/TERM trap that runs all cleanups in reverse order, so
#	a failing test leaves no process, Postfix instance or directory
#	behind. Helpers print diagnostics to stderr and never use personal
#	data beyond the test's own fixtures.
#
#	lt_init NAME
#		Start a test: sets LT_NAME, creates the private work directory
#		LT_TMP (mode 0755, so Postfix's users can traverse it) and
#		installs the trap. Call it first.
#	lt_cleanup_add COMMAND
#		Run COMMAND (a string for eval) at exit, before earlier ones.
#	lt_skip MESSAGE
#		Print "SKIP: MESSAGE" and exit 77 (automake's skip). Use it
#		only when a tool is truly absent.
#	lt_need_tool NAME...
#		Skip unless every NAME is found in PATH (or /usr/sbin).
#	lt_need_root
#		Skip unless running as root (a private Postfix needs root).
#	lt_fail MESSAGE
#		Print "FAIL: MESSAGE" and exit 1.
#	lt_ok MESSAGE
#		Print "ok - MESSAGE" (progress in the test log).
#	lt_wait_for SECONDS COMMAND...
#		Run COMMAND every 0.1 s until it succeeds; return 1 when
#		SECONDS pass first.
#	lt_free_port
#		Print a TCP port in 20000-40000 that nothing listens on
#		(checked with ss, falling back to /proc/net/tcp).
#	lt_write_conf FILE [NAME=VALUE...]
#		Write a links.conf for a test: store_path and key_file in
#		LT_TMP/store, socket unix:LT_TMP/milter.sock, pid_file in
#		LT_TMP, syslog-free settings; each NAME=VALUE is appended
#		(later lines win for single-valued options).
#	lt_store_init CONF
#		Create the store of CONF with links-store init (key file and
#		database), owned by LT_STORE_OWNER when that is set.
#	lt_milter_start CONF [ARGS...]
#		Start links-milter -f -e -c CONF ARGS in the background, its
#		stderr in LT_TMP/milter.log; wait until its unix socket (from
#		CONF's socket option, or LT_MILTER_SOCKET) exists; sets
#		LT_MILTER_PID. Registers lt_milter_stop.
#	lt_milter_stop
#		SIGTERM the milter started above and wait (10 s at most, then
#		SIGKILL). Returns the milter's exit status.
#	lt_milter_log_clean
#		Fail when LT_TMP/milter.log holds a sanitizer report
#		(AddressSanitizer, LeakSanitizer, UBSan "runtime error").
#	lt_postfix_start DIR PORT MILTER
#		Create and start a private Postfix instance in DIR (see
#		/work/shared/design/postfix-test-instance.md): config in
#		DIR/etc, queue DIR/spool, log DIR/maillog, listening on
#		127.0.0.1:PORT, delivering noreply@, support@ and
#		archive@ilinks.asia (and anything in LT_PF_EXTRA_MAILBOXES,
#		"addr=dir/" items separated by ", ") to Maildirs under DIR/mail,
#		with smtpd_milters = MILTER (e.g. unix:/path) and
#		milter_default_action = tempfail. Sets LT_PF_DIR. Registers
#		lt_postfix_stop.
#	lt_pf_prepare DIR PORT HOSTNAME / lt_pf_boot DIR PORT WHAT
#		The parts both kinds of instance share (directories,
#		master.cf, the head of main.cf; check, start, wait).
#	lt_postfix_stop
#		Stop the instance (postfix -c DIR/etc stop), idempotent.
#	lt_postfix_flush
#		postqueue -c DIR/etc -f: retry deferred mail now.
#	lt_postfix_queue_count
#		Print the number of messages in the instance's queue.
#	lt_maildir_count MAILBOX
#		Print the number of delivered messages in DIR/mail/MAILBOX/new.
#	lt_wait_maildir MAILBOX COUNT SECONDS
#		Wait until MAILBOX has at least COUNT messages.
#	lt_swaks ARGS...
#		swaks with a time-out, quiet unless LT_VERBOSE is set.
#	lt_store_lock DB
#		Hold SQLite's write lock on DB (BEGIN EXCLUSIVE in a sqlite3
#		process fed through a FIFO) until lt_store_unlock: writers wait
#		store_busy_timeout and then fail, as with a stuck writer.
#		Runs as LT_STORE_USER when set (so SQLite's -wal/-shm files
#		keep the owner the milter runs as). Registers lt_store_unlock.
#	lt_store_unlock
#		COMMIT and end the sqlite3 process started by lt_store_lock.
#	lt_postfix_relay_start DIR PORT NEXTHOP_PORT
#		Start a second private instance in DIR listening on PORT with
#		no milter that relays ilinks.asia mail to 127.0.0.1:NEXTHOP_PORT
#		(an edge MTA in front of the milter host: a 4xx from the milter
#		host leaves the message in this instance's queue). Sets
#		LT_PF_RELAY_DIR. Registers lt_postfix_relay_stop.
#	lt_web_start CONF [ARGS...]
#		Start links-web -f -e -c CONF ARGS in the background, its
#		stderr in LT_TMP/web.log; wait until it listens on the port
#		of CONF's web_listen (the last such line); sets LT_WEB_PID and
#		LT_WEB_URL (http://HOST:PORT). Registers lt_web_stop.
#	lt_web_stop
#		SIGTERM links-web and wait (10 s at most, then SIGKILL).
#		Returns its exit status.
#	lt_term_wait NAME PID
#		SIGTERM the child PID and wait for it (10 s at most, then
#		SIGKILL, saying NAME did not stop). Returns its exit status.
#	lt_customer_id CONF EMAIL
#		Print the store id of the customer EMAIL.
#	lt_pg_start
#		Start a private PostgreSQL cluster for this test: initdb in
#		LT_TMP/pg (as the unprivileged user LT_PG_OSUSER: "postgres"
#		when it exists, else "nobody", when the test runs as root),
#		superuser role "links", trust authentication, no TCP listener
#		(listen_addresses = ''), its Unix socket in LT_TMP/pgsock on a
#		free port number. Sets LT_PG_BIN, LT_PG_DATA, LT_PG_SOCKDIR,
#		LT_PG_PORT and LT_PG_CONNINFO ("host=... port=... user=links").
#		Skips when the server programs (initdb, pg_ctl: $PG_CTL or
#		/usr/lib/postgresql/*/bin) are absent. Registers lt_pg_stop.
#	lt_pg_stop
#		Stop that cluster (pg_ctl stop -m fast), idempotent.
#	lt_pg_standby_start
#		A streaming standby of that cluster (pg_basebackup -R) in
#		LT_TMP/pg2 on its own port; sets LT_PG2_DATA, LT_PG2_PORT and
#		LT_PG_FAILOVER ("host=S,S port=P1,P2 user=links
#		target_session_attrs=read-write"). Registers its stop.
#	lt_pg_promote
#		Fail over: stop the primary (fast), promote the standby and
#		wait until it accepts writes.
#	lt_pg_ctl ARGS...
#		pg_ctl -D LT_PG_DATA ARGS, as the cluster's owner.
#	lt_pg_psql [DBNAME] < SQL
#		psql on the private cluster (default database postgres).
#	lt_pg_createdb NAME
#		A fresh database NAME on the cluster (dropped first).
#	lt_store_conf_backend CONF
#		When LINKS_TEST_PG_CONNINFO is set (a run on PostgreSQL, see
#		store-pg.sh), make a fresh database and append
#		store_backend = postgresql and its store_conninfo to CONF;
#		otherwise do nothing (SQLite). Sets LT_BACKEND (sqlite or
#		postgresql).
# ENVIRONMENT
#	top_srcdir, top_builddir	set by make check
#	LINKS_MILTER, LINKS_STORE	programs (default: the build tree's)
#	LINKS_WEB			links-web (default: the build tree's)
#	LT_KEEP				keep LT_TMP after the test (debugging)
#	LT_VERBOSE			show the output of swaks
#	TMPDIR				where LT_TMP is made (default /tmp)

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${LINKS_MILTER:=$top_builddir/milter/links-milter}"
: "${LINKS_STORE:=$top_builddir/store/links-store}"
: "${LINKS_WEB:=$top_builddir/web/links-web}"

LT_CLEANUPS=""
LT_TMP=""
LT_MILTER_PID=""
LT_PF_DIR=""

lt_cleanup_add() {
	LT_CLEANUPS="$1
$LT_CLEANUPS"
}

lt_run_cleanups() {
	lt_status=$?
	trap - EXIT INT TERM
	printf '%s\n' "$LT_CLEANUPS" | while IFS= read -r lt_cmd; do
		[ -n "$lt_cmd" ] && eval "$lt_cmd" >/dev/null 2>&1
	done
	if [ -n "$LT_TMP" ] && [ -d "$LT_TMP" ]; then
		if [ -n "${LT_KEEP:-}" ] || { [ "$lt_status" -ne 0 ] && [ "$lt_status" -ne 77 ] && [ -n "${LT_KEEP_ON_FAIL:-}" ]; }; then
			echo "kept $LT_TMP" >&2
		else
			rm -rf "$LT_TMP"
		fi
	fi
	exit "$lt_status"
}

lt_init() {
	LT_NAME=$1
	LT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/links-$LT_NAME.XXXXXX") || exit 99
	chmod 755 "$LT_TMP"
	trap lt_run_cleanups EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

lt_skip() {
	echo "SKIP: $*"
	exit 77
}

lt_fail() {
	echo "FAIL: $*" >&2
	if [ -n "$LT_TMP" ] && [ -f "$LT_TMP/milter.log" ]; then
		echo "--- milter.log (last 30 lines)" >&2
		tail -n 30 "$LT_TMP/milter.log" >&2
	fi
	if [ -n "$LT_TMP" ] && [ -f "$LT_TMP/web.log" ]; then
		echo "--- web.log (last 30 lines)" >&2
		tail -n 30 "$LT_TMP/web.log" >&2
	fi
	if [ -n "$LT_PF_DIR" ] && [ -f "$LT_PF_DIR/maillog" ]; then
		echo "--- maillog (last 30 lines)" >&2
		tail -n 30 "$LT_PF_DIR/maillog" >&2
	fi
	# once more, last: a log's tail shows it
	echo "FAIL: $*" >&2
	exit 1
}

lt_ok() {
	echo "ok - $*"
}

lt_need_tool() {
	for lt_t in "$@"; do
		command -v "$lt_t" >/dev/null 2>&1 || [ -x "/usr/sbin/$lt_t" ] \
			|| lt_skip "$lt_t is not installed"
	done
}

lt_need_root() {
	[ "$(id -u)" -eq 0 ] || lt_skip "needs root (a private Postfix instance)"
}

lt_wait_for() {
	lt_secs=$1
	shift
	lt_n=$((lt_secs * 10))
	while [ "$lt_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		lt_n=$((lt_n - 1))
	done
	return 1
}

lt_port_busy() {
	if command -v ss >/dev/null 2>&1; then
		ss -Htln "sport = :$1" 2>/dev/null | grep -q .
	else
		lt_hex=$(printf '%04X' "$1")
		grep -qi ":$lt_hex 00000000:0000 0A" /proc/net/tcp 2>/dev/null
	fi
}

lt_free_port() {
	lt_tries=0
	while [ "$lt_tries" -lt 200 ]; do
		lt_p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
		if ! lt_port_busy "$lt_p"; then
			echo "$lt_p"
			return 0
		fi
		lt_tries=$((lt_tries + 1))
	done
	return 1
}

lt_write_conf() {
	lt_conf=$1
	shift
	mkdir -p "$LT_TMP/store"
	{
		echo "# written by tests/lib.sh for $LT_NAME"
		echo "store_path = $LT_TMP/store/links.db"
		echo "key_file = $LT_TMP/store/master.key"
		echo "socket = unix:${LT_MILTER_SOCKET:-$LT_TMP/milter.sock}"
		echo "socket_mode = 0666"
		echo "pid_file = $LT_TMP/links-milter.pid"
		echo "log_level = debug"
		echo "store_busy_timeout = 2000"
		for lt_kv in "$@"; do
			lt_k=${lt_kv%%=*}
			lt_v=${lt_kv#*=}
			echo "$lt_k = $lt_v"
		done
	} > "$lt_conf"
}

lt_store_init() {
	"$LINKS_STORE" -c "$1" init || lt_fail "links-store init failed"
	if [ -n "${LT_STORE_OWNER:-}" ]; then
		chown -R "$LT_STORE_OWNER" "$LT_TMP/store"
	fi
}

lt_conf_socket_path() {
	sed -n 's/^socket *= *unix://p' "$1" | tail -n 1
}

lt_milter_start() {
	lt_mconf=$1
	shift
	lt_sock=${LT_MILTER_SOCKET:-$(lt_conf_socket_path "$lt_mconf")}
	"$LINKS_MILTER" -f -e -c "$lt_mconf" "$@" >>"$LT_TMP/milter.log" 2>&1 &
	LT_MILTER_PID=$!
	lt_cleanup_add "lt_milter_stop"
	if ! lt_wait_for 20 test -S "$lt_sock"; then
		lt_fail "links-milter did not create its socket $lt_sock"
	fi
	kill -0 "$LT_MILTER_PID" 2>/dev/null || lt_fail "links-milter exited at start"
}

lt_milter_stop() {
	[ -n "$LT_MILTER_PID" ] || return 0
	lt_pid=$LT_MILTER_PID
	LT_MILTER_PID=""
	lt_term_wait links-milter "$lt_pid"
}

# lt_term_wait NAME PID: SIGTERM a child of this shell, wait 10 s at most
# (then SIGKILL, saying so); returns its exit status.
lt_term_wait() {
	kill -TERM "$2" 2>/dev/null
	lt_n=100
	while [ "$lt_n" -gt 0 ] && kill -0 "$2" 2>/dev/null; do
		sleep 0.1
		lt_n=$((lt_n - 1))
	done
	if kill -0 "$2" 2>/dev/null; then
		echo "$1 did not stop on SIGTERM; killing it" >&2
		kill -KILL "$2" 2>/dev/null
	fi
	wait "$2" 2>/dev/null
}

lt_milter_log_clean() {
	if grep -Eq "Sanitizer|runtime error:" "$LT_TMP/milter.log" 2>/dev/null; then
		grep -E -A 20 "Sanitizer|runtime error:" "$LT_TMP/milter.log" | head -n 40 >&2
		lt_fail "sanitizer report in milter.log"
	fi
}

# lt_pf_prepare DIR PORT HOSTNAME: the part every private instance shares:
# its directories, master.cf with one smtpd on 127.0.0.1:PORT, and the
# head of main.cf (queue, log, loopback only). Callers append the rest.
lt_pf_prepare() {
	mkdir -p "$1/etc" "$1/spool" "$1/data"
	chmod 755 "$1"
	chown postfix "$1/data"
	cp /etc/postfix/master.cf "$1/etc/master.cf"
	sed -i "s/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:$2 inet n - n - - smtpd/" "$1/etc/master.cf"
	grep -q "^127.0.0.1:$2 inet" "$1/etc/master.cf" \
		|| lt_fail "could not set the smtpd line in $1/etc/master.cf"
	cat > "$1/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $1/spool
data_directory = $1/data
maillog_file = $1/maillog
maillog_file_prefixes = $1
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = $3
mydestination =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 3600s
CF
}

# lt_pf_boot DIR PORT WHAT: check and start the instance, wait for PORT.
lt_pf_boot() {
	postfix -c "$1/etc" check || lt_fail "postfix check failed for $1/etc"
	# On a loaded machine "postfix start" can give up waiting for master
	# while master still comes up: trust "postfix status", retry once.
	if ! postfix -c "$1/etc" start >"$1/start.log" 2>&1 \
		&& ! lt_wait_for 10 postfix -c "$1/etc" status; then
		sleep 2
		postfix -c "$1/etc" start >>"$1/start.log" 2>&1 \
			|| lt_fail "$3 postfix start failed: $(cat "$1/start.log" "$1/maillog" 2>/dev/null | tail -n 3 | tr '\n' ' ')"
	fi
	lt_wait_for 20 lt_port_busy "$2" || lt_fail "$3 does not listen on $2"
}

lt_postfix_start() {
	lt_d=$1
	lt_port=$2
	lt_milter=$3
	lt_pf_prepare "$lt_d" "$lt_port" mx.test.invalid
	# optional: more master.cf services (e.g. a submission-style listener)
	[ -n "${LT_PF_EXTRA_MASTER:-}" ] && printf '%s\n' "$LT_PF_EXTRA_MASTER" >> "$lt_d/etc/master.cf"
	mkdir -p "$lt_d/mail"
	chown nobody "$lt_d/mail"
	lt_boxes="noreply@ilinks.asia=noreply/, support@ilinks.asia=support/, archive@ilinks.asia=archive/, staff@ilinks.asia=staff/"
	[ -n "${LT_PF_EXTRA_MAILBOXES:-}" ] && lt_boxes="$lt_boxes, $LT_PF_EXTRA_MAILBOXES"
	cat >> "$lt_d/etc/main.cf" <<CF
virtual_mailbox_domains = ilinks.asia
virtual_mailbox_base = $lt_d/mail
virtual_mailbox_maps = inline:{ $lt_boxes }
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
smtpd_milters = $lt_milter
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 10s
milter_command_timeout = 30s
milter_content_timeout = 60s
smtpd_client_connection_count_limit = 100
default_process_limit = 50
CF
	# optional: more main.cf settings (later lines override earlier ones)
	[ -n "${LT_PF_EXTRA_MAIN:-}" ] && printf '%s\n' "$LT_PF_EXTRA_MAIN" >> "$lt_d/etc/main.cf"
	lt_pf_boot "$lt_d" "$lt_port" "the instance"
	LT_PF_DIR=$lt_d
	lt_cleanup_add "lt_postfix_stop"
}

lt_postfix_stop() {
	[ -n "$LT_PF_DIR" ] || return 0
	postfix -c "$LT_PF_DIR/etc" stop >/dev/null 2>&1
	lt_n=100
	while [ "$lt_n" -gt 0 ] && [ -f "$LT_PF_DIR/data/master.lock" ] \
		&& postfix -c "$LT_PF_DIR/etc" status >/dev/null 2>&1; do
		sleep 0.1
		lt_n=$((lt_n - 1))
	done
	LT_PF_DIR=""
}

lt_postfix_flush() {
	postqueue -c "$LT_PF_DIR/etc" -f
}

lt_postfix_queue_count() {
	find "$LT_PF_DIR/spool/incoming" "$LT_PF_DIR/spool/active" \
		"$LT_PF_DIR/spool/deferred" "$LT_PF_DIR/spool/hold" \
		"$LT_PF_DIR/spool/maildrop" -type f 2>/dev/null | wc -l | tr -d ' '
}

lt_maildir_count() {
	find "$LT_PF_DIR/mail/$1/new" -type f 2>/dev/null | wc -l | tr -d ' '
}

lt_maildir_at_least() {
	[ "$(lt_maildir_count "$1")" -ge "$2" ]
}

lt_wait_maildir() {
	lt_wait_for "$3" lt_maildir_at_least "$1" "$2"
}

lt_swaks() {
	if [ -n "${LT_VERBOSE:-}" ]; then
		timeout 60 swaks --timeout 30 "$@"
	else
		timeout 60 swaks --timeout 30 "$@" >"$LT_TMP/swaks.last" 2>&1
	fi
}

LT_LOCK_PID=""

lt_store_lock() {
	command -v sqlite3 >/dev/null 2>&1 || lt_skip "sqlite3 is not installed"
	rm -f "$LT_TMP/lock.fifo" "$LT_TMP/lock.out"
	mkfifo "$LT_TMP/lock.fifo" || lt_fail "mkfifo"
	if [ -n "${LT_STORE_USER:-}" ]; then
		runuser -u "$LT_STORE_USER" -- sqlite3 "$1" <"$LT_TMP/lock.fifo" >"$LT_TMP/lock.out" 2>&1 &
	else
		sqlite3 "$1" <"$LT_TMP/lock.fifo" >"$LT_TMP/lock.out" 2>&1 &
	fi
	LT_LOCK_PID=$!
	exec 9>"$LT_TMP/lock.fifo"
	lt_cleanup_add "lt_store_unlock"
	printf '.timeout 10000\nBEGIN EXCLUSIVE;\n.print locked\n' >&9
	lt_wait_for 15 grep -q locked "$LT_TMP/lock.out" || lt_fail "could not lock $1: $(cat "$LT_TMP/lock.out")"
}

lt_store_unlock() {
	[ -n "$LT_LOCK_PID" ] || return 0
	printf 'COMMIT;\n.quit\n' >&9 2>/dev/null
	exec 9>&-
	wait "$LT_LOCK_PID" 2>/dev/null
	LT_LOCK_PID=""
}

LT_PF_RELAY_DIR=""

lt_postfix_relay_start() {
	lt_rd=$1
	lt_rport=$2
	lt_next=$3
	lt_pf_prepare "$lt_rd" "$lt_rport" edge.test.invalid
	cat >> "$lt_rd/etc/main.cf" <<CF
relay_domains = ilinks.asia
transport_maps = inline:{ ilinks.asia=smtp:[127.0.0.1]:$lt_next }
smtp_tls_security_level = none
CF
	lt_pf_boot "$lt_rd" "$lt_rport" "the relay"
	LT_PF_RELAY_DIR=$lt_rd
	lt_cleanup_add "lt_postfix_relay_stop"
}

lt_postfix_relay_stop() {
	[ -n "$LT_PF_RELAY_DIR" ] || return 0
	postfix -c "$LT_PF_RELAY_DIR/etc" stop >/dev/null 2>&1
	LT_PF_RELAY_DIR=""
}

LT_WEB_PID=""
LT_WEB_URL=""

lt_web_start() {
	lt_wconf=$1
	shift
	lt_wlisten=$(sed -n 's/^web_listen *= *//p' "$lt_wconf" | tail -n 1)
	lt_wport=${lt_wlisten##*:}
	"$LINKS_WEB" -f -e -c "$lt_wconf" "$@" >>"$LT_TMP/web.log" 2>&1 &
	LT_WEB_PID=$!
	LT_WEB_URL="http://$lt_wlisten"
	lt_cleanup_add "lt_web_stop"
	if ! lt_wait_for 20 lt_port_busy "$lt_wport"; then
		tail -n 20 "$LT_TMP/web.log" >&2
		lt_fail "links-web does not listen on $lt_wlisten"
	fi
	kill -0 "$LT_WEB_PID" 2>/dev/null || lt_fail "links-web exited at start"
}

lt_web_stop() {
	[ -n "$LT_WEB_PID" ] || return 0
	lt_pid=$LT_WEB_PID
	LT_WEB_PID=""
	lt_term_wait links-web "$lt_pid"
}

lt_customer_id() {
	"$LINKS_STORE" -c "$1" customer show "$2" | sed -n 's/^id: *//p'
}

lt_pg_find_bin() {
	for lt_d in "$(dirname "${PG_CTL:-/nonexistent/pg_ctl}")" \
	    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) \
	    "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")"; do
		if [ -x "$lt_d/pg_ctl" ] && [ -x "$lt_d/initdb" ] && [ -x "$lt_d/postgres" ]; then
			echo "$lt_d"
			return 0
		fi
	done
	return 1
}

lt_pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$LT_PG_OSUSER" -- "$@"
	else
		"$@"
	fi
}

lt_pg_ctl() {
	lt_pg_as "$LT_PG_BIN/pg_ctl" -D "$LT_PG_DATA" "$@"
}

lt_pg_start() {
	LT_PG_BIN=$(lt_pg_find_bin) || lt_skip "PostgreSQL server programs (initdb, pg_ctl) are not installed"
	command -v psql >/dev/null 2>&1 || lt_skip "psql is not installed"
	LT_PG_OSUSER=$(id -un)
	if [ "$(id -u)" -eq 0 ]; then
		if id postgres >/dev/null 2>&1; then LT_PG_OSUSER=postgres; else LT_PG_OSUSER=nobody; fi
	fi
	LT_PG_DATA=$LT_TMP/pg
	LT_PG_SOCKDIR=$LT_TMP/pgsock
	LT_PG_LOG=$LT_TMP/pglog/postgresql.log
	mkdir -p "$LT_PG_DATA" "$LT_PG_SOCKDIR" "$LT_TMP/pglog"
	chown "$LT_PG_OSUSER" "$LT_PG_DATA" "$LT_PG_SOCKDIR" "$LT_TMP/pglog" 2>/dev/null
	chmod 700 "$LT_PG_DATA"
	LT_PG_PORT=$(lt_free_port) || lt_fail "no free port for PostgreSQL"
	lt_pg_as "$LT_PG_BIN/initdb" -D "$LT_PG_DATA" -U links -A trust -E UTF8 --no-locale \
		>"$LT_TMP/initdb.log" 2>&1 || { cat "$LT_TMP/initdb.log" >&2; lt_fail "initdb failed"; }
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$LT_PG_SOCKDIR'"
		echo "port = $LT_PG_PORT"
		echo "fsync = on"
		echo "max_connections = 100"
		echo "shared_buffers = 16MB"
		echo "logging_collector = off"
	} >>"$LT_PG_DATA/postgresql.conf"
	lt_cleanup_add "lt_pg_stop"
	lt_pg_ctl -w -t 60 -l "$LT_PG_LOG" start >/dev/null 2>&1 \
		|| { tail -n 20 "$LT_PG_LOG" >&2; lt_fail "PostgreSQL did not start"; }
	LT_PG_CONNINFO="host=$LT_PG_SOCKDIR port=$LT_PG_PORT user=links"
	export LT_PG_CONNINFO
}

lt_pg_stop() {
	[ -n "${LT_PG_DATA:-}" ] && [ -f "$LT_PG_DATA/postmaster.pid" ] || return 0
	lt_pg_ctl -w -t 30 -m fast stop >/dev/null 2>&1 || lt_pg_ctl -m immediate stop >/dev/null 2>&1
	return 0
}

lt_pg_psql() {
	psql -X -q -v ON_ERROR_STOP=1 "$LT_PG_CONNINFO dbname=${1:-postgres}"
}

lt_pg_createdb() {
	printf 'SET client_min_messages = warning;\nDROP DATABASE IF EXISTS %s;\nCREATE DATABASE %s;\n' "$1" "$1" \
		| psql -X -q -v ON_ERROR_STOP=1 "${LINKS_TEST_PG_CONNINFO:-$LT_PG_CONNINFO} dbname=postgres" \
		|| lt_fail "cannot create database $1"
}

lt_store_conf_backend() {
	LT_BACKEND=sqlite
	[ -n "${LINKS_TEST_PG_CONNINFO:-}" ] || return 0
	LT_BACKEND=postgresql
	lt_db="lt_$(basename "$LT_TMP" | tr -c 'a-zA-Z0-9\n' _ | tr 'A-Z' 'a-z')"
	lt_pg_createdb "$lt_db"
	lt_cleanup_add "printf 'DROP DATABASE IF EXISTS $lt_db WITH (FORCE);\\n' | psql -X -q '$LINKS_TEST_PG_CONNINFO dbname=postgres'"
	printf 'store_backend = postgresql\nstore_conninfo = %s dbname=%s\n' \
		"$LINKS_TEST_PG_CONNINFO" "$lt_db" >>"$1"
}

lt_pg_standby_start() {
	LT_PG2_DATA=$LT_TMP/pg2
	LT_PG2_PORT=$(lt_free_port) || lt_fail "no free port for the standby"
	mkdir -p "$LT_PG2_DATA"
	chown "$LT_PG_OSUSER" "$LT_PG2_DATA" 2>/dev/null
	chmod 700 "$LT_PG2_DATA"
	lt_pg_as "$LT_PG_BIN/pg_basebackup" -D "$LT_PG2_DATA" -R -X stream -c fast \
		-h "$LT_PG_SOCKDIR" -p "$LT_PG_PORT" -U links >"$LT_TMP/basebackup.log" 2>&1 \
		|| { cat "$LT_TMP/basebackup.log" >&2; lt_fail "pg_basebackup failed"; }
	echo "port = $LT_PG2_PORT" >>"$LT_PG2_DATA/postgresql.conf"
	lt_cleanup_add "lt_pg_as \"\$LT_PG_BIN/pg_ctl\" -D \"$LT_PG2_DATA\" -m fast stop"
	lt_pg_as "$LT_PG_BIN/pg_ctl" -D "$LT_PG2_DATA" -w -t 60 -l "$LT_TMP/pglog/standby.log" \
		start >/dev/null 2>&1 || { tail -n 20 "$LT_TMP/pglog/standby.log" >&2;
		lt_fail "the standby did not start"; }
	LT_PG_FAILOVER="host=$LT_PG_SOCKDIR,$LT_PG_SOCKDIR port=$LT_PG_PORT,$LT_PG2_PORT user=links target_session_attrs=read-write"
}

lt_pg_promote() {
	# the standby must have replayed what the primary wrote (the test's
	# schema and rows) before the primary goes: wait for its replay LSN
	lt_pg_lsn=$(printf 'SELECT pg_current_wal_lsn();\n' | psql -X -A -t -q "$LT_PG_CONNINFO dbname=postgres") \
		|| return 1
	lt_wait_for 30 sh -c "[ \"\$(printf \"SELECT pg_last_wal_replay_lsn() >= '$lt_pg_lsn';\\n\" \
		| psql -X -A -t -q 'host=$LT_PG_SOCKDIR port=$LT_PG2_PORT user=links dbname=postgres')\" = t ]" \
		|| { echo "lt_pg_promote: the standby did not replay up to $lt_pg_lsn" >&2; return 1; }
	lt_pg_ctl -w -t 30 -m fast stop >/dev/null 2>&1 || return 1
	lt_pg_as "$LT_PG_BIN/pg_ctl" -D "$LT_PG2_DATA" -w -t 60 promote >/dev/null 2>&1
}
