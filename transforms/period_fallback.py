"""A figure's period year where the figures stage gives none (`figures.period_year`).

Issue #14 resolves relative time in `figures.py` (`period_year`); until a batch's
figures carry that column, this gives the years that national and provincial work
reports make plain, so that `target_outcomes` can be computed:
  - a figure in a review section (`一、2024年工作回顾`, `一、过去一年和五年工作回顾`) is
    of the heading's year, or of the year before publication for `过去一年`;
  - otherwise its `period` text: `2024年...` -> 2024, `去年`/`上年` -> publication year - 1,
    `今年` -> the publication year, `明年` -> + 1.
A figure whose clause spans several years (`十年来`, `五年`, `年均`) has no one year.
Anything else stays null.
"""
from __future__ import annotations

import polars as pl

REVIEW_HEADING = r"回顾|过去一年|上年工作|去年工作"
# a clause about several years: 十年来, 过去五年, 年均 (`年均` reaches the metric as `年`, `均` cut)
SEVERAL_YEARS = r"年来|[两三四五六七八九十]年|年均|年$|以来|期间|时期"
RELATIVE = {"前年": -2, "去年": -1, "上年": -1, "今年": 0, "本年": 0, "明年": 1}


def _year_of(text: pl.Expr, pub_year: pl.Expr) -> pl.Expr:
    explicit = text.str.extract(r"^((?:19|20)[0-9]{2})年", 1).cast(pl.Int32)
    relative = text.str.extract(f"^({'|'.join(RELATIVE)})", 1).replace_strict(RELATIVE, default=None, return_dtype=pl.Int32)
    return pl.coalesce(explicit, pub_year + relative)


def with_period_year(figures: pl.DataFrame, sentences: pl.DataFrame, paragraphs: pl.DataFrame,
                     sections: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """figures -> the same rows with `period_year` (see module doc); unchanged if they have one."""
    if "period_year" in figures.columns:
        return figures
    headings = (
        sentences.select("doc_id", "sent_no", "para_no")
        .join(paragraphs.select("doc_id", "para_no", "section_no"), on=["doc_id", "para_no"], how="left")
        .join(sections.select("doc_id", "section_no", "heading"), on=["doc_id", "section_no"], how="left")
        .select("doc_id", "sent_no", "heading")
    )
    pub = documents.select("doc_id", _pub=pl.col("published_date").dt.year().cast(pl.Int32))
    review = pl.col("heading").str.contains(REVIEW_HEADING).fill_null(False)
    heading_year = pl.coalesce(pl.col("heading").str.extract(r"((?:19|20)[0-9]{2})年", 1).cast(pl.Int32),
                               pl.when(pl.col("heading").str.contains("过去一年")).then(pl.col("_pub") - 1))
    return (
        figures.join(headings, on=["doc_id", "sent_no"], how="left", maintain_order="left")
        .join(pub, on="doc_id", how="left", maintain_order="left")
        .with_columns(period_year=pl.when(pl.col("metric").str.contains(SEVERAL_YEARS).fill_null(False))
                      .then(pl.lit(None, dtype=pl.Int32))
                      .when(review).then(pl.coalesce(heading_year, _year_of(pl.col("period").fill_null(""), pl.col("_pub"))))
                      .otherwise(_year_of(pl.col("period").fill_null(""), pl.col("_pub"))).cast(pl.Int32))
        .drop("heading", "_pub")
    )
