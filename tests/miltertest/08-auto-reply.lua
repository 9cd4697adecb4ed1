-- Auto-replies are never refusals and never routed to support: dropped
-- at noreply@ (auto_reply_action = discard), delivered as addressed
-- elsewhere, even when the text says "Từ chối".
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local r = send(conn, {
	qid = "AUTO1", from = "<c1@example.vn>", rcpts = {"<noreply@ilinks.asia>"},
	headers = reply_headers("C1 <c1@example.vn>", "noreply@ilinks.asia", "Out of office", "auto-1",
				{{"Auto-Submitted", "auto-replied"},
				 {"In-Reply-To", "<" .. env("MT_MSGID_C2") .. ">"}}),
	body = "Tôi đang nghỉ phép đến 30/11. Từ chối mọi cuộc họp.\r\n" })
expect(r == SMFIR_DISCARD, "auto-reply to noreply: discarded")
mt.disconnect(conn)

conn = open_conn()
r = send(conn, {
	qid = "AUTO2", from = "<c1@example.vn>", rcpts = {"<support@ilinks.asia>"},
	headers = reply_headers("C1 <c1@example.vn>", "support@ilinks.asia", "Out of office", "auto-2",
				{{"Auto-Submitted", "auto-replied"}}),
	body = "I am away.\r\n" })
expect(delivered(r), "auto-reply to support: delivered as addressed")
expect(not mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "no recipient added")
expect(not mt.eom_check(conn, MT_RCPTDELETE, "<support@ilinks.asia>"), "no recipient deleted")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Verdict", "auto_reply"), "X-Links-Verdict: auto_reply")
mt.disconnect(conn)
print("08-auto-reply passed")
