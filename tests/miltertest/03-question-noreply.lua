-- A question to noreply@ goes to support@ (delrcpt + addrcpt) with the
-- X-Links-* headers; X-Links-* headers that came from outside are
-- deleted first (no spoofing).
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "QUESTION1", from = "<c2@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C2 <c2@example.vn>", "noreply@ilinks.asia",
				"Re: Hợp đồng", "question-c2",
				{{"In-Reply-To", "<" .. env("MT_MSGID_C2") .. ">"},
				 {"X-Links-Verdict", "optout"},
				 {"X-Links-Customer", "1"},
				 {"x-links-verdict", "optout"}}),
	body = "Cho tôi hỏi khi nào hợp đồng của tôi hết hạn?\r\n" })
expect(delivered(r), "question: delivered")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply@ilinks.asia>"), "noreply@ removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
expect(mt.eom_check(conn, MT_HDRDELETE, "X-Links-Verdict"), "outside X-Links-Verdict deleted")
expect(mt.eom_check(conn, MT_HDRDELETE, "X-Links-Customer"), "outside X-Links-Customer deleted")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "question"), "X-Links-Verdict: question")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Customer", env("MT_C2")), "X-Links-Customer: id")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Category", "account"), "X-Links-Category: account")
expect(not mt.eom_check(conn, MT_HDRADD, "X-Links-Optout"), "no X-Links-Optout")
mt.disconnect(conn)
print("03-question-noreply passed")
