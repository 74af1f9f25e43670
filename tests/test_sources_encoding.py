"""GBK / GB18030 copies of a corpus page read to the same text as the UTF-8 original,
whether the page declares its charset rightly or wrongly."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sources.decode import DecodeError, decode_bytes
from sources.html import read_html, sniff_declared_charset
from sources.registry import read_file

DATA = Path(__file__).resolve().parents[1] / "data"
PAGE = DATA / "corpus" / "mfa-presscon" / "846"   # template A, inline-tag splits, a table
UTF8_CHARSET = re.compile(rb"charset=([\"']?)utf-8", re.I)


def _declare(raw: bytes, charset: str) -> bytes:
    return UTF8_CHARSET.sub(rb"charset=\g<1>" + charset.encode(), raw)


def _reencode(raw: bytes, codec: str) -> bytes:
    # characters the codec lacks become &#NNNN; references, which parse back to the same text
    return raw.decode("utf-8").encode(codec, errors="xmlcharrefreplace")


@pytest.fixture(scope="module")
def original():
    (doc,) = read_html(PAGE.read_bytes(), "846").docs
    return doc


@pytest.mark.parametrize("codec, declared", [
    ("gbk", "gbk"),            # declared rightly
    ("gbk", "gb2312"),         # declared as the subset: read as GB18030 all the same
    ("gb18030", "gb18030"),
    ("gbk", None),             # left declaring UTF-8: wrong, the UTF-8 decode fails and GB18030 is tried
    ("gb18030", None),
])
def test_gb_copy_reads_to_the_same_text_as_the_utf8_page(original, codec, declared):
    raw = _reencode(PAGE.read_bytes(), codec)
    if declared:
        raw = _declare(raw, declared)
        assert sniff_declared_charset(raw) == declared
    else:
        assert sniff_declared_charset(raw).lower() == "utf-8"
    (doc,) = read_html(raw, "846-copy").docs
    assert doc.encoding == "gb18030"
    assert doc.text == original.text
    assert doc.title == original.title == "2021年3月25日外交部发言人华春莹主持例行记者会"


def test_utf8_page_declared_gbk_is_still_read_as_utf8(original):
    raw = _declare(PAGE.read_bytes(), "gbk")
    (doc,) = read_html(raw, "846-wrong").docs
    assert doc.encoding == "utf-8"
    assert doc.text == original.text


def test_short_utf8_text_declared_gbk_is_not_turned_into_mojibake():
    # strict GB18030 decodes these UTF-8 bytes "successfully": 网络攻击 -> 缃戠粶鏀诲嚮
    assert "网络攻击".encode("utf-8").decode("gb18030") == "缃戠粶鏀诲嚮"
    assert decode_bytes("网络攻击".encode("utf-8"), "gbk") == ("网络攻击", "utf-8")


def test_gbk_file_without_declaration_is_read_by_registry(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(_reencode(PAGE.read_bytes(), "gbk"))
    (doc,) = read_file(path).docs
    assert doc.encoding == "gb18030"
    assert "现总统萨苏在选举中获得88.57%选票" in doc.text


def test_bom_is_honoured_over_a_declaration():
    text, encoding = decode_bytes(b"\xef\xbb\xbf" + "外交部".encode("utf-8"), "gbk")
    assert (text, encoding) == ("外交部", "utf-8")
    text, encoding = decode_bytes("\ufeff外交部".encode("utf-16-le"))
    assert (text, encoding) == ("外交部", "utf-16-le")


def test_damaged_utf8_is_rejected_not_read_as_gb18030():
    good = "林剑：中方坚决反对并打击各种形式的网络攻击，共同应对网络安全威胁。".encode("utf-8") * 3
    damaged = bytearray(good)
    damaged[10] = 0x41
    with pytest.raises(DecodeError, match="mostly UTF-8"):
        decode_bytes(bytes(damaged))


def test_file_cut_inside_its_last_character_keeps_the_rest():
    assert decode_bytes("主持例行记者会".encode("utf-8")[:-1]) == ("主持例行记者", "utf-8")
