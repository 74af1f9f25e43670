"""A page of a site the reader has no container rule for: the article found by the
reader's generic finder, without the site's navigation, sidebar or footer (what a
plain `pip install .` must read; CI checks it from such an installation)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sources.registry import read_file

PAGE = Path(__file__).resolve().parent / "fixtures" / "unknown_site" / "city-news-article.html"


def test_article_text_without_navigation_sidebar_or_footer():
    result = read_file(PAGE)
    assert not result.rejects
    (doc,) = result.docs
    assert doc.source_format == "html"
    assert doc.title == "本市发布促进制造业数字化转型行动方案"
    assert doc.published_date == dt.date(2025, 3, 18)
    assert "到2027年，全市规模以上工业企业数字化改造覆盖率达到90%以上" in doc.text
    assert doc.text.count("\n\n") == 5  # six paragraphs
    for chrome in ("首页", "热点新闻", "版权所有", "分享到", "虚构示例"):
        assert chrome not in doc.text
