#!/usr/bin/env python3
"""NAME
	smtp-step.py - one SMTP transaction, with a command run in the middle

SYNOPSIS
	smtp-step.py HOST PORT FROM TO MESSAGE_FILE [MID_COMMAND]

DESCRIPTION
	Sends MESSAGE_FILE (CRLF line ends added, dot-stuffed) from FROM to
	TO. When MID_COMMAND is given, the DATA phase stops after the header
	block and the first body line, MID_COMMAND runs (through /bin/sh),
	and the rest follows one second later: the SMTP server, and the
	milter behind it, are in the middle of the message when it runs.
	Behaves like a sending MTA: any 4xx keeps the message (exit 75,
	EX_TEMPFAIL), a 5xx is a refusal (exit 65), 250 after the final dot
	is success (exit 0). The reply that ended the transaction is
	printed on stdout as "CODE TEXT".
"""
import socket
import subprocess
import sys
import time

TIMEOUT = 120


def reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            raise ConnectionError("connection closed")
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return int(line[:3]), " ".join(lines)


def main():
    if len(sys.argv) not in (6, 7):
        sys.stderr.write(__doc__)
        return 64
    host, port, mfrom, rcpt, path = sys.argv[1:6]
    mid = sys.argv[6] if len(sys.argv) == 7 else None
    with open(path, "rb") as fp:
        lines = fp.read().replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    f = s.makefile("rb")

    def cmd(text, want):
        if text is not None:
            s.sendall(text.encode() + b"\r\n")
        code, msg = reply(f)
        if code // 100 != want:
            print(msg)
            return code
        return 0

    try:
        for text, want in ((None, 2), ("EHLO client.test.invalid", 2),
                           ("MAIL FROM:<%s>" % mfrom, 2), ("RCPT TO:<%s>" % rcpt, 2),
                           ("DATA", 3)):
            code = cmd(text, want)
            if code:
                return 75 if code // 100 == 4 else 65
        head = []
        rest = list(lines)
        while rest:
            line = rest.pop(0)
            head.append(line)
            if line == b"":
                break
        if rest:
            head.append(rest.pop(0))
        stuff = lambda l: (b"." + l if l.startswith(b".") else l) + b"\r\n"
        s.sendall(b"".join(stuff(l) for l in head))
        if mid:
            time.sleep(0.5)
            subprocess.call(mid, shell=True)
            time.sleep(1)
        s.sendall(b"".join(stuff(l) for l in rest) + b".\r\n")
        code, msg = reply(f)
        print(msg)
        try:
            s.sendall(b"QUIT\r\n")
        except OSError:
            pass
        if code // 100 == 2:
            return 0
        return 75 if code // 100 == 4 else 65
    except (ConnectionError, OSError) as e:
        # A dropped connection is a temporary failure to a sending MTA.
        print("421 %s" % e)
        return 75
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
