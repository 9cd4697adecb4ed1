-- A refusal that only claims a customer's From address, with no
-- reference and no trusted authentication, is not applied: it goes to
-- support marked unverified, so a person can act.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "FORGED1", from = "<attacker@evil.example>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C4 <c4@example.vn>", "noreply@ilinks.asia", "Từ chối", "forged-c4",
				{{"Authentication-Results", "evil.example; dmarc=pass header.from=example.vn"}}),
	body = "Từ chối\r\n" })
expect(delivered(r), "forged refusal: delivered to a person")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply@ilinks.asia>"), "noreply@ removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "unverified"), "X-Links-Optout: unverified")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "optout"), "X-Links-Verdict: optout")
mt.disconnect(conn)
print("05-forged passed")
