-- optout_from_policy = require_auth: a From-identified refusal is applied
-- when a trusted Authentication-Results at the top of the header (where
-- our MX's verifiers put it) shows dmarc=pass for the From domain; the
-- same from an untrusted authserv-id is unverified.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "AUTH1", from = "<c5@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = on_top({{"Authentication-Results",
			   "mx.ilinks.asia; spf=pass smtp.mailfrom=c5@example.vn; dmarc=pass (p=reject) header.from=example.vn"}},
			 reply_headers("C5 <c5@example.vn>", "noreply@ilinks.asia", "Từ chối", "auth-c5")),
	body = "Từ chối\r\n" })
expect(r == SMFIR_DISCARD, "authenticated From refusal: applied and discarded")
mt.disconnect(conn)

conn = open_conn()
r = send(conn, {
	qid = "AUTH2", from = "<c6@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = on_top({{"Authentication-Results", "relay.example; dmarc=pass header.from=example.vn"}},
			 reply_headers("C6 <c6@example.vn>", "noreply@ilinks.asia", "Từ chối", "auth-c6")),
	body = "Từ chối\r\n" })
expect(delivered(r), "untrusted authserv-id: delivered")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "unverified"), "X-Links-Optout: unverified")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Customer", env("MT_C6")), "X-Links-Customer: c6")
mt.disconnect(conn)
print("06-from-auth passed")
