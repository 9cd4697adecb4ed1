-- The List-Unsubscribe mailto: a message to noreply+TOKEN@ is a refusal
-- whatever its body says, for the token's customer and category only.
-- A token that does not verify changes nothing and goes to a person.
dofile(os.getenv("MT_LIB"))
local conn = open_conn()
local rcpt = "<noreply+" .. env("MT_TOKEN_C7") .. "@ilinks.asia>"
local r = send(conn, {
	qid = "TOKEN1", from = "<whoever@example.com>", rcpts = {rcpt},
	headers = reply_headers("whoever@example.com", "noreply@ilinks.asia", "unsubscribe", "token-c7"),
	body = "\r\n" })
expect(r == SMFIR_DISCARD, "token unsubscribe: applied and discarded")
mt.disconnect(conn)

conn = open_conn()
r = send(conn, {
	qid = "TOKEN2", from = "<whoever@example.com>", rcpts = {"<noreply+aaaabbbbccccdddd@ilinks.asia>"},
	headers = reply_headers("whoever@example.com", "noreply@ilinks.asia", "unsubscribe", "token-bad"),
	body = "\r\n" })
expect(delivered(r), "bad token: delivered to a person")
expect(mt.eom_check(conn, MT_RCPTDELETE, "<noreply+aaaabbbbccccdddd@ilinks.asia>"), "token address removed")
expect(mt.eom_check(conn, MT_RCPTADD, "<support@ilinks.asia>"), "support@ added")
expect(mt.eom_check(conn, MT_HDRADD, "X-Links-Optout", "unverified"), "X-Links-Optout: unverified")
mt.disconnect(conn)
print("07-token passed")
