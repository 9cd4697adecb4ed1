-- A refusal that also asks something: opted out AND delivered to a person.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "BOTH1", from = "<c3@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C3 <c3@example.vn>", "noreply@ilinks.asia",
				"Re: Khảo sát", "both-c3",
				{{"References", "<" .. env("MT_MSGID_C3") .. ">"}}),
	body = env("MT_BOTH_TEXT") .. "\r\n" })
expect(delivered(r), "optout+question: delivered")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply@ilinks.asia>"), "noreply@ removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "optout+question"), "X-Links-Verdict: optout+question")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "applied"), "X-Links-Optout: applied")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Category", "survey"), "X-Links-Category: survey")
mt.disconnect(conn)
print("04-optout-question passed")
