"""Publication dates inferred from the text, for documents whose reader gave none.

Only from evidence, never a guess:
- an explicit full date in the opening (`2024年7月5日`) -> that date, `text:opening_date`;
- the year: a sentence that compares `今年` with an explicit earlier year
  (`今年1—5月,...增速比2023年加快1.6个百分点` -> 2024), `text:year_comparison`,
  used only when all such sentences agree and no later year is written as past
  (`今年...比2019年增长` is a comparison with an older base year when the text
  also reports `2023年...达到`; years of deadlines `到2025年`, `2030年前` don't count);
- month and day: a paragraph in the opening that starts with them
  (`7月5日,国新办举行...`), `text:editor_note` when the opening has an editor's
  note (`编者按`), else `text:dateline`; combined with the year above.

- a `时间:2026-02-09` / `发布时间:2024-03-05 10:00` / `日期:` line near the top (a
  newspaper page's own publication line) -> `text:time_line`, before the opening date
  (`——2026年2月3日在...会议上` is the meeting, not the paper that printed it);
- a news agency dateline (`新华社北京1月5日电`, `本报北京3月4日电`) -> month and day,
  `text:news_dateline`, with the year as above or from `2026年1月` written in the text.

The event a document reports is kept apart from its publication: the date of the
meeting or press conference (`——2026年1月25日在……会议上`,
`(2026年1月27日在贵州省第十四届人民代表大会第四次会议上)`, `2024年3月5日下午,国新办举行
新闻发布会`) goes to `event_date`, whether or not the publication date is known.

A year without month and day sets `published_year` only (published_date stays
NULL); `published_year` is the date's year wherever a date is known.
"""
from __future__ import annotations

import polars as pl

from sources.detect import find_date  # the one reader of written dates (Chinese numerals included)

# How much of the document counts as its opening (characters)
OPENING_CHARS = 300
# `2024年7月5日` in the opening
FULL_DATE = r"((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日"
# A paragraph of the opening that starts with month and day: `7月5日,国新办举行...`
MONTH_DAY = r"(?:^|\n)\s*([0-9]{1,2})月([0-9]{1,2})日[,,、 ]"
# An editor's note heading: `编者按`
EDITOR_NOTE = r"编者按|编者的话"
# A sentence comparing this year with an explicit earlier year:
# `今年1—5月,规模以上工业增加值同比增长6.2%,增速比2023年加快1.6个百分点`
YEAR_COMPARISON = (
    r"今年[^。!?\n]*?(?:比|较|相比|相较|高于|低于|超过)(?:19|20)[0-9]{2}年"
    r"|(?:比|较|相比|相较)(?:19|20)[0-9]{2}年[^。!?\n]*?今年"
)

# How much of the document a publication line or a meeting line may stand in (characters):
# a scraped page opens with a few lines of chrome (`下载 打印 全屏 收藏 【字号:...】`)
HEAD_CHARS = 600
# `时间:2026-02-09`, `发布时间:2024-03-05 10:00`, `来源:解放日报 时间:2026-02-09`, `日期:2024年3月5日`
TIME_LINE = (
    r"(?:^|\n|\s)(?:发布时间|发布日期|时间|日期)[::]\s*((?:19|20)[0-9]{2})\s*[-/.年]\s*([0-9]{1,2})"
    r"\s*[-/.月]\s*([0-9]{1,2})"
)
# The meeting a report was delivered at, or the event reported:
# `——2026年2月3日在上海市第十六届人民代表大会第四次会议上`, `(2026年1月27日在贵州省...会议上)`,
# `2024年3月5日下午,国新办举行新闻发布会`
EVENT_LINE = (
    r"((?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
    r"[一二三四五六七八九十]{1,3}日)(?:上午|下午|晚上|晚)?"
    r"(?:在[^\n。]{0,60}(?:会议|大会|论坛|会)上|[,,]?[^\n。,,]{0,20}(?:举行|召开|举办)[^\n。]{0,30}(?:新闻发布会|记者会|吹风会|发布会))"
)
# A news agency's dateline: `新华社北京1月5日电`, `本报北京3月4日电`, `中新社香港6月2日电`
NEWS_DATELINE = (
    r"(?:新华社|中新社|人民日报|本报|央视网|人民网|新华网|经济日报|光明日报)[^\n,,。0-9]{0,12}?"
    r"([0-9]{1,2})月([0-9]{1,2})日(?:电|讯)"
)

# Every written year, with the deadline marks around it: `2023年`, `到2025年`, `2030年前`
WRITTEN_YEAR = r"(?:到|至)?(?:19|20)[0-9]{2}年(?:以前|之前|前|底前)?"


def _date(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    return pl.concat_str(y, m.str.zfill(2), d.str.zfill(2), separator="-").str.to_date("%Y-%m-%d", strict=False)


def infer_published_dates(documents: pl.DataFrame) -> pl.DataFrame:
    """documents (doc_id, clean_text, published_date, date_source, ...) -> the same
    rows with published_date/date_source filled where the text proves them, event_date
    filled from a meeting line, plus published_year (Int32)."""
    opening = pl.col("clean_text").str.slice(0, OPENING_CHARS)
    years = (
        pl.col("clean_text").str.extract_all(YEAR_COMPARISON)
        .list.eval(pl.element().str.extract(r"((?:19|20)[0-9]{2})年", 1).cast(pl.Int32) + 1)
        .list.unique()
    )
    # the latest year the text writes as a plain year (not a deadline)
    latest_written = (
        pl.col("clean_text").str.extract_all(WRITTEN_YEAR)
        .list.eval(pl.element().filter(~pl.element().str.contains(r"^(?:到|至)|前$"))
                   .str.extract(r"((?:19|20)[0-9]{2})年", 1).cast(pl.Int32))
        .list.max()
    )
    head = pl.col("clean_text").str.slice(0, HEAD_CHARS)
    dl_m = head.str.extract(NEWS_DATELINE, 1)
    ev = documents.select(
        "doc_id",
        full=_date(opening.str.extract(FULL_DATE, 1), opening.str.extract(FULL_DATE, 2), opening.str.extract(FULL_DATE, 3)),
        time_line=_date(head.str.extract(TIME_LINE, 1), head.str.extract(TIME_LINE, 2), head.str.extract(TIME_LINE, 3)),
        # (Chinese numerals too: `——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上`;
        # read by the readers' one date reader, on the few documents with such a line)
        event=head.str.extract(EVENT_LINE, 1).map_elements(find_date, return_dtype=pl.Date),
        dl_m=dl_m,
        dl_d=head.str.extract(NEWS_DATELINE, 2),
        # `2026年1月` written in the text, for a dateline of January
        dl_year=pl.col("clean_text").str.extract(pl.lit(r"((?:19|20)[0-9]{2})年") + dl_m + pl.lit("月"), 1),
        md_m=opening.str.extract(MONTH_DAY, 1),
        md_d=opening.str.extract(MONTH_DAY, 2),
        md_source=pl.when(opening.str.contains(EDITOR_NOTE)).then(pl.lit("text:editor_note")).otherwise(pl.lit("text:dateline")),
        cmp_year=pl.when((years.list.len() == 1) & ~(latest_written >= years.list.first()).fill_null(False))
        .then(years.list.first()).otherwise(None),
    ).with_columns(
        md_date=_date(pl.col("cmp_year").cast(pl.String), pl.col("md_m"), pl.col("md_d")),
        dl_date=_date(pl.coalesce(pl.col("cmp_year").cast(pl.String), "dl_year"), pl.col("dl_m"), pl.col("dl_d")),
    )
    inferred_date = pl.coalesce("time_line", "full", "dl_date", "md_date")
    inferred_source = (
        pl.when(pl.col("time_line").is_not_null()).then(pl.lit("text:time_line"))
        .when(pl.col("full").is_not_null()).then(pl.lit("text:opening_date"))
        .when(pl.col("dl_date").is_not_null()).then(
            pl.lit("text:news_dateline+") + pl.when(pl.col("cmp_year").is_not_null())
            .then(pl.lit("text:year_comparison")).otherwise(pl.lit("text:written_year")))
        .when(pl.col("md_date").is_not_null()).then(pl.col("md_source") + pl.lit("+text:year_comparison"))
        .when(pl.col("cmp_year").is_not_null()).then(pl.lit("text:year_comparison"))
    )
    given = pl.col("published_date").is_not_null()
    if "event_date" not in documents.columns:
        documents = documents.with_columns(event_date=pl.lit(None, pl.Date))
    out = documents.join(
        ev.select("doc_id", inferred_date=inferred_date, inferred_source=inferred_source, cmp_year="cmp_year",
                  inferred_event="event"),
        on="doc_id", how="left",
    ).with_columns(
        event_date=pl.coalesce("event_date", "inferred_event"),
    ).with_columns(
        published_date=pl.when(given).then(pl.col("published_date")).otherwise(pl.col("inferred_date")),
        date_source=pl.when(given).then(pl.col("date_source")).otherwise(pl.col("inferred_source")),
    ).with_columns(
        published_year=pl.coalesce(pl.col("published_date").dt.year(), pl.col("cmp_year")).cast(pl.Int32),
    )
    return out.drop("inferred_date", "inferred_source", "cmp_year", "inferred_event")
