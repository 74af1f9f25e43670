"""Author lines of one-person speeches and reports: the occasion line
(`——2024年3月5日在第十四届全国人民代表大会第二次会议上`) and the deliverer line under it
(`国务院总理 李 强`), or a title `X在...上的报告`."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run, run_on
from transforms.lexicon import NOT_A_NAME, TITLE_ALT

# A speech's occasion line: `——2024年3月5日在第十四届全国人民代表大会第二次会议上`,
# `1957年6月26日在第一届全国人民代表大会第四次会議上`.
OCCASION = r"^(?:——)?.{0,40}在.{2,60}(?:会议|大会|會議|大會|论坛|典礼|仪式|开幕式|座谈会|报告会).{0,6}上.{0,6}$"
# The longest line OCCASION can match: 2 (`——`) + 40 + 1 (`在`) + 60 + 3 (the longest
# occasion word) + 6 + 1 (`上`) + 6 characters.
OCCASION_MAX_CHARS = 119
# The title that ends an occasion line when cleaning joined the two lines:
# `——2017年3月5日在第十二届全国人民代表大会第五次会议上国务院总理` -> `国务院总理`.
OCCASION_TITLE = r"上(\p{Han}{0,20}?(?:" + TITLE_ALT + r"))$"
# A title alone on its line under the occasion: `国务院总理`.
TITLE_ONLY_LINE = r"^\p{Han}{0,20}?(?:" + TITLE_ALT + r")$"
# The deliverer line under it: `国务院总理 李 强`, `习 近 平`, `周恩来`.
DELIVERER = r"^((?:\p{Han}{0,20}?(?:" + TITLE_ALT + r"))?)\s*(\p{Han}(?:\s*\p{Han}){1,3})$"
# A speech named in its title: `陈独秀在中国共产党第三次全国代表大会上的报告`.
TITLE_DELIVERER = r"^(?:\p{Han}{0,20}?(?:" + TITLE_ALT + r"))?(\p{Han}{2,3})在.{2,60}上的(?:报告|讲话|致辞|发言|政治报告|工作报告)"


def speech_deliverers(paras: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """doc_id, deliverer, deliverer_line (para_no of the name line, or 0) for
    one-person speeches: an occasion line followed by the deliverer's line, or a
    title `X在...上的报告`."""
    early = paras.filter(pl.col("para_no") <= 12)
    compact = pl.col("text").str.replace_all(r"\s+", " ").str.strip_chars()
    # `在` and `上` stand in every OCCASION, which fits in OCCASION_MAX_CHARS and ends in
    # `上` and at most 6 more characters: the compact text and the costly pattern are
    # computed on those lines only
    occasion_lines = run(
        early.lazy()
        .filter(pl.col("text").str.contains("在", literal=True) & pl.col("text").str.contains("上", literal=True))
        .with_columns(compact=compact)
        .filter((pl.col("compact").str.len_chars() <= OCCASION_MAX_CHARS)
                & pl.col("compact").str.tail(7).str.contains("上", literal=True))
        .filter(pl.col("compact").str.contains(OCCASION))
    )
    occasion = run_on(occasion_lines, occasion_lines.lazy().group_by("doc_id").agg(
        occasion_no=pl.col("para_no").first(),
        occasion_chain=pl.col("compact").str.extract(OCCASION_TITLE, 1).first(),
    ))
    # The (up to 4) lines under the occasion, the only ones read further.
    near = run(
        early.lazy().join(occasion.lazy().select("doc_id", "occasion_no"), on="doc_id", maintain_order="left")
        .filter((pl.col("para_no") > pl.col("occasion_no")) & (pl.col("para_no") <= pl.col("occasion_no") + 4))
        .with_columns(compact=compact)
    )
    # The title on a line of its own between the occasion and the name: `国务院总理` / `李　强`.
    title_line = run_on(near, near.lazy().filter(
        (pl.col("para_no") <= pl.col("occasion_no") + 3) & pl.col("compact").str.contains(TITLE_ONLY_LINE)
    ).group_by("doc_id").agg(line_chain=pl.col("compact").first()))
    occasion = (
        occasion.lazy().join(title_line.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(occasion_chain=pl.coalesce("occasion_chain", "line_chain")).drop("line_chain")
    )
    lines = run_on(near, (
        near.lazy().filter(pl.col("compact").str.len_chars() <= 24)
        .join(occasion.select("doc_id", "occasion_chain"), on="doc_id", how="left", maintain_order="left")
        .with_columns(
            titled=pl.col("compact").str.extract(DELIVERER, 1).fill_null(""),
            who=pl.col("compact").str.extract(DELIVERER, 2).str.replace_all(r"\s", ""),
        )
        .filter(pl.col("who").is_not_null() & ~pl.col("who").str.contains(NOT_A_NAME))
        .group_by("doc_id")
        .agg(deliverer=pl.col("who").first(), deliverer_line=pl.col("para_no").first(),
             deliverer_chain=pl.coalesce(
                 pl.when(pl.col("titled") != "").then(pl.col("titled")), pl.col("occasion_chain")).first())
    ))
    # `上的` stands in every TITLE_DELIVERER
    titles = docs.filter(pl.col("title").str.contains("上的", literal=True))
    from_title = run_on(titles, titles.lazy().select(
        "doc_id", title_deliverer=pl.col("title").str.extract(TITLE_DELIVERER, 1)
    ).drop_nulls("title_deliverer"))
    return run(
        docs.lazy().select("doc_id")
        .join(lines.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(from_title.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(
            deliverer=pl.coalesce("deliverer", "title_deliverer"),
            deliverer_line=pl.col("deliverer_line").fill_null(0),
        )
        .drop_nulls("deliverer")
        .select("doc_id", "deliverer", "deliverer_line", "deliverer_chain")
    )
