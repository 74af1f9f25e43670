"""JSONL reader on the government work reports and party congress reports."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sources.jsonl import read_jsonl
from sources.registry import read_file

DATA = Path(__file__).resolve().parents[1] / "data"
REPORTS = DATA / "corpus" / "gov-work-reports"
GOV = REPORTS / "government_work_reports.jsonl"
CPC = REPORTS / "cpc_congress_reports.jsonl"


@pytest.fixture(scope="module")
def gov_docs():
    result = read_file(GOV)
    assert not result.rejects
    return {d.source_uri.rsplit("#", 1)[1]: d for d in result.docs}


def test_the_two_files_give_72_and_16_documents():
    gov, cpc = read_file(GOV), read_file(CPC)
    assert (len(gov.docs), len(cpc.docs)) == (72, 16)
    assert not gov.rejects and not cpc.rejects
    records = [json.loads(line) for line in GOV.read_text(encoding="utf-8").splitlines()]
    assert [d.title for d in gov.docs] == [r["title"] for r in records]
    assert [d.text for d in gov.docs] == [r["content"] for r in records]
    assert all(d.source_format == "jsonl" and d.url.startswith("https://zh.wikisource.org") for d in gov.docs + cpc.docs)


def test_source_uri_names_the_line(gov_docs):
    assert gov_docs["line-1"].source_uri == f"{GOV}#line-1"
    assert gov_docs["line-1"].title == "2025年中华人民共和国国务院政府工作报告"


def test_year_only_report_is_dated_january_first_with_year_source(gov_docs):
    doc = gov_docs["line-1"]   # 2025 report: its opening states no date
    assert (doc.published_date, doc.date_source) == (dt.date(2025, 1, 1), "jsonl:year")


def test_report_whose_opening_states_the_date_gets_that_date(gov_docs):
    doc = gov_docs["line-3"]   # `——2024年3月5日在第十四届全国人民代表大会第二次会议上`
    assert (doc.published_date, doc.date_source) == (dt.date(2024, 3, 5), "text:opening")


def test_resolution_with_null_year_is_dated_from_its_text_or_left_null(gov_docs):
    # `（2023年3月13日第十四届全国人民代表大会第一次会议通过）`
    assert (gov_docs["line-6"].published_date, gov_docs["line-6"].date_source) == (dt.date(2023, 3, 13), "text:opening")
    assert gov_docs["line-11"].published_date == dt.date(2020, 5, 28)
    # `第十四届全国人民代表大会第三次会议听取和审议了...`: no date stated
    assert (gov_docs["line-2"].published_date, gov_docs["line-2"].date_source) == (None, None)
    resolutions = [d for d in gov_docs.values() if d.title.endswith("关于政府工作报告的决议")]
    assert len(resolutions) == 20
    assert sum(d.published_date is not None for d in resolutions) == 4   # lines 6, 8, 10, 11


def test_congress_report_date_comes_from_its_opening_not_from_dates_it_cites():
    docs = read_file(CPC).docs
    assert docs[14].published_date == dt.date(2017, 10, 18)   # `（2017年10月18日）`
    assert docs[15].published_date == dt.date(2022, 10, 16)
    # the 10th-congress report cites 一九六九年四月一日 (the 9th congress) 290 characters in
    assert docs[5].published_date is None
    assert all(d.date_source in (None, "text:opening") for d in docs)


def test_traditional_1954_report_is_kept_as_written(gov_docs):
    assert "我們第一届全國人民代表大會第一次會議" in gov_docs["line-72"].text


def test_bad_line_is_one_reject_and_the_other_lines_load():
    data = (CPC.read_bytes().splitlines()[0] + b"\n{\"title\": \"cut off\n" + CPC.read_bytes().splitlines()[1] + b"\n[1, 2]\n")
    result = read_jsonl(data, "mixed.jsonl")
    assert [d.source_uri for d in result.docs] == ["mixed.jsonl#line-1", "mixed.jsonl#line-3"]
    assert [(r.source_uri, r.reason) for r in result.rejects] == [("mixed.jsonl#line-2", "bad_json"),
                                                                  ("mixed.jsonl#line-4", "bad_json")]
    assert "Line 2 is not valid JSON" in result.rejects[0].detail


def test_field_names_can_be_given():
    line = json.dumps({"headline": "2024年中华人民共和国国务院政府工作报告", "正文": "各位代表：\n\n现在，我代表国务院，向大会报告政府工作。",
                       "pub": "2024-03-05", "link": "https://example.org/r"}, ensure_ascii=False)
    (doc,) = read_jsonl(line.encode(), "x.jsonl", jsonl_fields={"text": "正文", "date": "pub"}).docs
    assert doc.text.startswith("各位代表：") and doc.title.startswith("2024年")
    assert (doc.published_date, doc.date_source, doc.url) == (dt.date(2024, 3, 5), "jsonl:pub", "https://example.org/r")
    with pytest.raises(ValueError, match="unknown fields"):
        read_jsonl(line.encode(), "x.jsonl", jsonl_fields={"txt": "正文"})


def test_record_without_any_text_field_is_rejected_but_empty_text_is_kept_flagged():
    result = read_jsonl(b'{"title": "a"}\n{"title": "b", "content": ""}\n', "t.jsonl")
    assert [r.reason for r in result.rejects] == ["no_text"]
    assert [(d.title, d.flags) for d in result.docs] == [("b", ["empty_body"])]
