"""`policy-news report`: one self-contained HTML page, checked in a real headless browser."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# CI sets this (see .ci/run): there a missing browser is a failure, not a skip
REQUIRE_BROWSER = "POLICY_NEWS_REQUIRE_BROWSER"
BROWSERS = ["chromium", "chromium-browser", "google-chrome"]
# no network at all: a page that needed a CDN would render no chart
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=20000"]


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory):
    """The corpus (work reports, provincial reports, 新闻联播, Foreign Ministry pages) in a database,
    and the page `policy-news report` writes for it, with the seconds the command took."""
    from flows.cli import main
    from sources.base import raw_frame
    from sources.registry import read_file
    from tests.corpus_batches import CORPUS, reports_and_news
    from transforms.pipeline import transform_batch
    from warehouse.db import connect
    from warehouse.load import load_batch

    tmp = tmp_path_factory.mktemp("report")
    db = tmp / "corpus.duckdb"
    con = connect(db)
    load_batch(con, reports_and_news().tables)
    mfa = [d for p in sorted((CORPUS / "mfa-presscon").iterdir()) if p.name != "SOURCE.md" for d in read_file(p).docs]
    load_batch(con, transform_batch(raw_frame(mfa)).tables)
    con.close()
    out = tmp / "report.html"
    # CPU seconds of this process (the command runs in it, imports included): wall time on a
    # machine shared by many test runs measures the others too
    t0 = time.process_time()
    assert main(["report", "--db", str(db), str(out)]) == 0
    return out, time.process_time() - t0


@pytest.mark.slow
def test_report_on_the_corpus_is_one_offline_page_written_in_under_ten_seconds(corpus_report):
    out, seconds = corpus_report
    page = out.read_text(encoding="utf-8")
    assert seconds < 10
    # plotly.js is inside the page: no script, style or font is fetched
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=", page)
    assert page.count('class="plotly-graph-div"') == 4
    # Chinese labels, the verdict table and its evidence sentences
    assert "国内生产总值增长" in page and "城镇新增就业" in page
    assert ">missed</span>" in page and "国内生产总值增长5.5%左右" in page


def _browser() -> str | None:
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if found is None:
        if os.environ.get(REQUIRE_BROWSER):
            pytest.fail(f"{REQUIRE_BROWSER} is set but no Chromium is installed ({', '.join(BROWSERS)})")
        pytest.skip("no Chromium here (apt-get install chromium fonts-noto-cjk); CI requires it")
    return found


@pytest.mark.slow
def test_every_chart_of_the_report_renders_in_headless_chromium(corpus_report, tmp_path):
    browser = _browser()
    out, _ = corpus_report
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        dom = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", out.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        shot = tmp_path / "report.png"
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1400,2400",
                        f"--screenshot={shot}", out.as_uri()], capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    charts = len(re.findall(r'<div id="[^"]+" class="plotly-graph-div', dom))
    assert charts == 4
    # plotly marks a figure's div js-plotly-plot and draws its SVG layers once the figure is rendered
    assert dom.count('class="plotly-graph-div js-plotly-plot"') == charts
    assert dom.count('class="main-svg"') >= 2 * charts
    # the axis and legend labels are drawn as SVG text, Chinese included
    assert re.search(r"<text[^>]*>[^<]*国内生产总值增长", dom)
    assert shot.exists() and shot.stat().st_size > 50_000
