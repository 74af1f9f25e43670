"""Cleaning: raw document text -> clean text and its paragraphs.

Works on all documents of a batch at once: texts are normalised with polars
string expressions, exploded into lines, lines are classified (blank, layout,
markdown heading, byline) and assembled into paragraphs with window
expressions over each document. The clean text is the paragraphs joined by
"\\n", so every offset downstream is a character offset into it.
"""
from __future__ import annotations

import hashlib

import polars as pl

from transforms.lexicon import CREDIT_NAME, NEWS_ROLE  # shared with the people rules
from transforms.runs import cum_sum_in_run, last_in_run, next_in_run, prev_in_run, row_in_run

# Full-width ASCII `！`..`～` (U+FF01..U+FF5E) -> half-width `!`..`~`;
# `３月16日` -> `3月16日`, `（下转第５版）` -> `(下转第5版)`.
FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)]
HALFWIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)]
# zero-width space/joiners, word joiner, stray BOM: removed
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
# lines holding zero-width characters and nothing else but spaces, with the line break before them
INVISIBLE_LINES = "\n(?:[ \t" + "".join(ZERO_WIDTH) + "]*[" + "".join(ZERO_WIDTH) + "][ \t" + "".join(ZERO_WIDTH) + "]*\n)+"
# control characters (NUL, ESC, DEL, C1 controls: from a damaged file or a JSON `\u0000`): removed;
# vertical tab and form feed (a PDF's page break) end a line. raw_text keeps them.
CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x9f"
LINE_BREAKS = "\x0b\x0c"
# ideographic space, no-break space, tab: a plain space
SPACES = ["\u3000", "\u00a0", "\t", "\u2002", "\u2003", "\u2009"]

# The longest run of spaced single digits joined into one number (`4 9 2 5 0 万吨`)
SPACED_DIGITS_MAX = 8
# A photo credit on its own line: `张鹏摄`, `本报记者 王伟摄`, `新华社记者 李涛 摄`,
# `(张鹏摄)`, `张鹏/摄`, `摄影:张鹏`, or a caption that ends in one: `图为...。新华社记者 李贺摄`
PHOTO_CREDIT = (
    r"^\(?(?:" + NEWS_ROLE + r"\s*)?" + CREDIT_NAME + r"(?:\s*[、/ ]\s*" + CREDIT_NAME + r")*\s*/?\s*摄影?\)?$"
    r"|^\(?摄影\s*:?\s*" + CREDIT_NAME + r"\)?$"
    r"|^(?:图为|图:|上图|下图|▲|△).{0,150}摄\)?$"
)
# A continuation marker, alone or at a paragraph's edge: `(下转第5版)`, `(上接第1版)`, `(紧接第一版)`
CONTINUATION = r"\((?:下转|上接|紧接|接|转|续)(?:第|本报)?\s*[0-9一二三四五六七八九十]+\s*版[^()]{0,6}\)"
# A line of a scraped page's controls, alone on its line (CSV/JSON exports of web pages keep
# them): `下载`, `打印`, `全屏`, `收藏`, `【字号:`, `加大`, `还原`, `减小`, `】`, `打印本页`,
# `关闭窗口`, `扫一扫在手机打开当前页`
PAGE_CHROME = (
    r"^[【\[]?(?:下载|打印|打印本页|全屏|收藏|关闭|关闭窗口|加大|还原|减小|分享:?|字号:?|【字号:?"
    r"|扫一扫在手机打开当前页|扫一扫在手机上打开当前页)?[】\]]?$"
)
# A repeated page header: `人民日报 2024年7月6日 星期六 第4版`, `中国电子报 | 第3版`
PAGE_HEADER = r"^.{0,24}第\s*[0-9一二三四五六七八九十]+\s*版.{0,24}$"
# A paragraph that ends a sentence (or a label/line that announces more): no join after it.
CLOSED_END = r"[。!?;…:”’」』)\]】]$|[！？；：）]$"
# A line that opens a speaker turn `记者:` / `金壮龙:` / `主持人 寿小丽:`: never joined to the previous one.
# (a title chain may hold `、`: `国家发展改革委副秘书长、新闻发言人袁达:`)
LABEL_START = r"^[^,。:“”《》]{1,30}:"
# A byline: `本报记者 齐旭`, `记者 李明 王芳`, `新华社记者 张三`
BYLINE = r"^" + NEWS_ROLE + r"\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*$"
# A dateline that names the reporter, at the head of the first paragraph:
# `本报北京7月18日电(记者 周亮)` -> byline `记者 周亮`; the text stays as written.
DATELINE_BYLINE = r"^(?:本报|新华社|中新社|[\u4e00-\u9fff]{1,8}?(?:报|社|网))?.{0,16}?电\s*\((" + NEWS_ROLE + r"\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*)\)"
# A short stand-alone line that is a newspaper sub-heading: no sentence punctuation.
SUBHEADING_MAX_CHARS = 30
HEADING_STOP = r"[。,;!?，；]"
# A hard-wrapped (PDF/OCR) line is long and ends mid-sentence; shorter open lines stay lines.
WRAP_MIN_CHARS = 25
# A paragraph cut by a page break or a photo credit: long, ends mid-sentence.
CUT_MIN_CHARS = 30
# ...and what continues it reads on: a sentence end within it, or a long line
# (`技术改造城市试点,实施...`); never a short line like `国务院总理` after an occasion line.
CUT_CONTINUATION = r"^[\u4e00-\u9fffA-Za-z0-9“《][^\n]*(?:[。!?;]|[^\n]{14})"
# Long open lines that are not cut paragraphs: an occasion line `——2024年3月5日在...会议上`, a byline.
NOT_CUT = r"^——|^" + NEWS_ROLE + r"\s"


def content_hashes(raw: pl.DataFrame) -> pl.Series:
    """SHA-256 of what identifies a raw document: its text as read; for an item
    with no body (a digest headline with only a link) its title and link."""
    keys = raw.select(
        pl.when(pl.col("text").str.strip_chars() != "").then(pl.col("text"))
        # the title as cleaned, so a document rebuilt from the database keeps its id
        .otherwise(pl.concat_str(normalise_text(pl.col("title").fill_null("")).str.strip_chars(), pl.lit("\n"),
                                 pl.col("url").fill_null("")))
    ).to_series()
    # hashlib is C; one call per document, not per row of anything
    return pl.Series([hashlib.sha256(t.encode("utf-8")).hexdigest() for t in keys], dtype=pl.String)


def document_ids(raw: pl.DataFrame) -> pl.Series:
    """The doc_id of each raw document: the first 16 hex digits of its content hash."""
    return content_hashes(raw).str.slice(0, 16)


def join_spaced_digits(col: pl.Expr) -> pl.Expr:
    """`1 9 9 7 年粮食产量达到4 9 2 5 0 万吨` -> `1997年粮食产量达到49250万吨`: digits
    set one by one with spaces (typeset or OCR text) are one number. Runs of single
    digits only, longest first: `2019 2020` stays two numbers."""
    for n in range(SPACED_DIGITS_MAX, 1, -1):
        run = r" ".join(["([0-9])"] * n)
        col = col.str.replace_all(r"(^|[^0-9.])" + run + r"(?: ?([^0-9. ]|$))",
                                  "${1}" + "".join(f"${{{i}}}" for i in range(2, n + 3)))
    return col


def _fold(col: pl.Expr) -> pl.Expr:
    """Line ends to LF, widths folded, zero-width and control characters dropped, odd spaces to spaces."""
    return (
        col.str.replace_all("\r\n?|[" + LINE_BREAKS + "]", "\n")
        # a line of nothing but zero-width characters (and spaces) is no line: a page that
        # wrapped a number and its unit around one (`达到74.4` / U+200B / `万亿元`) must not
        # leave a blank line between them, which would end the paragraph; several in a row
        # go together (each match needs the line break the one before it took)
        .str.replace_all(INVISIBLE_LINES, "\n")
        # a character class is 3-5x faster than replace_many for single characters
        .str.replace_all("[" + "".join(ZERO_WIDTH) + CONTROLS + "]", "")
        .str.replace_all("[" + "".join(SPACES) + "]", " ")
        .str.replace_many(FULLWIDTH, HALFWIDTH)
    )


def normalise_text(col: pl.Expr) -> pl.Expr:
    """Line ends to LF, widths folded, zero-width characters dropped, odd spaces to
    spaces, spaced-out digits joined."""
    return join_spaced_digits(_fold(col))


# Every run `join_spaced_digits` joins holds a digit, a space and a digit.
SPACED_DIGITS_HINT = r"[0-9] [0-9]"


def normalise_texts(texts: pl.Series) -> pl.Series:
    """`normalise_text` over a Series of whole documents, the same output; the seven
    spaced-digit passes run only on the texts that hold a spaced digit (about 1 in 100
    documents), which makes it 4x faster on a batch."""
    folded = texts.to_frame("t").select(_fold(pl.col("t"))).to_series()
    # ` [0-9]` starts with a literal the regex engine jumps to (30x faster than the hint on its
    # own); the hint then runs on the few texts that have one
    idx = folded.str.contains(r" [0-9]").fill_null(False).arg_true()
    idx = idx.filter(folded.gather(idx).str.contains(SPACED_DIGITS_HINT))
    if idx.len():
        joined = folded.gather(idx).to_frame("t").select(join_spaced_digits(pl.col("t"))).to_series()
        folded = folded.scatter(idx, joined)
    return folded.alias(texts.name)


def document_lines(raw: pl.DataFrame) -> pl.DataFrame:
    """One row per line of every document that is not blank, classified (line_no counts
    every line, so a gap in line_no is where blank lines were)."""
    lines = (
        raw.select("doc_id", normalise_texts(raw["text"]).str.split("\n").alias("raw_line"))
        .with_columns(pl.int_ranges(pl.col("raw_line").list.len()).alias("line_no"))
        .explode("raw_line", "line_no")
        # blank lines (about half of all) matter only as gaps between line numbers
        .filter(pl.col("raw_line").str.contains(r"\S"))
    )
    s = pl.col("raw_line").str.strip_chars()
    lines = lines.with_columns(
        hard_break=pl.col("raw_line").str.contains(r"\S\s{2,}$"),
        md_heading=s.str.extract(r"^#{1,6}\s+(.+?)(?:\s+#+)?$"),
        inline_layout=s.str.extract_all(CONTINUATION),
        s=s.str.replace_all(CONTINUATION, "").str.strip_chars(),
    )
    lines = lines.with_columns(
        s=pl.coalesce(pl.col("md_heading").str.strip_chars(), pl.col("s")),
        md_heading=pl.col("md_heading").is_not_null(),
    )
    repeats = pl.len().over("doc_id", "s")
    is_layout = (
        pl.col("s").str.contains(PHOTO_CREDIT)
        | pl.col("s").str.contains(PAGE_CHROME)
        | (pl.col("s").str.contains(PAGE_HEADER) & ~pl.col("s").str.contains(HEADING_STOP))
        # a short line repeated down the page (running header), never a label or heading
        | ((repeats >= 3) & (pl.col("s").str.len_chars() <= 40) & ~pl.col("md_heading")
           & ~pl.col("s").str.contains(r"[:。]"))
    )
    return lines.with_columns(
        blank=pl.col("s") == "",
        layout=(pl.col("s") != "") & is_layout,
    )


def _join_lines(lines: pl.DataFrame) -> pl.DataFrame:
    """Content lines -> paragraphs: hard wraps, trailing-double-space headings and
    paragraphs cut by a page break or a photo credit are joined back."""
    # what the join rules ask of a line, computed once per line; the rules read them on the
    # line and, shifted, on the line before (eager polars would recompute a repeated expression)
    s = pl.col("s")
    content = lines.filter(~pl.col("blank") & ~pl.col("layout")).with_columns(
        _len=s.str.len_chars(),
        _closed=s.str.contains(CLOSED_END),
        _not_cut=s.str.contains(NOT_CUT),
        _ascii_end=s.str.contains(r"[A-Za-z0-9]$"),
        # a number cut after its decimal point by an OCR line break: `人均消费支出1938.` + `5元`
        _cut_decimal=s.str.contains(r"[^0-9.][0-9]+\.$"),
    )
    prev = lambda c: prev_in_run(pl.col(c), "doc_id")  # noqa: E731  (a document's lines are contiguous)
    prev_len = prev("_len")
    open_end = ~prev("_closed")
    gap = (pl.col("line_no") - prev("line_no")) > 1
    starts_plain = ~s.str.contains(LABEL_START) & ~pl.col("md_heading") & ~prev("md_heading")
    cont = (
        prev_len.is_not_null()  # not the document's first line
        & starts_plain
        & (
            (~pl.col("_gap") & prev("hard_break"))
            | (~pl.col("_gap") & prev("_cut_decimal") & s.str.contains(r"^[0-9]"))
            | (~pl.col("_gap") & open_end & (prev_len >= WRAP_MIN_CHARS))
            | (pl.col("_gap") & open_end & (prev_len >= CUT_MIN_CHARS) & ~prev("_not_cut")
               & s.str.contains(CUT_CONTINUATION))
        )
    ).fill_null(False)
    ascii_seam = prev("_ascii_end") & s.str.contains(r"^[A-Za-z0-9]")
    content = content.with_columns(_gap=gap).with_columns(_cont=cont)
    content = content.with_columns(
        piece=pl.when(pl.col("_cont") & ascii_seam).then(pl.lit(" ")).otherwise(pl.lit("")) + s,
        para_id=(~pl.col("_cont")).cast(pl.Int32).cum_sum(),  # a paragraph's key, unique in the batch (the join below sorts on it)
        gap_before=pl.col("_gap").fill_null(True),
    )
    # A paragraph is a run of rows (para_id never decreases); most are one line, which is
    # the paragraph as it stands: only the lines of the others are grouped and joined
    # (grouping every line cost more than every join rule)
    one_line = ((pl.col("para_id") != pl.col("para_id").shift(1)) & (pl.col("para_id") != pl.col("para_id").shift(-1))
                ).fill_null(True)
    content = content.with_columns(_one_line=one_line)
    paras = (
        pl.concat([
            content.filter("_one_line").select(
                "doc_id", "para_id", text="piece", md_heading="md_heading", n_lines=pl.lit(1, pl.UInt32),
                gap_before="gap_before"),
            content.filter(~pl.col("_one_line")).group_by("doc_id", "para_id", maintain_order=True).agg(
                text=pl.col("piece").str.join(""),
                md_heading=pl.col("md_heading").any(),
                n_lines=pl.len(),
                gap_before=pl.col("gap_before").first(),
            ),
        ])
        .sort("para_id")
        .with_columns(gap_after=next_in_run(pl.col("gap_before"), "doc_id").fill_null(True))
    )
    standalone_short = (
        pl.col("gap_before") & pl.col("gap_after")
        & (pl.col("text").str.len_chars() <= SUBHEADING_MAX_CHARS)
        & ~pl.col("text").str.contains(HEADING_STOP)
        & ~pl.col("text").str.contains(CLOSED_END)
        & ~pl.col("text").str.contains(BYLINE)
        & ~pl.col("text").str.contains(r"^[0-9\s.:\-/年月日]+$")
        & ~last_in_run("doc_id")
    )
    return paras.with_columns(is_heading=pl.col("md_heading") | standalone_short)


def clean_documents(raw: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Raw documents (sources.base.raw_frame) -> (documents, paragraphs)."""
    raw = raw.with_columns(content_sha256=content_hashes(raw))
    # the same text twice in a batch (a copy under another name) is one document
    raw = raw.with_columns(doc_id=pl.col("content_sha256").str.slice(0, 16)).unique(
        "doc_id", keep="first", maintain_order=True)
    lines = document_lines(raw)
    layout = (
        # the few lines that are or hold layout, in order
        lines.filter(pl.col("layout") | (pl.col("inline_layout").list.len() > 0))
        .select(
            "doc_id", "line_no",
            pl.concat_list(
                pl.when(pl.col("layout")).then(pl.concat_list(pl.col("s"))).otherwise(pl.lit([], dtype=pl.List(pl.String))),
                pl.col("inline_layout"),
            ).alias("found"),
        )
        .explode("found")
        .drop_nulls("found")
        .group_by("doc_id", maintain_order=True)
        .agg(layout_lines=pl.col("found"))
    )
    paras = _join_lines(lines)
    paras = paras.with_columns(
        para_no=row_in_run("doc_id", start=1).cast(pl.Int32),
        n=pl.col("text").str.len_chars().cast(pl.Int32),
    ).with_columns(
        char_start=(cum_sum_in_run(pl.col("n") + 1, "doc_id") - (pl.col("n") + 1)).cast(pl.Int32),
    ).with_columns(char_end=pl.col("char_start") + pl.col("n"))
    bodies = paras.group_by("doc_id", maintain_order=True).agg(
        clean_text=pl.col("text").str.join("\n"),
        text_byline=pl.coalesce(
            pl.col("text").filter(pl.col("text").str.contains(BYLINE)).first(),
            pl.col("text").str.extract(DATELINE_BYLINE, 1).drop_nulls().first(),
        ).str.replace("^(" + NEWS_ROLE + r")\s*", "$1 "),  # `本报记者齐旭` -> `本报记者 齐旭`
    )
    documents = (
        raw.rename({"text": "raw_text"})
        .join(bodies, on="doc_id", how="left")
        .join(layout, on="doc_id", how="left")
        .with_columns(
            # the reader's byline (a web page's, sources/html_byline.py) first, else one in the text
            byline=pl.coalesce(pl.col("byline"), pl.col("text_byline")) if "byline" in raw.columns
            else pl.col("text_byline"),
            clean_text=pl.col("clean_text").fill_null(""),
            layout_lines=pl.col("layout_lines").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            title=normalise_text(pl.col("title")).str.strip_chars(),
        )
        .drop("text_byline")
        .with_columns(n_chars=pl.col("clean_text").str.len_chars().cast(pl.Int32))
    )
    paragraphs = paras.select(
        "doc_id", "para_no", "is_heading", "text", "char_start", "char_end",
    )
    return documents, paragraphs
