"""One site's pull: read its listing pages, decide which article links to ask for,
ask for them politely. No database and no parsing of articles here: the caller
gives what earlier pulls learnt (`known`, from fetch_log) and gets back every
fetch made, each response already in the site's WARC file of this run.

Which links are asked for:
- a link never seen: fetched;
- a link fetched before, first fetched within `recheck_days`: re-checked with a
  conditional request (an unchanged page costs a 304);
- a link that failed (404, timeout, ...): tried again once `retry_failed_after_hours`
  have passed since, not on every run;
- an older link: left alone;
- a link dated (on the listing, or in its URL) before the site's `since`: left alone.
Listing pages and robots.txt are asked for on every run, conditionally when known.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from crawl.archive import WarcArchive
from crawl.client import Fetch, Known, PoliteClient
from crawl.config import SiteConfig
from crawl.links import Link, article_links, next_page, page_soup


@dataclass
class SiteCrawl:
    site: str
    warc_file: str
    fetches: list[Fetch] = field(default_factory=list)   # robots, listings, articles, in request order
    links_found: int = 0
    left_alone: dict[str, int] = field(default_factory=dict)  # why links were not asked for -> how many

    def articles(self) -> list[Fetch]:
        return [f for f in self.fetches if f.kind == "article"]


def crawl_site(site: SiteConfig, known: dict[str, Known], archive_dir: str | Path, run_id: str,
               now: dt.datetime | None = None, transport=None) -> SiteCrawl:
    """Pull one site into `archive_dir/<site>/<site>-<time>-<run>.warc.gz`."""
    now = now or dt.datetime.now(dt.timezone.utc)
    path = Path(archive_dir) / site.name / f"{site.name}-{now:%Y%m%dT%H%M%S}-{run_id[:8]}.warc.gz"
    archive = WarcArchive(path, {"software": "policy-news pull", "format": "WARC File Format 1.1",
                                 "operator-agent": site.user_agent, "robots": "obey",
                                 "description": f"site {site.name}, run {run_id}"})
    client = PoliteClient(site, archive, known, transport=transport)
    result = SiteCrawl(site.name, str(archive.path))
    try:
        links = listing_links(client, site)
        result.links_found = len(links)
        for link in links:
            why_not = leave_alone(link, known.get(link.url), site, now)
            if why_not:
                result.left_alone[why_not] = result.left_alone.get(why_not, 0) + 1
                continue
            client.get(link.url, "article")
    finally:
        client.close()
        archive.close()
    result.fetches = client.log
    return result


def listing_links(client: PoliteClient, site: SiteConfig) -> list[Link]:
    """Article links of every listing page (up to max_pages per listing URL, by
    next-page link or page-number pattern), each once, newest listing first. Paging
    stops early once a page's links are all dated before `since`."""
    links: dict[str, Link] = {}
    for listing_url in site.listing_urls:
        queue, seen = [listing_url, *site.page_urls(listing_url)], set()
        while queue and len(seen) < site.max_pages:
            page_url = queue.pop(0)
            if page_url in seen:
                continue
            seen.add(page_url)
            fetch = client.get(page_url, "listing")
            soup = page_soup(fetch.response) if fetch.ok else None
            if soup is None:
                continue  # rejected (logged); with a page pattern the next pages may still answer
            found = article_links(soup, fetch.fetched_url, site)
            for link in found:
                links.setdefault(link.url, link)
            nxt = next_page(soup, fetch.fetched_url, site)
            if nxt and nxt not in seen:
                queue.insert(0, nxt)
            dated = [link.date for link in found if link.date]
            if site.since and dated and max(dated) < site.since:
                break
    return list(links.values())


def leave_alone(link: Link, known: Known | None, site: SiteConfig, now: dt.datetime) -> str | None:
    """Why a link is not asked for this run (None: ask)."""
    if site.since and link.date and link.date < site.since:
        return f"dated before {site.since}"
    if known is None or known.outcome is None:
        return None
    if known.outcome in ("rejected", "disallowed"):
        waited = now - (known.last_attempt_at or now)
        if known.outcome == "rejected" and waited < dt.timedelta(hours=site.retry_failed_after_hours):
            return f"failed less than {site.retry_failed_after_hours:g} h ago"
        return None
    first = known.first_fetched_at or now
    if now - first > dt.timedelta(days=site.recheck_days):
        return f"first fetched over {site.recheck_days:g} days ago"
    return None
