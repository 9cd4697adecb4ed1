#!/usr/bin/env python3
# NAME
#	sender-parse.py - check messages written by links-sender with Python's email package
# SYNOPSIS
#	sender-parse.py DIR SUBJECT FROM refusable|transactional|staff [NAMES-FILE]
# DESCRIPTION
#	Parses every DIR/*.eml with email.policy.default and fails (exit 1,
#	one line per problem) unless each message has no defects in any
#	part; every header line is at most 78 characters (998 hard);
#	the Subject decodes to exactly SUBJECT (UTF-8); From is FROM; To
#	holds exactly one address; Message-ID, Date, MIME-Version and
#	Auto-Submitted (not for staff mail) are present and no Bcc/Cc header
#	exists; the text body (and the HTML body, if any) decode as UTF-8
#	base64 and the text ends with the footer ("-- " line, the sentence
#	saying what "Từ chối" stops: for refusable mail that it stops
#	promotions and surveys, for other mail that this mail continues);
#	List-Unsubscribe,
#	List-Unsubscribe-Post and List-Id follow the category. With
#	NAMES-FILE (one "email<TAB>display name" per line) the decoded To
#	display name must equal the customer's name (or, for a name longer
#	than 45 bytes, a prefix of it: links-sender shortens those).
import email
import email.policy
import glob
import os
import sys

REFUSAL = ('Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung "Từ chối": '
           'LINKS sẽ ngừng gửi email khuyến mãi và khảo sát cho Quý khách.')
CONTINUES = 'Nếu không muốn nhận email này nữa: '


def check(path, subject, sender, kind, names):
    refusable = kind == 'refusable'
    errs = []
    raw = open(path, 'rb').read()
    head = raw.split(b'\r\n\r\n', 1)[0]
    if b'\n' in head.replace(b'\r\n', b''):
        errs.append('bare LF in the header block')
    for line in head.split(b'\r\n'):
        if len(line) > 998:
            errs.append('header line over 998: %d' % len(line))
        elif len(line) > 78:
            errs.append('header line over 78: %r' % line[:90])
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.defects:
            errs.append('defects in %s: %r' % (part.get_content_type(), part.defects))
    if str(msg['Subject']) != subject:
        errs.append('subject %r != %r' % (str(msg['Subject']), subject))
    if msg['From'].addresses[0].addr_spec != sender:
        errs.append('From %r != %r' % (msg['From'].addresses[0].addr_spec, sender))
    if len(msg['To'].addresses) != 1:
        errs.append('To has %d addresses' % len(msg['To'].addresses))
    for h in ('Message-ID', 'Date', 'MIME-Version') + (() if kind == 'staff' else ('Auto-Submitted',)):
        if msg[h] is None:
            errs.append('no %s' % h)
    for h in ('Bcc', 'Cc', 'Reply-To'):
        if msg[h] is not None:
            errs.append('unexpected %s' % h)
    if kind == 'staff':
        if msg['Auto-Submitted'] is not None:
            errs.append('staff mail with Auto-Submitted')
    elif str(msg['Auto-Submitted']) != 'auto-generated':
        errs.append('Auto-Submitted %r' % str(msg['Auto-Submitted']))
    mid = str(msg['Message-ID'])
    if not (mid.startswith('<') and mid.endswith('>') and '@' in mid):
        errs.append('Message-ID %r' % mid)
    text = msg.get_body(('plain',))
    if text is None:
        errs.append('no text/plain part')
    else:
        if text['Content-Transfer-Encoding'] != 'base64' or text.get_content_charset() != 'utf-8':
            errs.append('text part not base64 UTF-8')
        body = text.get_content().replace('\r\n', '\n')
        if '\n-- \n' not in body:
            errs.append('no "-- " footer line')
        else:
            footer = body.split('\n-- \n')[-1]
            if refusable and REFUSAL not in footer:
                errs.append('footer without the refusal sentence')
            if not refusable and (CONTINUES not in footer or 'vẫn được gửi' not in footer
                                  or 'hãy trả lời email với nội dung' in footer):
                errs.append('footer of mail that continues does not say so')
    if msg.is_multipart():
        if msg.get_content_type() != 'multipart/alternative':
            errs.append('multipart is %s' % msg.get_content_type())
        html = msg.get_body(('html',))
        if html is None:
            errs.append('multipart without html')
        else:
            h = html.get_content()
            if 'links-footer' not in h:
                errs.append('html without footer')
    lu = msg['List-Unsubscribe']
    if refusable:
        if lu is None or '<mailto:noreply+' not in str(lu) or msg['List-Id'] is None:
            errs.append('refusable message without List-Unsubscribe/List-Id')
    elif lu is not None or msg['List-Id'] is not None or msg['List-Unsubscribe-Post'] is not None:
        errs.append('transactional message with List-* headers')
    if names is not None:
        a = msg['To'].addresses[0]
        want = names.get(a.addr_spec.lower())
        if want is None:
            errs.append('To %s is not a customer of the fixture' % a.addr_spec)
        elif a.display_name != want and not (
                len(want.encode()) > 45 and want.startswith(a.display_name)
                and 0 < len(a.display_name.encode()) <= 45):
            # Longer names are shortened (one encoded word); see hdr(3).
            errs.append('To display name %r != %r' % (a.display_name, want))
    return errs


def main():
    if len(sys.argv) < 5:
        print(__doc__ or 'usage: sender-parse.py DIR SUBJECT FROM refusable|transactional|staff [NAMES]')
        return 2
    d, subject, sender, kind = sys.argv[1:5]
    names = None
    if len(sys.argv) > 5:
        names = {}
        for line in open(sys.argv[5], encoding='utf-8'):
            addr, _, name = line.rstrip('\n').partition('\t')
            names[addr.lower()] = name
    files = sorted(glob.glob(os.path.join(d, '*.eml')))
    if not files:
        print('no messages in %s' % d)
        return 1
    bad = 0
    for f in files:
        for e in check(f, subject, sender, kind, names):
            print('%s: %s' % (os.path.basename(f), e))
            bad += 1
    print('%s: %d messages checked, %d problems' % (d, len(files), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
