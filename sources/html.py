"""HTML pages -> one RawDocument: the article body as blank-line-separated
paragraphs, its title, publication date, byline, outlet and URL.

Each page is parsed once (lxml). The body is a known site container when the
page has one, else the block holding the most sentence text, with page chrome
taken out (sources/html_body.py); title and date come from the page's own
metadata and headline (sources/html_meta.py); the byline from the lines around
the article (sources/html_byline.py). Site knowledge is data, in
sources/html_sites.py. The text rules (paragraphs, tables, spaces) are in
sources/html_text.py.
"""
from __future__ import annotations

import re

from sources.base import RawDocument, ReadResult, Reject
from sources.decode import DecodeError, decode_bytes, normalise_charset
from sources.html_body import article_paragraphs, known_body
from sources.html_byline import find_byline
from sources.html_meta import (
    OUTLET_METAS, SITE_METAS, first_meta, headline_windows, meta_values, page_date, page_title, page_url,
)
from sources.html_text import TooDeep, element_paragraphs, elements, parse_html, top_level
from sources.html_text import _paragraphs  # noqa: F401  (html_fragment_paragraphs reads a bare fragment)

# `<meta charset="gbk">`, `content="text/html; charset=GB2312"`, `<?xml ... encoding="gbk"?>`
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
CHARSET_SNIFF_BYTES = 4096
# `2024年3月26日外交部发言人林剑主持例行记者会` -> 林剑 (not `就...答记者问`, which names no one)
# A page whose body holds fewer characters than this has no article (`首页 English` of a
# navigation page); the shortest article of the corpus has hundreds.
MIN_BODY_CHARS = 10
SPEAKER_IN_TITLE = re.compile(r"发言人(?!就|对|关于)([\u4e00-\u9fff·]{2,4}?)(?:主持|答记者问)")


def sniff_declared_charset(data: bytes) -> str | None:
    m = DECLARED_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    return (m.group(1) or m.group(2)).decode("ascii") if m else None


def read_html(data: bytes, source_uri: str, **options) -> ReadResult:
    """One page -> one document.

    A page cut off before `</html>` is read when a known container with text is
    found (flag `truncated`: what is there is real text, only the end is
    missing) and rejected `truncated_html` otherwise: on a cut page a generic
    reading would mostly return the site's navigation. A complete page with no
    body text is rejected `no_body`. `declared_charset` (the HTTP Content-Type's,
    for a fetched page) is preferred to the one the page declares."""
    declared = options.get("declared_charset") or sniff_declared_charset(data)
    try:
        text, encoding = decode_bytes(data, declared)
    except DecodeError as e:
        return ReadResult(rejects=[Reject(source_uri, "undecodable", str(e))])
    # declared big5 or iso-8859-1, read as GB18030 because the declared one gave mojibake
    refused = normalise_charset(declared) not in (None, encoding, "utf-8") and encoding != "utf-8"
    truncated = text.rfind("</html") < 0 and text.rfind("</HTML") < 0
    try:
        root = parse_html(text)
    except TooDeep as e:
        return ReadResult(rejects=[Reject(source_uri, "too_deep", str(e))])
    meta = meta_values(root)
    title = page_title(root, meta, text)
    if truncated:
        known = known_body(root) if root is not None else None
        paragraphs = element_paragraphs(known[0]) if known is not None else []
    else:
        paragraphs = article_paragraphs(root, title)
    if sum(map(len, paragraphs)) < MIN_BODY_CHARS:  # a page of navigation: `首页`, `English`
        paragraphs = []
    if not paragraphs:
        if truncated:
            return ReadResult(rejects=[Reject(source_uri, "truncated_html",
                                              "The page is cut off (no closing </html>) before any article text.")])
        return ReadResult(rejects=[Reject(source_uri, "no_body", "No article text was found in the page.")])
    url = page_url(root, meta)
    # a fetched page's address dates it too (`/2019-12/10/c_….htm`) when it names no canonical URL
    fetched_from = source_uri if source_uri.startswith(("http://", "https://")) else None
    published, date_source = page_date(root, meta, text, title, url or fetched_from)
    doc = RawDocument(
        source_uri=source_uri, source_format="html", text="\n\n".join(paragraphs),
        title=title, published_date=published, date_source=date_source,
        outlet=first_meta(meta, OUTLET_METAS) or first_meta(meta, SITE_METAS),
        url=url, encoding=encoding,
        event_speaker=speaker_from_title(title),
        byline=find_byline(paragraphs, lambda: next(headline_windows(text, title), "")),
        flags=(["truncated"] if truncated else []) + ([f"charset_not_{normalise_charset(declared)}"] if refused else []),
    )
    return ReadResult(docs=[doc])


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of a piece of HTML (a digest item's body): same rules as a page body."""
    root = parse_html(fragment)
    if root is None:
        return []
    body = next(elements(root, "body"), None)
    return element_paragraphs(body) if body is not None else _paragraphs(top_level(root), False)


def speaker_from_title(title: str | None) -> str | None:
    m = SPEAKER_IN_TITLE.search(title or "")
    return m.group(1) if m else None

