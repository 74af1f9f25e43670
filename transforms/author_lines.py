"""Author lines of one-person speeches and reports: the occasion line
(`——2024年3月5日在第十四届全国人民代表大会第二次会议上`) and the deliverer line near it
(`国务院总理 李 强`, `北京市市长 殷勇`, `河北省人民政府省长　王正谱`), the deliverer on the
occasion line itself (`...第四次会议上 陕西省省长 赵刚`), a caption that says who delivered
it (`殷勇同志作政府工作报告`, `省长毛伟明作政府工作报告`), or a title `X在...上的报告`."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run, run_on
from transforms.lexicon import FOREIGN_NAME, NOT_A_NAME, REGION_SUFFIX_ALT, TITLE_ALT

# How far into a document its author lines may stand: scraped pages keep their chrome
# (`下载`, `打印`, `【字号:`, `来源:`, `时间:` ...) above the occasion line.
EARLY_LINES = 40
# How many lines after the occasion line the deliverer's line may come (`来源:解放日报`,
# `时间:2026-02-09` stand between them on newspaper pages).
DELIVERER_WINDOW = 6
# A speech's occasion line: `——2024年3月5日在第十四届全国人民代表大会第二次会议上`,
# `1957年6月26日在第一届全国人民代表大会第四次会議上`, `(2026年1月27日在贵州省第十四届
# 人民代表大会第四次会议上)`, `――二〇二六年一月二十七日在...会议上`; group 1 is what follows
# `上` (a closing bracket, or a title and name the cleaner or the page joined to it).
OCCASION_WORD = r"会议|大会|會議|大會|论坛|典礼|仪式|开幕式|座谈会|报告会"
OCCASION = r"^.{0,42}在.{2,60}(?:" + OCCASION_WORD + r").{0,6}上(.{0,30})$"
# The longest line OCCASION can match: 42 + 1 (`在`) + 60 + 3 + 6 + 1 (`上`) + 30.
OCCASION_MAX_CHARS = 143
# What may follow `上` on an occasion line: nothing, `的报告`, a bracket, or a title (and name).
OCCASION_TAIL = r"^(?:的(?:报告|讲话|致辞|发言|政治报告|工作报告))?[)）]?\s*(?:\p{Han}{0,20}?(?:" + TITLE_ALT + r")(?:\s*(?:" + FOREIGN_NAME + r"|\p{Han}(?:\s*\p{Han}){1,3}))?)?$"
# The region whose congress hears the report: `在湖南省第十四届人民代表大会` -> `湖南省`,
# `在宁夏回族自治区第十三届...` -> `宁夏回族自治区`; a relative organisation on the name
# line (`省人民政府省长`, `自治区主席`) is that region's.
OCCASION_REGION = r"在(\p{Han}{1,10}?(?:" + REGION_SUFFIX_ALT + r"))(?:第|[一二三四五六七八九十]+届)"
RELATIVE_ORGANIZATION = r"^(?:" + REGION_SUFFIX_ALT + r")(?:人民政府|政府)$"
REGION_HEAD = r"^(?:" + REGION_SUFFIX_ALT + r")"
# A title alone on its line near the occasion: `国务院总理`.
TITLE_ONLY_LINE = r"^\p{Han}{0,20}?(?:" + TITLE_ALT + r")$"
# The deliverer line: `国务院总理 李 强`, `习 近 平`, `周恩来`, `自治区主席 艾尔肯·吐尼亚孜`;
# on the occasion line's tail too (`陕西省省长 赵刚`).
DELIVERER = (
    r"^[)）]?\s*((?:\p{Han}{0,20}?(?:" + TITLE_ALT + r"))?)\s*(" + FOREIGN_NAME + r"|\p{Han}(?:\s*\p{Han}){1,3})$"
)
# A caption or sentence saying who delivered the report, on a page whose name line is
# missing or bare: `殷勇同志作政府工作报告`, `省长毛伟明作政府工作报告`, `省长卢东亮在省十四届
# 人大五次会议上作政府工作报告`, `艾尔肯·吐尼亚孜代表自治区人民政府,向大会作政府工作报告`; the kind
# of report is written, so the heading `政府工作报告` is not `政府工` delivering one.
REPORT_DELIVERED = (
    r"(?:^|[,。;\s])((?:[^,。;\s]{0,20}?(?:" + TITLE_ALT + r"))?)(" + FOREIGN_NAME + r"|\p{Han}{2,3}?)"
    r"(?:同志)?(?:在[^,。;]{2,40}上|代表[^,。;]{2,20},?)?(?:向大会)?作(?:了)?(?:政府工作|工作|政治)报告"
)
# The greeting that opens a speech's body: `各位代表:`, `同志们:`.
GREETING_WORD = r"各位代表|各位委员|同志们|女士们、先生们|各位记者朋友|记者朋友们"
SALUTATION = r"^(?:" + GREETING_WORD + r")[:!,]?$"
# A speech named in its title: `陈独秀在中国共产党第三次全国代表大会上的报告`.
TITLE_DELIVERER = r"^(?:\p{Han}{0,20}?(?:" + TITLE_ALT + r"))?(\p{Han}{2,3})在.{2,60}上的(?:报告|讲话|致辞|发言|政治报告|工作报告)"

DELIVERER_SCHEMA = {
    "doc_id": pl.String, "deliverer": pl.String, "deliverer_line": pl.Int64,
    "deliverer_chain": pl.String, "deliverer_region": pl.String,
}


def speech_deliverers(paras: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """doc_id, deliverer, deliverer_line (para_no of the name line, or 0), deliverer_chain
    (the titles written with the name), deliverer_region (the region of the occasion) for
    one-person speeches: an occasion line with the deliverer's line near it, or a greeting
    (`各位代表:`) after a caption naming who delivered the report, or a title `X在...上的报告`."""
    # Everything reads the early lines of documents with an occasion line or a greeting (the
    # captions, the lines near or above them), so those two are found first, on the lines
    # holding the words every OCCASION and SALUTATION holds (whitespace-free, so the text
    # holds them where the compacted line does), and only those documents' lines are read.
    text = pl.col("text")
    compact = pl.col("text").str.replace_all(r"\s+", " ").str.strip_chars()
    first_lines = paras.filter(pl.col("para_no") <= EARLY_LINES)
    may_open_speech = (
        text.str.contains("在", literal=True) & text.str.contains("上", literal=True) & text.str.contains(OCCASION_WORD)
    ) | text.str.contains(GREETING_WORD)
    openings = run(first_lines.lazy().filter(may_open_speech).select("doc_id", "para_no", compact=compact))
    # `在`, `上` and an OCCASION_WORD stand in every OCCASION, which fits in OCCASION_MAX_CHARS:
    # the costly pattern runs on those lines only
    occasion_lines = run(
        openings.lazy()
        .filter(pl.col("compact").str.contains("在", literal=True) & pl.col("compact").str.contains("上", literal=True)
                & (pl.col("compact").str.len_chars() <= OCCASION_MAX_CHARS))
        .filter(pl.col("compact").str.contains(OCCASION_WORD))
        .with_columns(tail=pl.col("compact").str.extract(OCCASION, 1))
        .filter(pl.col("tail").is_not_null() & pl.col("tail").str.contains(OCCASION_TAIL))
    )
    occasion = run_on(occasion_lines, occasion_lines.lazy().group_by("doc_id").agg(
        occasion_no=pl.col("para_no").first(),
        tail=pl.col("tail").first(),
        deliverer_region=pl.col("compact").str.extract(OCCASION_REGION, 1).first(),
    ).with_columns(
        occasion_chain=pl.col("tail").str.extract(r"^[)）]?\s*(\p{Han}{0,20}?(?:" + TITLE_ALT + r"))\s*$", 1),
        same_line_chain=pl.col("tail").str.extract(DELIVERER, 1),
        same_line_who=pl.col("tail").str.extract(DELIVERER, 2).str.replace_all(r"\s", ""),
    ))
    # A greeting marks a speech even without an occasion line; the caption naming the
    # deliverer stands above it (or, on pages with an occasion line, anywhere early).
    greeting = run(
        openings.lazy().filter(pl.col("compact").str.contains(SALUTATION))
        .group_by("doc_id").agg(greeting_no=pl.col("para_no").min())
    )
    speaking = pl.concat([occasion.get_column("doc_id"), greeting.get_column("doc_id")]).implode()
    early = run(
        first_lines.lazy().filter(pl.col("doc_id").is_in(speaking))
        .select("doc_id", "para_no", compact=compact)
    )
    # The lines near the occasion (a few before it, more after), the only ones read further.
    near = run(
        early.lazy().join(occasion.lazy().select("doc_id", "occasion_no"), on="doc_id", maintain_order="left")
        .filter((pl.col("para_no") >= pl.col("occasion_no") - 2)
                & (pl.col("para_no") <= pl.col("occasion_no") + DELIVERER_WINDOW)
                & (pl.col("para_no") != pl.col("occasion_no")))
        .with_columns(after=pl.col("para_no") > pl.col("occasion_no"))
    )
    # The title on a line of its own between the occasion and the name: `国务院总理` / `李　强`.
    title_line = run_on(near, near.lazy().filter(
        pl.col("after") & pl.col("compact").str.contains(TITLE_ONLY_LINE)
    ).group_by("doc_id").agg(line_chain=pl.col("compact").first()))
    occasion = run(
        occasion.lazy().join(title_line.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(occasion_chain=pl.coalesce("occasion_chain", "line_chain")).drop("line_chain")
    )
    lines = run_on(near, (
        near.lazy().filter(pl.col("compact").str.len_chars() <= 30)
        .join(occasion.lazy().select("doc_id", "occasion_chain"), on="doc_id", how="left", maintain_order="left")
        .with_columns(
            titled=pl.col("compact").str.extract(DELIVERER, 1).fill_null(""),
            who=pl.col("compact").str.extract(DELIVERER, 2).str.replace_all(r"\s", ""),
        )
        .filter(pl.col("who").is_not_null() & ~pl.col("who").str.contains(NOT_A_NAME))
        # a titled line before a bare one (`陕西省省长 赵刚` before the page's `首页`), a line
        # after the occasion before one above it
        .sort("doc_id", pl.col("titled") == "", pl.col("after").not_(), pl.col("para_no"))
        .group_by("doc_id", maintain_order=True)
        .agg(line_who=pl.col("who").first(), line_no=pl.col("para_no").first(),
             line_chain=pl.coalesce(
                 pl.when(pl.col("titled") != "").then(pl.col("titled")), pl.col("occasion_chain")).first())
    ))
    # A titled name on its own line just above the greeting: `中国载人航天工程新闻发言人 武平`
    # over `女士们、先生们:`, `国务院总理 李强` over `各位代表:`.
    above = run(
        early.lazy().join(greeting.lazy(), on="doc_id")
        .filter((pl.col("para_no") < pl.col("greeting_no")) & (pl.col("para_no") >= pl.col("greeting_no") - 3)
                & (pl.col("compact").str.len_chars() <= 40))
        .with_columns(above_chain=pl.col("compact").str.extract(DELIVERER, 1),
                      above_who=pl.col("compact").str.extract(DELIVERER, 2).str.replace_all(r"\s", ""))
        .filter((pl.col("above_chain").fill_null("") != "") & ~pl.col("above_who").str.contains(NOT_A_NAME))
        .group_by("doc_id").agg(pl.col("above_who").last(), pl.col("above_chain").last(),
                                above_no=pl.col("para_no").last())
    )
    speech_docs = run(
        pl.concat([occasion.lazy().select("doc_id"), greeting.lazy().select("doc_id")]).unique()
        .join(greeting.lazy(), on="doc_id", how="left")
    )
    captions = run(
        early.lazy().join(speech_docs.lazy(), on="doc_id")
        .filter(pl.col("para_no") < pl.col("greeting_no").fill_null(EARLY_LINES + 1))
        .filter(pl.col("compact").str.contains("作", literal=True) & pl.col("compact").str.contains("报告", literal=True))
    )
    caption = run_on(captions, captions.lazy().with_columns(
        parts=pl.col("compact").str.extract_groups(REPORT_DELIVERED)
    ).select(
        "doc_id", "para_no",
        caption_chain=pl.col("parts").struct.field("1"), caption_who=pl.col("parts").struct.field("2"),
    ).filter(pl.col("caption_who").is_not_null() & ~pl.col("caption_who").str.contains(NOT_A_NAME))
     .group_by("doc_id", maintain_order=True).agg(pl.col("caption_chain").first(), pl.col("caption_who").first()))
    # `上的` stands in every TITLE_DELIVERER
    titles = docs.filter(pl.col("title").str.contains("上的", literal=True))
    from_title = run_on(titles, titles.lazy().select(
        "doc_id", title_deliverer=pl.col("title").str.extract(TITLE_DELIVERER, 1)
    ).drop_nulls("title_deliverer"))
    nonempty = lambda c: pl.when(pl.col(c).fill_null("") != "").then(pl.col(c))  # noqa: E731
    return run(
        docs.lazy().select("doc_id")
        .join(occasion.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(lines.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(caption.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(above.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(from_title.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(
            # on the occasion line only with a title: `...会议上 陕西省省长 赵刚`, not `...上的报告`
            same_line_who=pl.when(~pl.col("same_line_who").str.contains(NOT_A_NAME)
                                  & (pl.col("same_line_chain").fill_null("") != "")).then(pl.col("same_line_who")),
        )
        .with_columns(
            # a bare name line is weaker than a titled name on the occasion line, or a caption
            # naming someone else (`首页` under `...会议上 陕西省省长 赵刚`)
            line_who=pl.when((pl.col("line_chain").fill_null("") != "")
                             | (pl.col("same_line_who").is_null()
                                & pl.col("caption_who").fill_null(pl.col("line_who")).eq(pl.col("line_who"))))
            .then(pl.col("line_who")),
        )
        .with_columns(
            deliverer=pl.coalesce("line_who", "same_line_who", "caption_who", "above_who", "title_deliverer"),
            deliverer_line=pl.when(pl.col("line_who").is_not_null()).then(pl.col("line_no"))
            .when(pl.col("same_line_who").is_not_null()).then(pl.col("occasion_no"))
            .when(pl.col("caption_who").is_null() & pl.col("above_who").is_not_null()).then(pl.col("above_no"))
            .otherwise(0),
        )
        .with_columns(
            # the chain written with the name, else a caption's that names the same person
            deliverer_chain=pl.coalesce(
                pl.when(pl.col("line_who").is_not_null()).then(nonempty("line_chain")),
                pl.when(pl.col("line_who").is_null() & pl.col("same_line_who").is_not_null())
                .then(nonempty("same_line_chain")),
                pl.when(pl.col("caption_who") == pl.col("deliverer")).then(nonempty("caption_chain")),
                pl.when(pl.col("above_who") == pl.col("deliverer")).then(nonempty("above_chain")),
                nonempty("occasion_chain"),
            ),
        )
        # a name line the page glued to the next word (`陕西省省长 赵刚首页`) gives way to
        # the caption's name it starts with (`省长赵刚作政府工作报告`)
        .with_columns(deliverer=pl.when(
            (pl.col("deliverer") != pl.col("caption_who")) & pl.col("deliverer").str.starts_with(pl.col("caption_who"))
        ).then(pl.col("caption_who")).otherwise(pl.col("deliverer")))
        .drop_nulls("deliverer")
        .select([pl.col(c).cast(t) for c, t in DELIVERER_SCHEMA.items()])
    )
