"""Issue 18 end to end: `policy-news pull` against a news site on 127.0.0.1 serving
the corpus's Foreign Ministry pages, three times, then the WARC archive alone
re-ingested. No other address is contacted."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from flows.cli import main
from tests.site_server import SiteServer, build_site
from tests.util import rows

pytestmark = [pytest.mark.prefect]

DOCUMENT_COLUMNS = "doc_id, source_uri, url, title, published_date, event_speaker, clean_text"


@pytest.fixture
def news_site(data_dir):
    site = build_site(data_dir / "corpus" / "mfa-presscon")
    with SiteServer(site) as base:
        yield site, base


def write_sources(path, base: str):
    path.write_text(f"""
[defaults]
delay_seconds = 0
timeout_seconds = 1.0
retries = 1
backoff_seconds = 0.05

[sites.test-news]
listing_urls = ["{base}/news/"]
link_selector = "ul.list li a"
next_selector = "a.next"
max_pages = 3
""", encoding="utf-8")
    return path



def test_three_pulls_load_each_page_once_then_revalidate_then_load_one_new_version(news_site, tmp_path, capsys, monkeypatch):
    site, base = news_site
    monkeypatch.setattr("flows.pull.BATCH_SIZE", 4)  # the ten pages load in three batches
    db, archive = tmp_path / "pull.duckdb", tmp_path / "archive"
    pull = ["pull", "--sources", str(write_sources(tmp_path / "sources.toml", base)), "--archive", str(archive),
            "--db", str(db)]
    dead, soft = sorted(site.not_found)[0], sorted(site.soft_404)[0]
    slow, flaky = next(iter(site.slow)), next(iter(site.flaky))
    secret = next(p for p in site.pages if p.startswith("/private/"))
    moved_from, moved_to = next(iter(site.moved.items()))
    loadable = {p for p in site.pages if p.startswith("/news/2")} - {slow}

    # 1. every reachable page once, the troubles as rejects, robots.txt obeyed; exit 1 (rejects)
    assert main(pull) == 1
    first = Counter(r.path for r in site.requests_since(0))
    assert first["/robots.txt"] == 1 and all(first[p] == 1 for p in site.listings)
    assert not any(p.startswith("/private/") for p in first)
    assert {p: first[p] for p in loadable} == {p: 2 if p == flaky else 1 for p in loadable}  # 500, then 200
    assert first[slow] == 2 and first[dead] == 1 and first[moved_from] == 1  # timeout retried, 404 not
    assert {u.removeprefix(base) for (u,) in rows(db, "select source_uri from documents")} == loadable
    assert len(loadable) == 10
    assert {(u.removeprefix(base), r) for u, r in rows(db, "select source_uri, reason from rejects")} == {
        (dead, "http_404"), (slow, "timeout"), (soft, "error_page")}
    assert rows(db, f"select outcome, reason from fetch_log where url = '{base}{secret}'") == [
        ("disallowed", "robots_disallowed")]
    assert rows(db, f"select fetched_url from fetch_log where url = '{base}{moved_from}'") == [(base + moved_to,)]

    # 2. only conditional requests (failed links wait for a later day), nothing new
    n = len(site.requests)
    assert main(pull) == 0
    second = site.requests_since(n)
    assert all(r.conditional for r in second), [r.path for r in second if not r.conditional]
    assert Counter(r.path for r in second) == Counter(["/robots.txt", *site.listings, *loadable])
    assert rows(db, "select count(*) from documents") == [(10,)]
    assert rows(db, "select docs_loaded, docs_skipped, docs_rejected from runs order by started_at desc limit 1") == [
        (0, 10, 0)]

    # 3. one page changes: exactly one new version, linked to the old one, both kept
    changed = sorted(loadable)[0]
    old_id = rows(db, f"select doc_id from documents where source_uri = '{base}{changed}'")[0][0]
    site.pages[changed] = site.pages[changed].replace(
        b'id="News_Body_Txt_A">', 'id="News_Body_Txt_A"><p>更正：本文第二段有修改。</p>'.encode("utf-8"), 1)
    assert main(pull) == 0
    assert rows(db, "select docs_loaded from runs order by started_at desc limit 1") == [(1,)]
    assert rows(db, "select count(*) from documents") == [(11,)]
    versions = rows(db, f"select version_no, doc_id, previous_doc_id from document_versions "
                        f"where url = '{base}{changed}' order by version_no")
    assert len(versions) == 2 and versions[0][1:] == (old_id, None) and versions[1][2] == old_id
    assert rows(db, "select count(*) from document_versions where version_no > 1") == [(1,)]
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    line = next(ln for ln in capsys.readouterr().out.split("== web pulls per source")[1].splitlines()
                if "test-news" in ln)
    # article URLs, documents (versions included), failing now, disallowed by robots.txt
    assert re.findall(r"[0-9]+", line)[-4:] == ["14", "11", "3", "1"]

    # The WARCs are readable by warcio, and alone rebuild the same documents.
    warcs = sorted(archive.rglob("*.warc.gz"))
    assert len(warcs) == 3
    for warc in warcs:
        with warc.open("rb") as f:
            types = Counter(record.rec_type for record in ArchiveIterator(f))
        assert types["warcinfo"] == 1 and types["request"] == types["response"] + types["revisit"]
    rebuilt = tmp_path / "rebuilt.duckdb"
    assert main(["ingest", "--db", str(rebuilt), str(archive)]) == 1  # the soft 404 is still not a document
    assert rows(rebuilt, "select reason from rejects") == [("error_page",)]
    query = f"select {DOCUMENT_COLUMNS} from documents order by doc_id"
    assert rows(rebuilt, query) == rows(db, query)
