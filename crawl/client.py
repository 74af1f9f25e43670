"""A polite HTTP client for one site: robots.txt, a per-host pace, retries with
backoff, conditional requests, a size cap, redirects followed one hop at a time
(each hop checked against robots.txt and archived).

Every response is written to the WARC archive before anything reads it; the
body handed back is read from the archive (de-chunked, decompressed), so what
is parsed is exactly what is archived. A 304 hands back the archived body of
the URL's last full response.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from crawl.archive import WarcArchive, read_response
from crawl.config import SiteConfig
from sources.warc import WebResponse

# Worth another try: the server is overloaded or failing now, not refusing for good.
RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
MAX_RETRY_AFTER_SECONDS = 60.0


@dataclass
class Known:
    """What an earlier pull learnt about a URL (the latest fetch_log row)."""
    fetched_url: str | None = None
    outcome: str | None = None            # of the last attempt: fetched | not_modified | rejected | disallowed
    last_attempt_at: dt.datetime | None = None
    first_fetched_at: dt.datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    doc_id: str | None = None


@dataclass
class Fetch:
    """One URL asked for in this run: how it went, and (not logged) the body to parse."""
    kind: str                             # robots | listing | article
    url: str
    fetched_url: str
    fetched_at: dt.datetime
    outcome: str = "fetched"              # fetched | not_modified | rejected | disallowed
    status: int | None = None
    reason: str | None = None
    detail: str | None = None
    conditional: bool = False
    attempts: int = 0
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    response: WebResponse | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.outcome in ("fetched", "not_modified") and self.response is not None


class HostPace:
    """At least `delay` seconds between the starts of two requests to one host, across threads."""

    def __init__(self):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + delay
        if start > now:
            time.sleep(start - now)


PACE = HostPace()  # one per process: two sites on one host share its pace


@dataclass
class _Exchange:
    status: int | None = None
    headers: httpx.Headers | None = None
    offset: int | None = None
    attempts: int = 0
    error: tuple[str, str] | None = None  # (reason, detail) when there is no usable response


class PoliteClient:
    def __init__(self, site: SiteConfig, archive: WarcArchive, known: dict[str, Known] | None = None,
                 transport: httpx.BaseTransport | None = None, pace: HostPace = PACE, now=None):
        self.site = site
        self.archive = archive
        self.known = known or {}
        self.pace = pace
        self.now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self.log: list[Fetch] = []
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.http = httpx.Client(
            headers={"User-Agent": site.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            timeout=httpx.Timeout(site.timeout_seconds), follow_redirects=False, transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    # --- the one public verb -------------------------------------------------

    def get(self, url: str, kind: str) -> Fetch:
        """GET a URL: conditionally when an earlier full response of it is known and
        archived (asking the address it last ended at), following redirects."""
        known = self.known.get(url)
        stored = None  # the last full response, when its validators can make this request conditional
        if known and known.warc_file and known.warc_offset is not None and (known.etag or known.last_modified):
            stored = read_response(known.warc_file, known.warc_offset, self.site.max_bytes)
        target = known.fetched_url if stored and known.fetched_url else url
        fetch = Fetch(kind, url, target, self.now())
        validators, refers = {}, None
        if stored:
            validators = {k: v for k, v in (("If-None-Match", known.etag),
                                            ("If-Modified-Since", known.last_modified)) if v}
            refers = (stored.url, _warc_date(stored.fetched_at or self.now()))
        for _hop in range(self.site.max_redirects + 1):
            fetch.fetched_url = target
            if kind != "robots" and not self.allowed(target):
                fetch.outcome, fetch.reason = "disallowed", "robots_disallowed"
                fetch.detail = f"robots.txt of {_origin(target)} disallows {target} for our user agent"
                break
            fetch.conditional = fetch.conditional or bool(validators)
            ex = self._request(target, validators, kind, refers if validators else None)
            fetch.attempts += ex.attempts
            fetch.status = ex.status
            if ex.error:
                fetch.outcome, (fetch.reason, fetch.detail) = "rejected", ex.error
                break
            if ex.status in REDIRECT_STATUSES and ex.headers.get("location"):
                target = urljoin(target, ex.headers["location"]).split("#")[0]
                validators = {}
                continue
            if ex.status == 304 and validators:
                fetch.outcome, fetch.response = "not_modified", stored
                fetch.etag, fetch.last_modified = known.etag, known.last_modified
                fetch.content_sha256 = known.content_sha256
                fetch.warc_file, fetch.warc_offset = known.warc_file, known.warc_offset
                break
            if ex.status == 200:
                self._take_full_response(fetch, ex)
                break
            fetch.outcome, fetch.reason = "rejected", f"http_{ex.status}"
            fetch.detail = f"the server answered {ex.status}" + (
                f" after {ex.attempts} attempts" if ex.attempts > 1 else "")
            break
        else:
            fetch.outcome, fetch.reason = "rejected", "too_many_redirects"
            fetch.detail = f"more than {self.site.max_redirects} redirects"
        self.log.append(fetch)
        return fetch

    def _take_full_response(self, fetch: Fetch, ex: _Exchange) -> None:
        """A 200: the body as archived (decompressed, capped), its validators and hash."""
        fetch.response = read_response(self.archive.path, ex.offset, self.site.max_bytes)
        if fetch.response is None or len(fetch.response.body) > self.site.max_bytes:
            fetch.outcome, fetch.reason, fetch.response = "rejected", "too_large", None
            fetch.detail = f"the body is larger than {self.site.max_bytes} bytes once decompressed"
            return
        fetch.etag, fetch.last_modified = ex.headers.get("etag"), ex.headers.get("last-modified")
        fetch.content_sha256 = hashlib.sha256(fetch.response.body).hexdigest()
        fetch.warc_file, fetch.warc_offset = str(self.archive.path), ex.offset

    # --- robots.txt ----------------------------------------------------------

    def allowed(self, url: str) -> bool:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        return self._robots[origin].can_fetch(self.site.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """RFC 9309: a robots.txt that is missing (4xx) allows everything; one that
        cannot be read (5xx, no answer) disallows everything for this run."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        fetch = self.get(origin + "/robots.txt", "robots")
        if fetch.ok:
            parser.parse(fetch.response.body.decode("utf-8", errors="replace").splitlines())
        elif fetch.status is not None and 400 <= fetch.status < 500:
            parser.allow_all = True
        else:
            parser.disallow_all = True
        return parser

    def _delay(self, url: str) -> float:
        parser = self._robots.get(_origin(url))
        crawl_delay = parser.crawl_delay(self.site.user_agent) if parser and parser.mtime() else None
        return max(self.site.delay_seconds, float(crawl_delay or 0))

    # --- one request, retried --------------------------------------------------

    def _request(self, url: str, validators: dict, kind: str, refers: tuple[str, str] | None) -> _Exchange:
        ex = _Exchange()
        host = urlsplit(url).netloc
        for attempt in range(self.site.retries + 1):
            self.pace.wait(host, self._delay(url))
            ex.attempts += 1
            retry_after = None
            try:
                ex.error = None
                with self.http.stream("GET", url, headers=validators) as r:
                    ex.status, ex.headers = r.status_code, r.headers
                    body = self._capped_body(r)
                    if body is None:
                        ex.error = ("too_large", f"the response is larger than {self.site.max_bytes} bytes")
                        return ex
                    sent = [(k, v) for k, v in r.request.headers.items()]
                    ex.offset = self.archive.write_exchange(
                        url, sent, r.status_code, r.reason_phrase, list(r.headers.multi_items()), body,
                        role=kind, when=self.now(), refers_to=refers if r.status_code == 304 else None)
                    retry_after = _seconds(r.headers.get("retry-after"))
            except httpx.TimeoutException as e:
                ex.status, ex.error = None, ("timeout", f"no answer within {self.site.timeout_seconds:g} s "
                                                       f"({type(e).__name__}), {ex.attempts} attempt(s)")
            except httpx.TransportError as e:
                ex.status, ex.error = None, ("connect_error", f"{type(e).__name__}: {e}")
            if ex.error is None and ex.status not in RETRY_STATUSES:
                return ex
            if attempt < self.site.retries:
                wait = self.site.backoff_seconds * 2 ** attempt
                time.sleep(min(max(wait, retry_after or 0), MAX_RETRY_AFTER_SECONDS))
        return ex

    def _capped_body(self, r: httpx.Response) -> bytes | None:
        """The body as sent (still compressed if it was), or None past max_bytes,
        without reading more than max_bytes + one chunk."""
        declared = r.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.site.max_bytes:
            return None
        chunks, size = [], 0
        for chunk in r.iter_raw():
            size += len(chunk)
            if size > self.site.max_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _warc_date(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
