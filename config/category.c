/*
 * NAME
 *	category 3
 * SUMMARY
 *	the email categories of the privacy policy (section 5), one table
 * SYNOPSIS
 *	#include "category.h"
 * DESCRIPTION
 *	See category.h. Adding a category: one row below, one enum value
 *	in category.h, a template in config/templates/ and its tests
 *	(doc/HACKING.md).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "category.h"

static const struct category_info category_table[CATEGORY_COUNT] = {
	[CATEGORY_ACCOUNT] = {
		"account", 0, CATEGORY_FROM_NOREPLY, 0, CATEGORY_AUD_CUSTOMERS,
		"contract_notice", 1,
		"Quý khách nhận được email này vì có tài khoản hoặc hợp đồng dịch vụ với LINKS.",
	},
	[CATEGORY_MAINTENANCE] = {
		"maintenance", 0, CATEGORY_FROM_NOREPLY, 0, CATEGORY_AUD_SERVICE,
		"maintenance", 1,
		"Quý khách nhận được email này vì đang sử dụng dịch vụ được bảo trì.",
	},
	[CATEGORY_SURVEY] = {
		"survey", 1, CATEGORY_FROM_SUPPORT, 1, CATEGORY_AUD_CUSTOMERS,
		"survey", 1,
		"Quý khách nhận được email này vì là khách hàng của LINKS và chưa từ chối "
		"nhận email khảo sát.",
	},
	[CATEGORY_PROMOTION] = {
		"promotion", 1, CATEGORY_FROM_PROMOTION, 1, CATEGORY_AUD_CUSTOMERS,
		"promotion", 1,
		"Quý khách nhận được email này vì là khách hàng của LINKS và chưa từ chối "
		"nhận email khuyến mãi.",
	},
	[CATEGORY_ANSWER] = {
		"answer", 0, CATEGORY_FROM_SUPPORT, 0, CATEGORY_AUD_ADDRESSED,
		"answer", 1,
		"Quý khách nhận được email này để trả lời câu hỏi Quý khách đã gửi tới LINKS.",
	},
	[CATEGORY_STAFF] = {
		"staff", 0, CATEGORY_FROM_STAFF, 0, CATEGORY_AUD_ADDRESSED,
		"staff", 1,
		"Quý khách nhận được email này từ một nhân viên của LINKS.",
	},
};

/* category_get - the table row of CAT, NULL when out of range */
const struct category_info *
category_get(enum category cat)
{
	if ((unsigned) cat >= CATEGORY_COUNT)
		return (NULL);
	return (&category_table[cat]);
}

/* category_name - the name of CAT, "unknown" when out of range */
const char *
category_name(enum category cat)
{
	const struct category_info *ci = category_get(cat);

	return (ci ? ci->name : "unknown");
}

/* category_parse - the category called NAME */
int
category_parse(const char *name, enum category *out)
{
	for (unsigned i = 0; i < CATEGORY_COUNT; i++) {
		if (strcasecmp(category_table[i].name, name) == 0) {
			*out = (enum category) i;
			return (0);
		}
	}
	return (-1);
}

/* category_refusable - whether the customer can refuse CAT */
int
category_refusable(enum category cat)
{
	const struct category_info *ci = category_get(cat);

	return (ci ? ci->refusable : 0);
}

/* category_refusable_mask - a bit per refusable category */
unsigned
category_refusable_mask(void)
{
	unsigned mask = 0;

	for (unsigned i = 0; i < CATEGORY_COUNT; i++)
		if (category_table[i].refusable)
			mask |= CATEGORY_BIT(i);
	return (mask);
}
