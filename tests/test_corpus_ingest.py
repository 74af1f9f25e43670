"""Issue 3 end to end: `policy-news ingest data/corpus`, and a kill in the middle of a load."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

NAVIGATION = ["网站地图", "版权所有", "打印本页", "关闭窗口", "ICP备"]


@pytest.fixture(scope="module")
def corpus_db(data_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    assert main(["ingest", "--db", str(db), str(data_dir / "corpus")]) == 0
    return db


def rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_every_foreign_ministry_page_is_one_document_dated_by_its_pubdate(data_dir, corpus_db):
    pages = sorted(p for p in (data_dir / "corpus" / "mfa-presscon").iterdir() if p.name.isdigit())
    expected = {}
    for p in pages:
        html = p.read_text(encoding="utf-8")
        expected[p.name] = re.search(r'<meta name="PubDate" content="(\d{4}-\d{2}-\d{2})', html).group(1)
    got = dict(rows(corpus_db, "select regexp_extract(source_uri, '[^/]+$'), strftime(published_date, '%Y-%m-%d') "
                               "from documents where source_format = 'html'"))
    assert len(pages) == 87
    assert got == expected
    assert rows(corpus_db, "select count(*) from documents where source_format = 'html' and "
                           "(title is null or title like '%中华人民共和国外交部%')") == [(0,)]


def test_jsonl_dumps_give_eighty_eight_documents(corpus_db):
    assert rows(corpus_db, "select count(*) from documents where source_format = 'jsonl'") == [(88,)]
    reports = rows(corpus_db, "select count(*), count(published_date) from documents "
                              "where source_format = 'jsonl' and title like '%国务院政府工作报告%'")
    assert reports == [(52, 52)]


def test_every_digest_item_is_one_document_dated_by_its_file(data_dir, corpus_db):
    files = sorted((data_dir / "corpus" / "xinwen-lianbo").glob("[0-9]*.md"))
    items = sum(sum(1 for line in f.read_text(encoding="utf-8").splitlines() if line.startswith("### "))
                for f in files)
    got = rows(corpus_db, "select count(*), count(distinct published_date), "
                          "count(*) filter (where outlet = '新闻联播') from documents where source_format = 'digest'")
    assert got == [(items, len(files), items)]
    wrong_date = rows(corpus_db, "select count(*) from documents where source_format = 'digest' and "
                                 "strftime(published_date, '%Y%m%d') <> regexp_extract(source_uri, '(\\d{8})\\.md', 1)")
    assert wrong_date == [(0,)]
    empty = rows(corpus_db, "select count(*) from documents where source_format = 'digest' and n_chars = 0 "
                            "and list_contains(flags, 'empty_body')")
    assert empty[0][0] > 0


def test_no_navigation_text_is_left_in_any_document(corpus_db):
    for word in NAVIGATION:
        assert rows(corpus_db, f"select count(*) from documents where contains(clean_text, '{word}')") == [(0,)], word


def test_traditional_script_is_kept_and_recorded(corpus_db):
    (n, text), = rows(corpus_db, "select count(*), any_value(clean_text) from documents "
                                 "where script = 'traditional' and title like '%1954%' or "
                                 "(script = 'traditional' and source_format = 'jsonl' and clean_text like '%憲法%')")
    assert n >= 1 and "國" in text


def _ingest_process(db: Path, paths: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--db", str(db), "--batch-size", "10", *paths],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_a_kill_during_loading_leaves_only_whole_documents_and_a_rerun_completes(data_dir, corpus_db, tmp_path):
    db = tmp_path / "killed.duckdb"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    paths = [str(data_dir / "corpus" / "mfa-presscon"), str(data_dir / "corpus" / "gov-work-reports")]
    proc = _ingest_process(db, paths, env)
    wal = Path(str(db) + ".wal")
    deadline = time.monotonic() + 240
    # wait until batches are being written, then kill without warning
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 200_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed; make batches smaller"
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    con = duckdb.connect(str(db), read_only=True)
    try:
        n_docs = con.execute("select count(*) from documents").fetchone()[0]
        orphans = con.execute("""
            select count(*) from (select doc_id from paragraphs union select doc_id from sentences
                                  union select doc_id from figures) t
            where doc_id not in (select doc_id from documents)""").fetchone()[0]
        incomplete = con.execute("""
            select count(*) from documents d where n_chars > 0 and (
                (select count(*) from paragraphs p where p.doc_id = d.doc_id) = 0 or
                (select count(*) from sentences s where s.doc_id = d.doc_id) = 0)""").fetchone()[0]
    finally:
        con.close()
    total = 87 + 88
    assert 0 < n_docs < total, "the kill should land after some batches and before the last"
    assert orphans == 0 and incomplete == 0

    rerun = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "--db", str(db), *paths],
                           env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    per_table = "select (select count(*) from documents), (select count(*) from paragraphs), " \
                "(select count(*) from sentences), (select count(*) from figures), (select count(*) from turns)"
    fresh = tmp_path / "fresh.duckdb"
    assert main(["ingest", "--db", str(fresh), *paths]) == 0
    assert rows(db, per_table) == rows(fresh, per_table)
    assert rows(db, per_table)[0][0] == total
