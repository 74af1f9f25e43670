"""Plain-text and markdown-style article files (newspaper text, OCR/PDF text)."""
from __future__ import annotations

import re

from sources.base import RawDocument, ReadResult, Reject
from sources.decode import DecodeError, decode_bytes
from sources.fields import record_document, resolve_fields

# `## 国新办举行“推动高质量发展”系列主题新闻发布会`
MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
# editorial labels that head a box rather than the article: `## 编者按`
EDITORIAL_LABELS = {"编者按", "编者的话", "导读", "摘要", "核心提示", "链接", "背景"}
# YAML front matter of a static-site or exported markdown file:
# `---\ntitle: 国务院常务会议\ndate: 2025-03-21\nsource: 新华社\n---\n`
FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
# one `key: value` line of it (values may be quoted)
FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", re.M)


def title_from_headings(text: str) -> str | None:
    """The first markdown heading that is a headline, not an editorial label."""
    for m in MD_HEADING.finditer(text):
        h = m.group(1).strip()
        if h not in EDITORIAL_LABELS and len(h) >= 6:
            return h
    return None


def read_text(data: bytes, source_uri: str) -> ReadResult:
    """One document per file; markdown if it has `#` headings, else text."""
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        return ReadResult(rejects=[Reject(source_uri, "undecodable", str(e))])
    if not text.strip():
        return ReadResult(rejects=[Reject(source_uri, "empty", "the file holds no text (only whitespace)")])
    front = FRONT_MATTER.match(text)
    if front:
        return ReadResult(docs=[_front_matter_document(front, text, source_uri, encoding)])
    is_md = MD_HEADING.search(text) is not None
    doc = RawDocument(
        source_uri=source_uri,
        source_format="markdown" if is_md else "text",
        text=text,
        title=title_from_headings(text),
        encoding=encoding,
    )
    return ReadResult(docs=[doc])


def _front_matter_document(front: re.Match, text: str, source_uri: str, encoding: str) -> RawDocument:
    """A markdown file with YAML front matter: its `title`, `date` (date_source
    `front_matter:date`), `source`/`outlet`, `url` keys are the document's, the other
    keys its metadata; the body is what follows the closing `---`."""
    record = {k: v.strip().strip("\"'") for k, v in FRONT_MATTER_LINE.findall(front.group(1))}
    if "source" in record and "outlet" not in record:
        record["outlet"] = record.pop("source")
    body = text[front.end():]
    fields = resolve_fields(None)
    doc = record_document({**record, "text": body}, fields, source_uri, encoding, "front_matter")
    doc.source_format = "markdown"
    doc.title = doc.title or title_from_headings(body)
    return doc
