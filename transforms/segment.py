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


# The longest sentence of the shipped corpus is 501 characters. Text with no sentence end
# for longer (a file that is one line of commas, OCR without punctuation) is cut into
# pieces of at most this many characters, each ending at its last comma when it has one,
# so that the extractors' cost stays linear in the text's length (the figures stage holds
# each match with its sentence: 0.5 MB in one sentence took 4.4 GB). The document is
# flagged SENTENCE_CUT_FLAG.
MAX_SENTENCE_CHARS = 1000
SENTENCE_CUT_FLAG = "long_sentences_cut"
# where a cut prefers to fall: after a comma, enumeration comma or semicolon-like pause
CUT_AFTER = ",、:，："


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
    character offsets into clean_text, carrying the paragraph's turn and speaker,
    and `cut`: the sentence is a piece of a longer one (MAX_SENTENCE_CHARS)."""
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
    )
    pieces = cut_long_pieces(pieces).with_columns(n=pl.col("piece").str.len_chars().cast(pl.Int32))
    pieces = (
        pieces
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
        cut="cut",
    )


def cut_long_pieces(pieces: pl.DataFrame) -> pl.DataFrame:
    """Pieces longer than MAX_SENTENCE_CHARS -> consecutive pieces of at most that many
    characters (they still tile the paragraph), with `cut` true. Only over the long
    pieces, which real text does not have, so a loop in Python costs nothing elsewhere."""
    long = pl.col("n") > MAX_SENTENCE_CHARS
    pieces = pieces.with_row_index("_piece").with_columns(cut=long, _part=pl.lit(0, pl.Int64))
    if not pieces["cut"].any():
        return pieces.drop("_piece", "_part")
    cuts = pieces.filter(long)
    cuts = cuts.with_columns(piece=pl.Series([split_at_pauses(p) for p in cuts["piece"]], dtype=pl.List(pl.String)))
    cuts = cuts.explode("piece").with_columns(_part=row_in_run("_piece"))
    return pl.concat([pieces.filter(~long), cuts]).sort("_piece", "_part").drop("_piece", "_part")


def split_at_pauses(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """`text` in consecutive parts of at most `limit` characters, each ending after the
    last pause (CUT_AFTER) within its limit when there is one."""
    parts, start = [], 0
    while len(text) - start > limit:
        end = max(text.rfind(c, start, start + limit) for c in CUT_AFTER) + 1
        if end <= start:
            end = start + limit
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return parts
