-- A "Từ chối" reply whose In-Reply-To names a Message-ID in the message
-- log is applied for that customer, even from another address, and,
-- being a pure refusal to noreply@, is discarded (pure_refusal_action =
-- discard). The same message delivered twice changes nothing twice
-- (the driver counts the consent events).
dofile(os.getenv("MT_LIB"))
for i = 1, 2 do
	local conn = open_conn()
	local r = send(conn, {
		qid = "REFUSE" .. i, from = "<someone.else@example.net>",
		rcpts = {"<noreply@ilinks.asia>"},
		headers = reply_headers("Khách <someone.else@example.net>", "noreply@ilinks.asia",
					"Re: Khuyến mãi tháng 11", "refusal-c1",
					{{"In-Reply-To", "<" .. env("MT_MSGID_C1") .. ">"},
					 {"References", "<older@elsewhere> <" .. env("MT_MSGID_C1") .. ">"}}),
		body = "Từ chối\r\n\r\nVào 25/11/2026 LINKS <noreply@ilinks.asia> đã viết:\r\n> Khuyến mãi\r\n" })
	expect(r == SMFIR_DISCARD, "pure refusal to noreply: discarded (delivery " .. i .. ")")
	mt.disconnect(conn)
end
print("02-refusal-msgid passed")
