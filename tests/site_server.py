"""A small news site on 127.0.0.1 for the pull tests: the corpus's Foreign
Ministry pages behind three generated listing pages, with the troubles a real
site has (a dead link, a flaky page, a slow page, a moved page, a soft 404, a
path robots.txt disallows). Loopback only, in a thread of the test process;
every request is logged with its headers."""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
NOT_FOUND_PAGE = "<html><head><title>404 Not Found</title></head><body><h1>404</h1></body></html>"
SOFT_404_PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
                 '<body><div class="main"><p>对不起，您访问的页面不存在或已被删除。</p></div></body></html>')
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Request:
    path: str
    headers: dict[str, str]

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class NewsSite:
    """The site's content: path -> page bytes, and what each special path does."""
    pages: dict[str, bytes] = field(default_factory=dict)
    listings: list[str] = field(default_factory=list)
    not_found: set[str] = field(default_factory=set)
    flaky: set[str] = field(default_factory=set)          # 500 on the first request, then the page
    slow: dict[str, float] = field(default_factory=dict)  # seconds to wait before answering
    moved: dict[str, str] = field(default_factory=dict)   # 301 from -> to
    soft_404: set[str] = field(default_factory=set)
    requests: list[Request] = field(default_factory=list)
    _failed_once: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def log(self, path: str, headers) -> None:
        with self._lock:
            self.requests.append(Request(path, {k.lower(): v for k, v in headers.items()}))

    def requests_since(self, n: int) -> list[Request]:
        with self._lock:
            return list(self.requests[n:])


def build_site(mfa_dir: Path, n_pages: int = 12) -> NewsSite:
    """Listing pages /news/, /news/index_1.html, /news/index_2.html, each linking to
    five pages (newest first, a `下一页` link to the next listing page) and holding
    the special cases: 12 corpus pages, of which one flaky, one moved, one slow and
    one under /private/, plus a dead link and a soft 404."""
    site = NewsSite()
    files = sorted((p for p in mfa_dir.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))[:n_pages]
    article_paths = [f"/news/2024{i % 12 + 1:02d}/t2024{i % 12 + 1:02d}{i % 27 + 1:02d}_{f.name}.html"
                     for i, f in enumerate(files)]
    for path, f in zip(article_paths, files):
        site.pages[path] = f.read_bytes()
    site.flaky.add(article_paths[1])
    site.slow[article_paths[2]] = 2.5  # past the tests' 1 s timeout
    secret = article_paths[3].replace("/news/", "/private/")
    site.pages[secret] = site.pages.pop(article_paths[3])
    moved_from = "/news/old/" + article_paths[4].rsplit("/", 1)[1]
    site.moved[moved_from] = article_paths[4]
    dead, soft = "/news/202401/t20240105_404.html", "/news/202401/t20240106_999.html"
    site.not_found.add(dead)
    site.soft_404.add(soft)
    links = [p for p in article_paths if p not in (article_paths[3], article_paths[4])]
    links[3:3] = [secret, moved_from]
    links += [dead, soft]
    listing_paths = ["/news/", "/news/index_1.html", "/news/index_2.html"]
    per_page = -(-len(links) // len(listing_paths))
    for k, listing in enumerate(listing_paths):
        chunk = links[k * per_page:(k + 1) * per_page]
        items = "".join(f'<li><a href="{p}">第{k * per_page + j + 1}篇</a><span>2024-03-{j + 1:02d}</span></li>'
                        for j, p in enumerate(chunk))
        nxt = f'<a class="next" href="{listing_paths[k + 1]}">下一页</a>' if k + 1 < len(listing_paths) else ""
        html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>发言人表态 第{k + 1}页</title></head>'
                f'<body><a href="/">首页</a><ul class="list">{items}</ul><div class="page">{nxt}</div></body></html>')
        site.pages[listing] = html.encode("utf-8")
        site.listings.append(listing)
    return site


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def handler_for(site: NewsSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0]
            site.log(path, self.headers)
            if path in site.slow:
                time.sleep(site.slow[path])
            if path == "/robots.txt":
                return self._page(ROBOTS, "text/plain")
            if path in site.not_found:
                return self._send(404, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8")
            if path in site.soft_404:
                return self._page(SOFT_404_PAGE.encode("utf-8"), "text/html; charset=utf-8")
            if path in site.moved:
                return self._send(301, b"", "text/html", {"Location": site.moved[path]})
            if path in site.flaky and path not in site._failed_once:
                site._failed_once.add(path)
                return self._send(500, b"<html><body>Internal Server Error</body></html>", "text/html")
            if path in site.pages:
                return self._page(site.pages[path], "text/html; charset=UTF-8")
            return self._send(404, NOT_FOUND_PAGE.encode(), "text/html; charset=utf-8")

        def _page(self, body: bytes, content_type: str):
            tag = etag(body)
            if self.headers.get("If-None-Match") == tag:
                return self._send(304, b"", None, {"ETag": tag, "Last-Modified": LAST_MODIFIED})
            return self._send(200, body, content_type, {"ETag": tag, "Last-Modified": LAST_MODIFIED})

        def _send(self, status: int, body: bytes, content_type: str | None, headers: dict | None = None):
            try:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (the slow page)
                pass

    return Handler


class SiteServer:
    """`with SiteServer(site) as base_url:` serves `site` on a free loopback port."""

    def __init__(self, site: NewsSite):
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
