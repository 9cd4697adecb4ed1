#!/bin/sh
# NAME
#	sender-parse.sh - every category's messages parse cleanly with Python's email package
# DESCRIPTION
#	Imports customers with awkward names (diacritics, long names,
#	commas, quotes, angle brackets, text that looks like an encoded
#	word), renders one campaign per category with --dry-run into a
#	directory, and checks every message with sender-parse.py
#	(policy default, no defects, exact UTF-8 subject, folding, bodies,
#	footer, List-* headers per category, To display name). A dry run
#	must record nothing in the store.
. "$top_srcdir/tests/sender-lib.sh"
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || lt_skip "python3 is not installed"

st_setup sender-parse
cat > "$LT_TMP/c.csv" <<'CSV'
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
an.nguyen@example.vn,Nguyễn Văn An,0900 000 001,portal,vps,VPS-1,active,2024-01-01,
binh.tran@example.vn,Trần Thị Bình,0900 000 002,portal,vps,VPS-2,active,2024-02-02,
long@example.vn,Tôn Nữ Hoàng Hậu Phương Thảo Nguyên Khánh Linh Ngọc Diệp Bảo Châu Minh Nguyệt,0900 000 003,portal,vps,VPS-3,active,2024-03-03,
comma@example.vn,"Lê, Văn ""Cường"" <boss@example.com>",0900 000 004,web_form,vps,VPS-4,active,2024-04-04,
ascii@example.vn,John Smith,0900 000 005,staff,vps,VPS-5,active,2024-05-05,
fake@example.vn,=?UTF-8?B?QmNjOiB4?=,0900 000 006,portal,vps,VPS-6,active,2024-06-06,
host@example.vn,Phạm Hosting,0900 000 007,portal,hosting,HOST-7,active,2024-07-07,
CSV
st_import "$LT_TMP/c.csv"
"$PYTHON3" - "$LT_TMP/c.csv" > "$LT_TMP/names.tsv" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    print('%s\t%s' % (row['email'], row['name']))
PY

parse() {	# DIR SUBJECT FROM KIND
	"$PYTHON3" "$top_srcdir/tests/sender-parse.py" "$1" "$2" "$3" "$4" "$LT_TMP/names.tsv" \
		|| lt_fail "messages in $1 do not parse cleanly"
}

O=$LT_TMP/out
"$SENDER" -c "$CONF" send --category account --template confirmation \
	--set "request=Đổi mật khẩu tài khoản" --dry-run --outdir "$O/account" >/dev/null \
	|| lt_fail "account dry run"
parse "$O/account" "Xác nhận yêu cầu của Quý khách" noreply@ilinks.asia transactional
[ "$(ls "$O/account" | wc -l)" -eq 7 ] || lt_fail "account: expected 7 messages"
lt_ok "account"

"$SENDER" -c "$CONF" send --category maintenance --template maintenance --service-type vps \
	--set "window=22:00 01/12/2026 - 02:00 02/12/2026" --set "impact=Mất kết nối <30 phút> & chậm" \
	--dry-run --outdir "$O/maintenance" >/dev/null || lt_fail "maintenance dry run"
parse "$O/maintenance" "Thông báo bảo trì VPS" noreply@ilinks.asia transactional
[ "$(ls "$O/maintenance" | wc -l)" -eq 6 ] || lt_fail "maintenance reached a non-vps customer"
grep -l "host@example.vn" "$O"/maintenance/*.eml >/dev/null 2>&1 && lt_fail "hosting customer got vps maintenance"
grep -q "&lt;30 phút&gt; &amp; chậm" "$O/maintenance"/*.eml 2>/dev/null || \
	"$PYTHON3" -c "
import email, email.policy, glob, sys
m = email.message_from_binary_file(open(sorted(glob.glob('$O/maintenance/*.eml'))[0], 'rb'), policy=email.policy.default)
h = m.get_body(('html',)).get_content()
sys.exit(0 if '&lt;30 phút&gt; &amp; chậm' in h else 1)" || lt_fail "HTML part does not escape --set values"
lt_ok "maintenance (vps only, shown as VPS, HTML escaped)"

"$SENDER" -c "$CONF" send --category survey --template survey \
	--set "survey_url=https://ilinks.asia/khao-sat?a=1&b=2" --dry-run --outdir "$O/survey" >/dev/null \
	|| lt_fail "survey dry run"
parse "$O/survey" "LINKS mong nhận ý kiến của Quý khách" support@ilinks.asia refusable
lt_ok "survey"

OFFER="Giảm 50% phí VPS và tặng tên miền .vn miễn phí trong năm đầu tiên cho mọi khách hàng đăng ký trước Tết Nguyên Đán"
"$SENDER" -c "$CONF" send --category promotion --template promotion --set "offer=$OFFER" \
	--set until=2026-12-31 --set url=https://ilinks.asia/km --dry-run --outdir "$O/promotion" >/dev/null \
	|| lt_fail "promotion dry run"
parse "$O/promotion" "[QC] Ưu đãi dành riêng cho khách hàng LINKS: $OFFER" noreply@ilinks.asia refusable
grep -q "^Subject: \[QC\]" "$O"/promotion/*.eml || lt_fail "[QC] label not in clear"
lt_ok "promotion ([QC] outside the encoded words, long subject folded)"

"$SENDER" -c "$CONF" send --category answer --template answer --to comma@example.vn \
	--set "topic=Hóa đơn tháng 11" --set "answer=Dòng một
Dòng hai" --dry-run --outdir "$O/answer" >/dev/null || lt_fail "answer dry run"
parse "$O/answer" "Trả lời: Hóa đơn tháng 11" support@ilinks.asia transactional
[ "$(ls "$O/answer" | wc -l)" -eq 1 ] || lt_fail "answer went to more than the asker"
lt_ok "answer"

"$SENDER" -c "$CONF" send --category staff --template staff --from "Phạm Thị Lan <lan.pham@ilinks.asia>" \
	--to fake@example.vn --set "subject=Lịch hẹn kỹ thuật" --set "body=Chào anh" \
	--set "signature=Phạm Lan" --dry-run --outdir "$O/staff" >/dev/null || lt_fail "staff dry run"
parse "$O/staff" "Lịch hẹn kỹ thuật" lan.pham@ilinks.asia staff
grep -q "^Auto-Submitted" "$O"/staff/*.eml && lt_fail "staff mail carries Auto-Submitted"
"$PYTHON3" - "$O/staff" <<'PY' || lt_fail "staff mail does not show the staff member's name"
import email, email.policy, glob, sys
m = email.message_from_binary_file(open(glob.glob(sys.argv[1] + '/*.eml')[0], 'rb'), policy=email.policy.default)
sys.exit(0 if m['From'].addresses[0].display_name == 'Phạm Thị Lan' else 1)
PY
lt_ok "staff (the staff member's name, no Auto-Submitted)"

# A dry run records nothing.
"$SENDER" -c "$CONF" status | tail -n +2 | grep -q . && lt_fail "a dry run created a campaign"
lt_ok "dry runs recorded nothing"
exit 0
