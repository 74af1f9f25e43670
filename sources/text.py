"""Plain-text and markdown-style article files (newspaper text, OCR/PDF text)."""
from __future__ import annotations

import re

from sources.base import RawDocument, ReadResult, Reject
from sources.decode import DecodeError, decode_bytes

# `## 国新办举行“推动高质量发展”系列主题新闻发布会`
MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
# editorial labels that head a box rather than the article: `## 编者按`
EDITORIAL_LABELS = {"编者按", "编者的话", "导读", "摘要", "核心提示", "链接", "背景"}


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
    is_md = MD_HEADING.search(text) is not None
    doc = RawDocument(
        source_uri=source_uri,
        source_format="markdown" if is_md else "text",
        text=text,
        title=title_from_headings(text),
        encoding=encoding,
    )
    return ReadResult(docs=[doc])
