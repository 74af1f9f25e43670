"""Which strings of a page are text, and which element is the body: rules the
lxml reader keeps from the BeautifulSoup reader it replaced (same output)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sources.html import html_fragment_paragraphs, read_html

DATA = Path(__file__).resolve().parents[1] / "data"
MFA = DATA / "corpus" / "mfa-presscon"


def _page(name: str) -> bytes:
    return (MFA / name).read_bytes()


def _read(raw: bytes, uri: str):
    result = read_html(raw, uri)
    assert not result.rejects, result.rejects
    (doc,) = result.docs
    return doc


def test_ruby_annotation_is_not_text():
    assert html_fragment_paragraphs("<p>林剑：中方<ruby>坚决<rp>(</rp><rt>jiānjué</rt><rp>)</rp></ruby>反对</p>") == [
        "林剑：中方坚决反对"]


def test_comment_inside_a_sentence_neither_shows_nor_splits_it():
    assert html_fragment_paragraphs("<p>华春莹：我注意到<!-- 编辑注 -->你提到的这个情况。</p>") == [
        "华春莹：我注意到你提到的这个情况。"]


def test_hidden_elements_are_not_text():
    fragment = ('<p>林剑：中方坚决反对。</p><p hidden>草稿</p><div style="DISPLAY: none">旧稿</div>'
                '<p style="visibility:hidden">隐藏</p><p style="color:red">共同应对网络安全威胁。</p>')
    assert html_fragment_paragraphs(fragment) == ["林剑：中方坚决反对。", "共同应对网络安全威胁。"]


def test_fragment_without_elements_has_no_paragraphs():
    assert html_fragment_paragraphs("<!-- 更新时间戳 -->") == []


def test_container_commented_out_before_the_real_one_is_not_the_body():
    raw = _page("8")
    decoy = """<body><!-- <div id="News_Body_Txt_A"><p>旧稿</p></div> --><script>var s = '<div id="News_Body_Txt_A">';</script>""".encode()
    doc = _read(raw.replace(b"<body>", decoy, 1), "8-decoy")
    assert doc.text == _read(raw, "8").text
    assert "旧稿" not in doc.text


def test_date_element_text_leaves_out_its_script():
    raw = _page("846").replace(b'name="PubDate"', b'name="x-removed"')
    start = raw.index(b'id="News_Body_Time"')
    raw = raw[:start] + raw[start:].replace(b">", b"><script>document.write('2020-01-01')</script>", 1)
    doc = _read(raw, "846-script-in-date")
    assert (doc.published_date, doc.date_source) == (dt.date(2021, 3, 25), "page:News_Body_Time")


def test_canonical_link_among_several_rel_tokens_gives_the_url():
    raw = _page("8").replace(b'name="Url"', b'name="x-removed"').replace(
        b"</head>", b'<link rel="alternate canonical" href=" https://www.mfa.gov.cn/x.shtml "></head>', 1)
    assert _read(raw, "8-canonical").url == "https://www.mfa.gov.cn/x.shtml"


def test_xml_declaration_naming_another_encoding_does_not_stop_the_parse():
    raw = _page("8")
    doc = _read(b'<?xml version="1.0" encoding="gbk"?>\n' + raw, "8-xml-decl")
    assert doc.encoding == "utf-8"
    assert doc.text == _read(raw, "8").text


def test_stray_closing_html_tag_before_the_body_does_not_lose_the_article():
    raw = _page("8")
    start = raw.index(b'<div class="news-main" id="News_Body_Txt_A">')
    doc = _read(raw[:start] + b"</body></html>\n" + raw[start:], "8-stray-end")
    assert doc.text == _read(raw, "8").text
    assert doc.title == "2024年3月26日外交部发言人林剑主持例行记者会"
