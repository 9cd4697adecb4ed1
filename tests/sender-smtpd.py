#!/usr/bin/env python3
# NAME
#	sender-smtpd.py - a scripted SMTP server on loopback for the links-sender tests
# SYNOPSIS
#	sender-smtpd.py PORT LOGFILE
# DESCRIPTION
#	Accepts SMTP on 127.0.0.1:PORT. The local part of the recipient
#	chooses the behaviour:
#	  temp2*    451 to RCPT TO the first two times, then accepted
#	  tempall*  451 to RCPT TO always
#	  reject*   550 to RCPT TO
#	  drop421*  421 (and the connection closed) after the first DATA,
#	            accepted the next time
#	  silent*   no answer to RCPT TO: the server says nothing more on
#	            that connection for 30 s (a client must time out)
#	  anything else: accepted
#	As a real server offering PIPELINING must (RFC 2920 3.1), DATA
#	after no accepted RCPT TO gets 554, and a connection that breaks
#	before the final dot delivers nothing.
#	Each accepted message appends "recipient<TAB>message-id<TAB>MAIL
#	command" to LOGFILE, and "pipelined" or "one-by-one" to
#	LOGFILE.pipe: whether RCPT TO and DATA had already arrived when
#	MAIL FROM was read (the client sent them without waiting).
#	PIPELINING is offered unless SMTPD_NO_PIPELINING is set.
#	SMTPUTF8 (RFC 6531) is offered, unless SMTPD_NO_SMTPUTF8 is set in
#	the environment, and required as Postfix requires it: a non-ASCII
#	address in MAIL or RCPT without "SMTPUTF8" on MAIL gets
#	"553 5.6.7 Must declare SMTPUTF8 to send unicode address".
#	Prints "ready" on stdout once listening. Exits after 60 s.
import os
import re
import socket
import socketserver
import sys
import threading
import time

seen = {}
lock = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    def pending(self):
        """Whether more input is already here, without waiting for it."""
        self.connection.setblocking(False)
        try:
            return bool(self.rfile.peek(1))
        except (BlockingIOError, socket.error):
            return False
        finally:
            self.connection.setblocking(True)

    def send(self, line):
        self.wfile.write((line + '\r\n').encode())
        self.wfile.flush()

    def handle(self):
        self.send('220 test ESMTP')
        rcpt = None
        rcpt_ok = False
        mail = ''
        utf8 = 'SMTPUTF8' if not os.environ.get('SMTPD_NO_SMTPUTF8') else 'X-NONE'
        pipe = 'PIPELINING' if not os.environ.get('SMTPD_NO_PIPELINING') else 'X-NOPIPE'
        pipelined = False

        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode('utf-8', 'replace').strip()
            unicode_addr = re.search(r'<[^>]*[^\x00-\x7f][^>]*>', cmd) is not None
            up = cmd.upper()
            if up.startswith('EHLO'):
                self.wfile.write(('250-test\r\n250-%s\r\n250-8BITMIME\r\n'
                                  '250 %s\r\n' % (pipe, utf8)).encode())
            elif up.startswith('HELO') or up.startswith('RSET') or up.startswith('NOOP'):
                self.send('250 ok')
                if up.startswith('RSET'):
                    rcpt = None
                    rcpt_ok = False
            elif up.startswith('MAIL FROM'):
                mail = cmd
                rcpt_ok = False
                pipelined = self.pending()
                if unicode_addr and not up.endswith(' SMTPUTF8'):
                    self.send('553 5.6.7 Must declare SMTPUTF8 to send unicode address')
                else:
                    self.send('250 ok')
            elif up.startswith('RCPT TO') and unicode_addr \
                    and not mail.upper().endswith(' SMTPUTF8'):
                self.send('553 5.6.7 Must declare SMTPUTF8 to send unicode address')
            elif up.startswith('RCPT TO'):
                rcpt = re.search(r'<([^>]*)>', cmd).group(1)
                local = rcpt.split('@')[0]
                with lock:
                    n = seen[rcpt] = seen.get(rcpt, 0) + 1
                if local.startswith('silent'):
                    time.sleep(30)
                    return
                if local.startswith('temp2') and n <= 2:
                    self.send('451 4.3.0 try again later')
                elif local.startswith('tempall'):
                    self.send('451 4.3.0 try again later')
                elif local.startswith('reject'):
                    self.send('550 5.1.1 no such user')
                else:
                    rcpt_ok = True
                    self.send('250 ok')
            elif up == 'DATA' and not rcpt_ok:
                self.send('554 5.5.1 Error: no valid recipients')
            elif up == 'DATA':
                self.send('354 go ahead')
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l:
                        return      # broken before the dot: nothing delivered
                    if l in (b'.\r\n', b'.\n'):
                        break
                    data.append(l)
                rcpt_ok = False
                local = (rcpt or '').split('@')[0]
                if local.startswith('drop421') and seen.get(rcpt, 0) == 1:
                    self.send('421 4.3.2 shutting down')
                    return
                msg = b''.join(data).decode('utf-8', 'replace')
                mid = re.search(r'^Message-ID:\s*(\S+)', msg, re.M | re.I)
                with lock, open(sys.argv[2], 'a') as f:
                    f.write('%s\t%s\t%s\n' % (rcpt, mid.group(1) if mid else '-', mail))
                with lock, open(sys.argv[2] + '.pipe', 'a') as f:
                    f.write('pipelined\n' if pipelined else 'one-by-one\n')
                self.send('250 2.0.0 queued')
            elif up == 'QUIT':
                self.send('221 bye')
                return
            else:
                self.send('502 unknown')


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = Server(('127.0.0.1', int(sys.argv[1])), Handler)
threading.Timer(60, srv.shutdown).start()
print('ready', flush=True)
srv.serve_forever()
