#!/usr/bin/env python3
# NAME
#	sasl-peer.py - a Dovecot-protocol SASL authentication peer for Postfix tests
# SYNOPSIS
#	sasl-peer.py SOCKET USER PASSWORD
# DESCRIPTION
#	Listens on the unix socket SOCKET (mode 0666) and speaks the server
#	side of the Dovecot authentication protocol (version 1.2) that
#	Postfix's own SASL client (smtpd_sasl_type = dovecot) uses: it offers
#	PLAIN and LOGIN and accepts exactly USER with PASSWORD. Postfix does
#	everything else (AUTH in SMTP, {auth_authen} to milters) itself.
#	Debian's Postfix reads Cyrus SASL settings only from /etc/postfix/sasl,
#	which a test must not touch; this peer keeps the instance private.
#	Runs until killed.
import base64
import os
import socket
import sys
import threading


def serve(conn, user, password):
    f = conn.makefile("rwb", buffering=0)
    f.write(b"VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nMECH\tLOGIN\tplaintext\n"
            b"SPID\t%d\nCUID\t1\nCOOKIE\t%s\nDONE\n" % (os.getpid(), b"0" * 32))
    pending = {}
    for raw in f:
        parts = raw.rstrip(b"\n").decode("utf-8", "replace").split("\t")
        if parts[0] == "AUTH" and len(parts) >= 3:
            rid, mech = parts[1], parts[2].upper()
            resp = next((p[5:] for p in parts[3:] if p.startswith("resp=")), None)
            pending[rid] = [mech, []]
            if resp is None or mech == "LOGIN":
                step(f, rid, pending, resp)
                continue
            finish(f, rid, pending, [resp], user, password)
        elif parts[0] == "CONT" and len(parts) >= 3 and parts[1] in pending:
            rid = parts[1]
            pending[rid][1].append(parts[2])
            mech = pending[rid][0]
            if mech == "LOGIN" and len(pending[rid][1]) < 2:
                f.write(b"CONT\t%s\t%s\n" % (rid.encode(), base64.b64encode(b"Password:")))
                continue
            finish(f, rid, pending, pending[rid][1], user, password)


def step(f, rid, pending, resp):
    mech = pending[rid][0]
    if mech == "LOGIN":
        if resp:
            pending[rid][1].append(resp)
            f.write(b"CONT\t%s\t%s\n" % (rid.encode(), base64.b64encode(b"Password:")))
        else:
            f.write(b"CONT\t%s\t%s\n" % (rid.encode(), base64.b64encode(b"Username:")))
    else:
        f.write(b"CONT\t%s\t\n" % rid.encode())


def finish(f, rid, pending, resps, user, password):
    mech = pending.pop(rid)[0]
    try:
        if mech == "PLAIN":
            fields = base64.b64decode(resps[0]).split(b"\0")
            got_user, got_pass = fields[-2].decode(), fields[-1].decode()
        else:
            got_user = base64.b64decode(resps[0]).decode()
            got_pass = base64.b64decode(resps[1]).decode()
    except Exception:
        got_user, got_pass = "", None
    if got_user == user and got_pass == password:
        f.write(b"OK\t%s\tuser=%s\n" % (rid.encode(), user.encode()))
    else:
        f.write(b"FAIL\t%s\tuser=%s\n" % (rid.encode(), got_user.encode()))


def main():
    path, user, password = sys.argv[1:4]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    os.chmod(path, 0o666)
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, user, password), daemon=True).start()


if __name__ == "__main__":
    main()
