"""Indicators: the vocabulary, which figures and targets it names, and the sample labelled by hand."""
from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from sources.base import RawDocument, raw_frame
from transforms.indicators import indicators_table, phrase_of, vocabulary
from transforms.pipeline import transform_batch

SAMPLE = Path(__file__).parent / "fixtures" / "indicator_sample.tsv"


def test_vocabulary_has_eighty_indicators_each_with_name_units_kind_and_patterns():
    entries = vocabulary()["entries"]
    assert len(entries) >= 80
    for e in entries:
        assert e["name"] and e["units"] and e["patterns"], e["id"]
        assert e["measure"] in {"level", "rate", "change"}, e["id"]
        assert e["direction"] in {"higher", "lower", "cap", "none"}, e["id"]
    ids = {e["id"] for e in entries}
    for wanted in ["gdp", "gdp_growth", "cpi", "urban_unemployment_rate", "new_urban_jobs", "grain_output",
                   "energy_intensity", "deficit_ratio", "deficit", "special_purpose_bonds", "ultra_long_special_bonds",
                   "central_budget_investment", "rd_spending", "per_capita_disposable_income", "foreign_trade",
                   "fixed_asset_investment", "retail_sales", "industrial_value_added_growth", "carbon_intensity",
                   "forest_coverage", "pm25", "base_stations_5g"]:
        assert wanted in ids
    for e in entries:
        if e["change_of"]:
            assert e["change_of"] in ids, e["id"]
    table = indicators_table()
    assert table.height == len(entries) and table["indicator"].n_unique() == table.height


@pytest.mark.parametrize("raw, phrase", [
    ("赤字率拟按", "赤字率"),
    ("城镇调查失业率平", "城镇调查失业率"),          # 平均 with 均 cut by figures.py
    ("拟安排地方政府专项债券", "地方政府专项债券"),
    ("城镇新增就业1256万人、城镇调查失业率平均为", "城镇调查失业率"),
    ("其中中央财政赤字", "中央财政赤字"),
    ("城镇调查失业率全年控制在", "城镇调查失业率"),
])
def test_metric_phrase_loses_verbs_fillers_and_cut_words(raw, phrase):
    out = pl.DataFrame({"m": [raw]}).select(p=phrase_of(pl.col("m")))["p"][0]
    assert out == phrase


def _figures_of(text: str, year: int = 2025) -> pl.DataFrame:
    import datetime as dt

    doc = RawDocument(source_uri="t.txt", source_format="text", text=text, title=f"{year}年政府工作报告",
                      published_date=dt.date(year, 3, 5))
    return transform_batch(raw_frame([doc])).tables["figures"]


def test_growth_after_a_level_takes_the_level_s_growth_indicator():
    f = _figures_of("经济规模稳步扩大,国内生产总值达到134.9万亿元、增长5%,增速居世界主要经济体前列。")
    assert f.select("surface", "indicator", "metric").rows() == [
        ("134.9万亿元", "gdp", "国内生产总值"), ("5%", "gdp_growth", "国内生产总值增长")]


def test_a_list_of_indicators_in_one_sentence_is_named_item_by_item():
    f = _figures_of("就业、物价总体平稳,城镇新增就业1256万人、城镇调查失业率平均为5.1%,居民消费价格上涨0.2%。")
    assert f.select("surface", "indicator").rows() == [
        ("1256万人", "new_urban_jobs"), ("5.1%", "urban_unemployment_rate"), ("0.2%", "cpi")]


def test_a_figure_whose_clause_names_no_indicator_has_none():
    f = _figures_of("全年新增减税降费及退税缓税缓费超过2.2万亿元,建成5G基站337.7万个,新建改造学校300所。")
    assert dict(f.select("surface", "indicator").rows()) == {
        "超过2.2万亿元": "tax_fee_cuts", "337.7万个": "base_stations_5g", "300所": None}


def test_multi_year_averages_and_differences_are_not_the_annual_indicator():
    f = _figures_of("五年来城镇新增就业年均1270多万人,国内生产总值年均增长5.2%。城镇新增就业预期目标比去年多100万人。")
    assert f["indicator"].is_null().all()


def test_a_target_takes_the_indicator_of_its_quantity():
    t = transform_batch(raw_frame([RawDocument(
        source_uri="t.txt", source_format="text", title="2024年政府工作报告",
        text="今年发展主要预期目标是:国内生产总值增长5%左右;城镇新增就业1200万人以上,城镇调查失业率5.5%左右;"
             "居民消费价格涨幅3%左右。")])).tables["targets"]
    assert set(t["indicator"].to_list()) >= {"gdp_growth", "new_urban_jobs", "urban_unemployment_rate", "cpi"}


def _sample_rows() -> list[dict]:
    with open(SAMPLE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.slow
def test_indicator_precision_on_figures_labelled_by_hand():
    """250 figures the pipeline had named, each labelled by reading its sentence: the right
    indicator, or empty when none fits (a subset such as `跨境电商进出口`, a change given as a
    level). `tuned`: 150 from the national and provincial work reports the vocabulary was
    written on; `news`: 50 from 新闻联播 and party congress reports, labelled and then used to
    fix rules (0.76 before); `heldout`: 50 more from 新闻联播, congress reports and the Foreign
    Ministry pages, labelled after the last rule change and not tuned on (0.90 when labelled)."""
    from tests.corpus_batches import CORPUS, mfa_pages, reports_and_news

    frames = []
    for b in (reports_and_news(), mfa_pages()):
        frames.append(b.tables["figures"].join(b.tables["documents"].select("doc_id", "source_uri"), on="doc_id")
                      .select("source_uri", "char_start", "surface", "indicator"))
    got = pl.concat(frames).with_columns(file=pl.col("source_uri").str.replace(r"^.*?/data/corpus/", ""))
    found = {(r["file"], r["char_start"]): (r["surface"], r["indicator"]) for r in got.iter_rows(named=True)}
    rows = _sample_rows()
    assert len(rows) == 250 and CORPUS.exists()
    scores = {}
    missing = 0
    for part in ("tuned", "news", "heldout"):
        named = right = 0
        for r in (r for r in rows if r["part"] == part):
            key = (r["file"], int(r["char_start"]))
            if key not in found or found[key][0] != r["surface"]:
                missing += 1
                continue
            indicator = found[key][1]
            if indicator is not None:
                named += 1
                right += indicator == (r["label"] or None)
        scores[part] = (right, named)
    right = sum(r for r, _ in scores.values())
    named = sum(n for _, n in scores.values())
    print(f"indicator precision: {scores} overall {right}/{named}; figures not found {missing}")
    assert missing <= 10
    assert right / named >= 0.95
    held_right, held_named = scores["heldout"]
    assert held_right / held_named >= 0.85


@pytest.mark.parametrize("title, opening, jurisdiction", [
    ("2026年上海市政府工作报告", "2026年上海市政府工作报告\n——2026年2月3日在上海市第十六届人民代表大会", "上海市"),
    ("陕西省2026年政府工作报告", "各位代表:", "陕西省"),
    ("2026年政府工作报告", "——2026年2月3日在云南省第十四届人民代表大会第五次会议上\n云南省人民政府省长", "云南省"),
    ("2024年中华人民共和国国务院政府工作报告", "各位代表:现在,我代表国务院,向大会报告政府工作", "national"),
    ("2023年11月17日外交部发言人毛宁主持例行记者会", "毛宁:", "national"),
    # a news item naming a province as a host is not that province's document
    ("习近平向“2024从都国际论坛”致贺信", "论坛由中国人民对外友好协会和广东省人民政府共同主办。", None),
])
def test_jurisdiction_comes_from_the_title_or_a_report_s_opening_lines(title, opening, jurisdiction):
    from transforms.jurisdiction import with_jurisdiction

    docs = pl.DataFrame({"title": [title], "clean_text": [opening + "\n正文。"]})
    assert with_jurisdiction(docs)["jurisdiction"][0] == jurisdiction
