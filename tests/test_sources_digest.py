"""Daily digest reader (《新闻联播》 Markdown): one document per `### ` item."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sources.digest import read_digest
from sources.registry import read_file

DATA = Path(__file__).resolve().parents[1] / "data"
DIGESTS = sorted((DATA / "corpus" / "xinwen-lianbo").glob("[0-9]*.md"))


def test_corpus_has_the_50_digests():
    assert len(DIGESTS) == 50


@pytest.mark.parametrize("path", DIGESTS, ids=lambda p: p.stem)
def test_every_item_heading_gives_one_document(path):
    n_items = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("### "))
    result = read_file(path)
    assert not result.rejects
    assert len(result.docs) == n_items
    assert [d.source_uri for d in result.docs] == [f"{path}#item-{n}" for n in range(1, n_items + 1)]
    day = dt.datetime.strptime(path.stem, "%Y%m%d").date()
    for doc in result.docs:
        assert (doc.source_format, doc.outlet, doc.published_date, doc.date_source) == ("digest", "新闻联播", day, "digest:title")
        for junk in ("<p>", "<br", "<strong>", "查看原文", "更新时间戳", "## 新闻摘要"):
            assert junk not in doc.text
        assert ("empty_body" in doc.flags) == (doc.text == "")


def test_item_text_is_paragraphs_of_its_html_body_and_url_is_its_link():
    docs = read_file(DATA / "corpus" / "xinwen-lianbo" / "20240305.md").docs
    first = docs[0]
    assert first.title == "十四届全国人大二次会议在京开幕"
    assert first.url == "https://tv.cctv.com/2024/03/05/VIDERxDD9zh1iJDZ4Occa2Td240305.shtml"
    paragraphs = first.text.split("\n\n")
    assert paragraphs[0].startswith("央视网消息（新闻联播）：第十四届全国人民代表大会第二次会议5日上午在北京人民大会堂开幕")
    assert paragraphs[1] == "人民大会堂大礼堂气氛隆重热烈，主席台帷幕正中的国徽在鲜艳的红旗映衬下熠熠生辉。"


def test_summary_is_not_an_item():
    docs = read_file(DATA / "corpus" / "xinwen-lianbo" / "20221121.md").docs
    assert len(docs) == 4
    assert all("习近平向联合国/中国空间探索与创新全球伙伴关系研讨会致贺信。" != d.text for d in docs)


def test_placeholder_item_is_kept_empty_and_flagged():
    docs = read_file(DATA / "corpus" / "xinwen-lianbo" / "20221121.md").docs
    assert (docs[1].title, docs[1].text) == (None, "")
    assert docs[1].flags == ["placeholder", "empty_body"]
    assert docs[1].url == "https://tv.cctv.com/2022/11/21/VIDE0yWusgJAHVqQy4RKW046221121.shtml"


def test_heading_with_only_a_link_is_kept_with_empty_body():
    data = ("# 《新闻联播》 (20240305)\n\n## 详细新闻\n\n### 国内联播快讯\n\n"
            "[查看原文](https://tv.cctv.com/2024/03/05/VIDEx.shtml)\n\n"
            "### 十四届全国人大二次会议首场“代表通道”开启\n\n<p>代表们回答记者提问。</p>\n\n---\n\n(更新时间戳: 1709640000000)\n")
    docs = read_digest(data.encode(), "d.md").docs
    assert [(d.title, d.text, d.flags) for d in docs] == [
        ("国内联播快讯", "", ["empty_body"]),
        ("十四届全国人大二次会议首场“代表通道”开启", "代表们回答记者提问。", []),
    ]


def test_date_falls_back_to_the_file_name():
    (doc,) = read_digest("### 国内联播快讯\n\n<p>代表们回答记者提问。</p>\n".encode(), "news/20250305.md").docs
    assert (doc.published_date, doc.date_source) == (dt.date(2025, 3, 5), "filename")
