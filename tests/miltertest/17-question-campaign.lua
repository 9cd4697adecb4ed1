-- A question in reply to a campaign's message is counted for that
-- campaign once per reply: the same reply (same Message-ID) delivered
-- twice, as after a Postfix retry or through the backup MX, counts
-- once; another reply of the same customer counts again. The milter
-- script checks the campaign's counts afterwards.
dofile(os.getenv("MT_LIB"))
local function ask(qid, id, text)
	local conn = open_conn()
	local r = send(conn, {
		qid = qid, from = "<c6@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
		headers = reply_headers("C6 <c6@example.vn>", "noreply@ilinks.asia",
					"Re: Khảo sát dịch vụ", id,
					{{"In-Reply-To", "<" .. env("MT_MSGID_Q") .. ">"}}),
		body = text })
	expect(delivered(r), qid .. ": delivered")
	expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), qid .. ": support@ added")
	expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "question"), qid .. ": X-Links-Verdict: question")
	expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Customer", env("MT_C6")), qid .. ": X-Links-Customer")
	mt.disconnect(conn)
end
local q1 = "Gói VPS của tôi có được giảm giá không?\r\n"
ask("CAMPQ1", "campq-1", q1)
ask("CAMPQ1RETRY", "campq-1", q1)	-- the same reply again
ask("CAMPQ2", "campq-2", "Còn một câu nữa: khi nào hết hạn?\r\n")
print("17-question-campaign passed")
