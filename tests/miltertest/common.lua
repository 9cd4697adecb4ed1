-- NAME
--	common.lua - helpers shared by the links-milter miltertest scripts
-- DESCRIPTION
--	Loaded by each script with dofile(os.getenv("MT_LIB")). The driver
--	(tests/milter-miltertest.sh) exports MT_SOCKET (the milter's unix
--	socket) and the fixture values the scripts need (MT_*). Every step
--	prints a line, because miltertest exits 1 without a word when a
--	step fails inside the library.

sock = os.getenv("MT_SOCKET")
if sock == nil then error("MT_SOCKET is not set") end

function env(name)
	local v = os.getenv(name)
	if v == nil or v == "" then error(name .. " is not set") end
	return v
end

function step(name, rc)
	if rc ~= nil then error(name .. " failed: " .. tostring(rc)) end
	print("  " .. name)
end

function expect(cond, what)
	if not cond then error("expected: " .. what) end
	print("  ok: " .. what)
end

function reply_name(r)
	local names = {}
	names[SMFIR_CONTINUE] = "continue"
	names[SMFIR_ACCEPT] = "accept"
	names[SMFIR_DISCARD] = "discard"
	names[SMFIR_TEMPFAIL] = "tempfail"
	names[SMFIR_REJECT] = "reject"
	names[SMFIR_REPLYCODE] = "replycode"
	return names[r] or tostring(r)
end

-- links-milter asks for no CONNECT (when the MTA can send macros with
-- MAIL FROM), no HELO, no DATA, and answers neither MAIL, RCPT, headers
-- nor body chunks (SMFIP_NR_*): miltertest then answers "continue" for
-- them itself, and refuses to send a step the milter negotiated away.
-- These are the flags a real MTA (Postfix) also gets.
function check_protocol(conn)
	expect(mt.test_option(conn, SMFIP_NOCONNECT), "negotiated: no CONNECT")
	expect(mt.test_option(conn, SMFIP_NOHELO), "negotiated: no HELO")
	expect(mt.test_option(conn, SMFIP_NODATA), "negotiated: no DATA")
	expect(mt.test_option(conn, SMFIP_NR_MAIL), "negotiated: MAIL without a reply")
	expect(mt.test_option(conn, SMFIP_NR_RCPT), "negotiated: RCPT without a reply")
	expect(mt.test_option(conn, SMFIP_NR_HDR), "negotiated: headers without a reply")
	expect(mt.test_option(conn, SMFIP_NR_BODY), "negotiated: body without a reply")
	expect(not mt.test_option(conn, SMFIP_NR_EOH), "negotiated: end of headers answered")
	expect(not mt.test_option(conn, SMFIP_NOBODY), "negotiated: the body is sent")
end

function open_conn()
	local conn = mt.connect("unix:" .. sock, 40, 0.25)
	if conn == nil then error("mt.connect(" .. sock .. ") failed") end
	if not mt.test_option(conn, SMFIP_NOCONNECT) then
		step("conninfo", mt.conninfo(conn, "client.example.vn", "192.0.2.10"))
		expect(mt.getreply(conn) == SMFIR_CONTINUE, "connect: continue")
	end
	return conn
end

-- Send one message. m = { qid=, from=, rcpts={...}, headers={{n,v},...},
-- body= (a string or a table of chunks) }. Returns the reply at end of
-- headers when it ends the message there (accept, reject, tempfail), else
-- the reply at end of message.
function send(conn, m)
	mt.macro(conn, SMFIC_MAIL, "i", m.qid)
	step("mailfrom " .. m.from, mt.mailfrom(conn, m.from))
	expect(mt.getreply(conn) == SMFIR_CONTINUE, "mailfrom: continue")
	for _, r in ipairs(m.rcpts) do
		step("rcptto " .. r, mt.rcptto(conn, r))
		expect(mt.getreply(conn) == SMFIR_CONTINUE, "rcptto: continue")
	end
	local r
	if not mt.test_option(conn, SMFIP_NODATA) then
		step("data", mt.data(conn))
		r = mt.getreply(conn)
		print("  data reply: " .. reply_name(r))
		if r ~= SMFIR_CONTINUE then return r end
	end
	for _, h in ipairs(m.headers) do
		step("header " .. h[1], mt.header(conn, h[1], h[2]))
		expect(mt.getreply(conn) == SMFIR_CONTINUE, "header: continue")
	end
	step("eoh", mt.eoh(conn))
	r = mt.getreply(conn)
	print("  eoh reply: " .. reply_name(r))
	if r ~= SMFIR_CONTINUE then return r end
	-- a body may be a table of chunks (the milter protocol carries at
	-- most 64 KB per body command)
	local chunks = type(m.body) == "table" and m.body or {m.body}
	for i, chunk in ipairs(chunks) do
		step("body chunk " .. i, mt.bodystring(conn, chunk))
		local br = mt.getreply(conn)
		if br ~= SMFIR_CONTINUE then error("body chunk " .. i .. ": " .. reply_name(br)) end
	end
	print("  body: continue")
	step("eom", mt.eom(conn))
	r = mt.getreply(conn)
	print("  eom reply: " .. reply_name(r))
	return r
end

-- The headers of a plain UTF-8 reply; ID makes its Message-ID (with
-- MT_RUN, so each run of the suite has its own).
function reply_headers(from, to, subject, id, extra)
	local h = {
		{"From", from},
		{"To", to},
		{"Subject", subject},
		{"Date", "Wed, 25 Nov 2026 09:00:00 +0700"},
		{"Message-ID", "<" .. env("MT_RUN") .. "." .. id .. "@client.example.vn>"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "8bit"},
	}
	for _, e in ipairs(extra or {}) do table.insert(h, e) end
	return h
end

-- H with the headers of TOP inserted first, as the milters in front of
-- links-milter on our MX insert their Authentication-Results at the top.
function on_top(top, h)
	for i = #top, 1, -1 do table.insert(h, 1, top[i]) end
	return h
end

function delivered(r)
	return r == SMFIR_CONTINUE or r == SMFIR_ACCEPT
end
