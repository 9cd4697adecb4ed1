-- A bounce to noreply@ with a permanent failure (5.x.x) counts against
-- the failed address (undeliverable at bounce_threshold, 1 in this
-- test) and is not delivered to anyone.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local b = "BOUNDARY.42"
local body = "--" .. b .. "\r\n" ..
	"Content-Type: text/plain; charset=us-ascii\r\n\r\n" ..
	"This is the mail system at host mx.example.vn.\r\n\r\n" ..
	"I'm sorry to have to inform you that your message could not\r\n" ..
	"be delivered to one or more recipients.\r\n\r\n" ..
	"--" .. b .. "\r\n" ..
	"Content-Type: message/delivery-status\r\n\r\n" ..
	"Reporting-MTA: dns; mx.example.vn\r\n\r\n" ..
	"Final-Recipient: rfc822; " .. env("MT_C8_EMAIL") .. "\r\n" ..
	"Original-Recipient: rfc822;" .. env("MT_C8_EMAIL") .. "\r\n" ..
	"Action: failed\r\n" ..
	"Status: 5.1.1\r\n" ..
	"Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n" ..
	"--" .. b .. "\r\n" ..
	"Content-Type: text/rfc822-headers\r\n\r\n" ..
	"From: LINKS <noreply@ilinks.asia>\r\nSubject: Khuyến mãi\r\n\r\n" ..
	"--" .. b .. "--\r\n"
local r = send(conn, {
	qid = "BOUNCE1", from = "<>", rcpts = {"<noreply@ilinks.asia>"},
	headers = {
		{"From", "MAILER-DAEMON@mx.example.vn (Mail Delivery System)"},
		{"To", "noreply@ilinks.asia"},
		{"Subject", "Undelivered Mail Returned to Sender"},
		{"Message-ID", "<bounce1@mx.example.vn>"},
		{"Auto-Submitted", "auto-replied"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" .. b .. "\""},
	},
	body = body })
expect(r == SMFIR_DISCARD, "bounce to noreply: counted and discarded")
mt.disconnect(conn)
print("09-bounce passed")
