"""Round 4 cases of the Vietnamese reply corpus (gen_cases.py imports this
and calls add_cases()): each a client format x keyboard or charset x
intent not yet in the corpus, refusals beside non-refusals that look close
(the same words negated, asked about, said of something else, or only in
our own quoted text). Classes and rules: ../CASES.md.
"""
import unicodedata

import clients as C
import legacy as L
from clients import PROMO, MAINT, SURVEY

JOHN = 'John Miller <john.miller@example.com>'
LAN = 'Trần Thị Lan <lan.tran@congtyxyz.vn>'


def nfd(s):
    return unicodedata.normalize('NFD', s)


def html_only(env, html, nn, cte='base64', charset='utf-8', headers=()):
    """A client that sends one text/html part (Outlook for iOS with rich
    text, the Apple Mail and webmail "HTML only" settings)."""
    b = html.encode(charset)
    body = C.b64(b).encode() if cte == 'base64' else C.qp(b).encode()
    tp = C.Part('text/html; charset="%s"' % charset, body, cte)
    return C.message(env, tp, list(headers), '<h%02d.r4@mail.example.vn>' % nn)


def quoted_html(o):
    return ('<div><br></div><div id="divRplyFwdMsg"><b>Từ:</b> %s &lt;%s&gt;<br><b>Chủ đề:</b> %s</div>'
            '<blockquote type="cite">%s</blockquote>' % (o.name, o.addr, C.html_escape(o.subject), C.html_body(o)))


def forward_gmail(env, new, nn):
    """Gmail's "Chuyển tiếp" (forward) with the customer's text above."""
    o = env.orig
    fwd = ('---------- Forwarded message ---------\nTừ: %s <%s>\nDate: Th 2, 30 thg 11, 2026 vào lúc 08:00\n'
           'Subject: %s\nTo: <an.nguyen@example.vn>\n\n' % (o.name, o.addr, o.subject))
    plain = new + '\n\n' + fwd + o.body + '\n'
    html = ('<div dir="ltr">%s<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">%s</div><br><br>%s'
            '</div></div>\n' % (C.html_lines(new), C.html_escape(fwd).replace('\n', '<br>'), C.html_body(o)))
    top = C.alternative([C.text_part(plain), C.html_part(html)], '0000000000003c4d5e0627f2%02d' % nn)
    return C.message(env, top, [], '<CAFw%02dd8Qe1mZ3rTq8uBn0aXx@mail.gmail.com>' % nn)


def apple_en(env, new, nn, sig='Sent from my iPhone'):
    """iOS Mail with the English UI: "On <date>, <sender> wrote:"."""
    o = env.orig
    attr = 'On Nov 30, 2026, at 08:00, %s <%s> wrote:' % (o.name, o.addr)
    plain = new + ('\n\n' + sig if sig else '') + '\n\n> ' + attr + '\n> \n' + C.quote(o.body) + '\n'
    return C.message(env, C.text_part(plain), ['X-Mailer: iPhone Mail (22B91)'],
                     '<9A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C%02d@example.com>' % nn)


def outlook_mac_nfd(env, new, nn):
    """Outlook for Mac and some macOS apps: the text in NFD (letters and
    combining marks), base64."""
    o = env.orig
    block = ('Từ: %s <%s>\nNgày: Thứ Hai, 30 tháng 11, 2026 lúc 08:00\nĐến: an.nguyen@example.vn\nChủ đề: %s\n\n'
             % (o.name, o.addr, o.subject))
    plain = nfd(new) + '\n\n' + block + o.body + '\n'
    return C.message(env, C.text_part(plain, cte='base64'), ['User-Agent: Microsoft-MacOutlook/16.91.24111020',
                     'Thread-Topic: ' + C.hdr_word(o.subject)], '<D1A2B3C4.5E6F%02d@example.vn>' % nn)


def add_cases(add, n, E, gmail_en, outlook2003):
    # --- charsets: TCVN3 (.VnTime font) text sent as windows-1252 or ISO-8859-1 -------------
    add('r4_tcvn3_outlook2003_tu_choi', 'charset/tcvn3-font', outlook2003(E(), L.tcvn3_font('Từ chối'), n()), 'all')
    add('r4_tcvn3_sentence_promotion', 'charset/tcvn3-font', outlook2003(E(), L.tcvn3_font(
        'Tôi không muốn nhận email quảng cáo nữa.'), n()), 'promotion')
    add('r4_tcvn3_latin1_huy_dang_ky', 'charset/tcvn3-font', C.raw_plain(E(MAINT), L.tcvn3_font(
        'Hủy đăng ký nhận email.\n\nTrân trọng,\nLê Văn Bình\n'), 'iso-8859-1', cte='quoted-printable',
        headers=['X-Mailer: Microsoft Outlook Express 6.00.2900.5931'], n=n()), 'all')
    add('r4_tcvn3_payment_refused_stays_negative', 'charset/tcvn3-font', outlook2003(E(), L.tcvn3_font(
        'Tôi từ chối thanh toán hóa đơn này vì sai số tiền.'), n()), 'false', True)
    add('r4_tcvn3_question_stays_negative', 'charset/tcvn3-font', outlook2003(E(), L.tcvn3_font(
        'Từ chối thì có bị mất ưu đãi không?'), n()), 'false', True)

    # --- charsets: decomposed (NFD) letters ------------------------------------------------
    add('r4_nfd_outlook_mac_tu_choi', 'charset/nfd', outlook_mac_nfd(E(), 'Từ chối', n()), 'all')
    add('r4_nfd_apple_sentence', 'charset/nfd', C.apple(E(), nfd('Tôi xin từ chối nhận email quảng cáo.'), n=n()),
        'promotion')
    add('r4_nfd_gmail_dung_gui', 'charset/nfd', C.gmail(E(), nfd('Đừng gửi email cho tôi nữa nhé'), n=n()), 'all')
    add('r4_nfd_negation_stays_negative', 'charset/nfd', outlook_mac_nfd(E(), 'Đừng từ chối yêu cầu hoàn tiền của '
        'tôi, tôi đã gửi đủ chứng từ.', n()), 'false', True)

    # --- keyboards: capitals and no diacritics --------------------------------------------
    add('r4_caps_outlook_tu_choi_nhan', 'charset/caps', C.outlook_desktop(E(), 'TỪ CHỐI NHẬN EMAIL', n=n()), 'all')
    add('r4_caps_nodiac_samsung', 'charset/caps', C.samsung(E(), 'TU CHOI', n=n()), 'all')
    add('r4_caps_telex_gmail', 'charset/caps', C.gmail(E(), 'TUWF CHOOSI', n=n(), app=True), 'all')
    add('r4_caps_vni_keys_yahoo', 'charset/caps', C.yahoo(E(), 'TU72 CHO61I', n=n()), 'all')
    add('r4_caps_question_stays_negative', 'charset/caps', C.samsung(E(), 'TỪ CHỐI LÀ GÌ VẬY?', n=n()), 'false', True)
    add('r4_nodiac_gmail_app_nhe', 'charset/nodiac', C.gmail(E(), 'tu choi nhe', n=n(), app=True), 'all')
    add('r4_nodiac_squirrel_quang_cao', 'charset/nodiac', C.squirrelmail(E(), 'tu choi nhan email quang cao', n=n(),
        charset='us-ascii'), 'promotion')
    add('r4_nodiac_payment_stays_negative', 'charset/nodiac', C.squirrelmail(E(), 'toi tu choi thanh toan hoa don nay '
        'vi sai so tien', n=n(), charset='us-ascii'), 'false', True)
    add('r4_nodiac_not_refusing_stays_negative', 'charset/nodiac', C.gmail(E(), 'minh khong tu choi dau, chi hoi gia '
        'goi VPS thoi', n=n(), app=True), 'false', True)

    # --- keyboards: residue of Telex, VNI, VIQR in other clients --------------------------
    add('r4_vni_keys_outlook_android', 'charset/vni-keys', C.owa(E(), L.vni_keys('Đừng gửi email nữa'), n=n(),
        mobile='Android'), 'all')
    add('r4_viqr_zimbra_huy_nhan_tin', 'charset/viqr', C.zimbra(E(), L.viqr('Hủy đăng ký nhận tin'), n=n()), 'all')
    add('r4_telex_thunderbird_negation_stays_negative', 'charset/telex', C.thunderbird(E(), L.telex(
        'Tôi không từ chối') + ', chi hoi them ve uu dai.', n=n()), 'false', True)

    # --- charsets: windows-1258 bodies (combining tones) ---------------------------------
    add('r4_cp1258_base64_dung_gui', 'charset/cp1258', C.raw_plain(E(), L.cp1258('Xin đừng gửi email cho tôi nữa.\n'),
        'windows-1258', cte='base64', headers=['X-Mailer: Microsoft Outlook Express 6.00.2900.5512'], n=n()), 'all')
    add('r4_cp1258_bill_refused_stays_negative', 'charset/cp1258', C.raw_plain(E(), L.cp1258(
        'Ngân hàng từ chối thẻ của tôi, LINKS gia hạn thủ công giúp được không?\n'), 'windows-1258',
        cte='quoted-printable', n=n()), 'false', True)

    # --- where: HTML-only bodies -------------------------------------------------------------
    add('r4_htmlonly_outlook_ios_tu_choi', 'where/html-only', html_only(E(), '<html><body><div dir="ltr">Từ chối</div>'
        '<div id="ms-outlook-mobile-signature">Nhận <a href="https://aka.ms/o0ukef">Outlook cho iOS</a></div>'
        + quoted_html(PROMO) + '</body></html>\n', n()), 'all')
    add('r4_htmlonly_apple_khong_nhan', 'where/html-only', html_only(E(MAINT), '<html><body dir="auto"><div '
        'dir="ltr">Không nhận email nữa ạ</div><div dir="ltr"><br><blockquote type="cite">Vào 30 thg 11, 2026, lúc '
        '08:00, LINKS &lt;noreply@ilinks.asia&gt; đã viết:<br><br></blockquote></div><blockquote type="cite"><div '
        'dir="ltr">' + C.html_body(MAINT) + '</div></blockquote></body></html>\n', n(), cte='quoted-printable',
        headers=['X-Mailer: iPhone Mail (22B91)']), 'all')
    add('r4_htmlonly_footer_quoted_thanks_stays_negative', 'where/html-only', html_only(E(), '<html><body><p>Đã nhận, '
        'cảm ơn LINKS.</p>' + quoted_html(PROMO) + '</body></html>\n', n()), 'false', False)
    add('r4_htmlonly_question_stays_negative', 'where/html-only', html_only(E(), '<html><body><div>Cho mình hỏi '
        'trả lời &quot;Từ chối&quot; thì có còn nhận hóa đơn không?</div>' + quoted_html(PROMO) + '</body></html>\n',
        n(), cte='quoted-printable'), 'false', True)

    # --- where: forwarded back to us ----------------------------------------------------------
    add('r4_forward_own_text_refusal', 'where/forward', forward_gmail(E(subject='Fwd: ' + PROMO.subject), 'Từ chối',
        n()), 'all')
    add('r4_forward_to_colleague_stays_negative', 'where/forward', forward_gmail(E(subject='Fwd: ' + PROMO.subject),
        'Anh Hùng xem ưu đãi này giúp em, có nên gia hạn không ạ?', n()), 'false', True)

    # --- English UIs of the clients --------------------------------------------------------
    add('r4_en_iphone_tu_choi', 'counts/english', apple_en(E(), 'Từ chối', n()), 'all')
    add('r4_en_iphone_unsubscribe_me', 'counts/english', apple_en(E(frm=JOHN), 'Unsubscribe me please.', n()), 'all')
    add('r4_en_gmail_opt_out_marketing', 'counts/english', gmail_en(E(frm=JOHN), 'Please opt me out of your marketing '
        'emails.', n()), 'promotion')
    add('r4_en_outlook_do_not_contact', 'counts/english', C.outlook_desktop(E(frm=JOHN), 'Do not contact me again by '
        'email.', n=n()), 'all')
    add('r4_en_thunderbird_stop_emailing', 'counts/english', C.thunderbird(E(frm=JOHN), 'Please stop emailing me.',
        n=n()), 'all')
    add('r4_en_how_stop_stays_negative', 'counts/english', apple_en(E(frm=JOHN), 'How do I stop getting these but '
        'keep my invoices?', n()), 'false', True)
    add('r4_en_refused_card_stays_negative', 'counts/english', gmail_en(E(frm=JOHN), 'My card was declined and the '
        'renewal was refused. Can you help?', n()), 'false', True)
    add('r4_en_dont_unsubscribe_me_stays_negative', 'counts/english', C.owa(E(frm=JOHN), 'Please do not unsubscribe '
        'me, I replied by mistake.', n=n()), 'false', True)

    # --- what counts: polite and regional refusals, app signatures ----------------------------
    add('r4_par_tu_choi_a_yahoo_app', 'counts/paraphrase', C.yahoo(E(), 'Từ chối ạ', n=n(), app_sig=True), 'all')
    add('r4_par_greeting_refusal_thanks', 'counts/paraphrase', C.roundcube(E(), 'Chào LINKS,\n\nTừ chối.\n\nCảm ơn.',
        n=n(), html=True), 'all')
    add('r4_par_em_tu_choi_samsung', 'counts/paraphrase', C.samsung(E(), 'Em từ chối nhận email ạ', n=n()), 'all')
    add('r4_par_survey_gmail_app', 'counts/category', C.gmail(E(SURVEY), 'Mình xin phép từ chối nhận thư khảo sát '
        'nhé', n=n(), app=True), 'survey')
    add('r4_par_maintenance_outlook', 'counts/category', C.outlook_desktop(E(MAINT), 'Từ chối nhận thông báo bảo trì.',
        n=n()), 'maintenance')
    add('r4_par_exclaim_zoho', 'counts/paraphrase', C.zoho(E(), 'TỪ CHỐI!!!', n=n()), 'all')
    add('r4_par_bat_ky_email_notes', 'counts/paraphrase', C.notes(E(), 'Tôi không muốn nhận bất kỳ email nào từ LINKS '
        'nữa.', n=n()), 'all')
    add('r4_par_go_dia_chi_owa', 'counts/paraphrase', C.owa(E(), 'Xin vui lòng gỡ địa chỉ email của tôi khỏi danh '
        'sách gửi thư của quý công ty.', n=n()), 'all')
    add('r4_par_mixed_unsubscribe_cam_on', 'counts/paraphrase', C.yahoo(E(), 'Unsubscribe. Cảm ơn', n=n()), 'all')
    add('r4_par_windows_mail_signature', 'question/signature', C.outlook_desktop(E(), 'Từ chối nhận email\n\nGửi từ '
        'Thư cho Windows', n=n()), 'all')
    add('r4_par_tone_slip_tu_choi', 'counts/paraphrase', C.gmail(E(), 'Tư chối', n=n(), app=True), 'all')
    add('r4_par_bottom_nodiac_roundcube', 'where/inline', C.mutt(E(), 'Vào 2026-11-30 08:00, LINKS đã viết:\n'
        + C.quote(PROMO.body) + '\n\ntu choi\n', n=n()).replace(b'User-Agent: Mutt/2.2.12 (2023-09-09)',
        b'User-Agent: Roundcube Webmail/1.6.9'), 'all')
    add('r4_par_muon_tu_choi_lan', 'counts/paraphrase', C.zimbra(E(frm=LAN), 'Tôi muốn từ chối nhận email từ LINKS.',
        n=n()), 'all')

    # --- negatives: "từ chối" said of something that is not our mail ----------------------------
    add('r4_neg_refuse_to_pay_wrong_amount', 'negative/other-object', C.zimbra(E(), 'Tôi từ chối thanh toán hóa đơn '
        'này vì sai số tiền.', n=n()), 'false', True)
    add('r4_neg_dont_refuse_me', 'negative/other-object', C.gmail(E(), 'Đừng từ chối tôi, tôi là khách hàng lâu năm '
        'mà.', n=n(), app=True), 'false', True)
    add('r4_neg_login_refused', 'negative/other-object', C.samsung(E(), 'Hệ thống từ chối đăng nhập, báo sai mật '
        'khẩu dù tôi nhập đúng.', n=n()), 'false', True)
    add('r4_neg_gmail_rejects_our_mail', 'negative/other-object', C.owa(E(), 'Gmail từ chối email của LINKS và đưa '
        'vào thư rác, các bạn kiểm tra lại cấu hình SPF.', n=n()), 'false', True)
    add('r4_neg_refuse_telesales_calls', 'negative/other-object', C.apple(E(), 'Tôi từ chối các cuộc gọi tiếp thị, '
        'email thì vẫn đọc.', n=n(), iphone=True), 'false', True)
    add('r4_neg_stop_vps_service', 'negative/other-object', C.outlook_desktop(E(MAINT), 'Dừng dịch vụ VPS của tôi từ '
        'ngày 01/12 giúp tôi.', n=n()), 'false', True)
    add('r4_neg_cancel_order', 'negative/other-object', C.yahoo(E(), 'Hủy đơn hàng #20261130 giúp mình, mình đặt '
        'nhầm gói.', n=n()), 'false', True)
    add('r4_neg_refuse_paper_invoice', 'negative/other-object', C.notes(E(), 'Từ chối nhận hóa đơn giấy, chỉ gửi bản '
        'điện tử.', n=n()), 'false', True)

    # --- negatives: questions, conditions, negation, our own words ------------------------------
    add('r4_neg_why_must_reply', 'negative/question', C.gmail(E(), 'Tại sao tôi phải trả lời "Từ chối"? Không có '
        'link hủy à?', n=n()), 'false', True)
    add('r4_neg_if_refuse_lose_discount', 'negative/question', C.owa(E(), 'Nếu từ chối thì có mất ưu đãi 30% không?',
        n=n(), mobile='iOS'), 'false', True)
    add('r4_neg_friend_said', 'negative/question', C.zoho(E(), 'Bạn tôi bảo trả lời "Từ chối" là hết nhận email, '
        'đúng không ạ?', n=n()), 'false', True)
    add('r4_neg_not_yet_refusing', 'negative/negation', C.samsung(E(), 'Chưa từ chối đâu, để tôi xem ưu đãi đã.',
        n=n()), 'false', True)
    add('r4_neg_didnt_refuse_colloquial', 'negative/negation', C.gmail(E(), 'Mình có từ chối đâu mà sao không thấy '
        'email ưu đãi nữa?', n=n(), app=True), 'false', True)
    add('r4_neg_dont_stop_newsletter', 'negative/negation', C.thunderbird(E(), 'Xin đừng ngừng gửi bản tin, tôi đọc '
        'hàng tháng.', n=n()), 'false', True)
    add('r4_neg_footer_quoted_ok_thanks', 'negative/our-text', C.outlook_desktop(E(), 'OK, cảm ơn LINKS.', n=n()),
        'false', False)
    add('r4_neg_footer_pasted_asks', 'negative/our-text', C.yahoo(E(), 'Trong email có dòng "' + C.FOOTER_VI
        + '" - vậy hóa đơn có bị dừng không?', n=n()), 'false', True)
    add('r4_neg_bottom_quote_has_refusal', 'negative/our-text', C.mutt(E(), 'Vào 2026-11-30 08:00, LINKS đã viết:\n'
        + C.quote(PROMO.body) + '\n\nCảm ơn, tôi sẽ gia hạn trong tuần này.\n', n=n()).replace(
        b'User-Agent: Mutt/2.2.12 (2023-09-09)', b'User-Agent: Mozilla Thunderbird'), 'false', True)
    add('r4_neg_disclaimer_only_with_question', 'negative/disclaimer', C.gmail(E(), 'Gói VPS 12 tháng giá bao nhiêu '
        'sau giảm?\n\n--\nPhòng IT - Công ty XYZ\nTUYÊN BỐ TỪ CHỐI TRÁCH NHIỆM: Nội dung thư này chỉ dành cho người '
        'nhận.', n=n()), 'false', True)

    # --- a manner word before the intent asks how, "?" or not; "again" after a stop is "any more" ----
    add('r4_neg_how_stop_but_keep_vi', 'negative/question', C.zimbra(E(), 'Làm sao ngừng nhận email quảng cáo nhưng '
        'vẫn nhận hóa đơn?', n=n()), 'false', True)
    add('r4_neg_how_stop_no_question_mark', 'negative/question', C.samsung(E(), 'Làm thế nào ngừng nhận email quảng '
        'cáo', n=n()), 'false', True)
    add('r4_en_dont_email_me_again', 'counts/english', C.yahoo(E(frm=JOHN), "Don't email me again.", n=n()), 'all')
    add('r4_en_emailed_again_complaint', 'counts/complaint', gmail_en(E(frm=JOHN), 'You emailed me again after I '
        'unsubscribed twice. Remove me now.', n()), 'all', True)

    # --- TCVN3 in an HTML part and in a raw Subject; the refusal told again with its complaint -----
    tc_html = (b'<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252"></head><body>'
               b'<p><font face=".VnTime">' + L.tcvn3_font('Từ chối nhận email') + b'</font></p><p>&nbsp;</p>'
               b'<div><font face=Tahoma size=2>-----Original Message-----<br><b>From:</b> LINKS '
               b'[mailto:noreply@ilinks.asia]<br><b>Sent:</b> Monday, November 30, 2026 8:00 AM<br><b>Subject:</b> '
               + C.html_escape(PROMO.subject).encode('cp1252', errors='xmlcharrefreplace') + b'</font></div><p>'
               + C.html_body(PROMO).encode('cp1252', errors='xmlcharrefreplace') + b'</p></body></html>\n')
    add('r4_tcvn3_html_outlook2003', 'charset/tcvn3-font', C.message(E(), C.Part('text/html; charset="windows-1252"',
        C.qp(tc_html).encode(), 'quoted-printable'), ['X-Mailer: Microsoft Office Outlook 11'],
        '<h%02d.r4@mail.example.vn>' % n()), 'all')
    add('r4_tcvn3_raw_subject', 'charset/tcvn3-font', outlook2003(E(subject_raw=b'Re: ' + L.tcvn3_font('Từ chối')),
        b'', n()), 'all')
    add('r4_cmp_clicked_unsubscribe_still_get', 'counts/complaint', C.samsung(E(), 'Tôi đã bấm hủy đăng ký rồi mà vẫn '
        'nhận', n=n()), 'all', True)
    add('r4_par_ngung_dang_ky', 'counts/paraphrase', C.gmail(E(), 'Ngừng đăng ký', n=n(), app=True), 'all')
    add('r4_par_khong_muon_bi_lam_phien', 'counts/paraphrase', C.owa(E(), 'Tôi không muốn bị làm phiền nữa', n=n()),
        'all')
    add('r4_neg_bothered_by_calls', 'negative/other-object', C.zimbra(E(), 'Tôi không muốn bị làm phiền bằng các cuộc '
        'gọi tiếp thị.', n=n()), 'false', True)
    add('r4_neg_replied_still_get_invoice', 'negative/question', C.yahoo(E(), 'Tôi đã trả lời Từ chối, sao vẫn nhận '
        'được hóa đơn?', n=n()), 'false', True)
