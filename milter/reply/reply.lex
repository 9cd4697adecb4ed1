# reply.lex - the words the reply analysis reads (links-milter, reply_lex(3))
#
# Installed as $(pkgdatadir)/reply.lex and built into the program as well;
# the reply_lexicon option of links.conf names more files in this format,
# read after this one. Each entry is one phrase on a line, under the last
# [section] header. Write words as customers write them, with or without
# diacritics: every phrase is compared through its key (lower case, marks
# removed, "đ" as "d"), so "Từ chối", "từ chối" and "tu choi" are one entry.
# "*" stands for up to four words ("xóa * khỏi danh sách" also reads
# "xóa tên tôi khỏi danh sách"); a number in a reply reads "0" ("0 lần"
# also reads "3 lần"). The longest phrase wins where phrases
# overlap. Lines starting with "#" are comments. Mind that keys of
# Vietnamese words may be English words ("thẻ" is "the", "gõ" is "go"):
# write such words in a phrase ("thẻ tín dụng") rather than alone.
#
# Sections:
#   [intent FAMILY FLAG...]  ways to ask us to stop. FAMILY names the rule
#       in the verdict's reason ("command:dung_gui"): tu_choi,
#       huy_dang_ky, dung_gui, khong_nhan, xoa_danh_sach. FLAGS:
#       imperative  a request by its form (asked as a question it is still
#                   a request: "đừng gửi nữa được không?")
#       weak        counts only with an object (our mail or a kind of it)
#                   or a "more" word after it ("không nhận email quảng cáo",
#                   "không nhận nữa"), never alone ("không nhận")
#       request     counts only after a request word ("vui lòng không gửi")
#       alone       counts only when the clause holds nothing else
#                   ("Stop.", "STOP ✋"; not "stop by our office")
#       strict      the word right after it must be one of the lexicon's
#                   (an object, a particle, ...): "từ chối trả phí",
#                   "hủy đăng ký tên miền" refuse something else
#   [object CATEGORY]   what is refused: a category of links.conf's table
#       (promotion, survey, maintenance), "mail" (our mail, no kind
#       named) or "other" (something that is not our mail: a payment, a
#       call, a contract; a refusal of it is not a refusal of mail)
#   [negation] [passive] [question] [manner] [permission] [request]
#   [condition] [condition-ok] [purpose] [mention] [redirect] [neutral]
#   [more] [subordinate] [break] [preference] [complaint] [ask]
#       the scope words of a clause (see reply_clause(3))
#   [particle] [filler] [courtesy] [emotive]   words that carry nothing
#       a person must answer
#   [greeting] [closing] [app-signature] [disclaimer] [signature]
#       lines that are not the customer's message
#   [auto-reply-prefix] [reply-prefix] [calendar-prefix]   Subject prefixes
#   [keep]  words never read as input-method keys ("how" is not Telex "ho")
#   [same-as WORD]  spellings that stand for WORD ("ko", "hok" for "không"):
#       every phrase after them and every word of a reply reads them as
#       WORD, so one phrase covers them all. They come first.


[same-as không]
ko
k
kg
kh
khg
khong
hok
hong
hông
hổng
khum
hem
kô
ko0
k0

[same-as muốn]
mún
mu0n

[same-as nữa]
nx
nua

[same-as được]
dc
đc
đuợc

[same-as email]
mail
mails
emails
e-mail
e-mails

[same-as hủy]
huỷ

[same-as xóa]
xoá

[same-as tôi]
tui
mk

[same-as gì]
j

[intent tu_choi strict]
từ chối
refuse
từ trối
tu choi
từ chối nhận
# the space lost on a phone keyboard
từchối

[intent huy_dang_ky strict]
hủy đăng ký
huỷ đăng ký
hủy đăng kí
huỷ đăng kí
hủy bỏ đăng ký
hủy đk
huy dk
hủy đăng ký nhận
bỏ đăng ký
hủy nhận
hủy nhận tin
# stop the subscription: the other verbs of stopping before "đăng ký"
ngừng đăng ký
ngưng đăng ký
dừng đăng ký
thôi đăng ký
hủy theo dõi
bỏ theo dõi
ngừng theo dõi
cancel my subscription
cancel subscription
end my subscription
unsubscribed
hủy đăng ký theo dõi
unsubscribe
unsubcribe
unsubscibe
unsubsribe
unsubscrib
unsub
unsubscribe me
opt out
opt-out
optout
opt me out
sign me out

[intent dung_gui imperative]
ngừng gửi
ngưng gửi
dừng gửi
đừng gửi
thôi gửi
khỏi gửi
cấm gửi
ngừng gởi
ngưng gởi
dừng gởi
đừng gởi
thôi gởi
khỏi gởi
đừng có gửi
đừng có gởi
đừng gửi thêm
ngừng * gửi
dừng việc gửi
dừng ngay việc gửi
chấm dứt * gửi
chấm dứt gửi
đừng spam
ngừng spam
thôi spam
đừng làm phiền
đừng quấy rầy
stop sending
stop emailing
stop mailing
stop contacting
stop messaging
stop spamming
stop the emails
stop these emails
stop all emails
quit sending
cease sending
don't send
dont send
do not send
don't email
dont email
do not email
don't contact
do not contact
never email
không cần gửi
không cần gởi
không phải gửi

[intent dung_gui imperative request]
không gửi
ko gửi
không gởi
not send

[intent dung_gui imperative alone]
stop
remove
dừng lại
dừng
ngừng
ngưng
thôi đi

[intent khong_nhan]
ngừng nhận
ngưng nhận
dừng nhận
thôi nhận
stop receiving
stop getting
không có nhu cầu nhận
ko có nhu cầu nhận
không có nhu cầu nhận thêm
không muốn nhận
không muốn nhận thêm
không muốn tiếp tục nhận
không còn muốn nhận
không cần nhận
không thích nhận
không đồng ý nhận
ko muốn nhận
k muốn nhận
kg muốn nhận
không mún nhận
ko mún nhận
hok mún nhận
hok muốn nhận
hông muốn nhận
hổng muốn nhận
khum muốn nhận
chẳng muốn nhận
chả muốn nhận
không muốn được nhận
# "do not want to be bothered": what bothers is named, or it is our mail
không muốn bị làm phiền
không muốn bị quấy rầy
ko muốn bị làm phiền
rút lại sự đồng ý
rút lại đồng ý
rút lại sự chấp thuận
xin phép không nhận
no longer want
no longer wish
no longer wish to receive
no longer want to receive
don't want to receive
do not want to receive
don't wish to receive
do not wish to receive
withdraw my consent
withdraw consent
revoke my consent

[intent xoa_danh_sach imperative weak]
xóa giúp
xoá giúp
xóa giùm
xóa dùm
xoá giùm
gỡ giúp

[intent khong_nhan weak]
không có nhu cầu
ko có nhu cầu
không nhận
ko nhận
k nhận
kg nhận
hok nhận
hông nhận
khum nhận
chẳng nhận
không tham gia
thì thôi
thôi không nhận
phản đối
phản đối việc
object to
no more
don't want
do not want
dont want
don't need
do not need

[intent dung_gui imperative weak]
cắt
cắt giúp
cắt giùm
tắt
tắt giúp
tắt giùm
tắt hết
turn off
switch off

[intent xoa_danh_sach imperative]
xóa * khỏi danh sách
xoá * khỏi danh sách
gỡ * khỏi danh sách
loại * khỏi danh sách
bỏ * khỏi danh sách
cho * ra khỏi danh sách
đưa * ra khỏi danh sách
rút * khỏi danh sách
xóa * khỏi ds
gỡ * khỏi ds
cho * ra khỏi ds
xóa tên tôi
xóa tên em
xóa địa chỉ email của tôi
gỡ địa chỉ email của tôi
# the address named as the object: "gỡ địa chỉ email của tôi khỏi danh sách"
xóa địa chỉ * khỏi danh sách
xoá địa chỉ * khỏi danh sách
gỡ địa chỉ * khỏi danh sách
loại địa chỉ * khỏi danh sách
bỏ địa chỉ * khỏi danh sách
đưa địa chỉ * ra khỏi danh sách
xóa địa chỉ * khỏi hệ thống
gỡ địa chỉ * khỏi hệ thống
xóa email của tôi
xóa * khỏi hệ thống
xoá * khỏi hệ thống
gỡ * khỏi hệ thống
xóa * khỏi dữ liệu
xóa * khỏi cơ sở dữ liệu
loại * khỏi hệ thống
remove me
be removed from
removed from * list
remove my email
remove my address
remove * from * list
remove * from * mailing list
take me off
take * off * list
take * off * mailing list
delete me from
unlist me

[object promotion]
quảng cáo
qc
khuyến mãi
khuyến mại
ưu đãi
marketing
tiếp thị
giới thiệu sản phẩm
sản phẩm mới
bản tin
tin khuyến mãi
sự kiện
newsletter
newsletters
promotion
promotions
promotional
promo
promos
offer
offers
deal
deals
advertising
advertisement
advertisements
ads

[object survey]
khảo sát
phiếu khảo sát
khảo sát ý kiến
đánh giá
survey
surveys
questionnaire
questionnaires
poll
polls
feedback

[object maintenance]
bảo trì
nâng cấp
thông báo bảo trì
maintenance

[object mail]
email
emails
e-mail
e-mails
mail
mails
thư
thư điện tử
tin
tin nhắn
tin tức
thông tin
thông báo
spam
message
messages
emails like this
những email như thế này
loại email này

[object other]
sms
otp
mã otp
mã xác thực
mail server
email server
server
máy chủ mail
máy chủ email
tin sms
tin nhắn sms
tin nhắn điện thoại
tin nhắn zalo
zalo
text message
text messages
thư giấy
thư bưu điện
trả
trả thêm
phí
chi phí
tiền
hàng
hàng hóa
kiện hàng
bưu phẩm
đơn
tài khoản
điều khoản
báo giá
truy cập
fee
fees
charge
charges
price
pay
account
thanh toán
giao dịch
cuộc gọi
gọi điện
điện thoại
hợp đồng
gia hạn
dịch vụ
gói cước
gói
cước
hóa đơn
hoá đơn
hóa đơn giấy
trách nhiệm
lời mời
cuộc họp
họp
thẻ tín dụng
thẻ ngân hàng
thẻ atm
đơn hàng
tên miền
hosting
vps
máy chủ
payment
payments
call
calls
contract
renewal
invoice
invoices
service
plan
card
invitation
meeting
order

[negation]
không
ko
k
kg
kh
khg
hok
hông
hổng
khum
chưa
chẳng
chả
đâu có
không phải
không phải là
chưa bao giờ
không bao giờ
không hề
chưa từng
đừng
not
never
don't
dont
do not
didn't
did not
doesn't
does not
haven't
have not
won't
don't want
do not want
dont want
don't need
do not need

[passive]
bị
was
were
been
# a mail service or a machine as the one who refuses: what it refuses is
# refused to the customer ("Gmail từ chối email của LINKS", "hệ thống từ
# chối đăng nhập"), never the customer's refusal
gmail
outlook
hotmail
yahoo
hệ thống
máy chủ
server
ngân hàng
tường lửa
firewall
bộ lọc
bộ lọc spam
spam filter

[ask]
hỏi
cho hỏi
xin hỏi
muốn hỏi
cho tôi hỏi
cho em hỏi
thắc mắc
ask
question

[question]
sao
tại sao
vì sao
thế nào
như thế nào
làm sao
làm thế nào
ở đâu
khi nào
bao giờ
là gì
là sao
gì
có phải
phải không
đúng không
được không
chưa nhỉ
why
how
what
where
when
who
which
is it
are you
do i
does it

[manner]
sao
tại sao
vì sao
thế nào
như thế nào
làm sao
làm thế nào
cách
cách nào
ở đâu
là gì
là sao
hướng dẫn
how
why
what
where
how do i
how can i
how to

[permission]
tôi có thể
em có thể
mình có thể
có thể nào
tôi có được
can i
may i
could i
should i
is it possible
am i able

[request]
xin
vui lòng
làm ơn
đề nghị
yêu cầu
mong
hãy
giúp
giùm
dùm
hộ
giúp tôi
giúp em
please
pls
plz
kindly
could you
can you
would you
will you
i want to
i would like to
i'd like to
tôi muốn
em muốn
mình muốn
tui muốn
cho tôi
cho em
cho mình
xin phép

[condition]
nếu
nếu như
giả sử
giả như
trong trường hợp
lỡ như
if
unless
in case
suppose

[condition-ok]
nếu có thể
nếu được
nếu không phiền
if possible
if you can
if you could

[purpose]
để
nhằm
in order to
so that

[mention]
trả lời
nút
chữ
cụm từ
từ khóa
nội dung
lời
ghi
bấm
nhấn
chọn
reply
replied
replying
the word
the words
click
button

[redirect]
địa chỉ mới
email mới
mail mới
gửi sang
chuyển sang
thay vào đó
new address
new email
instead
địa chỉ khác
hộp thư khác
hộp thư mới
gmail cá nhân
email cá nhân
mail cá nhân
another address
different address
other address
personal email
personal address

[neutral]
không thể
chưa thể
can't
cannot
can not
unable to
couldn't
could not
đừng gọi điện
đừng gọi điện thoại
ngừng gọi điện
không gọi điện
stop calling
từ chối trách nhiệm
tuyên bố từ chối
lời từ chối
không nhận được
ko nhận được
k nhận được
không nhận đc
ko nhận đc
chưa nhận được
nhận được
không gửi được
không thể gửi
không muốn bỏ lỡ
stop by

[more]
nữa
nx
thêm
tiếp
tiếp tục
anymore
any more
again

[subordinate]
vì
bởi vì
tại vì
because
since

[break]
nhưng mà
tuy nhiên
còn
riêng
but
however

[preference]
nhận
nhận được
gửi
gởi
receive
receiving
send
sending
keep
coming
get
getting

[complaint]
vẫn nhận email
dù đã
mặc dù đã
still getting
still receiving
still get
vẫn nhận
vẫn nhận được
vẫn còn nhận
vẫn tiếp tục
tiếp tục gửi
lại gửi
nhiều lần
gửi hoài
gửi mãi
still
keep getting
keep receiving
again

[particle]
hoàn toàn
vĩnh viễn
mãi mãi
completely
permanently
luôn nhé
thông cảm
mong anh chị thông cảm
ạ
nhé
nhe
nha
nghe
nghen
nhen
nhá
hen
ha
đi
luôn
giúp
giùm
dùm
hộ
với
thôi
ngay
ngay lập tức
liền
please
pls
plz
now
ok
okay
oke
vâng
dạ
ừ
vậy
nhỉ
chứ
mà
nè
hết
đây
đó
rồi
lắm
thanks
thank you
cảm ơn
cám ơn
xin cảm ơn
em cảm ơn
regards
asap
right now
lần
0 lần
nhiều lần
mấy lần
bao lần
twice
0 times
several times
many times
multiple times
đã nhận
đã nhận được
em đã nhận được
đã rõ
noted
received
well received
got it
immediately

[filler]
tôi
em
mình
tui
tớ
con
cháu
anh
chị
bạn
ad
admin
anh chị
các bạn
bên bạn
links
công ty
quý công ty
cho
đến
tới
vào
về
của
các
những
mọi
tất cả
cái
này
kể từ
từ
từ nay
từ giờ
từ bây giờ
từ nay về sau
hôm nay
ngày hôm nay
bất kỳ
nào
địa chỉ
địa chỉ này
hộp thư
i
me
my
we
us
our
you
your
the
this
these
that
those
it
them
any
all
more
from
to
of
for
at
on
me from
list
mailing list
address

[courtesy]
cảm ơn
cám ơn
xin cảm ơn
em cảm ơn
tôi cảm ơn
mình cảm ơn
dạ em cảm ơn
thanks
thank you
thanks a lot
many thanks
thx
tks
ty
merci
chúc
chúc anh chị
chúc quý công ty

[emotive]
spam quá
phiền quá
phiền
bực mình
bực
chán
mệt
ghê
quá
trời
trời ơi
thật
lắm
spam
annoying
so annoying
ugh
omg

[greeting]
chào
xin chào
kính gửi
kính chào
thân gửi
gửi anh
gửi chị
gửi em
gửi bạn
gửi các bạn
gửi links
gửi quý công ty
gửi công ty
gửi bộ phận
gửi phòng
gửi ban
gửi team
gửi đội
chào anh
chào chị
chào bạn
chào links
anh chị ơi
ad ơi
admin ơi
links ơi
dear
hi
hello
hey
good morning
good afternoon
good evening

[closing]
trân trọng
thân ái
kính thư
thân
trân trọng cảm ơn
best regards
regards
kind regards
warm regards
best
cheers
sincerely
yours sincerely
yours truly
thanks
thank you
cảm ơn
xin cảm ơn
em cảm ơn
many thanks

[app-signature]
sent from
sent with
sent via
sent using
sent from my
get outlook for
nhận outlook cho
tải outlook cho
được gửi từ
gửi từ
đã gửi từ
gửi bằng
gửi từ điện thoại
gửi từ iphone
envoyé de
envoyé depuis
von meinem
enviado desde

[disclaimer]
tuyên bố từ chối trách nhiệm
tuyên bố miễn trừ trách nhiệm
miễn trừ trách nhiệm
bảo mật
thông tin mật
người nhận
chỉ dành cho
nhầm lẫn
do nhầm lẫn
xóa thư
xóa email
thông báo cho người gửi
tệp đính kèm
miễn trừ
từ chối trách nhiệm
confidential
confidentiality
intended recipient
disclaimer
privileged
unauthorized
prohibited
notify the sender
attachments

[signature]
giám đốc
phó giám đốc
tổng giám đốc
trưởng phòng
phó phòng
kế toán trưởng
kế toán
nhân viên
chuyên viên
trợ lý
phòng
công ty
cty
tnhh
cổ phần
jsc
co
ltd
corp
tm
manager
director
ceo
cto
engineer
sales
đt
tel
mobile
mob
m
phone
fax
website
www
hotline
address
địa chỉ

[auto-reply-prefix]
trả lời tự động
tự động trả lời
phản hồi tự động
thư trả lời tự động
thư tự động
automatic reply
auto reply
auto-reply
autoreply
auto response
auto-response
autoresponse
out of office
out of the office
ooo
vắng mặt
đang vắng mặt
thư vắng mặt
nghỉ phép
abwesenheitsnotiz
automatische antwort
réponse automatique
absence
risposta automatica
respuesta automática
fuera de la oficina

[reply-prefix]
re
fw
fwd
tl
tr
trả lời
chuyển tiếp
phản hồi
aw
wg
sv
vs
antw
ref
rif
odp
res

[calendar-prefix]
đã từ chối
declined
đã chấp nhận
accepted
tentative
đã chấp nhận tạm thời

[keep]
how
now
new
news
saw
was
were
who
why
what
when
where
show
know
allow
below
follow
low
law
few
view
we
wow
own
down
town
draw
raw
row
bow
aw
ow
wa
email
emails
