#!/usr/bin/env python3
# NAME
#	digest-check.py - check a digest mail written by links-sender and print it decoded
# SYNOPSIS
#	digest-check.py FILE FROM TO
# DESCRIPTION
#	Parses FILE with Python's email package (email.policy.default) and
#	fails (exit 1, one line per problem) unless: no defects; every
#	header line is at most 78 characters and ASCII (the Subject as
#	RFC 2047 encoded words); From is FROM, To is TO; Date, Message-ID
#	(<left@right>), MIME-Version: 1.0 and Auto-Submitted: auto-generated
#	are present, no List-Unsubscribe (support cannot unsubscribe from
#	its own digest); the body is one text/plain part, charset UTF-8,
#	base64. Then prints "Subject: " and the decoded subject, an empty
#	line and the decoded text, for the shell test to read.
import email
import email.policy
import email.utils
import re
import sys


def main():
    path, want_from, want_to = sys.argv[1:4]
    raw = open(path, 'rb').read()
    problems = []
    head = raw.split(b'\r\n\r\n', 1)[0]
    for line in head.split(b'\r\n'):
        if len(line) > 78:
            problems.append('header line longer than 78: %r' % line[:40])
        try:
            line.decode('ascii')
        except UnicodeDecodeError:
            problems.append('non-ASCII header line: %r' % line[:40])
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.defects:
        problems.append('defects: %s' % msg.defects)
    frm = email.utils.parseaddr(str(msg['From']))[1]
    if frm != want_from:
        problems.append('From is %r, expected %r' % (frm, want_from))
    to = email.utils.getaddresses([str(msg['To'])])
    if [a for _, a in to] != [want_to]:
        problems.append('To is %r, expected %r' % (to, want_to))
    for h in ('Date', 'Message-ID', 'MIME-Version', 'Subject'):
        if msg[h] is None:
            problems.append('no %s' % h)
    if msg['Date'] is not None and email.utils.parsedate_to_datetime(str(msg['Date'])) is None:
        problems.append('bad Date')
    if msg['Message-ID'] is not None and not re.fullmatch(r'<[^<>@\s]+@[^<>@\s]+>',
                                                          str(msg['Message-ID']).strip()):
        problems.append('bad Message-ID %r' % str(msg['Message-ID']))
    if str(msg.get('Auto-Submitted', '')) != 'auto-generated':
        problems.append('Auto-Submitted is %r' % msg.get('Auto-Submitted'))
    if msg['List-Unsubscribe'] is not None:
        problems.append('List-Unsubscribe on the digest')
    if msg.get_content_type() != 'text/plain' or msg.is_multipart():
        problems.append('content type %s' % msg.get_content_type())
    if (msg.get_content_charset() or '').lower() != 'utf-8':
        problems.append('charset %r' % msg.get_content_charset())
    if str(msg.get('Content-Transfer-Encoding', '')).lower() != 'base64':
        problems.append('transfer encoding %r' % msg.get('Content-Transfer-Encoding'))
    if problems:
        for p in problems:
            print('digest-check: %s: %s' % (path, p), file=sys.stderr)
        return 1
    print('Subject: %s' % str(msg['Subject']))
    print()
    print(msg.get_content().replace('\r\n', '\n'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
