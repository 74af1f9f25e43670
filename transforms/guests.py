"""Guest lists of interviews and dialogues: `【对话人】`, `对话人:`, `本期嘉宾:` followed by
the people who speak, each with organisation and titles, name first or last:

    【对话人】
    杨立 国务院发展研究中心宏观经济研究部研究员
    国家统计局副局长 盛来运
    主持人:本报记者 李华

Each guest becomes an introduction (the same columns as `introductions`), so the
turns labelled `杨立:`, `盛来运:` or by surname alone (`杨:`) resolve to a full person
with organisation and titles, and the host of `主持人:` turns to the named host."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run, run_on
from transforms.introductions import chain_parts
from transforms.lexicon import FOREIGN_NAME, NOT_NAME, TITLE_ALT

# What opens a guest list: `【对话人】`, `对话人:`, `本期嘉宾:`, `访谈嘉宾:`, `嘉宾:`.
GUEST_LIST = r"(?:【(?:对话人|对话嘉宾|访谈嘉宾|嘉宾|本期嘉宾)】|(?:对话人|对话嘉宾|访谈嘉宾|本期嘉宾|嘉宾)[:：])"
# The list itself: what follows the marker, a few lines at most.
GUEST_BLOCK = GUEST_LIST + r"\s*([^\n]*(?:\n[^\n]*){0,7})"
GUEST_NAME = r"(?:" + FOREIGN_NAME + r"|\p{Han}{2,4})"
# One guest, name first: `杨立 国务院发展研究中心宏观经济研究部研究员`, `杨立(研究员)`,
# `杨立,国务院发展研究中心研究员`.
GUEST_NAME_FIRST = (
    r"^(" + GUEST_NAME + r")\s*[,:(\s]\s*([^()]{0,40}?(?:" + TITLE_ALT + r"))\)?$"
)
# One guest, name last: `国家统计局副局长 盛来运`, `主持人:本报记者 李华`.
GUEST_NAME_LAST = r"^([^()]{0,40}?(?:" + TITLE_ALT + r"|记者))[:\s]*(" + GUEST_NAME + r")$"
GUEST_SCHEMA = {
    "doc_id": pl.String, "intro_no": pl.Int64, "name_cand": pl.String, "organization": pl.String,
    "titles": pl.List(pl.String), "full_name": pl.String,
}


def guest_introductions(docs: pl.DataFrame) -> pl.DataFrame:
    """The guests (and host) a document lists before its dialogue, as introductions:
    doc_id, intro_no (negative: before every introduction in the text), name_cand,
    organization, titles, full_name."""
    listed = docs.filter(pl.col("clean_text").str.contains(GUEST_LIST))
    items = run_on(listed, (
        listed.lazy()
        .select("doc_id", block=pl.col("clean_text").str.extract(GUEST_BLOCK, 1))
        .select("doc_id", item=pl.col("block").str.split("\n"))
        .explode("item")
        .with_columns(item=pl.col("item").str.replace_all(r"\s+", " ").str.strip_chars(" ;;。"))
        .filter(pl.col("item") != "")
        .with_columns(
            first=pl.col("item").str.extract_groups(GUEST_NAME_FIRST),
            last=pl.col("item").str.extract_groups(GUEST_NAME_LAST),
        )
        .with_columns(
            name=pl.coalesce(pl.col("first").struct.field("1"), pl.col("last").struct.field("2")),
            chain=pl.coalesce(pl.col("first").struct.field("2"), pl.col("last").struct.field("1")),
        )
        # the list ends at its first line that is not a guest (the dialogue's first turn)
        .with_columns(ended=pl.col("name").is_null().cum_max().over("doc_id"))
        .filter(~pl.col("ended") & ~pl.col("name").str.contains(NOT_NAME))
        .select("doc_id", "name", chain=pl.col("chain").str.replace(r"^主持人[:\s]*", "主持人"))
    ))
    if items.is_empty():
        return pl.DataFrame(schema=GUEST_SCHEMA)
    return run(
        items.lazy()
        .with_columns(intro_no=-(pl.int_range(pl.len(), 0, -1).over("doc_id")))
        .select(
            "doc_id", "intro_no", name_cand="name", full_name="name",
            # `主持人本报记者`: the host is a reporter of the paper; the titles say `主持人`
            **chain_parts(pl.col("chain").str.replace(r"本报记者$|记者$", "")),
        )
        .select([pl.col(c).cast(t) for c, t in GUEST_SCHEMA.items()])
    )
