"""Relative time resolved (transforms/periods.py): deadlines of targets and periods of
figures as calendar years, on the national and provincial work reports."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from sources.base import raw_frame
from sources.registry import read_file
from transforms import periods
from transforms.pipeline import transform_batch

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"
GOV = DATA / "gov-work-reports" / "government_work_reports.jsonl"
PROVINCIAL = DATA / "provincial-work-reports-2026"


@pytest.mark.parametrize("text, ref, year", [
    ("今年", 2026, 2026), ("去年", 2026, 2025), ("上年", 2025, 2024), ("明年", 2024, 2025),
    ("今后三年", 2026, 2028), ("到2027年", 2026, 2027), ("“十五五”末", 2026, 2030),
    ("“十五五”期间", 2026, 2030), ("十四五时期", 2021, 2025), ("年底前", 2026, 2026),
    ("截至2023年年底", 2024, 2023), ("今年", None, None), ("3月份", 2026, None),
])
def test_time_expressions_resolve_against_the_reference_year(text, ref, year):
    got = pl.select(periods.year_of(pl.lit(text), pl.lit(ref, pl.Int32))).item()
    assert got == year


@pytest.mark.parametrize("text, year, date", [
    ("3月底前", 2026, dt.date(2026, 3, 31)), ("年底前", 2026, dt.date(2026, 12, 31)),
    ("10月1日前", 2025, dt.date(2025, 10, 1)), ("截至2024年6月末", 2024, dt.date(2024, 6, 30)),
    ("今年", 2026, None),
])
def test_a_month_or_day_gives_a_date(text, year, date):
    assert pl.select(periods.date_in_year(pl.lit(text), pl.lit(year, pl.Int32))).item() == date


def _section_times(texts: list[str], published: dt.date) -> list[tuple]:
    paragraphs = pl.DataFrame({"doc_id": "a", "para_no": range(1, len(texts) + 1), "text": texts,
                               "is_heading": False})
    documents = pl.DataFrame({"doc_id": ["a"], "published_date": [published]})
    return periods.section_times(paragraphs, documents).select("section_kind", "section_year").rows()


def test_report_headings_set_the_year_their_sections_speak_of():
    texts = ["各位代表:", "一、2025年和“十四五”时期工作回顾", "全市地区生产总值增长5.4%。",
             "二、“十五五”时期主要目标任务", "到2030年,经济总量迈上新台阶。",
             "三、2026年主要工作", "建成县域快递物流中心44个。", "四、加强政府自身建设", "严格落实过紧日子要求。",
             "今年工作安排", "2025年主要工作", "城镇新增就业86万人。"]
    assert _section_times(texts, dt.date(2026, 2, 3)) == [
        (None, None), ("review", 2025), ("review", 2025), ("plan", 2030), ("plan", 2030),
        ("plan", 2026), ("plan", 2026), ("plan", 2026), ("plan", 2026),
        # a plan for a year already past at the reference year is a review of it
        ("plan", 2026), ("review", 2025), ("review", 2025)]


@pytest.fixture(scope="module")
def national():
    docs = [d for d in read_file(GOV).docs if re.match(r"20(0[4-9]|1[0-9]|2[0-5])年", d.title or "")]
    return transform_batch(raw_frame(docs)).tables


def _report(tables, year):
    doc_id = tables["documents"].filter(pl.col("title").str.starts_with(f"{year}年"))["doc_id"][0]
    return {k: v.filter(pl.col("doc_id") == doc_id) for k, v in tables.items() if "doc_id" in v.columns}


# The sentence that states a report's annual targets: `今年发展主要预期目标是:`,
# `2006年国民经济和社会发展的主要预期目标是:`
TARGET_HEAD = r"(?:今年|{year}年)[^。;]{{0,20}}目标(?:是|为)"


@pytest.mark.parametrize("year", [y for y in range(2004, 2026) if y != 2020])
def test_every_target_of_a_national_main_target_list_has_the_reports_year(national, year):
    r = _report(national, year)
    s = r["sentences"].sort("sent_no")
    head = s.filter(pl.col("text").str.contains(TARGET_HEAD.format(year=year)))["sent_no"].min()
    # the list runs to the first sentence that ends in `。`
    end = s.filter((pl.col("sent_no") >= head) & pl.col("text").str.ends_with("。"))["sent_no"].min()
    listed = r["targets"].filter(pl.col("sent_no").is_between(head, end))
    assert listed.height >= 1
    assert listed["deadline_year"].to_list() == [year] * listed.height, listed.select("text", "deadline_year").rows()


@pytest.mark.parametrize("year", [2024, 2025])
def test_figures_of_the_review_section_are_about_the_previous_year(national, year):
    r = _report(national, year)
    review = r["paragraphs"].filter(pl.col("text").str.contains(f"^一、{year - 1}年工作回顾$"))["para_no"][0]
    plan = r["paragraphs"].filter(pl.col("text").str.contains(f"^二、{year}年"))["para_no"][0]
    sents = r["sentences"].filter(pl.col("para_no").is_between(review, plan - 1)).select("sent_no")
    figs = r["figures"].join(sents, on="sent_no")
    assert figs.height >= 20
    assert figs.filter(pl.col("period").is_null())["period_year"].to_list() == [year - 1] * figs["period"].null_count()
    assert (figs["period_year"] == year - 1).mean() >= 0.9
    # `国内生产总值超过126万亿元` in the 2024 report is a 2023 figure
    if year == 2024:
        gdp = figs.filter(pl.col("surface") == "超过126万亿元")
        assert gdp.select("period", "period_year").rows() == [(None, 2023)]


@pytest.fixture(scope="module")
def provincial():
    docs = [d for p in sorted(PROVINCIAL.glob("*.csv")) for d in read_file(p).docs]
    return transform_batch(raw_frame(docs)).tables


# Each report's main-target list, item by item, as the report states it (the key is the
# start of the item; value None for an item without a quantity)
MAIN_TARGET_LISTS = {
    "上海市": [("全市生产总值增长5%左右", 5.0), ("地方一般公共预算收入增长2%", 2.0),
              ("全社会研发经费支出相当于全市生产总值的比例达到4.6%左右", 4.6), ("城镇调查失业率5%以内", 5.0),
              ("居民人均可支配收入增长与经济增长保持基本同步", None), ("居民消费价格涨幅2%左右", 2.0),
              ("单位生产总值二氧化碳排放量进一步下降", None), ("主要污染物重点工程减排量完成国家下达目标", None)],
    "北京市": [("地区生产总值增长5%左右", 5.0), ("一般公共预算收入增长4%左右", 4.0),
              ("城镇调查失业率控制在5%以内", 5.0), ("居民消费价格涨幅2%左右", 2.0),
              ("居民收入增长和经济增长同步", None), ("细颗粒物年均浓度控制在29微克/立方米左右", 29.0),
              ("能源、水资源、碳排放等指标达到国家要求", None)],
    "河南省": [("经济增长5%左右", 5.0), ("规上工业增加值增长6.5%左右", 6.5), ("固定资产投资增长5%左右", 5.0),
              ("社会消费品零售总额增长5.5%左右", 5.5), ("进出口稳量提质", None), ("一般公共预算收入增长4%左右", 4.0),
              ("城镇调查失业率5.5%左右", 5.5), ("城镇新增就业110万人以上", 1_100_000.0),
              ("居民消费价格涨幅2%左右", 2.0), ("居民收入增长与经济增长同步", None),
              ("粮食产量1300亿斤以上", 1.3e11), ("单位生产总值二氧化碳排放降低目标与国家“十五五”考核目标统筹衔接", None)],
    "广西壮族自治区": [("经济增长5%左右", 5.0), ("城镇调查失业率5.5%左右", 5.5), ("居民消费价格指数涨幅2%以内", 2.0),
                      ("居民人均可支配收入和经济增长同步", None), ("粮食产量只增不减", None),
                      ("减排降碳控制在国家下达目标内", None)],
    "甘肃省": [("地区生产总值增长5.5%左右", 5.5), ("一产增加值增长6%左右", 6.0), ("二产增加值增长6%左右", 6.0),
              ("三产增加值增长5.5%左右", 5.5), ("规模以上工业增加值增长8%左右", 8.0), ("固定资产投资增长4.5%左右", 4.5),
              ("社会消费品零售总额增长4%左右", 4.0), ("外贸进出口总值增长10%以上", 10.0),
              ("一般公共预算收入同口径增长5.5%左右", 5.5), ("城镇调查失业率5.5%左右", 5.5),
              ("城乡居民人均可支配收入分别增长5%、6.5%左右", 5.0), ("常住人口城镇化率提升1个百分点以上", 1.0),
              ("居民消费价格涨幅2%", 2.0), ("粮食产量稳定在1300万吨以上", 1.3e7),
              ("碳排放强度、生态环境保护约束性指标完成国家下达控制目标", None)],
}


@pytest.mark.parametrize("province", list(MAIN_TARGET_LISTS))
def test_a_provincial_main_target_list_is_extracted_item_by_item_with_deadline_2026(provincial, province):
    docs = provincial["documents"].filter(pl.col("metadata").str.contains(f'"province": "{province}"'))
    doc_id, text = docs.row(0, named=True)["doc_id"], docs["clean_text"][0]
    line = re.search(r"[^\n]*主要预期目标(?:是|为)[^\n]*", text)
    listed = provincial["targets"].filter(
        (pl.col("doc_id") == doc_id) & pl.col("char_start").is_between(line.start(), line.end())).sort("char_start")
    got = [(t["text"], t["value"], t["deadline_year"]) for t in listed.iter_rows(named=True)]
    assert len(got) == len(MAIN_TARGET_LISTS[province]), got
    for (key, value), (found, found_value, year) in zip(MAIN_TARGET_LISTS[province], got):
        assert found.startswith(key) or key.startswith(found), (key, found)
        assert (found_value, year) == (value, 2026), (key, found_value, year)


def test_nearly_every_target_of_the_28_provincial_reports_has_a_deadline(provincial):
    t = provincial["targets"]
    assert t.height > 800
    assert t["deadline_year"].count() / t.height >= 0.95
    assert t["doc_id"].n_unique() == 28


def test_a_target_due_at_the_end_of_the_year_gets_its_date():
    from sources.text import read_text

    text = ("5月23日,住房和城乡建设部表示,按照计划,今年年底前,要力争地级及以上城市居民小区垃圾分类覆盖率"
            "达到90%以上,2025年年底前基本实现全覆盖。\n")
    (raw,) = read_text(text.encode(), "x.txt").docs
    raw.published_date, raw.date_source = dt.date(2024, 5, 23), "test"
    t = transform_batch(raw_frame([raw])).tables["targets"]
    assert t.select("deadline_year", "deadline_date", "value").rows() == [
        (2024, dt.date(2024, 12, 31), 90.0), (2025, dt.date(2025, 12, 31), 100.0)]


def test_the_base_of_a_comparison_is_not_the_period_of_a_plan_figure(national):
    r = _report(national, 2025)
    spending = r["figures"].filter(pl.col("surface") == "29.7万亿元")
    # `一般公共预算支出规模29.7万亿元、比上年增加1.2万亿元` is this year's budget, not 2024's
    assert spending.select("period", "period_year").rows() == [("上年", None)]


def test_a_heading_of_another_item_ends_the_plan_but_a_sub_heading_keeps_it():
    texts = ["2026年重点工作", "新建5G基站10万个。", "（一）扩大内需", "城镇新增就业86万人。",
             "国内首艘大型邮轮交付", "邮轮总吨位13.55万吨。"]
    paragraphs = pl.DataFrame({"doc_id": "a", "para_no": range(1, 7), "text": texts,
                               "is_heading": [True, False, True, False, True, False]})
    documents = pl.DataFrame({"doc_id": ["a"], "published_date": [dt.date(2026, 2, 3)]})
    got = periods.section_times(paragraphs, documents).select("section_kind", "section_year").rows()
    assert got == [("plan", 2026)] * 4 + [(None, None)] * 2
