-- Mail with no LINKS recipient passes untouched: accepted at end of
-- headers (the first step links-milter answers), no header collected, no
-- store access (even a spoofed X-Links-* header is not our business
-- there). The negotiation asked only for the steps it needs.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
check_protocol(conn)
local r = send(conn, {
	qid = "NOTOURS1", from = "<an@example.vn>", rcpts = {"<binh@example.org>"},
	headers = reply_headers("An <an@example.vn>", "binh@example.org", "Hello",
				"notours1", {{"X-Links-Verdict", "optout"}}),
	body = "Từ chối\r\n" })
expect(r == SMFIR_ACCEPT, "not ours: accepted at end of headers")
mt.disconnect(conn)
print("01-not-ours passed")
