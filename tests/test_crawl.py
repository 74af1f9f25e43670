"""The pull's parts without Prefect and without a network: the polite client on an
in-memory transport (httpx.MockTransport), the WARC archive and its reader, listing
links, the sources file, the scheduled deployment."""
from __future__ import annotations

import ast
import datetime as dt
import gzip
import time
from pathlib import Path

import httpx
import pytest
import yaml
from warcio.archiveiterator import ArchiveIterator

from crawl.archive import NOT_MODIFIED_PROFILE, WarcArchive
from crawl.client import Known, PoliteClient
from crawl.config import SourcesError, load_sources, site_config
from crawl.crawler import crawl_site, leave_alone
from crawl.links import Link, article_links, page_soup
from flows.inputs import discover
from sources.detect import detect_format
from sources.registry import read_file
from sources.warc import WebResponse, read_web_page
from tests.util import ROOT

MFA = ROOT / "data" / "corpus" / "mfa-presscon"
PAGE = (MFA / "8").read_bytes()   # 2024年3月26日外交部发言人林剑主持例行记者会
FAST = {"delay_seconds": 0, "timeout_seconds": 1, "retries": 2, "backoff_seconds": 0.01}


def answer(status: int, body: bytes = b"", **headers) -> httpx.Response:
    """A response whose body arrives as a stream, as from a socket (headers: content_type -> Content-Type)."""
    return httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()},
                          stream=httpx.ByteStream(body))


def site(**settings):
    return site_config("t", {"listing_urls": ["http://news.test/list/"], "link_pattern": "/a/", **FAST, **settings})


class Server:
    """Answers by path from a dict of handlers; counts and keeps requests."""

    def __init__(self, routes: dict):
        self.routes = {"/robots.txt": lambda r: answer(404), **routes}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.routes[request.url.path](request)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.url.path == path)


def client(tmp_path: Path, server: Server, known=None, **settings) -> PoliteClient:
    archive = WarcArchive(tmp_path / f"t-{len(list(tmp_path.glob('*.warc.gz')))}.warc.gz", {"software": "test"})
    return PoliteClient(site(**settings), archive, known, transport=httpx.MockTransport(server))


def known_from(fetch) -> Known:
    return Known(fetched_url=fetch.fetched_url, outcome=fetch.outcome, last_attempt_at=fetch.fetched_at,
                 first_fetched_at=fetch.fetched_at, etag=fetch.etag, last_modified=fetch.last_modified,
                 content_sha256=fetch.content_sha256, warc_file=fetch.warc_file, warc_offset=fetch.warc_offset)


def test_a_404_is_not_retried_but_a_503_is_until_the_page_answers(tmp_path):
    answers = iter([503, 503, 200])
    server = Server({"/a/gone": lambda r: answer(404),
                     "/a/busy": lambda r: answer(next(answers), PAGE)})
    c = client(tmp_path, server)
    gone, busy = c.get("http://news.test/a/gone", "article"), c.get("http://news.test/a/busy", "article")
    assert (gone.outcome, gone.reason, server.hits("/a/gone")) == ("rejected", "http_404", 1)
    assert (busy.outcome, busy.status, busy.attempts, server.hits("/a/busy")) == ("fetched", 200, 3, 3)
    assert busy.response.body == PAGE


def test_a_timeout_or_a_refused_connection_is_retried_then_becomes_a_reject_with_the_reason(tmp_path):
    def hang(request):
        raise httpx.ReadTimeout("no answer", request=request)

    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    c = client(tmp_path, Server({"/a/slow": hang, "/a/dead": refuse}), retries=1)
    fetch = c.get("http://news.test/a/slow", "article")
    assert (fetch.outcome, fetch.reason, fetch.attempts, fetch.status) == ("rejected", "timeout", 2, None)
    fetch = c.get("http://news.test/a/dead", "article")
    assert (fetch.outcome, fetch.reason, fetch.attempts) == ("rejected", "connect_error", 2)


def test_a_body_over_the_size_cap_is_rejected_whether_or_not_its_length_is_declared(tmp_path):
    def undeclared(request):
        return httpx.Response(200, content=iter([b"<html>" + b"x" * 800, b"y" * 800]))

    bomb = gzip.compress(b"<html>" + b" " * 50_000)  # 100-odd bytes on the wire
    server = Server({"/a/big": lambda r: answer(200, b"x" * 5000, content_length="5000"), "/a/stream": undeclared,
                     "/a/bomb": lambda r: answer(200, bomb, content_encoding="gzip")})
    c = client(tmp_path, server, max_bytes=1000)
    assert c.get("http://news.test/a/big", "article").reason == "too_large"
    assert c.get("http://news.test/a/stream", "article").reason == "too_large"
    assert c.get("http://news.test/a/bomb", "article").reason == "too_large"


def test_a_path_robots_txt_disallows_is_never_requested(tmp_path):
    server = Server({"/robots.txt": lambda r: answer(200, b"User-agent: *\nDisallow: /a/private/\n"),
                     "/a/open": lambda r: answer(200, PAGE)})
    c = client(tmp_path, server)
    assert c.get("http://news.test/a/private/1", "article").outcome == "disallowed"
    assert c.get("http://news.test/a/open", "article").outcome == "fetched"
    assert [r.url.path for r in server.requests] == ["/robots.txt", "/a/open"]
    assert all(r.headers["user-agent"].startswith("policy-news/") for r in server.requests)


def test_an_unchanged_page_costs_a_304_and_is_read_back_from_the_archive(tmp_path):
    def page(request):
        if request.headers.get("if-none-match") == '"v1"':
            return answer(304, ETag='"v1"')
        return answer(200, PAGE, ETag='"v1"', content_type="text/html")

    server = Server({"/a/1": page})
    first = client(tmp_path, server).get("http://news.test/a/1", "article")
    again = client(tmp_path, server, known={"http://news.test/a/1": known_from(first)}).get(
        "http://news.test/a/1", "article")
    assert (again.outcome, again.status, again.conditional) == ("not_modified", 304, True)
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert again.response.body == PAGE and again.warc_file == first.warc_file
    second_warc = sorted(tmp_path.glob("*.warc.gz"))[-1]
    with second_warc.open("rb") as f:
        revisits = [r for r in ArchiveIterator(f) if r.rec_type == "revisit"]
    assert [r.rec_headers.get_header("WARC-Profile") for r in revisits] == [NOT_MODIFIED_PROFILE]


def test_a_redirect_is_followed_hop_by_hop_and_the_page_keeps_the_address_it_ended_at(tmp_path):
    server = Server({"/a/old": lambda r: answer(301, Location="/a/new"),
                     "/a/new": lambda r: answer(200, PAGE)})
    fetch = client(tmp_path, server).get("http://news.test/a/old", "article")
    assert (fetch.url, fetch.fetched_url, fetch.outcome) == ("http://news.test/a/old", "http://news.test/a/new",
                                                             "fetched")
    assert fetch.response.url == "http://news.test/a/new"


def test_the_charset_of_the_http_header_wins_over_the_one_the_page_declares():
    # a Big5 page (Hong Kong, Taiwan sites) whose template claims GBK: read as GBK it is mojibake
    text = "外交部發言人主持例行記者會，就中方立場回答記者提問。"
    page = (f'<html><head><meta charset="gbk"><title>{text}</title></head><body><div id="News_Body_Txt_A">'
            f"<p>{text}</p></div></body></html>").encode("big5")
    misread = read_web_page(WebResponse("http://x.test/1", None, 200, "text/html", page))
    assert not misread.docs or text not in misread.docs[0].text
    doc = read_web_page(WebResponse("http://x.test/1", None, 200, "text/html; charset=Big5", page)).docs[0]
    assert text in doc.text and doc.encoding == "big5"


def test_a_page_served_200_that_says_not_found_is_rejected_as_an_error_page():
    page = '<html><head><title>404 页面不存在</title></head><body><p>您访问的页面不存在。</p></body></html>'
    res = read_web_page(WebResponse("http://x.test/gone", None, 200, "text/html; charset=utf-8", page.encode()))
    assert [(r.source_uri, r.reason) for r in res.rejects] == [("http://x.test/gone", "error_page")]


def write_warc(path: Path, pages: dict[str, bytes]) -> Path:
    archive = WarcArchive(path, {"software": "test"})
    when = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    archive.write_exchange("http://x.test/", [], 200, "OK", [("Content-Type", "text/html")],
                           b"<html><body><a href='/a/1'>1</a></body></html>", role="listing", when=when)
    for url, body in pages.items():
        archive.write_exchange(url, [], 200, "OK", [("Content-Type", "text/html; charset=UTF-8")], body,
                               role="article", when=when)
    archive.close()
    return path


def test_ingest_reads_a_warc_file_as_one_document_per_article_response(tmp_path):
    path = write_warc(tmp_path / "a.warc.gz", {"http://x.test/a/8": PAGE, "http://x.test/a/15": (MFA / "15").read_bytes()})
    other = tmp_path / "notes.gz"
    other.write_bytes(gzip.compress(b"some notes"))
    files, aside, _ = discover([str(tmp_path)])
    assert (files, aside) == ([path], [other])  # a .warc.gz is read, another .gz set aside
    assert detect_format(path.read_bytes()) == "warc" and read_file(other).rejects[0].reason == "binary"
    res = read_file(path)
    assert [(d.source_uri, d.url, d.source_format) for d in res.docs] == [
        ("http://x.test/a/8", "http://x.test/a/8", "html"), ("http://x.test/a/15", "http://x.test/a/15", "html")]
    assert res.docs[0].title == "2024年3月26日外交部发言人林剑主持例行记者会" and not res.rejects


def test_a_damaged_warc_keeps_the_documents_before_the_damage(tmp_path):
    path = write_warc(tmp_path / "a.warc.gz", {"http://x.test/a/8": PAGE, "http://x.test/a/15": (MFA / "15").read_bytes()})
    data = path.read_bytes()
    cut, junk = tmp_path / "cut.warc.gz", tmp_path / "junk.warc.gz"
    cut.write_bytes(data[:-3000])             # the copy stopped inside the last page
    junk.write_bytes(data + b"\x00junk" * 10)  # something that is not a record after the last one
    read = read_file(cut)
    assert [(d.source_uri, d.flags) for d in read.docs] == [("http://x.test/a/8", []), ("http://x.test/a/15", ["truncated"])]
    read = read_file(junk)
    assert [d.source_uri for d in read.docs] == ["http://x.test/a/8", "http://x.test/a/15"]
    assert [(r.source_uri, r.reason) for r in read.rejects] == [(str(junk), "bad_warc")]


def test_listing_links_by_selector_and_pattern_with_the_date_the_listing_shows():
    html = ('<html><body><a href="/">首页</a><ul class="list">'
            '<li><a href="202403/t20240327_1.shtml">答记者问</a><span>2024-03-28</span></li>'
            '<li><a href="/web/202403/t20240326_2.shtml#top">例行记者会</a></li>'
            '<li><a href="javascript:void(0)">x</a></li></ul></body></html>')
    soup = page_soup(WebResponse("https://www.mfa.gov.cn/web/", None, 200, "text/html; charset=utf-8", html.encode()))
    links = article_links(soup, "https://www.mfa.gov.cn/web/", site(link_selector="ul.list a",
                                                                   link_pattern=r"/t[0-9]{8}_[0-9]+\.shtml$"))
    assert links == [Link("https://www.mfa.gov.cn/web/202403/t20240327_1.shtml", dt.date(2024, 3, 28)),
                     Link("https://www.mfa.gov.cn/web/202403/t20240326_2.shtml", dt.date(2024, 3, 26))]


def test_which_links_a_pull_asks_for():
    now = dt.datetime(2026, 12, 2, 6, tzinfo=dt.timezone.utc)
    s = site(since="2024-01-01")
    ok = Known(outcome="fetched", first_fetched_at=now - dt.timedelta(days=1), last_attempt_at=now)
    old = Known(outcome="not_modified", first_fetched_at=now - dt.timedelta(days=30), last_attempt_at=now)
    failed = Known(outcome="rejected", last_attempt_at=now - dt.timedelta(hours=2))
    failed_yesterday = Known(outcome="rejected", last_attempt_at=now - dt.timedelta(hours=25))
    link = Link("http://news.test/a/1", dt.date(2024, 5, 1))
    assert leave_alone(link, None, s, now) is None
    assert leave_alone(link, ok, s, now) is None  # re-checked, conditionally
    assert leave_alone(link, old, s, now) == "first fetched over 7 days ago"
    assert leave_alone(link, failed, s, now) == "failed less than 20 h ago"
    assert leave_alone(link, failed_yesterday, s, now) is None
    assert leave_alone(Link(link.url, dt.date(2023, 12, 31)), None, s, now) == "dated before 2024-01-01"


def test_the_repository_sources_file_loads_and_a_wrong_one_is_refused_with_the_reason(tmp_path):
    assert "mfa-presscon" in load_sources(ROOT / "sources.toml")
    bad = tmp_path / "s.toml"
    bad.write_text('[sites.x]\nlisting_urls = ["https://x.test/"]\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="link_selector .* or link_pattern"):
        load_sources(bad)
    bad.write_text('[sites.x]\nlisting_urls = ["https://x.test/"]\nlink_pattern = "a"\nspeed = 3\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="unknown setting"):
        load_sources(bad)


def test_the_pull_deployment_runs_daily_with_parameters_the_flow_takes():
    deployments = {d["name"]: d for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]}
    pull = deployments["sites-daily"]
    assert pull["entrypoint"] == "flows/pull.py:pull_flow"
    assert pull["schedules"][0]["cron"] == "30 5 * * *"
    # the flow's parameters, read from its source (importing Prefect costs seconds)
    flow_def = next(n for n in ast.parse((ROOT / "flows" / "pull.py").read_text()).body
                    if isinstance(n, ast.FunctionDef) and n.name == "pull_flow")
    assert set(pull["parameters"]) <= {a.arg for a in flow_def.args.args}


def test_a_crawl_delay_in_robots_txt_spaces_the_requests_to_its_host(tmp_path):
    times = []

    def page(request):
        times.append(time.monotonic())
        return answer(200, PAGE)

    server = Server({"/robots.txt": lambda r: answer(200, b"User-agent: *\nCrawl-delay: 1\n"), "/a/1": page,
                     "/a/2": page})
    c = client(tmp_path, server)
    c.get("http://news.test/a/1", "article")
    c.get("http://news.test/a/2", "article")
    assert times[1] - times[0] >= 0.99  # robots.txt asks 1 s, the site's own delay is 0


def test_a_pull_pages_by_number_and_stops_at_the_first_page_older_than_since(tmp_path):
    def listing(dates):
        items = "".join(f'<li><a href="/a/{d}.html">{d}</a> <span>{d}</span></li>' for d in dates)
        return lambda r: answer(200, f"<html><body><ul>{items}</ul></body></html>".encode(),
                                content_type="text/html; charset=utf-8")

    server = Server({"/list/": listing(["2024-05-02", "2024-05-01"]),
                     "/list/index_1.html": listing(["2024-01-02", "2023-12-30"]),
                     "/list/index_2.html": listing(["2023-11-01"]),
                     **{f"/a/{d}.html": (lambda r: answer(200, PAGE)) for d in ["2024-05-02", "2024-05-01", "2024-01-02"]}})
    s = site(page_url_pattern="http://news.test/list/index_{n}.html", max_pages=4, since="2024-01-01")
    crawl = crawl_site(s, {}, tmp_path, "run00001", transport=httpx.MockTransport(server))
    asked = [r.url.path for r in server.requests]
    assert asked == ["/robots.txt", "/list/", "/list/index_1.html", "/list/index_2.html",  # not index_3
                     "/a/2024-05-02.html", "/a/2024-05-01.html", "/a/2024-01-02.html"]
    assert crawl.left_alone == {"dated before 2024-01-01": 2}


def test_a_compressed_page_is_archived_as_sent_and_parsed_decompressed(tmp_path):
    packed = gzip.compress(PAGE)
    server = Server({"/a/1": lambda r: answer(200, packed, content_encoding="gzip", content_type="text/html")})
    fetch = client(tmp_path, server).get("http://news.test/a/1", "article")
    assert fetch.response.body == PAGE
    with open(fetch.warc_file, "rb") as f:
        f.seek(fetch.warc_offset)
        record = next(iter(ArchiveIterator(f)))
        assert record.raw_stream.read() == packed  # the bytes on the wire
    assert read_web_page(fetch.response).docs[0].title == "2024年3月26日外交部发言人林剑主持例行记者会"


def test_status_of_a_database_made_before_the_pull_tables_still_prints(tmp_path):
    from warehouse.db import connect
    from warehouse.views import status_report

    con = connect(tmp_path / "old.duckdb")
    con.execute("DROP VIEW document_versions; DROP TABLE fetch_log")
    try:
        report = status_report(con)
    finally:
        con.close()
    assert "== web pulls per source\n(not in this database yet" in report and "== rejects" in report


def test_a_second_crawl_asks_for_a_new_link_in_full_and_the_known_ones_conditionally(tmp_path):
    links = ["/a/1.html", "/a/2.html"]

    def listing(request):
        body = "".join(f'<a href="{p}">{p}</a>' for p in links).encode()
        return answer(200, b"<html><body>" + body + b"</body></html>", ETag=f'"{len(links)}"',
                      content_type="text/html")

    def page(request):
        if request.headers.get("if-none-match") == '"p"':
            return answer(304, ETag='"p"')
        return answer(200, PAGE, ETag='"p"', content_type="text/html")

    server = Server({"/list/": listing, **{f"/a/{n}.html": page for n in (1, 2, 3)}})
    s = site(link_pattern=r"/a/[0-9]+\.html$")
    first = crawl_site(s, {}, tmp_path, "run00001", transport=httpx.MockTransport(server))
    known = {f.url: known_from(f) for f in first.fetches}
    links.append("/a/3.html")
    n = len(server.requests)
    crawl_site(s, known, tmp_path, "run00002", transport=httpx.MockTransport(server))
    asked = {r.url.path: ("if-none-match" in r.headers) for r in server.requests[n:]}
    assert asked == {"/robots.txt": False, "/list/": True, "/a/1.html": True, "/a/2.html": True, "/a/3.html": False}
