"""Format detection by content, script detection, dates stated in text."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sources.detect import detect_format, detect_script, find_date

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"


@pytest.mark.parametrize("path, fmt", [
    (CORPUS / "mfa-presscon" / "8", "html"),                        # no extension
    (CORPUS / "gov-work-reports" / "cpc_congress_reports.jsonl", "jsonl"),
    (CORPUS / "xinwen-lianbo" / "20240305.md", "digest"),
    (CORPUS / "xinwen-lianbo" / "SOURCE.md", "markdown"),
    (Path(__file__).resolve().parents[1] / "sources" / "samples" / "miit-press-conference-2024-07-05.txt", "markdown"),
])
def test_format_is_detected_from_content(path, fmt):
    assert detect_format(path.read_bytes(), path.suffix) == fmt


def test_format_ignores_a_misleading_extension():
    page = (CORPUS / "mfa-presscon" / "8").read_bytes()
    assert detect_format(page, ".txt") == "html"
    jsonl = (CORPUS / "gov-work-reports" / "cpc_congress_reports.jsonl").read_bytes()
    assert detect_format(jsonl, ".md") == "jsonl"


def test_jsonl_whose_first_line_is_bad_is_still_jsonl():
    lines = (CORPUS / "gov-work-reports" / "cpc_congress_reports.jsonl").read_bytes().splitlines()
    assert detect_format(b'{"title": "cut off\n' + lines[0] + b"\n", "") == "jsonl"
    assert detect_format("{一、去年工作回顾}\n政府工作报告".encode(), "") == "text"


def _gov_report(title_prefix: str) -> str:
    for line in (CORPUS / "gov-work-reports" / "government_work_reports.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["title"].startswith(title_prefix):
            return record["content"]
    raise KeyError(title_prefix)


def test_script_of_the_1954_report_is_traditional_and_of_2024_simplified():
    assert detect_script(_gov_report("1954年")) == "traditional"
    assert detect_script(_gov_report("2024年")) == "simplified"


def test_script_of_short_or_neutral_text_is_unknown():
    assert detect_script("") == "unknown"
    assert detect_script("2024年3月26日") == "unknown"
    assert detect_script("論聯合政府\n的版本包括：\n論聯合政府 (1945年)\n，1945年中共七大報告") == "traditional"


def test_script_of_mixed_text_is_unknown():
    assert detect_script("我們第一届全國人民代表大會" + "我们第一届全国人民代表大会") == "unknown"


@pytest.mark.parametrize("text, date", [
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上", dt.date(2024, 3, 5)),
    ("（2023年3月13日第十四届全国人民代表大会第一次会议通过）", dt.date(2023, 3, 13)),
    ("一九六九年四月一日", dt.date(1969, 4, 1)),
    ("二〇二二年十月十六日", dt.date(2022, 10, 16)),
    ("２０２１年３月１６日", dt.date(2021, 3, 16)),
    ("2021-03-25 18:42", dt.date(2021, 3, 25)),
    ("2023年2月30日 不是日期，2023年3月1日是", dt.date(2023, 3, 1)),
    ("同意报告提出的2025年经济社会发展的总体要求", None),
])
def test_date_stated_in_text(text, date):
    assert find_date(text) == date


def test_a_jsonl_file_whose_first_record_is_longer_than_the_sniff_window_is_jsonl():
    import json as _json

    from sources.detect import SNIFF_BYTES, detect_format

    long_record = _json.dumps({"title": "政府工作报告", "content": "国内生产总值增长5%左右。" * (SNIFF_BYTES // 10)},
                              ensure_ascii=False)
    data = (long_record + "\n" + _json.dumps({"title": "决议", "content": "批准。"}, ensure_ascii=False) + "\n").encode()
    assert len(long_record.encode()) > SNIFF_BYTES
    assert detect_format(data, "") == "jsonl"
    assert detect_format(data, ".jsonl") == "jsonl"


def test_script_expression_agrees_with_the_function_on_every_corpus_text():
    """The pipeline uses the vectorised `with_script`; it must answer as `detect_script`."""
    import polars as pl

    from sources.detect import with_script

    texts = ["", "2024年3月26日", "我們第一届全國人民代表大會" + "我们第一届全国人民代表大会",
             "國" * 3 + "国" * 2, "國" * 4 + "国", "國" * 40 + "国" * 10, "国" * 25_000 + "國" * 10]
    for folder in ("gov-work-reports",):
        for path in sorted((CORPUS / folder).glob("*.jsonl")):
            texts += [json.loads(line)["content"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "xinwen-lianbo").glob("*.md"))]
    got = with_script(pl.DataFrame({"t": texts}), "t")["script"].to_list()
    assert got == [detect_script(t) for t in texts]
    assert {"traditional", "simplified", "unknown"} <= set(got)
