-- Ordinary mail to staff and support from people who are not customers
-- (most of an MX's mail) cannot be a LINKS reply: accepted at end of
-- headers, so the MTA sends no body and nothing is analysed. Whatever
-- could still matter is read to its end: a customer's From, a reply to a
-- message we logged, a forged X-Links-* header to remove.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
check_protocol(conn)
local r = send(conn, {
	qid = "ORDINARY1", from = "<ba@other.example>",
	rcpts = {"<lan.nguyen@ilinks.asia>", "<support@ilinks.asia>"},
	headers = reply_headers("Ba <ba@other.example>", "lan.nguyen@ilinks.asia", "Re: Báo giá switch",
				"ordinary-ba", {{"References", "<a1.ordinary@ilinks.asia> <a2@other.example>"}}),
	body = "Từ chối\r\n" })
expect(r == SMFIR_ACCEPT, "a stranger's mail to staff and support: accepted at end of headers")
mt.disconnect(conn)

-- the same stranger with a forged X-Links-Verdict: read to the end, the header removed
conn = open_conn()
r = send(conn, {
	qid = "ORDINARY2", from = "<ba@other.example>", rcpts = {"<lan.nguyen@ilinks.asia>"},
	headers = reply_headers("Ba <ba@other.example>", "lan.nguyen@ilinks.asia", "Hello", "ordinary-ba2",
				{{"X-Links-Verdict", "optout"}}),
	body = "Xin chào\r\n" })
expect(delivered(r) and r ~= SMFIR_ACCEPT, "forged X-Links-*: not accepted before its end")
expect(mt.eom_check(conn, MT_HDRDELETE, "X-Links-Verdict"), "forged X-Links-Verdict deleted")
mt.disconnect(conn)

-- a customer writing to staff with no reference: analysed at the end
conn = open_conn()
r = send(conn, {
	qid = "ORDINARY3", from = "<c10@example.vn>", rcpts = {"<lan.nguyen@ilinks.asia>"},
	headers = reply_headers("C10 <C10@Example.VN>", "lan.nguyen@ilinks.asia", "Hỏi giá", "ordinary-c10"),
	body = "Cho tôi hỏi giá gói VPS?\r\n" })
expect(delivered(r) and r ~= SMFIR_ACCEPT, "a customer's mail to staff: read to its end")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "question"), "X-Links-Verdict: question")
mt.disconnect(conn)

-- a stranger's reply to a message we logged (forwarded by the customer): read to its end
conn = open_conn()
r = send(conn, {
	qid = "ORDINARY4", from = "<ba@other.example>", rcpts = {"<support@ilinks.asia>"},
	headers = reply_headers("Ba <ba@other.example>", "support@ilinks.asia", "Fwd: Khuyến mãi",
				"ordinary-ba4", {{"References", "<" .. env("MT_MSGID_C10") .. ">"}}),
	body = "Cho hỏi chương trình này còn không?\r\n" })
expect(delivered(r) and r ~= SMFIR_ACCEPT, "a reply to a logged message: read to its end")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Customer", env("MT_C10")), "X-Links-Customer of the logged message")
mt.disconnect(conn)
print("16-ordinary passed")
