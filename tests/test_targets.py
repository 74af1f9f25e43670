"""Targets: unit tests on hand-built frames, the sample against gold, the work reports' target lists."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sources.base import raw_frame
from sources.text import read_text
from tests.corpus_batches import scorer, work_reports
from transforms.pipeline import transform_batch
from transforms.targets import targets_from_sentences

SAMPLE = Path(__file__).resolve().parents[1] / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"
FIG_SCHEMA = {"doc_id": pl.String, "sent_no": pl.Int32, "value": pl.Float64, "value_high": pl.Float64,
              "unit": pl.String, "qualifier": pl.String, "char_start": pl.Int32, "char_end": pl.Int32}


def frames(text: str, published: dt.date | None = dt.date(2024, 7, 5), figures: list[tuple] = ()):
    """One document, one sentence at offset 0 spoken by 金壮龙; figures as
    (surface, value, unit, qualifier) located in the text."""
    sentences = pl.DataFrame({"doc_id": ["d"], "sent_no": [1], "para_no": [1], "turn_no": [1], "speaker": ["金壮龙"],
                              "text": [text], "char_start": [0], "char_end": [len(text)]},
                             schema_overrides={"sent_no": pl.Int32, "para_no": pl.Int32, "turn_no": pl.Int32,
                                               "char_start": pl.Int32, "char_end": pl.Int32})
    rows = [("d", 1, v, None, u, q, text.index(s), text.index(s) + len(s)) for s, v, u, q in figures]
    figs = pl.DataFrame(rows, schema=FIG_SCHEMA, orient="row")
    docs = pl.DataFrame({"doc_id": ["d"], "published_date": [published]}, schema={"doc_id": pl.String, "published_date": pl.Date})
    return sentences, figs, docs


def test_deadline_stated_once_carries_to_each_following_clause():
    text = "力争到2027年,工业大省大市和重点园区规上工业企业实现数字化改造全覆盖,建成200个左右高标准数字园区;"
    t = targets_from_sentences(*frames(text, figures=[("200个左右", 200.0, "个", "~")]))
    assert t["deadline_year"].to_list() == [2027, 2027]
    assert t["text"].to_list() == ["力争到2027年,工业大省大市和重点园区规上工业企业实现数字化改造全覆盖",
                                   "建成200个左右高标准数字园区"]
    assert (t["value"][1], t["unit"][1], t["qualifier"][1]) == (200.0, "个", "~")
    for r in t.iter_rows(named=True):
        assert text[r["char_start"]:r["char_end"]] == r["text"]


def test_full_coverage_is_100_percent_on_the_target_row():
    t = targets_from_sentences(*frames("力争到2027年,实现专精特新“小巨人”企业数字化改造全覆盖。"))
    assert (t["value"][0], t["unit"][0], t["qualifier"][0]) == (100.0, "%", "=")


def test_this_year_resolves_against_the_publication_date():
    text = "我国已经培育了200家国家级中小企业特色产业集群,今年将再培育认定100家左右。"
    t = targets_from_sentences(*frames(text, figures=[("200家", 200.0, "家", "="), ("100家左右", 100.0, "家", "~")]))
    assert t.select("text", "deadline_year", "deadline_text", "value").rows() == [("今年将再培育认定100家左右", 2024, "今年", 100.0)]


def test_next_year_and_five_year_plan_periods_resolve_to_years():
    t = targets_from_sentences(*frames("明年将建成一批智能工厂。"))
    assert t["deadline_year"].to_list() == [2025]
    t = targets_from_sentences(*frames("“十五五”期间,力争规上工业企业基本完成一轮数字化改造。"))
    assert t["deadline_year"].to_list() == [2030]


def test_relative_deadline_without_a_document_date_is_null():
    t = targets_from_sentences(*frames("今年将再培育认定100家左右。", published=None,
                                       figures=[("100家左右", 100.0, "家", "~")]))
    assert t["deadline_year"].to_list() == [None]
    assert t["deadline_text"].to_list() == ["今年"]


def test_plain_intention_without_deadline_or_quantity_is_not_a_target():
    text = "工信部将继续支持工业大省、工业大市巩固优势、勇挑大梁,支持各地发展壮大特色优势产业。"
    assert targets_from_sentences(*frames(text)).is_empty()


def test_past_period_of_this_year_is_not_a_deadline():
    text = "今年前5个月,10个工业大省增速均高于全国。"
    assert targets_from_sentences(*frames(text, figures=[("10个", 10.0, "个", "=")])).is_empty()


def test_quoted_slogan_containing_a_commitment_word_commits_to_nothing():
    text = "为继续落实“两个确保”和“三条保障线”,2003年中央财政支出700亿元,比上年增长19.9%;"
    figs = [("700亿元", 7e10, "元", "="), ("19.9%", 19.9, "%", "=")]
    assert targets_from_sentences(*frames(text, published=dt.date(2004, 3, 5), figures=figs)).is_empty()


@pytest.fixture(scope="module")
def sample_batch():
    return transform_batch(raw_frame(read_text(SAMPLE.read_bytes(), str(SAMPLE)).docs))


def test_sample_gold_targets_found_with_deadlines_quantities_and_speakers(sample_batch, gold):
    text = sample_batch.tables["documents"]["clean_text"][0]
    pred = sample_batch.tables["targets"].sort("char_start").to_dicts()
    score = scorer().score_targets(pred, gold["targets"], text)
    assert score["recall"] == 1.0, score["details"]
    assert score["deadline_acc"] == 1.0, score["details"]
    assert score["value_acc"] == 1.0, score["details"]
    assert len(score["unmatched_predictions"]) <= 2, score["unmatched_predictions"]
    for g in gold["targets"]:
        start = text.index(g["key"])
        hit = [p for p in pred if p["char_start"] < start + len(g["key"]) and p["char_end"] > start]
        assert [p["deadline_year"] for p in hit] == [g["deadline_year"]], g["key"]
        assert hit[0]["speaker"] == g["speaker"], g["key"]
        if g["value"] is not None:
            assert (hit[0]["value"], hit[0]["unit"]) == (g["value"], g["unit"]), g["key"]


def _report(year: int):
    b = work_reports()
    docs = b.tables["documents"].filter(pl.col("published_date").dt.year() == year,
                                        pl.col("title").str.ends_with("政府工作报告"))
    assert docs.height == 1, year
    doc_id = docs["doc_id"][0]
    return b, doc_id


def _main_list_targets(year: int) -> list[tuple]:
    b, doc_id = _report(year)
    t = b.tables["targets"].filter(pl.col("doc_id") == doc_id, pl.col("deadline_year") == year,
                                   pl.col("value").is_not_null())
    head = b.tables["sentences"].filter(pl.col("doc_id") == doc_id, pl.col("text").str.contains("主要预期目标是"))
    start = head["char_start"][0]
    end = b.tables["sentences"].filter(pl.col("doc_id") == doc_id, pl.col("char_start") >= start,
                                       pl.col("text").str.ends_with("。"))["char_end"][0]
    t = t.filter(pl.col("char_start") >= start, pl.col("char_end") <= end).sort("char_start")
    return t.select("text", "value", "unit", "qualifier").rows()


def test_2024_work_report_main_targets_item_by_item():
    assert _main_list_targets(2024) == [
        ("国内生产总值增长5%左右", 5.0, "%", "~"),
        ("城镇新增就业1200万人以上", 12_000_000.0, "人", ">="),
        ("城镇调查失业率5.5%左右", 5.5, "%", "~"),
        ("居民消费价格涨幅3%左右", 3.0, "%", "~"),
        ("粮食产量1.3万亿斤以上", 1.3e12, "斤", ">="),
        # the unquantified clause after it continues the same item's target
        ("单位国内生产总值能耗降低2.5%左右,生态环境质量持续改善", 2.5, "%", "~"),
    ]


def test_2025_work_report_main_targets_item_by_item():
    assert _main_list_targets(2025) == [
        ("国内生产总值增长5%左右", 5.0, "%", "~"),
        ("城镇调查失业率5.5%左右", 5.5, "%", "~"),
        ("城镇新增就业1200万人以上", 12_000_000.0, "人", ">="),
        ("居民消费价格涨幅2%左右", 2.0, "%", "~"),
        ("粮食产量1.4万亿斤左右", 1.4e12, "斤", "~"),
        ("单位国内生产总值能耗降低3%左右,生态环境质量持续改善", 3.0, "%", "~"),
    ]


# The sentence that states a report's annual targets, in the phrasings of 2004-2025:
# `今年发展主要预期目标是:`, `2006年国民经济和社会发展的主要预期目标是:`,
# `今年国民经济和社会发展的预期目标是:`, `中央提出今年经济增长预期目标为7%左右`
TARGET_HEAD = r"(?:今年|{year}年)[^。;]{{0,20}}目标(?:是|为)"


@pytest.mark.parametrize("year", [y for y in range(2004, 2026) if y != 2020])
def test_every_quantified_item_of_a_modern_work_report_target_list_is_a_target_of_that_year(year):
    b, doc_id = _report(year)
    sents = b.tables["sentences"].filter(pl.col("doc_id") == doc_id).sort("sent_no")
    head = sents.filter(pl.col("text").str.contains(TARGET_HEAD.format(year=year))).row(0, named=True)
    # the list runs on through sentences ending in `;` or `:` (`主要预期目标是:` alone in its paragraph)
    after = sents.filter(pl.col("sent_no") >= head["sent_no"])
    stop = after.filter(~pl.col("text").str.contains(r"[;:]$"))["sent_no"][0]
    span = after.filter(pl.col("sent_no") <= stop)
    lo, hi = span["char_start"].min(), span["char_end"].max()
    figs = b.tables["figures"].filter(pl.col("doc_id") == doc_id, pl.col("char_start") >= lo, pl.col("char_end") <= hi)
    targets = b.tables["targets"].filter(pl.col("doc_id") == doc_id)
    assert figs.height >= 1
    for f in figs.iter_rows(named=True):
        holding = targets.filter(pl.col("char_start") <= f["char_start"], pl.col("char_end") >= f["char_end"])
        assert holding.height == 1, (year, f["surface"])
        assert holding["deadline_year"][0] == year, (year, f["surface"])
        assert holding["value"][0] == f["value"], (year, f["surface"], holding["text"][0])


def test_forecast_is_not_a_commitment():
    text = "预计到2030年,全国铁路营业里程将达到18万公里左右。"
    assert targets_from_sentences(*frames(text, figures=[("18万公里左右", 180000.0, "公里", "~")])).is_empty()


def test_will_without_its_own_deadline_does_not_borrow_one_from_an_earlier_clause():
    text = "今年,雄安新区将持续推进环淀生态廊道建设,丰富观众体验。"
    t = targets_from_sentences(*frames(text))
    assert t.select("text", "deadline_year").rows() == [("今年,雄安新区将持续推进环淀生态廊道建设", 2024)]


def test_an_unquantified_clause_under_the_same_deadline_continues_the_target():
    text = "力争到2027年,实现专精特新“小巨人”企业数字化改造全覆盖,专精特新中小企业率先实现数字化转型。"
    t = targets_from_sentences(*frames(text))
    assert t["text"].to_list() == [text.rstrip("。")]


def test_a_new_year_deadline_after_a_pause_mark_is_a_new_target():
    text = "将践信守诺,力争2030年前实现碳达峰、2060年前实现碳中和。"
    t = targets_from_sentences(*frames(text, published=dt.date(2021, 11, 2)))
    assert t.select("text", "deadline_year").rows() == [("力争2030年前实现碳达峰", 2030), ("2060年前实现碳中和", 2060)]


@pytest.mark.parametrize("text", [
    "德国今年经济损失将接近600亿欧元。",                      # another country's outlook
    "委内瑞拉将于明年1月1日起全面开放与哥伦比亚的全部边境。",  # another country's plan
    "近期还多次公开宣称将于今年启动排海且不会推迟。",          # a claim reported from others
    "为庆祝中阿建交50周年,双方将举行覆盖面广、贯穿全年的交流活动。",  # 全年 is not a deadline here
    "届时,两国元首将全面总结今年中俄关系和各领域合作成果。",  # 今年 inside the object
    "今年亚太经合组织领导人非正式会议将于11月15日至17日在美国旧金山召开。",  # a schedule
    "明年我们将迎来中挪建交70周年。",                          # an anniversary
    "力争用8年时间即到2000年,基本实现绿化。",                 # deadline past at publication
])
def test_not_a_commitment_of_the_speakers_side(text):
    assert targets_from_sentences(*frames(text)).is_empty()


def test_a_reporters_question_is_not_a_target():
    s, f, d = frames("据报道,美国政府拟派主要来自美国国务院和国防部的18名官员赴华。",
                     figures=[("18名", 18.0, "名", "=")])
    assert targets_from_sentences(s.with_columns(speaker=pl.lit("记者")), f, d).is_empty()


def test_a_number_right_after_a_strong_word_is_not_the_goal():
    text = "确保14亿多中国人的饭碗牢牢端在自己手中。"
    assert targets_from_sentences(*frames(text, figures=[("14亿多", 1.4e9, "", ">")])).is_empty()


def test_quantity_after_the_setting_verb_is_the_targets_value():
    text = "深化增值税改革,将制造业等行业现行16%的税率降至13%。"
    t = targets_from_sentences(*frames(text, published=dt.date(2019, 3, 5),
                                       figures=[("16%", 16.0, "%", "="), ("13%", 13.0, "%", "=")]))
    assert t.select("text", "value", "deadline_year").rows() == [("将制造业等行业现行16%的税率降至13%", 13.0, None)]


def test_a_plan_clause_opening_with_this_year_needs_no_commitment_word():
    text = "今年中央预算内投资安排5776亿元,比去年增加400亿元。"
    t = targets_from_sentences(*frames(text, published=dt.date(2019, 3, 5),
                                       figures=[("5776亿元", 5.776e11, "元", "="), ("400亿元", 4e10, "元", "=")]))
    assert t.select("value", "deadline_year").rows() == [(5.776e11, 2019)]
