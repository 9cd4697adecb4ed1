-- store_failure_action = accept and the store locked: the message is
-- delivered, nothing is recorded, and the refusal goes to a person
-- marked unverified (nothing is lost).
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "DEGRADED1", from = "<c2@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C2 <c2@example.vn>", "noreply@ilinks.asia", "Re: Hợp đồng", "degraded-c2",
				{{"In-Reply-To", "<" .. env("MT_MSGID_C2") .. ">"}}),
	body = "Từ chối\r\n" })
expect(delivered(r), "store down, accept: delivered")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply@ilinks.asia>"), "noreply@ removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "unverified"), "X-Links-Optout: unverified")
expect(not mt.eom_check(conn, MT_HDRADD, "X-Links-Customer"), "no customer: the store was not read")
mt.disconnect(conn)
print("15-degraded passed")
