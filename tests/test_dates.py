"""Publication dates inferred from text evidence only."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from sources.base import raw_frame
from sources.text import read_text
from transforms.dates import infer_published_dates
from transforms.pipeline import transform_batch

SAMPLE = Path(__file__).resolve().parents[1] / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"

EDITOR_NOTE = ("编者按\n7月5日,国新办举行“推动高质量发展”系列主题新闻发布会,工业和信息化部党组书记、部长金壮龙"
               "介绍工信部推动高质量发展相关情况。\n")
YEAR_COMPARISON = "特别是今年1—5月,规模以上工业增加值同比增长6.2%,增速比2023年加快1.6个百分点。"


def documents(*texts: str, published: dt.date | None = None, source: str | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "clean_text": list(texts),
         "published_date": [published] * len(texts), "date_source": [source] * len(texts)},
        schema={"doc_id": pl.String, "clean_text": pl.String, "published_date": pl.Date, "date_source": pl.String},
    )


def test_editor_note_day_and_year_comparison_give_the_date():
    out = infer_published_dates(documents(EDITOR_NOTE + YEAR_COMPARISON))
    assert out.select("published_date", "date_source", "published_year").row(0) == (
        dt.date(2024, 7, 5), "text:editor_note+text:year_comparison", 2024)


def test_no_evidence_leaves_the_date_unknown():
    out = infer_published_dates(documents(EDITOR_NOTE + "工业是国民经济的压舱石,自今年以来,工业生产保持了较快增速。"))
    assert out.select("published_date", "date_source", "published_year").row(0) == (None, None, None)


def test_a_year_mentioned_without_comparison_to_this_year_is_not_evidence():
    text = EDITOR_NOTE + "2023年我国网络零售额达到15.42万亿元;移动支付规模相比2012年增长了239倍。"
    assert infer_published_dates(documents(text))["published_date"][0] is None


def test_year_alone_sets_published_year_but_not_the_date():
    out = infer_published_dates(documents("工业经济持续回升向好。" + YEAR_COMPARISON))
    assert out.select("published_date", "date_source", "published_year").row(0) == (
        None, "text:year_comparison", 2024)


def test_conflicting_year_comparisons_are_no_evidence():
    text = EDITOR_NOTE + YEAR_COMPARISON + "今年出口比2022年增长较快。"
    assert infer_published_dates(documents(text))["published_year"][0] is None


def test_full_date_in_the_opening_is_used():
    out = infer_published_dates(documents("2024年7月5日,国务院新闻办公室举行新闻发布会。"))
    assert out.select("published_date", "date_source").row(0) == (dt.date(2024, 7, 5), "text:opening_date")


def test_a_date_given_by_the_reader_is_kept():
    out = infer_published_dates(documents(EDITOR_NOTE + YEAR_COMPARISON, published=dt.date(2024, 7, 8), source="meta:PubDate"))
    assert out.select("published_date", "date_source", "published_year").row(0) == (
        dt.date(2024, 7, 8), "meta:PubDate", 2024)


def test_sample_gets_its_date_through_the_pipeline():
    b = transform_batch(raw_frame(read_text(SAMPLE.read_bytes(), str(SAMPLE)).docs))
    doc = b.tables["documents"].row(0, named=True)
    assert doc["published_date"] == dt.date(2024, 7, 5)
    assert doc["date_source"] == "text:editor_note+text:year_comparison"


def test_this_year_compared_with_an_older_base_year_is_no_evidence_when_a_later_year_is_past():
    text = ("今年1—5月,全国网上零售额比2019年增长40%。"
            "2023年我国网络零售额达到15.42万亿元。力争到2025年,数字经济核心产业增加值占比达到10%。")
    assert infer_published_dates(documents(text))["published_year"][0] is None


def test_a_deadline_year_does_not_veto_the_year_comparison():
    text = YEAR_COMPARISON + "力争到2027年,实现专精特新“小巨人”企业数字化改造全覆盖。"
    assert infer_published_dates(documents(text))["published_year"][0] == 2024
