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
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == declared_enc or plausible_chinese(text):
            return text, enc
    raise DecodeError(
        "The bytes are not valid text in " + ", ".join(["utf-8", *candidates])
        + (f" (declared {declared!r})" if declared else "") + "; refusing to guess an encoding."
    )


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


_UNCOMMON = re.compile(r"[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2460-\u24ff\u25a0-\u25ff]")
