"""Daily news digests (《新闻联播》 transcripts in Markdown) -> one RawDocument per item.

File shape:

    # 《新闻联播》 (20240305)
    ## 新闻摘要          <- numbered list repeating the day's headlines: skipped
    ## 详细新闻
    ### <headline>
    <p>...</p><p>...</p>   <- the item's text, raw HTML on one line
    [查看原文](https://tv.cctv.com/...)
    ---
    (更新时间戳: 1664109102894)   <- scraper footer: not text

The summary is not an item: it only repeats the headlines of the items below it
(so its figures would be counted twice) and has no text of its own. Every
`### ` heading is one document, in file order (`path#item-N`, N from 1); an
item with only a heading and a link is kept with empty text and flag
`empty_body`. The scraper's `undefined` placeholder (a heading or body that
failed to load) counts as missing: title None / empty text, flag `placeholder`.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from sources.base import RawDocument, ReadResult, Reject
from sources.decode import DecodeError, decode_bytes
from sources.html import html_fragment_paragraphs

# `# 《新闻联播》 (20240305)` -> outlet 新闻联播, date 2024-03-05
DIGEST_TITLE = re.compile(r"^# 《([^》]+)》\s*[(（]?\s*([0-9]{8})\s*[)）]?\s*$", re.MULTILINE)
# `### 十四届全国人大二次会议在京开幕`
ITEM_HEADING = re.compile(r"^### (.*)$", re.MULTILINE)
# `[查看原文](https://tv.cctv.com/2024/03/05/VIDERxDD9zh1iJDZ4Occa2Td240305.shtml)`
SOURCE_LINK = re.compile(r"^\[查看原文\]\((\S+?)\)\s*$", re.MULTILINE)
# a `---` rule: what follows is the scraper's footer `(更新时间戳: 1664109102894)`
FOOTER_RULE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
# `20240305.md`
DATE_IN_FILENAME = re.compile(r"(?<![0-9])((?:19|20)[0-9]{6})(?![0-9])")
PLACEHOLDER = "undefined"


def read_digest(data: bytes, source_uri: str, **options) -> ReadResult:
    """One document per `### ` item, dated by the digest's title (else the file name)."""
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        return ReadResult(rejects=[Reject(source_uri, "undecodable", str(e))])
    text = text.replace("\r\n", "\n")
    title = DIGEST_TITLE.search(text)
    outlet = title.group(1) if title else None
    published, date_source = _date_from(title.group(2) if title else None, "digest:title")
    if published is None:
        name_date = DATE_IN_FILENAME.search(PurePath(source_uri.split("#")[0]).name)
        published, date_source = _date_from(name_date.group(1) if name_date else None, "filename")
    headings = list(ITEM_HEADING.finditer(text))
    docs = []
    for n, heading in enumerate(headings, start=1):
        end = headings[n].start() if n < len(headings) else len(text)
        docs.append(_item_document(
            heading.group(1).strip(), text[heading.end():end], f"{source_uri}#item-{n}",
            published_date=published, date_source=date_source, outlet=outlet, encoding=encoding,
        ))
    if not docs:
        return ReadResult(rejects=[Reject(source_uri, "no_items", "The digest has no `### ` news items.")])
    return ReadResult(docs=docs)


def _date_from(yyyymmdd: str | None, source: str) -> tuple[dt.date | None, str | None]:
    if not yyyymmdd:
        return None, None
    try:
        return dt.datetime.strptime(yyyymmdd, "%Y%m%d").date(), source
    except ValueError:
        return None, None


def _item_document(headline: str, block: str, source_uri: str, **fields) -> RawDocument:
    rule = FOOTER_RULE.search(block)
    if rule:
        block = block[: rule.start()]
    link = SOURCE_LINK.search(block)
    body = SOURCE_LINK.sub("", block).strip()
    flags = []
    if headline == PLACEHOLDER or body == PLACEHOLDER:
        flags.append("placeholder")
    if body == PLACEHOLDER:
        body = ""
    paragraphs = html_fragment_paragraphs(body) if body else []
    if not paragraphs:
        flags.append("empty_body")
    return RawDocument(
        source_uri=source_uri, source_format="digest", text="\n\n".join(paragraphs),
        title=None if headline in ("", PLACEHOLDER) else headline,
        url=link.group(1) if link else None, flags=flags, **fields,
    )
