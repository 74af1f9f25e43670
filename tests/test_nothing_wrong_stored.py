"""What cannot be read right is refused, never stored wrong: declared charsets that read
as mojibake, pages nested past libxml2's limit or with no body, JSON arrays."""
from __future__ import annotations

import json

import pytest

from sources.decode import DecodeError, decode_bytes, implausible, normalise_charset
from sources.html import read_html
from sources.jsonl import read_jsonl

# Foreign Ministry press conference, as the pages have it
ARTICLE = "<p>外交部发言人林剑主持例行记者会,介绍了近期中国同有关国家交往的情况。</p><p>记者提问后,发言人逐一作了回答。</p>"


def page(body: str, charset: str = "utf-8") -> str:
    return f'<html><head><meta charset="{charset}"><title>例行记者会</title></head><body>{body}</body></html>'


@pytest.mark.parametrize("declared", ["iso-8859-1", "big5", "windows-1252", "shift_jis"])
def test_a_gbk_page_that_declares_another_charset_is_read_as_gbk_and_flagged(declared):
    res = read_html(page(ARTICLE * 2, declared).encode("gbk"), "p.html")
    assert not res.rejects
    doc = res.docs[0]
    assert doc.encoding == "gb18030" and "外交部发言人林剑" in doc.text
    assert doc.flags == [f"charset_not_{normalise_charset(declared)}"]


def test_a_page_truly_in_its_declared_big5_is_read_as_big5_without_a_flag():
    text = "外交部發言人主持例行記者會，就中方立場回答記者提問。" * 3
    doc = read_html(page(f"<p>{text}</p>", "big5").replace("例行记者会", "例行記者會").encode("big5"), "b.html").docs[0]
    assert doc.encoding == "big5" and doc.flags == [] and "外交部發言人" in doc.text


def test_japanese_in_shift_jis_is_refused_not_read_as_gb18030():
    data = "日本政府は本日、新しい経済政策を発表しました。".encode("shift_jis") * 5
    with pytest.raises(DecodeError, match="common"):
        decode_bytes(data)


def test_latin1_text_with_accents_stays_plausible():
    assert implausible("Élève à l'école de Größe, café crème." * 10) is None


def test_300_unclosed_tags_no_longer_lose_the_rest_of_the_page():
    doc = read_html(page("<div>" * 300 + ARTICLE).encode(), "deep.html").docs[0]
    assert doc.text.endswith("记者提问后,发言人逐一作了回答。")


def test_a_page_nested_past_the_parser_limit_is_rejected_too_deep():
    res = read_html(page("<div>" * 5000 + ARTICLE).encode(), "deeper.html")
    assert [r.reason for r in res.rejects] == ["too_deep"] and not res.docs


def test_a_navigation_only_page_is_no_body_not_a_two_character_article():
    res = read_html(page('<nav><a href="/">首页</a></nav><div><a href="/en">English</a></div>').encode(), "nav.html")
    assert [r.reason for r in res.rejects] == ["no_body"]


def test_a_reference_to_a_control_character_does_not_cut_the_page():
    res = read_html(page("<p>&#27;&#x0C;</p>" + ARTICLE).encode(), "c.html")  # libxml2 stopped at the first
    assert res.docs and res.docs[0].text == read_html(page(ARTICLE).encode(), "d.html").docs[0].text
    assert "外交部发言人林剑" in res.docs[0].text and "\x1b" not in res.docs[0].text


def test_a_json_array_file_is_read_record_by_record():
    records = [{"title": "一", "content": "国务院新闻办公室举行发布会。"}, "not a record",
               {"title": "三", "content": "外交部发言人主持例行记者会。"}]
    res = read_jsonl(json.dumps(records, ensure_ascii=False).encode(), "a.json")
    assert [(d.source_uri, d.title) for d in res.docs] == [("a.json#item-1", "一"), ("a.json#item-3", "三")]
    assert [(r.source_uri, r.reason) for r in res.rejects] == [("a.json#item-2", "bad_json")]


def test_a_json_line_nested_past_pythons_stack_is_one_bad_line():
    data = ('{"title": "t", "content": "国务院新闻办公室举行发布会。"}\n' + "[" * 100_000 + "]" * 100_000).encode()
    res = read_jsonl(data, "n.jsonl")
    assert len(res.docs) == 1 and [(r.source_uri, r.reason) for r in res.rejects] == [("n.jsonl#line-2", "bad_json")]
