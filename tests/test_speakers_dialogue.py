"""Interviews and dialogues beyond `问:/答:`: a guest list (`【对话人】`, `本期嘉宾:`)
introduces the people with organisation and titles, name first or last; turns
labelled by full name, short name or surname, and `主持人:` turns, resolve to a full
person. The layout is written here after the 人民日报 dialogue pages (a look-alike of
our own, not a copied page)."""
from __future__ import annotations

from tests.test_speakers import frames
from transforms.speakers import attribute_speakers

DIALOGUE = [
    "稳增长政策如何发力",
    "【对话人】",
    "杨立军 国务院发展研究中心宏观经济研究部研究员",
    "国家统计局副局长 盛来运",
    "主持人:本报记者 李华",
    "主持人:今年以来,宏观政策持续发力,怎么看当前经济形势?",
    "盛来运:上半年国内生产总值同比增长5.0%,经济运行总体平稳。",
    "杨:从需求看,消费对经济增长的贡献率达到60.5%。",
    "我们认为下半年还会继续改善。",
    "主持人:下一步政策的着力点在哪里?",
    "杨立军:关键是扩大有效需求。",
]


def test_guest_list_and_short_labels_resolve_every_turn_to_a_full_person():
    paragraphs, documents = frames(DIALOGUE, headings=(1,))
    out, turns, people = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["李华", "盛来运", "杨立军", "李华", "杨立军"]
    assert turns["speaker_role"].to_list() == ["host", "official", "other", "host", "other"]
    got = {p["name"]: (p["role"], p["organization"], p["titles"]) for p in people.to_dicts()}
    assert got == {
        "李华": ("host", None, ["主持人"]),
        "盛来运": ("official", "国家统计局", ["副局长"]),
        "杨立军": ("other", "国务院发展研究中心宏观经济研究部", ["研究员"]),
    }


def test_guest_list_lines_are_not_turns():
    paragraphs, documents = frames(DIALOGUE, headings=(1,))
    out, _, _ = attribute_speakers(paragraphs, documents)
    assert out.filter(out["para_no"] <= 5)["turn_no"].null_count() == 5


def test_guests_named_after_the_program_label():
    paragraphs, documents = frames([
        "本期嘉宾:中国人民银行副行长宣昌能",
        "主持人:如何看待当前的货币政策?",
        "宣昌能:稳健的货币政策要灵活适度。",
    ])
    _, turns, people = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["主持人", "宣昌能"]
    assert people.filter(people["name"] == "宣昌能").select("organization", "titles").rows() == [
        ("中国人民银行", ["副行长"])]


def test_surname_and_title_label_resolves_to_the_introduced_person():
    paragraphs, documents = frames([
        "本报记者近日专访了国家能源局局长王宏志。",
        "记者:今年迎峰度夏的形势如何?",
        "王局长:全国最大电力负荷同比增长5%左右,供应总体有保障。",
        "记者:新能源发展有哪些新进展?",
        "王局长:上半年新增装机1.3亿千瓦。",
    ])
    _, turns, people = attribute_speakers(paragraphs, documents)
    assert turns["speaker"].to_list() == ["记者", "王宏志", "记者", "王宏志"]
    assert people.filter(people["name"] == "王宏志").select("role", "organization", "titles").rows() == [
        ("official", "国家能源局", ["局长"])]


def test_bullets_before_labels_are_not_part_of_them():
    paragraphs, documents = frames([
        "本报记者近日专访了国家能源局局长王宏志。",
        "■记者:今年迎峰度夏的形势如何?",
        "■王宏志:全国最大电力负荷同比增长5%左右。",
    ])
    _, turns, _ = attribute_speakers(paragraphs, documents)
    assert turns.select("speaker", "outlet").rows() == [("记者", None), ("王宏志", None)]
