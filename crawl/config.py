"""The sources file: which sites `policy-news pull` reads, and how politely.

One `[sites.NAME]` table per site; `[defaults]` holds settings every site
inherits and may override. Example (the repository's `sources.toml`):

    [defaults]
    user_agent = "policy-news/0.1 (news archive for research; +https://example.org/contact)"
    delay_seconds = 2.0

    [sites.mfa-presscon]
    listing_urls = ["https://www.mfa.gov.cn/web/wjdt_674879/fyrbt_674889/"]
    link_pattern = '/t\\d{8}_\\d+\\.shtml$'
    page_url_pattern = "https://www.mfa.gov.cn/web/wjdt_674879/fyrbt_674889/index_{n}.shtml"
    max_pages = 3
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCES_FILE = "sources.toml"
DEFAULT_USER_AGENT = "policy-news/0.1 (Chinese policy news archive for research; python-httpx)"


@dataclass(frozen=True)
class SiteConfig:
    name: str
    listing_urls: tuple[str, ...]
    link_selector: str | None = None      # CSS selector of article links on a listing page: "ul.list1 li a"
    link_pattern: str | None = None       # regex an article URL must match (searched in the absolute URL)
    next_selector: str | None = None      # CSS selector of the next-page link: 'a:-soup-contains("下一页")'
    page_url_pattern: str | None = None   # later listing pages: ".../index_{n}.shtml", n from page_start on
    page_start: int = 1                   # n of the second listing page
    max_pages: int = 1                    # listing pages read per listing URL, the first included
    since: dt.date | None = None          # links dated before this (from link text or URL) are not fetched
    delay_seconds: float = 2.0            # at least this long between two requests to one host
    user_agent: str = DEFAULT_USER_AGENT
    timeout_seconds: float = 20.0         # connect, read and write timeout of one request
    retries: int = 2                      # extra attempts after a timeout, connection error, 429 or 5xx
    backoff_seconds: float = 2.0          # wait before the first retry; doubled for each next one
    max_bytes: int = 10 * 1024 * 1024     # a response body larger than this is rejected, not read further
    max_redirects: int = 5
    recheck_days: float = 7.0             # articles first fetched this recently are re-checked (conditionally)
    retry_failed_after_hours: float = 20.0  # a link that failed is tried again after this long, not every run

    def page_urls(self, listing_url: str) -> list[str]:
        """The listing pages a page-number pattern names after `listing_url` (none without a pattern)."""
        if not self.page_url_pattern:
            return []
        return [self.page_url_pattern.format(n=self.page_start + i) for i in range(self.max_pages - 1)]


_FIELDS = {f.name: f for f in dataclasses.fields(SiteConfig)}
_NUMBERS = {"page_start": int, "max_pages": int, "retries": int, "max_bytes": int, "max_redirects": int,
            "delay_seconds": float, "timeout_seconds": float, "backoff_seconds": float, "recheck_days": float,
            "retry_failed_after_hours": float}


class SourcesError(ValueError):
    """The sources file is wrong; str(e) says where and how."""


def load_sources(path: str | Path = DEFAULT_SOURCES_FILE) -> dict[str, SiteConfig]:
    """Read and check the sources file -> {site name: SiteConfig}, in file order."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"no sources file at {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"{path}: not valid TOML: {e}") from None
    defaults = doc.get("defaults", {})
    sites = doc.get("sites", {})
    if not sites:
        raise SourcesError(f"{path}: no [sites.NAME] table")
    return {name: site_config(name, {**defaults, **table}, where=f"{path} [sites.{name}]")
            for name, table in sites.items()}


def site_config(name: str, table: dict, where: str = "") -> SiteConfig:
    """One site's settings, checked: unknown keys, types, a way to find links."""
    where = where or f"site {name}"
    unknown = set(table) - set(_FIELDS) - {"name"}
    if unknown:
        raise SourcesError(f"{where}: unknown setting(s) {sorted(unknown)}; known: {sorted(set(_FIELDS) - {'name'})}")
    values = dict(table)
    urls = values.pop("listing_urls", None) or ([values.pop("listing_url")] if "listing_url" in values else None)
    if not urls or not all(isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls):
        raise SourcesError(f"{where}: listing_urls must be a list of http(s) URLs")
    if not (values.get("link_selector") or values.get("link_pattern")):
        raise SourcesError(f"{where}: give link_selector (CSS) or link_pattern (regex) to find article links")
    for key, kind in _NUMBERS.items():
        if key in values:
            try:
                values[key] = kind(values[key])
            except (TypeError, ValueError):
                raise SourcesError(f"{where}: {key} must be a number, not {values[key]!r}") from None
            if values[key] < 0:
                raise SourcesError(f"{where}: {key} must not be negative")
    if values.get("max_pages", 1) < 1:
        raise SourcesError(f"{where}: max_pages must be at least 1")
    if values.get("link_pattern"):
        try:
            re.compile(values["link_pattern"])
        except re.error as e:
            raise SourcesError(f"{where}: link_pattern is not a valid regex: {e}") from None
    if values.get("page_url_pattern") and "{n}" not in values["page_url_pattern"]:
        raise SourcesError(f"{where}: page_url_pattern must hold {{n}} where the page number goes")
    since = values.get("since")
    if isinstance(since, str):
        try:
            values["since"] = dt.date.fromisoformat(since)
        except ValueError:
            raise SourcesError(f"{where}: since must be a date (YYYY-MM-DD), not {since!r}") from None
    elif since is not None and not isinstance(since, dt.date):
        raise SourcesError(f"{where}: since must be a date (YYYY-MM-DD)")
    values.pop("name", None)
    return SiteConfig(name=name, listing_urls=tuple(urls), **values)


def select_sites(sites: dict[str, SiteConfig], names: list[str] | None) -> list[SiteConfig]:
    """The sites named (all without names); an unknown name is an error that lists the known ones."""
    if not names:
        return list(sites.values())
    unknown = [n for n in names if n not in sites]
    if unknown:
        raise SourcesError(f"unknown source(s) {unknown}; the sources file has {list(sites)}")
    return [sites[n] for n in names]

