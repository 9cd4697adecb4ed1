#!/usr/bin/env python3
"""NAME
	smtpd-hang.py - an SMTP server that goes silent after one message's data

SYNOPSIS
	smtpd-hang.py PORT LOGFILE

DESCRIPTION
	Accepts SMTP on 127.0.0.1:PORT, one connection at a time per thread.
	For a recipient whose local part starts with "hang", the first time
	its message data ends (the final dot received) the server appends
	"HANG<TAB>recipient<TAB>message-id" to LOGFILE and never answers:
	the client is in the middle of the transaction, the message sent,
	the 250 not received. Every other message, and the next delivery to
	that recipient, gets 250 and appends "recipient<TAB>message-id".
	Prints "ready" once listening; exits after 120 s.
"""
import re
import socketserver
import sys
import threading
import time

hung = set()
lock = threading.Lock()
LOG = None


def log(line):
    with lock:
        with open(LOG, "a") as f:
            f.write(line + "\n")


class Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.send("220 hang.test ESMTP")
        rcpts = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            up = line.decode("utf-8", "replace").strip().upper()
            if up.startswith("EHLO"):
                self.wfile.write(b"250-hang.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif up.startswith(("HELO", "NOOP", "MAIL FROM")):
                self.send("250 ok")
            elif up.startswith("RSET"):
                rcpts = []
                self.send("250 ok")
            elif up.startswith("RCPT TO"):
                rcpts.append(re.search(r"<([^>]*)>", line.decode()).group(1).lower())
                self.send("250 ok")
            elif up.startswith("DATA"):
                self.send("354 go ahead")
                msgid = ""
                while True:
                    d = self.rfile.readline()
                    if not d:
                        return
                    if d in (b".\r\n", b".\n"):
                        break
                    m = re.match(rb"(?i)message-id:\s*<([^>]*)>", d)
                    if m and not msgid:
                        msgid = m.group(1).decode()
                for r in rcpts:
                    if r.startswith("hang"):
                        with lock:
                            first = r not in hung
                            hung.add(r)
                        if first:
                            log("HANG\t%s\t%s" % (r, msgid))
                            time.sleep(110)
                            return
                for r in rcpts:
                    log("%s\t%s" % (r, msgid))
                rcpts = []
                self.send("250 2.0.0 queued")
            elif up.startswith("QUIT"):
                self.send("221 bye")
                return
            else:
                self.send("502 5.5.2 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    global LOG
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 64
    LOG = sys.argv[2]
    srv = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    time.sleep(120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
