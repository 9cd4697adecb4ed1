"""Mail clients' reply formats, for gen_cases.py.

Each builder takes the customer's new text and returns the whole message
(bytes, CRLF) as that client writes a reply to one of our messages: its
headers (Message-ID style, X-Mailer / User-Agent, Content-Type
parameters), its MIME structure, its attribution line in the Vietnamese
UI, its way of quoting (">" lines, an Outlook header block, Yahoo's
unquoted copy), its HTML quote containers and its app signature. Our
messages (the ones being replied to) carry the footer of config/footer.h.

Sources for the formats: tests/corpus/vi/gen.py and
/work/shared/corpus/vietnamese-reply-headers.md (Gmail, Thunderbird and
Outlook labels); the rest follows each client's English format with the
labels of its Vietnamese UI (marked GUESS in the case table where no real
sample was seen).
"""
import base64
import quopri

FOOTER_VI = 'Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung "Từ chối".'
FOOTER_EN = 'If you no longer want these emails, reply to this email with the words "Từ chối".'
CONTACT = ('LINKS - Tầng 15, tòa nhà văn phòng Intracom, 33 Cầu Diễn, phường Phúc Diễn, '
           'quận Bắc Từ Liêm, Hà Nội')
PHONE = 'ĐT: 0249 996 3579 - support@ilinks.asia'
FOOTER = '-- \n' + FOOTER_VI + '\n' + FOOTER_EN + '\n' + CONTACT + '\n' + PHONE


class Orig:
    """One of our messages: what the customer replies to."""

    def __init__(self, subject, body, frm='LINKS <noreply@ilinks.asia>', msgid='<c7.20261130080000.42@ilinks.asia>'):
        self.subject = subject
        self.body = body + '\n\n' + FOOTER
        self.frm = frm
        self.addr = frm.split('<')[1].rstrip('>')
        self.name = frm.split(' <')[0]
        self.msgid = msgid


PROMO = Orig('Ưu đãi tháng 12: giảm 30% khi gia hạn Cloud VPS',
             'Kính gửi Quý khách,\n\nNhân dịp cuối năm, LINKS dành tặng Quý khách ưu đãi giảm 30% khi gia hạn '
             'gói Cloud VPS 12 tháng, áp dụng đến hết ngày 31/12/2026.\n\nChi tiết: https://ilinks.asia/uu-dai\n\n'
             'Trân trọng,\nLINKS')
MAINT = Orig('Thông báo bảo trì hệ thống Email Hosting ngày 05/12',
             'Kính gửi Quý khách,\n\nLINKS sẽ bảo trì hệ thống Email Hosting từ 23:00 ngày 05/12/2026 đến 01:00 '
             'ngày 06/12/2026. Trong thời gian này Quý khách có thể không gửi, nhận được email.\n\n'
             'Trân trọng,\nLINKS', msgid='<c8.20261130080000.77@ilinks.asia>')
SURVEY = Orig('Khảo sát mức độ hài lòng về dịch vụ LINKS năm 2026',
              'Kính gửi Quý khách,\n\nLINKS mong nhận được ý kiến của Quý khách về chất lượng dịch vụ năm 2026 '
              'qua phiếu khảo sát 5 câu hỏi: https://ilinks.asia/khao-sat\n\nTrân trọng,\nBộ phận Chăm sóc khách hàng LINKS',
              frm='LINKS <support@ilinks.asia>', msgid='<c9.20261130080000.15@ilinks.asia>')


def custom(subject, body='Kính gửi Quý khách,\n\nLINKS xin gửi Quý khách bản tin tháng 12.\n\nTrân trọng,\nLINKS'):
    return Orig(subject, body, msgid='<c10.20261130080000.99@ilinks.asia>')


CUSTOMER = 'Nguyễn Văn An <an.nguyen@example.vn>'


# --- encoding helpers ------------------------------------------------------

def crlf(b):
    return b.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')


def qp(b):
    return quopri.encodestring(b).decode('ascii')


def b64(b):
    return base64.encodebytes(b).decode('ascii').rstrip('\n')


def hdr_word(s, charset='UTF-8', how='B'):
    """RFC 2047 encoded word(s) when S is not ASCII."""
    try:
        s.encode('ascii')
        return s
    except UnicodeEncodeError:
        pass
    raw = s.encode(charset)
    if how == 'B':
        return '=?%s?B?%s?=' % (charset, base64.b64encode(raw).decode())
    q = ''.join(chr(c) if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122) else
                ('_' if c == 32 else '=%02X' % c) for c in raw)
    return '=?%s?Q?%s?=' % (charset, q)


def addr_hdr(a, charset='UTF-8'):
    if ' <' not in a:
        return a
    name, rest = a.split(' <', 1)
    return hdr_word(name, charset) + ' <' + rest


def wrap(text, width=76):
    """Wrap each line of TEXT at spaces (clients do this to quoted text)."""
    out = []
    for line in text.split('\n'):
        while len(line) > width and ' ' in line[:width]:
            k = line.rfind(' ', 0, width)
            out.append(line[:k])
            line = line[k + 1:]
        out.append(line)
    return '\n'.join(out)


def quote(text, prefix='> ', width=76):
    lines = wrap(text, width - len(prefix)).split('\n')
    return '\n'.join((prefix + l) if l else prefix.rstrip() for l in lines)


def flowed(text, width=72, delsp=False, prefix=''):
    """RFC 3676 format=flowed. A soft break ends its line in a space; with
    DelSp=yes one more space is added, which the reader deletes. In TEXT,
    "\x01" marks a soft break in place of a space and "\x02" one inside a
    word (DelSp=yes only); lines without marks are wrapped at WIDTH."""
    out = []

    def emit(piece, soft):
        if not prefix and piece.startswith((' ', '>', 'From ')):
            piece = ' ' + piece        # space-stuffing
        out.append(prefix + (piece if soft else piece.rstrip(' ')))

    for line in text.split('\n'):
        if line == '-- ':
            out.append(prefix + line)
            continue
        if '\x01' in line or '\x02' in line:
            pieces, cur = [], ''
            for ch in line:
                if ch == '\x01':
                    pieces.append(cur + ' ' + (' ' if delsp else ''))
                    cur = ''
                elif ch == '\x02':
                    assert delsp, 'a break inside a word needs DelSp=yes'
                    pieces.append(cur + ' ')
                    cur = ''
                else:
                    cur += ch
            for p in pieces:
                emit(p, True)
            emit(cur, False)
            continue
        while len(line) > width and ' ' in line[:width]:
            k = line.rfind(' ', 0, width)
            emit(line[:k + 1] + (' ' if delsp else ''), True)
            line = line[k + 1:]
        emit(line, False)
    return '\n'.join(out)


def html_escape(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def html_lines(text, tag='div'):
    """Customer text as a webmail editor writes it: one block per line."""
    if text is None:
        return ''
    return ''.join('<%s>%s</%s>' % (tag, html_escape(l) if l else '<br>', tag) for l in text.split('\n'))


def html_body(orig):
    return '<br>\n'.join(html_escape(l) for l in orig.body.split('\n'))


# --- message assembly ------------------------------------------------------

class Part:
    def __init__(self, ctype, body, cte='8bit', extra=()):
        self.ctype = ctype
        self.body = body            # bytes, already transfer-encoded
        self.cte = cte
        self.extra = list(extra)

    def render(self):
        h = ['Content-Type: ' + self.ctype]
        if self.cte:
            h.append('Content-Transfer-Encoding: ' + self.cte)
        h += self.extra
        return ('\n'.join(h) + '\n\n').encode() + self.body


def text_part(text, charset='UTF-8', cte='quoted-printable', params='', raw=None, extra=()):
    b = raw if raw is not None else text.encode(charset)
    if cte == 'quoted-printable':
        body = qp(b).encode()
    elif cte == 'base64':
        body = b64(b).encode()
    else:
        body = b
    return Part('text/plain; charset="%s"%s' % (charset, params), body, cte, extra)


def html_part(html, charset='UTF-8', cte='quoted-printable'):
    b = html.encode(charset)
    body = qp(b).encode() if cte == 'quoted-printable' else (b64(b).encode() if cte == 'base64' else b)
    return Part('text/html; charset="%s"' % charset, body, cte)


def alternative(parts, boundary):
    out = b''
    for p in parts:
        out += ('--' + boundary + '\n').encode() + p.render() + b'\n'
    out += ('--' + boundary + '--\n').encode()
    return Part('multipart/alternative; boundary="%s"' % boundary, out, None)


class Env:
    """Per-message header values a case may change."""

    def __init__(self, orig, subject=None, frm=CUSTOMER, extra=(), subject_raw=None, date=None, msgid=None,
                 return_path=None):
        self.orig = orig
        self.subject = subject if subject is not None else 'Re: ' + orig.subject
        self.frm = frm
        self.extra = list(extra)
        self.subject_raw = subject_raw      # bytes for an 8-bit Subject
        self.date = date or 'Mon, 30 Nov 2026 09:41:07 +0700'
        self.msgid = msgid
        self.return_path = return_path


def message(env, top, client_headers, msgid, subject_charset='UTF-8'):
    a = env.frm.split('<')[1].rstrip('>') if '<' in env.frm else env.frm
    h = ['Return-Path: <%s>' % (env.return_path if env.return_path is not None else a)]
    h += ['From: ' + addr_hdr(env.frm), 'To: ' + addr_hdr(env.orig.frm)]
    if env.subject_raw is None:
        h.append('Subject: ' + hdr_word(env.subject, subject_charset))
    h += ['Date: ' + env.date, 'Message-ID: ' + (env.msgid or msgid),
          'In-Reply-To: ' + env.orig.msgid, 'References: ' + env.orig.msgid]
    h += client_headers + env.extra + ['MIME-Version: 1.0']
    head = '\n'.join(h).encode()
    if env.subject_raw is not None:
        head += b'\nSubject: ' + env.subject_raw
    return crlf(head + b'\n' + top.render())


# --- the clients -------------------------------------------------------------

GMAIL_ATTR = 'Vào Th 2, 30 thg 11, 2026 vào lúc 08:00 {name} <{addr}>\nđã viết:'
GMAIL_APP_ATTR = 'Vào Th 2, 30 thg 11, 2026 lúc 08:00 {name} <{addr}> đã viết:'


def gmail(env, new, html_new=None, app=False, plain_new=None, n=1):
    """Gmail web (or the Android/iOS app with APP): multipart/alternative,
    QP text/plain with the wrapped attribution, HTML with gmail_quote."""
    o = env.orig
    attr = (GMAIL_APP_ATTR if app else GMAIL_ATTR).format(name=o.name, addr=o.addr)
    plain = (plain_new if plain_new is not None else new) + '\n\n' + attr + '\n\n' + quote(o.body) + '\n'
    hattr = attr.replace('\n', ' ').replace('<' + o.addr + '>', '&lt;<a href="mailto:%s">%s</a>&gt;' % (o.addr, o.addr))
    html = ('<div dir="%s">%s</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
            '%s<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
            'rgb(204,204,204);padding-left:1ex">%s</blockquote></div>\n'
            % ('auto' if app else 'ltr', html_new if html_new is not None else html_lines(new), hattr, html_body(o)))
    top = alternative([text_part(plain), html_part(html)], '000000000000a1b2c3d40627ef%02d' % n)
    return message(env, top, [], '<CAJx7mQ4kP%02dvZ8gN1s=Yb+fQ2wRr5uTz@mail.gmail.com>' % n)


def outlook_desktop(env, new, html_new=None, n=1, charset='utf-8', plain_raw=None):
    """Outlook 2016/365 for Windows in Vietnamese: a Từ:/Đã gửi: block,
    no ">" quoting; HTML with the border-top separator div."""
    o = env.orig
    block = ('Từ: {name} <{addr}> \nĐã gửi: Thứ Hai, 30 tháng 11, 2026 8:00 SA\nĐến: an.nguyen@example.vn\n'
             'Chủ đề: {subj}\n\n').format(name=o.name, addr=o.addr, subj=o.subject)
    plain = new + '\n\n' + block + o.body + '\n'
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type '
            'content="text/html; charset=utf-8"></head><body lang=VI link="#0563C1"><div class=WordSection1>'
            + (html_new if html_new is not None else html_lines(new, 'p class=MsoNormal').replace('</p class=MsoNormal>', '<o:p></o:p></p>'))
            + '<p class=MsoNormal><o:p>&nbsp;</o:p></p><div><div style=\'border:none;border-top:solid #E1E1E1 1.0pt;'
            'padding:3.0pt 0cm 0cm 0cm\'><p class=MsoNormal><b>Từ:</b> %s &lt;%s&gt; <br><b>Đã gửi:</b> Thứ Hai, 30 tháng '
            '11, 2026 8:00 SA<br><b>Đến:</b> an.nguyen@example.vn<br><b>Chủ đề:</b> %s<o:p></o:p></p></div></div>'
            '<p class=MsoNormal>%s<o:p></o:p></p></div></body></html>\n' % (o.name, o.addr, html_escape(o.subject), html_body(o)))
    tp = text_part(plain, charset=charset) if plain_raw is None else text_part(None, charset=charset, raw=plain_raw)
    top = alternative([tp, html_part(html)], '----=_NextPart_000_0015_01DB4B2A.1C2D3E40')
    return message(env, top, ['X-Mailer: Microsoft Outlook 16.0', 'Thread-Index: AQHbQ0x2Zm9vYmFyYmF6cXV4',
                              'Content-Language: vi'], '<000001db4b2a$1c2d3e%02d$54576ac0$@example.vn>' % n)


OWA_BLOCK = ('________________________________\nTừ: {name} <{addr}>\nĐã gửi: Thứ Hai, ngày 30 tháng 11 năm 2026 08:00\n'
             'Đến: an.nguyen@example.vn <an.nguyen@example.vn>\nChủ đề: {subj}\n\n')


def owa(env, new, html_new=None, n=1, mobile=None, text_quote_only=False):
    """Outlook on the web / Outlook for iOS or Android (MOBILE = 'iOS' or
    'Android'): HTML with #appendonsend / #divRplyFwdMsg, a text part
    with the underscore line; the mobile apps add their signature."""
    o = env.orig
    sig_plain = sig_html = ''
    if mobile:
        link = 'https://aka.ms/o0ukef' if mobile == 'iOS' else 'https://aka.ms/AAb9ysg'
        sig_plain = '\n\nNhận Outlook cho %s<%s>' % (mobile, link)
        sig_html = ('<div dir="ltr"><br></div><div id="ms-outlook-mobile-signature" dir="ltr">Nhận '
                    '<a href="%s">Outlook cho %s</a></div>' % (link, mobile))
    block = OWA_BLOCK.format(name=o.name, addr=o.addr, subj=o.subject)
    plain = ('' if text_quote_only else new + sig_plain + '\n') + block + o.body + '\n'
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style type="text/css" '
            'style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body dir="ltr">'
            '<div class="elementToProof" style="font-family: Aptos, Calibri, Helvetica, sans-serif; font-size: 12pt;">'
            + (html_new if html_new is not None else html_lines(new)) + '</div>' + sig_html +
            '<div id="appendonsend"></div><hr style="display:inline-block;width:98%%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
            '<b>Từ:</b> %s &lt;%s&gt;<br><b>Đã gửi:</b> Thứ Hai, ngày 30 tháng 11 năm 2026 08:00<br><b>Đến:</b> '
            'an.nguyen@example.vn &lt;an.nguyen@example.vn&gt;<br><b>Chủ đề:</b> %s</font><div>&nbsp;</div></div>'
            '<div>%s</div></body></html>\n' % (o.name, o.addr, html_escape(o.subject), html_body(o)))
    top = alternative([text_part(plain), html_part(html)], '_000_SG2PR06MB51234ABCDEF%02dSG2PR06MB5123apcp_' % n)
    return message(env, top, ['Thread-Topic: ' + hdr_word(o.subject), 'Thread-Index: AQHbQ0x2b3dhcmVwbHk=',
                              'Accept-Language: vi-VN, en-US', 'Content-Language: vi-VN',
                              'X-MS-Has-Attach:', 'X-MS-TNEF-Correlator:'],
                   '<SG2PR06MB5123ABCDEF%02d@SG2PR06MB5123.apcprd06.prod.outlook.com>' % n)


def yahoo(env, new, html_new=None, n=1, text_quote_only=False, app_sig=False):
    """Yahoo Mail (vi): the quoted message follows its attribution
    without ">" in the text part; HTML with the yahoo_quoted div."""
    o = env.orig
    attr = 'Vào Thứ Hai, 30 tháng 11, 2026, 08:00:00 GMT+7, %s <%s> đã viết:' % (o.name, o.addr)
    sig = '\n\nGửi từ Yahoo Mail trên Android' if app_sig else ''
    plain = ('' if text_quote_only else new + sig + '\n') + ' \n \n   ' + attr + '  \n \n ' + o.body.replace('\n', '\n ') + '\n'
    sig_html = ('<div id="ymail_android_signature"><a href="https://go.onelink.me/107872968?pid=InProduct">'
                'Gửi từ Yahoo Mail trên Android</a></div>') if app_sig else ''
    html = ('<html><head></head><body><div class="ydp5f2a1c3byahoo-style-wrap" style="font-family:Helvetica Neue, '
            'Helvetica, Arial, sans-serif;font-size:13px;">' + (html_new if html_new is not None else html_lines(new))
            + sig_html + '<div><br></div></div><div id="yahoo_quoted_4829103344" class="yahoo_quoted"><div style="'
            'font-family:\'Helvetica Neue\', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;"><div>'
            + html_escape(attr) + '</div><div><br></div><div><br></div><div><div dir="ltr">' + html_body(o)
            + '</div></div></div></div></body></html>\n')
    top = alternative([text_part(plain), html_part(html)], '----=_Part_3311021_1478302945.17644644670%02d' % n)
    return message(env, top, ['X-Mailer: WebService/1.1.22901 YMailNorrin'],
                   '<17214%02d.3311020.1764470467123@mail.yahoo.com>' % n)


def zimbra(env, new, html_new=None, n=1, html=True):
    """Zimbra web client (vi): "----- Thư gốc -----" then a header block;
    HTML with hr#zwchr and the __QUOTED_TEXT__ marker."""
    o = env.orig
    block = ('----- Thư gốc -----\nTừ: "{name}" <{addr}>\nTới: "Nguyễn Văn An" <an.nguyen@example.vn>\n'
             'Đã gửi: Thứ Hai, 30 Tháng 11, 2026 8:00:00\nChủ đề: {subj}\n\n').format(name=o.name, addr=o.addr, subj=o.subject)
    plain = new + '\n\n' + block + o.body + '\n'
    hx = ('<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">'
          + (html_new if html_new is not None else html_lines(new)) + '<div><br></div><hr id="zwchr" data-marker="__DIVIDER__">'
          '<div data-marker="__HEADERS__"><b>Từ: </b>"%s" &lt;%s&gt;<br><b>Tới: </b>"Nguyễn Văn An" &lt;an.nguyen@example.vn&gt;'
          '<br><b>Đã gửi: </b>Thứ Hai, 30 Tháng 11, 2026 8:00:00<br><b>Chủ đề: </b>%s<br></div><br>'
          '<div data-marker="__QUOTED_TEXT__">%s</div></div></body></html>\n' % (o.name, o.addr, html_escape(o.subject), html_body(o)))
    parts = [text_part(plain, cte='7bit' if all(ord(c) < 128 for c in plain) else 'quoted-printable')]
    if html:
        parts.append(html_part(hx))
        top = alternative(parts, '=_7e2a1c0b-3f44-4a8e-9d2a-0c1b2a3d4e%02d' % n)
    else:
        top = parts[0]
    return message(env, top, ['X-Mailer: Zimbra 9.0.0_GA_4583 (ZimbraWebClient - GC131 (Win)/9.0.0_GA_4583)',
                              'Thread-Topic: ' + hdr_word(o.subject), 'Thread-Index: 7wP0c2Fk3Q8Zl1bXo2Vh0k3w5g=='],
                   '<1870%02d912.4417.1764470467123.JavaMail.zimbra@example.vn>' % n)


def roundcube(env, new, n=1, html=False, delsp=False):
    """Roundcube (vi_VN): text/plain format=flowed by default; the
    attribution "Vào <date>, <sender> đã viết:" then ">" lines."""
    o = env.orig
    attr = 'Vào 2026-11-30 08:00, %s đã viết:' % o.name
    plain = flowed(new, delsp=delsp) + '\n\n' + attr + '\n' + flowed(o.body, prefix='> ') + '\n'
    params = '; format=flowed' + ('; delsp=yes' if delsp else '')
    tp = text_part(plain, charset='UTF-8', cte='8bit', params=params)
    tp.ctype = 'text/plain; charset=UTF-8' + params
    if html:
        hx = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /></head><body style=\'font-size: '
              '10pt; font-family: Verdana,Geneva,sans-serif\'>\n' + html_lines(new, 'p') + '\n<p>' + html_escape(attr) +
              '</p>\n<blockquote type="cite" style="padding: 0 0.4em; border-left: #1010ff 2px solid; margin: 0">' +
              html_body(o) + '</blockquote>\n</body></html>\n')
        top = alternative([tp, html_part(hx)], '=_a1b2c3d4e5f60718293a4b5c6d7e8f%02d' % n)
    else:
        top = tp
    return message(env, top, ['User-Agent: Roundcube Webmail/1.6.9'], '<a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5%02d@example.vn>' % n)


def squirrelmail(env, new, n=1, charset='iso-8859-1', raw=None):
    """SquirrelMail 1.4: plain text only, 8bit, the charset of its
    language setting (iso-8859-1 by default, whatever the text is)."""
    o = env.orig
    if raw is None:
        raw = (new + '\n\n' + 'On Mon, November 30, 2026 8:00 am, ' + o.name + ' wrote:\n' + quote(o.body)
               + '\n').encode('utf-8')
    b = raw
    tp = Part('text/plain;charset=' + charset, b, '8bit')
    return message(env, tp, ['User-Agent: SquirrelMail/1.4.22', 'X-Priority: 3 (Normal)', 'Importance: Normal'],
                   '<3f2a%02d9c81d4b7e0f.squirrel@webmail.example.vn>' % n)


def mutt(env, body, n=1, flowed_=False, charset='utf-8'):
    """Mutt: the caller writes the whole body (Mutt users quote inline and
    bottom-post); text/plain, Content-Disposition: inline."""
    params = '; format=flowed' if flowed_ else ''
    tp = Part('text/plain; charset=%s%s' % (charset, params), body.encode(charset), '8bit', ['Content-Disposition: inline'])
    return message(env, tp, ['User-Agent: Mutt/2.2.12 (2023-09-09)'], '<Z0qRk2v1xYz%02d@laptop.example.vn>' % n)


MUTT_ATTR = 'On Mon, Nov 30, 2026 at 08:00:00AM +0700, {name} wrote:'


def notes(env, new, n=1, style='block', charset='UTF-8'):
    """Lotus Notes / IBM Notes: text/plain; STYLE 'block' is Notes 8's
    tabbed From/To/Date/Subject block, 'wrote' Notes 9's
    "-----<sender> wrote: -----" line."""
    o = env.orig
    if style == 'block':
        q = ('\n\n\n\nFrom:\t%s <%s>\nTo:\tan.nguyen@example.vn\nDate:\t30/11/2026 08:00\nSubject:\t%s\n\n\n\n'
             % (o.name, o.addr, o.subject))
    else:
        q = ('\n\n-----%s <%s> wrote: -----\nTo: an.nguyen@example.vn\nFrom: %s <%s>\nDate: 30/11/2026 08:00\n'
             'Subject: %s\n\n' % (o.name, o.addr, o.name, o.addr, o.subject))
    tp = text_part(new + q + o.body + '\n', charset=charset, cte='base64')
    return message(env, tp, ['X-Mailer: IBM Notes Release 9.0.1FP10 SHF383 January 12, 2021' if style != 'block'
                             else 'X-Mailer: Lotus Notes Release 8.5.3 September 15, 2011',
                             'X-MIMETrack: Serialize by Router on MAIL01/ABC(Release 9.0.1FP10|January 12, 2021) at '
                             '30/11/2026 09:41:07', 'X-KeepSent: 1A2B3C4D:5E6F7A8B-48258A1B:0012AB34; type=4; name=$KeepSent'],
                   '<OF1A2B3C4D.5E6F7A%02d-ON48258A1B.0012AB34-48258A1B.0012CD56@example.vn>' % n)


SAMSUNG_SIG = 'Đã gửi từ điện thoại thông minh Samsung Galaxy của tôi.'


def samsung(env, new, html_new=None, n=1, text_quote_only=False):
    """Samsung Email (vi): signature, then "-------- Tin nhắn gốc --------"
    and a header block; HTML with #composer_signature."""
    o = env.orig
    block = ('-------- Tin nhắn gốc --------\nTừ: %s <%s> \nNgày: 30/11/26 08:00 (GMT+07:00) \nĐến: an.nguyen@example.vn \n'
             'Chủ đề: %s \n\n' % (o.name, o.addr, o.subject))
    plain = ('' if text_quote_only else new + '\n\n\n\n' + SAMSUNG_SIG + '\n\n\n') + block + o.body + '\n'
    hx = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body dir="auto">'
          + (html_new if html_new is not None else html_lines(new).replace('<div>', "<div dir='auto'>")) +
          '<div dir=\'auto\'><br></div><div id="composer_signature" dir="auto"><div style="font-size:85%%;color:#575757" '
          'dir="auto">%s</div></div><div dir="auto"><br></div><div align="left" dir="auto" style="font-size:100%%;'
          'color:#000000"><div>-------- Tin nhắn gốc --------</div><div>Từ: %s &lt;%s&gt; </div><div>Ngày: 30/11/26 08:00 '
          '(GMT+07:00) </div><div>Đến: an.nguyen@example.vn </div><div>Chủ đề: %s </div><div><br></div></div>%s'
          '</body></html>\n' % (SAMSUNG_SIG, o.name, o.addr, html_escape(o.subject), html_body(o)))
    top = alternative([text_part(plain, cte='base64'), html_part(hx, cte='base64')],
                      '--_com.samsung.android.email_1764470467123%02d' % n)
    return message(env, top, [], '<a1b2c3%02d-d4e5-f607-1829-3a4b5c6d7e8f@email.android.com>' % n)


APPLE_ATTR = 'Vào 30 thg 11, 2026, lúc 08:00, {name} <{addr}> đã viết:'


def apple(env, new, html_new=None, n=1, iphone=False, flowed_delsp=False, html=True):
    """Apple Mail on macOS, or iOS Mail (IPHONE): the attribution is itself
    quoted ("> Vào ... đã viết:"); iOS adds "Được gửi từ iPhone của tôi".
    FLOWED_DELSP writes the older Mail.app text/plain format=flowed;
    delsp=yes, text only."""
    o = env.orig
    attr = APPLE_ATTR.format(name=o.name, addr=o.addr)
    sig = '\n\nĐược gửi từ iPhone của tôi' if iphone else ''
    if flowed_delsp:
        body = flowed(new, delsp=True) + sig + '\n\n' + flowed(attr + '\n\n' + o.body, delsp=True, prefix='> ') + '\n'
        tp = Part('text/plain; charset=utf-8; delsp=yes; format=flowed', qp(body.encode()).encode(), 'quoted-printable')
        return message(env, tp, ['X-Mailer: Apple Mail (2.3826.200.121)'],
                       '<6E1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C%02d@example.vn>' % n)
    plain = new + sig + '\n\n> ' + attr + '\n> \n' + quote(o.body) + '\n'
    sig_html = ('<div><br id="lineBreakAtBeginningOfSignature"><div dir="ltr">Được gửi từ iPhone của tôi</div>'
                if iphone else '<div>')
    hx = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto" '
          'style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
          + (html_new if html_new is not None else html_escape(new).replace('\n', '<br>')) +
          '<br id="lineBreakAtBeginningOfMessage">' + sig_html + '<div dir="ltr"><br><blockquote type="cite">'
          + html_escape(attr) + '<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">'
          + html_body(o) + '</div></blockquote></div></body></html>\n')
    parts = [text_part(plain)]
    if html:
        parts.append(html_part(hx))
        top = alternative(parts, 'Apple-Mail=_5D3F1A2B-6C7D-4E8F-9A0B-1C2D3E4F5A%02d' % n)
    else:
        top = parts[0]
    hdrs = ['X-Mailer: iPhone Mail (22B91)'] if iphone else ['X-Mailer: Apple Mail (2.3826.200.121)']
    return message(env, top, hdrs, '<7F2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D%02d@example.vn>' % n)


def zoho(env, new, html_new=None, n=1, text_quote_only=False):
    """Zoho Mail (vi): "---- Vào ... đã viết ---" then the unquoted
    original in the text part; HTML with zmail_extra."""
    o = env.orig
    attr = '---- Vào Th 2, 30 Thg 11 2026 08:00:00 +0700 %s <%s> đã viết ---' % (o.name, o.addr)
    plain = ('' if text_quote_only else new + '\n\n\n\n\n') + attr + '\n\n\n\n' + o.body + '\n'
    hx = ('<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><html><head><meta content="text/html;charset=UTF-8" '
          'http-equiv="Content-Type"></head><body ><div style="font-family: Verdana, Arial, Helvetica, sans-serif; font-size: '
          '10pt;">' + (html_new if html_new is not None else html_lines(new)) + '<div><br></div><div class="zmail_extra_hr" '
          'style="border-top: 1px solid rgb(204, 204, 204); height: 0px; margin-top: 10px; margin-bottom: 10px; line-height: '
          '0px;"><br></div><div class="zmail_extra" data-zmail_extra=""><div><br></div><div id="Zm-_Id_-Sgn1" '
          'data-zbluepencil-ignore="true">' + html_escape(attr) + '<br></div><div><br></div><blockquote style="margin: 0px;">'
          '<div>' + html_body(o) + '</div></blockquote></div><div><br></div></div><br></body></html>\n')
    top = alternative([text_part(plain), html_part(hx)], '----=_Part_218872_1466025338.17644704671%02d' % n)
    return message(env, top, ['User-Agent: Zoho Mail', 'X-Mailer: Zoho Mail', 'Importance: Medium'],
                   '<193c5a1b2c3.%02da7e5b1c2d3e4f.1234567890123456789@zoho.com>' % n)


def thunderbird(env, new, n=1, html=False, delsp=False):
    """Thunderbird (vi): text/plain format=flowed, "Vào lúc <time> <date>,
    <sender> đã viết:" then ">" lines; HTML with moz-cite-prefix."""
    o = env.orig
    attr = 'Vào lúc 08:00 30/11/2026, %s đã viết:' % o.name
    if html:
        hx = ('<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
              '  </head>\n  <body>\n    ' + html_lines(new, 'p') + '\n    <div class="moz-cite-prefix">' + html_escape(attr) +
              '<br>\n    </div>\n    <blockquote type="cite" cite="mid:' + o.msgid.strip('<>') + '">' + html_body(o) +
              '</blockquote>\n  </body>\n</html>\n')
        plain = new + '\n\n' + attr + '\n' + quote(o.body) + '\n'
        top = alternative([text_part(plain, cte='8bit', params='; format=flowed'), html_part(hx, cte='8bit')],
                          '------------a1b2c3d4e5f6a7b8c9d0e1%02d' % n)
        top.body = top.body.replace(b'charset="UTF-8"; format=flowed', b'charset=UTF-8; format=flowed')
    else:
        plain = flowed(new, delsp=delsp) + '\n\n' + attr + '\n' + flowed(o.body, prefix='> ') + '\n'
        top = Part('text/plain; charset=UTF-8; format=flowed' + ('; delsp=yes' if delsp else ''), plain.encode(), '8bit')
    return message(env, top, ['User-Agent: Mozilla Thunderbird', 'Content-Language: vi'],
                   '<1f2e3d4c-5b6a-4980-a1b2-c3d4e5f607%02d@example.vn>' % n)


def raw_plain(env, body_bytes, charset, cte='8bit', headers=(), n=1, msgid_host='example.vn'):
    """Any client: one text/plain part with exactly these body bytes."""
    if cte == 'quoted-printable':
        b = qp(body_bytes).encode()
    elif cte == 'base64':
        b = b64(body_bytes).encode()
    else:
        b = body_bytes
    tp = Part('text/plain; charset=' + charset, b, cte)
    return message(env, tp, list(headers), '<raw%02d.%s>' % (n, msgid_host.replace('.', '') + '@' + msgid_host))
