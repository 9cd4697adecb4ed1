-- Mail to support@ or to staff is delivered as addressed (no recipient
-- change), with the X-Links-* headers; a refusal in reply to a staff
-- email counts too.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "SUPPORT1", from = "<c2@example.vn>", rcpts = {"<support@ilinks.asia>"},
	headers = reply_headers("C2 <c2@example.vn>", "support@ilinks.asia", "Hỏi về VPS", "support-c2",
				{{"In-Reply-To", "<" .. env("MT_MSGID_C2") .. ">"}}),
	body = "Cho tôi hỏi giá gói VPS mới?\r\n" })
expect(delivered(r), "question to support: delivered")
expect(not mt.eom_check(conn, MT_RCPTDELETE, "<support@ilinks.asia>"), "support@ not deleted")
expect(not mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ not added again")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "question"), "X-Links-Verdict: question")
mt.disconnect(conn)

conn = open_conn()
r = send(conn, {
	qid = "STAFF1", from = "<c9@example.vn>", rcpts = {"<lan.nguyen@ilinks.asia>"},
	headers = reply_headers("C9 <c9@example.vn>", "lan.nguyen@ilinks.asia", "Re: Báo giá", "staff-c9",
				{{"In-Reply-To", "<" .. env("MT_MSGID_C9") .. ">"}}),
	body = "Từ chối\r\n" })
expect(delivered(r), "refusal to staff: delivered as addressed")
expect(not mt.eom_check(conn, MT_RCPTDELETE, "<lan.nguyen@ilinks.asia>"), "staff recipient kept")
expect(not mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "not routed to support")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "applied"), "X-Links-Optout: applied")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Category", "staff"), "X-Links-Category: staff")
mt.disconnect(conn)
print("10-support-staff passed")
