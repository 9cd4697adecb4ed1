-- After a reload with pure_refusal_action = archive, a pure refusal to
-- noreply@ is redirected to archive_address instead of discarded.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "ARCHIVE" .. env("MT_ARCHIVE_N"), from = "<c10@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C10 <c10@example.vn>", "noreply@ilinks.asia", "Re: Ưu đãi",
				"archive-" .. env("MT_ARCHIVE_N"),
				{{"In-Reply-To", "<" .. env("MT_MSGID_C10") .. ">"}}),
	body = "Từ chối\r\n" })
expect(delivered(r), "pure refusal: kept for the archive")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply@ilinks.asia>"), "noreply@ removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<archive@ilinks.asia>"), "archive@ added")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "applied"), "X-Links-Optout: applied")
mt.disconnect(conn)
print("12-archive passed")
