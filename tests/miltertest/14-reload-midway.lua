-- SIGHUP in the middle of a message: the connection is not dropped and
-- the message finishes under the configuration it started with
-- (pure_refusal_action = discard), although the new one says archive.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
mt.macro(conn, SMFIC_MAIL, "i", "MIDWAY1")
step("mailfrom", mt.mailfrom(conn, "<c1@example.vn>"))
expect(mt.getreply(conn) == SMFIR_CONTINUE, "mailfrom: continue")
step("rcptto", mt.rcptto(conn, "<noreply@ilinks.asia>"))
expect(mt.getreply(conn) == SMFIR_CONTINUE, "rcptto: continue")
for _, h in ipairs(reply_headers("C1 <c1@example.vn>", "noreply@ilinks.asia", "Re: Khuyến mãi",
				 "midway-c1", {{"In-Reply-To", "<" .. env("MT_MSGID_C1") .. ">"}})) do
	step("header " .. h[1], mt.header(conn, h[1], h[2]))
	expect(mt.getreply(conn) == SMFIR_CONTINUE, "header: continue")
end
-- reload now, and wait until the milter has switched
expect(os.execute("kill -HUP " .. env("MT_PID")), "SIGHUP sent")
local log = env("MT_LOG")
for i = 1, 100 do
	local f = io.open(log)
	local t = f and f:read("*a") or ""
	if f then f:close() end
	if t:find("reloaded the configuration") then break end
	mt.sleep(0.1)
end
step("eoh", mt.eoh(conn))
expect(mt.getreply(conn) == SMFIR_CONTINUE, "eoh: continue after the reload")
step("body", mt.bodystring(conn, "Từ chối\r\n"))
expect(mt.getreply(conn) == SMFIR_CONTINUE, "body: continue")
step("eom", mt.eom(conn))
local r = mt.getreply(conn)
expect(r == SMFIR_DISCARD, "finished under the old configuration: discarded, not archived")
mt.disconnect(conn)
print("14-reload-midway passed")
