#!/usr/bin/env python3
"""Generate the Vietnamese reply corpus: one .eml per case plus expected.tsv.

Run from this directory: python3 gen.py. The .eml files are committed; this
script documents how each was built (real bytes: windows-1258 with
combining tone marks, VISCII, quoted-printable with soft breaks inside
"chối", base64, NFD, non-canonical mark order). expected.tsv columns:

  file  envelope-sender  kind  optout  question  check

optout: true/false, or the categories a refusal names (see gen_cases.py).
envelope-sender: "-" unknown (Return-Path header decides), "<>" null sender,
else the address. check: "-" none; "text=..." the new text exactly (\\n for
line breaks); "has=..." the new text contains it; "empty" no new text;
"bounce=a,b" the failed recipients; "reason=..." the reason.

Decisions on the open cases of /work/shared/corpus/refusal-cases.md:
- 8, 13, 14: no new text (only quotes, only an Outlook header block, or
  "Từ chối" only in a Subject that echoes ours) is not a refusal; it is
  routed to a person (question, reason quote_only/empty): nothing is lost.
- 14: a Subject counts when, after removing Re:/Fwd:/TL:/Trả lời:
  prefixes, the whole Subject or a part the customer added to ours (after
  " - ", in brackets) is a command (case14b_subject_is_command); a Subject
  that only echoes ours never is.
- 15: "tu choi" without diacritics is a refusal like "Từ chối" (issue 11:
  no diacritics is one of the ways customers write); with a question
  after it, it is a refusal and a question (case15b).
- 16: a pasted footer is cut by its fingerprint; a whole pasted message
  cannot be told from the customer's words: opt out and also route it to a
  person (case16c).
- 17: an inline reply whose own unquoted line is "Từ chối" is a refusal
  (issue 11), like a top-posted one.
- a disclaimer after the command is not a question (issue 11).
- greetings or thanks alone ("Cảm ơn LINKS!") are neither (greeting_only).
"""
import base64, quopri, unicodedata, os

FOOTER_VI = 'Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung "Từ chối".'
FOOTER_EN = 'If you no longer want these emails, reply to this email with the words "Từ chối".'
CONTACT = 'LINKS - Tầng 15, tòa nhà văn phòng Intracom, 33 Cầu Diễn, phường Phúc Diễn, quận Bắc Từ Liêm, Hà Nội'
ORIG_BODY = ('Kính gửi Quý khách,\n\nLINKS xin thông báo lịch bảo trì dịch vụ Internet vào 22:00 ngày 30/11.\n'
             'Trân trọng,\nLINKS\n\n-- \n' + FOOTER_VI + '\n' + FOOTER_EN + '\n' + CONTACT + '\nĐT: 0249 996 3579 - support@ilinks.asia')
ORIG_SUBJ = 'Thông báo bảo trì dịch vụ'
cases = []

def q(text, prefix='> '):
    return '\n'.join((prefix + l) if l else prefix.rstrip() for l in text.split('\n'))

def hdr_subject(s):
    try:
        s.encode('ascii')
        return s
    except UnicodeEncodeError:
        return '=?UTF-8?B?' + base64.b64encode(s.encode()).decode() + '?='

def headers(subject='Re: ' + ORIG_SUBJ, frm='Nguyễn Văn An <an.nguyen@example.vn>', extra=()):
    h = ['Return-Path: <an.nguyen@example.vn>',
         'From: ' + ('=?UTF-8?B?' + base64.b64encode(frm.split(' <')[0].encode()).decode() + '?= <' + frm.split(' <')[1] if ' <' in frm else frm),
         'To: LINKS <noreply@ilinks.asia>',
         'Subject: ' + hdr_subject(subject),
         'Date: Mon, 30 Nov 2026 09:15:00 +0700',
         'Message-ID: <r%d@example.vn>' % (len(cases) + 1),
         'In-Reply-To: <c1.42@ilinks.asia>',
         'MIME-Version: 1.0']
    h.extend(extra)
    return h

def plain(body, charset='UTF-8', cte='8bit', subject='Re: ' + ORIG_SUBJ, extra=(), frm=None, raw=None):
    h = headers(subject, extra=extra, **({'frm': frm} if frm else {}))
    h.append('Content-Type: text/plain; charset="%s"' % charset)
    h.append('Content-Transfer-Encoding: ' + cte)
    b = raw if raw is not None else body.encode('utf-8' if charset.lower() == 'utf-8' else charset)
    if cte == 'base64':
        b = base64.encodebytes(b)
    elif cte == 'quoted-printable':
        b = quopri.encodestring(b)
    return ('\r\n'.join(h) + '\r\n\r\n').encode() + b.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')

def alternative(text, html, subject='Re: ' + ORIG_SUBJ, extra=()):
    h = headers(subject, extra=extra)
    h.append('Content-Type: multipart/alternative; boundary="ALT"')
    parts = ['', '--ALT']
    if text is not None:
        parts += ['Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: base64', '',
                  base64.encodebytes(text.encode()).decode().rstrip('\n'), '--ALT']
    parts += ['Content-Type: text/html; charset="UTF-8"', 'Content-Transfer-Encoding: quoted-printable', '',
              quopri.encodestring(html.encode()).decode(), '--ALT--', '']
    return ('\r\n'.join(h) + '\r\n' + '\r\n'.join(parts)).encode()

def add(name, data, kind, optout, question, check='-', sender='-'):
    with open(name + '.eml', 'wb') as f:
        f.write(data)
    cases.append((name + '.eml', sender, kind, optout if isinstance(optout, str) else ('true' if optout else 'false'),
                  'true' if question else 'false', check))

GMAIL_VI = 'Vào Th 2, 30 thg 11, 2026 vào lúc 08:00 LINKS <noreply@ilinks.asia>\nđã viết:\n'
GMAIL_VI_LUC = 'Vào Th 2, 30 thg 11, 2026 lúc 08:00 LINKS <noreply@ilinks.asia> đã viết:\n'
GMAIL_VI_2017 = 'Vào 08:00 30 tháng 11, 2026, LINKS <noreply@ilinks.asia> đã viết:\n'
GMAIL_EN = 'On Mon, Nov 30, 2026 at 8:00 AM LINKS <noreply@ilinks.asia> wrote:\n'
TB_VI1 = 'Vào lúc 08:00 30/11/2026, LINKS đã viết:\n'
TB_VI2 = 'LINKS đã viết vào lúc 08:00 30/11/2026:\n'
TB_VI3 = 'LINKS đã viết:\n'
OUTLOOK_VI = ('________________________________\nTừ: LINKS <noreply@ilinks.asia>\nĐã gửi: Thứ Hai, 30 tháng 11, 2026 8:00\n'
              'Đến: an.nguyen@example.vn\nChủ đề: ' + ORIG_SUBJ + '\n\n')
OUTLOOK_VI_NOLINE = ('Từ: LINKS <noreply@ilinks.asia>\nĐã gửi: Thứ Hai, 30 tháng 11, 2026 8:00\n'
                     'Đến: an.nguyen@example.vn\nChủ đề: ' + ORIG_SUBJ + '\n\n')
OUTLOOK_EN = ('-----Original Message-----\nFrom: LINKS <noreply@ilinks.asia>\nSent: Monday, November 30, 2026 8:00 AM\n'
              'To: an.nguyen@example.vn\nSubject: ' + ORIG_SUBJ + '\n\n')

# --- refusal-cases.md, one file per case ---------------------------------
add('case01_tu_choi_gmail_vi', plain('Từ chối\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('case02a_lower_period', plain('từ chối.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('case02b_upper_bang', plain('TỪ CHỐI!\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('case02c_spaces', plain('  Từ   chối  \n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
nfd = unicodedata.normalize('NFD', 'Từ chối')
add('case03_nfd', plain(nfd + '\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
noncanon = 'Tu\u031b\u0300 cho\u0301\u0302i'   # tone before circumflex: o U+0301 U+0302
add('case04_noncanonical_marks', plain(noncanon + '\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
w1258 = b'\x54\xfd\xcc\x20\x63\x68\xf4\xec\x69'   # "Từ chối" in windows-1258, tone marks combining
add('case05_windows1258', plain(None, charset='windows-1258', cte='8bit',
    raw=w1258 + b'\n\n' + q(ORIG_BODY).encode('windows-1258', errors='replace')), 'reply', 1, 0, 'text=Từ chối')
add('case06a_sig_dashes', plain('Từ chối\n--\nNguyễn Văn A\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('case06b_sent_from_iphone', plain('Từ chối\n\nSent from my iPhone\n\n' + GMAIL_EN + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('case07_html_only_gmail', alternative(None,
    '<div dir="ltr">Từ chối</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
    'Vào Th 2, 30 thg 11, 2026 vào lúc 08:00 LINKS &lt;noreply@ilinks.asia&gt; đã viết:<br></div>'
    '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
    + ORIG_BODY.replace('\n', '<br>') + '</blockquote></div>'), 'reply', 1, 0, 'text=Từ chối')
add('case08_quote_only_footer', plain('\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1, 'reason=quote_only')
add('case09_why_refused', plain('Tại sao thanh toán bị từ chối?\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1, 'reason=question:passive')
add('case10_payment_was_refused', plain('Thanh toán của tôi bị từ chối\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('case11_negation', plain('Tôi không từ chối, tôi chỉ hỏi về hóa đơn tháng này.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('case12_refuse_payment_question', plain('Từ chối thanh toán là sao?\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('case13_outlook_header_only', plain(OUTLOOK_VI_NOLINE + ORIG_BODY), 'reply', 0, 1, 'empty')
add('case14_subject_echo_only', plain('\n' + GMAIL_VI + q(ORIG_BODY),
    subject='Re: Thông báo: trả lời Từ chối để ngừng nhận email'), 'reply', 0, 1, 'empty')
add('case14b_subject_is_command', plain('\n' + GMAIL_VI + q(ORIG_BODY), subject='Re: Từ chối'), 'reply', 1, 0, 'reason=subject:tu_choi')
add('case15a_tu_choi_ascii_alone', plain('tu choi\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'reason=command:tu_choi')
add('case15b_tu_choi_ascii_with_text', plain('tu choi, nhung cho hoi hoa don thang 11 bao nhieu\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 1)
add('case16_footer_pasted_unquoted', plain('Từ chối\n\n-- \n' + FOOTER_VI + '\n' + FOOTER_EN + '\n' + CONTACT), 'reply', 1, 0, 'text=Từ chối')
# A client that pastes our whole message unquoted: our body cannot be told
# from the customer's words, so it is read as text too. Decision: opt out
# (the command is there) and let a person read the rest (question).
add('case16c_whole_message_pasted', plain('Từ chối\n\n' + ORIG_BODY), 'reply', 1, 1, 'reason=command:tu_choi+question')
add('case16b_footer_without_separator', plain('Từ chối\n' + FOOTER_VI + '\n' + CONTACT), 'reply', 1, 0, 'text=Từ chối')
add('case17_inline_reply', plain('> Quý khách có muốn tiếp tục nhận email?\nTừ chối\n> LINKS xin cảm ơn.\n'), 'reply', 1, 0)

# --- header formats of vietnamese-reply-headers.md ------------------------
add('hdr_gmail_vi_vao_luc', plain('Từ chối ạ\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('hdr_gmail_vi_luc', plain('Từ chối\n\n' + GMAIL_VI_LUC + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('hdr_gmail_vi_2017', plain('Từ chối\n\n' + GMAIL_VI_2017 + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('hdr_gmail_en', plain('Unsubscribe\n\n' + GMAIL_EN + q(ORIG_BODY), subject='Re: ' + ORIG_SUBJ), 'reply', 1, 0, 'text=Unsubscribe')
add('hdr_thunderbird_vao_luc', plain('Từ chối\n\n' + TB_VI1 + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('hdr_thunderbird_da_viet_vao_luc', plain('Từ chối\n\n' + TB_VI2 + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('hdr_thunderbird_da_viet', plain('Từ chối\n\n' + TB_VI3 + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('hdr_thunderbird_thu_goc', plain('Từ chối\n\n-------- Thư gốc --------\nChủ đề: ' + ORIG_SUBJ + '\nNgày: 30/11/2026 08:00\nTừ: LINKS <noreply@ilinks.asia>\n\n' + ORIG_BODY), 'reply', 1, 0, 'text=Từ chối')
add('hdr_outlook_plain_vi', plain('Từ chối\n\n' + OUTLOOK_VI + ORIG_BODY), 'reply', 1, 0, 'text=Từ chối')
add('hdr_outlook_plain_en', plain('Please unsubscribe me.\n\n' + OUTLOOK_EN + ORIG_BODY), 'reply', 1, 0)
add('hdr_outlook_windows1258', plain(None, charset='windows-1258', cte='quoted-printable',
    raw=w1258 + b'\n\n' + OUTLOOK_VI.encode('windows-1258', errors='replace') + ORIG_BODY.encode('windows-1258', errors='replace')),
    'reply', 1, 0, 'text=Từ chối')
OWA = ('<div dir="ltr">%s</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%%" tabindex="-1">'
       '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>Từ:</b> LINKS &lt;noreply@ilinks.asia&gt;<br><b>Đã gửi:</b> Thứ Hai, 30 tháng 11, 2026 8:00<br>'
       '<b>Đến:</b> an.nguyen@example.vn<br><b>Chủ đề:</b> ' + ORIG_SUBJ + '</font></div><div>' + ORIG_BODY.replace('\n', '<br>') + '</div>')
add('hdr_outlook_web_html', alternative(None, OWA % 'Từ chối'), 'reply', 1, 0, 'text=Từ chối')
add('hdr_outlook_web_html_question', alternative(None, OWA % 'Cho tôi hỏi khi nào bảo trì xong?'), 'reply', 0, 1)
DESKTOP = ('<div class="WordSection1"><p class="MsoNormal">%s<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
           '<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class="MsoNormal">'
           '<b>From:</b> LINKS &lt;noreply@ilinks.asia&gt;<br><b>Sent:</b> Monday, November 30, 2026 8:00 AM<br><b>To:</b> An<br>'
           '<b>Subject:</b> ' + ORIG_SUBJ + '</p></div></div><p class="MsoNormal">' + ORIG_BODY.replace('\n', '<br>') + '</p></div>')
add('hdr_outlook_desktop_html', alternative(None, DESKTOP % 'Từ chối'), 'reply', 1, 0, 'text=Từ chối')
add('hdr_outlook_olk_src', alternative(None, '<div>Từ chối</div><span id="OLK_SRC_BODY_SECTION"><div>From: LINKS</div><div>' + ORIG_BODY.replace('\n', '<br>') + '</div></span>'), 'reply', 1, 0, 'text=Từ chối')
APPLE = ('<html><body dir="auto"><div>%s</div><div><br><blockquote type="cite">Vào 08:00, 30 thg 11, 2026, LINKS &lt;noreply@ilinks.asia&gt; đã viết:<br><br></blockquote></div>'
         '<blockquote type="cite"><div>' + ORIG_BODY.replace('\n', '<br>') + '</div></blockquote></body></html>')
add('client_apple_mail_html', alternative(None, APPLE % 'Từ chối'), 'reply', 1, 0, 'text=Từ chối')
add('client_apple_mail_plain', plain('Từ chối\n\n> Vào 08:00, 30 thg 11, 2026, LINKS <noreply@ilinks.asia> đã viết:\n>\n' + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
TB_HTML = ('<html><body><p>%s</p><div class="moz-cite-prefix">Vào lúc 08:00 30/11/2026, LINKS đã viết:<br></div>'
           '<blockquote type="cite">' + ORIG_BODY.replace('\n', '<br>') + '</blockquote></body></html>')
add('client_thunderbird_html', alternative(None, TB_HTML % 'Hủy đăng ký'), 'reply', 1, 0, 'reason=command:huy_dang_ky')
add('client_iphone_vi', plain('Từ chối\n\nGửi từ iPhone của tôi\n\n' + GMAIL_VI_2017 + q(ORIG_BODY)), 'reply', 1, 0, 'text=Từ chối')
add('client_iphone_question', plain('Sao tháng này cước cao vậy?\n\nGửi từ iPhone của tôi\n\n' + GMAIL_VI_2017 + q(ORIG_BODY)), 'reply', 0, 1)
add('client_gmail_alt_both', alternative('Từ chối\n\n' + GMAIL_VI + q(ORIG_BODY),
    '<div dir="ltr">Từ chối</div><div class="gmail_quote">...</div>'), 'reply', 1, 0, 'text=Từ chối')

# --- encodings -----------------------------------------------------------
add('enc_qp_soft_break_in_choi', plain(None, cte='8bit', extra=(),
    raw=b'T=E1=BB=AB ch=E1=BB=\n=91i\n\n' + quopri.encodestring(q(ORIG_BODY).encode())).replace(
    b'Content-Transfer-Encoding: 8bit', b'Content-Transfer-Encoding: quoted-printable'), 'reply', 1, 0, 'text=Từ chối')
add('enc_base64', plain('Từ chối\n\n' + GMAIL_VI + q(ORIG_BODY), cte='base64'), 'reply', 1, 0, 'text=Từ chối')
# "Từ chối" in VISCII (checked with iconv -t VISCII); Python has no VISCII codec
VISCII_TU_CHOI = [0x54, 0xD7, 0x20, 0x63, 0x68, 0xAF, 0x69]
add('enc_viscii', plain(None, charset='VISCII', raw=bytes(VISCII_TU_CHOI)), 'reply', 1, 0, 'text=Từ chối')
add('enc_iso8859_1_unsubscribe', plain('Unsubscribe, merci.\n\nLe lun. 30 nov. 2026 à 08:00, LINKS <noreply@ilinks.asia> a écrit :\n' + q('Bonjour'),
    charset='ISO-8859-1'), 'reply', 1, 0)
add('enc_us_ascii_tu_choi', plain('tu choi', charset='us-ascii'), 'reply', 1, 0, 'reason=command:tu_choi')
add('enc_invalid_utf8', plain(None, raw=b'T\xff\xfe chi ti\xe1\xbb\x81n\n'), 'reply', 0, 1, 'has=\ufffd')
add('enc_nbsp_zero_width', plain('T\u1eeb\u00a0ch\u1ed1i\u200b\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('enc_rfc2047_subject_only', plain('', subject='Từ chối'), 'reply', 1, 0, 'reason=subject:tu_choi')

# --- classification --------------------------------------------------------
add('cls_disclaimer', plain('Cảm ơn LINKS.\n\nTuyên bố từ chối trách nhiệm: Email này có thể chứa thông tin bảo mật.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 0)
add('cls_disclaimer_after_command', plain('Từ chối\n\nTrân trọng,\nNguyễn Văn An\nPhòng Kế toán\n\nTuyên bố từ chối trách nhiệm: Email này chỉ dành cho người nhận.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('cls_refusal_and_question', plain('Từ chối. Nhưng cho tôi hỏi hợp đồng của tôi hết hạn khi nào?\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 1, 'reason=command:tu_choi+question')
add('cls_sentence_verb', plain('Tôi từ chối nhận email quảng cáo từ LINKS.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 'promotion', 0)
add('cls_polite_particle', plain('Em xin từ chối ạ. Cảm ơn anh chị!\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('cls_greeting_command_name', plain('Chào LINKS,\n\nTừ chối\n\nNguyễn Văn An\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('cls_huy_dang_ky', plain('Huỷ đăng ký\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'reason=command:huy_dang_ky')
add('cls_khong_muon_nhan', plain('Tôi không muốn nhận email này nữa.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'reason=command:khong_nhan')
add('cls_khong_tu_choi', plain('Không từ chối\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('cls_bi_tu_choi_passive', plain('Thẻ của tôi bị từ chối khi thanh toán cước.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('cls_tu_choi_question_mark', plain('Từ chối?\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('cls_question_only', plain('Chào anh chị, cho em hỏi gói cước 200Mbps giá bao nhiêu ạ?\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1)
add('cls_thanks_only', plain('Cảm ơn LINKS!\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 0, 'reason=greeting_only')
add('cls_unsubscribe_english', plain('unsubscribe\n\nThanks,\nJohn\n\n' + GMAIL_EN + q(ORIG_BODY)), 'reply', 1, 0)
add('cls_stop_sending', plain('Đừng gửi email quảng cáo nữa\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 'promotion', 0)
add('cls_outlook_tu_label_then_text', plain('Từ chối nhận email\n' + OUTLOOK_VI_NOLINE + ORIG_BODY), 'reply', 1, 0, 'text=Từ chối nhận email')

# --- auto-replies ------------------------------------------------------------
add('auto_submitted', plain('Tôi đang nghỉ phép đến 05/12. Từ chối mọi cuộc họp.', subject='Trả lời tự động: ' + ORIG_SUBJ,
    extra=('Auto-Submitted: auto-replied',)), 'auto_reply', 0, 0, 'reason=auto_reply:auto_submitted')
add('auto_x_autoreply', plain('Out of office until Monday.', subject='Re: ' + ORIG_SUBJ, extra=('X-Autoreply: yes',)), 'auto_reply', 0, 0)
add('auto_precedence_bulk', plain('Từ chối', subject='Re: ' + ORIG_SUBJ, extra=('Precedence: bulk',)), 'auto_reply', 0, 0)
add('auto_subject_vi', plain('Tôi vắng mặt, sẽ trả lời sau.', subject='Trả lời tự động: ' + ORIG_SUBJ), 'auto_reply', 0, 0, 'reason=auto_reply:subject')
add('auto_subject_ooo_en', plain('I am out of the office.', subject='Out of Office: ' + ORIG_SUBJ), 'auto_reply', 0, 0)
add('auto_submitted_no_is_reply', plain('Từ chối', extra=('Auto-Submitted: no',)), 'reply', 1, 0)

# --- bounces -----------------------------------------------------------------
DSN = ('Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.vn (Mail Delivery System)\r\nTo: noreply@ilinks.asia\r\n'
       'Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n'
       'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"\r\n\r\n'
       '--DSN\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nI\'m sorry to have to inform you that your message could not be delivered.\r\n\r\n'
       '--DSN\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.vn\r\n\r\n'
       'Final-Recipient: rfc822; khach.hang@example.vn\r\nOriginal-Recipient: rfc822;khach.hang@example.vn\r\nAction: failed\r\nStatus: 5.1.1\r\n'
       'Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n'
       'Final-Recipient: rfc822; cham@example.vn\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n'
       'Final-Recipient: rfc822; <het.hop@example.vn>\r\nAction: failed\r\nStatus: 5.2.2\r\n\r\n'
       '--DSN\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: noreply@ilinks.asia\r\nSubject: ' + ORIG_SUBJ + '\r\n\r\n--DSN--\r\n')
add('bounce_dsn_postfix', DSN.encode(), 'bounce', 0, 0, 'bounce=khach.hang@example.vn,het.hop@example.vn', sender='<>')
add('bounce_dsn_unknown_sender', DSN.encode(), 'bounce', 0, 0, 'bounce=khach.hang@example.vn,het.hop@example.vn')
add('bounce_exim_x_failed', ('Return-Path: <>\r\nFrom: Mail Delivery System <Mailer-Daemon@mx.example.vn>\r\nTo: noreply@ilinks.asia\r\n'
    'Subject: Mail delivery failed: returning message to sender\r\nX-Failed-Recipients: sai.dia.chi@example.vn\r\n\r\n'
    'This message was created automatically by mail delivery software.\r\n').encode(), 'bounce', 0, 0, 'bounce=sai.dia.chi@example.vn', sender='<>')
add('bounce_null_sender_plain', plain('Từ chối'), 'bounce', 0, 0, 'reason=bounce:null_sender', sender='<>')
add('bounce_delayed_only', DSN.replace('Action: failed\r\nStatus: 5.1.1', 'Action: delayed\r\nStatus: 4.2.0').replace(
    'Action: failed\r\nStatus: 5.2.2', 'Action: delayed\r\nStatus: 4.2.2').encode(), 'bounce', 0, 0, 'bounce=', sender='<>')

# --- other ways to say it (not the literal "Từ chối") -------------------------
add('phrase_dung_gui', plain('Dừng gửi email cho tôi.\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0, 'reason=command:dung_gui')
add('phrase_khong_nhan_nua_two_clauses', plain('Không nhận nữa, dừng gửi email cho tôi\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 1, 0)
add('phrase_second_sentence', plain('Cảm ơn LINKS. Từ nay đừng gửi email quảng cáo cho tôi nữa.\n'), 'reply', 'promotion', 0)
add('phrase_khong_nhan_duoc_is_complaint', plain('Tôi không nhận được hóa đơn tháng 11 nữa\n\n' + GMAIL_VI + q(ORIG_BODY)), 'reply', 0, 1, 'reason=question')
add('phrase_ascii_dung_gui_with_question', plain('dung gui email nua. Hop dong cua toi het han khi nao?\n'), 'reply', 1, 1)

# --- robustness ----------------------------------------------------------------
add('robust_not_mime', b'This is not a message at all', 'reply', 0, 1)
add('robust_empty_body', plain(''), 'reply', 0, 1, 'reason=empty')
add('robust_attachment_not_read', ('\r\n'.join(headers()) + '\r\nContent-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\n'
    'Content-Type: text/plain; charset=UTF-8\r\n\r\nCho tôi hỏi về hóa đơn đính kèm.\r\n--M\r\nContent-Type: application/pdf\r\n'
    'Content-Disposition: attachment; filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    + base64.encodebytes('Từ chối'.encode() * 2000).decode().replace('\n', '\r\n') + '--M--\r\n').encode(), 'reply', 0, 1)
add('robust_text_attachment_ignored', ('\r\n'.join(headers()) + '\r\nContent-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\n'
    'Content-Type: text/plain; charset=UTF-8\r\n\r\nXem file đính kèm giúp tôi.\r\n--M\r\nContent-Type: text/plain; charset=UTF-8\r\n'
    'Content-Disposition: attachment; filename="note.txt"\r\n\r\nTừ chối\r\n--M--\r\n').encode(), 'reply', 0, 1)
add('robust_forwarded_rfc822_not_read', ('\r\n'.join(headers(subject='Fwd: ' + ORIG_SUBJ)) + '\r\nContent-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\n'
    'Content-Type: text/plain; charset=UTF-8\r\n\r\nNhờ xem giúp email này.\r\n--M\r\nContent-Type: message/rfc822\r\n\r\n'
    'From: x@example.vn\r\nSubject: hi\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nTừ chối\r\n--M--\r\n').encode(), 'reply', 0, 1)

with open('expected.tsv', 'w') as f:
    f.write('# Generated by gen.py: file, envelope sender, kind, optout, question, check\n')
    for c in cases:
        f.write('\t'.join(c) + '\n')
print(len(cases), 'cases')
