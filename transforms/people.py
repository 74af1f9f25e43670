"""People a document names: speakers with their introduction, byline authors,
photographers; one row per person per document."""
from __future__ import annotations

import polars as pl

from transforms.author_lines import REGION_HEAD, RELATIVE_ORGANIZATION
from transforms.frame_ops import run
from transforms.introductions import FOREIGN_INTRO_BASE, chain_parts, introduction_of
from transforms.lexicon import (
    BRACKET_BYLINE, BYLINE_EDITOR, BYLINE_SEPARATOR, BYLINE_TITLE, CAPTION_CREDIT, NAME, NON_OFFICIAL_ALT, NOT_NAME, NOT_NAME_END, PHOTO_CREDIT, ROLE_PRIORITY, SPACED_NAME,
    SURNAME_ALT,
)

PEOPLE_SCHEMA = {
    "doc_id": pl.String, "name": pl.String, "role": pl.String, "organization": pl.String,
    "titles": pl.List(pl.String),
}


def people_of_documents(
    paras: pl.DataFrame, turns: pl.DataFrame, docs: pl.DataFrame, intros: pl.DataFrame
) -> pl.DataFrame:
    """One row per person per document: speakers (with their introduction), everyone
    else introduced with a title, byline authors, photographers."""
    not_person = ["记者", "主持人"]
    speakers = run(pl.concat([
        turns.lazy().select("doc_id", name="speaker", role="speaker_role"),
        paras.lazy().filter(pl.col("turn_no").is_null()).select("doc_id", name="speaker", role="speaker_role"),
    ]).drop_nulls("name").filter(~pl.col("name").is_in(not_person)).unique())
    introduced = introduction_of(speakers, intros, "name").lazy().drop("introduced")
    # A speech's deliverer is introduced on the line under its occasion: `国务院总理 李 强`.
    delivered = (
        paras.lazy().filter(pl.col("deliverer_chain").fill_null("") != "")
        .select("doc_id", name="deliverer", chain="deliverer_chain", region="deliverer_region")
        .unique(["doc_id", "name"])
        .select("doc_id", "name", "region", **chain_parts(pl.col("chain")))
        # `省长 胡玉亭` under `在吉林省第十四届人民代表大会...上` is 吉林省's; `省人民政府省长`
        # there is 吉林省人民政府's
        .select("doc_id", "name", "titles", organization=pl.when(pl.col("organization").is_null()).then("region")
                .when(pl.col("organization").str.contains(RELATIVE_ORGANIZATION) & pl.col("region").is_not_null())
                .then(pl.col("region") + pl.col("organization").str.replace(REGION_HEAD, ""))
                .otherwise("organization"))
    )
    speakers = speakers.lazy().join(
        pl.concat([delivered, introduced.select("doc_id", "name", "titles", "organization")])
        .unique(["doc_id", "name"], keep="first", maintain_order=True),
        on=["doc_id", "name"], how="left",
    )

    # Everyone else the document introduces with a title: `国务院总理李强出席`,
    # `中国国际经济交流中心首席研究员张燕生` (the fullest introduction of each name).
    named = (
        intros.lazy().filter(~pl.col("full_name").str.contains(NOT_NAME)
                             & (pl.col("full_name").str.contains("^(?:" + SURNAME_ALT + r")|·")
                                | (pl.col("intro_no") >= FOREIGN_INTRO_BASE))
                             & ~pl.col("full_name").str.contains(NOT_NAME_END))
        .sort("doc_id", pl.col("organization").is_null(), "intro_no")
        .unique(["doc_id", "full_name"], keep="first", maintain_order=True)
        .select(
            "doc_id", name="full_name",
            role=pl.when(pl.col("titles").list.contains("主持人")).then(pl.lit("host"))
            .when(pl.col("titles").list.eval(pl.element().str.contains("^(?:" + NON_OFFICIAL_ALT + ")$")).list.all())
            .then(pl.lit("other")).otherwise(pl.lit("official")),
            organization="organization", titles="titles",
        )
    )

    # An introduced name with the next word's first character beside a speaker's name
    # (`赵刚作` of `省长赵刚作政府工作报告` beside `赵刚`), or a speaker's name cut short
    # (`李克` beside `李克强`), is that speaker.
    # (a name is one row of `named`: its role, organisation and titles go with it)
    spoken = speakers.select("doc_id", spoken="name")
    named = (
        named.join(spoken, on="doc_id", how="left")
        .with_columns(same=(pl.col("name").str.head(-1) == pl.col("spoken"))
                      | (pl.col("spoken").str.starts_with(pl.col("name")) & (pl.col("spoken") != pl.col("name"))))
        .group_by("doc_id", "name", maintain_order=True)
        .agg(pl.col("role", "organization", "titles").first(), same=pl.col("same").any())
        .filter(~pl.col("same").fill_null(False))
        .drop("same")
    )
    # a title with no organisation before a word (`总书记高度重视`, `市民文化节`) is not an
    # introduction: without an organisation the name must recur in the text (counted for
    # those names only)
    recurs = (
        named.filter(pl.col("organization").is_null()).select("doc_id", "name")
        .join(docs.lazy().select("doc_id", "clean_text"), on="doc_id", how="inner")
        .filter(pl.col("clean_text").fill_null("").str.count_matches(pl.col("name"), literal=True) >= 2)
        .select("doc_id", "name", recurs=pl.lit(True))
    )
    named = (
        named.join(recurs, on=["doc_id", "name"], how="left", maintain_order="left")
        .filter(pl.col("organization").is_not_null() | pl.col("recurs").fill_null(False))
        .drop("recurs")
    )

    authors = (
        # a page's byline as its reader gives it: `本报记者 齐旭`, `记者 王莹 吴秋余`,
        # `作者:陆一夫`, `新京报记者 陆一夫、张三`; an editor's name is not an author's
        docs.lazy().select("doc_id", part=pl.col("byline").str.replace(BYLINE_EDITOR, "")
                           .str.replace_all(BYLINE_SEPARATOR, " ").str.split(" "))
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
    # Reporters a dateline names near the top, or a bracket closing the report:
    # `新华社北京1月5日电(记者王希、申铖)`, `...。(本报记者 王浩)`.
    datelined = (
        paras.lazy()
        .filter(((pl.col("para_no") <= 3) | (pl.col("para_no") >= pl.col("para_no").max().over("doc_id") - 1))
                & pl.col("text").str.contains("(", literal=True))
        .select("doc_id", found=pl.col("text").str.extract_groups(BRACKET_BYLINE))
        .select("doc_id", role_title=pl.col("found").struct.field("1"),
                name=pl.col("found").struct.field("2").str.replace_all(r"\s*[、\s]\s*", " ").str.split(" "))
        .drop_nulls("role_title")
        .explode("name")
        # `(记者 陈智 整合)`: the words after the names are not names
        .filter(pl.col("name").str.contains("^" + NAME + "$")
                & pl.col("name").str.contains("^(?:" + SURNAME_ALT + r")|·"))
        .select("doc_id", "name", role=pl.lit("author"), organization=pl.lit(None, pl.String),
                titles=pl.concat_list("role_title"))
    )
    authors = pl.concat([authors, datelined], how="vertical_relaxed")
    # Credits on layout lines, and at the end of a caption the cleaner kept as a paragraph:
    # `殷勇同志作政府工作报告。本报记者 戴冰摄`.
    captions = (
        paras.lazy().filter(pl.col("text").str.contains("摄", literal=True))
        .select("doc_id", line=pl.col("text").str.extract(CAPTION_CREDIT, 1))
        .drop_nulls("line")
    )
    photographers = (
        pl.concat([docs.lazy().select("doc_id", line=pl.col("layout_lines")).explode("line"), captions])
        # (a caption's marker first: `▲广州日报全媒体图片记者 李妍 摄`)
        .with_columns(line=pl.col("line").str.replace_all(r"\s+", " ").str.replace(r"^[^\w(]+", "")
                      .str.strip_chars(" ()"))
        # a name spaced out character by character: `林 君摄` -> `林君摄`
        .with_columns(line=pl.col("line").str.replace(SPACED_NAME, " ${1}${2}${3}${4}摄"))
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
        pl.concat([speakers.select(list(PEOPLE_SCHEMA)).with_columns(found_as=pl.lit(0)),
                   named.with_columns(found_as=pl.lit(1)),
                   authors.with_columns(found_as=pl.lit(2)), photographers.with_columns(found_as=pl.lit(2))],
                  how="vertical_relaxed")
        .with_columns(
            titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            rank=pl.col("role").replace_strict(ROLE_PRIORITY, default=9),
            organization=organization_as_named(pl.col("organization")),
        )
        # as a speaker (with the role of the turn: a titled official who hosts is `host`),
        # byline or credit before as merely introduced
        .sort("doc_id", "name", pl.col("found_as") == 1, "rank", maintain_order=True)
        .group_by("doc_id", "name", maintain_order=True)
        .agg(
            role=pl.col("role").first(),
            organization=pl.col("organization").drop_nulls().first(),
            titles=pl.col("titles").filter(pl.col("titles").list.len() > 0).first(),
        )
        .with_columns(titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .select([pl.col(c).cast(t) for c, t in PEOPLE_SCHEMA.items()])
    )


# The clause a title chain was cut from, left before the organisation: `闭幕式由中国地理学会...`
# (`由`, not the `由` of `自由`), `听取了财政部`.
ORGANIZATION_CLAUSE = r"^.*?(?:[^自]由|了)(\p{Han}{2,})$"
# An organisation named only by reference to an earlier one (`该院副主任医师`, `我院党委副书记`):
# no name a reader can query.
ORGANIZATION_ANAPHOR = r"^[该我本此](?:院|校|所|局|部|委|厅|市|省|县|区|公司|集团|中心|会|行|社)$"


def organization_as_named(org: pl.Expr) -> pl.Expr:
    """An organisation as a query would name it: the clause before it dropped, none for `该院`."""
    org = org.str.replace(ORGANIZATION_CLAUSE, "${1}")
    return pl.when(org.str.contains(ORGANIZATION_ANAPHOR)).then(pl.lit(None, pl.String)).otherwise(org)
