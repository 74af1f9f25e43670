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

A year without month and day sets `published_year` only (published_date stays
NULL); `published_year` is the date's year wherever a date is known.
"""
from __future__ import annotations

import polars as pl

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

# Every written year, with the deadline marks around it: `2023年`, `到2025年`, `2030年前`
WRITTEN_YEAR = r"(?:到|至)?(?:19|20)[0-9]{2}年(?:以前|之前|前|底前)?"


def _date(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    return pl.concat_str(y, m.str.zfill(2), d.str.zfill(2), separator="-").str.to_date("%Y-%m-%d", strict=False)


def infer_published_dates(documents: pl.DataFrame) -> pl.DataFrame:
    """documents (doc_id, clean_text, published_date, date_source, ...) -> the same
    rows with published_date/date_source filled where the text proves them, plus
    published_year (Int32)."""
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
    ev = documents.select(
        "doc_id",
        full=_date(opening.str.extract(FULL_DATE, 1), opening.str.extract(FULL_DATE, 2), opening.str.extract(FULL_DATE, 3)),
        md_m=opening.str.extract(MONTH_DAY, 1),
        md_d=opening.str.extract(MONTH_DAY, 2),
        md_source=pl.when(opening.str.contains(EDITOR_NOTE)).then(pl.lit("text:editor_note")).otherwise(pl.lit("text:dateline")),
        cmp_year=pl.when((years.list.len() == 1) & ~(latest_written >= years.list.first()).fill_null(False))
        .then(years.list.first()).otherwise(None),
    ).with_columns(
        md_date=_date(pl.col("cmp_year").cast(pl.String), pl.col("md_m"), pl.col("md_d")),
    )
    inferred_date = pl.coalesce("full", "md_date")
    inferred_source = (
        pl.when(pl.col("full").is_not_null()).then(pl.lit("text:opening_date"))
        .when(pl.col("md_date").is_not_null()).then(pl.col("md_source") + pl.lit("+text:year_comparison"))
        .when(pl.col("cmp_year").is_not_null()).then(pl.lit("text:year_comparison"))
    )
    given = pl.col("published_date").is_not_null()
    out = documents.join(
        ev.select("doc_id", inferred_date=inferred_date, inferred_source=inferred_source, cmp_year="cmp_year"),
        on="doc_id", how="left",
    ).with_columns(
        published_date=pl.when(given).then(pl.col("published_date")).otherwise(pl.col("inferred_date")),
        date_source=pl.when(given).then(pl.col("date_source")).otherwise(pl.col("inferred_source")),
    ).with_columns(
        published_year=pl.coalesce(pl.col("published_date").dt.year(), pl.col("cmp_year")).cast(pl.Int32),
    )
    return out.drop("inferred_date", "inferred_source", "cmp_year")
