-- A body far above max_body_size: the milter keeps only max_body_size
-- bytes (the rest is counted) and still decides from the first text.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local filler = string.rep("Nội dung đính kèm rất dài để kiểm tra giới hạn.\r\n", 800)
local body = {"Cho tôi hỏi về phụ lục hợp đồng?\r\n\r\n"}
for i = 1, 6 do table.insert(body, filler) end
local r = send(conn, {
	qid = "LARGE1", from = "<c2@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C2 <c2@example.vn>", "noreply@ilinks.asia", "Re: Hợp đồng lớn", "large-c2",
				{{"In-Reply-To", "<" .. env("MT_MSGID_C2") .. ">"}}),
	body = body })
expect(delivered(r), "large question: delivered")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
mt.disconnect(conn)
print("13-large-body passed")
