"""The one decoder: bytes -> str, deliberately.

Order: a BOM; then valid UTF-8 is UTF-8 whatever the page declares (pages
declared GBK that are really UTF-8: strict GB18030 often decodes them
"successfully" into mojibake such as 缃戠粶鏀诲嚮 for 网络攻击); then a charset
the caller found declared (an HTML meta tag); then strict GB18030 (which covers
GB2312 and GBK). Bytes that are almost all UTF-8 with a few broken sequences
are damaged UTF-8 and are rejected, not read as GB18030; a file cut inside its
last UTF-8 character loses only that character. Bytes that no candidate
decodes strictly are rejected, never guessed into mojibake.
"""
from __future__ import annotations

import codecs
import re

# GB2312 and GBK are subsets of GB18030; decoding them as GB18030 loses nothing.
_GB_ALIASES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# Control bytes that text does not hold (tab, LF, VT, FF, CR are text)
_CONTROL_BYTES = bytes(list(range(0, 9)) + list(range(14, 32)))


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; str(e) is a sentence for a person."""


def normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_ALIASES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB: not text.
    UTF-16/32 with a BOM is text despite its NULs."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises DecodeError with a reason a person understands."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError as e:
                raise DecodeError(f"The file starts with a {enc} byte-order mark but is not valid {enc} (byte {e.start}).") from e
    if looks_binary(data):
        raise DecodeError("The file is binary data, not text (NUL or control bytes).")
    declared_enc = normalise_charset(declared)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.reason == "unexpected end of data":
            # a file cut inside its last character: keep what is there
            return data[: e.start].decode("utf-8"), "utf-8"
        if mostly_utf8(data):
            raise DecodeError(
                f"The text is mostly UTF-8 but has invalid byte sequences (first at byte {e.start})"
                + (f", declared {declared!r}" if declared else "") + "; the file is damaged."
            ) from e
    else:
        return text, "utf-8"  # ASCII reads the same in any declared charset
    candidates = list(dict.fromkeys(c for c in (declared_enc, "gb18030") if c and c != "utf-8"))
    refused = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            refused.append(f"not valid {enc}")
            continue
        why = implausible(text)
        if why is None:
            return text, enc
        refused.append(f"{enc} gives {why}")
    raise DecodeError(
        "The bytes are not valid UTF-8"
        + (f" (declared {declared!r})" if declared else "") + "; " + "; ".join(refused)
        + "; refusing to guess an encoding."
    )


def implausible(text: str) -> str | None:
    """Why `text`, decoded from a charset declared or guessed, is not what a page of
    Chinese text reads as (None: it is plausible). A page declared iso-8859-1 that is
    really GBK reads as runs of Latin-1 symbols (`¹ú¼Ò`); one declared big5, or Shift-JIS
    read as GB18030, reads as ideographs, but rare ones in random order."""
    if not plausible_chinese(text):
        return "rare or private-use characters"
    runs = _LATIN1_HIGH.findall(text)
    n_high = sum(map(len, runs))
    if n_high >= 20 and sum(len(run) for run in runs if len(run) > 1) > 0.5 * n_high:
        return "runs of Latin-1 symbols (Chinese bytes read one by one)"
    ideographs = _IDEOGRAPH.findall(text[:50_000])
    if len(ideographs) >= 50:
        common = sum(1 for c in ideographs if c in COMMON_HANZI)
        if common < MIN_COMMON_SHARE * len(ideographs):
            return f"ideographs of which only {common / len(ideographs):.0%} are common ones"
    return None


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken sequences: valid multibyte characters outnumber
    the broken bytes ten to one. GBK text read as UTF-8 is nearly all broken."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - broken
    return multibyte > 10 * broken


def plausible_chinese(text: str) -> bool:
    """A GB18030 decode of bytes that are not GB text yields rare ideographs,
    private-use and symbol characters; real text is almost all common CJK,
    ASCII and punctuation."""
    if not text:
        return True
    odd = len(_UNCOMMON.findall(text))
    return odd / len(text) < 0.02


# The 500 most frequent characters of modern Chinese (simplified), and the traditional
# forms of the commonest that differ: 69 % or more of the ideographs of every text of
# the corpus (reports, press conferences, 新闻联播) are among them; GBK bytes decoded
# as big5 give 3 %, as EUC-JP 13 %, Shift-JIS bytes decoded as GB18030 fewer still.
COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些"
    "然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公"
    "无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将"
    "组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金"
    "增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类"
    "八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非"
    "验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效"
    "斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
    "國會發經這們說產來時個為對與後開關當義實現進動過應還種從將無點長問題區機業學員體議農黨歷軍報設爭級計據務導邊價幣"
    "變線廣氣節質總書見讓頭論聯選東華語單澤爲"
)
MIN_COMMON_SHARE = 0.3
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_LATIN1_HIGH = re.compile(r"[\u0080-\u00ff]+")
_UNCOMMON = re.compile(r"[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2460-\u24ff\u25a0-\u25ff]")
