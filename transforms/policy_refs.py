"""Policy references: each `《...》` that names a policy document (law, regulation,
plan, programme, opinion, measure, report, declaration, treaty...).

Span convention: `char_start`/`char_end` cover the title WITH its book-title marks
(`《制造业数字化转型行动方案》`); `title` is the text between them, stripped of spaces
(`《 信访条例 》` -> `信访条例`).

A title counts when it ends in a document-type word (`方案`, `条例`, `意见`, `法`, ...,
optionally followed by a version or draft note: `纲要(草案)`, `行动方案(2025—2027年)`,
`发展报告2023`) or is followed by one (`《新时代的中国北斗》白皮书`), and is not an
outlet (`《人民日报》`, `《新闻联播》`, `《求是》杂志`, `《环球时报》记者`) nor a statistical
publication or index (`《中国统计年鉴》`, `《2024年国民经济和社会发展统计公报》`,
`《全球创新指数报告》`). A bare type word (`《规划》`, `《建议》`, `《纲要》`) is the short
name of the nearest full title before it in the same document with the same type
word: `title` keeps what the text wrote, `canonical_title` is the full title (for a
full title, the title itself); one with no such title, and the alias definition
itself (`以下简称《方案》`), are dropped.
"""
from __future__ import annotations

import polars as pl

from transforms.runs import cum_sum_in_run, row_in_run

# Document-type words that end a policy title: `关于加快传统制造业转型升级的指导意见`,
# `推动工业领域设备更新实施方案`, `中华人民共和国著作权法`, `巴黎协定`, `政府工作报告`
DOC_TYPE = (
    r"(?:法|法典|条例|规定|规则|通则|细则|办法|决定|决议|意见|通知|通告|公告|公报|方案|预案|规划|计划"
    r"|纲要|要点|纲领|建议|报告|白皮书|宣言|声明|公约|条约|协定|协议|议定书|宪章|宪法|章程|准则"
    r"|指引|指南|目录|名录|清单|措施|战略|路线图|备忘录|议程|倡议|框架|守则|批复|令)"
)
# What may follow the type word inside the title: `(草案)`, `(修订草案)`, `(2025—2027年)`, `2023`
TITLE_TAIL = r"(?:\([^()]*\)|（[^（）]*）|[0-9]{4}(?:版)?)*"
# Words ending in 法 that are not laws: `党委会的工作方法`
NOT_LAW = r"(?:方法|想法|说法|看法|做法|写法|手法|书法|魔法)$"
# A type word right after the closing mark: `《新时代的中国北斗》白皮书`, `《...》国际标准`
TYPE_AFTER = r"^(?:国际|国家|行业)?(?:白皮书|报告|文件|规划|条例|标准|方案|决议)"
# Outlets by their name: `人民日报`, `环球时报`, `求是`, `新闻联播`, `焦点访谈`, `人民文学`, `卫报`
OUTLET_SUFFIX = (
    r"(?:日报|时报|晚报|晨报|早报|周报|商报|画报|学报|导报|快报|青年报|电讯报|真理报|人民报|回声报|卫报"
    r"|刊|杂志|周刊|月刊|新闻|联播|频道|访谈|电视台|广播|电台|通讯社|文学)$"
)
OUTLET_NAMES = r"^(?:求是|新华每日电讯|参考消息|环球|半月谈|瞭望|经济参考|人民网|新华网|央视网|人民论坛)$"
# Outlets by what follows them: `《环球时报》记者`, `《人民日报》社论`, `《求是》杂志发表`
OUTLET_AFTER = r"^(?:记者|报道|社论|评论员|编辑部|杂志|专访|采访|头版|客户端|网站|栏目|节目|报社|刊发|刊登|发表)"
# Statistical publications and indices are data sources, not policy documents:
# `中国统计年鉴`, `2024年国民经济和社会发展统计公报`, `全球创新指数报告`, `财富世界500强排行榜`
NOT_POLICY = r"年鉴|统计公报|指数|排行榜|榜单"
# The alias definition `(以下简称《规划》)`: not a mention of its own
ALIAS_BEFORE = r"简称$"

REF_SCHEMA = {
    "doc_id": pl.String, "ref_no": pl.Int32, "title": pl.String, "canonical_title": pl.String,
    "sent_no": pl.Int32, "turn_no": pl.Int32,
    "speaker": pl.String, "char_start": pl.Int32, "char_end": pl.Int32,
}


def _mentions(sentences: pl.DataFrame) -> pl.DataFrame:
    """Every `《...》` with its character span, the raw title and a little context.
    The sentence is split at `《`: piece k>0 starts right after the k-th mark."""
    return (
        # most sentences name no document: split only those that hold a `《`
        sentences.filter(pl.col("text").str.contains("《", literal=True))
        .select(
            "doc_id", "sent_no", "turn_no", "speaker", "char_start",
            piece=pl.col("text").str.split("《"),
        )
        .with_columns(
            k=pl.int_ranges(pl.col("piece").list.len()),
            before=pl.col("piece").list.shift(1),
        )
        .explode("piece", "k", "before")
        .with_columns(n=pl.col("piece").str.len_chars().cast(pl.Int32))
        .with_columns(
            open_at=(pl.col("char_start") + cum_sum_in_run(pl.col("n"), "doc_id", "sent_no") - pl.col("n")
                     + pl.col("k") - 1).cast(pl.Int32),
            raw=pl.col("piece").str.extract(r"^([^》]{1,120})》", 1),
        )
        .filter((pl.col("k") > 0) & pl.col("raw").is_not_null())
        .with_columns(
            title=pl.col("raw").str.strip_chars(),
            after=pl.col("piece").str.slice(pl.col("raw").str.len_chars() + 1, 8),
            char_end=(pl.col("open_at") + pl.col("raw").str.len_chars() + 2).cast(pl.Int32),
        )
        .select("doc_id", "sent_no", "turn_no", "speaker", "title", "before", "after",
                char_start="open_at", char_end="char_end")
    )


def policy_refs_from_sentences(sentences: pl.DataFrame) -> pl.DataFrame:
    """sentences (CONTRACTS) -> policy_refs: one row per mention, in text order."""
    if sentences.is_empty():
        return pl.DataFrame(schema=REF_SCHEMA)
    typed = f"{DOC_TYPE}{TITLE_TAIL}$"
    m = _mentions(sentences).with_columns(
        type_word=pl.col("title").str.extract(f"({DOC_TYPE}){TITLE_TAIL}$", 1),
        bare=pl.col("title").str.contains(f"^{DOC_TYPE}{TITLE_TAIL}$"),
        outlet=pl.col("title").str.contains(OUTLET_SUFFIX) | pl.col("title").str.contains(OUTLET_NAMES)
        | pl.col("after").str.contains(OUTLET_AFTER),
        policy=((pl.col("title").str.contains(typed) & ~pl.col("title").str.contains(NOT_LAW))
                | pl.col("after").str.contains(TYPE_AFTER)) & ~pl.col("title").str.contains(NOT_POLICY),
        alias_def=pl.col("before").str.contains(ALIAS_BEFORE).fill_null(False),
    )
    m = m.filter(pl.col("policy") & ~pl.col("outlet") & ~pl.col("alias_def")).sort("doc_id", "char_start")
    full = m.filter(~pl.col("bare")).select("doc_id", "type_word", "char_start", full_title="title")
    short = (
        m.filter(pl.col("bare"))
        .join_asof(full, on="char_start", by=["doc_id", "type_word"], strategy="backward",
                   check_sortedness=False)  # sorted by doc_id, char_start above
        .filter(pl.col("full_title").is_not_null())
        .rename({"full_title": "canonical_title"})
    )
    refs = pl.concat([m.filter(~pl.col("bare")).with_columns(canonical_title=pl.col("title")), short],
                     how="vertical").sort("doc_id", "char_start")
    return refs.select(
        "doc_id",
        ref_no=row_in_run("doc_id", start=1).cast(pl.Int32),
        title="title",
        canonical_title="canonical_title",
        sent_no=pl.col("sent_no").cast(pl.Int32),
        turn_no=pl.col("turn_no").cast(pl.Int32),
        speaker=pl.col("speaker").cast(pl.String),
        char_start=pl.col("char_start").cast(pl.Int32),
        char_end=pl.col("char_end").cast(pl.Int32),
    )
