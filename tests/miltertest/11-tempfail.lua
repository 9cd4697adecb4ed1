-- The store cannot be opened: the milter answers 451 4.3.0 (tempfail)
-- so Postfix keeps the message and retries; nothing is lost.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "TEMPFAIL1", from = "<c1@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C1 <c1@example.vn>", "noreply@ilinks.asia", "Từ chối", "tempfail-1",
				{{"In-Reply-To", "<" .. env("MT_MSGID_C10") .. ">"}}),
	body = "Từ chối\r\n" })
-- a tempfail with our own 451 text arrives as a reply code
expect(r == SMFIR_REPLYCODE, "store down: temporary failure with a 451 reply")
expect(not mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "nothing rerouted")
mt.disconnect(conn)
print("11-tempfail passed")
