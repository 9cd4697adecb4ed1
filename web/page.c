/*
 * NAME
 *	page 3
 * SUMMARY
 *	the HTML pages of links-web, in Vietnamese with English below
 * SYNOPSIS
 *	#include "page.h"
#include "route.h"
#include "weblink.h"
 * DESCRIPTION
 *	See page.h. The pages are written for a customer reading mail on a
 *	phone: one column at most 40rem wide, 1rem text, controls at least
 *	44 CSS pixels high, colours with a contrast of 7:1 or more (text
 *	#1b1b1b on white, white on the #0b4f8a button), a visible focus
 *	ring, lang attributes on both languages so a screen reader speaks
 *	each one right. Vietnamese first: the customers are Vietnamese and
 *	the policy's original is. Dates are in Vietnam time.
 *
 *	Writing goes through struct out, which remembers the first failed
 *	append, so each page function checks once at its end.
 * DIAGNOSTICS
 *	See page.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "page.h"
#include "route.h"
#include "weblink.h"

#define DATE_MAX	32

struct out {
	struct strbuf *b;
	int	err;
};

/* What each category is called, and whether the customer may refuse it. */
struct cat_text {
	const char *vi;			/* as a list item */
	const char *vi_mail;		/* "email ..." inside a sentence */
	const char *en;
};

static const struct cat_text cat_texts[CATEGORY_COUNT] = {
	[CATEGORY_ACCOUNT] = {"Tài khoản, hợp đồng, hóa đơn và thông báo thay đổi dịch vụ",
			       "email về tài khoản và hợp đồng",
			       "account, contracts, invoices and service changes"},
	[CATEGORY_MAINTENANCE] = {"Bảo trì, nâng cấp dịch vụ Quý khách đang dùng",
				   "email bảo trì dịch vụ",
				   "maintenance of the services you use"},
	[CATEGORY_SURVEY] = {"Khảo sát ý kiến khách hàng", "email khảo sát", "customer surveys"},
	[CATEGORY_PROMOTION] = {"Khuyến mãi, ưu đãi và sự kiện", "email khuyến mãi",
				 "promotions, offers and events"},
	[CATEGORY_ANSWER] = {"Trả lời câu hỏi Quý khách đã gửi", "email trả lời câu hỏi",
			      "answers to your questions"},
	[CATEGORY_STAFF] = {"Thư nhân viên viết riêng cho Quý khách", "thư của nhân viên",
			     "mail a member of staff writes to you"},
};

static const char *const channel_vi[] = {
	[STORE_CH_REPLY] = "trả lời email với nội dung \"Từ chối\"",
	[STORE_CH_ONE_CLICK] = "nút hoặc địa chỉ hủy đăng ký trong email",
	[STORE_CH_STAFF] = "nhân viên, theo yêu cầu của Quý khách",
	[STORE_CH_IMPORT] = "dữ liệu đăng ký",
	[STORE_CH_WEB] = "trang tùy chọn email",
};

/* Error pages: status, Vietnamese title and text, English title and text. */
struct err_text {
	int	status;
	const char *vi_title;
	const char *vi_text;
	const char *en_title;
	const char *en_text;
};

#define REFUSE_ANYWAY_VI \
	"Quý khách luôn có thể ngừng nhận email khuyến mãi và khảo sát bằng cách trả lời " \
	"\"Từ chối\" cho bất kỳ email nào của chúng tôi."
#define REFUSE_ANYWAY_EN \
	"You can always stop promotions and surveys by replying \"Từ chối\" to any of our " \
	"emails."

static const struct err_text err_texts[PAGE_E_COUNT] = {
	[PAGE_E_BAD_REQUEST] = {400, "Yêu cầu không hợp lệ",
		"Trình duyệt đã gửi một yêu cầu không đúng. Không có gì thay đổi.",
		"Bad request", "The request was not valid. Nothing has changed."},
	[PAGE_E_BAD_LINK] = {404, "Liên kết không hợp lệ",
		"Liên kết này không đúng: có thể nó bị cắt hoặc thay đổi khi sao chép. Hãy mở "
		"liên kết trực tiếp từ email. Không có gì thay đổi.",
		"This link is not valid", "The link may have been cut or changed when it was "
		"copied. Open it straight from the email. Nothing has changed."},
	[PAGE_E_NOT_FOUND] = {404, "Không tìm thấy trang",
		"Không có trang nào ở địa chỉ này.",
		"Page not found", "There is no page at this address."},
	[PAGE_E_NOT_REFUSABLE] = {403, "Không thể từ chối loại email này",
		"Đây là email về dịch vụ Quý khách đang dùng (tài khoản, hợp đồng, hóa đơn, bảo "
		"trì, trả lời câu hỏi). Chúng là một phần của dịch vụ nên vẫn được gửi cho tới khi "
		"mọi hợp đồng kết thúc. Không có gì thay đổi.",
		"This kind of email cannot be refused", "It is about the services you use "
		"(account, contracts, invoices, maintenance, answers). It is part of the service and "
		"keeps coming until all your contracts end. Nothing has changed."},
	[PAGE_E_FORM_EXPIRED] = {403, "Trang đã quá hạn",
		"Vì an toàn, nút trên trang chỉ dùng được trong một thời gian ngắn sau khi trang "
		"được mở. Không có gì thay đổi: hãy mở lại trang và bấm lại.",
		"This page has expired", "For your safety the button of a page works only for a "
		"short time after the page was opened. Nothing has changed: open the page again "
		"and press the button again."},
	[PAGE_E_METHOD] = {405, "Phương thức không được hỗ trợ",
		"Trang này không nhận loại yêu cầu đó. Không có gì thay đổi.",
		"Method not allowed", "This page does not accept that kind of request. Nothing "
		"has changed."},
	[PAGE_E_EXPIRED] = {410, "Liên kết đã hết hạn",
		"Liên kết trong email cũ chỉ dùng được một thời gian. Hãy dùng liên kết trong một "
		"email mới hơn. Không có gì thay đổi.",
		"This link has expired", "Links in old emails work for a limited time. Use the "
		"link in a newer email. Nothing has changed."},
	[PAGE_E_GONE] = {410, "Chúng tôi không còn lưu thông tin của Quý khách",
		"Mọi hợp đồng của Quý khách đã kết thúc và dữ liệu đã được xóa theo chính sách "
		"bảo mật. Quý khách sẽ không nhận thêm email quảng cáo hay khảo sát nào.",
		"We no longer hold your data", "All your contracts have ended and your data was "
		"deleted as our privacy policy says. You will receive no promotions or surveys."},
	[PAGE_E_TOO_LARGE] = {413, "Yêu cầu quá lớn",
		"Yêu cầu gửi lên quá lớn. Không có gì thay đổi.",
		"Request too large", "The request was too large. Nothing has changed."},
	[PAGE_E_URI_TOO_LONG] = {414, "Địa chỉ quá dài",
		"Địa chỉ trang quá dài. Hãy mở liên kết trực tiếp từ email.",
		"Address too long", "The address is too long. Open the link straight from the "
		"email."},
	[PAGE_E_MEDIA_TYPE] = {415, "Định dạng không được hỗ trợ",
		"Nội dung gửi lên không phải là một biểu mẫu. Không có gì thay đổi.",
		"Unsupported media type", "The request did not carry a form. Nothing has changed."},
	[PAGE_E_RATE] = {429, "Quá nhiều yêu cầu",
		"Có quá nhiều yêu cầu từ địa chỉ của Quý khách. Không có gì thay đổi; hãy thử lại "
		"sau ít phút.",
		"Too many requests", "Too many requests came from your address. Nothing has "
		"changed; try again in a few minutes."},
	[PAGE_E_INTERNAL] = {500, "Đã có lỗi",
		"Đã có lỗi ở phía chúng tôi. Không có gì thay đổi; hãy thử lại sau.",
		"Something went wrong", "Something went wrong on our side. Nothing has changed; "
		"try again later."},
	[PAGE_E_UNAVAILABLE] = {503, "Tạm thời không thực hiện được",
		"Hệ thống đang bận hoặc đang bảo trì. Không có gì thay đổi; hãy thử lại sau ít "
		"phút.",
		"Temporarily unavailable", "The system is busy or under maintenance. Nothing has "
		"changed; try again in a few minutes."},
};

static const char style_css[] =
	"*,*::before,*::after{box-sizing:border-box}\n"
	"html{font-size:100%;-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\","
	"\"DejaVu Sans\",Arial,sans-serif;line-height:1.5;color:#1b1b1b;background:#fff}\n"
	"header,main,footer{max-width:40rem;margin:0 auto;padding:1rem}\n"
	"header{border-bottom:4px solid #0b4f8a}\n"
	".brand{font-weight:700;font-size:1.25rem;margin:0}\n"
	"h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}\n"
	"h2{font-size:1.2rem;margin:2rem 0 .5rem}\n"
	"a{color:#0b4f8a;text-decoration:underline}\n"
	"a:focus,button:focus,input:focus{outline:3px solid #1b1b1b;outline-offset:2px}\n"
	"button{font:inherit;font-weight:600;color:#fff;background:#0b4f8a;border:2px solid "
	"#0b4f8a;border-radius:.375rem;padding:.625rem 1.25rem;min-height:2.75rem;max-width:100%;"
	"cursor:pointer}\n"
	"button:hover{background:#083a66}\n"
	"fieldset{border:1px solid #6b6b6b;border-radius:.375rem;padding:.5rem 1rem;margin:0 0 1rem}\n"
	"legend{font-weight:600;padding:0 .25rem}\n"
	".choice{display:flex;align-items:flex-start;gap:.75rem;padding:.5rem 0}\n"
	".choice input{width:1.5rem;height:1.5rem;margin:.125rem 0 0;flex:none}\n"
	".choice label{flex:1;min-width:0}\n"
	".notice{border-left:6px solid #1e7b34;background:#e9f5ec;padding:.5rem 1rem;margin:1rem 0}\n"
	".notice.error{border-left-color:#a4262c;background:#fbeaea}\n"
	".who,.history{overflow-wrap:anywhere}\n"
	".history{padding-left:1.25rem}\n"
	".en{border-top:1px solid #c8c8c8;margin-top:2rem;color:#333}\n"
	"footer{font-size:.9375rem;color:#333;border-top:1px solid #c8c8c8;margin-top:2rem;"
	"overflow-wrap:anywhere}\n";

static const char robots_txt[] = "User-agent: *\nDisallow: /\n";

/* page_style - the style sheet */
const char *
page_style(void)
{
	return (style_css);
}

/* page_robots - robots.txt */
const char *
page_robots(void)
{
	return (robots_txt);
}

/* page_status - the HTTP status of error E */
int
page_status(enum page_error e)
{
	return ((unsigned) e < PAGE_E_COUNT && e != PAGE_E_NONE ? err_texts[e].status : 500);
}

/* put - append S to the page */
static void
put(struct out *o, const char *s)
{
	if (!o->err && strbuf_adds(o->b, s) < 0)
		o->err = 1;
}

static void putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* putf - append formatted text to the page */
static void
putf(struct out *o, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t) n >= sizeof(buf))
		o->err = 1;		/* callers format short literals only */
	else
		put(o, buf);
}

/* page_escape - append S HTML-escaped, control characters dropped */
int
page_escape(struct strbuf *b, const char *s)
{
	const char *run = s;

	for (; s && *s; s++) {
		const char *r;
		unsigned char c = (unsigned char) *s;

		switch (c) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&#39;"; break;
		default:
			r = (c < 0x20 || c == 0x7f) ? "" : NULL;
			break;
		}
		if (r == NULL)
			continue;
		if (strbuf_add(b, run, (size_t) (s - run)) < 0 || strbuf_adds(b, r) < 0)
			return (-1);
		run = s + 1;
	}
	return ((s && s > run) ? strbuf_add(b, run, (size_t) (s - run)) : 0);
}

/* esc - append S escaped to the page */
static void
esc(struct out *o, const char *s)
{
	if (!o->err && page_escape(o->b, s ? s : "") < 0)
		o->err = 1;
}

/* date_vn - "30/11/2026 19:05" in Vietnam time; ISO for the datetime attribute. */
static void
date_vn(time_t t, char vn[DATE_MAX], char iso[DATE_MAX])
{
	struct tm tm;
	time_t	local = t + PAGE_VN_UTC_OFFSET;

	gmtime_r(&local, &tm);
	strftime(vn, DATE_MAX, "%d/%m/%Y %H:%M", &tm);
	gmtime_r(&t, &tm);
	strftime(iso, DATE_MAX, "%Y-%m-%dT%H:%MZ", &tm);
}

/* link - PREFIX + page path + TOKEN, escaped, as an attribute value. */
static void
link_to(struct out *o, const struct page_site *s, const char *path, const char *token)
{
	esc(o, s->prefix);
	esc(o, path);
	esc(o, token);
}

/* head - the start of every page up to <main> */
static void
head(struct out *o, const struct page_site *s, const char *title)
{
	put(o, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	esc(o, title);
	put(o, " – ");
	esc(o, s->company);
	put(o, "</title>\n<link rel=\"stylesheet\" href=\"");
	esc(o, s->prefix);
	put(o, ROUTE_STYLE_NAME "\">\n</head>\n<body>\n<header><p class=\"brand\">");
	esc(o, s->company);
	put(o, "</p></header>\n<main>\n");
}

/* foot - the company block and the end of every page */
static void
foot(struct out *o, const struct page_site *s)
{
	put(o, "</main>\n<footer>\n<p><strong>");
	esc(o, s->company);
	put(o, "</strong><br>\n");
	esc(o, s->address);
	put(o, "<br>\nĐiện thoại / Phone: <a href=\"tel:");
	esc(o, s->phone);
	put(o, "\">");
	esc(o, s->phone);
	put(o, "</a><br>\nEmail: <a href=\"mailto:");
	esc(o, s->email);
	put(o, "\">");
	esc(o, s->email);
	put(o, "</a>");
	if (s->portal && *s->portal) {
		put(o, "<br>\nWebsite: <a href=\"");
		esc(o, s->portal);
		put(o, "\">");
		esc(o, s->portal);
		put(o, "</a>");
	}
	put(o, "</p>\n</footer>\n</body>\n</html>\n");
}

/* hidden_csrf - the form token as a hidden field */
static void
hidden_csrf(struct out *o, const struct page_customer *c)
{
	put(o, "<input type=\"hidden\" name=\"csrf\" value=\"");
	esc(o, c->csrf);
	put(o, "\">\n");
}

/* page_home - the page under the bare prefix */
int
page_home(struct strbuf *b, const struct page_site *s)
{
	struct out o = {b, 0};

	head(&o, s, "Email của chúng tôi");
	put(&o, "<h1>Lựa chọn nhận email</h1>\n<p>Trang này giúp khách hàng của ");
	esc(&o, s->company);
	put(&o, " ngừng nhận hoặc nhận lại email khuyến mãi và khảo sát. Hãy mở liên kết "
	    "\"Hủy đăng ký\" hoặc \"Tùy chọn email\" ở cuối một email Quý khách đã nhận.</p>\n<p>"
	    REFUSE_ANYWAY_VI "</p>\n<section lang=\"en\" class=\"en\">\n<h2>Email choices</h2>\n"
	    "<p>This site lets our customers stop or resume promotional and survey email. Open "
	    "the \"unsubscribe\" or \"email preferences\" link at the end of an email you "
	    "received.</p>\n<p>" REFUSE_ANYWAY_EN "</p>\n</section>\n");
	foot(&o, s);
	return (o.err ? -1 : 0);
}

/* The "you already refused" text of the unsubscribe page. */
static void
already_refused(struct out *o, const struct page_site *s, const struct page_customer *c)
{
	const struct cat_text *t = &cat_texts[c->cat];
	char	vn[DATE_MAX], iso[DATE_MAX];

	put(o, "<h1>Quý khách đã từ chối ");
	esc(o, t->vi_mail);
	put(o, "</h1>\n<p>");
	if (c->since[c->cat]) {
		date_vn(c->since[c->cat], vn, iso);
		putf(o, "Từ <time datetime=\"%s\">%s</time>, ", iso, vn);
	}
	put(o, "địa chỉ <span class=\"who\">");
	esc(o, c->who);
	put(o, "</span> không còn nhận ");
	esc(o, t->vi_mail);
	put(o, ". Không cần làm gì thêm.</p>\n<p><a href=\"");
	link_to(o, s, WEBLINK_PATH_PREFERENCES, c->token);
	put(o, "\">Xem và thay đổi mọi lựa chọn email</a></p>\n"
	    "<section lang=\"en\" class=\"en\">\n<h2>You have already unsubscribed</h2>\n<p>");
	esc(o, c->who);
	put(o, " no longer receives ");
	esc(o, t->en);
	put(o, ". Nothing more to do.</p>\n<p><a href=\"");
	link_to(o, s, WEBLINK_PATH_PREFERENCES, c->token);
	put(o, "\">See and change all your email choices</a></p>\n</section>\n");
}

/* page_unsubscribe - the page of a link: the mail that stops and one button */
int
page_unsubscribe(struct strbuf *b, const struct page_site *s, const struct page_customer *c)
{
	struct out o = {b, 0};
	const struct cat_text *t = &cat_texts[c->cat];

	head(&o, s, "Hủy đăng ký nhận email");
	if (c->refused[c->cat]) {
		already_refused(&o, s, c);
		foot(&o, s);
		return (o.err ? -1 : 0);
	}
	put(&o, "<h1>Ngừng nhận ");
	esc(&o, t->vi_mail);
	put(&o, "?</h1>\n<p>Khi Quý khách bấm nút dưới đây, địa chỉ <span class=\"who\">");
	esc(&o, c->who);
	put(&o, "</span> sẽ không còn nhận <strong>");
	esc(&o, t->vi_mail);
	put(&o, "</strong> (");
	esc(&o, t->vi);
	put(&o, ") từ ");
	esc(&o, s->company);
	put(&o, ".</p>\n<form method=\"post\" action=\"");
	link_to(&o, s, WEBLINK_PATH_UNSUBSCRIBE, c->token);
	put(&o, "\">\n");
	hidden_csrf(&o, c);
	put(&o, "<button type=\"submit\" id=\"unsubscribe\">Từ chối ");
	esc(&o, t->vi_mail);
	put(&o, " <span lang=\"en\">/ Unsubscribe</span></button>\n</form>\n"
	    "<p>Email về tài khoản, hợp đồng, hóa đơn và bảo trì dịch vụ Quý khách đang dùng vẫn "
	    "được gửi, vì đó là một phần của dịch vụ.</p>\n<p><a href=\"");
	link_to(&o, s, WEBLINK_PATH_PREFERENCES, c->token);
	put(&o, "\">Xem và thay đổi mọi lựa chọn email</a></p>\n"
	    "<section lang=\"en\" class=\"en\">\n<h2>Stop receiving ");
	esc(&o, t->en);
	put(&o, "?</h2>\n<p>When you press the button above (\"Từ chối\" means \"I refuse\"), ");
	esc(&o, c->who);
	put(&o, " will no longer receive ");
	esc(&o, t->en);
	put(&o, " from ");
	esc(&o, s->company);
	put(&o, ". Nothing changes until you press it. Email about your account, contracts, "
	    "invoices and the maintenance of the services you use keeps coming: it is part of "
	    "the service.</p>\n<p><a href=\"");
	link_to(&o, s, WEBLINK_PATH_PREFERENCES, c->token);
	put(&o, "\">See and change all your email choices</a></p>\n</section>\n");
	foot(&o, s);
	return (o.err ? -1 : 0);
}

/* banner - the notice at the top of the preference page */
static void
banner(struct out *o, const struct page_customer *c)
{
	const struct cat_text *t = &cat_texts[c->cat];

	switch (c->banner) {
	case PAGE_BANNER_UNSUBSCRIBED:
		put(o, "<div class=\"notice\" role=\"status\"><p><strong>Đã xong.</strong> Từ bây giờ "
		    "Quý khách sẽ không nhận ");
		esc(o, t->vi_mail);
		put(o, " nữa.</p>\n<p lang=\"en\"><strong>Done.</strong> You will receive no more ");
		esc(o, t->en);
		put(o, ".</p></div>\n");
		break;
	case PAGE_BANNER_SAVED:
		put(o, "<div class=\"notice\" role=\"status\"><p><strong>Đã lưu lựa chọn của Quý "
		    "khách.</strong></p>\n<p lang=\"en\"><strong>Your choices are saved.</strong></p>"
		    "</div>\n");
		break;
	case PAGE_BANNER_UNCHANGED:
		put(o, "<div class=\"notice\" role=\"status\"><p>Lựa chọn của Quý khách không thay "
		    "đổi.</p>\n<p lang=\"en\">Your choices are unchanged.</p></div>\n");
		break;
	default:
		break;
	}
}

/* The form: one check box per refusable category, checked = wanted. */
static void
pref_form(struct out *o, const struct page_site *s, const struct page_customer *c)
{
	int	cat;

	put(o, "<form method=\"post\" action=\"");
	link_to(o, s, WEBLINK_PATH_PREFERENCES, c->token);
	put(o, "\">\n");
	hidden_csrf(o, c);
	put(o, "<input type=\"hidden\" name=\"form\" value=\"prefs\">\n<fieldset>\n"
	    "<legend>Email Quý khách muốn nhận <span lang=\"en\">/ Email you want</span></legend>\n");
	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		const char *name = category_name((enum category) cat);

		if (!category_refusable((enum category) cat))
			continue;
		putf(o, "<div class=\"choice\"><input type=\"checkbox\" id=\"c-%s\" name=\"%s\" "
		     "value=\"1\"%s>\n<label for=\"c-%s\">", name, name,
		     c->refused[cat] ? "" : " checked", name);
		esc(o, cat_texts[cat].vi);
		put(o, " <span lang=\"en\">(");
		esc(o, cat_texts[cat].en);
		put(o, ")</span></label></div>\n");
	}
	put(o, "</fieldset>\n<button type=\"submit\" id=\"save\">Lưu lựa chọn "
	    "<span lang=\"en\">/ Save</span></button>\n</form>\n");
}

/* service_mail - the categories that cannot be refused, and why */
static void
service_mail(struct out *o, const struct page_site *s)
{
	int	cat;

	put(o, "<h2>Email luôn được gửi <span lang=\"en\">/ Always sent</span></h2>\n<ul>\n");
	for (cat = 0; cat < CATEGORY_COUNT; cat++) {
		if (category_refusable((enum category) cat) || cat == CATEGORY_STAFF)
			continue;
		put(o, "<li>");
		esc(o, cat_texts[cat].vi);
		put(o, " <span lang=\"en\">(");
		esc(o, cat_texts[cat].en);
		put(o, ")</span></li>\n");
	}
	put(o, "</ul>\n<p>Không thể từ chối các email này vì chúng là một phần của dịch vụ Quý "
	    "khách đang dùng. Chúng dừng khi mọi hợp đồng của Quý khách kết thúc.</p>\n");
}

/* history - the consent events, newest first */
static void
history(struct out *o, const struct page_customer *c)
{
	char	vn[DATE_MAX], iso[DATE_MAX];
	size_t	i;

	put(o, "<h2>Lịch sử lựa chọn <span lang=\"en\">/ History of your choices</span></h2>\n");
	if (c->nevents == 0) {
		put(o, "<p>Chưa có thay đổi nào. <span lang=\"en\">No changes yet.</span></p>\n");
		return;
	}
	put(o, "<p>Giờ Việt Nam, mới nhất trước. <span lang=\"en\">Vietnam time, newest "
	    "first.</span></p>\n<ol class=\"history\">\n");
	for (i = 0; i < c->nevents; i++) {
		const struct page_event *e = &c->events[i];
		unsigned ch = (unsigned) e->channel;

		date_vn(e->at, vn, iso);
		putf(o, "<li><time datetime=\"%s\">%s</time> – ", iso, vn);
		esc(o, (unsigned) e->cat < CATEGORY_COUNT ? cat_texts[e->cat].vi : "?");
		put(o, e->optout ? ": <strong>từ chối</strong> <span lang=\"en\">(refused)</span>"
		    : ": <strong>đồng ý nhận</strong> <span lang=\"en\">(accepted)</span>");
		put(o, ", qua ");
		esc(o, ch < sizeof(channel_vi) / sizeof(channel_vi[0]) && channel_vi[ch]
		    ? channel_vi[ch] : "?");
		put(o, "</li>\n");
	}
	put(o, "</ol>\n");
	if (c->nevents_total > c->nevents)
		putf(o, "<p>(%zu thay đổi cũ hơn không hiện ở đây. <span lang=\"en\">%zu older "
		     "changes are not shown.</span>)</p>\n", c->nevents_total - c->nevents,
		     c->nevents_total - c->nevents);
}

/* page_preferences - the preference page */
int
page_preferences(struct strbuf *b, const struct page_site *s, const struct page_customer *c)
{
	struct out o = {b, 0};

	head(&o, s, "Tùy chọn email");
	banner(&o, c);
	put(&o, "<h1>Tùy chọn email của Quý khách</h1>\n<p>Địa chỉ: <span class=\"who\">");
	esc(&o, c->who);
	put(&o, "</span></p>\n");
	pref_form(&o, s, c);
	service_mail(&o, s);
	history(&o, c);
	put(&o, "<p>" REFUSE_ANYWAY_VI "</p>\n<section lang=\"en\" class=\"en\">\n"
	    "<h2>Your email preferences</h2>\n<p>Tick the kinds of email you want and press "
	    "\"Save\"; untick one to stop it. Email about your account, contracts, invoices, the "
	    "maintenance of the services you use and answers to your questions is part of the "
	    "service and cannot be refused; it stops when all your contracts end. The history "
	    "lists every change and how it was made.</p>\n<p>" REFUSE_ANYWAY_EN "</p>\n"
	    "</section>\n");
	foot(&o, s);
	return (o.err ? -1 : 0);
}

/* page_one_click - the answer to an RFC 8058 POST */
int
page_one_click(struct strbuf *b, const struct page_site *s, const struct page_customer *c)
{
	struct out o = {b, 0};
	const struct cat_text *t = &cat_texts[c->cat];

	head(&o, s, "Đã hủy đăng ký");
	put(&o, "<h1>Đã hủy đăng ký</h1>\n<p>Quý khách sẽ không nhận ");
	esc(&o, t->vi_mail);
	put(&o, " nữa.</p>\n<section lang=\"en\" class=\"en\">\n<h2>Unsubscribed</h2>\n"
	    "<p>You will receive no more ");
	esc(&o, t->en);
	put(&o, ".</p>\n</section>\n");
	foot(&o, s);
	return (o.err ? -1 : 0);
}

/* page_error - the page of error E */
int
page_error(struct strbuf *b, const struct page_site *s, enum page_error e, const char *back,
	   const char *token, long retry)
{
	struct out o = {b, 0};
	const struct err_text *t;

	if ((unsigned) e >= PAGE_E_COUNT || e == PAGE_E_NONE)
		e = PAGE_E_INTERNAL;
	t = &err_texts[e];

	head(&o, s, t->vi_title);
	put(&o, "<div class=\"notice error\" role=\"alert\">\n<h1>");
	esc(&o, t->vi_title);
	put(&o, "</h1>\n<p>");
	esc(&o, t->vi_text);
	put(&o, "</p>\n");
	if (retry > 0)
		putf(&o, "<p>Hãy thử lại sau %ld giây.</p>\n", retry);
	if (e == PAGE_E_EXPIRED)
		putf(&o, "<p>Liên kết dùng được %ld ngày sau khi email được gửi.</p>\n",
		     s->token_days);
	put(&o, "</div>\n");
	if (back && token && *token) {
		put(&o, "<p><a href=\"");
		link_to(&o, s, back, token);
		put(&o, e == PAGE_E_FORM_EXPIRED ? "\">Mở lại trang <span lang=\"en\">/ Open the page "
		    "again</span></a></p>\n" : "\">Xem lựa chọn email của Quý khách <span lang=\"en\">"
		    "/ See your email choices</span></a></p>\n");
	}
	if (e != PAGE_E_GONE)
		put(&o, "<p>" REFUSE_ANYWAY_VI "</p>\n");
	put(&o, "<section lang=\"en\" class=\"en\">\n<h2>");
	esc(&o, t->en_title);
	put(&o, "</h2>\n<p>");
	esc(&o, t->en_text);
	if (retry > 0)
		putf(&o, " Try again in %ld seconds.", retry);
	if (e == PAGE_E_EXPIRED)
		putf(&o, " A link works for %ld days after the email was sent.", s->token_days);
	put(&o, "</p>\n");
	if (e != PAGE_E_GONE)
		put(&o, "<p>" REFUSE_ANYWAY_EN "</p>\n");
	put(&o, "</section>\n");
	foot(&o, s);
	return (o.err ? -1 : 0);
}
