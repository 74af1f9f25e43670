"""People a document names: speakers with their introduction, byline authors,
photographers; one row per person per document."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run
from transforms.introductions import chain_parts, introduction_of
from transforms.lexicon import BYLINE_TITLE, NAME, PHOTO_CREDIT, ROLE_PRIORITY

PEOPLE_SCHEMA = {
    "doc_id": pl.String, "name": pl.String, "role": pl.String, "organization": pl.String,
    "titles": pl.List(pl.String),
}


def people_of_documents(
    paras: pl.DataFrame, turns: pl.DataFrame, docs: pl.DataFrame, intros: pl.DataFrame
) -> pl.DataFrame:
    """One row per person per document: speakers (with their introduction),
    byline authors, photographers."""
    not_person = ["记者", "主持人"]
    speakers = run(pl.concat([
        turns.lazy().select("doc_id", name="speaker", role="speaker_role"),
        paras.lazy().filter(pl.col("turn_no").is_null()).select("doc_id", name="speaker", role="speaker_role"),
    ]).drop_nulls("name").filter(~pl.col("name").is_in(not_person)).unique())
    introduced = introduction_of(speakers, intros, "name").lazy().drop("introduced")
    # A speech's deliverer is introduced on the line under its occasion: `国务院总理 李 强`.
    delivered = (
        paras.lazy().filter(pl.col("deliverer_chain").fill_null("") != "")
        .select("doc_id", name="deliverer", chain="deliverer_chain")
        .unique(["doc_id", "name"])
        .select("doc_id", "name", **chain_parts(pl.col("chain")))
    )
    speakers = speakers.lazy().join(
        pl.concat([delivered, introduced.select("doc_id", "name", "titles", "organization")])
        .unique(["doc_id", "name"], keep="first", maintain_order=True),
        on=["doc_id", "name"], how="left",
    )

    authors = (
        docs.lazy().select("doc_id", part=pl.col("byline").str.split(" "))
        .explode("part")
        .with_columns(part=pl.col("part").str.strip_chars())
        .filter(pl.col("part").fill_null("") != "")
        .with_columns(
            is_title=pl.col("part").str.contains(BYLINE_TITLE),
            byline_titles=pl.col("part").filter(pl.col("part").str.contains(BYLINE_TITLE)).implode().over("doc_id"),
        )
        .filter(~pl.col("is_title") & pl.col("part").str.contains("^" + NAME + "$"))
        .select("doc_id", name="part", role=pl.lit("author"), organization=pl.lit(None, pl.String),
                titles="byline_titles")
    )
    photographers = (
        docs.lazy().select("doc_id", line=pl.col("layout_lines"))
        .explode("line")
        .with_columns(line=pl.col("line").str.replace_all(r"\s+", " ").str.strip_chars(" ()"))
        .with_columns(
            credit_title=pl.col("line").str.extract(PHOTO_CREDIT, 1).str.strip_chars(),
            name_list=pl.col("line").str.extract(PHOTO_CREDIT, 2).str.replace_all(r"[、\s]+", " ").str.split(" "),
        )
        .explode("name_list")
        .filter(pl.col("name_list").is_not_null() & pl.col("name_list").str.contains("^" + NAME + "$"))
        .select(
            "doc_id", name="name_list", role=pl.lit("photographer"), organization=pl.lit(None, pl.String),
            titles=pl.when(pl.col("credit_title").fill_null("") != "").then(pl.concat_list("credit_title"))
            .otherwise(pl.lit([], dtype=pl.List(pl.String))),
        )
    )
    # One person per name per document: the most specific role, the first
    # organisation and title list found.
    return run(
        pl.concat([speakers.select(list(PEOPLE_SCHEMA)), authors, photographers], how="vertical_relaxed")
        .with_columns(
            titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            rank=pl.col("role").replace_strict(ROLE_PRIORITY, default=9),
        )
        .sort("doc_id", "name", "rank")
        .group_by("doc_id", "name", maintain_order=True)
        .agg(
            role=pl.col("role").first(),
            organization=pl.col("organization").drop_nulls().first(),
            titles=pl.col("titles").filter(pl.col("titles").list.len() > 0).first(),
        )
        .with_columns(titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .select([pl.col(c).cast(t) for c, t in PEOPLE_SCHEMA.items()])
    )
