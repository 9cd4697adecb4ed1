#!/bin/sh
# NAME
#	gen-corpus.sh - the benchmark corpus: 4 KB Vietnamese replies, 25 MB messages
# SYNOPSIS
#	gen-corpus.sh replies DIR [COUNT_PER_KIND]
#	gen-corpus.sh large DIR [COUNT] [MEGABYTES]
# DESCRIPTION
#	replies: writes COUNT_PER_KIND (default 10, at most 1000) messages
#	of each of three kinds into DIR, each about 4 KB, as customers
#	write them to noreply@ilinks.asia from Gmail, Thunderbird and
#	Outlook:
#	  refusal-NNN.eml   "Từ chối" above a Gmail-style quote of our notice
#	                    with its footer (which itself says "Từ chối");
#	  question-NNN.eml  a question ("Tại sao thanh toán bị từ chối?"),
#	                    multipart/alternative, base64 text and HTML with a
#	                    gmail_quote of the notice;
#	  autoreply-NNN.eml an out-of-office reply (Auto-Submitted:
#	                    auto-replied) quoting the notice.
#	and DIR/customers.csv (the format of config/customers.sample.csv)
#	with every sender and an active VPS contract, for links-store import. Sender addresses are khach-NNN@example.vn.
#
#	large: writes COUNT (default 1, at most 64) messages big-NN.eml of
#	about MEGABYTES (default 25, at most 200) MB: a short text part
#	and two base64 attachments of random bytes (a PDF and a ZIP).
# DIAGNOSTICS
#	Exit status 0, 64 (EX_USAGE) for bad arguments, 1 when a file
#	cannot be written.
set -eu

MAX_PER_KIND=1000
MAX_LARGE=64
MAX_MB=200

usage() {
	echo "usage: gen-corpus.sh replies DIR [COUNT_PER_KIND] | large DIR [COUNT] [MEGABYTES]" >&2
	exit 64
}

is_count() {	# is_count VALUE MAX
	case $1 in ''|*[!0-9]*) return 1 ;; esac
	[ "$1" -ge 1 ] && [ "$1" -le "$2" ]
}

# The notice we sent, as a client quotes it (PREFIX before every line).
quoted_notice() {	# quoted_notice PREFIX N
	p=$1
	cat <<EOF | sed "s/^/$p/"
Kính gửi Quý khách,

LINKS xin thông báo kế hoạch bảo trì hệ thống máy chủ ảo (VPS) vào lúc
23:00 ngày 15/12/2024 đến 02:00 ngày 16/12/2024. Trong thời gian này,
dịch vụ của Quý khách có thể bị gián đoạn trong vài phút. Mã hợp đồng
của Quý khách: HD-2024-$2. Chúng tôi xin lỗi vì sự bất tiện này.

Nếu cần hỗ trợ, Quý khách vui lòng liên hệ support@ilinks.asia hoặc
gọi 0249 996 3579. Xin cảm ơn Quý khách đã tin dùng dịch vụ của LINKS.

Trân trọng,
Phòng Kỹ thuật - LINKS

--
Đây là thư tự động, vui lòng không trả lời thư này. Nếu Quý khách không
muốn nhận thông tin qua email, hãy trả lời thư này với nội dung "Từ chối".
LINKS - Tầng 15, tòa nhà văn phòng Intracom, 33 Cầu Diễn, phường Phúc
Diễn, quận Bắc Từ Liêm, Hà Nội. Điện thoại: 0249 996 3579.
Email: support@ilinks.asia - https://dichvu.ilinks.asia
EOF
}

# Filler paragraphs so that every message is about 4 KB.
filler() {	# filler PREFIX
	cat <<EOF | sed "s/^/$1/"

Thông tin bổ sung về dịch vụ: hệ thống lưu trữ dự phòng được sao lưu
hằng ngày; các bản sao lưu được giữ trong 7 ngày. Quý khách có thể tự
khôi phục dữ liệu tại trang quản lý dịch vụ dichvu.ilinks.asia, mục
"Sao lưu". Băng thông quốc tế được nâng cấp lên 10 Gbps từ tháng 1.
EOF
}

headers() {	# headers N KIND SUBJECT
	printf 'Return-Path: <khach-%s@example.vn>\n' "$1"
	printf 'Received: from mail-wr1-f41.google.com (mail-wr1-f41.google.com [209.85.221.41])\n'
	printf '\tby mx.ilinks.asia (Postfix) with ESMTPS id 4Y1%s\n' "$1"
	printf '\tfor <noreply@ilinks.asia>; Mon, 16 Dec 2024 08:%02d:11 +0700 (+07)\n' "$(expr "$1" % 60)"
	printf 'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.vn; s=s1;\n'
	printf '\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n'
	printf '\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSwganVzdCBiZW5jaG1hcmsgcGFkZGluZw==\n'
	printf 'From: =?UTF-8?B?%s?= <khach-%s@example.vn>\n' \
		"$(printf 'Nguyễn Văn Khách %s' "$1" | base64 -w 0)" "$1"
	printf 'To: LINKS <noreply@ilinks.asia>\n'
	printf 'Subject: =?UTF-8?B?%s?=\n' "$(printf '%s' "$3" | base64 -w 0)"
	printf 'Date: Mon, 16 Dec 2024 08:%02d:10 +0700\n' "$(expr "$1" % 60)"
	printf 'Message-ID: <%s-%s@mail.example.vn>\n' "$2" "$1"
	printf 'In-Reply-To: <20241215.maint.%s@ilinks.asia>\n' "$1"
	printf 'References: <20241215.maint.%s@ilinks.asia>\n' "$1"
	printf 'MIME-Version: 1.0\n'
}

refusal() {	# refusal N
	headers "$1" refusal "Re: [LINKS] Thông báo bảo trì dịch vụ VPS"
	printf 'Content-Type: text/plain; charset="UTF-8"\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	printf 'Từ chối\n\n'
	printf 'Vào Th 2, 16 thg 12, 2024 vào lúc 07:30 LINKS <noreply@ilinks.asia>\nđã viết:\n'
	quoted_notice '> ' "$1"
	for k in 1 2 3 4 5; do filler '> '; done
}

question() {	# question N
	b="==b-$1-alt"
	headers "$1" question "Re: [LINKS] Hóa đơn tháng 12"
	printf 'Content-Type: multipart/alternative; boundary="%s"\n\n' "$b"
	printf -- '--%s\nContent-Type: text/plain; charset="UTF-8"\nContent-Transfer-Encoding: base64\n\n' "$b"
	{
		printf 'Chào LINKS,\n\nTại sao thanh toán của tôi bị từ chối? Tôi đã chuyển khoản hôm qua.\n'
		printf 'Xin kiểm tra giúp tôi. Cảm ơn.\n\nVào Th 2, 16 thg 12, 2024 vào lúc 07:30 LINKS <noreply@ilinks.asia>\nđã viết:\n'
		quoted_notice '> ' "$1"
	} | base64 -w 76
	printf -- '--%s\nContent-Type: text/html; charset="UTF-8"\nContent-Transfer-Encoding: base64\n\n' "$b"
	{
		printf '<div dir="ltr">Chào LINKS,<br><br>Tại sao thanh toán của tôi bị từ chối? '
		printf 'Tôi đã chuyển khoản hôm qua.<br>Xin kiểm tra giúp tôi. Cảm ơn.</div><br>'
		printf '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">Vào Th 2, 16 thg 12, 2024 '
		printf 'vào lúc 07:30 LINKS &lt;noreply@ilinks.asia&gt; đã viết:<br></div>'
		printf '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">'
		quoted_notice '' "$1" | sed 's/$/<br>/'
		printf '</blockquote></div>\n'
	} | base64 -w 76
	printf -- '--%s--\n' "$b"
}

autoreply() {	# autoreply N
	headers "$1" autoreply "Trả lời tự động: [LINKS] Thông báo bảo trì dịch vụ VPS"
	printf 'Auto-Submitted: auto-replied\n'
	printf 'X-Autoreply: yes\n'
	printf 'Content-Type: text/plain; charset="UTF-8"\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	printf 'Tôi đang nghỉ phép đến ngày 02/01/2025 và sẽ trả lời thư khi trở lại.\n'
	printf 'Việc gấp xin liên hệ số 0912 000 000.\n\n'
	printf -- '-------- Thư gốc --------\n'
	quoted_notice '' "$1"
	for k in 1 2 3 4 5; do filler ''; done
}

gen_replies() {	# gen_replies DIR COUNT
	dir=$1
	mkdir -p "$dir"
	echo "email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at" \
		> "$dir/customers.csv"
	i=1
	while [ "$i" -le "$2" ]; do
		n=$(printf '%03d' "$i")
		refusal "$n" > "$dir/refusal-$n.eml"
		question "$n" > "$dir/question-$n.eml"
		autoreply "$n" > "$dir/autoreply-$n.eml"
		printf 'khach-%s@example.vn,Nguyễn Văn Khách %s,0900 100 %s,portal,vps,VPS-1%s,active,2024-01-01,\n' \
			"$n" "$n" "$n" "$n" >> "$dir/customers.csv"
		i=$((i + 1))
	done
}

gen_large() {	# gen_large DIR COUNT MB
	dir=$1
	mkdir -p "$dir"
	# two attachments of raw bytes; base64 grows them by 4/3 (+ newlines)
	att_kb=$(( $3 * 1024 * 3 / 4 / 2 * 76 / 77 ))
	i=1
	while [ "$i" -le "$2" ]; do
		n=$(printf '%02d' "$i")
		b="==b-big-$n"
		{
			headers "0$n" large "Re: [LINKS] Hồ sơ hợp đồng và bản sao lưu"
			printf 'Content-Type: multipart/mixed; boundary="%s"\n\n' "$b"
			printf -- '--%s\nContent-Type: text/plain; charset="UTF-8"\n' "$b"
			printf 'Content-Transfer-Encoding: 8bit\n\nGửi LINKS hồ sơ hợp đồng và bản sao lưu như đã trao đổi.\n\n'
			printf -- '--%s\nContent-Type: application/pdf; name="hop-dong.pdf"\n' "$b"
			printf 'Content-Disposition: attachment; filename="hop-dong.pdf"\n'
			printf 'Content-Transfer-Encoding: base64\n\n'
			head -c "${att_kb}K" /dev/urandom | base64 -w 76
			printf -- '--%s\nContent-Type: application/zip; name="sao-luu.zip"\n' "$b"
			printf 'Content-Disposition: attachment; filename="sao-luu.zip"\n'
			printf 'Content-Transfer-Encoding: base64\n\n'
			head -c "${att_kb}K" /dev/urandom | base64 -w 76
			printf -- '--%s--\n' "$b"
		} > "$dir/big-$n.eml"
		i=$((i + 1))
	done
}

[ $# -ge 2 ] || usage
case $1 in
replies)
	count=${3:-10}
	is_count "$count" "$MAX_PER_KIND" || usage
	gen_replies "$2" "$count"
	;;
large)
	count=${3:-1}
	mb=${4:-25}
	is_count "$count" "$MAX_LARGE" || usage
	is_count "$mb" "$MAX_MB" || usage
	gen_large "$2" "$count" "$mb"
	;;
*)
	usage
	;;
esac
