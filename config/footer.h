/*
 * NAME
 *	footer 3h
 * SUMMARY
 *	the footer links-sender writes and links-milter recognises
 * SYNOPSIS
 *	#include "footer.h"
 * DESCRIPTION
 *	One place for the text of our own footer, so that the sender that
 *	writes it and the reply analysis that must not mistake it for a
 *	customer's refusal agree. links-sender writes, at the end of every
 *	text part:
 *
 *		-- 
 *		<why the customer receives it: the category's reason_vi>
 *		<what "Từ chối" stops: the category's refusal_vi>
 *		<the same in English: the category's refusal_en>
 *		<company_name> - <contact_address>
 *		...contact lines...
 *
 *	(the first line is "--" and one space, the usenet signature
 *	separator). The sentence about "Từ chối" says exactly what a reply
 *	"Từ chối" stops, per category (config/category.c picks one pair):
 *	FOOTER_REFUSAL_* for the mail it stops (promotions, surveys);
 *	FOOTER_ACCOUNT_*, FOOTER_MAINTENANCE_* and FOOTER_PERSONAL_* for
 *	mail that continues, saying so; FOOTER_LAST_* for the opt-out
 *	confirmation, the last message about a refusal (a template asks
 *	for it with "Footer: last").
 *
 *	The reply analysis cuts the new text at the separator and, when a
 *	client pasted the footer without quoting it, at the first line
 *	whose diacritics-free lower-case form contains one of the
 *	fingerprints (FOOTER_FP_*, plus footer_fingerprint lines from
 *	links.conf). Changing the sentences here changes both programs;
 *	keep each fingerprint a prefix of the diacritics-free lower-case
 *	form of EVERY sentence of its language (FOOTER_ALL_VI and
 *	FOOTER_ALL_EN list them; tests/unit/test_reply.c checks).
 */
#ifndef LINKS_FOOTER_H
#define LINKS_FOOTER_H

#define FOOTER_SEPARATOR	"-- "

/* Mail that "Từ chối" stops (the refusable categories). */
#define FOOTER_REFUSAL_VI \
	"Nếu không muốn nhận email này nữa, hãy trả lời email với nội dung \"Từ chối\": " \
	"LINKS sẽ ngừng gửi email khuyến mãi và khảo sát cho Quý khách."
#define FOOTER_REFUSAL_EN \
	"If you no longer want these emails, reply to this email with the words \"Từ chối\": " \
	"LINKS will stop sending you promotions and surveys."

/* Mail that continues: say so, and what "Từ chối" does stop. */
#define FOOTER_ACCOUNT_VI \
	"Nếu không muốn nhận email này nữa: thông báo về tài khoản, hợp đồng và hóa đơn của " \
	"Quý khách vẫn được gửi; trả lời \"Từ chối\" chỉ ngừng email khuyến mãi và khảo sát."
#define FOOTER_ACCOUNT_EN \
	"If you no longer want these emails: notices about your account, contracts and " \
	"invoices continue; replying \"Từ chối\" stops only promotions and surveys."
#define FOOTER_MAINTENANCE_VI \
	"Nếu không muốn nhận email này nữa: thông báo bảo trì dịch vụ Quý khách đang dùng vẫn " \
	"được gửi; trả lời \"Từ chối\" chỉ ngừng email khuyến mãi và khảo sát."
#define FOOTER_MAINTENANCE_EN \
	"If you no longer want these emails: maintenance notices for the services you use " \
	"continue; replying \"Từ chối\" stops only promotions and surveys."
#define FOOTER_PERSONAL_VI \
	"Nếu không muốn nhận email này nữa: thư trả lời và thư nhân viên LINKS viết riêng cho " \
	"Quý khách vẫn được gửi; trả lời \"Từ chối\" chỉ ngừng email khuyến mãi và khảo sát."
#define FOOTER_PERSONAL_EN \
	"If you no longer want these emails: answers and messages LINKS staff write to you " \
	"continue; replying \"Từ chối\" stops only promotions and surveys."

/* The opt-out confirmation: the last message about the refusal. */
#define FOOTER_LAST_VI \
	"Nếu không muốn nhận email này nữa: đây là email cuối cùng về việc từ chối, LINKS " \
	"không gửi thêm email khuyến mãi hay khảo sát; thông báo về hợp đồng, hóa đơn và bảo " \
	"trì dịch vụ vẫn được gửi."
#define FOOTER_LAST_EN \
	"If you no longer want these emails: this is the last one about your refusal, LINKS " \
	"sends you no more promotions or surveys; notices about your contracts, invoices and " \
	"maintenance continue."

/* Every sentence of each language, for the tests of the fingerprint rule. */
#define FOOTER_ALL_VI { FOOTER_REFUSAL_VI, FOOTER_ACCOUNT_VI, FOOTER_MAINTENANCE_VI, \
	FOOTER_PERSONAL_VI, FOOTER_LAST_VI }
#define FOOTER_ALL_EN { FOOTER_REFUSAL_EN, FOOTER_ACCOUNT_EN, FOOTER_MAINTENANCE_EN, \
	FOOTER_PERSONAL_EN, FOOTER_LAST_EN }

/* Separator between the company name and its address on the contact line. */
#define FOOTER_CONTACT_SEP " - "

/* Built-in fingerprints: diacritics-free, lower case. */
#define FOOTER_FP_VI	"neu khong muon nhan email nay nua"
#define FOOTER_FP_EN	"if you no longer want these emails"

#endif
