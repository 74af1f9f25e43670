"""The one decoder: bytes -> str, deliberately.

Order: a BOM, then a charset the caller found declared (an HTML meta tag), then
strict UTF-8, then strict GB18030 (which covers GB2312 and GBK). A declared
charset that does not decode cleanly is not trusted (pages declared GBK that
are really UTF-8). Bytes that no candidate decodes strictly are rejected, never
guessed into mojibake.
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


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


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
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises DecodeError with a reason a person understands."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {enc} byte-order mark but is not valid {enc} (byte {e.start})") from e
    if looks_binary(data):
        raise DecodeError("binary data, not text (NUL or control bytes)")
    candidates = []
    enc = normalise_charset(declared)
    if enc:
        candidates.append(enc)
    candidates += [c for c in ("utf-8", "gb18030") if c not in candidates]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "utf-8" or enc == normalise_charset(declared) or plausible_chinese(text):
            return text, enc
    raise DecodeError(
        "not valid text in " + ", ".join(candidates) + (f" (declared {declared!r})" if declared else "")
        + "; refusing to guess"
    )


def plausible_chinese(text: str) -> bool:
    """A GB18030 decode of bytes that are not GB text yields rare ideographs,
    private-use and symbol characters; real text is almost all common CJK,
    ASCII and punctuation."""
    if not text:
        return True
    odd = sum(1 for ch in text if not _COMMON.match(ch))
    return odd / len(text) < 0.02


_COMMON = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2460-\u24ff\u25a0-\u25ff]")
