"""A listing page -> the article links on it (with the date each shows, if any)
and the link to the next listing page."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from crawl.config import SiteConfig
from sources.decode import DecodeError, decode_bytes
from sources.detect import find_date
from sources.html import sniff_declared_charset
from sources.warc import WebResponse

# A date in an article URL: `/202403/t20240327_11271332.shtml`, `/2024-03-27/`, `/2024/03/27/`
URL_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-/_]?([01][0-9])[-/_]?([0-3][0-9])(?![0-9])")
# How much of the element around a link is searched for its date (`<li><a>...</a><span>2024-03-27</span></li>`)
CONTEXT_CHARS = 200


@dataclass(frozen=True)
class Link:
    url: str
    date: dt.date | None = None


def page_soup(page: WebResponse) -> BeautifulSoup | None:
    try:
        text, _ = decode_bytes(page.body, page.charset or sniff_declared_charset(page.body))
    except DecodeError:
        return None
    return BeautifulSoup(text, "lxml")


def article_links(soup: BeautifulSoup, page_url: str, site: SiteConfig) -> list[Link]:
    """Links chosen by the site's CSS selector and/or URL pattern, absolute, without
    fragment, each once, in page order."""
    anchors = soup.select(site.link_selector) if site.link_selector else soup.find_all("a", href=True)
    pattern = re.compile(site.link_pattern) if site.link_pattern else None
    out: dict[str, Link] = {}
    for a in anchors:
        if a.name != "a":
            a = a.find("a", href=True) or a
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(page_url, href).split("#")[0]
        if urlsplit(url).scheme not in ("http", "https") or (pattern and not pattern.search(url)):
            continue
        if url not in out:
            out[url] = Link(url, link_date(a, url))
    return list(out.values())


def link_date(anchor, url: str) -> dt.date | None:
    """The date a listing shows for a link: in the link's text, then in the element
    around it, then in its URL."""
    date = find_date(anchor.get_text(" ", strip=True))
    if date is None and anchor.parent is not None:
        date = find_date(anchor.parent.get_text(" ", strip=True)[:CONTEXT_CHARS])
    return date or url_date(url)


def url_date(url: str) -> dt.date | None:
    for m in URL_DATE.finditer(urlsplit(url).path):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def next_page(soup: BeautifulSoup, page_url: str, site: SiteConfig) -> str | None:
    if not site.next_selector:
        return None
    a = soup.select_one(site.next_selector)
    href = a.get("href") if a is not None else None
    return urljoin(page_url, href.strip()).split("#")[0] if href else None
