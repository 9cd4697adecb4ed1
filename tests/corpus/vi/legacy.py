"""How Vietnamese text looks when typed or sent the old ways, for gen_cases.py.

telex(), vni_keys(), viqr(): the keystrokes of the three input methods,
as they remain in the text when the input method was off ("Tuwf choois",
"Tu72 cho61i", "Tu+` cho^'i"); the tone key follows the vowel's shape
key, as most typists press them.

vni_font(): text typed with a legacy VNI font (VNI-Times): every
character is a byte of the font's private table, a base letter followed
by a mark byte; sent as windows-1252, it reads "Töø choái".

cp1258(): windows-1258, where tone marks are combining bytes after a
base letter that may carry its shape (ư, ô, â ...).

ncr(): what a browser posts from a form in ISO-8859-1: characters outside
Latin-1 become decimal numeric character references (&#7915;).
"""
import unicodedata

SHAPE = {'\u0302': 'circ', '\u0306': 'breve', '\u031b': 'horn'}
TONE = {'\u0301': 'acute', '\u0300': 'grave', '\u0309': 'hook', '\u0303': 'tilde', '\u0323': 'dot'}


def split(ch):
    """(base letter, shape, tone) of one precomposed Vietnamese letter."""
    if ch in 'đĐ':
        return ch, None, None
    d = unicodedata.normalize('NFD', ch)
    base, shape, tone = d[0], None, None
    for m in d[1:]:
        if m in SHAPE:
            shape = SHAPE[m]
        elif m in TONE:
            tone = TONE[m]
    return base, shape, tone


def _ime(word, shape_keys, tone_keys, dd):
    out, tone = '', None
    for ch in word:
        if ch in 'đĐ':
            out += dd if ch == 'đ' else dd.upper()
            continue
        base, shape, t = split(ch)
        out += base
        if shape:
            k = shape_keys[shape]
            out += k.upper() if base.isupper() and k.isalpha() and len(word) > 1 and word.isupper() else k
        if t:
            out += tone_keys[t]
    return out


def telex(text):
    def word(w):
        # Telex doubles the vowel for the circumflex (aa, ee, oo); horn and
        # breve are w; the tone letter is typed last, at the end of the word
        out, tone = '', ''
        for ch in w:
            if ch in 'đĐ':
                out += 'dd' if ch == 'đ' else 'DD'
                continue
            base, shape, t = split(ch)
            out += base
            if shape == 'circ':
                out += base
            elif shape in ('horn', 'breve'):
                out += 'w'
            if t:
                tone = {'acute': 's', 'grave': 'f', 'hook': 'r', 'tilde': 'x', 'dot': 'j'}[t]
        return out + tone
    return ' '.join(word(w) for w in text.split(' '))


def vni_keys(text):
    return ' '.join(_ime(w, {'circ': '6', 'horn': '7', 'breve': '8'},
                         {'acute': '1', 'grave': '2', 'hook': '3', 'tilde': '4', 'dot': '5'}, 'd9')
                    for w in text.split(' '))


def viqr(text):
    return ' '.join(_ime(w, {'circ': '^', 'horn': '+', 'breve': '('},
                         {'acute': "'", 'grave': '`', 'hook': '?', 'tilde': '~', 'dot': '.'}, 'dd')
                    for w in text.split(' '))


# VNI-Windows font table, as windows-1252 characters.
_VNI_TONE_PLAIN = {'acute': 'ù', 'grave': 'ø', 'hook': 'û', 'tilde': 'õ', 'dot': 'ï'}
_VNI_TONE_CIRC = {'acute': 'á', 'grave': 'à', 'hook': 'å', 'tilde': 'ã', 'dot': 'ä'}
_VNI_TONE_BREVE = {'acute': 'é', 'grave': 'è', 'hook': 'ú', 'tilde': 'ü', 'dot': 'ë'}
_VNI_I = {None: 'i', 'acute': 'í', 'grave': 'ì', 'hook': 'æ', 'tilde': 'ó', 'dot': 'ò'}


def _vni_char(ch):
    up = ch.isupper()
    base, shape, tone = split(ch.lower())
    if base == 'đ':
        r = 'ñ'
    elif base == 'i':
        r = _VNI_I[tone]
    elif base == 'y' and tone == 'dot':
        r = 'î'
    elif shape == 'horn':
        r = {'o': 'ô', 'u': 'ö'}[base] + (_VNI_TONE_PLAIN[tone] if tone else '')
    elif shape == 'circ':
        r = base + (_VNI_TONE_CIRC[tone] if tone else 'â')
    elif shape == 'breve':
        r = base + (_VNI_TONE_BREVE[tone] if tone else 'ê')
    elif tone:
        r = base + _VNI_TONE_PLAIN[tone]
    else:
        r = base
    return r.upper() if up else r


def vni_font(text):
    """The windows-1252 bytes of TEXT typed in a VNI font."""
    return ''.join(_vni_char(c) if not c.isascii() or c.lower() in 'aeiouy' else c for c in text).encode('cp1252')


def cp1258(text):
    out = b''
    for ch in unicodedata.normalize('NFC', text):
        try:
            out += ch.encode('cp1258')
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize('NFD', ch)
        # keep the shape on the base letter when windows-1258 has it
        base = unicodedata.normalize('NFC', ''.join(c for c in d if c not in TONE))
        out += base.encode('cp1258') + b''.join(c.encode('cp1258') for c in d if c in TONE)
    return out


def ncr(text):
    return ''.join(c if ord(c) < 256 else '&#%d;' % ord(c) for c in text).encode('iso-8859-1')


def ncr_hex(text):
    return ''.join(c if ord(c) < 128 else '&#x%x;' % ord(c) for c in text).encode('ascii')


# TCVN3 (ABC, TCVN 5712:1993 VN3): the font encoding of ".VnTime" and its
# family; only lower-case letters have toned code points (the ".VnTimeH"
# fonts draw the same bytes as capitals), capitals exist for ă â ê ô ơ ư đ.
_TCVN3 = {c: b for b, c in zip(range(0xA1, 0xAF), 'ĂÂÊÔƠƯĐăâêôơưđ')}
_TCVN3.update({c: b for b, c in zip(range(0xB5, 0xBA), 'àảãáạ')})
_TCVN3.update({c: b for b, c in zip((0xBB, 0xBC, 0xBD, 0xBE, 0xC6), 'ằẳẵắặ')})
_TCVN3.update({c: b for b, c in zip(range(0xC7, 0xCD), 'ầẩẫấậè')})
_TCVN3.update({c: b for b, c in zip((0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8),
                                    'ẻẽéẹềểễếệìỉ')})
_TCVN3.update({c: b for b, c in zip((0xDC, 0xDD, 0xDE, 0xDF), 'ĩíịò')})
_TCVN3.update({c: b for b, c in zip(range(0xE1, 0xF0), 'ỏõóọồổỗốộờởỡớợù')})
_TCVN3.update({c: b for b, c in zip(range(0xF1, 0xFF), 'ủũúụừửữứựỳỷỹýỵ')})


def tcvn3_font(text):
    """The bytes of TEXT typed in a TCVN3 (.VnTime) font; a toned capital is
    typed as its lower-case code, as with the .VnTimeH fonts."""
    out = b''
    for ch in unicodedata.normalize('NFC', text):
        if ch.isascii():
            out += ch.encode()
        elif ch in _TCVN3:
            out += bytes([_TCVN3[ch]])
        else:
            out += bytes([_TCVN3[ch.lower()]])
    return out
