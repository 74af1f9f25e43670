"""Indicators: which quantity a figure or a target measures (`gdp_growth`, `cpi`, ...).

The vocabulary is data, `transforms/vocab/indicators.toml` (read its header for the
matching rule). Here it becomes one polars expression per entry over every figure
of a batch at once: an entry names a figure when a pattern matches the figure's
phrase, no exclusion does, and the figure's unit is one the entry expects; the
first such entry in file order wins.

A figure's phrase is its raw `metric` (the clause before the number, from
`figures.py`) after the last `、`, with fillers and linking verbs cut:
`城镇新增就业1256万人、城镇调查失业率平均为` -> `城镇调查失业率`,
`拟安排地方政府专项债券` -> `地方政府专项债券`. That phrase replaces `metric`.
A phrase that is only a change word (`增长` in `国内生产总值达到134.9万亿元,增长6.9%`)
takes the growth indicator of the figure before it in the sentence (`gdp` -> `gdp_growth`).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import polars as pl

from transforms.frame_ops import run

VOCABULARY = Path(__file__).with_name("vocab") / "indicators.toml"

# words before the indicator's name that are not part of it: 其中中央财政赤字, 全年国内生产总值, 全省地区生产总值
LEADING_FILLERS = (
    r"^(?:其中|全年|当年|本年|今年|去年|上年|同期|同时|此外|另外|并且|并|而且|而|但|还|也|都|和|及|以及|与|即"
    r"|全国|我国|全省|全市|全区|全自治区|我省|我市|我区|各地|主要预期目标是|预期目标是)+"
)
# planning and reporting verbs before the name: 拟安排地方政府专项债券, 完成营造林, 改造城镇老旧小区
LEADING_VERBS = (
    r"^(?:拟|计划|要|将|再|继续|累计)*(?:安排|发行|完成|实现|建成|建设|新建|改造|开展|筹措|下达|压减|落实|培育|解决)"
)
# verbs and cut words after the name: 赤字率拟按, 城镇调查失业率控制在, 城镇调查失业率平(均), 粮食产量保持在
TRAILING_VERBS = (
    r"(?:拟按|拟安排|拟|按|安排|预期目标为|预期目标是|预期目标|目标为|目标是|目标|全年控制在|控制在|保持在|稳定在"
    r"|平均为|平均|平|分别为|分别|达到了|达到|达|为|是|约|大约|超过了|超过|超|都|均|已经|已|了|的|突破了|突破"
    r"|近|接近|将近|累计|提高到|提高至|提升至|提升到|上升到|上升至|增加到|增加至|增长到|增长至|增至|升至|降到|降至"
    r"|下降到|下降至|在|由|从)+$"
)
# the start of a change from one value to the figure: 农村自来水普及率从80%(提高到87%) -> 农村自来水普及率
FROM_VALUE = r"(?:从|由)[^、]*?[0-9一二三四五六七八九十].*$"
# a phrase that names no quantity, only its change: 增长, 比上年增长, 同比增长
BARE_CHANGE = r"^(?:比上年|比去年|比上一年|同比|较上年|与上年相比)?(?:实际|名义)?(?:增长|增加|增速|上涨|提高|上升)$"
# a level's phrase that ends in a change verb gives the change, not the level:
# `粮食总产量增加109亿公斤`, `中央对地方转移支付增加约1.5万亿元`
LEVEL_CHANGED = "(?:增加|减少|增长|下降)$"
# the part of a clause after the last list separator: `国内生产总值达到134.9万亿元、增长` -> `增长`
LAST_ITEM = r"([^、]*)$"


@lru_cache(maxsize=4)
def vocabulary(path: str | None = None) -> dict:
    """The parsed TOML file (version, defaults, entries), with each entry's defaults filled."""
    with open(path or VOCABULARY, "rb") as f:
        data = tomllib.load(f)
    default_exclude = data.get("defaults", {}).get("exclude", [])
    entries = []
    for e in data["indicator"]:
        exclude = list(e.get("exclude", default_exclude))
        if e["measure"] == "level":
            exclude.append(LEVEL_CHANGED)
        entries.append({
            "id": e["id"], "name": e["name"], "en": e.get("en"), "units": list(e["units"]),
            "measure": e["measure"], "direction": e["direction"], "tolerance": e.get("tolerance"),
            "patterns": list(e["patterns"]), "exclude": exclude,
            "change_of": e.get("change_of"),
        })
    ids = [e["id"] for e in entries]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path or VOCABULARY}: an indicator id is defined twice")
    return {"version": str(data.get("version", "")), "entries": entries}


def indicators_table(path: str | None = None) -> pl.DataFrame:
    """The `indicators` table: one row per vocabulary entry."""
    vocab = vocabulary(path)
    return pl.DataFrame(
        [{k: e[k] for k in ("id", "name", "en", "units", "measure", "direction", "tolerance", "patterns",
                            "exclude", "change_of")} | {"vocabulary_version": vocab["version"]}
         for e in vocab["entries"]],
        schema={"id": pl.String, "name": pl.String, "en": pl.String, "units": pl.List(pl.String),
                "measure": pl.String, "direction": pl.String, "tolerance": pl.Float64,
                "patterns": pl.List(pl.String), "exclude": pl.List(pl.String), "change_of": pl.String,
                "vocabulary_version": pl.String},
    ).rename({"id": "indicator"})


def phrase_of(metric: pl.Expr) -> pl.Expr:
    """The words that name what a figure measures, from its raw metric (see module doc)."""
    return (metric.str.extract(LAST_ITEM, 1)
            .str.replace(LEADING_FILLERS, "").str.replace(LEADING_VERBS, "").str.replace(LEADING_FILLERS, "")
            .str.replace(FROM_VALUE, "").str.replace(TRAILING_VERBS, "").str.strip_chars())


def _entry_matches(phrase: pl.Expr, unit: pl.Expr, entry: dict) -> pl.Expr:
    cond = phrase.str.contains("|".join(f"(?:{p})" for p in entry["patterns"])) & unit.is_in(entry["units"])
    if entry["exclude"]:
        cond = cond & ~phrase.str.contains("|".join(entry["exclude"]))
    return cond


def indicator_of(phrase: pl.Expr, unit: pl.Expr, path: str | None = None, entries: list[dict] | None = None) -> pl.Expr:
    """The id of the first vocabulary entry that names a figure with this phrase and unit, else null."""
    entries = vocabulary(path)["entries"] if entries is None else entries
    return pl.coalesce(*[pl.when(_entry_matches(phrase, unit, e)).then(pl.lit(e["id"])) for e in entries],
                       pl.lit(None, dtype=pl.String))


def _pattern(entry: dict) -> str:
    return "|".join(f"(?:{p})" for p in entry["patterns"])


def _indicators_of_phrases(frame: pl.DataFrame, path: str | None = None) -> pl.Series:
    """`indicator_of` for each row of `frame` (columns `_phrase`, `unit`), worked out once per
    distinct (phrase, unit) with a unit some entry expects: each entry's pattern and each
    distinct exclusion runs once on each distinct phrase, and the first entry in file order
    that matches, expects the unit and is not excluded names the pair (the same result as
    `indicator_of`, with each pattern compiled once a batch, not once for each unit that
    expects its entry, and no phrase read twice). (One pattern of all the entries' patterns
    to keep only the phrases that can name one was slower than the entries' own.)"""
    entries = vocabulary(path)["entries"]
    units = sorted({u for e in entries for u in e["units"]})
    excludes = list(dict.fromkeys("|".join(e["exclude"]) for e in entries if e["exclude"]))
    rows = frame.select("_phrase", unit=pl.col("unit").fill_null(""))
    phrase = pl.col("_phrase")
    pairs = rows.lazy().filter(pl.col("unit").is_in(units) & (phrase.str.len_chars() > 0).fill_null(False)).unique()
    read = (
        pairs.select(phrase.unique())
        .with_columns(*[phrase.str.contains(_pattern(e)).alias(f"_p{i}") for i, e in enumerate(entries)],
                      *[phrase.str.contains(x).alias(f"_x{j}") for j, x in enumerate(excludes)])
    )

    def names(i: int, e: dict) -> pl.Expr:
        cond = pl.col(f"_p{i}") & pl.col("unit").is_in(e["units"])
        if e["exclude"]:
            cond = cond & ~pl.col(f"_x{excludes.index('|'.join(e['exclude']))}")
        return cond

    named = run(
        pairs.join(read, on="_phrase", how="inner")
        .select("_phrase", "unit", indicator=pl.coalesce(
            *[pl.when(names(i, e)).then(pl.lit(e["id"])) for i, e in enumerate(entries)],
            pl.lit(None, dtype=pl.String)))
    )
    return rows.join(named, on=["_phrase", "unit"], how="left", maintain_order="left")["indicator"]


def figures_with_indicators(figures: pl.DataFrame, path: str | None = None) -> pl.DataFrame:
    """figures (SPEC) -> the same rows with `indicator` and a cleaned `metric`."""
    entries = vocabulary(path)["entries"]
    growth_of = {e["change_of"]: e["id"] for e in entries if e["change_of"]}
    unit = pl.col("unit").fill_null("")
    out = figures.with_columns(_phrase=phrase_of(pl.col("metric")))
    out = out.with_columns(_own=_indicators_of_phrases(out, path))
    bare = pl.col("_phrase").str.contains(BARE_CHANGE).fill_null(False) | (pl.col("_phrase") == "")
    # the figure before it in the same sentence (rows of a document in text order)
    out = out.sort("doc_id", "char_start", maintain_order=True)
    same_sentence = (pl.col("doc_id") == pl.col("doc_id").shift(1)) & (pl.col("sent_no") == pl.col("sent_no").shift(1))
    inherited = pl.when(same_sentence.fill_null(False) & bare & (unit == "%")).then(
        pl.col("_own").shift(1).replace_strict(growth_of, default=None, return_dtype=pl.String))
    out = out.with_columns(indicator=pl.coalesce("_own", inherited))
    return out.with_columns(
        # the level's own words and the change word: 地区生产总值 + 增长 (a province), 国内生产总值 + 增长
        metric=pl.when(bare & pl.col("indicator").is_not_null())
        .then(pl.concat_str(pl.col("_phrase").shift(1), pl.col("_phrase")))
        .when(bare | (pl.col("_phrase") == "")).then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("_phrase")),
    ).drop("_phrase", "_own")


def targets_with_indicators(targets: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """targets (SPEC) + `indicator`: that of the target's quantity, the first figure inside
    the target's span with the target's value and unit (`targets.py` took it from there)."""
    figs = figures.filter(pl.col("indicator").is_not_null()).select(
        "doc_id", "sent_no", f_start="char_start", f_end="char_end", f_value="value", f_unit="unit",
        f_indicator="indicator")
    keyed = targets.with_row_index("_t")
    found = (
        keyed.select("_t", "doc_id", "sent_no", "char_start", "char_end", "value", "unit")
        .join(figs, on=["doc_id", "sent_no"])
        .filter((pl.col("f_start") >= pl.col("char_start")) & (pl.col("f_end") <= pl.col("char_end"))
                & (pl.col("f_value") == pl.col("value")) & (pl.col("f_unit") == pl.col("unit")))
        .sort("_t", "f_start")
        .group_by("_t", maintain_order=True).agg(indicator=pl.col("f_indicator").first())
    )
    return keyed.join(found, on="_t", how="left", maintain_order="left").drop("_t")
