-- A bounce to noreply@ with a permanent failure (5.x.x) counts against
-- the failed address (undeliverable at bounce_threshold, 1 in this
-- test) and is not delivered to anyone, when it is proven: its returned
-- headers carry the Message-ID we logged for that recipient. The same
-- bounce without that proof is a forgery as far as we know: delivered to
-- support, never counted (the driver checks c8 after the first one).
dofile(os.getenv("MT_LIB"))
local b = "BOUNDARY.42"

function dsn_body(msgid)
	return "--" .. b .. "\r\n" ..
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
	"From: LINKS <noreply@ilinks.asia>\r\nSubject: Bảo trì\r\n" ..
	"Message-ID: <" .. msgid .. ">\r\n\r\n" ..
	"--" .. b .. "--\r\n"
end

function bounce(qid, msgid)
	local conn = open_conn()
	local r = send(conn, {
	qid = qid, from = "<>", rcpts = {"<noreply@ilinks.asia>"},
	headers = {
		{"From", "MAILER-DAEMON@mx.example.vn (Mail Delivery System)"},
		{"To", "noreply@ilinks.asia"},
		{"Subject", "Undelivered Mail Returned to Sender"},
		{"Message-ID", "<bounce1@mx.example.vn>"},
		{"Auto-Submitted", "auto-replied"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" .. b .. "\""},
	},
	body = dsn_body(msgid) })
	return conn, r
end

local conn, r = bounce("BOUNCE0", "not-ours." .. env("MT_RUN") .. "@example.net")
expect(delivered(r), "unproven bounce: delivered")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply@ilinks.asia>"), "noreply removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
mt.disconnect(conn)
conn, r = bounce("BOUNCE1", env("MT_MSGID_C8"))
expect(r == SMFIR_DISCARD, "proven bounce to noreply: counted and discarded")
mt.disconnect(conn)
print("09-bounce passed")
