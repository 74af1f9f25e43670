"""Document dates from the content, each form with its date_source, and the event
date kept apart from the publication date."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sources.base import raw_frame
from sources.html import read_html
from sources.registry import read_file
from sources.text import read_text
from transforms.pipeline import transform_batch

PROVINCIAL = Path(__file__).resolve().parents[1] / "data" / "corpus" / "provincial-work-reports-2026"


def _document(docs) -> dict:
    return transform_batch(raw_frame(docs)).tables["documents"].row(0, named=True)


def _dates(doc: dict) -> tuple:
    return doc["published_date"], doc["date_source"], doc["event_date"]


def test_the_meeting_line_is_the_event_and_the_csv_column_the_publication():
    doc = _document(read_file(PROVINCIAL / "2026_北京市_政府工作报告.csv").docs)
    assert _dates(doc) == (dt.date(2026, 2, 2), "csv:publish_date", dt.date(2026, 1, 25))


def test_a_meeting_line_in_chinese_numerals_is_read():
    doc = _document(read_file(PROVINCIAL / "2026_甘肃省_政府工作报告.csv").docs)
    assert doc["event_date"] == dt.date(2026, 1, 27)


REPORT_HEAD = ("2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n"
               "来源:解放日报\n时间:2026-02-09\n上海市市长 龚 正\n各位代表:\n"
               "现在,我代表上海市人民政府,向大会报告工作,请予审议。\n")


def test_a_time_line_is_the_publication_and_the_meeting_line_the_event():
    doc = _document(read_text(REPORT_HEAD.encode(), "report.txt").docs)
    assert _dates(doc) == (dt.date(2026, 2, 9), "text:time_line", dt.date(2026, 2, 3))


def test_a_meeting_line_alone_dates_the_text_and_the_event():
    text = "2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会第四次会议上\n各位代表:\n现在向大会报告工作。\n"
    doc = _document(read_text(text.encode(), "report.txt").docs)
    assert _dates(doc) == (dt.date(2026, 2, 3), "text:opening_date", dt.date(2026, 2, 3))


def test_yaml_front_matter_gives_title_date_and_metadata():
    text = ("---\ntitle: \"国务院常务会议研究部署提振消费\"\ndate: 2025-03-21\nsource: 新华社\ncategory: 要闻\n---\n\n"
            "新华社北京3月21日电 国务院总理李强3月21日主持召开国务院常务会议。\n")
    (raw,) = read_text(text.encode(), "x.md").docs
    assert (raw.title, raw.outlet, raw.source_format) == ("国务院常务会议研究部署提振消费", "新华社", "markdown")
    assert raw.metadata == '{"category": "要闻"}'
    assert _dates(_document([raw]))[:2] == (dt.date(2025, 3, 21), "front_matter:date")


def test_a_news_agency_dateline_takes_its_year_from_the_text():
    text = ("## 我国将实施新一轮消费品以旧换新\n\n新华社北京1月5日电 记者5日从国家发展改革委获悉,"
            "2026年1月起,消费品以旧换新政策继续实施。\n")
    doc = _document(read_text(text.encode(), "news.md").docs)
    assert _dates(doc)[:2] == (dt.date(2026, 1, 5), "text:news_dateline+text:written_year")


def test_a_dateline_without_a_year_in_the_text_leaves_the_date_unknown():
    text = "## 消费品以旧换新\n\n新华社北京1月5日电 记者从国家发展改革委获悉,消费品以旧换新政策继续实施。\n"
    assert _dates(_document(read_text(text.encode(), "news.md").docs))[:2] == (None, None)


def test_an_html_page_without_date_metadata_is_dated_by_its_publication_line():
    html = ("<html><head><meta charset='utf-8'><title>工信部召开新闻发布会</title></head><body>"
            "<h1>工信部召开新闻发布会</h1><p>发布时间:2024-07-05 10:30 来源:工业和信息化部</p>"
            "<p>7月5日,工业和信息化部举行新闻发布会,介绍上半年工业和信息化发展情况。</p></body></html>")
    doc = _document(read_html(html.encode(), "page.html").docs)
    # the page reader reads the line under the headline itself; the text rule is the fallback
    assert doc["published_date"] == dt.date(2024, 7, 5)
    assert doc["date_source"] in ("page:dateline", "page:label", "text:time_line")
