#!/usr/bin/env python3
"""Generate the second Vietnamese reply corpus (issue 11): one .eml per case
and cases.tsv. Run from this directory: python3 gen_cases.py.

Every case is a reply as a real client writes it (clients.py: Gmail web
and apps, Outlook desktop, web, iOS and Android in Vietnamese, Yahoo,
Zimbra, Roundcube, SquirrelMail, Mutt, Lotus Notes, Samsung Email, Apple
Mail, iOS Mail, Zoho, Thunderbird), judged as a Vietnamese support agent
would: any clear request to stop receiving our mail is a refusal, a
refusal that names one kind of mail refuses that kind only; ambiguity,
hypotheticals, questions about the mechanism and text only in quoted or
forwarded mail are not refusals. The classes and their rules are in
../CASES.md.

cases.tsv columns (tab separated):

  file  envelope-sender  kind  optout  question  check  class

optout: "false", or what is refused: "all" (our mail, no kind named), or
the categories named ("promotion", "survey", "maintenance", several
joined by "+"). question: whether a person must read the reply (anything
but the refusal, greetings, thanks, signatures, app signatures and
disclaimers). check: "-", or one more condition as in expected.tsv
("text=", "has=", "empty", "reason=").
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clients as C          # noqa: E402
import legacy as L           # noqa: E402
from clients import Env, PROMO, MAINT, SURVEY, custom  # noqa: E402

cases = []
seen = set()


def add(name, cls, data, optout='false', question=False, kind='reply', check='-', sender='-'):
    assert name not in seen, name
    seen.add(name)
    with open(name + '.eml', 'wb') as f:
        f.write(data)
    cases.append((name + '.eml', sender, kind, optout, 'true' if question else 'false', check, cls))


def n():
    return len(cases) + 1


def E(orig=PROMO, **kw):
    return Env(orig, **kw)


FV, FE = C.FOOTER_VI, C.FOOTER_EN
SIG_BLOCK = ('Trân trọng,\nNguyễn Văn An\nTrưởng phòng Kỹ thuật\nCông ty CP Thương mại ABC\n'
             'ĐT: 0912 345 678 | www.abc.vn')

# --- text layout: format=flowed ----------------------------------------------
add('lay_flowed_thunderbird_tu_choi', 'layout/flowed', C.thunderbird(E(), 'Chào LINKS,\n\nSau khi cân nhắc, tôi quyết '
    'định từ\x01chối nhận mọi email của công ty kể từ hôm nay.', n=n()), 'all')
add('lay_flowed_roundcube_ngung_gui', 'layout/flowed', C.roundcube(E(), 'Xin chào,\nTháng này tôi nhận được rất nhiều '
    'email khuyến mãi. Làm ơn ngừng\x01gửi email cho tôi.', n=n()), 'all')
add('lay_flowed_mutt_en', 'layout/flowed', C.mutt(E(), 'Hello,\n\n' + C.flowed('Please stop sending me\x01these '
    'newsletters. Thanks.') + '\n\n' + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(PROMO.body) + '\n',
    n=n(), flowed_=True), 'promotion')
add('lay_flowed_thunderbird_huy_dang_ky', 'layout/flowed', C.thunderbird(E(MAINT), 'Em muốn hủy đăng\x01ký nhận email '
    'từ LINKS ạ. Em cảm ơn.', n=n()), 'all')
add('lay_flowed_roundcube_khong_muon', 'layout/flowed', C.roundcube(E(), 'Kính gửi LINKS, tôi không muốn\x01nhận email '
    'quảng cáo nữa.', n=n(), html=True), 'promotion')
add('lay_flowed_passive_stays_negative', 'layout/flowed', C.thunderbird(E(), 'Giao dịch gia hạn tên miền của tôi bị '
    'từ\x01chối, nhờ LINKS kiểm tra giúp.', n=n()), 'false', True)

# --- text layout: format=flowed; delsp=yes --------------------------------------
add('lay_delsp_apple_tu_choi', 'layout/delsp', C.apple(E(), 'Tôi xin từ\x01chối nhận email từ LINKS.', n=n(),
    flowed_delsp=True), 'all')
add('lay_delsp_apple_inside_word', 'layout/delsp', C.apple(E(), 'Từ ch\x02ối', n=n(), flowed_delsp=True), 'all',
    check='text=Từ chối')
add('lay_delsp_thunderbird_dung_gui', 'layout/delsp', C.thunderbird(E(), 'Đừng gửi\x01email quảng cáo cho tôi nữa.',
    n=n(), delsp=True), 'promotion')
add('lay_delsp_roundcube_en', 'layout/delsp', C.roundcube(E(), 'Please remove me from\x01your mailing list.', n=n(),
    delsp=True), 'all')
add('lay_delsp_iphone_khong_nhan', 'layout/delsp', C.apple(E(MAINT), 'Không nhận\x01nữa', n=n(), iphone=True,
    flowed_delsp=True), 'all')
add('lay_delsp_negation_stays_negative', 'layout/delsp', C.apple(E(), 'Tôi không\x01từ chối, chỉ muốn đổi địa chỉ '
    'nhận hóa đơn.', n=n(), flowed_delsp=True), 'false', True)

# --- text layout: a hard line break inside the phrase -----------------------------
add('lay_break_iphone_tu_choi', 'layout/break', C.apple(E(), 'Từ\nchối', n=n(), iphone=True), 'all')
add('lay_break_gmail_huy_dang_ky', 'layout/break', C.gmail(E(), 'Hủy đăng\nký', n=n()), 'all')
add('lay_break_outlook_khong_muon', 'layout/break', C.outlook_desktop(E(), 'Tôi không muốn nhận\nemail của LINKS nữa.',
    n=n()), 'all')
add('lay_break_samsung_dung_gui', 'layout/break', C.samsung(E(), 'Đừng gửi\nemail nữa', n=n()), 'all')
add('lay_break_owa_xoa_ten', 'layout/break', C.owa(E(), 'Xóa tên tôi\nkhỏi danh sách gửi thư.', n=n()), 'all')
add('lay_break_passive_stays_negative', 'layout/break', C.yahoo(E(), 'Thẻ của tôi bị từ\nchối khi thanh toán cước.',
    n=n()), 'false', True)

# --- text layout: invisible characters --------------------------------------------
add('lay_zwsp_gmail', 'layout/invisible', C.gmail(E(), 'Từ\u200bchối', n=n()), 'all')
add('lay_zwnj_outlook', 'layout/invisible', C.outlook_desktop(E(), 'T\u200cừ ch\u200cối', n=n()), 'all')
add('lay_word_joiner_owa', 'layout/invisible', C.owa(E(), 'Từ\u2060 \u2060chối', n=n()), 'all')
add('lay_bom_notes', 'layout/invisible', C.notes(E(), '\ufeffTừ chối', n=n()), 'all')
add('lay_soft_hyphen_zimbra', 'layout/invisible', C.zimbra(E(), 'Từ chố\u00adi', n=n()), 'all')
add('lay_zwj_yahoo', 'layout/invisible', C.yahoo(E(), 'Từ chối\u200d\nXin cảm ơn', n=n()), 'all')
add('lay_lrm_owa', 'layout/invisible', C.owa(E(MAINT), '\u200eTừ chối\u200e', n=n()), 'all')
add('lay_invisible_negation_stays_negative', 'layout/invisible', C.gmail(E(), 'Không\u200b từ chối', n=n()), 'false',
    True)

# --- text layout: HTML numeric character references in plain text -----------------
def webmail_ncr(env, new, nn, enc=L.ncr, charset='iso-8859-1'):
    o = env.orig
    body = new + '\n\nOn Mon, November 30, 2026 8:00 am, LINKS wrote:\n' + C.quote(o.body) + '\n'
    return C.squirrelmail(env, None, n=nn, charset=charset, raw=enc(body))


add('lay_ncr_squirrelmail', 'layout/entities', webmail_ncr(E(), 'Từ chối', n()), 'all')
add('lay_ncr_hex', 'layout/entities', webmail_ncr(E(), 'Từ chối', n(), enc=L.ncr_hex, charset='us-ascii'), 'all')
add('lay_ncr_huy_dang_ky', 'layout/entities', webmail_ncr(E(), 'Hủy đăng ký nhận email', n()), 'all')
add('lay_ncr_named_and_numeric', 'layout/entities', webmail_ncr(E(MAINT), 'Không muốn nhận email nữa &amp; cảm ơn', n()),
    'all')
add('lay_ncr_passive_stays_negative', 'layout/entities', webmail_ncr(E(), 'Thanh toán bị từ chối, kiểm tra giúp tôi', n()),
    'false', True)

# --- keyboards: Telex residue -------------------------------------------------------
add('kbd_telex_tu_choi', 'charset/telex', C.gmail(E(), L.telex('Từ chối'), n=n()), 'all')
add('kbd_telex_huy_dang_ky', 'charset/telex', C.outlook_desktop(E(), L.telex('Hủy đăng ký'), n=n()), 'all')
add('kbd_telex_khong_muon_nhan', 'charset/telex', C.samsung(E(), L.telex('Không muốn nhận email nữa'), n=n()), 'all')
add('kbd_telex_dung_gui_quang_cao', 'charset/telex', C.gmail(E(), L.telex('Đừng gửi email quảng cáo nữa'), n=n(),
    app=True), 'promotion')
add('kbd_telex_half_typed', 'charset/telex', C.owa(E(), 'Từ ' + L.telex('chối'), n=n()), 'all')
add('kbd_telex_passive_stays_negative', 'charset/telex', C.gmail(E(), L.telex('Thanh toán bị từ chối'), n=n()),
    'false', True)

# --- keyboards: VNI keys residue --------------------------------------------------------
add('kbd_vni_tu_choi', 'charset/vni-keys', C.gmail(E(), L.vni_keys('Từ chối'), n=n()), 'all')
add('kbd_vni_huy_dang_ky', 'charset/vni-keys', C.yahoo(E(), L.vni_keys('Hủy đăng ký'), n=n()), 'all')
add('kbd_vni_khong_nhan_nua', 'charset/vni-keys', C.owa(E(), L.vni_keys('Không nhận email nữa'), n=n()), 'all')
add('kbd_vni_tone_last', 'charset/vni-keys', C.samsung(E(), 'Ngu7ng2 gu7i3 email', n=n()), 'all')
add('kbd_vni_negation_stays_negative', 'charset/vni-keys', C.gmail(E(), L.vni_keys('Không từ chối'), n=n()),
    'false', True)

# --- keyboards: VIQR ------------------------------------------------------------------------
add('kbd_viqr_tu_choi', 'charset/viqr', C.mutt(E(), L.viqr('Từ chối') + '\n\n' + C.MUTT_ATTR.format(name='LINKS')
    + '\n' + C.quote(PROMO.body) + '\n', n=n()), 'all')
add('kbd_viqr_huy_dang_ky', 'charset/viqr', C.gmail(E(), L.viqr('Hủy đăng ký'), n=n()), 'all')
add('kbd_viqr_khong_muon_nhan', 'charset/viqr', C.thunderbird(E(), L.viqr('Không muốn nhận email nữa') + '.', n=n()),
    'all')
add('kbd_viqr_dung_gui', 'charset/viqr', C.outlook_desktop(E(), L.viqr('Đừng gửi email nữa'), n=n()), 'all')
add('kbd_viqr_question_stays_negative', 'charset/viqr', C.gmail(E(), L.viqr('Tại sao thanh toán bị từ chối') + '?',
    n=n()), 'false', True)


# --- charsets: text typed in a VNI font, sent as windows-1252 -------------------------------
def outlook2003(env, new_bytes, nn, charset='windows-1252'):
    """Outlook 2003 / Outlook Express, plain text in the machine's code page;
    the quoted original loses what the code page cannot hold."""
    o = env.orig
    quoted = ('\n\n-----Original Message-----\nFrom: LINKS [mailto:%s] \nSent: Monday, November 30, 2026 8:00 AM\n'
              'To: an.nguyen@example.vn\nSubject: %s\n\n%s\n' % (o.addr, o.subject, o.body))
    return C.raw_plain(env, new_bytes + quoted.encode('cp1252', errors='replace'), charset, cte='quoted-printable',
                       headers=['X-Mailer: Microsoft Office Outlook 11', 'Thread-Index: AcbQ0x2Zm9vYmFy'], n=nn)


add('kbd_vnifont_tu_choi', 'charset/vni-font', outlook2003(E(), L.vni_font('Từ chối'), n()), 'all')
add('kbd_vnifont_khong_nhan', 'charset/vni-font', outlook2003(E(), L.vni_font('Không nhận email nữa'), n()), 'all')
add('kbd_vnifont_huy_dang_ky', 'charset/vni-font', outlook2003(E(), L.vni_font('Hủy đăng ký nhận tin'), n()), 'all')
add('kbd_vnifont_dung_gui_quang_cao', 'charset/vni-font', outlook2003(E(), L.vni_font('Xin đừng gửi email quảng cáo '
    'cho tôi nữa.'), n()), 'promotion')
add('kbd_vnifont_iso8859_1', 'charset/vni-font', outlook2003(E(), L.vni_font('Tôi từ chối nhận email của LINKS'), n(),
    charset='iso-8859-1'), 'all')
add('kbd_vnifont_passive_stays_negative', 'charset/vni-font', outlook2003(E(), L.vni_font('Thẻ của tôi bị từ chối khi '
    'thanh toán'), n()), 'false', True)

# --- charsets: UTF-8 bytes under a single-byte label ------------------------------------------
add('kbd_utf8_as_latin1_squirrelmail', 'charset/utf8-mislabel', C.squirrelmail(E(), 'Từ chối', n=n()), 'all')
add('kbd_utf8_as_cp1252_qp', 'charset/utf8-mislabel', C.raw_plain(E(), ('Hủy đăng ký\n\n' + FV + '\n').encode(),
    'windows-1252', cte='quoted-printable', headers=['X-Mailer: PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)'],
    n=n()), 'all')
add('kbd_utf8_as_latin1_mutt', 'charset/utf8-mislabel', C.mutt(E(), 'Không nhận email nữa, cảm ơn.\n\n'
    + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(PROMO.body) + '\n', n=n(), charset='utf-8').replace(
    b'charset=utf-8', b'charset=iso-8859-1'), 'all')
add('kbd_utf8_as_latin1_base64', 'charset/utf8-mislabel', C.raw_plain(E(), 'Đừng gửi email cho tôi nữa'.encode(),
    'ISO-8859-1', cte='base64', n=n()), 'all')
add('kbd_utf8_as_cp1252_negation_stays_negative', 'charset/utf8-mislabel', C.raw_plain(E(), 'Tôi không từ chối, chỉ '
    'hỏi giá gói Cloud VPS'.encode(), 'windows-1252', n=n()), 'false', True)
add('kbd_latin1_real_french_is_latin1', 'charset/utf8-mislabel', C.raw_plain(E(), "Bonjour, pouvez-vous m'envoyer la "
    'facture de novembre ? Merci, à bientôt.'.encode('iso-8859-1'), 'iso-8859-1', n=n()), 'false', True,
    check='has=à bientôt')

# --- charsets: 8-bit and windows-1258 Subjects ---------------------------------------------------
add('kbd_subject_8bit_utf8', 'charset/subject-8bit', C.gmail(E(subject_raw=('Re: ' + PROMO.subject + ' - Từ chối')
    .encode()), '', n=n()), 'all')
add('kbd_subject_raw_windows1258', 'charset/subject-8bit', C.raw_plain(E(subject_raw=L.cp1258('Từ chối')),
    L.cp1258('Nguyễn Văn An\n'), 'windows-1258', n=n()), 'all')
def q_word(raw, charset):
    return '=?%s?Q?%s?=' % (charset, ''.join(chr(c) if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122) else
                                           ('_' if c == 32 else '=%02X' % c) for c in raw))


add('kbd_subject_rfc2047_windows1258', 'charset/subject-8bit', C.raw_plain(E(SURVEY, subject_raw=(
    'Re: ' + q_word(L.cp1258(SURVEY.subject + ' - Không tham gia khảo sát nữa'), 'windows-1258')).encode()),
    b'', 'windows-1258', n=n()), 'survey')
add('kbd_subject_8bit_latin1_body', 'charset/subject-8bit', C.squirrelmail(E(subject_raw=('Re: ' + PROMO.subject +
    ' - TỪ CHỐI').encode()), '', n=n()), 'all')
add('kbd_subject_vni_font', 'charset/subject-8bit', outlook2003(E(subject_raw=L.vni_font('Từ chối')), b'', n()), 'all')
add('kbd_subject_8bit_echo_stays_negative', 'charset/subject-8bit', C.gmail(E(subject_raw=('Re: ' + PROMO.subject)
    .encode()), 'Cảm ơn LINKS.', n=n()), 'false', False)

# --- where: only in the Subject --------------------------------------------------------------------
add('pos_subject_gmail_dash', 'where/subject', C.gmail(E(subject='Re: ' + PROMO.subject + ' - TỪ CHỐI'), '', n=n()),
    'all')
add('pos_subject_outlook_replaced', 'where/subject', C.outlook_desktop(E(subject='Từ chối'), '', n=n()), 'all')
add('pos_subject_signature_only_body', 'where/subject', C.owa(E(subject='RE: ' + PROMO.subject + ' [Từ chối]'),
    'Trân trọng,\nNguyễn Văn An\nPhòng Kế toán - Công ty TNHH Minh Phát\nĐT: 0903 123 456', n=n()), 'all')
add('pos_subject_command_first', 'where/subject', C.yahoo(E(subject='Từ chối - Re: ' + PROMO.subject), '', n=n()),
    'all')
add('pos_subject_iphone_signature', 'where/subject', C.apple(E(MAINT, subject='Re: ' + MAINT.subject +
    ' - Hủy đăng ký'), '', n=n(), iphone=True), 'all')
add('pos_subject_survey_samsung', 'where/subject', C.samsung(E(SURVEY, subject='Re: ' + SURVEY.subject +
    ' - không nhận khảo sát nữa'), '', n=n()), 'survey')
add('neg_subject_echo_with_tu_choi', 'where/subject', C.gmail(E(custom('Hướng dẫn từ chối nhận email quảng cáo từ LINKS')),
    'Cảm ơn LINKS.', n=n()), 'false', False)
add('neg_subject_echo_empty_body', 'where/subject', C.outlook_desktop(E(custom('Trả lời Từ chối để ngừng nhận email: '
    'hướng dẫn')), '', n=n()), 'false', True, check='empty')
add('neg_subject_asks_how', 'where/subject', C.gmail(E(subject='Re: ' + PROMO.subject + ' - từ chối thế nào?'), '',
    n=n()), 'false', True)

# --- where: an inline or bottom-posted reply -------------------------------------------------------
PB = PROMO.body.split('\n')
add('pos_inline_mutt', 'where/inline', C.mutt(E(), C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote('\n'.join(PB[:3]))
    + '\n\nTừ chối.\n\n' + C.quote('\n'.join(PB[4:])) + '\n', n=n()), 'all')
add('pos_bottom_thunderbird', 'where/inline', C.mutt(E(), 'Vào lúc 08:00 30/11/2026, LINKS đã viết:\n' + C.quote(PROMO.body)
    + '\n\nTừ chối nhận email quảng cáo.\n', n=n()).replace(b'User-Agent: Mutt/2.2.12 (2023-09-09)',
    b'User-Agent: Mozilla Thunderbird'), 'promotion')
SURVEY_Q = custom('Khảo sát nhanh: Quý khách có hài lòng với LINKS?', 'Kính gửi Quý khách,\n\n1. Quý khách có hài lòng '
                  'với tốc độ hỗ trợ không?\n2. Quý khách có muốn tiếp tục nhận khảo sát định kỳ không?\n\nTrân trọng,\nLINKS')
SQ = SURVEY_Q.body.split('\n')
add('pos_inline_answers_survey', 'where/inline', C.mutt(E(SURVEY_Q), C.MUTT_ATTR.format(name='LINKS') + '\n'
    + C.quote('\n'.join(SQ[:3])) + '\nCó.\n' + C.quote(SQ[3]) + '\nKhông, đừng gửi nữa.\n' + C.quote('\n'.join(SQ[4:]))
    + '\n', n=n()), 'all', True)
add('pos_inline_refusal_and_question', 'where/inline', C.mutt(E(), C.MUTT_ATTR.format(name='LINKS') + '\n'
    + C.quote('\n'.join(PB[:3])) + '\nGiảm 30% có áp dụng cho gói 24 tháng không?\n\n' + C.quote('\n'.join(PB[4:]))
    + '\nTừ chối email quảng cáo.\n', n=n()), 'promotion', True)
add('pos_bottom_roundcube', 'where/inline', C.mutt(E(), 'Vào 2026-11-30 08:00, LINKS đã viết:\n' + C.quote(PROMO.body)
    + '\n\nHuỷ đăng ký giúp tôi.\n', n=n()).replace(b'User-Agent: Mutt/2.2.12 (2023-09-09)',
    b'User-Agent: Roundcube Webmail/1.6.9'), 'all')
add('neg_inline_negation', 'where/inline', C.mutt(E(), C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote('\n'.join(PB[:3]))
    + '\nTôi không từ chối, nhưng muốn nhận ít email hơn.\n' + C.quote('\n'.join(PB[4:])) + '\n', n=n()), 'false', True)

# --- where: "=> Từ chối" under our pasted instruction ----------------------------------------------
add('pos_pasted_arrow_outlook', 'where/pasted', C.outlook_desktop(E(), FV + '\n=> Từ chối', n=n()), 'all')
add('pos_pasted_quoted_line_gmail', 'where/pasted', C.gmail(E(), '"' + FV + '"\n-> Từ chối', n=n()), 'all')
add('pos_pasted_unicode_arrow_owa', 'where/pasted', C.owa(E(), FV + '\n→ Từ chối ạ', n=n()), 'all')
add('pos_pasted_noi_dung_yahoo', 'where/pasted', C.yahoo(E(), FV + '\nNội dung: Từ chối', n=n()), 'all')
add('pos_pasted_both_lines_iphone', 'where/pasted', C.apple(E(), FV + '\n' + FE + '\n\n=> TỪ CHỐI', n=n(), iphone=True),
    'all')
add('neg_pasted_instruction_only', 'where/pasted', C.gmail(E(), FV, n=n()), 'false', True)
add('neg_pasted_then_question', 'where/pasted', C.gmail(E(), FV + '\nVậy trả lời như thế này là được à?', n=n()),
    'false', True)

# --- where: only the HTML alternative has the new text -------------------------------------------------
add('pos_htmlonly_yahoo', 'where/html-alt', C.yahoo(E(), 'Từ chối', n=n(), text_quote_only=True), 'all')
add('pos_htmlonly_zoho', 'where/html-alt', C.zoho(E(), 'Hủy đăng ký', n=n(), text_quote_only=True), 'all')
add('pos_htmlonly_samsung', 'where/html-alt', C.samsung(E(), 'Không nhận email nữa', n=n(), text_quote_only=True), 'all')
add('pos_htmlonly_outlook_android', 'where/html-alt', C.owa(E(), 'Từ chối', n=n(), mobile='Android',
    text_quote_only=True), 'all')
add('pos_htmlonly_gmail', 'where/html-alt', C.gmail(E(), 'Ngừng gửi email giúp tôi', plain_new='', n=n()), 'all')
add('neg_htmlonly_question', 'where/html-alt', C.yahoo(E(), 'Khi nào hết hạn ưu đãi?', n=n(), text_quote_only=True),
    'false', True)

# --- where: with an emoji ---------------------------------------------------------------------------------
add('pos_emoji_pray_iphone', 'where/emoji', C.apple(E(), 'Từ chối 🙏', n=n(), iphone=True), 'all')
add('pos_emoji_zwj_sequence', 'where/emoji', C.gmail(E(), '🙅\u200d♀️ Từ chối nhé', n=n(), app=True), 'all')
add('pos_emoji_smile_samsung', 'where/emoji', C.samsung(E(), 'Hủy đăng ký ạ 😊', n=n()), 'all')
add('pos_emoji_stop_hand', 'where/emoji', C.owa(E(), 'STOP ✋🏻', n=n(), mobile='iOS'), 'all')
add('pos_emoji_angry', 'where/emoji', C.gmail(E(), 'Đừng gửi email nữa 😡😡', n=n()), 'all')
add('neg_emoji_question', 'where/emoji', C.gmail(E(), 'Từ chối là sao ạ? 🤔', n=n()), 'false', True)

# --- what counts: a clause of a longer reply ----------------------------------------------------------------
add('cnt_clause_thanks_then_refusal', 'counts/clause', C.gmail(E(), 'Dạ em cảm ơn anh chị đã hỗ trợ em vụ tên miền hôm '
    'trước. Còn email quảng cáo thì em từ chối nhé.', n=n()), 'promotion')
add('cnt_clause_invoice_received', 'counts/clause', C.outlook_desktop(E(), 'Chào chị Hà,\n\nHóa đơn tháng 11 em nhận được '
    'rồi ạ. Riêng các email khuyến mãi thì em xin phép không nhận nữa.\n\nEm cảm ơn.', n=n()), 'promotion')
add('cnt_clause_middle', 'counts/clause', C.thunderbird(E(), 'Chào LINKS, gói VPS của tôi chạy ổn định. Từ nay đừng '
    'gửi email giới thiệu sản phẩm cho tôi nữa. Khi nào cần tôi sẽ chủ động liên hệ.', n=n()), 'promotion', True)
add('cnt_clause_then_question', 'counts/clause', C.owa(E(SURVEY), 'Tôi từ chối nhận email khảo sát. Cho tôi hỏi hóa '
    'đơn VAT tháng 11 đã xuất chưa?', n=n()), 'survey', True)
add('cnt_clause_english_letter', 'counts/clause', C.gmail(E(), 'Hi team,\n\nThanks for the quick fix on the DNS issue '
    'last week. By the way, please take me off your marketing list.\n\nBest,\nJohn', n=n()), 'promotion')
add('cnt_clause_southern', 'counts/clause', C.samsung(E(), 'Dạ em chào anh, mấy cái mail khuyến mãi anh đừng gởi cho em '
    'nữa nha, em hông có xài tới.', n=n()), 'promotion')
add('cnt_clause_formal_letter', 'counts/clause', C.outlook_desktop(E(), 'Kính gửi: Công ty Cổ phần LINKS\n\nCông ty '
    'TNHH Thương mại Minh Phát đề nghị Quý Công ty ngừng gửi thư điện tử quảng cáo đến địa chỉ ketoan@minhphat.vn kể từ '
    'ngày nhận được thư này.\n\nTrân trọng,\nTM. Công ty TNHH Thương mại Minh Phát\nGiám đốc\nTrần Thị Bích', n=n()),
    'promotion')

# --- what counts: a complaint that ends in a stop request --------------------------------------------------
add('cnt_complaint_still_receiving', 'counts/complaint', C.gmail(E(), 'Tôi đã trả lời Từ chối từ tháng trước mà vẫn '
    'nhận được email quảng cáo! Đề nghị ngừng gửi ngay.', n=n()), 'all', True)
add('cnt_complaint_spam', 'counts/complaint', C.owa(E(), 'Spam quá! Không nhận nữa.', n=n()), 'all')
add('cnt_complaint_english_why', 'counts/complaint', C.gmail(E(), 'Why do you keep emailing me? I never signed up for '
    'this. Stop.', n=n()), 'all', True)
add('cnt_complaint_daily', 'counts/complaint', C.samsung(E(), 'Ngày nào cũng gửi, phiền quá. Xóa email tôi khỏi danh '
    'sách đi.', n=n()), 'all', True)
add('cnt_complaint_southern', 'counts/complaint', C.yahoo(E(), 'Email gì mà gửi hoài vậy trời, bực mình ghê. Thôi đừng '
    'gởi nữa.', n=n()), 'all', True)
add('cnt_complaint_formal', 'counts/complaint', C.outlook_desktop(E(), 'Chúng tôi đã nhiều lần yêu cầu nhưng LINKS vẫn '
    'tiếp tục gửi thư quảng cáo. Yêu cầu LINKS chấm dứt ngay việc gửi thư quảng cáo tới địa chỉ này.', n=n()),
    'promotion', True)

# --- what counts: paraphrases, registers, regions, abbreviations, misspellings --------------------------------
add('par_xoa_ten_khoi_danh_sach', 'counts/paraphrase', C.gmail(E(), 'Xóa tên tôi khỏi danh sách', n=n()), 'all')
add('par_dung_gui_cho_toi_nua', 'counts/paraphrase', C.owa(E(), 'Đừng gửi email cho tôi nữa', n=n()), 'all')
add('par_ngung_gui_thu', 'counts/paraphrase', C.zimbra(E(), 'Ngừng gửi thư', n=n()), 'all')
add('par_huy_nhan_tin', 'counts/paraphrase', C.roundcube(E(), 'Hủy nhận tin', n=n()), 'all')
add('par_khong_nhan_nua', 'counts/paraphrase', C.samsung(E(), 'Không nhận nữa', n=n()), 'all')
add('par_southern_goi_tui', 'counts/paraphrase', C.yahoo(E(), 'Đừng gởi mail cho tui nữa nha', n=n()), 'all')
add('par_southern_khoi_gui', 'counts/paraphrase', C.apple(E(), 'Khỏi gửi nữa nghen', n=n(), iphone=True), 'all')
add('par_teen_ko_nhan', 'counts/paraphrase', C.gmail(E(), 'ko nhận mail nữa nha ad', n=n(), app=True), 'all')
add('par_teen_hok_mun', 'counts/paraphrase', C.samsung(E(), 'hok mún nhận mail nx đâu', n=n()), 'all')
add('par_nodiac_xoa_ten', 'counts/paraphrase', C.squirrelmail(E(), 'xoa ten toi khoi danh sach gui mail', n=n(),
    charset='us-ascii'), 'all')
add('par_nodiac_dung_gui', 'counts/paraphrase', C.mutt(E(), 'dung gui email cho toi nua\n\n' + C.MUTT_ATTR.format(
    name='LINKS') + '\n' + C.quote(PROMO.body) + '\n', n=n()), 'all')
add('par_nodiac_khong_muon_quang_cao', 'counts/paraphrase', C.thunderbird(E(), 'khong muon nhan email quang cao nua, '
    'cam on', n=n()), 'promotion')
add('par_misspelt_tu_troi', 'counts/paraphrase', C.gmail(E(), 'Từ trối', n=n()), 'all')
add('par_misspelt_huy_dang_ki', 'counts/paraphrase', C.outlook_desktop(E(), 'hũy đăng kí', n=n()), 'all')
add('par_misspelt_unsubcribe', 'counts/paraphrase', C.gmail(E(), 'unsubcribe', n=n()), 'all')
add('par_go_khoi_danh_sach', 'counts/paraphrase', C.zoho(E(), 'Gỡ email của tôi ra khỏi danh sách gửi thư giúp em với',
    n=n()), 'all')
add('par_khong_dong_y_nhan', 'counts/paraphrase', C.outlook_desktop(E(), 'Tôi không đồng ý nhận email quảng cáo từ '
    'LINKS.', n=n()), 'promotion')
add('par_rut_lai_dong_y', 'counts/paraphrase', C.owa(E(), 'Tôi rút lại sự đồng ý nhận email từ LINKS theo Nghị định '
    '13/2023/NĐ-CP.', n=n()), 'all')
add('par_dung_spam', 'counts/paraphrase', C.apple(E(), 'Đừng spam nữa', n=n(), iphone=True), 'all')
add('par_cho_ra_khoi_danh_sach', 'counts/paraphrase', C.samsung(E(), 'Cho tôi ra khỏi danh sách nhận email', n=n()),
    'all')
add('par_vui_long_khong_gui', 'counts/paraphrase', C.roundcube(E(), 'Vui lòng không gửi email quảng cáo đến địa chỉ '
    'này.', n=n()), 'promotion')
add('par_dung_lam_phien', 'counts/paraphrase', C.mutt(E(), 'Làm ơn đừng làm phiền tôi bằng email nữa.\n\n'
    + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(PROMO.body) + '\n', n=n()), 'all')
add('par_khong_can_gui', 'counts/paraphrase', C.yahoo(E(), 'Không cần gửi cho tôi những email như thế này nữa', n=n()),
    'all')
add('par_cam_gui', 'counts/paraphrase', C.gmail(E(), 'Cấm gửi mail cho tôi!', n=n()), 'all')
add('par_thoi_dung_gui', 'counts/paraphrase', C.zimbra(E(), 'Thôi, đừng gửi nữa nhé', n=n(), html=False), 'all')
add('par_nodiac_huy_dk', 'counts/paraphrase', C.notes(E(), 'huy dk nhan mail', n=n(), style='wrote'), 'all')

# --- what counts: English from foreign customers ----------------------------------------------------------------
def gmail_en(env, new, nn):
    o = env.orig
    plain = new + '\n\nOn Mon, Nov 30, 2026 at 8:00 AM %s <%s> wrote:\n\n' % (o.name, o.addr) + C.quote(o.body) + '\n'
    html = ('<div dir="ltr">%s</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 30, 2026 '
            'at 8:00 AM %s &lt;%s&gt; wrote:<br></div><blockquote class="gmail_quote">%s</blockquote></div>'
            % (C.html_lines(new), o.name, o.addr, C.html_body(o)))
    top = C.alternative([C.text_part(plain), C.html_part(html)], '00000000000077e1d80627f1%02d' % nn)
    return C.message(env, top, [], '<CAKp2x9Vn%02dQ7s+eYw1mZ3rTq8uBn0a@mail.gmail.com>' % nn)


JOHN = 'John Miller <john.miller@example.com>'
add('en_unsubscribe_outlook', 'counts/english', C.outlook_desktop(E(frm=JOHN), 'Unsubscribe', n=n()), 'all')
add('en_remove_from_list', 'counts/english', gmail_en(E(frm=JOHN), 'Please remove me from your mailing list.', n()), 'all')
add('en_stop_emailing_me', 'counts/english', C.apple(E(frm=JOHN), 'Stop emailing me.', n=n()), 'all')
add('en_take_me_off', 'counts/english', C.mutt(E(frm=JOHN), 'Take me off this list, thanks.\n\n'
    + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(PROMO.body) + '\n', n=n()), 'all')
add('en_no_longer_wish', 'counts/english', C.owa(E(frm=JOHN), 'I no longer wish to receive these emails.', n=n()), 'all')
add('en_no_more_emails', 'counts/english', C.thunderbird(E(frm=JOHN), 'No more emails please.', n=n()), 'all')
add('en_opt_me_out', 'counts/english', gmail_en(E(frm=JOHN), 'Opt me out.', n()), 'all')
add('en_no_promotional_offers', 'counts/english', gmail_en(E(frm=JOHN), 'Do not send me any more promotional offers.',
    n()), 'promotion')
add('en_neg_how_to_unsubscribe', 'counts/english', gmail_en(E(frm=JOHN), 'How do I unsubscribe from the maintenance '
    'notices only?', n()), 'false', True)
add('en_neg_dont_want_to_unsubscribe', 'counts/english', C.owa(E(frm=JOHN), "I don't want to unsubscribe, I just want "
    'the invoices sent to billing@acme.example instead.', n=n()), 'false', True)
add('en_neg_dont_stop', 'counts/english', gmail_en(E(MAINT, frm=JOHN), "Please don't stop sending the maintenance "
    'notices, they are useful.', n()), 'false', True)

# --- what counts: refusals limited to one kind of mail ------------------------------------------------------------
add('cat_no_more_surveys', 'counts/category', gmail_en(E(SURVEY, frm=JOHN), 'No more surveys, please.', n()), 'survey')
add('cat_khao_sat', 'counts/category', C.owa(E(SURVEY), 'Tôi không tham gia khảo sát, đừng gửi khảo sát cho tôi nữa.',
    n=n()), 'survey')
add('cat_keep_maintenance', 'counts/category', C.outlook_desktop(E(MAINT), 'Tôi chỉ muốn nhận thông báo bảo trì, còn '
    'email quảng cáo thì thôi không nhận.', n=n()), 'promotion')
add('cat_keep_invoices', 'counts/category', C.gmail(E(), 'Đừng gửi khuyến mãi nữa, hóa đơn thì vẫn gửi bình thường nhé.',
    n=n()), 'promotion')
add('cat_en_marketing_keep_invoices', 'counts/category', C.mutt(E(frm=JOHN), 'Stop sending marketing emails. Keep the '
    'invoices coming.\n\n' + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(PROMO.body) + '\n', n=n()), 'promotion')
add('cat_survey_and_promotion', 'counts/category', C.samsung(E(), 'Đừng gửi email khảo sát và quảng cáo cho tôi nữa.',
    n=n()), 'survey+promotion')
add('cat_bare_refusal_to_survey_is_all', 'counts/category', C.gmail(E(SURVEY), 'Từ chối', n=n()), 'all')

# --- negatives that must stay negative ------------------------------------------------------------------------------
add('neg_passive_card_declined', 'negative', C.gmail(E(), 'Thẻ tín dụng của tôi bị từ chối khi gia hạn tên miền, nhờ '
    'LINKS kiểm tra.', n=n()), 'false', True)
add('neg_negation_only_asking', 'negative', C.owa(E(), 'Tôi không từ chối, chỉ muốn hỏi giá gói Email Hosting 50 người '
    'dùng.', n=n()), 'false', True)
add('neg_never_refused', 'negative', C.yahoo(E(), 'Tôi chưa bao giờ từ chối nhận email, sao tháng này không thấy bản tin '
    'nữa?', n=n()), 'false', True)
add('neg_disclaimer_with_question', 'negative', C.outlook_desktop(E(MAINT), 'Cho tôi hỏi lịch bảo trì có thay đổi '
    'không?\n\nTrân trọng,\nLê Minh\n\nTUYÊN BỐ TỪ CHỐI TRÁCH NHIỆM: Thư điện tử này và các tệp đính kèm có thể chứa '
    'thông tin bảo mật, chỉ dành cho người nhận có tên ở trên. Nếu bạn không phải là người nhận mong muốn, vui lòng xóa '
    'thư này.', n=n()), 'false', True)
add('neg_declined_call', 'negative', C.samsung(E(), 'Hôm qua tôi đã từ chối cuộc gọi từ một số lạ tự xưng là nhân viên '
    'LINKS, có đúng là bên bạn gọi không?', n=n()), 'false', True)
add('neg_how_to_refuse', 'negative', C.gmail(E(), 'Làm sao để từ chối nhận email quảng cáo ạ?', n=n()), 'false', True)
add('neg_if_refuse_then_cut', 'negative', C.apple(E(), 'Nếu tôi trả lời Từ chối thì có bị cắt dịch vụ không?', n=n(),
    iphone=True), 'false', True)


def calendar_decline(env, nn):
    cal = ('BEGIN:VCALENDAR\nMETHOD:REPLY\nPRODID:Microsoft Exchange Server 2010\nVERSION:2.0\nBEGIN:VEVENT\n'
           'ATTENDEE;PARTSTAT=DECLINED:mailto:an.nguyen@example.vn\nSUMMARY;LANGUAGE=vi-VN:Đã từ chối: Họp rà soát hợp '
           'đồng dịch vụ năm 2027\nDTSTART:20261203T020000Z\nUID:040000008200E00074C5B7101A82E008\nEND:VEVENT\n'
           'END:VCALENDAR\n')
    text = C.text_part('', cte='quoted-printable')
    calp = C.Part('text/calendar; charset="utf-8"; method=REPLY', C.b64(cal.encode()).encode(), 'base64')
    return C.message(env, C.alternative([text, calp], '_000_KL1PR0601MB4123CAL%02d_' % nn),
                     ['Thread-Topic: ' + C.hdr_word('Họp rà soát hợp đồng dịch vụ năm 2027'), 'Content-Language: vi-VN'],
                     '<KL1PR0601MB4123CAL%02d@KL1PR0601MB4123.apcprd06.prod.outlook.com>' % nn)


add('neg_calendar_declined', 'negative', calendar_decline(E(custom('Mời họp: Họp rà soát hợp đồng dịch vụ năm 2027'),
    subject='Đã từ chối: Họp rà soát hợp đồng dịch vụ năm 2027'), n()), 'false', True)
FWD = ('---------- Forwarded message ---------\nFrom: Trần Bình <binh.tran@example.vn>\nDate: Sun, Nov 29, 2026 at 8:15 PM\n'
       'Subject: Re: ' + PROMO.subject + '\nTo: LINKS <noreply@ilinks.asia>\n\n\nTừ chối\n\n')
add('neg_forwarded_refusal', 'negative', C.gmail(E(subject='Fwd: Re: ' + PROMO.subject), 'Chuyển tiếp cho anh Minh xem '
    'email khách này gửi, anh kiểm tra giúp em tài khoản của khách.\n\n' + FWD, n=n()), 'false', True)
add('neg_older_quote_refusal', 'negative', C.mutt(E(), 'Tôi muốn đăng ký nhận lại bản tin của LINKS.\n\n'
    + C.MUTT_ATTR.format(name='LINKS') + '\n> Xác nhận: Quý khách đã ngừng nhận email từ LINKS.\n>\n'
    '> Vào 2026-10-01 08:00, Nguyễn Văn An đã viết:\n> > Từ chối\n', n=n()), 'false', True)
add('neg_cancel_plan', 'negative', C.owa(E(), 'Hủy đăng ký gói cước Cloud VPS giúp tôi từ tháng sau.', n=n()), 'false', True)
add('neg_cancel_service', 'negative', C.gmail(E(), 'Tôi muốn hủy dịch vụ hosting, thủ tục thế nào?', n=n()), 'false', True)
add('neg_paper_invoice', 'negative', C.outlook_desktop(E(), 'Ngừng gửi hóa đơn giấy, chỉ gửi hóa đơn điện tử qua email '
    'thôi.', n=n()), 'false', True)
add('neg_new_address', 'negative', C.zimbra(E(), 'Đừng gửi email vào địa chỉ này nữa, hãy gửi sang địa chỉ mới: '
    'an.moi@example.vn', n=n()), 'false', True)
add('neg_not_received', 'negative', C.yahoo(E(), 'Tôi không nhận được email xác nhận thanh toán tháng 11.', n=n()),
    'false', True)
add('neg_why_stopped', 'negative', C.samsung(E(), 'Sao tự nhiên LINKS ngừng gửi email thông báo cho tôi vậy?', n=n()),
    'false', True)
add('neg_customer_refused_payment', 'negative', C.outlook_desktop(E(), 'Khách hàng của tôi từ chối thanh toán hóa đơn, '
    'LINKS xuất lại hóa đơn giúp được không?', n=n()), 'false', True)
add('neg_refuse_renewal', 'negative', C.gmail(E(), 'Tôi từ chối gia hạn hợp đồng thuê máy chủ năm 2027.', n=n()),
    'false', True)
add('neg_dont_stop_maintenance', 'negative', C.owa(E(MAINT), 'Đừng ngừng gửi thông báo bảo trì nhé, rất hữu ích.',
    n=n()), 'false', True)
add('neg_not_me', 'negative', C.mutt(E(), 'Không phải tôi muốn hủy đăng ký đâu, có lẽ ai đó đã trả lời nhầm.\n\n'
    + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(PROMO.body) + '\n', n=n()), 'false', True)
add('neg_threat_if_more', 'negative', C.apple(E(), 'Nếu còn gửi quảng cáo nữa thì tôi sẽ hủy dịch vụ.', n=n(),
    iphone=True), 'false', True)
add('neg_would_refuse_if', 'negative', C.gmail(E(), 'Tôi sẽ từ chối nếu giá không giảm.', n=n()), 'false', True)
add('neg_what_is_tu_choi', 'negative', C.zoho(E(), 'Từ chối là sao? Tôi không hiểu nội dung email.', n=n()), 'false', True)
add('neg_wants_more', 'negative', C.roundcube(E(), 'Tôi muốn nhận thêm email ưu đãi, gửi cho tôi cả bản tin hàng tháng '
    'nhé.', n=n()), 'false', True)
add('neg_no_objection', 'negative', C.outlook_desktop(E(), 'Tôi không phản đối việc nhận email từ LINKS.', n=n()),
    'false', True)
add('neg_no_paper_invoice', 'negative', C.gmail(E(), 'Tôi không muốn nhận hóa đơn giấy nữa, gửi bản điện tử là được.',
    n=n()), 'false', True)
add('neg_where_is_button', 'negative', C.gmail(E(), 'Nút từ chối nằm ở đâu vậy?', n=n(), app=True), 'false', True)
add('neg_quote_only_outlook', 'negative', C.outlook_desktop(E(), '', n=n()), 'false', True, check='empty')
add('neg_tu_choi_u', 'negative', C.samsung(E(), 'Từ chối ư?', n=n()), 'false', True)
add('neg_bank_refused', 'negative', C.gmail(E(), 'Ngân hàng từ chối giao dịch gia hạn, tôi chuyển khoản được không?',
    n=n()), 'false', True)

# --- kind: our Subject carries auto-reply words -------------------------------------------------------------------
O1 = custom('LINKS ra mắt tính năng trả lời tự động cho Email Hosting')
O2 = custom('Cách bật Out of Office (thư vắng mặt) trên Email Hosting')
O3 = custom('Lịch nghỉ phép Tết Nguyên đán 2027 của bộ phận hỗ trợ LINKS')
O4 = custom('Auto-reply and vacation responder now available for all mailboxes')
O5 = custom('Hướng dẫn cài đặt thư vắng mặt (tự động trả lời) trên Outlook')
add('kind_oursubj_tra_loi_tu_dong', 'kind/our-subject', C.gmail(E(O1), 'Từ chối', n=n()), 'all')
add('kind_oursubj_out_of_office', 'kind/our-subject', C.owa(E(O2, subject='RE: ' + O2.subject), 'Tôi làm theo hướng dẫn '
    'nhưng không bật được, hỗ trợ giúp tôi?', n=n()), 'false', True)
add('kind_oursubj_nghi_phep', 'kind/our-subject', C.samsung(E(O3), 'Cảm ơn LINKS', n=n()), 'false', False)
add('kind_oursubj_auto_reply_en', 'kind/our-subject', C.mutt(E(O4, frm=JOHN), 'Unsubscribe\n\n'
    + C.MUTT_ATTR.format(name='LINKS') + '\n' + C.quote(O4.body) + '\n', n=n()), 'all')
add('kind_oursubj_vang_mat', 'kind/our-subject', C.outlook_desktop(E(O5, subject='RE: ' + O5.subject), 'Từ chối',
    n=n()), 'all')
add('kind_auto_prefix_vi', 'kind/auto', C.raw_plain(E(subject='Trả lời tự động: ' + PROMO.subject),
    'Tôi đang nghỉ phép đến hết ngày 04/12, sẽ phản hồi sau.\n'.encode(), 'utf-8', n=n()), 'false', False,
    kind='auto_reply')
add('kind_auto_prefix_en', 'kind/auto', C.raw_plain(E(subject='Automatic reply: ' + PROMO.subject),
    'I am out of the office until December 4 with limited access to email.\n'.encode(), 'us-ascii', n=n()),
    'false', False, kind='auto_reply')
add('kind_auto_whole_subject', 'kind/auto', C.raw_plain(E(subject='Vắng mặt'), 'Tôi đang đi công tác đến 05/12.\n'
    .encode(), 'utf-8', n=n()), 'false', False, kind='auto_reply')

# --- kind: postmaster@ and mailer-daemon@ customers ------------------------------------------------------------------
PM = 'Postmaster Công ty ABC <postmaster@congtyabc.vn>'
add('kind_postmaster_refusal', 'kind/postmaster', C.outlook_desktop(E(frm=PM), 'Từ chối', n=n()), 'all',
    sender='postmaster@congtyabc.vn')
add('kind_postmaster_question', 'kind/postmaster', C.outlook_desktop(E(MAINT, frm=PM), 'Cho hỏi bao giờ bảo trì xong?',
    n=n()), 'false', True, sender='postmaster@congtyabc.vn')
add('kind_mailer_daemon_customer', 'kind/postmaster', C.zimbra(E(frm='mailer-daemon@hoasen.example.vn'), 'Hủy đăng ký',
    n=n()), 'all', sender='mailer-daemon@hoasen.example.vn')
add('kind_postmaster_envelope_from_header', 'kind/postmaster', C.gmail(E(frm='postmaster@congtyabc.vn'),
    'Không nhận email nữa', n=n()), 'all')


def dsn_from_postmaster(nn):
    return C.crlf(('Return-Path: <>\nFrom: postmaster@congtyabc.vn\nTo: noreply@ilinks.asia\nSubject: Delivery Status '
                   'Notification (Failure)\nMessage-ID: <dsn%02d@mail.congtyabc.vn>\nMIME-Version: 1.0\nContent-Type: '
                   'multipart/report; report-type=delivery-status; boundary="R"\n\n--R\nContent-Type: text/plain\n\n'
                   'Delivery has failed to these recipients: ketoan@congtyabc.vn\n\n--R\nContent-Type: '
                   'message/delivery-status\n\nReporting-MTA: dns;mail.congtyabc.vn\n\nFinal-Recipient: rfc822;'
                   'ketoan@congtyabc.vn\nAction: failed\nStatus: 5.1.1\n\n--R--\n' % nn).encode())


add('kind_postmaster_dsn_is_bounce', 'kind/postmaster', dsn_from_postmaster(n()), 'false', False, kind='bounce',
    sender='<>', check='bounce=ketoan@congtyabc.vn')
add('kind_postmaster_null_sender_is_bounce', 'kind/postmaster', C.raw_plain(E(frm='postmaster@congtyabc.vn',
    return_path='', subject='Undeliverable: ' + PROMO.subject), b'Your message could not be delivered.\n', 'us-ascii',
    n=n()), 'false', False, kind='bounce', sender='<>')

# --- question: nothing to read after the refusal -----------------------------------------------------------------------
add('q_signature_block', 'question/signature', C.outlook_desktop(E(), 'Từ chối\n\n' + SIG_BLOCK, n=n()), 'all')
add('q_outlook_ios', 'question/signature', C.owa(E(), 'Từ chối', n=n(), mobile='iOS'), 'all')
add('q_outlook_android', 'question/signature', C.owa(E(MAINT), 'Hủy đăng ký', n=n(), mobile='Android'), 'all')
add('q_iphone', 'question/signature', C.apple(E(), 'Không nhận nữa', n=n(), iphone=True), 'all')
add('q_disclaimer_vi', 'question/signature', C.gmail(E(), 'Từ chối\n\n--\nLê Thị Hoa\nKế toán trưởng\n\nLưu ý: Thư điện '
    'tử này có thể chứa thông tin bảo mật và chỉ dành cho người nhận có tên ở trên. Nếu bạn nhận được thư này do nhầm lẫn, '
    'vui lòng thông báo cho người gửi và xóa thư.', n=n()), 'all')
add('q_disclaimer_en', 'question/signature', C.owa(E(frm=JOHN), 'Unsubscribe\n\nCONFIDENTIALITY NOTICE: This e-mail '
    'message, including any attachments, is for the sole use of the intended recipient(s) and may contain confidential '
    'and privileged information. Any unauthorized review, use, disclosure or distribution is prohibited.', n=n()), 'all')
add('q_yahoo_app', 'question/signature', C.yahoo(E(), 'Từ chối', n=n(), app_sig=True), 'all')
add('q_samsung', 'question/signature', C.samsung(E(), 'Ngừng gửi email', n=n()), 'all')
add('q_notes_signature_title', 'question/signature', C.notes(E(), 'Hủy đăng ký.\n\nBest regards,\nPhạm Quốc Huy\n'
    'Senior IT Manager | Công ty TNHH Đại Dương\nM: +84 912 000 111', n=n()), 'all')
add('q_thunderbird_sig_dashes', 'question/signature', C.thunderbird(E(), 'Đừng gửi email nữa.\n\n-- \nTrần Thu Hà\n'
    'Công ty CP Giải pháp Số Hà Thành', n=n()), 'all')

# --- round 3: more ways to say stop, and what a bare "stop" or an object other than our mail means ---------------------
add('par_tat_email_quang_cao', 'counts/paraphrase', C.samsung(E(), 'Tắt email quảng cáo giúp mình với', n=n()), 'promotion')
add('par_cat_email', 'counts/paraphrase', C.zimbra(E(), 'Cắt hết mấy email khuyến mãi giùm em nha', n=n()), 'promotion')
add('par_phan_doi_viec_gui', 'counts/paraphrase', C.outlook_desktop(E(), 'Tôi phản đối việc LINKS gửi email quảng cáo '
    'cho tôi khi chưa được sự đồng ý.', n=n()), 'promotion')
add('par_dung_ngay_viec_gui', 'counts/paraphrase', C.owa(E(), 'Dừng ngay việc gửi email quảng cáo!', n=n()), 'promotion')
add('par_tu_choi_refuse', 'counts/paraphrase', C.gmail(E(), 'Từ chối (Refuse)', n=n(), app=True), 'all')
add('en_stop_it', 'counts/english', C.apple(E(frm=JOHN), 'Stop it.', n=n(), iphone=True), 'all')
add('en_remove_alone', 'counts/english', C.outlook_desktop(E(frm=JOHN), 'REMOVE', n=n()), 'all')
add('en_turn_off_newsletters', 'counts/english', C.gmail(E(frm=JOHN), 'Please turn off these newsletters for my '
    'address.', n=n()), 'promotion')
add('neg_bare_stop_about_a_charge', 'negative', C.samsung(E(), 'Stop! Đừng trừ tiền tài khoản của tôi nữa, tôi đã hủy '
    'gói rồi.', n=n()), 'false', True)
add('neg_dont_send_sms', 'negative', C.gmail(E(), 'Đừng gửi SMS nữa, email thì được.', n=n(), app=True), 'false', True)
add('neg_otp_by_sms', 'negative', C.yahoo(E(), 'Đừng gửi mã OTP qua SMS cho tôi nữa, tôi muốn nhận qua ứng dụng.',
    n=n()), 'false', True)
add('neg_mail_server_refuses', 'negative', C.outlook_desktop(E(), 'Mail server của tôi từ chối nhận email từ domain '
    'của các bạn, kiểm tra giúp.', n=n()), 'false', True)
add('neg_turn_off_server', 'negative', C.zoho(E(MAINT), 'Tắt máy chủ VPS giúp mình trong lúc bảo trì.', n=n()),
    'false', True)
add('neg_turn_off_auto_renewal', 'negative', C.owa(E(), 'Tắt tính năng tự động gia hạn giúp tôi.', n=n()), 'false',
    True)
add('neg_objects_to_price', 'negative', C.roundcube(E(), 'Tôi phản đối mức giá mới của gói hosting.', n=n()),
    'false', True)
add('neg_delete_mailbox_from_hosting', 'negative', C.outlook_desktop(E(MAINT), 'Xóa giúp tôi email user2@abc.vn khỏi '
    'hosting sau đợt bảo trì.', n=n()), 'false', True)
add('neg_refuse_to_pay', 'negative', C.gmail(E(frm=JOHN), 'I refuse to pay this late fee.', n=n()), 'false', True)

# --- marks: words whose keys are the same ("dùng gói" use a package, "dừng gởi" stop sending) --
add('neg_marks_dung_goi_question', 'negative', C.apple(E(), 'Chương trình khuyến mãi này có áp dụng cho khách hàng '
    'đang dùng gói cũ không? Nếu có thì đăng ký thế nào?', n=n()), 'false', True)
add('neg_marks_dung_goi_upgrade', 'negative', C.gmail(E(), 'Mình đang dùng gói Hosting Pro, muốn nâng lên VPS thì '
    'làm thế nào ạ?', n=n()), 'false', True)
add('neg_marks_dung_goi_email', 'negative', C.zoho(E(), 'Công ty tôi dùng gói email 10 tài khoản, có được giảm '
    'thêm không?', n=n()), 'false', True)
add('marks_dung_goi_stop_sending', 'counts/paraphrase', C.roundcube(E(), 'Dừng gởi email quảng cáo cho tôi.',
    n=n()), 'promotion')
add('marks_tone_slip_tu_choi', 'counts/paraphrase', C.gmail(E(), 'Tù chối', n=n()), 'all')

# --- kind: more auto-replies (Outlook on a Vietnamese Exchange, Gmail's vacation responder) -------
add('kind_auto_exchange_vi_caps', 'kind/auto', C.raw_plain(E(subject='Phản hồi Tự động: ' + PROMO.subject),
    'Cảm ơn Quý khách đã liên hệ. Tôi đang nghỉ Tết đến 10/02 và sẽ trả lời khi trở lại.\n'.encode(), 'utf-8',
    n=n()), 'false', False, kind='auto_reply')
add('kind_auto_out_of_office_en', 'kind/auto', C.raw_plain(E(subject='Out of Office: ' + PROMO.subject),
    'I will be out of the office from 1 to 5 December. For urgent matters please call 0900 000 111.\n'.encode(),
    'us-ascii', n=n()), 'false', False, kind='auto_reply')

# --- signatures: a name whose key is a command said alone ("Dung", "Dũng": "dừng" unmarked) -------
# Written with a capital in a name line, after the writer's text or a closing, by a writer who types
# marks, it is the writer's name; alone, lower-case, in capitals or with its marks it is the command.
add('sig_name_full_after_closing', 'signature/name', C.samsung(E(), 'Cảm ơn anh, em đã nhận được thông báo.\n\n'
    'Trân trọng,\nHồ Mỹ Dung', n=n()), 'false', False)
add('sig_name_alone_after_thanks', 'signature/name', C.gmail(E(), 'Dạ em cảm ơn ạ.\n\nDung', app=True, n=n()),
    'false', False)
add('sig_name_en_closing', 'signature/name', C.outlook_desktop(E(frm=JOHN), 'Thanks for the notice.\n\n'
    'Best regards,\nDung', n=n()), 'false', False)
add('sig_name_after_question', 'signature/name', C.apple(E(), 'Cho em hỏi hoá đơn tháng 11 đã xuất chưa ạ?\n\nDung',
    iphone=True, n=n()), 'false', True)
add('sig_name_with_phone', 'signature/name', C.zoho(E(), 'Em đã nhận được, cảm ơn anh.\n\nPhạm Thị Dung\n'
    '0903 123 456', n=n()), 'false', False)
add('sig_name_unmarked_closing', 'signature/name', C.roundcube(E(), 'Cam on anh.\n\nTran trong,\nDung', n=n()),
    'false', False)
add('sig_name_after_refusal', 'signature/name', C.gmail(E(), 'Dừng gửi email quảng cáo giúp em.\n\nDung', n=n()),
    'promotion')
add('sig_command_alone_unmarked', 'signature/name', C.gmail(E(), 'Dung', app=True, n=n()), 'all')
add('sig_command_marked_after_thanks', 'signature/name', C.samsung(E(), 'Cảm ơn.\n\nDừng', n=n()), 'all')
add('sig_command_caps_after_thanks', 'signature/name', C.yahoo(E(), 'Cảm ơn anh\nDUNG', n=n()), 'all')
add('sig_command_lower_after_thanks', 'signature/name', C.gmail(E(), 'Cảm ơn anh\ndung', n=n()), 'all')

# --- joined words: a hyphen or a lost space inside the phrase -----------------------------
add('join_hyphen_tu_choi', 'layout/join', C.samsung(E(), 'Từ-chối', n=n()), 'all')
add('join_hyphen_unmarked', 'layout/join', C.gmail(E(), 'tu-choi nhe', app=True, n=n()), 'all')
add('join_hyphen_huy_dang_ky', 'layout/join', C.yahoo(E(), 'Hủy-đăng-ký giúp mình', n=n()), 'all')
add('join_no_space_tu_choi', 'layout/join', C.apple(E(), 'Từchối', iphone=True, n=n()), 'all')
add('join_hyphen_known_word_stays', 'layout/join', C.gmail(E(), 'Wi-Fi ở văn phòng bị lỗi, e-mail không gửi '
    'được', n=n()), 'false', True)

# --- round 4: more client x keyboard x intent combinations (cases_r4.py) ---------------------
import cases_r4  # noqa: E402
cases_r4.add_cases(add, n, E, gmail_en, outlook2003)

with open('cases.tsv', 'w') as f:
    f.write('# Generated by gen_cases.py: file, envelope sender, kind, optout, question, check, class\n')
    for c in cases:
        f.write('\t'.join(c) + '\n')
print(len(cases), 'cases')
