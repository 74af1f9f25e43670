"""What a file is (format by content), which script its text is in, and which
date a text states about itself."""
from __future__ import annotations

import datetime as dt
import json
import re

import polars as pl

from sources.warc import is_warc

# --- format ---------------------------------------------------------------

# `<!DOCTYPE html>`, `<html lang="zh">`, or a page saved without doctype that opens
# with `<head>`/`<meta charset=...>`; an XML prolog or comments may come first.
HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# `# 《新闻联播》 (20240305)`: a programme's daily digest, items under `### headline`
DIGEST_TITLE = re.compile(r"\A\ufeff?\s*# 《([^》]+)》\s*[(（]?\s*([0-9]{8})\s*[)）]?\s*$", re.MULTILINE)
DIGEST_ITEM = re.compile(r"^### ", re.MULTILINE)
# `## 编者按`, `- item`, `1. item`: enough to call a text markdown
MARKDOWN_LINE = re.compile(r"^(?:#{1,6} |[-*] |[0-9]+\. |> )", re.MULTILINE)

EXTENSION_FORMATS = {
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".md": "markdown", ".markdown": "markdown",
    ".csv": "csv", ".tsv": "csv", ".parquet": "parquet",
}
SNIFF_BYTES = 64 * 1024
JSON_ARRAY_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\[\s*\{")
JSONL_PROBE_LINES = 5


def detect_format(data: bytes, suffix: str = "") -> str:
    """warc | html | jsonl | csv | parquet | digest | markdown | text, from the bytes
    first and the file extension only when the content does not say (pages of the
    Foreign Ministry have no extension at all)."""
    from sources.tabular import PARQUET_MAGIC, looks_csv  # (tabular -> fields -> detect)

    head = data[:SNIFF_BYTES]
    if is_warc(head):
        return "warc"
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if HTML_START.match(head):
        return "html"
    if _looks_jsonl(data) or (EXTENSION_FORMATS.get(suffix.lower()) == "jsonl" and head.lstrip().startswith(b"{")):
        return "jsonl"
    if JSON_ARRAY_START.match(head):  # `[{"title": ...}, ...]`: the JSONL reader reads its records
        return "jsonl"
    text = head.decode("utf-8", errors="ignore")
    if EXTENSION_FORMATS.get(suffix.lower()) == "csv" or looks_csv(text):
        return "csv"
    if DIGEST_TITLE.match(text) and DIGEST_ITEM.search(data.decode("utf-8", errors="ignore")):
        return "digest"
    by_suffix = EXTENSION_FORMATS.get(suffix.lower())
    if by_suffix == "html" and b"<" in head:
        return "html"
    if by_suffix == "markdown" or MARKDOWN_LINE.search(text):
        return "markdown"
    return "text"


def _looks_jsonl(data: bytes) -> bool:
    """The first non-blank line is a JSON object, or (when that line is the bad
    one) one of the next few lines is. Whole lines are parsed, however long: a
    work report is one line of over 64 KB."""
    if not data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return False
    lines = [ln for ln in data.lstrip(b"\xef\xbb\xbf").split(b"\n", 50)[:50] if ln.strip()]
    if not lines or not lines[0].lstrip().startswith(b"{"):
        return False
    for line in lines[:JSONL_PROBE_LINES]:
        try:
            if isinstance(json.loads(line), dict):
                return True
        except ValueError:
            continue
    return False


# --- script ---------------------------------------------------------------

# Common characters written differently in the two scripts, traditional[i] <-> simplified[i].
TRADITIONAL_CHARS = "國會發經這們說產來時個為對與後開關當義實現進動過應還種從將無點長問題區機業學員體議農黨歷軍報設爭級計據務導邊價幣變線廣氣節質總書見讓頭論聯選東華語單澤爲"
SIMPLIFIED_CHARS = "国会发经这们说产来时个为对与后开关当义实现进动过应还种从将无点长问题区机业学员体议农党历军报设争级计据务导边价币变线广气节质总书见让头论联选东华语单泽为"
_TRADITIONAL = re.compile("[" + TRADITIONAL_CHARS + "]")
_SIMPLIFIED = re.compile("[" + SIMPLIFIED_CHARS + "]")
SCRIPT_SAMPLE_CHARS = 20_000   # the opening of a long report is enough evidence
SCRIPT_MIN_EVIDENCE = 5        # fewer telling characters than this: unknown
SCRIPT_MAJORITY = 0.8          # share of one script's characters needed to name it


def detect_script(text: str | None) -> str:
    """'traditional' | 'simplified' | 'unknown', by counting characters that
    differ between the scripts (國/国, 會/会, 發/发 ...) in the first 20,000
    characters. Mixed text (neither script has 80% of the telling characters)
    and text with fewer than 5 of them is 'unknown'."""
    if not text:
        return "unknown"
    sample = text[:SCRIPT_SAMPLE_CHARS]
    trad = len(_TRADITIONAL.findall(sample))
    simp = len(_SIMPLIFIED.findall(sample))
    if trad + simp < SCRIPT_MIN_EVIDENCE:
        return "unknown"
    if trad >= SCRIPT_MAJORITY * (trad + simp):
        return "traditional"
    if simp >= SCRIPT_MAJORITY * (trad + simp):
        return "simplified"
    return "unknown"


# Japanese writes kana between its kanji (30-40 % of its letters), Korean hangul; a
# Chinese text quotes at most a name in them. Past this share of the CJK letters the text
# is not Chinese.
KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
KANA_OR_HANGUL = re.compile(KANA.pattern + "|" + HANGUL.pattern)
HANZI = re.compile(r"[\u4e00-\u9fff]")
FOREIGN_SCRIPT_SHARE = 0.2
FOREIGN_SCRIPT_MIN = 20
FOREIGN_SAMPLE_CHARS = 2_000  # a Japanese or Korean text shows it from its first lines


def foreign_script(text: str | None) -> str | None:
    """'Japanese' or 'Korean' when kana or hangul make up more than FOREIGN_SCRIPT_SHARE of
    the CJK letters of the text's first 2,000 characters (and number at least 20), else None."""
    sample = (text or "")[:FOREIGN_SAMPLE_CHARS]
    if not KANA_OR_HANGUL.search(sample):  # nearly every text: one scan
        return None
    kana, hangul = len(KANA.findall(sample)), len(HANGUL.findall(sample))
    letters = kana + hangul + len(HANZI.findall(sample))
    for name, n in (("Japanese", kana), ("Korean", hangul)):
        if n >= FOREIGN_SCRIPT_MIN and n > FOREIGN_SCRIPT_SHARE * letters:
            return name
    return None


def with_script(frame: pl.DataFrame, text: str, out: str = "script") -> pl.DataFrame:
    """`detect_script` over a column of texts, as a column `out` (same rules, same
    answers; two vectorised counts per batch instead of a Python call per text)."""
    sample = pl.col(text).fill_null("").str.slice(0, SCRIPT_SAMPLE_CHARS)
    counted = frame.with_columns(
        _trad=sample.str.count_matches("[" + TRADITIONAL_CHARS + "]").cast(pl.Float64),
        _simp=sample.str.count_matches("[" + SIMPLIFIED_CHARS + "]").cast(pl.Float64),
    )
    trad, simp = pl.col("_trad"), pl.col("_simp")
    both = trad + simp
    return counted.with_columns(
        pl.when(both < SCRIPT_MIN_EVIDENCE).then(pl.lit("unknown"))
        .when(trad >= SCRIPT_MAJORITY * both).then(pl.lit("traditional"))
        .when(simp >= SCRIPT_MAJORITY * both).then(pl.lit("simplified"))
        .otherwise(pl.lit("unknown")).alias(out)
    ).drop("_trad", "_simp")


# --- dates stated in text -------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# `2024年3月5日`, `２０２４年３月５日`, `一九六九年四月一日`, `2024-03-26`, `2024/3/26`
DATE_IN_TEXT = re.compile(
    r"([0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
    r"|([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])"
)


def _cn_number(s: str) -> int:
    """'2024' '２０２４' '一九六九' -> digits read in place; '十二' '二十七' '三十' -> tens."""
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def find_date(text: str | None) -> dt.date | None:
    """The first valid calendar date written in `text` (Arabic, full-width or
    Chinese numerals, or ISO-like), else None."""
    for m in DATE_IN_TEXT.finditer(text or ""):
        parts = m.groups()[:3] if m.group(1) else m.groups()[3:]
        try:
            return dt.date(*(_cn_number(p) for p in parts))
        except (ValueError, KeyError):
            continue
    return None
