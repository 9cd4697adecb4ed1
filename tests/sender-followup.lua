-- tests/sender-followup.sh's messages through links-milter (miltertest):
-- 1. c1's "Từ chối" reply (from Gmail on a phone) to the campaign's
--    message: its own Message-ID FU_REPLY_ID, References naming an older
--    message and ours (FU_OURS);
-- 2. three notifications to c2's VERP return path noreply+b-FU_VERP@:
--    a delay (4.4.1), the failure (5.1.1), and the failure again (a
--    retry of the same notification, same Message-ID).
dofile(os.getenv("MT_LIB"))
local b = "DSN.BOUNDARY.18"

function dsn(status, action, id)
	local conn = open_conn()
	local r = send(conn, {
	qid = "FUDSN" .. id, from = "<>",
	rcpts = {"<noreply+b-" .. env("FU_VERP") .. "@ilinks.asia>"},
	headers = {
		{"From", "MAILER-DAEMON@mx.example.vn (Mail Delivery System)"},
		{"To", "noreply+b-" .. env("FU_VERP") .. "@ilinks.asia"},
		{"Subject", "Undelivered Mail Returned to Sender"},
		{"Message-ID", "<" .. env("MT_RUN") .. ".dsn" .. id .. "@mx.example.vn>"},
		{"Auto-Submitted", "auto-replied"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" .. b .. "\""},
	},
	body = "--" .. b .. "\r\n" ..
	"Content-Type: text/plain; charset=us-ascii\r\n\r\n" ..
	"This is the mail system at host mx.example.vn.\r\n\r\n" ..
	"--" .. b .. "\r\n" ..
	"Content-Type: message/delivery-status\r\n\r\n" ..
	"Reporting-MTA: dns; mx.example.vn\r\n\r\n" ..
	"Final-Recipient: rfc822; " .. env("FU_C2_EMAIL") .. "\r\n" ..
	"Action: " .. action .. "\r\n" ..
	"Status: " .. status .. "\r\n\r\n" ..
	"--" .. b .. "\r\n" ..
	"Content-Type: text/rfc822-headers\r\n\r\n" ..
	"From: LINKS <noreply@ilinks.asia>\r\nSubject: =?UTF-8?B?4buodSDEkcOjaQ==?=\r\n\r\n" ..
	"--" .. b .. "--\r\n" })
	mt.disconnect(conn)
	return r
end

local conn = open_conn()
local r = send(conn, {
	qid = "FUREFUSE", from = "<" .. env("FU_C1_EMAIL") .. ">",
	rcpts = {"<noreply@ilinks.asia>"},
	headers = {
		{"From", "Khách <" .. env("FU_C1_EMAIL") .. ">"},
		{"To", "LINKS <noreply@ilinks.asia>"},
		{"Subject", "Re: Ưu đãi tháng 12"},
		{"Date", "Mon, 30 Nov 2026 09:00:00 +0700"},
		{"Message-ID", "<" .. env("FU_REPLY_ID") .. ">"},
		{"In-Reply-To", "<" .. env("FU_OURS") .. ">"},
		{"References", "<" .. env("FU_OLDER") .. ">\r\n <" .. env("FU_OURS") .. ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "8bit"},
	},
	body = "Từ chối\r\n\r\nVào Th 2, 30 thg 11, 2026 lúc 08:00 LINKS <noreply@ilinks.asia> đã viết:\r\n> Ưu đãi\r\n" })
expect(r == SMFIR_DISCARD, "the refusal to noreply: recorded and discarded")
mt.disconnect(conn)

expect(dsn("4.4.1", "delayed", 1) == SMFIR_DISCARD, "delay notice: counted, discarded")
expect(dsn("5.1.1", "failed", 2) == SMFIR_DISCARD, "failure: counted, discarded")
expect(dsn("5.1.1", "failed", 2) == SMFIR_DISCARD, "the same failure again: discarded")
print("sender-followup passed")
