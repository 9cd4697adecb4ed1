#!/usr/bin/env python3
# NAME
#	gen-mail.py - the benchmark corpora: a realistic MX's mail, reproducibly
# SYNOPSIS
#	gen-mail.py customers OUT [--customers N] [--seed S]
#	gen-mail.py corpus OUT --tokens FILE [--customers N] [--seed S]
#		[--scale F] [--templates DIR] [--footer FILE]
#	gen-mail.py large OUT [--count N] [--mb M]
#	gen-mail.py dkim-below OUT
# DESCRIPTION
#	customers writes OUT/customers.csv (the format of
#	config/customers.sample.csv): N customers (default 6000) with
#	Vietnamese names, addresses at the mail providers Vietnamese people
#	use and at company domains, phones, and one or two contracts each.
#
#	corpus writes, under OUT, the corpora of the benchmark. Each is a
#	directory of SEQ-CLASS-CLIENT.eml files with a MANIFEST (the SMTP
#	envelope of each message) and the expected verdict of each message
#	for each milter measured (expect.links, expect.dkim, expect.null;
#	see bench/corpus.h), plus consent.expect (the refusable categories
#	each refusing customer refused: what the store must hold after one
#	pass of the corpus, see benchstore(1)):
#
#	  ordinary/   mail to staff from people and companies that are not
#	              customers (most of what a real MX receives): business
#	              mail in Vietnamese and English from Gmail, Outlook,
#	              Apple Mail, Thunderbird, Yahoo and company servers,
#	              threads with quoted history, newsletters and
#	              notifications in HTML, invoices with PDF attachments,
#	              calendar invitations, a few large attachments;
#	  questions/  customers' questions: replies to our notices (to
#	              noreply@, rerouted to support@) and new mail to support@;
#	  refusals/   "Từ chối" and its variants by many distinct customers,
#	              in every client layout: proven by the Message-ID of the
#	              notice they answer, by a one-click unsubscribe token
#	              (Gmail's List-Unsubscribe mailto), or by a trusted
#	              Authentication-Results for the From address; repeated
#	              refusals by the same customers; refusals with a question;
#	              unproven refusals (From only, no authentication), which
#	              must go to a person and not be recorded;
#	  auto/       out-of-office replies and delivery status notifications
#	              to noreply@;
#	  mix/        a realistic MX mix of all of these, interleaved: 85%
#	              ordinary, 10% questions, 3% auto-replies and bounces, 2%
#	              refusals;
#	  smtp/       another, smaller mix, sent through Postfix.
#
#	OUT/msglog.tsv lists the Message-IDs of the notices the replies
#	answer ("MSGID<TAB>EMAIL<TAB>CATEGORY", for benchstore msglog), and
#	OUT/dkim-domains the sender domains whose mail is DKIM-signed (the
#	big providers and a few companies; the rest is unsigned, as in real
#	traffic). The notices quoted are rendered from links-sender's own
#	templates (--templates, default config/templates) with its footer
#	(--footer, default config/footer.h).
#
#	dkim-below moves, in every message of the corpus OUT, the
#	DKIM-Signature that signing at set-up put on top (OpenDKIM inserts
#	it first) below the headers our MX added on receipt (its
#	Authentication-Results and Received): where the sender's signature
#	sits in real mail, so that the milter finds our MX's headers on top.
#
#	large writes N (default 1) replies of about M megabytes (default
#	25) with two base64 attachments, for the memory benchmark.
#
#	Everything is derived from --seed: two runs with the same arguments
#	and tokens write the same bytes. --scale multiplies the corpus sizes
#	(0.1 for a quick run).
# DIAGNOSTICS
#	Exit status 0, 2 for bad arguments, 1 when a file cannot be read or
#	written.

import argparse
import base64
import datetime
import os
import quopri
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

NOREPLY = 'noreply@ilinks.asia'
SUPPORT = 'support@ilinks.asia'
MX_AUTHSERV = 'mx.ilinks.asia'
TZ = datetime.timezone(datetime.timedelta(hours=7))
BASE_DATE = datetime.datetime(2026, 11, 23, 7, 30, tzinfo=TZ)
REFUSABLE = ('survey', 'promotion')

# Corpus sizes at --scale 1.
SIZES = {'ordinary': 1000, 'questions': 300, 'refusals': 2000, 'auto': 240, 'mix': 2000,
         'smtp': 1000}
MIX_SHARE = (('ordinary', 0.85), ('question', 0.10), ('auto', 0.03), ('refusal', 0.02))

FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng',
          'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trịnh', 'Mai', 'Tô']
MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thành', 'Công', 'Xuân', 'Gia', 'Anh']
MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Bảo', 'Khánh', 'Phương', 'Hồng', 'Mỹ']
GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Duy', 'Hải', 'Hiếu', 'Hoàng', 'Huy', 'Khoa',
           'Long', 'Nam', 'Phong', 'Phúc', 'Quang', 'Sơn', 'Tâm', 'Thắng', 'Tuấn', 'Việt',
           'Vinh', 'Đạt', 'Trung', 'Kiên', 'Lâm', 'Tùng', 'Khải', 'Nhân', 'Tài', 'Lộc']
GIVEN_F = ['Anh', 'Châu', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hương', 'Lan', 'Linh',
           'Mai', 'My', 'Nga', 'Ngân', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Thảo', 'Trang',
           'Uyên', 'Vân', 'Yến', 'Thủy', 'Hoa', 'Ly', 'Nhi', 'Tú', 'Huyền', 'Xuân']
PROVIDERS = [('gmail.com', 62), ('yahoo.com', 8), ('outlook.com', 6), ('hotmail.com', 4),
             ('icloud.com', 3)]
CUSTOMER_COMPANIES = ['anphat-tech.vn', 'minhlong.com.vn', 'saigonsoft.vn', 'hanoidata.vn',
                      'vietthanh.com.vn', 'dongagroup.vn', 'haiduong-it.vn', 'tanphu.vn',
                      'hoangkim.com.vn', 'sonha-media.vn', 'thienan.vn', 'phuthai-corp.vn',
                      'baoviet-logistics.vn', 'cuulong-edu.vn', 'nhatminh.vn', 'ngoclan-spa.vn']
SERVICES = [('vps', 'VPS'), ('hosting', 'HOST'), ('domain', 'DOM'), ('email', 'MAIL'),
            ('cloud', 'CLD')]
STAFF = ['an.pham', 'binh.tran', 'cuong.le', 'dung.nguyen', 'giang.vu', 'hai.do', 'hanh.bui',
         'hieu.ngo', 'huong.dang', 'khanh.ho', 'lan.phan', 'linh.truong', 'long.vo',
         'minh.dinh', 'nam.hoang', 'ngoc.mai', 'phong.ly', 'quang.to', 'son.duong',
         'thao.trinh', 'trang.luu', 'tuan.ha', 'viet.kieu', 'yen.chu', 'kinhdoanh', 'ketoan',
         'nhansu', 'noc', 'billing', 'sales', 'marketing', 'hotro.kythuat', 'legal', 'ceo']
PARTNERS = [('Công ty TNHH Giải pháp Số Sao Việt', 'saoviet-solutions.vn'),
            ('Công ty CP Hạ tầng Mạng Đông Dương', 'dongduong-net.vn'),
            ('Công ty TNHH Thiết bị Viễn thông Phú Gia', 'phugia-telecom.vn'),
            ('Datacenter Bình Dương', 'bd-datacenter.vn'),
            ('Trung tâm Đào tạo CNTT Hà Thành', 'hathanh-training.edu.vn'),
            ('Công ty Luật TNHH Minh Chính', 'luatminhchinh.vn'),
            ('Nordic Server Parts AB', 'nordicserverparts.se'),
            ('Pacific Fiber Pte Ltd', 'pacificfiber.sg'),
            ('Công ty CP Bảo hiểm Tín Nghĩa', 'tinnghia-insurance.vn'),
            ('Kiểm toán Quốc tế Việt Úc', 'vietuc-audit.vn'),
            ('Greenleaf Software Ltd', 'greenleaf-software.co.uk'),
            ('Công ty TNHH In ấn Tân Thế Kỷ', 'tantheky-print.vn')]
BULK = [('VietPay', 'news@mail.vietpay.vn', 'Thông báo giao dịch'),
        ('Sàn TMĐT Chợ Phố', 'khuyenmai@email.chopho.vn', 'Khuyến mãi cuối tuần'),
        ('CloudViet Status', 'status@cloudviet.io', 'Incident report'),
        ('DevHub', 'notifications@devhub.example.com', 'Pull request review requested'),
        ('Ngân hàng Số Phương Nam', 'ebanking@nganhangphuongnam.vn', 'Sao kê tài khoản'),
        ('TechNews Weekly', 'weekly@technews-weekly.com', 'This week in infrastructure'),
        ('Hội Tin học TP.HCM', 'tintuc@hoitinhoc-hcm.vn', 'Bản tin hội viên'),
        ('Cục Thuế', 'hoadon@thue-dientu.vn', 'Thông báo hóa đơn điện tử')]
# Mail of these domains is DKIM-signed (in real traffic almost every
# large sender signs; small company servers often do not).
SIGNED = {'gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com',
          'mail.vietpay.vn', 'email.chopho.vn', 'cloudviet.io', 'devhub.example.com',
          'technews-weekly.com', 'saoviet-solutions.vn', 'dongduong-net.vn',
          'pacificfiber.sg', 'greenleaf-software.co.uk', 'nordicserverparts.se',
          'anphat-tech.vn', 'saigonsoft.vn', 'minhlong.com.vn', 'googlemail.com'}

TRANSACTIONAL_LINE = ('Thông báo về tài khoản, hợp đồng và bảo trì dịch vụ Quý khách đang '
                      'dùng vẫn được gửi; khi Quý khách trả lời "Từ chối", LINKS ngừng gửi '
                      'email khuyến mãi và khảo sát.')


def ascii_fold(s):
    """Vietnamese text without diacritics, lower case (for addresses)."""
    table = str.maketrans('àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ',
                          'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')
    return s.lower().translate(table)


def enc_words(s):
    """RFC 2047 encoded words (UTF-8, B) for a header, or S if it is ASCII."""
    if all(ord(c) < 128 for c in s):
        return s
    out, cur = [], ''
    for ch in s:
        if len((cur + ch).encode()) > 45:
            out.append(cur)
            cur = ''
        cur += ch
    out.append(cur)
    return '\n '.join('=?UTF-8?B?%s?=' % base64.b64encode(w.encode()).decode() for w in out)


def mailbox(name, addr):
    if not name:
        return addr
    if all(ord(c) < 128 for c in name):
        return '"%s" <%s>' % (name, addr) if re.search(r'[,.()<>@]', name) else '%s <%s>' % (name, addr)
    return '%s <%s>' % (enc_words(name), addr)


def qp(text):
    raw = text.replace('\n', '\r\n').encode('utf-8')
    return quopri.encodestring(raw).decode('ascii').replace('\r\n', '\n')


def b64(data):
    if isinstance(data, str):
        data = data.replace('\n', '\r\n').encode('utf-8')
    s = base64.b64encode(data).decode('ascii')
    return '\n'.join(s[i:i + 76] for i in range(0, len(s), 76)) + '\n'


def html_escape(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def html_lines(text):
    return '<br>\n'.join(html_escape(l) for l in text.split('\n'))


def rfc_date(d):
    return d.strftime('%a, %d %b %Y %H:%M:%S +0700')


VI_DAYS = ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật']
VI_DAYS_SHORT = ['Th 2', 'Th 3', 'Th 4', 'Th 5', 'Th 6', 'Th 7', 'CN']


class Gen:
    """The generator: one random stream, the people, the notices."""

    def __init__(self, seed, ncustomers, templates=None, footer=None):
        self.r = random.Random(seed)
        self.seq = 0
        self.customers = self.make_customers(ncustomers)
        self.templates = templates
        self.footer = footer
        self.used_ids = set()

    # ---- people ----
    def person(self, r=None):
        r = r or self.r
        female = r.random() < 0.5
        fam = r.choice(FAMILY)
        mid = r.choice(MIDDLE_F if female else MIDDLE_M)
        giv = r.choice(GIVEN_F if female else GIVEN_M)
        return fam, mid, giv

    def make_customers(self, n):
        r = random.Random(self.r.random())
        seen, out = set(), []
        while len(out) < n:
            fam, mid, giv = self.person(r)
            name = '%s %s %s' % (fam, mid, giv)
            g, f, m = ascii_fold(giv), ascii_fold(fam), ascii_fold(mid)
            if r.random() < 0.82:
                dom = r.choices([p[0] for p in PROVIDERS], [p[1] for p in PROVIDERS])[0]
                local = r.choice(['%s.%s%d' % (g, f, r.randint(70, 99)), '%s%s%s' % (f, m, g),
                                  '%s%s%d' % (g, f, r.randint(1, 999)), '%s.%s.%s' % (f, m, g)])
            else:
                dom = r.choice(CUSTOMER_COMPANIES)
                local = r.choice(['%s.%s' % (g, f), '%s%s' % (g[0], f), 'admin', 'it', 'ketoan',
                                  '%s' % g])
                if local in ('admin', 'it', 'ketoan'):
                    local += str(r.randint(1, 99))
            email = '%s@%s' % (local, dom)
            if email in seen:
                continue
            seen.add(email)
            svc = r.sample(SERVICES, r.choice([1, 1, 1, 2]))
            phone = '0%d%02d %03d %03d' % (r.choice([9, 8, 3, 7]), r.randint(0, 99),
                                           r.randint(0, 999), r.randint(0, 999))
            out.append({'email': email, 'name': name, 'phone': phone, 'services': svc,
                        'given': giv, 'female': mid in MIDDLE_F,
                        'refs': ['%s-%05d' % (s[1], r.randint(10000, 99999)) for s in svc]})
        return out

    def write_customers(self, path):
        with open(path, 'w', encoding='utf-8') as f:
            f.write('email,name,phone,source,service_type,service_ref,contract_status,'
                    'started_at,ended_at\n')
            for i, c in enumerate(self.customers):
                for (svc, _), ref in zip(c['services'], c['refs']):
                    f.write('%s,%s,%s,%s,%s,%s,active,20%02d-%02d-%02d,\n' % (
                        c['email'], c['name'], c['phone'], 'portal' if i % 5 else 'web_form',
                        svc, ref, 20 + i % 6, 1 + i % 12, 1 + i % 28))

    def stranger(self):
        """A person who is not a customer, with a personal address."""
        for _ in range(100):
            fam, mid, giv = self.person()
            dom = self.r.choice(['gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com'])
            email = '%s.%s.%s%d@%s' % (ascii_fold(giv), ascii_fold(mid), ascii_fold(fam),
                                       self.r.randint(100, 9999), dom)
            if email not in self.customer_emails:
                return '%s %s %s' % (fam, mid, giv), email
        raise RuntimeError('no stranger')

    # ---- ids, dates ----
    def next_seq(self):
        self.seq += 1
        return self.seq

    def hexid(self, n):
        return ''.join(self.r.choice('0123456789abcdef') for _ in range(n))

    def notice_msgid(self):
        return '%s@ilinks.asia' % self.hexid(32)

    def client_msgid(self, client, dom):
        r = self.r
        if client == 'gmail':
            s = ''.join(r.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
                        for _ in range(40))
            return 'CA%s@mail.gmail.com' % s
        if client == 'outlook':
            return '%s@SG2PR04MB%04d.apcprd04.prod.outlook.com' % (
                ''.join(r.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') for _ in range(32)),
                r.randint(1000, 9999))
        if client == 'iphone':
            return '%s-%s-%s-%s-%s@%s' % (self.hexid(8).upper(), self.hexid(4).upper(),
                                          self.hexid(4).upper(), self.hexid(4).upper(),
                                          self.hexid(12).upper(), dom)
        if client == 'yahoo':
            return '%d.%d.%d@mail.yahoo.com' % (r.randint(10 ** 8, 10 ** 9), r.randint(10 ** 6, 10 ** 7),
                                               r.randint(10 ** 12, 10 ** 13))
        return '%s.%s@%s' % (self.hexid(16), self.hexid(8), dom)

    def date(self, minutes_max=6 * 24 * 60):
        return BASE_DATE + datetime.timedelta(minutes=self.r.randint(30, minutes_max),
                                              seconds=self.r.randint(0, 59))

    # ---- our notices, as links-sender writes them ----
    def load_templates(self):
        tdir = self.templates or os.path.join(TOP, 'config', 'templates')
        self.tmpl = {}
        for name in ('maintenance', 'promotion', 'survey', 'invoice', 'contract_notice',
                     'policy_change'):
            path = os.path.join(tdir, name + '.tmpl')
            if not os.path.exists(path):
                continue
            with open(path, encoding='utf-8') as f:
                lines = [l.rstrip('\n') for l in f if not l.startswith('#')]
            hdr, body = {}, []
            i = 0
            while i < len(lines) and lines[i]:
                k, _, v = lines[i].partition(':')
                hdr[k.strip()] = v.strip()
                i += 1
            for l in lines[i + 1:]:
                if l.startswith('--- html ---'):
                    break
                body.append(l)
            self.tmpl[name] = (hdr, '\n'.join(body).strip('\n'))
        if not self.tmpl:
            raise RuntimeError('no templates in %s' % tdir)
        fpath = self.footer or os.path.join(TOP, 'config', 'footer.h')
        defs = {}
        with open(fpath, encoding='utf-8') as f:
            text = f.read().replace('\\\n', ' ')
        for m in re.finditer(r'#define\s+(FOOTER_\w+)\s+"((?:[^"\\]|\\.)*)"', text):
            defs[m.group(1)] = m.group(2).replace('\\"', '"')
        self.footer_vi = defs.get('FOOTER_REFUSAL_VI', '')
        self.footer_en = defs.get('FOOTER_REFUSAL_EN', '')

    def render_notice(self, c, cat):
        """(subject, text) of a notice of category CAT to customer C."""
        name = {'maintenance': 'maintenance', 'promotion': 'promotion', 'survey': 'survey',
                'account': 'invoice'}[cat]
        hdr, body = self.tmpl.get(name) or next(iter(self.tmpl.values()))
        svc, ref = c['services'][0][0], c['refs'][0]
        v = {'name': c['name'], 'service_type': svc.upper() if svc == 'vps' else svc,
             'service_ref': ref, 'contact_email': SUPPORT, 'contact_phone': '0249 996 3579',
             'company_name': 'LINKS', 'window': 'từ 22:00 ngày 28/11 đến 02:00 ngày 29/11',
             'impact': 'dịch vụ có thể gián đoạn tối đa 15 phút',
             'offer': 'giảm 20% khi gia hạn VPS 12 tháng', 'until': '31/12/2026',
             'url': 'https://dichvu.ilinks.asia/khuyen-mai', 'survey_url':
             'https://dichvu.ilinks.asia/khao-sat/%s' % self.hexid(10),
             'invoice_no': 'HD%07d' % self.r.randint(1, 9999999),
             'amount': '%s.000 đ' % format(self.r.randint(150, 4800), ',').replace(',', '.'),
             'due_date': '05/12/2026'}

        def sub(s):
            return re.sub(r'\{\{\s*(\w+)\s*\}\}', lambda m: v.get(m.group(1), '...'), s)
        subject = sub(hdr.get('Subject', 'Thông báo từ LINKS'))
        if hdr.get('Label'):
            subject = '%s %s' % (hdr['Label'], subject)
        reason = sub(hdr.get('Reason', 'Quý khách nhận được email này vì là khách hàng của LINKS.'))
        foot = ['-- ', reason, self.footer_vi, self.footer_en]
        if cat not in REFUSABLE:
            foot.append(TRANSACTIONAL_LINE)
        foot += ['LINKS - Tầng 15, tòa nhà văn phòng Intracom, 33 Cầu Diễn, phường Phúc Diễn, '
                 'quận Bắc Từ Liêm, Hà Nội',
                 'Điện thoại: 0249 996 3579 - Email: support@ilinks.asia',
                 'Website: https://dichvu.ilinks.asia']
        return subject, sub(body) + '\n\n' + '\n'.join(foot)


# ---- client layouts of a reply to our notice ----

def attribution(client, lang, when):
    d = when
    if lang == 'en':
        if client == 'outlook':
            return None
        if client in ('iphone', 'apple'):
            return 'On %s, at %s, LINKS <%s> wrote:' % (d.strftime('%b %d, %Y'), d.strftime('%H:%M'), NOREPLY)
        if client == 'thunderbird':
            return 'On %s %s, LINKS wrote:' % (d.strftime('%m/%d/%y'), d.strftime('%H:%M'))
        return 'On %s at %s LINKS <%s> wrote:' % (d.strftime('%a, %b %d, %Y'),
                                                   d.strftime('%I:%M %p').lstrip('0'), NOREPLY)
    if client in ('iphone', 'apple'):
        return 'Vào %s %d tháng %d, %d, LINKS <%s> đã viết:' % (d.strftime('%H:%M'), d.day, d.month,
                                                               d.year, NOREPLY)
    if client == 'thunderbird':
        return 'Vào %s lúc %s, LINKS đã viết:' % (d.strftime('%d/%m/%Y'), d.strftime('%H:%M'))
    if client == 'yahoo':
        return 'Vào %s, %d tháng %d, %d lúc %s GMT+7, LINKS <%s> đã viết:' % (
            VI_DAYS[d.weekday()], d.day, d.month, d.year, d.strftime('%H:%M:%S'), NOREPLY)
    return 'Vào %s, %d thg %d, %d vào lúc %s LINKS <%s>\nđã viết:' % (
        VI_DAYS_SHORT[d.weekday()], d.day, d.month, d.year, d.strftime('%H:%M'), NOREPLY)


def quoted(text, prefix='> '):
    return '\n'.join((prefix + l) if l else prefix.rstrip() for l in text.split('\n'))


def outlook_block(lang, when, to_line, subject):
    d = when
    if lang == 'en':
        return ('________________________________\nFrom: LINKS <%s>\nSent: %s\nTo: %s\n'
                'Subject: %s' % (NOREPLY, d.strftime('%A, %B %d, %Y %I:%M %p'), to_line, subject))
    return ('________________________________\nTừ: LINKS <%s>\nĐã gửi: %s, %d tháng %d, %d %s\n'
            'Đến: %s\nChủ đề: %s' % (NOREPLY, VI_DAYS[d.weekday()], d.day, d.month, d.year,
                                     d.strftime('%H:%M'), to_line, subject))


def reply_parts(client, lang, new_text, notice_text, notice_subject, when, cust_addr):
    """The MIME parts (ctype, cte, payload) of a reply in CLIENT's layout."""
    attr = attribution(client, lang, when)
    sig = {'iphone': 'Gửi từ iPhone của tôi' if lang == 'vi' else 'Sent from my iPhone',
           'android': 'Gửi từ Samsung Galaxy của tôi' if lang == 'vi' else 'Sent from my Galaxy'}
    if client == 'outlook':
        block = outlook_block(lang, when, cust_addr, notice_subject)
        plain = '%s\n\n%s\n\n%s\n' % (new_text, block, notice_text)
        html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} '
                '</style></head><body dir="ltr"><div class="elementToProof" style="font-family: '
                'Aptos, Aptos_EmbeddedFont, Calibri, Helvetica, sans-serif; font-size: 12pt; '
                'color: rgb(0, 0, 0);">%s</div><div id="appendonsend"></div><hr style="display:'
                'inline-block;width:98%%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font '
                'face="Calibri, sans-serif" style="font-size:11pt" color="#000000">%s</font>'
                '<div>&nbsp;</div></div><div>%s</div></body></html>\n') % (
                    html_lines(new_text), html_lines(block.split('\n', 1)[1]),
                    html_lines(notice_text))
        return [('text/plain; charset="utf-8"', 'quoted-printable', plain),
                ('text/html; charset="utf-8"', 'quoted-printable', html)]
    if client in ('iphone', 'android'):
        plain = '%s\n\n%s\n\n%s\n\n%s\n' % (new_text, sig[client], attr, quoted(notice_text))
        return [('text/plain; charset=utf-8', 'quoted-printable', plain)]
    if client == 'thunderbird':
        plain = '%s\n\n%s\n%s\n' % (new_text, attr, quoted(notice_text))
        return [('text/plain; charset=UTF-8; format=flowed', '8bit', plain)]
    if client == 'apple':
        plain = '%s\n\n%s\n\n%s\n' % (new_text, attr, quoted(notice_text))
        html = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
                '</head><body dir="auto"><div dir="ltr">%s</div><div dir="ltr"><br><blockquote '
                'type="cite">%s<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">'
                '%s</div></blockquote></body></html>\n') % (
                    html_lines(new_text), html_escape(attr), html_lines(notice_text))
        return [('text/plain; charset=utf-8', 'quoted-printable', plain),
                ('text/html; charset=utf-8', 'quoted-printable', html)]
    if client == 'yahoo':
        plain = '%s\n\n    %s\n\n%s\n' % (new_text, attr, quoted(notice_text, '    '))
        html = ('<html><head></head><body><div class="ydp3f1d8c2cyahoo-style-wrap" style="font-'
                'family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;"><div dir='
                '"ltr" data-setdir="false">%s</div></div><div id="yahoo_quoted_%d" class='
                '"yahoo_quoted"><div style="font-family:\'Helvetica Neue\', Helvetica, Arial, '
                'sans-serif;font-size:13px;color:#26282a;"><div>%s</div><div><br></div><div><br>'
                '</div><div><div dir="ltr">%s</div></div></div></div></body></html>\n') % (
                    html_lines(new_text), len(new_text) * 7919 % 9999999, html_escape(attr),
                    html_lines(notice_text))
        return [('text/plain; charset=UTF-8', 'quoted-printable', plain),
                ('text/html; charset=UTF-8', 'quoted-printable', html)]
    # gmail
    plain = '%s\n\n%s\n%s\n' % (new_text, attr, quoted(notice_text))
    html = ('<div dir="ltr">%s</div><br><div class="gmail_quote gmail_quote_container"><div '
            'dir="ltr" class="gmail_attr">%s<br></div><blockquote class="gmail_quote" style='
            '"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
            '%s</blockquote></div>\n') % (html_lines(new_text), html_escape(attr.replace('\n', ' ')),
                                         html_lines(notice_text))
    cte = 'base64' if lang == 'vi' and len(new_text) > 200 else 'quoted-printable'
    return [('text/plain; charset="UTF-8"', cte, plain),
            ('text/html; charset="UTF-8"', 'quoted-printable', html)]


class Message:
    """One message: headers, then a body assembled from parts."""

    def __init__(self):
        self.headers = []

    def h(self, name, value):
        self.headers.append((name, value))

    def render(self, body):
        return ''.join('%s: %s\n' % hv for hv in self.headers) + '\n' + body


def encode_payload(cte, payload):
    if cte == 'quoted-printable':
        return qp(payload)
    if cte == 'base64':
        return b64(payload)
    return payload


def single_part(msg, part):
    ctype, cte, payload = part
    msg.h('Content-Type', ctype)
    msg.h('Content-Transfer-Encoding', cte)
    return encode_payload(cte, payload)


def multipart(msg, kind, parts, boundary, preamble=''):
    """A multipart body; PARTS items are (ctype, cte, payload[, extra headers])."""
    msg.h('Content-Type', 'multipart/%s; boundary="%s"' % (kind, boundary))
    out = [preamble] if preamble else []
    for p in parts:
        ctype, cte, payload = p[0], p[1], p[2]
        extra = p[3] if len(p) > 3 else []
        head = 'Content-Type: %s\n' % ctype
        if cte:
            head += 'Content-Transfer-Encoding: %s\n' % cte
        head += ''.join('%s: %s\n' % e for e in extra)
        body = payload if cte in (None, '', '7bit', '8bit') else encode_payload(cte, payload)
        if not body.endswith('\n'):
            body += '\n'
        out.append('--%s\n%s\n%s' % (boundary, head, body))
    out.append('--%s--\n' % boundary)
    return ''.join(out)


def nested_multipart(kind, parts, boundary):
    """A multipart entity usable as one part of another multipart."""
    m = Message()
    body = multipart(m, kind, parts, boundary)
    return (m.headers[0][1], None, body)


# ---- what the MX adds, and where a message comes from ----

RELAYS = {
    'gmail.com': ('mail-%s-f%d.google.com', '209.85.%d.%d'),
    'yahoo.com': ('sonic%d-%d.consmr.mail.sg3.yahoo.com', '106.10.%d.%d'),
    'outlook.com': ('mail-sgaapc01on20%d.outbound.protection.outlook.com', '40.107.%d.%d'),
    'hotmail.com': ('mail-tyzapc01on20%d.outbound.protection.outlook.com', '40.107.%d.%d'),
    'icloud.com': ('qs51p00im-qukt01080%d.me.com', '17.57.%d.%d'),
}


def relay_of(g, dom):
    r = g.r
    if dom in RELAYS:
        hpat, ipat = RELAYS[dom]
        n = hpat.count('%')
        host = hpat % tuple(r.choice(['wr1', 'ej1', 'pf1', 'qt1', 'lf1']) if k == 0 and
                            dom == 'gmail.com' else r.randint(1, 99) for k in range(n))
        return host, ipat % (r.randint(0, 255), r.randint(1, 254))
    return 'mail.%s' % dom, '203.%d.%d.%d' % (r.randint(100, 200), r.randint(0, 255),
                                                r.randint(1, 254))


def received(g, msg, dom, rcpt, when, auth=None):
    """Our MX's Received header (as Postfix shows it to milters), maybe our AR."""
    host, ip = relay_of(g, dom)
    qid = '4Y%s' % ''.join(g.r.choice('BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789')
                           for _ in range(10))
    if auth:
        msg.h('Authentication-Results', auth)
    msg.h('Received', 'from %s (%s [%s])\n\tby mx.ilinks.asia (Postfix) with ESMTPS id %s\n'
          '\tfor <%s>; %s (+07)' % (host, host, ip, qid, rcpt, rfc_date(when)))
    if dom == 'gmail.com':
        pst = (when - datetime.timedelta(seconds=2)).astimezone(
            datetime.timezone(datetime.timedelta(hours=-8)))
        msg.h('Received', 'by %s with SMTP id %s.%d\n        for <%s>; %s' % (
            host, g.hexid(12), g.r.randint(1, 9), rcpt, pst.strftime('%a, %d %b %Y %H:%M:%S -0800 (PST)')))
        msg.h('X-Google-Smtp-Source', 'AGHT+I%s' % ''.join(g.r.choice(
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') for _ in range(60)))
    elif dom in ('outlook.com', 'hotmail.com'):
        msg.h('ARC-Seal', 'i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv=none;\n'
              ' b=%s' % b64(g.r.randbytes(96)).replace('\n', '\n '))
    return host, ip


def trusted_ar(dom):
    return ('%s;\n\tdkim=pass header.d=%s header.s=s1 header.b=Qx3a9Kf2;\n\tspf=pass '
            '(%s: domain of designates sender) smtp.mailfrom=%s;\n\tdmarc=pass (p=NONE '
            'sp=QUARANTINE dis=NONE) header.from=%s' % (MX_AUTHSERV, dom, MX_AUTHSERV, dom, dom))


def client_headers(g, msg, client, dom):
    if client == 'outlook':
        msg.h('Thread-Topic', 'reply')
        msg.h('Thread-Index', 'AQHb%s' % base64.b64encode(g.r.randbytes(18)).decode())
        msg.h('X-MS-Has-Attach', '')
        msg.h('X-MS-TNEF-Correlator', '')
        msg.h('msip_labels', '')
        msg.h('Content-Language', g.r.choice(['vi-VN', 'en-US']))
    elif client in ('iphone', 'apple'):
        msg.h('X-Mailer', 'iPhone Mail (22B91)' if client == 'iphone' else
              'Apple Mail (2.3826.200.121)')
    elif client == 'thunderbird':
        msg.h('User-Agent', 'Mozilla Thunderbird')
    elif client == 'yahoo':
        msg.h('X-Mailer', 'WebService/1.1.23187 YMailNorrin')
    elif client == 'android':
        msg.h('X-Mailer', 'Samsung Mail')


def client_for(g, dom):
    if dom == 'gmail.com':
        return g.r.choices(['gmail', 'iphone', 'android', 'apple'], [70, 15, 10, 5])[0]
    if dom == 'yahoo.com':
        return g.r.choices(['yahoo', 'iphone'], [85, 15])[0]
    if dom in ('outlook.com', 'hotmail.com'):
        return g.r.choices(['outlook', 'iphone'], [85, 15])[0]
    if dom == 'icloud.com':
        return g.r.choice(['iphone', 'apple'])
    return g.r.choices(['outlook', 'thunderbird', 'gmail', 'iphone'], [50, 20, 20, 10])[0]


# ---- texts ----

QUESTIONS_VI = [
    'Chào LINKS,\n\nTại sao thanh toán của tôi bị từ chối? Tôi đã chuyển khoản hôm qua qua '
    'Vietcombank, số tiền {amt}.\nNhờ kiểm tra giúp tôi.',
    'Cho em hỏi trong thời gian bảo trì thì website của em có bị ảnh hưởng không ạ? Bên em '
    'đang chạy chương trình bán hàng cuối tuần.',
    'Anh chị ơi, VPS {ref} của tôi từ sáng nay không SSH được, ping vẫn được. Nhờ kiểm tra gấp '
    'giúp tôi. Cảm ơn.',
    'Chào bộ phận hỗ trợ,\n\nHợp đồng {ref} của công ty tôi hết hạn khi nào? Tôi muốn gia hạn '
    'thêm 12 tháng thì chi phí bao nhiêu?',
    'Mình muốn nâng cấp gói hosting lên gói cao hơn, có cần chuyển dữ liệu không bạn? Bao lâu '
    'thì xong?',
    'Hóa đơn tháng này sao cao hơn tháng trước vậy? Tôi không đăng ký thêm dịch vụ nào.',
    'Xin chào, tôi nhận được email này nhưng không rõ lịch bảo trì áp dụng cho dịch vụ nào của '
    'tôi. Vui lòng cho biết cụ thể.',
    'Em chào anh chị. Em bị quên mật khẩu trang quản lý dịch vụ, làm sao để lấy lại ạ?',
    'Chương trình khuyến mãi này có áp dụng cho khách hàng đang dùng gói cũ không? Nếu có thì '
    'đăng ký thế nào?',
    'LINKS cho hỏi có xuất hóa đơn VAT cho công ty được không? Thông tin công ty: Công ty TNHH '
    '{company}, MST 0312{mst}.',
    'Tên miền của tôi báo sắp hết hạn nhưng tôi đã gia hạn rồi. Kiểm tra giúp tôi với.',
    'Bao giờ thì bảo trì xong vậy? Từ tối qua tới giờ email công ty tôi không gửi được.',
]
QUESTIONS_EN = [
    'Hi,\n\nCould you tell me whether the maintenance will affect my VPS {ref}? We have a '
    'deployment planned for that night.',
    'Hello, my payment was declined twice today. Is there a problem with the payment gateway?',
    'Is it possible to move my hosting plan to the Singapore data centre? What would it cost?',
    'Hi team, I cannot log in to the customer portal since yesterday. Please advise.',
    'Can you send me the invoice for last month with our company tax code? Thanks.',
]
REFUSALS_VI = ['Từ chối', 'Từ chối.', 'từ chối', 'TỪ CHỐI', 'Từ chối!', 'Tu choi', 'tu choi',
               'Từ chối ạ', 'Từ chối, cảm ơn.', 'Em xin từ chối ạ. Cảm ơn anh chị!',
               'Tôi từ chối nhận email quảng cáo từ LINKS.', 'Hủy đăng ký', 'Huỷ đăng ký',
               'Tôi không muốn nhận email này nữa.', 'Đừng gửi email quảng cáo nữa',
               'Chào LINKS,\n\nTừ chối', 'Từ chối nhận email.']
REFUSALS_EN = ['Unsubscribe', 'unsubscribe', 'Please unsubscribe me.', 'UNSUBSCRIBE',
               'Stop sending me these emails.']
REFUSAL_QUESTIONS = [
    'Từ chối. Nhưng cho tôi hỏi hợp đồng {ref} của tôi hết hạn khi nào?',
    'Từ chối nhận email khuyến mãi. Mà cho em hỏi hóa đơn tháng 11 đã thanh toán chưa ạ?',
    'Unsubscribe. Also, when does my contract {ref} end?',
]
SIGNATURES = ['', '', '', '\n\n--\n{name}\n{phone}', '\n\nTrân trọng,\n{name}',
              '\n\nThanks,\n{given}', '\n\n{name}\nGiám đốc kỹ thuật\nĐT: {phone}']
OOO_VI = ['Tôi đang nghỉ phép đến hết ngày {day}/12/2026 và sẽ trả lời thư khi trở lại. Việc '
          'gấp xin liên hệ số {phone}.',
          'Cảm ơn anh/chị đã gửi email. Hiện tôi đang đi công tác, sẽ phản hồi sớm nhất có thể.',
          'Tôi đang nghỉ Tết, từ ngày {day}/01 đến hết ngày {day2}/01. Trân trọng.']
OOO_EN = ['I am out of the office until December {day} with limited access to email. '
          'For urgent matters please call {phone}.',
          'Thank you for your email. I am currently on annual leave and will reply on my return.']

BUSINESS_VI = [
    'Kính gửi anh {staff},\n\nBên em gửi lại báo giá thiết bị switch 48 cổng và module quang '
    'SFP+ như đã trao đổi hôm thứ Sáu. Báo giá có hiệu lực đến hết tháng 12. Nếu cần điều chỉnh '
    'số lượng hoặc thời gian giao hàng, anh cứ phản hồi để em cập nhật.\n\nTrân trọng,\n{sender}',
    'Chào chị {staff},\n\nCông ty em xác nhận lịch họp rà soát hợp đồng vào 14h thứ Tư tuần sau '
    'tại văn phòng bên chị. Bên em sẽ có 3 người tham dự: anh Tuấn (giám đốc), chị Hà (kế toán) '
    'và em.\nChị cho em xin số phòng họp và thông tin gửi xe nhé.\n\nCảm ơn chị,\n{sender}',
    'Dear {staff},\n\nPlease find below the updated maintenance window for the cross-connect in '
    'rack B14. The field engineer will arrive at 21:30 and the work should take two hours. '
    'Traffic will be moved to the secondary path at 21:45.\n\nBest regards,\n{sender}',
    'Anh {staff} ơi,\n\nEm gửi anh bản nháp hợp đồng thuê chỗ đặt máy chủ, anh xem giúp em điều '
    '5.2 về bồi thường khi gián đoạn dịch vụ nhé. Bên pháp chế của em muốn thêm điều khoản '
    'SLA 99,95%.\n\n{sender}',
    'Hi {staff},\n\nThanks for the quick call today. As discussed, we can ship the replacement '
    'disks on Monday; the RMA number is RMA-{num}. Could you confirm the delivery address?\n\n'
    'Kind regards,\n{sender}',
    'Kính gửi Phòng Kế toán,\n\nCông ty chúng tôi đã nhận được công văn đối chiếu công nợ quý '
    'III. Số liệu hai bên khớp nhau, chúng tôi gửi lại biên bản đã ký và đóng dấu trong tệp '
    'đính kèm.\n\nTrân trọng,\n{sender}',
    'Chào {staff},\n\nMình là {sender_short}, học cùng khóa với bạn ở Bách Khoa. Tuần sau mình '
    'ra Hà Nội công tác, cuối tuần cafe không?\n\n{sender_short}',
    'Dear {staff},\n\nI hope this email finds you well. I am writing to follow up on our '
    'proposal for the annual penetration test. We would be happy to present the scope and the '
    'methodology next week. Please let me know which day suits your team.\n\nSincerely,\n'
    '{sender}',
]
FILLER_VI = ['Hệ thống giám sát ghi nhận tải CPU trung bình ở mức 42%, không có cảnh báo nào '
             'vượt ngưỡng trong tuần qua.',
             'Các bản sao lưu được thực hiện hằng ngày lúc 2 giờ sáng và giữ trong 14 ngày.',
             'Chúng tôi đề xuất nâng cấp đường truyền lên 10 Gbps từ quý I năm sau để đáp ứng '
             'nhu cầu tăng trưởng của khách hàng doanh nghiệp.',
             'Đối với các máy chủ chạy hệ điều hành cũ, cần lên kế hoạch chuyển đổi trước khi '
             'hết hạn hỗ trợ bảo mật.']
FILLER_EN = ['Our monitoring shows no packet loss on the primary path since the last change.',
             'The new firmware fixes the memory leak reported in the previous release.',
             'We recommend scheduling the migration outside business hours to limit the impact.',
             'All figures in the attached report are preliminary until the audit is complete.']


def fill(s, **kw):
    for k, v in kw.items():
        s = s.replace('{%s}' % k, str(v))
    return s


# ---- message builders: each returns an Item ----

class Item:
    """A generated message and what each milter must do with it."""

    def __init__(self, cls, detail, text, mail_from, rcpts, links, dom, consent=None):
        self.cls, self.detail, self.text = cls, detail, text
        self.mail_from, self.rcpts = mail_from, rcpts
        self.links = links
        self.signed = dom in SIGNED
        self.consent = consent or {}	# email -> set of refused categories
        self.key = 0.0
        self.after = None		# an item this one must follow (a repeat)


EXPECT_ROUTED = ('final=accept|continue -rcpt=%s +rcpt=%s' % (NOREPLY, SUPPORT))


def reply_message(g, c, new_text, lang, notice_cat, via, token=None, subject=None):
    """A customer's reply to one of our notices (or a new mail to noreply@)."""
    dom = c['email'].split('@')[1]
    client = client_for(g, dom)
    sent = g.date()
    when = sent + datetime.timedelta(minutes=g.r.randint(3, 3000))
    msg = Message()
    rcpt = NOREPLY if token is None else 'noreply+%s@ilinks.asia' % token
    received(g, msg, dom, rcpt, when, trusted_ar(dom) if via == 'ar' else None)
    notice_subject, notice_text = g.render_notice(c, notice_cat)
    nid = g.notice_msgid()
    if via == 'msgid':
        g.msglog.append((nid, c['email'], notice_cat))
    msg.h('MIME-Version', '1.0')
    if via == 'msgid':
        msg.h('References', '<%s>' % nid)
        msg.h('In-Reply-To', '<%s>' % nid)
    msg.h('From', mailbox(c['name'], c['email']))
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s>' % g.client_msgid(client, dom))
    if subject is None:
        subject = ('Re: ' if lang == 'en' or client != 'outlook' else 'TL: ') + notice_subject
    msg.h('Subject', enc_words(subject))
    msg.h('To', rcpt if token else mailbox('LINKS', NOREPLY))
    client_headers(g, msg, client, dom)
    if via == 'msgid':
        parts = reply_parts(client, lang, new_text, notice_text, notice_subject, sent, c['email'])
    else:
        # a new message, not a reply: no quote
        parts = [('text/plain; charset="UTF-8"', 'quoted-printable', new_text + '\n')]
        if client in ('gmail', 'outlook', 'yahoo'):
            parts.append(('text/html; charset="UTF-8"', 'quoted-printable',
                          '<div dir="ltr">%s</div>\n' % html_lines(new_text)))
    if len(parts) == 1:
        body = single_part(msg, parts[0])
    else:
        body = multipart(msg, 'alternative', parts, '0000000000%s' % g.hexid(16))
    return client, msg.render(body), dom, rcpt


def signature(g, c):
    s = g.r.choice(SIGNATURES)
    return fill(s, name=c['name'], phone=c['phone'], given=c['given'])


def make_question(g, c, to_support=False):
    lang = 'en' if g.r.random() < 0.15 else 'vi'
    q = g.r.choice(QUESTIONS_EN if lang == 'en' else QUESTIONS_VI)
    text = fill(q, ref=c['refs'][0], amt='%d.000 đ' % g.r.randint(200, 5000),
                company=c['name'].split()[-1], mst='%06d' % g.r.randint(0, 999999)) + signature(g, c)
    cat = g.r.choice(['maintenance', 'maintenance', 'account', 'promotion', 'survey'])
    if to_support:
        dom = c['email'].split('@')[1]
        client = client_for(g, dom)
        when = g.date()
        msg = Message()
        received(g, msg, dom, SUPPORT, when)
        msg.h('MIME-Version', '1.0')
        msg.h('From', mailbox(c['name'], c['email']))
        msg.h('Date', rfc_date(when))
        msg.h('Message-ID', '<%s>' % g.client_msgid(client, dom))
        msg.h('Subject', enc_words(g.r.choice(['Hỏi về dịch vụ', 'Cần hỗ trợ gấp', 'Hóa đơn',
                                                'Question about my VPS', 'Gia hạn hợp đồng'])))
        msg.h('To', mailbox('LINKS Support', SUPPORT))
        client_headers(g, msg, client, dom)
        parts = [('text/plain; charset="UTF-8"', 'quoted-printable', text + '\n'),
                 ('text/html; charset="UTF-8"', 'quoted-printable',
                  '<div dir="ltr">%s</div>\n' % html_lines(text))]
        body = multipart(msg, 'alternative', parts, '000000000000%s' % g.hexid(14))
        return Item('question', 'support-' + client, msg.render(body), c['email'], [SUPPORT],
                    'final=accept|continue !hdr=X-Links-Optout', dom)
    client, text, dom, rcpt = reply_message(g, c, text, lang, cat, 'msgid')
    return Item('question', client, text, c['email'], [rcpt],
                EXPECT_ROUTED + ' hdr=X-Links-Verdict:question !hdr=X-Links-Optout', dom)


def make_refusal(g, c, how, cls='refusal'):
    """A refusal by customer C, proven HOW: msgid, ar, token; or none (unproven)."""
    lang = 'en' if g.r.random() < 0.12 else 'vi'
    cat = g.r.choice(['promotion', 'promotion', 'survey', 'maintenance', 'account'])
    if how == 'token':
        tok = g.tokens.get(c['email'])
        if tok is None:
            how = 'msgid'
    if how == 'token':
        # Gmail's (or Yahoo's) "Unsubscribe" button: a mail to the
        # List-Unsubscribe mailto address of our promotion.
        dom = c['email'].split('@')[1]
        when = g.date()
        msg = Message()
        rcpt = 'noreply+%s@ilinks.asia' % tok
        received(g, msg, dom, rcpt, when)
        msg.h('MIME-Version', '1.0')
        msg.h('From', mailbox(c['name'], c['email']))
        msg.h('Date', rfc_date(when))
        msg.h('Message-ID', '<%s>' % g.client_msgid('gmail' if dom == 'gmail.com' else 'other', dom))
        msg.h('Subject', 'unsubscribe')
        msg.h('To', rcpt)
        body = single_part(msg, ('text/plain; charset="UTF-8"', '7bit',
                                 'This message was automatically generated by Gmail.\n'
                                 if dom == 'gmail.com' else '\n'))
        # Gmail's boilerplate is no question: routing it to a person is
        # safe but second best.
        return Item(cls, 'token', msg.render(body), c['email'], [rcpt], 'final=discard || '
                    'final=accept|continue -rcpt=%s +rcpt=%s hdr=X-Links-Optout:applied' % (
                        rcpt, SUPPORT), dom, {c['email']: {'promotion'}})
    sig = signature(g, c)
    if cls == 'refusalq':
        text = fill(g.r.choice(REFUSAL_QUESTIONS), ref=c['refs'][0]) + sig
        lang = 'en' if text.startswith('Unsub') else 'vi'
    else:
        text = g.r.choice(REFUSALS_EN if lang == 'en' else REFUSALS_VI)
        if text.lower().startswith('tu choi'):
            sig = ''		# "tu choi" with more text is ambiguous by design
        text += sig
    subject = None
    if how in ('ar', 'none'):
        subject = g.r.choice(['Từ chối', 'Hủy đăng ký nhận email', 'Unsubscribe',
                              'Không nhận email quảng cáo'])
    client, msgtext, dom, rcpt = reply_message(g, c, text, lang, cat, how, subject=subject)
    if how == 'none':
        return Item('unverified', client, msgtext, c['email'], [rcpt],
                    EXPECT_ROUTED + ' hdr=X-Links-Optout:unverified', dom)
    consent = {c['email']: set(REFUSABLE)}
    if cls == 'refusalq':
        return Item(cls, client, msgtext, c['email'], [rcpt],
                    EXPECT_ROUTED + ' hdr=X-Links-Optout:applied', dom, consent)
    # A signature the client did not set off with "-- " may be read as
    # more text: recorded and routed to a person is safe, second best.
    best = 'final=discard' + (' || ' + EXPECT_ROUTED + ' hdr=X-Links-Optout:applied'
                              if sig.strip() else '')
    return Item(cls, '%s-%s' % (how, client), msgtext, c['email'], [rcpt], best, dom, consent)


def make_autoreply(g, c):
    dom = c['email'].split('@')[1]
    client = client_for(g, dom)
    when = g.date()
    lang = 'en' if g.r.random() < 0.3 else 'vi'
    msg = Message()
    received(g, msg, dom, NOREPLY, when)
    notice_subject, _ = g.render_notice(c, g.r.choice(['maintenance', 'promotion', 'account']))
    nid = g.notice_msgid()
    g.msglog.append((nid, c['email'], 'maintenance'))
    txt = fill(g.r.choice(OOO_EN if lang == 'en' else OOO_VI), day=g.r.randint(1, 28),
               day2=g.r.randint(1, 28), phone=c['phone'])
    msg.h('MIME-Version', '1.0')
    msg.h('From', mailbox(c['name'], c['email']))
    msg.h('To', mailbox('LINKS', NOREPLY))
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s>' % g.client_msgid(client, dom))
    msg.h('In-Reply-To', '<%s>' % nid)
    msg.h('References', '<%s>' % nid)
    if client == 'outlook':
        msg.h('Subject', enc_words(('Automatic reply: ' if lang == 'en' else 'Trả lời tự động: ')
                                   + notice_subject))
        msg.h('Auto-Submitted', 'auto-generated')
        msg.h('X-Auto-Response-Suppress', 'All')
        msg.h('X-MS-Exchange-Inbox-Rules-Loop', c['email'])
    else:
        msg.h('Subject', enc_words('Re: ' + notice_subject))
        msg.h('Auto-Submitted', 'auto-replied')
        msg.h('Precedence', 'bulk')
        msg.h('X-Autoreply', 'yes')
    body = single_part(msg, ('text/plain; charset="UTF-8"', 'quoted-printable', txt + '\n'))
    return Item('autoreply', client, msg.render(body), c['email'], [NOREPLY], 'final=discard', dom)


def make_bounce(g, c):
    """A DSN for a notice we sent to C, to noreply@ (null sender)."""
    gm = c['email'].endswith('@gmail.com')
    rdom = 'googlemail.com' if gm else 'mx.%s' % c['email'].split('@')[1]
    when = g.date()
    nid = g.notice_msgid()
    g.msglog.append((nid, c['email'], 'promotion'))
    notice_subject, _ = g.render_notice(c, 'promotion')
    msg = Message()
    received(g, msg, 'gmail.com' if gm else rdom, NOREPLY, when)
    msg.h('MIME-Version', '1.0')
    msg.h('From', 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>' if gm else
          'MAILER-DAEMON@%s (Mail Delivery System)' % rdom)
    msg.h('To', NOREPLY)
    msg.h('Auto-Submitted', 'auto-replied')
    msg.h('Subject', 'Delivery Status Notification (Failure)' if gm else
          'Undelivered Mail Returned to Sender')
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s@%s>' % (g.hexid(20), rdom))
    status = g.r.choice([('5.1.1', '550 5.1.1 The email account that you tried to reach does '
                          'not exist.'), ('5.2.2', '552 5.2.2 The recipient\'s inbox is out of '
                                                   'storage space.'),
                         ('5.1.1', '550 5.1.1 <%s>: Recipient address rejected: User unknown in '
                          'virtual mailbox table' % c['email'])])
    human = ("This is the mail system at host %s.\n\nI'm sorry to have to inform you that your "
             "message could not\nbe delivered to one or more recipients. It's attached below."
             "\n\n<%s>: host %s said: %s\n" % (rdom, c['email'], rdom, status[1]))
    dsn = ('Reporting-MTA: dns; %s\nX-Postfix-Queue-ID: %s\nArrival-Date: %s\n\n'
           'Final-Recipient: rfc822; %s\nOriginal-Recipient: rfc822;%s\nAction: failed\n'
           'Status: %s\nRemote-MTA: dns; %s\nDiagnostic-Code: smtp; %s\n') % (
               rdom, g.hexid(10).upper(), rfc_date(when), c['email'], c['email'], status[0],
               rdom, status[1])
    orig = ('Return-Path: <%s>\nFrom: LINKS <%s>\nTo: %s\nSubject: %s\nDate: %s\n'
            'Message-ID: <%s>\nMIME-Version: 1.0\nAuto-Submitted: auto-generated\n') % (
                NOREPLY, NOREPLY, mailbox(c['name'], c['email']), enc_words(notice_subject),
                rfc_date(when - datetime.timedelta(minutes=3)), nid)
    parts = [('text/plain; charset=us-ascii', '7bit', human, [('Content-Description',
                                                               'Notification')]),
             ('message/delivery-status', '7bit', dsn, [('Content-Description',
                                                        'Delivery report')]),
             ('text/rfc822-headers', '7bit', orig, [('Content-Description',
                                                     'Undelivered Message Headers')])]
    msg.headers = [h for h in msg.headers]
    body = multipart(msg, 'report; report-type=delivery-status', parts,
                     '%s.%d/%s' % (g.hexid(10).upper(), g.r.randint(10 ** 9, 10 ** 10 - 1), rdom),
                     'This is a MIME-encapsulated message.\n\n')
    return Item('bounce', 'google' if gm else 'postfix', msg.render(body), '', [NOREPLY],
                'final=discard', 'googlemail.com' if gm else rdom)


# ---- ordinary mail: to staff, from people and companies that are not customers ----

def staff_rcpts(g):
    n = g.r.choices([1, 2, 3], [70, 22, 8])[0]
    rc = ['%s@ilinks.asia' % s for s in g.r.sample(STAFF, n)]
    if g.r.random() < 0.04:
        rc.append(SUPPORT)
    return rc


def staff_name(addr):
    local = addr.split('@')[0]
    return local.split('.')[0].capitalize() if '.' in local else 'anh/chị'


def ordinary_sender(g):
    if g.r.random() < 0.55:
        company, dom = g.r.choice(PARTNERS)
        fam, mid, giv = g.person()
        name = '%s %s %s' % (fam, mid, giv)
        if dom.endswith(('.se', '.sg', '.uk')):
            name = g.r.choice(['Erik Lindqvist', 'Sarah Tan', 'James Whitfield', 'Priya Nair',
                               'Anna Berg', 'Daniel Koh'])
        email = '%s.%s@%s' % (ascii_fold(giv), ascii_fold(fam), dom)
        return name, email, dom, company
    name, email = g.stranger()
    return name, email, email.split('@')[1], None


def ordinary_text(g, rcpt, sender, company):
    t = g.r.choice(BUSINESS_VI + BUSINESS_VI[:4])
    text = fill(t, staff=staff_name(rcpt), sender=sender + ('\n' + company if company else ''),
                sender_short=sender.split()[-1], num=g.r.randint(10000, 99999))
    english = t.startswith(('Dear', 'Hi'))
    for _ in range(g.r.randint(0, 4)):
        text = text.replace('\n\n', '\n\n%s\n\n' % g.r.choice(FILLER_EN if english else FILLER_VI), 1)
    return text


def ordinary_business(g):
    name, email, dom, company = ordinary_sender(g)
    rc = staff_rcpts(g)
    client = client_for(g, dom)
    when = g.date()
    msg = Message()
    received(g, msg, dom, rc[0], when)
    text = ordinary_text(g, rc[0], name, company)
    subject = g.r.choice(['Báo giá thiết bị mạng tháng 12', 'Lịch họp rà soát hợp đồng',
                          'Cross-connect maintenance rack B14', 'Dự thảo hợp đồng thuê chỗ',
                          'RMA replacement disks', 'Biên bản đối chiếu công nợ quý III',
                          'Cafe cuối tuần?', 'Proposal: annual penetration test'])
    thread = g.r.random() < 0.35
    if thread:
        subject = 'Re: ' + subject
        prev_when = when - datetime.timedelta(hours=g.r.randint(2, 60))
        prev = ordinary_text(g, rc[0], 'LINKS', None)
        quote = 'Vào %s lúc %s, %s <%s> đã viết:\n%s' % (
            prev_when.strftime('%d/%m/%Y'), prev_when.strftime('%H:%M'), staff_name(rc[0]),
            rc[0], quoted(prev))
        text = text + '\n\n' + quote
        msg.h('In-Reply-To', '<%s@ilinks.asia>' % g.hexid(24))
        msg.h('References', '<%s@ilinks.asia>\n <%s@ilinks.asia>' % (g.hexid(24), g.hexid(24)))
    msg.h('MIME-Version', '1.0')
    msg.h('From', mailbox(name, email))
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s>' % g.client_msgid(client, dom))
    msg.h('Subject', enc_words(subject))
    msg.h('To', ', '.join(mailbox('', a) for a in rc[:1]))
    if len(rc) > 1:
        msg.h('Cc', ', '.join(rc[1:]))
    client_headers(g, msg, client, dom)
    parts = [('text/plain; charset="UTF-8"', 'quoted-printable', text + '\n')]
    if client not in ('thunderbird', 'iphone', 'android'):
        parts.append(('text/html; charset="UTF-8"', 'quoted-printable',
                      '<html><body><div dir="ltr">%s</div></body></html>\n' % html_lines(text)))
    if len(parts) == 1:
        body = single_part(msg, parts[0])
    else:
        body = multipart(msg, 'alternative', parts, '_000_%s_' % g.hexid(24).upper())
    return Item('ordinary', client + ('-thread' if thread else ''), msg.render(body), email, rc,
                'final=accept|continue', dom)


def newsletter_html(g, title, lang):
    cards = []
    for i in range(g.r.randint(8, 30)):
        cards.append('<tr><td style="padding:16px 24px;border-bottom:1px solid #eeeeee;font-family:'
                     'Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#333333">'
                     '<a href="https://click.example-mailer.com/ls/click?upn=%s" style="color:#0b57d0;'
                     'text-decoration:none;font-weight:bold">%s</a><br>%s</td></tr>\n' % (
                         g.hexid(80), html_escape(g.r.choice(FILLER_VI if lang == 'vi' else FILLER_EN)[:40]),
                         html_escape(g.r.choice(FILLER_VI if lang == 'vi' else FILLER_EN))))
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width'
            '=device-width,initial-scale=1"><title>%s</title><style>@media only screen and '
            '(max-width:600px){.c{width:100%% !important}}</style></head><body style="margin:0;'
            'background:#f4f4f4"><table role="presentation" width="100%%" cellpadding="0" '
            'cellspacing="0"><tr><td align="center"><table class="c" width="600" style="background:'
            '#ffffff">\n<tr><td style="padding:24px;font-size:20px">%s</td></tr>\n%s<tr><td '
            'style="padding:24px;font-size:11px;color:#999">%s</td></tr></table></td></tr></table>'
            '<img src="https://open.example-mailer.com/o/%s.gif" width="1" height="1"></body></html>\n'
            ) % (html_escape(title), html_escape(title), ''.join(cards),
                 'Bạn nhận email này vì đã đăng ký nhận bản tin.' if lang == 'vi' else
                 'You receive this email because you subscribed.', g.hexid(32))


def ordinary_bulk(g):
    sname, saddr, subj = g.r.choice(BULK)
    dom = saddr.split('@')[1]
    rc = ['%s@ilinks.asia' % g.r.choice(STAFF)]
    lang = 'en' if dom.endswith(('.io', '.com')) and 'vietpay' not in dom else 'vi'
    when = g.date()
    msg = Message()
    received(g, msg, dom, rc[0], when)
    html = newsletter_html(g, subj, lang)
    plain = re.sub(r'<[^>]+>', '', html.replace('</tr>', '\n'))
    msg.h('MIME-Version', '1.0')
    msg.h('From', mailbox(sname, saddr))
    msg.h('To', rc[0])
    msg.h('Subject', enc_words('%s - %s' % (subj, when.strftime('%d/%m/%Y'))))
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s.%s@%s>' % (g.hexid(12), g.hexid(20), dom))
    msg.h('List-Unsubscribe', '<https://%s/u/%s>, <mailto:unsub-%s@%s>' % (dom, g.hexid(40),
                                                                            g.hexid(16), dom))
    msg.h('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click')
    msg.h('List-Id', '<%s.list-id.%s>' % (g.hexid(8), dom))
    msg.h('Precedence', 'bulk')
    msg.h('Feedback-ID', '%d:%d:%s' % (g.r.randint(1, 999), g.r.randint(1000, 9999), dom))
    msg.h('X-Mailer', 'MailerEngine 7.2')
    parts = [('text/plain; charset="utf-8"', 'quoted-printable', plain),
             ('text/html; charset="utf-8"', 'quoted-printable', html)]
    body = multipart(msg, 'alternative', parts, '----=_Part_%d_%d.%d' % (
        g.r.randint(10 ** 5, 10 ** 6), g.r.randint(10 ** 8, 10 ** 9), g.r.randint(10 ** 12, 10 ** 13)))
    return Item('ordinary', 'newsletter', msg.render(body), 'bounce-%s@%s' % (g.hexid(12), dom), rc,
                'final=accept|continue', dom)


def ordinary_attachment(g, large=False):
    name, email, dom, company = ordinary_sender(g)
    rc = staff_rcpts(g)
    client = client_for(g, dom)
    when = g.date()
    msg = Message()
    received(g, msg, dom, rc[0], when)
    text = ordinary_text(g, rc[0], name, company)
    if large:
        size = g.r.randint(300, 1200) * 1024
        fname, ctype = g.r.choice([('nhat-ky-he-thong.zip', 'application/zip'),
                                   ('ban-ve-tu-rack.pdf', 'application/pdf'),
                                   ('anh-hien-truong.jpg', 'image/jpeg')])
    else:
        size = g.r.randint(30, 150) * 1024
        fname, ctype = g.r.choice([('hoa-don-%d.pdf' % g.r.randint(1000, 9999), 'application/pdf'),
                                   ('bao-gia.xlsx', 'application/vnd.openxmlformats-officedocument.'
                                    'spreadsheetml.sheet'),
                                   ('hop-dong-ky.pdf', 'application/pdf')])
    data = (b'%PDF-1.7\n' if fname.endswith('.pdf') else b'') + g.r.randbytes(size)
    msg.h('MIME-Version', '1.0')
    msg.h('From', mailbox(name, email))
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s>' % g.client_msgid(client, dom))
    msg.h('Subject', enc_words(g.r.choice(['Gửi hóa đơn tháng 11', 'Tài liệu đính kèm',
                                           'Báo giá và hợp đồng', 'Logs and photos from site',
                                           'Hồ sơ thầu'])))
    msg.h('To', rc[0])
    if len(rc) > 1:
        msg.h('Cc', ', '.join(rc[1:]))
    client_headers(g, msg, client, dom)
    alt = nested_multipart('alternative', [
        ('text/plain; charset="UTF-8"', 'quoted-printable', text + '\n'),
        ('text/html; charset="UTF-8"', 'quoted-printable',
         '<div dir="ltr">%s</div>\n' % html_lines(text))], '000000000000%s' % g.hexid(14))
    att = ('%s; name="%s"' % (ctype, fname), 'base64', data,
           [('Content-Disposition', 'attachment; filename="%s"' % fname),
            ('X-Attachment-Id', 'f_%s' % g.hexid(9))])
    body = multipart(msg, 'mixed', [alt, att], '000000000000%s' % g.hexid(14))
    return Item('ordinary', 'large' if large else 'attachment', msg.render(body), email, rc,
                'final=accept|continue', dom)


def ordinary_invite(g):
    name, email, dom, company = ordinary_sender(g)
    rc = staff_rcpts(g)
    when = g.date()
    start = when + datetime.timedelta(days=g.r.randint(1, 10))
    msg = Message()
    received(g, msg, dom, rc[0], when)
    uid = g.hexid(26)
    ics = ('BEGIN:VCALENDAR\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nVERSION:2.0\n'
           'CALSCALE:GREGORIAN\nMETHOD:REQUEST\nBEGIN:VEVENT\nDTSTART:%s\nDTEND:%s\n'
           'DTSTAMP:%s\nORGANIZER;CN=%s:mailto:%s\nUID:%s@google.com\n%sSUMMARY:Họp triển khai '
           'dự án\nLOCATION:Phòng họp 3\\, tầng 15\nSEQUENCE:0\nSTATUS:CONFIRMED\nEND:VEVENT\n'
           'END:VCALENDAR\n') % (start.strftime('%Y%m%dT%H%M00'), (start + datetime.timedelta(
               hours=1)).strftime('%Y%m%dT%H%M00'), when.strftime('%Y%m%dT%H%M%S'), name, email,
               uid, ''.join('ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;'
                            'RSVP=TRUE;CN=%s:mailto:%s\n' % (a, a) for a in rc))
    text = 'Bạn được mời tham dự: Họp triển khai dự án\n%s\nPhòng họp 3, tầng 15\n' % (
        start.strftime('%d/%m/%Y %H:%M'))
    msg.h('MIME-Version', '1.0')
    msg.h('From', mailbox(name, email))
    msg.h('To', ', '.join(rc))
    msg.h('Subject', enc_words('Lời mời: Họp triển khai dự án @ %s' % start.strftime('%d/%m/%Y')))
    msg.h('Date', rfc_date(when))
    msg.h('Message-ID', '<%s>' % g.client_msgid('gmail', dom))
    msg.h('Reply-To', mailbox(name, email))
    alt = nested_multipart('alternative', [
        ('text/plain; charset="UTF-8"', 'quoted-printable', text),
        ('text/html; charset="UTF-8"', 'quoted-printable', '<p>%s</p>\n' % html_lines(text)),
        ('text/calendar; charset="UTF-8"; method=REQUEST', '7bit', ics)],
        '000000000000%s' % g.hexid(14))
    body = multipart(msg, 'mixed', [alt, ('application/ics; name="invite.ics"', 'base64', ics,
                                          [('Content-Disposition',
                                            'attachment; filename="invite.ics"')])],
                     '000000000000%s' % g.hexid(14))
    return Item('ordinary', 'invite', msg.render(body), email, rc, 'final=accept|continue', dom)


def make_ordinary(g):
    k = g.r.choices(['business', 'bulk', 'attachment', 'invite', 'large'], [52, 25, 15, 5, 3])[0]
    if k == 'business':
        return ordinary_business(g)
    if k == 'bulk':
        return ordinary_bulk(g)
    if k == 'invite':
        return ordinary_invite(g)
    return ordinary_attachment(g, large=(k == 'large'))


# ---- corpora ----

def refusal_items(g, n, pool):
    """N refusals: first-time by distinct customers of POOL, repeats, variants."""
    items, firsts = [], []
    n_repeat = int(n * 0.15)
    n_first = n - n_repeat
    for i in range(n_first):
        c = pool.pop()
        u = g.r.random()
        if u < 0.05:
            it = make_refusal(g, c, 'none')
        elif u < 0.10:
            it = make_refusal(g, c, 'msgid', 'refusalq')
        elif u < 0.25:
            it = make_refusal(g, c, 'token')
        elif u < 0.40:
            it = make_refusal(g, c, 'ar')
        else:
            it = make_refusal(g, c, 'msgid')
        it.key = g.r.uniform(0, 0.8)
        it.customer = c
        items.append(it)
        if it.cls != 'unverified':
            firsts.append(it)
    for i in range(n_repeat):
        first = g.r.choice(firsts)
        it = make_refusal(g, first.customer, g.r.choice(['msgid', 'msgid', 'ar']), 'repeat')
        it.key = first.key + g.r.uniform(0.1, 0.2)
        items.append(it)
    return items


def auto_items(g, n, pool):
    out = []
    for i in range(n):
        c = g.r.choice(pool)
        out.append(make_autoreply(g, c) if g.r.random() < 0.55 else make_bounce(g, c))
    return out


def mix_items(g, n, pool):
    """N messages of a realistic MX, interleaved, each repeat after its first refusal."""
    items = []
    n_ref = max(1, round(n * MIX_SHARE[3][1]))
    n_auto = max(1, round(n * MIX_SHARE[2][1]))
    n_q = max(1, round(n * MIX_SHARE[1][1]))
    for it in refusal_items(g, n_ref, pool):
        it.key = it.key * 0.8
        items.append(it)
    for it in auto_items(g, n_auto, g.customers) + [
            make_question(g, g.r.choice(g.customers), g.r.random() < 0.2) for _ in range(n_q)] + [
            make_ordinary(g) for _ in range(n - n_ref - n_auto - n_q)]:
        it.key = g.r.random()
        items.append(it)
    return items


def write_corpus(g, outdir, name, items, order_by_key=True):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):	# a corpus generated before
        if old.endswith('.eml'):
            os.unlink(os.path.join(d, old))
    if order_by_key:
        items.sort(key=lambda it: it.key)
    consent = {}
    with open(os.path.join(d, 'MANIFEST'), 'w') as man, \
            open(os.path.join(d, 'expect.links'), 'w') as el, \
            open(os.path.join(d, 'expect.dkim'), 'w') as ed, \
            open(os.path.join(d, 'expect.null'), 'w') as en:
        for i, it in enumerate(items):
            fname = '%05d-%s-%s.eml' % (i + 1, it.cls, it.detail)
            with open(os.path.join(d, fname), 'w', encoding='utf-8', newline='\n') as f:
                f.write(it.text)
            man.write('%s\t%s\t%s\n' % (fname, it.mail_from or '<>', ','.join(it.rcpts)))
            el.write('%s\t%s\n' % (fname, it.links))
            ed.write('%s\tfinal=accept|continue%s\n' % (
                fname, ' hdr=Authentication-Results:dkim=pass' if it.signed else ''))
            en.write('%s\tfinal=accept\n' % fname)
            for email, cats in it.consent.items():
                consent.setdefault(email, set()).update(cats)
    with open(os.path.join(d, 'consent.expect'), 'w') as f:
        for email in sorted(consent):
            f.write('%s\t%s\n' % (email, ','.join(sorted(consent[email]))))
    return len(items)


def build_corpora(g, out, scale):
    g.load_templates()
    g.msglog = []
    size = {k: max(1, int(v * scale)) for k, v in SIZES.items()}
    pool = list(g.customers)
    g.r.shuffle(pool)
    counts = {}
    counts['ordinary'] = write_corpus(g, out, 'ordinary', [make_ordinary(g) for _ in range(
        size['ordinary'])], False)
    q = [make_question(g, g.r.choice(g.customers), g.r.random() < 0.2)
         for _ in range(size['questions'])]
    counts['questions'] = write_corpus(g, out, 'questions', q, False)
    counts['refusals'] = write_corpus(g, out, 'refusals', refusal_items(g, size['refusals'], pool))
    counts['auto'] = write_corpus(g, out, 'auto', auto_items(g, size['auto'], g.customers), False)
    counts['mix'] = write_corpus(g, out, 'mix', mix_items(g, size['mix'], pool))
    counts['smtp'] = write_corpus(g, out, 'smtp', mix_items(g, size['smtp'], pool))
    with open(os.path.join(out, 'msglog.tsv'), 'w') as f:
        for nid, email, cat in g.msglog:
            f.write('%s\t%s\t%s\n' % (nid, email, cat))
    with open(os.path.join(out, 'dkim-domains'), 'w') as f:
        f.write('\n'.join(sorted(SIGNED)) + '\n')
    return counts


def write_large(g, out, count, mb):
    """COUNT messages of about MB megabytes: a customer's reply with two attachments."""
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        c = g.customers[i]
        msg = Message()
        when = g.date()
        dom = c['email'].split('@')[1]
        received(g, msg, dom, NOREPLY, when)
        msg.h('MIME-Version', '1.0')
        msg.h('From', mailbox(c['name'], c['email']))
        msg.h('To', mailbox('LINKS', NOREPLY))
        msg.h('Subject', enc_words('Re: Hồ sơ hợp đồng và bản sao lưu'))
        msg.h('Date', rfc_date(when))
        msg.h('Message-ID', '<%s>' % g.client_msgid('gmail', dom))
        half = mb * 1024 * 1024 * 3 // 8	# two base64 parts of MB in all
        parts = [('text/plain; charset="UTF-8"', '8bit',
                  'Gửi LINKS hồ sơ hợp đồng và bản sao lưu như đã trao đổi.\n')]
        for fname, ctype in (('hop-dong.pdf', 'application/pdf'), ('sao-luu.zip', 'application/zip')):
            parts.append(('%s; name="%s"' % (ctype, fname), 'base64', g.r.randbytes(half),
                          [('Content-Disposition', 'attachment; filename="%s"' % fname)]))
        body = multipart(msg, 'mixed', parts, '000000000000%s' % g.hexid(14))
        with open(os.path.join(out, '%05d-large-gmail.eml' % (i + 1)), 'w') as f:
            f.write(msg.render(body))
    return count


OUR_MX = 'mx.ilinks.asia'


def header_fields(lines):
    """The header fields (each a list of its lines) and the index of the blank line."""
    fields = []
    for i, line in enumerate(lines):
        if line in (b'\n', b'\r\n'):
            return fields, i
        if line[:1] in (b' ', b'\t') and fields:
            fields[-1].append(line)
        else:
            fields.append([line])
    return fields, len(lines)


def ours(field):
    """Whether a header field was added by our MX: its A-R, or its Received."""
    name = field[0].split(b':', 1)[0].strip().lower()
    text = b''.join(field)
    if name == b'authentication-results':
        return True
    return name == b'received' and (b'by ' + OUR_MX.encode()) in text


def dkim_below_our_mx(path):
    """Move the DKIM-Signature headers that signing put on top below our MX's own headers."""
    with open(path, 'rb') as f:
        lines = f.read().splitlines(keepends=True)
    fields, blank = header_fields(lines)
    sigs = []
    while fields and fields[0][0].lower().startswith(b'dkim-signature:'):
        sigs.append(fields.pop(0))
    if not sigs:
        return 0
    k = 0
    while k < len(fields) and ours(fields[k]):
        k += 1
    fields[k:k] = sigs
    with open(path, 'wb') as f:
        f.write(b''.join(b''.join(fl) for fl in fields) + b''.join(lines[blank:]))
    return 1


def main():
    ap = argparse.ArgumentParser(description='the benchmark corpora')
    ap.add_argument('what', choices=['customers', 'corpus', 'large', 'dkim-below'])
    ap.add_argument('out')
    ap.add_argument('--customers', type=int, default=6000)
    ap.add_argument('--seed', type=int, default=20261123)
    ap.add_argument('--scale', type=float, default=1.0)
    ap.add_argument('--tokens')
    ap.add_argument('--templates')
    ap.add_argument('--footer')
    ap.add_argument('--count', type=int, default=1)
    ap.add_argument('--mb', type=int, default=25)
    a = ap.parse_args()
    if not 100 <= a.customers <= 1000000 or not 0.001 <= a.scale <= 10:
        ap.error('--customers 100..1000000, --scale 0.001..10')
    if a.what == 'dkim-below':
        n = sum(dkim_below_our_mx(os.path.join(a.out, e))
                for e in sorted(os.listdir(a.out)) if e.endswith('.eml'))
        print('gen-mail: %d signature(s) moved below %s\'s headers' % (n, OUR_MX))
        return 0
    os.makedirs(a.out, exist_ok=True)
    g = Gen(a.seed, a.customers, a.templates, a.footer)
    g.customer_emails = {c['email'] for c in g.customers}
    if a.what == 'large':
        if not 1 <= a.count <= 64 or not 1 <= a.mb <= 200:
            ap.error('--count 1..64, --mb 1..200')
        print('gen-mail: %d large message(s)' % write_large(g, a.out, a.count, a.mb))
        return 0
    if a.what == 'customers':
        g.write_customers(os.path.join(a.out, 'customers.csv'))
        print('gen-mail: %d customers' % len(g.customers))
        return 0
    g.tokens = {}
    if a.tokens:
        with open(a.tokens) as f:
            for line in f:
                email, _, tok = line.rstrip('\n').partition('\t')
                if tok:
                    g.tokens[email] = tok
    need = int(SIZES['refusals'] * a.scale) + int((SIZES['mix'] + SIZES['smtp']) * a.scale * 0.02) + 4
    if need > a.customers:
        ap.error('--customers must exceed the refusals (%d)' % need)
    counts = build_corpora(g, a.out, a.scale)
    print('gen-mail: ' + ', '.join('%s %d' % kv for kv in counts.items()))
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (OSError, RuntimeError) as e:
        print('gen-mail: %s' % e, file=sys.stderr)
        sys.exit(1)
