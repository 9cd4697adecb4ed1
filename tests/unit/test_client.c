/*
 * NAME
 *	test_client 1
 * SUMMARY
 *	who the client is behind the proxy (web/client.h)
 * SYNOPSIS
 *	unit/test_client
 * DESCRIPTION
 *	X-Forwarded-For believed from trusted proxies only, addresses in
 *	their canonical form, garbage ignored.
 * DIAGNOSTICS
 *	Check's exit status: 0 when every test passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>


#include "client.h"
#include "conf.h"
#include "web_fixture.h"
#include "unit.h"


START_TEST(test_client_behind_a_trusted_proxy_only)
{
	struct conf *c = conf_defaults();
	char	out[CLIENT_ADDR_MAX];

	set(c, "web_trusted_proxies", "127.0.0.1 ::1");
	client_address("127.0.0.1", "198.51.100.1, 203.0.113.9", c, out, sizeof(out));
	ck_assert_str_eq(out, "203.0.113.9");
	client_address("127.0.0.1", "198.51.100.1, 203.0.113.9, 127.0.0.1", c, out, sizeof(out));
	ck_assert_str_eq(out, "203.0.113.9");
	client_address("0:0::1", "2001:DB8::5", c, out, sizeof(out));
	ck_assert_str_eq(out, "2001:db8::5");
	client_address("192.0.2.1", "203.0.113.9", c, out, sizeof(out));
	ck_assert_str_eq(out, "192.0.2.1");	/* an untrusted peer's header is not believed */
	client_address("127.0.0.1", "not-an-address", c, out, sizeof(out));
	ck_assert_str_eq(out, "127.0.0.1");
	client_address("127.0.0.1", NULL, c, out, sizeof(out));
	ck_assert_str_eq(out, "127.0.0.1");
	client_address("127.0.0.1", "", c, out, sizeof(out));
	ck_assert_str_eq(out, "127.0.0.1");
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite  *s = suite_create("client");
	TCase  *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_client_behind_a_trusted_proxy_only);
	suite_add_tcase(s, tc);
	return (unit_run(s));
}
