"""Relative time resolved to calendar years and dates.

A time expression is read against a reference year: the year of the event the
document reports (a work report's meeting) or else of its publication
(`今年` in a 2026 report -> 2026, `去年`/`上年` -> 2025, `明年` -> 2027,
`今后三年` -> 2028, `“十五五”期间`/`末` -> 2030, `到2027年` -> 2027). Without a
reference year a relative expression stays NULL; nothing is guessed.

A report's top-level section heading sets the time its sentences speak of:
`一、2025年工作回顾` (a review of 2025), `三、2026年主要工作`, `今年工作安排`,
`二、“十五五”时期主要目标任务` (a plan for 2026, 2030). A figure of a review
section without a period of its own is about the reviewed year; a target of a
plan section without a deadline of its own is due in the plan's year.
"""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import on_rows
from transforms.runs import cum_sum_in_run, forward_fill_in_run

# Five-year plan number inside `十四五`: `四` -> 14 -> ends 2025 (the 6th plan ended 1985)
PLAN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# `“十五五”期间`, `十四五末`, `“十五五”时期`: a five-year plan, read as its last year
FIVE_YEAR_PLAN = r"十([一二三四五六七八九])五"
# A written year: `2027年`, `到2027年`, `截至2023年年底`
WRITTEN_YEAR = r"((?:19|20)[0-9]{2})年"
# Words for a year relative to the reference year, and the offset
RELATIVE_YEAR = {
    "今年": 0, "年内": 0, "年底前": 0, "年底": 0, "年末": 0, "全年": 0, "本年度": 0, "当年": 0,
    "明年": 1, "后年": 2, "去年": -1, "上年": -1, "上一年": -1, "前年": -2,
    "过去一年": -1, "一年来": -1,
}
RELATIVE_YEAR_RE = "(" + "|".join(sorted(RELATIVE_YEAR, key=len, reverse=True)) + ")"
# A span of coming years, read as its last: `今后三年`, `未来五年` (this year is the first of them)
COMING_YEARS = r"(?:今后|未来)([两二三四五六七八九十])年"
COMING_YEARS_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# A month, with its day or its end: `3月底前`, `6月底`, `10月1日前`, `截至2024年6月末`
MONTH_DAY = r"([0-9]{1,2})月(?:([0-9]{1,2})日)?"
# A period that only names months or quarters of an unnamed year: `1—5月`, `上半年`, `一季度`
MONTHS_ONLY = r"^(?:截至|截止到|截止)?(?:前[0-9一二三四五六七八九十]+个月|[0-9]{1,2}(?:—[0-9]{1,2})?月|上半年|下半年|前三季度|[一二三四]季度)"
# The year before, named as the base of a comparison: `比上年增加1.2万亿元`, `较去年同期增长`
# (`上年` as the figure's own period: `上年全省地区生产总值...`, `去年...达到`)
COMPARED_YEAR = r"^(?:上年|去年)$"
COMPARISON_BASE = r"(?:比|较|同比|与)(?:上年|去年)"
NOT_COMPARISON_BASE = r"(?:^|[^比较与])(?:上年|去年)"
# Where a period ends at a date: `截至2023年年底`, `截至6月底`, `截至今年3月末`
PERIOD_UNTIL = r"^(?:截至|截止到|截止)"

# A report's top-level heading: `一、2025年工作回顾`, `三、对今年政府工作的建议` (a short
# paragraph, no full stop); markdown or standalone headings are read too (`今年工作安排`)
TOP_HEADING = r"^[一二三四五六七八九十]+、"
# A heading inside a section (`（一）继续创新和完善宏观调控`, `(三)“十一五”时期...`): keeps its section's time
SUB_HEADING = r"^[(（][一二三四五六七八九十]+[)）]"
HEADING_MAX_CHARS = 40
# A heading line without a number, known by its words: `“十四五”时期工作回顾`, `2026年重点工作`,
# `今年工作安排` (not the title `2026年甘肃省政府工作报告`, nor a sentence: no punctuation)
TIME_HEADING = (
    r"^(?:关于|对)?(?:“?十[一二三四五六七八九]五”?|(?:19|20)[0-9]{2}年|今年|明年|去年|过去一年|一年来)"
    r"[^,:。;!?]{0,20}(?:回顾|总结|成就|工作|任务|安排|部署|目标|要求|建议)$"
)
# The time a heading names: `2025年`, `今年`, `“十五五”`, `过去一年`
HEADING_TIME = r"(?:19|20)[0-9]{2}年|今年|明年|去年|过去一年|一年来|十[一二三四五六七八九]五"
REVIEW_WORD = r"回顾|总结|成就|执行情况"
PLAN_WORD = r"目标|任务|安排|部署|建议|要求|取向|工作"
# A document title naming a year's tasks (`工作报告` alone names a review and a plan):
# `2019年中华人民共和国国务院政府工作报告(节选:政府工作任务(一)(四))`, `2026年重点工作安排`
TITLE_PLAN = rf"(?:{HEADING_TIME}).*(?:任务|安排|部署)"
# A plan heading: its last time expression followed by a plan word and no review word:
# `三、2026年重点工作`, `二、“十五五”时期目标任务和2026年工作安排` (-> 2026),
# `二、今年经济社会发展的总体要求、主要预期目标和宏观经济政策`; not `一、2025年工作回顾`
LAST_HEADING_TIME = rf"^.*({HEADING_TIME})(.*)$"
# A review heading: `一、2025年和“十四五”时期工作回顾` (-> 2025), `一、过去一年工作回顾`,
# `一、去年工作回顾`; `一、过去五年工作回顾` names no single year
REVIEW_TIME = r"(?:19|20)[0-9]{2}年|去年|过去一年|一年来"


def year_of(text: pl.Expr, ref_year: pl.Expr) -> pl.Expr:
    """The calendar year a time expression names (Int32), or NULL: a written year
    first, then a five-year plan's last year, then a span of coming years or a
    relative word against `ref_year`."""
    explicit = text.str.extract(WRITTEN_YEAR, 1).cast(pl.Int32)
    plan = (1955 + 5 * (10 + text.str.extract(FIVE_YEAR_PLAN, 1)
                        .replace_strict(PLAN_DIGIT, default=None, return_dtype=pl.Int32))).cast(pl.Int32)
    coming = ref_year + text.str.extract(COMING_YEARS, 1).replace_strict(
        COMING_YEARS_COUNT, default=None, return_dtype=pl.Int32) - 1
    relative = ref_year + text.str.extract(RELATIVE_YEAR_RE, 1).replace_strict(
        RELATIVE_YEAR, default=None, return_dtype=pl.Int32)
    return pl.coalesce(explicit, plan, coming, relative).cast(pl.Int32)


def date_in_year(text: pl.Expr, year: pl.Expr) -> pl.Expr:
    """The date a month (and day) in `text` names in `year`: `3月底前` -> March 31,
    `10月1日前` -> October 1, `年底前`/`年末` -> December 31; NULL without one."""
    month = text.str.extract(MONTH_DAY, 1).cast(pl.Int32)
    day = text.str.extract(MONTH_DAY, 2).cast(pl.Int32)
    first = pl.date(year, month.clip(1, 12), 1)
    month_end = first.dt.month_end()
    by_month = pl.when(day.is_not_null()).then(pl.date(year, month.clip(1, 12), day.clip(1, 31))).otherwise(month_end)
    year_end = pl.when(text.str.contains("年底|年末")).then(pl.date(year, 12, 31))
    return pl.when(month.is_between(1, 12)).then(by_month).otherwise(year_end)


def reference_year(documents: pl.DataFrame) -> pl.DataFrame:
    """doc_id -> ref_year: the event's year, else the publication year (inferred or read)."""
    years = [pl.col("event_date").dt.year()] if "event_date" in documents.columns else []
    years.append(pl.col("published_date").dt.year())
    if "published_year" in documents.columns:
        years.append(pl.col("published_year"))
    return documents.select("doc_id", ref_year=pl.coalesce(*years).cast(pl.Int32))


def section_times(paragraphs: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """paragraphs -> (doc_id, para_no, ref_year, section_kind, section_year): the time
    the paragraph's section speaks of. `section_kind` is `review` or `plan`, set by the
    last heading that named a time; a top-level heading naming none ends a review
    (`四、加强政府自身建设` still belongs to the year's plan), a sub-heading (`（一）`) keeps
    any, and any other heading naming none ends it (a digest's next item)."""
    text = pl.col("text")
    heading = (
        (text.str.contains(TOP_HEADING) | pl.col("is_heading") | text.str.contains(TIME_HEADING))
        & (text.str.len_chars() <= HEADING_MAX_CHARS) & ~text.str.contains("[。;!?]")
    ) | pl.col("_title")
    # a title that names a year's tasks opens the document in them:
    # `2019年国务院政府工作报告(节选:政府工作任务(一)(四))`, `2026年重点工作安排`
    titles = (
        documents.select("doc_id", text=pl.col("title")).filter(pl.col("text").str.contains(TITLE_PLAN).fill_null(False))
        .with_columns(para_no=pl.lit(-1, paragraphs.schema["para_no"]), is_heading=pl.lit(True), _title=pl.lit(True))
    ) if "title" in documents.columns else None
    frame = paragraphs.select("doc_id", "para_no", "text", "is_heading", _title=pl.lit(False))
    if titles is not None and titles.height:
        frame = pl.concat([titles.select(frame.columns), frame])
    frame = frame.join(reference_year(documents), on="doc_id", how="left")
    after_time = text.str.extract(LAST_HEADING_TIME, 2)
    plan_time = pl.when(after_time.str.contains(PLAN_WORD) & ~after_time.str.contains(REVIEW_WORD)) \
        .then(text.str.extract(LAST_HEADING_TIME, 1))
    review_time = pl.when(text.str.contains(REVIEW_WORD)).then(text.str.extract(f"({REVIEW_TIME})", 1))
    # the time a heading names, read only on the headings (a fraction of the paragraphs):
    # on every other row both are NULL
    kind = (
        pl.when(plan_time.is_not_null()).then(pl.lit("plan"))
        .when(text.str.contains(REVIEW_WORD)).then(pl.lit("review"))
        .when(text.str.contains(TOP_HEADING)).then(pl.lit("none"))
        .when(text.str.contains(SUB_HEADING)).then(None)
        # any other heading naming no time (`### 国内首艘大型邮轮交付`) ends the section's time
        .otherwise(pl.lit("end"))
    )
    year = pl.when(plan_time.is_not_null()).then(year_of(plan_time, pl.col("ref_year"))) \
        .otherwise(year_of(review_time, pl.col("ref_year")))
    marked = frame.sort("doc_id", "para_no")
    # (a NULL `heading` is not `~heading`: such a row is read as a heading)
    marked = on_rows(marked, heading.fill_null(True), _kind=kind, _year=year).with_columns(
        # a plan for a year already past is a report of it: `首先报告2025年的工作` in a 2026 report
        _kind=pl.when((pl.col("_kind") == "plan") & (pl.col("_year") < pl.col("ref_year")))
        .then(pl.lit("review")).otherwise("_kind"))
    # an unnamed top-level heading ends a review, and keeps a plan going
    named = pl.when(pl.col("_kind").is_in(["plan", "review"])).then(pl.col("_kind"))
    plan_before = forward_fill_in_run(named, "doc_id").shift(1).fill_null("") == "plan"
    marked = marked.with_columns(
        _set=(pl.col("_kind").is_in(["plan", "review", "end"])
              | ((pl.col("_kind") == "none") & ~plan_before)).fill_null(False),
    ).with_columns(_section=cum_sum_in_run(pl.col("_set").cast(pl.Int32), "doc_id"))
    opened = marked.filter(pl.col("_set")).select(
        "doc_id", "_section",
        section_kind=pl.when(pl.col("_kind").is_in(["plan", "review"])).then(pl.col("_kind")),
        section_year=pl.when(pl.col("_kind").is_in(["plan", "review"])).then(pl.col("_year")),
    )
    return marked.filter(~pl.col("_title")).join(opened, on=["doc_id", "_section"], how="left").select(
        "doc_id", "para_no", "ref_year", "section_kind", "section_year")


def with_time_context(sentences: pl.DataFrame, paragraphs: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """sentences + ref_year, section_kind, section_year (see `section_times`)."""
    times = section_times(paragraphs, documents)
    return sentences.join(times, on=["doc_id", "para_no"], how="left", maintain_order="left")


SECTION_COLUMNS = {"section_kind": pl.String, "section_year": pl.Int32}


def with_section(rows: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """rows (doc_id, sent_no) + the section_kind and section_year of their sentence
    (NULL when `sentences` came without them, see `with_time_context`)."""
    if all(c in sentences.columns for c in SECTION_COLUMNS):
        return rows.join(sentences.select("doc_id", "sent_no", *SECTION_COLUMNS), on=["doc_id", "sent_no"],
                         how="left", maintain_order="left")
    return rows.with_columns(**{c: pl.lit(None, t) for c, t in SECTION_COLUMNS.items()})


def figure_periods(figures: pl.DataFrame, sentences: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """figures + period_year (Int32) and period_end (Date).

    period_year: the year the figure's `period` names (`去年` in a 2025 report -> 2024,
    `截至2023年年底` -> 2023; not `上年` named only as a comparison's base, `比上年增加`); a
    period of months alone (`1—5月`, `上半年`) is in the
    reviewed year of a review section, else in the reference year; a figure without a
    period in a review section (`一、2024年工作回顾`) is about the reviewed year.
    period_end: the date a `截至...` period ends (`截至6月底` -> June 30)."""
    figures_ = with_section(figures, sentences)
    if "text" in sentences.columns:
        figures_ = figures_.join(sentences.select("doc_id", "sent_no", _sentence="text"), on=["doc_id", "sent_no"],
                                 how="left", maintain_order="left")
    else:
        figures_ = figures_.with_columns(_sentence=pl.lit(None, pl.String))
    period = pl.col("period")
    # `上年` that the sentence only names as the base of a comparison is not the figure's period
    comparison_only = (period.str.contains(COMPARED_YEAR) & pl.col("_sentence").str.contains(COMPARISON_BASE)
                       & ~pl.col("_sentence").str.contains(NOT_COMPARISON_BASE)).fill_null(False)
    reviewed = pl.when(pl.col("section_kind") == "review").then(pl.col("section_year"))
    year = (
        pl.when(period.is_null() | comparison_only).then(reviewed)
        .when(period.str.contains(MONTHS_ONLY)).then(pl.coalesce(reviewed, pl.col("ref_year")))
        .otherwise(year_of(period, pl.col("ref_year")))
    )
    out = (
        figures_.join(reference_year(documents), on="doc_id", how="left", maintain_order="left")
        .with_columns(period_year=year.cast(pl.Int32))
        .with_columns(period_end=pl.when(period.str.contains(PERIOD_UNTIL))
                      .then(date_in_year(period, pl.col("period_year"))))
    )
    return out.select(*figures.columns, "period_year", "period_end")
