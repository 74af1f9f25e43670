"""WARC files (ISO 28500, what `policy-news pull` archives) -> one document per
HTML page response.

A WARC holds every response a crawl got: robots.txt, listing pages, redirects,
errors, 304 revisits, and the article pages. Only a `200` HTML response is a
document; records written by `policy-news pull` also say what they were fetched
as (`Policy-News-Role: listing | robots | article`), and only articles are read
from those. A WARC from another crawler has no role: every HTML 200 response is
an article. The document's source_uri and url are the URL the page was fetched
from; the date the crawler fetched it is the record's WARC-Date.
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import zlib
from dataclasses import dataclass

from sources.base import ReadResult, Reject

ROLE_HEADER = "Policy-News-Role"
NOT_DOCUMENTS = {"listing", "robots"}
# `text/html; charset=GBK` -> GBK
CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# A page served with 200 that is a site's "not found" page (a soft 404): its title says so
# (`404 页面不存在`, `您访问的页面不存在`, `Page Not Found`) and it has little text.
ERROR_PAGE_TITLE = re.compile(
    r"^\s*(?:404|403|410|500|502|503)\b|页面不存在|页面未找到|找不到(?:该|您要的|你要的)?页面|您访问的页面|"
    r"page not found|not found|服务器错误|系统错误", re.I)
ERROR_PAGE_MAX_CHARS = 1000


@dataclass
class WebResponse:
    """One HTTP response as archived: what a reader needs of it."""
    url: str
    fetched_at: dt.datetime | None
    status: int
    content_type: str | None
    body: bytes
    role: str | None = None

    @property
    def charset(self) -> str | None:
        m = CONTENT_TYPE_CHARSET.search(self.content_type or "")
        return m.group(1) if m else None


def is_warc(data: bytes) -> bool:
    """A WARC file, plain or gzipped (one gzip member per record, as crawlers write them)."""
    if data.startswith(b"WARC/"):
        return True
    if data.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16).startswith(b"WARC/")
        except zlib.error:
            return False
    return False


def response_of(record, max_bytes: int | None = None) -> WebResponse | None:
    """A warcio record -> WebResponse for an HTTP `response` record (body de-chunked
    and decompressed), None for any other record. With max_bytes, at most
    max_bytes + 1 bytes of body are read."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    headers = record.http_headers
    try:
        status = int(headers.get_statuscode())
    except (TypeError, ValueError):
        return None
    body = record.content_stream().read(None if max_bytes is None else max_bytes + 1)
    return WebResponse(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        status=status,
        content_type=headers.get_header("Content-Type"),
        body=body,
        role=record.rec_headers.get_header(ROLE_HEADER),
    )


def read_warc(data: bytes, source_uri: str, **options) -> ReadResult:
    """Every article page in a WARC file -> its document; pages that are not articles
    (error pages, pages without text) -> a Reject with the page's URL. A file damaged
    part way keeps the documents before the damage and rejects the rest."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    out = ReadResult()
    records = ArchiveIterator(io.BytesIO(data))
    while True:
        try:  # only reading the archive is guarded here; a page's own trouble is its reject
            resp = response_of(next(records))
        except StopIteration:
            break
        except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as e:
            out.rejects.append(Reject(source_uri, "bad_warc", f"The WARC file is damaged after "
                                                              f"{len(out.docs)} document(s): {e}."))
            break
        if resp is None or resp.status != 200 or resp.role in NOT_DOCUMENTS:
            continue
        res = read_web_page(resp)
        out.docs += res.docs
        out.rejects += res.rejects
    return out


def read_web_page(resp: WebResponse) -> ReadResult:
    """One fetched page -> its document, charset from the HTTP header first (then the
    page's own declaration, then the decoder's rules); source_uri and url are the URL."""
    from sources.html import read_html

    kind = (resp.content_type or "").split(";")[0].strip().lower()
    if kind and kind not in ("text/html", "application/xhtml+xml"):
        return ReadResult(rejects=[Reject(resp.url, "not_html", f"The response is {kind}, not an HTML page.")])
    res = read_html(resp.body, resp.url, declared_charset=resp.charset)
    for doc in res.docs:
        doc.url = resp.url
        if ERROR_PAGE_TITLE.search(doc.title or "") and len(doc.text) < ERROR_PAGE_MAX_CHARS:
            return ReadResult(rejects=[Reject(resp.url, "error_page",
                                              f"The server answered 200 with an error page ({doc.title!r}).")])
    return res


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
