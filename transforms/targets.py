"""Targets: clauses that commit to a future outcome with a deadline or a quantity.

A sentence is cut into clauses at `,;:`; a sentence ending in `;` or `:` runs on
into the next one (a list `主要预期目标是:A;B;C` is one unit). Inside that unit a
commitment word opens a scope (`力争`, `确保`, `目标是`; weaker: `将`) and a
deadline (`到2027年`, `今年`, `“十五五”期间`) carries forward to the clauses that
follow it. A clause in scope is a target when it has a deadline (own or carried)
or, under a strong commitment word, a quantity. A clause that is only a marker
and a deadline (`力争到2027年,`) is joined to the clause after it.

The quantity of a target is the first figure (from `figures.figures_from_sentences`)
whose span lies inside the target span; `全覆盖` gives 100 `%` on the target only.
"""
from __future__ import annotations

import polars as pl

# Clause: a run up to and including `,` `;` `:`; `《...》` is never cut:
# `力争到2027年,` | `建成200个左右高标准数字园区;`
CLAUSE = r"(?:《[^》]*》|[^,;:])+[,;:]*|[,;:]+"
# Strong commitment words (a quantity alone suffices under them):
# `力争到2027年`, `确保`, `今年发展主要预期目标是:`, `经济增长预期目标为5%左右`,
# `把增长预期目标定在7.5%左右`, `赤字率拟按3%安排` (`拟` as a verb, not `虚拟专网`, `模拟`).
# Searched with quoted names masked: `落实“两个确保”` commits to nothing.
STRONG_MARKER = r"力争|确保|争取|目标(?:是|为|定为|定在)|(?:^|[^虚模草比])拟"
# Weak commitment word (needs a deadline): `今年将再培育认定100家左右`
WEAK_MARKER = r"将"
# A forecast is not a commitment: `预计今年亩产将达到1200斤以上`, `有望`
FORECAST = r"预计|预测|有望|或将|可能"
# Deadlines: `到2027年`, `2025年前`, `“十五五”期间`, `今年`, `年内`, `年底前`, `明年`
DEADLINE = (
    r"到(?:19|20)[0-9]{2}年|(?:19|20)[0-9]{2}年(?:以前|前|底前|年底前)"
    r"|“?十[一二三四五六七八九]五”?(?:规划)?(?:期间|期末|末|时期)"
    r"|今年|年内|年底前|年底|全年|本年度|明年|后年"
)
# A plan year named with the target list: `2006年国民经济和社会发展的主要预期目标是:`
YEAR_OF_TARGETS = r"((?:19|20)[0-9]{2}年)[^,;:。]{0,20}目标(?:是|为)"
# Time words that look like deadlines but report a past period; masked before
# DEADLINE is searched: `截至去年年底`, `去年`, `今年以来`, `今年前5个月`, `今年1—5月`
NOT_DEADLINE = (
    r"截至[^,;:]*|去年[^,;:]{0,3}|上年[^,;:]{0,3}|前年"
    r"|今年(?:以来|前|上半年|下半年|一季度|第一季度|[0-9一二三四五六七八九十]+(?:—|-|至|到)?[0-9一二三四五六七八九十]*月)"
)
# Relative deadlines and their offset from the publication year
RELATIVE_YEAR = {"今年": 0, "年内": 0, "年底前": 0, "年底": 0, "全年": 0, "本年度": 0, "明年": 1, "后年": 2}
# Five-year plan number inside `十四五`: `四` -> 14 -> ends 2025 (the 6th plan ended 1985)
PLAN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A clause that starts an explanation, which closes the commitment scope:
# `既考虑了保持宏观调控目标的连续性`, `体现了推动高质量发展要求`
SCOPE_BREAK = r"^(?:既|也|又|这|从而|以便|为了|使|主要是|综合考虑|考虑|体现|兼顾|符合|有利于|其中|但)"
# An adverbial frame, not a commitment itself: `在优化结构、提高效益...的基础上,`
ADJUNCT = r"^在.*(?:基础上|前提下|情况下)[,;:]*$"
# A comparison tail restating the change of the figure before it:
# `今年拟发行建设国债1100亿元,比上年减少300亿元`
COMPARISON_TAIL = r"^(?:比|较|同比|相比|与上年相比)"
# A quoted name: `“两个确保”`, masked before commitment words are searched
QUOTED = r"“[^”]*”"
# Past or done: `实现了`, `已经培育` (but not `为了`, `除了`)
PAST = r"已|[^为除]了"
# A question is not a commitment: `下一阶段工业稳增长政策将如何加力?`
QUESTION = r"[?？]$|如何|哪些|什么"
# Full coverage as a quantity: `实现数字化改造全覆盖` -> 100 %
FULL_COVERAGE = r"全覆盖"
# What a bare `力争到2027年,` leaves once markers and deadline are removed: at most this
BARE_MAX_CHARS = 2
TRAILING_PUNCT = ",;:。!?"

TARGET_SCHEMA = {
    "doc_id": pl.String, "target_no": pl.Int32, "sent_no": pl.Int32, "turn_no": pl.Int32,
    "speaker": pl.String, "text": pl.String, "deadline_year": pl.Int32, "deadline_text": pl.String,
    "value": pl.Float64, "value_high": pl.Float64, "unit": pl.String, "qualifier": pl.String,
    "char_start": pl.Int32, "char_end": pl.Int32,
}


def clauses_from_sentences(sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per clause with doc-level character offsets, and `unit_no`: the
    number of the `。`-sentence (sentences joined across `;`/`:`) it belongs to."""
    sent = sentences.sort("doc_id", "sent_no").with_columns(
        unit_no=(~pl.col("text").shift(1).str.contains(r"[;:]$").fill_null(False)).cum_sum().over("doc_id"),
        question=pl.col("text").str.contains(QUESTION),
    )
    return (
        sent.select(
            "doc_id", "sent_no", "unit_no", "turn_no", "speaker", "question",
            sent_start="char_start", clause=pl.col("text").str.extract_all(CLAUSE),
        )
        .explode("clause")
        .drop_nulls("clause")
        .with_columns(n=pl.col("clause").str.len_chars().cast(pl.Int32))
        .with_columns(
            clause_no=pl.int_range(pl.len()).over("doc_id", "sent_no"),
            char_start=(pl.col("sent_start") + pl.col("n").cum_sum().over("doc_id", "sent_no") - pl.col("n")).cast(pl.Int32),
        )
        .with_columns(char_end=(pl.col("char_start") + pl.col("n")).cast(pl.Int32))
        .drop("sent_start", "n")
    )


def _publication_year(documents: pl.DataFrame) -> pl.DataFrame:
    year = pl.col("published_date").dt.year().cast(pl.Int32)
    if "published_year" in documents.columns:
        year = pl.coalesce(pl.col("published_year").cast(pl.Int32), year)
    return documents.select("doc_id", pub_year=year)


def _deadline_year(text: pl.Expr, pub_year: pl.Expr) -> pl.Expr:
    explicit = text.str.extract(r"((?:19|20)[0-9]{2})年", 1).cast(pl.Int32)
    plan = (1955 + 5 * (10 + text.str.extract(r"十([一二三四五六七八九])五", 1)
                        .replace_strict(PLAN_DIGIT, default=None, return_dtype=pl.Int32))).cast(pl.Int32)
    relative = pub_year + text.replace_strict(RELATIVE_YEAR, default=None, return_dtype=pl.Int32)
    return pl.coalesce(explicit, plan, relative).cast(pl.Int32)


def _quantities(cands: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """The first figure inside each candidate clause's span (by doc_id, sent_no)."""
    figs = figures.select(
        "doc_id", "sent_no",
        f_start=pl.col("char_start").cast(pl.Int32), f_end=pl.col("char_end").cast(pl.Int32),
        value=pl.col("value").cast(pl.Float64), value_high=pl.col("value_high").cast(pl.Float64),
        unit="unit", qualifier="qualifier",
    )
    inside = (
        cands.select("doc_id", "sent_no", "clause_no", "char_start", "char_end")
        .join(figs, on=["doc_id", "sent_no"])
        .filter((pl.col("f_start") >= pl.col("char_start")) & (pl.col("f_end") <= pl.col("char_end")))
        .sort("f_start")
        .group_by("doc_id", "sent_no", "clause_no")
        .agg(pl.col("value", "value_high", "unit", "qualifier").first())
    )
    return cands.join(inside, on=["doc_id", "sent_no", "clause_no"], how="left")


def targets_from_sentences(sentences: pl.DataFrame, figures: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """sentences (CONTRACTS), figures (SPEC), documents (published_date) -> targets."""
    if sentences.is_empty():
        return pl.DataFrame(schema=TARGET_SCHEMA)
    strip_words = f"{STRONG_MARKER}|{WEAK_MARKER}|{DEADLINE}|预期|[,;:。\\s的]"
    clauses = clauses_from_sentences(sentences).with_columns(
        masked=pl.col("clause").str.replace_all(NOT_DEADLINE, "□"),
        unquoted=pl.col("clause").str.replace_all(QUOTED, "□"),
    ).with_columns(
        deadline_text=pl.coalesce(pl.col("masked").str.extract(f"({DEADLINE})", 1),
                                  pl.col("masked").str.extract(YEAR_OF_TARGETS, 1)),
        scope=pl.when(pl.col("unquoted").str.contains(FORECAST)).then(0)
        .when(pl.col("unquoted").str.contains(STRONG_MARKER)).then(2)
        .when(pl.col("unquoted").str.contains(WEAK_MARKER)).then(1)
        .when(pl.col("clause").str.contains(SCOPE_BREAK)).then(0)
        .otherwise(None).cast(pl.Int8),
        bare=(pl.col("masked").str.replace_all("□", "").str.replace_all(strip_words, "").str.len_chars() <= BARE_MAX_CHARS)
        & ~pl.col("clause").str.contains(FORECAST),
        head=pl.col("clause").str.contains(r":$"),
        plain=pl.col("clause").str.contains(PAST) | pl.col("clause").str.contains(ADJUNCT)
        | pl.col("clause").str.contains(COMPARISON_TAIL),
    )
    unit = ["doc_id", "unit_no"]
    after_bare = pl.col("bare").shift(1).over("doc_id", "sent_no").fill_null(False)
    clauses = clauses.with_columns(
        # a deadline in the clause itself or in the bare clause before it (`今年,雄安新区将...`)
        own_deadline=pl.coalesce(
            "deadline_text",
            pl.when(after_bare).then(pl.col("deadline_text").shift(1).over("doc_id", "sent_no")),
        ),
        scope=pl.col("scope").forward_fill().over(unit).fill_null(0),
        carried_deadline=pl.col("deadline_text").forward_fill().over(unit),
        # a bare `力争到2027年,` lends its start to the clause after it
        span_start=pl.when(after_bare)
        .then(pl.col("char_start").shift(1).over("doc_id", "sent_no"))
        .otherwise(pl.col("char_start")),
    )
    cands = clauses.filter(
        ~pl.col("bare") & ~pl.col("head") & ~pl.col("plain") & ~pl.col("question") & (pl.col("scope") > 0)
    )
    cands = _quantities(cands, figures).with_columns(full=pl.col("clause").str.contains(FULL_COVERAGE))
    quantified = pl.col("value").is_not_null() | pl.col("full")
    # under `将` alone the clause must state its own deadline: in `今年将A,B` only A commits
    targets = cands.filter(
        ((pl.col("scope") == 2) & (pl.col("carried_deadline").is_not_null() | quantified))
        | ((pl.col("scope") == 1) & pl.col("own_deadline").is_not_null())
    )
    targets = (
        targets.join(_publication_year(documents), on="doc_id", how="left")
        .join(sentences.select("doc_id", "sent_no", sent_text="text", sent_start="char_start"),
              on=["doc_id", "sent_no"], how="left")
        .with_columns(
            raw=pl.col("sent_text").str.slice(pl.col("span_start") - pl.col("sent_start"),
                                              pl.col("char_end") - pl.col("span_start")),
        )
        .with_columns(text=pl.col("raw").str.strip_chars_end(TRAILING_PUNCT))
        .with_columns(char_end=(pl.col("span_start") + pl.col("text").str.len_chars()).cast(pl.Int32))
        .sort("doc_id", "span_start")
    )
    full = pl.col("value").is_null() & pl.col("full")
    return targets.select(
        "doc_id",
        target_no=pl.int_range(1, pl.len() + 1).over("doc_id").cast(pl.Int32),
        sent_no=pl.col("sent_no").cast(pl.Int32),
        turn_no=pl.col("turn_no").cast(pl.Int32),
        speaker=pl.col("speaker").cast(pl.String),
        text="text",
        deadline_year=_deadline_year(pl.col("carried_deadline"), pl.col("pub_year")),
        deadline_text=pl.col("carried_deadline"),
        value=pl.when(full).then(100.0).otherwise(pl.col("value")),
        value_high="value_high",
        unit=pl.when(full).then(pl.lit("%")).otherwise(pl.col("unit")),
        qualifier=pl.when(full).then(pl.lit("=")).otherwise(pl.col("qualifier")),
        char_start=pl.col("span_start").cast(pl.Int32),
        char_end="char_end",
    )
