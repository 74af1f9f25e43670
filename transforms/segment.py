"""Segmentation: paragraphs -> sections and sentences, all documents at once."""
from __future__ import annotations

import polars as pl

from transforms.runs import cum_sum_in_run, row_in_run

# Sentence ends: `。！？；` and half-width `!?;` (cleaning folds `！？；` to `!?;`),
# with closing quotes/brackets that follow (`...有力支撑。”`); `《...》` is never split:
# `出台《关于...的意见。》` stays whole. `…` and `……` end a sentence too.
SENTENCE = (
    r"(?:《[^》\n]*》|[^。！？!?；;…])+(?:(?:[。！？!?；;]|…+)+[”’」』)]*)?"
    r"|(?:[。！？!?；;]|…+)+[”’」』)]*"
)


def sections_from_paragraphs(paragraphs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each heading opens a section that runs to the next heading. Paragraphs
    before the first heading form section 0 (heading NULL). Returns
    (paragraphs with section_no, sections)."""
    paragraphs = paragraphs.with_columns(
        section_no=cum_sum_in_run(pl.col("is_heading").cast(pl.Int32), "doc_id"),
    )
    sections = (
        paragraphs.group_by("doc_id", "section_no", maintain_order=True)
        .agg(
            heading=pl.col("text").filter(pl.col("is_heading")).first(),
            char_start=pl.col("char_start").min(),
            char_end=pl.col("char_end").max(),
            n_paragraphs=pl.len().cast(pl.Int32),
        )
    )
    return paragraphs, sections


def sentences_from_paragraphs(paragraphs: pl.DataFrame) -> pl.DataFrame:
    """Body paragraphs (headings are not sentences) -> one row per sentence with
    character offsets into clean_text, carrying the paragraph's turn and speaker."""
    keep = [c for c in ("turn_no", "speaker") if c in paragraphs.columns]
    # the speaker of each sentence, where reported speech gave the paragraph's sentences
    # their own (`...增长5%。付凌晖表示,...`: no speaker, then 付凌晖)
    own = ["sentence_speakers"] if "sentence_speakers" in paragraphs.columns and "speaker" in keep else []
    pieces = (
        paragraphs.filter(~pl.col("is_heading"))
        .select("doc_id", "para_no", *keep, *own, "char_start", pl.col("text").str.extract_all(SENTENCE).alias("piece"))
        .explode("piece")
        .drop_nulls("piece")
        .with_columns(n=pl.col("piece").str.len_chars().cast(pl.Int32))
        .with_columns(
            # offset of the piece inside its paragraph: the pieces tile the paragraph
            start=(pl.col("char_start") + cum_sum_in_run(pl.col("n"), "doc_id", "para_no") - pl.col("n")).cast(pl.Int32),
            lead=(pl.col("n") - pl.col("piece").str.strip_chars_start().str.len_chars()).cast(pl.Int32),
            text=pl.col("piece").str.strip_chars(),
            piece_no=row_in_run("doc_id", "para_no"),
        )
        .filter(pl.col("text") != "")
    )
    if own:
        # the pieces are those reported speech read: the n-th piece of a paragraph is its n-th
        pieces = pieces.with_columns(
            speaker=pl.when(pl.col("sentence_speakers").is_not_null())
            .then(pl.col("sentence_speakers").list.get(pl.col("piece_no"), null_on_oob=True))
            .otherwise(pl.col("speaker"))
        )
    return pieces.select(
        "doc_id",
        sent_no=row_in_run("doc_id", start=1).cast(pl.Int32),
        para_no="para_no",
        **{c: c for c in keep},
        text="text",
        char_start=pl.col("start") + pl.col("lead"),
        char_end=pl.col("start") + pl.col("lead") + pl.col("text").str.len_chars().cast(pl.Int32),
    )
