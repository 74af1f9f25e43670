"""Speaker labels that open paragraphs: `金壮龙:`, `路透社记者:`, `问:`, `答:`,
`主持人 寿小丽:`, classified into reporter, answer, host, titled and bare-name labels."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import in_text_order, on_rows, run
from transforms.introductions import introduction_of, introductions_in, surname_titles, title_holders
from transforms.lexicon import NAME, NOT_NAME, OUTLET_SUFFIX_ALT, TITLE_ALT

# `金壮龙:`, `《环球时报》记者:`, `主持人 寿小丽:`, `答:` (both colon widths), and a
# title chain with `、`: `国家发展改革委副秘书长、新闻发言人袁达:`.
LABEL = r"^\s*([^:：,，。;；!?！？“”\"()（）]{1,30}?)\s*[:：]"

# Marks some papers set before a label: `■记者:`, `●王宏志:`, `▲问:`.
LABEL_BULLETS = "■□●○▲△◆◇★☆►▶◎"
# Labels that mean a reporter's question: `问:`, `追问:`, `会后有记者问及:`.
REPORTER_PLAIN = r"^(?:问|提问|又问|再问|追问|记者|记者追问|记者问|会后有记者问及|有记者问)$"
# An outlet's reporter: `路透社记者`, `中央广播电视总台央视记者`, `《环球时报》记者`.
REPORTER_OUTLET = r"^(.{1,20}?)记者(?:追问)?$"
# An outlet written without `记者`: `彭博社:`.
OUTLET_ONLY = r"^(\S{1,16}(?:" + OUTLET_SUFFIX_ALT + r"))$"
# The unnamed answer of a single-topic page: `答:`.
ANSWER = r"^答$"
# A host, named or not: `主持人 寿小丽`, `主持人`.
HOST = r"^主持人\s*(" + NAME + r")?$"
# A guest list's line naming the host: `主持人:本报记者 李华`, `主持人:李华`.
HOST_LIST_ITEM = r"^\s*主持人\s*[:：]\s*(?:\S{0,10}记者)?\s*" + NAME + r"\s*$"
# A titled name as a label: `国务院新闻办新闻发言人寿小丽`.
TITLED_NAME = r"^.*?(?:" + TITLE_ALT + r")\s*(" + NAME + r")$"
# A surname with a title, not a name: `毛主席`, `周总理`.
SURNAME_TITLE = r"^\p{Han}(?:" + TITLE_ALT + r")"


def lead_official(paras: pl.DataFrame, doc_ids: pl.DataFrame) -> pl.DataFrame:
    """doc_id, lead_official: the one person the text introduces before its first
    label (`——访国家能源局党组成员、副局长 张建平`), who answers its `答:` paragraphs;
    found only for the documents of `doc_ids` (doc_id)."""
    first_label = (
        paras.lazy().filter(pl.col("label_kind").is_not_null())
        .group_by("doc_id").agg(first_label=pl.col("para_no").min())
        .join(doc_ids.lazy(), on="doc_id", how="semi")
    )
    lead = run(
        paras.lazy().join(first_label, on="doc_id")
        .filter(pl.col("para_no") < pl.col("first_label"))
        .group_by("doc_id")
        .agg(text=pl.col("text").str.join("\n"))
    )
    if lead.is_empty():  # nothing to read (and no pattern to compile)
        return pl.DataFrame(schema={"doc_id": pl.String, "lead_official": pl.String})
    return run(
        introductions_in(lead).lazy()
        .filter(~pl.col("full_name").str.contains(NOT_NAME))
        .group_by("doc_id")
        .agg(names=pl.col("full_name").unique())
        .filter(pl.col("names").list.len() == 1)
        .select("doc_id", lead_official=pl.col("names").list.first())
    )


def label_candidates(paragraphs: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """Paragraphs in text order with the label (if any) opening each: label_cand, its
    label_kind before the evidence for bare names, outlet, cand_speaker (the speaker it
    names), and the document's event_speaker."""
    cand, kind = pl.col("label_cand"), pl.col("label_kind")
    # LABEL ends in a colon: it runs only on the paragraphs that hold one. The label is
    # its whole match (found without the slower capture) less the colon: the whitespace
    # around group 1 goes with the strip.
    p = on_rows(
        in_text_order(paragraphs),
        ~pl.col("is_heading") & pl.col("text").str.contains("[:：]"),
        label_cand=pl.col("text").str.extract_all(LABEL).list.first().str.head(-1)
        .str.replace_all(r"\s+", " ").str.strip_chars().str.strip_chars_start(LABEL_BULLETS).str.strip_chars(),
    )
    # Labels recur (`问`, `答`, a speaker's name): each distinct label is classified once,
    # with the speaker it names (cand_speaker) and its outlet, and joined back.
    kinds = run(
        p.lazy().select(cand.unique()).drop_nulls()
        .with_columns(
            label_kind=pl.when(cand.str.contains(REPORTER_PLAIN)).then(pl.lit("reporter"))
            .when(cand.str.contains(REPORTER_OUTLET)).then(pl.lit("reporter"))
            .when(cand.str.contains(ANSWER)).then(pl.lit("answer"))
            .when(cand.str.contains(HOST)).then(pl.lit("host"))
            .when(cand.str.contains(OUTLET_ONLY)).then(pl.lit("reporter"))
            .when(
                cand.str.contains(TITLED_NAME) & ~cand.str.contains(SURNAME_TITLE)
                & ~cand.str.extract(TITLED_NAME, 1).str.contains(NOT_NAME)
            ).then(pl.lit("titled"))
            .when(cand.str.contains("^" + NAME + "$") & ~cand.str.contains(NOT_NAME))
            .then(pl.lit("name"))
            # a surname alone, in a dialogue whose guest list names one person with it: `杨:`,
            # or with a title: `王局长:` for the `国家能源局局长王宏志` the text introduced
            .when((cand.str.contains(r"^\p{Han}$") & ~cand.str.contains(NOT_NAME))
                  | cand.str.contains(SURNAME_TITLE + "$"))
            .then(pl.lit("name")),
            outlet=pl.coalesce(
                cand.str.extract(REPORTER_OUTLET, 1), cand.str.extract(OUTLET_ONLY, 1)
            ).str.replace_all(r"[《》]", "").str.strip_chars(),
        )
        .with_columns(
            cand_speaker=pl.when(kind == "reporter").then(pl.lit("记者"))
            .when(kind == "host").then(pl.coalesce(cand.str.extract(HOST, 1), pl.lit("主持人")))
            .when(kind == "titled").then(cand.str.extract(TITLED_NAME, 1))
            .when(kind == "name").then(cand),
        )
    )
    return run(
        p.lazy()
        .join(docs.lazy().select("doc_id", "event_speaker"), on="doc_id", how="left", maintain_order="left")
        .join(kinds.lazy(), on="label_cand", how="left", maintain_order="left")
    )


def labelled_paragraphs(p: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """Classify the label (if any) opening each paragraph of label_candidates: label,
    label_kind, label_speaker, label_role, outlet."""
    cand, kind = pl.col("label_cand"), pl.col("label_kind")
    # A bare name is a label only with evidence: it is the event's speaker, the
    # document introduces it with a title, or it opens several paragraphs of a
    # dialogue (one with reporter, host or answer labels; `原煤:` items of a list are not).
    # All of it holds per document and name: decided once per (doc_id, label_cand).
    named = run(
        p.lazy().filter(kind == "name")
        .group_by("doc_id", "label_cand")
        .agg(repeats=pl.len(), event_speaker=pl.col("event_speaker").first())
    )
    known = introduction_of(named, intros, "label_cand").select("doc_id", "label_cand", "introduced", "full_name")
    by_surname_title = surname_titles(intros).rename({"surname_title": "label_cand", "full_name": "titled_full_name"})
    dialogue = p.lazy().filter(kind.is_in(["reporter", "host", "answer"])).select("doc_id").unique().with_columns(
        dialogue=pl.lit(True))
    evidence = (
        named.lazy()
        .join(known.lazy(), on=["doc_id", "label_cand"], how="left")
        .join(by_surname_title, on=["doc_id", "label_cand"], how="left")
        .with_columns(introduced=pl.col("introduced") | pl.col("titled_full_name").is_not_null(),
                      full_name=pl.coalesce("full_name", "titled_full_name"))
        .join(dialogue, on="doc_id", how="left")
        .select(
            "doc_id", "label_cand",
            name_official=pl.col("introduced").fill_null(False) | (cand == pl.col("event_speaker")).fill_null(False),
            name_ok=(pl.col("repeats") >= 2) & pl.col("dialogue").fill_null(False) & (cand.str.len_chars() >= 2),
            # a short label (`杨:`, `杨立:` for `杨立军`) is the full name it introduces
            label_full_name=pl.coalesce(pl.when(pl.col("full_name").str.starts_with(cand)).then(pl.col("full_name")),
                                        "titled_full_name"),
        )
        .with_columns(name_ok=pl.col("name_ok") | pl.col("name_official"))
    )
    # `主持人:` is the host the document names (`主持人:本报记者 李华` in a guest list)
    hosts = title_holders(intros).filter(pl.col("title") == "主持人").select("doc_id", host_name="full_name")
    # An outlet alone (`彭博社:`) is a reporter's label only where someone answers: a round-up
    # of foreign coverage heads its sections `阿根廷布宜诺斯艾利斯经济新闻网:` too.
    outlet_only = (kind == "reporter") & cand.str.contains(OUTLET_ONLY) & ~cand.str.contains(REPORTER_OUTLET)
    answers = kind.is_in(["answer", "titled", "host"]) | ((kind == "name") & pl.col("name_official").fill_null(False))
    return run(
        p.lazy()
        .join(evidence, on=["doc_id", "label_cand"], how="left", maintain_order="left")
        .join(hosts, on="doc_id", how="left", maintain_order="left")
        .with_columns(answered=answers.fill_null(False).any().over("doc_id"))
        .with_columns(label_kind=pl.when((kind == "name") & ~pl.col("name_ok")).then(None)
                      .when(outlet_only & ~pl.col("answered")).then(None)
                      # a guest list's `主持人:本报记者 李华` names the host; it is not a turn
                      .when((kind == "host") & pl.col("text").str.contains(HOST_LIST_ITEM)).then(None)
                      .otherwise(kind))
        .with_columns(
            label=pl.when(kind.is_not_null()).then(cand),
            label_speaker=pl.when(kind == "name").then(pl.coalesce("label_full_name", "cand_speaker"))
            .when((kind == "host") & (pl.col("cand_speaker") == "主持人")).then(pl.coalesce("host_name", "cand_speaker"))
            .when(kind.is_not_null()).then(pl.col("cand_speaker")),
            label_role=pl.when(kind == "reporter").then(pl.lit("reporter"))
            .when(kind == "host").then(pl.lit("host"))
            .when(kind.is_in(["answer", "titled"])).then(pl.lit("official"))
            .when(kind == "name")
            .then(pl.when(pl.col("name_official")).then(pl.lit("official")).otherwise(pl.lit("other"))),
        )
        .drop("cand_speaker", "name_official", "name_ok", "label_cand", "label_full_name", "host_name", "answered")
    )
