#!/bin/sh
# NAME
#	sender-preview.sh - links-sender preview, opened in headless Chromium
# DESCRIPTION
#	Staff preview a maintenance notice (HTML template) and a staff
#	message (text only) for a sample customer: `links-sender preview`
#	writes preview.txt and preview.html and records nothing. Headless
#	Chromium (a fresh profile, no network, no extensions) opens each
#	HTML file: its DOM must hold the preview banner (From, To, Subject),
#	the customer's greeting, the service shown by its name (VPS), the
#	footer saying maintenance notices continue, and the --set values
#	escaped as text; the screenshot must be a real rendering (a PNG of
#	the window's size whose pixels include the banner's colour). The
#	screenshots are kept in tests/artifacts/ of the build tree. With
#	--browser, $BROWSER is run on the HTML file. Skips without chromium
#	or python3.
. "$top_srcdir/tests/sender-lib.sh"
lt_need_tool chromium
[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3) || lt_skip "python3 is not installed"
command -v sqlite3 >/dev/null 2>&1 || lt_skip "sqlite3 is not installed"
ART=$top_builddir/tests/artifacts
mkdir -p "$ART"

st_setup sender-preview
cat > "$LT_TMP/c.csv" <<'CSV'
email,name,phone,source,service_type,service_ref,contract_status,started_at,ended_at
an.nguyen@example.vn,Nguyễn Văn An,,portal,vps,VPS-1,active,2024-01-01,
binh.tran@example.vn,Trần Thị Bình,,portal,hosting,HOST-2,active,2024-01-01,
CSV
st_import "$LT_TMP/c.csv"
S="$SENDER -c $CONF"
DB=$LT_TMP/store/links.db

# shot HTML PNG DOM: Chromium's screenshot and DOM of HTML
shot() {
	prof=$(mktemp -d "$LT_TMP/profile.XXXXXX")
	set -- "$1" "$2" "$3" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --window-size=900,1400 --hide-scrollbars
	html=$1 png=$2 dom=$3
	shift 3
	timeout 120 chromium "$@" --screenshot="$png" "file://$html" >"$LT_TMP/chromium.log" 2>&1 \
		|| { tail -5 "$LT_TMP/chromium.log"; lt_fail "chromium --screenshot of $html"; }
	timeout 120 chromium "$@" --dump-dom "file://$html" >"$dom" 2>>"$LT_TMP/chromium.log" \
		|| { tail -5 "$LT_TMP/chromium.log"; lt_fail "chromium --dump-dom of $html"; }
	rm -rf "$prof"
}

# rendered PNG: a 900x1400 PNG with the banner's background colour in it
rendered() {
	"$PYTHON3" - "$1" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ctype in (2, 6), 'colour type %d' % ctype
        bpp = 3 if ctype == 2 else 4
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
assert (w, h) == (900, 1400), 'size %dx%d' % (w, h)
raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
for y in range(min(h, 400)):	# the banner and the first lines
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pr = a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c
        line[i] = (line[i] + (0, a, b, (a + b) // 2, pr)[f]) & 255
    rows.append(line)
    prev = line
colours = set()
for line in rows[::7]:
    for x in range(0, w, 7):
        colours.add(tuple(line[x * bpp:x * bpp + 3]))
assert (255, 255, 221) in colours, 'no banner colour: %d colours' % len(colours)
assert len(colours) > 20, 'only %d colours: not text' % len(colours)
print('%dx%d, %d colours sampled' % (w, h, len(colours)))
PY
}

before=$(sqlite3 "$DB" 'SELECT (SELECT count(*) FROM campaigns) || " " || (SELECT count(*) FROM msglog)')
$S preview --category maintenance --template maintenance --service-type vps \
	--set "window=22:00 01/12 - 02:00 02/12" --set "impact=<b>30 phút</b> & chậm" \
	--outdir "$LT_TMP/p1" > "$LT_TMP/p1.out" 2>&1 || { cat "$LT_TMP/p1.out"; lt_fail "preview"; }
cat "$LT_TMP/p1.out"
[ -s "$LT_TMP/p1/preview.txt" ] && [ -s "$LT_TMP/p1/preview.html" ] || lt_fail "no preview files"
grep -q "^Subject: Thông báo bảo trì VPS$" "$LT_TMP/p1/preview.txt" || lt_fail "preview.txt subject"
grep -q "^-- $" "$LT_TMP/p1/preview.txt" || lt_fail "preview.txt has no footer"
grep -q "<b>30 phút</b> & chậm" "$LT_TMP/p1/preview.txt" || lt_fail "the text shows the value as given"
[ "$(sqlite3 "$DB" 'SELECT (SELECT count(*) FROM campaigns) || " " || (SELECT count(*) FROM msglog)')" = "$before" ] \
	|| lt_fail "preview recorded something"
lt_ok "preview wrote preview.txt and preview.html, recorded nothing"

shot "$LT_TMP/p1/preview.html" "$ART/sender-preview-maintenance.png" "$LT_TMP/p1.dom"
for want in 'class="links-preview"' 'Subject: Thông báo bảo trì VPS' 'Kính gửi Nguyễn Văn An' \
	'dịch vụ <b>VPS</b>' 'thông báo bảo trì dịch vụ Quý khách đang dùng vẫn' \
	'&lt;b&gt;30 phút&lt;/b&gt; &amp; chậm' 'class="links-footer"'; do
	grep -qF "$want" "$LT_TMP/p1.dom" || lt_fail "Chromium's DOM lacks: $want"
done
rendered "$ART/sender-preview-maintenance.png" || lt_fail "the screenshot is not a rendering"
lt_ok "Chromium renders the maintenance preview (banner, VPS, footer, escaped values); screenshot kept"

$S preview --category staff --template staff --from "Phạm Thị Lan <lan.pham@ilinks.asia>" \
	--to binh.tran@example.vn --set "subject=Lịch hẹn" --set "body=Chào chị <Bình>" \
	--set "signature=Lan" --outdir "$LT_TMP/p2" > "$LT_TMP/p2.out" 2>&1 \
	|| { cat "$LT_TMP/p2.out"; lt_fail "preview of staff mail"; }
shot "$LT_TMP/p2/preview.html" "$ART/sender-preview-staff.png" "$LT_TMP/p2.dom"
grep -qF 'Chào chị &lt;Bình&gt;' "$LT_TMP/p2.dom" || lt_fail "the text-only preview is not escaped text"
grep -qF 'From: lan.pham@ilinks.asia' "$LT_TMP/p2.dom" || lt_fail "the staff member's address"
rendered "$ART/sender-preview-staff.png" || lt_fail "the staff screenshot is not a rendering"
lt_ok "a text-only template previews as HTML text; screenshot kept"

# --browser runs $BROWSER on the HTML file.
cat > "$LT_TMP/browser" <<EOF
#!/bin/sh
echo "\$1" > "$LT_TMP/opened"
EOF
chmod +x "$LT_TMP/browser"
BROWSER="$LT_TMP/browser" $S preview --category staff --template staff \
	--from "Phạm Thị Lan <lan.pham@ilinks.asia>" --to binh.tran@example.vn --set subject=x \
	--set body=y --set signature=z --outdir "$LT_TMP/p3" --browser > "$LT_TMP/p3.out" 2>&1 \
	|| { cat "$LT_TMP/p3.out"; lt_fail "preview --browser"; }
[ "$(cat "$LT_TMP/opened")" = "$LT_TMP/p3/preview.html" ] || lt_fail "\$BROWSER was not run on the file"
BROWSER= $S preview --category staff --template staff --from "Lan <lan.pham@ilinks.asia>" \
	--to binh.tran@example.vn --set subject=x --set body=y --set signature=z --browser \
	--outdir "$LT_TMP/p4" > "$LT_TMP/p4.out" 2>&1
[ $? -eq 78 ] && grep -q "BROWSER is not set" "$LT_TMP/p4.out" || lt_fail "no \$BROWSER: $(cat "$LT_TMP/p4.out")"
lt_ok "--browser opens the HTML with \$BROWSER (exit 78 and a message without it)"
exit 0
