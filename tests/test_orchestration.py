"""Issue 7: backfill (resumable, date window, Dask), reprocess, failures, two writers."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.backfill import backfill_flow, date_window, plan_batches
from flows.reprocess import is_older, raw_from_documents, reprocess_flow
from flows.tasks import read_paths
from tests.conftest import ROOT, SAMPLE, DATA
from warehouse.db import DOC_TABLES

CORPUS = DATA / "corpus"
GOV = CORPUS / "gov-work-reports" / "government_work_reports.jsonl"
CPC = CORPUS / "gov-work-reports" / "cpc_congress_reports.jsonl"
# MFA pages of several dates and both templates (see corpus/mfa-presscon/SOURCE.md)
MFA_PAGES = ["7", "15", "16", "36", "89", "107", "122", "423", "578", "768"]


def fingerprint(db: Path) -> dict[str, tuple[int, int]]:
    """Per table: row count and a checksum of every column but load times and run ids."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in DOC_TABLES:
            out[t] = con.execute(f"SELECT count(*), coalesce(sum(hash(x)::HUGEINT), 0) FROM "
                                 f"(SELECT * EXCLUDE (ingested_at) FROM {t}) x" if t == "documents" else
                                 f"SELECT count(*), coalesce(sum(hash(x)::HUGEINT), 0) FROM {t} x").fetchone()
        out["rejects"] = con.execute("SELECT count(*), coalesce(sum(hash(source_uri, reason, detail)::HUGEINT), 0) "
                                     "FROM rejects").fetchone()
        return out
    finally:
        con.close()


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def prefect_api_url() -> str:
    """The session's temporary Prefect server, for CLI subprocesses (each would start its own)."""
    from flows.runners import api_url

    return api_url()


@pytest.fixture(scope="session")
def archive(tmp_path_factory, data_dir) -> Path:
    """A folder archive: the government work reports (JSONL) and ten MFA press-conference pages."""
    folder = tmp_path_factory.mktemp("archive")
    shutil.copy(GOV, folder / GOV.name)
    (folder / "mfa").mkdir()
    for name in MFA_PAGES:
        shutil.copy(CORPUS / "mfa-presscon" / name, folder / "mfa" / name)
    return folder


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory, archive) -> Path:
    """The archive backfilled in one uninterrupted run."""
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    backfill_flow(archive=str(archive), db=str(db), batch_size=10)
    return db


# --- planning and version logic: no Prefect ---------------------------------------------------------

def test_batches_follow_dates_then_size_and_never_mix_dated_with_undated(data_dir):
    raw = read_paths([GOV]).raw
    batches = plan_batches(raw, batch_size=10, batch_chars=10**9)
    dated = [b.raw["published_date"] for b in batches if b.raw["published_date"].null_count() == 0]
    undated = [b for b in batches if b.raw["published_date"].null_count() == b.raw.height]
    assert len(dated) + len(undated) == len(batches)  # no batch mixes the two
    assert all(b.raw.height <= 10 for b in batches)
    ends = [(s.min(), s.max()) for s in dated]
    assert all(prev[1] <= nxt[0] for prev, nxt in zip(ends, ends[1:]))  # consecutive date runs
    assert sum(b.raw.height for b in batches) == raw.height
    assert "undated" in undated[0].label and ".." in batches[0].label
    # a size budget closes a batch early: modern reports are ~18,000 characters
    small = plan_batches(raw, batch_size=10, batch_chars=40_000)
    assert len(small) > len(batches)
    assert all(b.raw.height == 1 or b.raw["text"].str.len_chars().sum() <= 40_000 for b in small)


def test_date_window_keeps_only_known_dates_inside():
    frame = pl.DataFrame({"published_date": [dt.date(2019, 3, 5), dt.date(2024, 3, 5), None]})
    assert frame.select(date_window(dt.date(2020, 1, 1), None))["published_date"].to_list() == [False, True, False]
    assert frame.select(date_window(None, dt.date(2020, 1, 1)))["published_date"].to_list() == [True, False, False]


def test_versions_compare_as_versions_not_strings():
    assert is_older("0.9.0", "0.10.0")
    assert not is_older("0.10.0", "0.9.0")
    assert not is_older("0.1.0", "0.1.0")
    assert is_older("0.1.0rc1", "0.1.0")
    assert is_older("dev-build", "0.1.0")


def test_raw_frame_rebuilt_from_documents_forgets_only_dates_the_transforms_inferred():
    stored = pl.DataFrame({
        "source_uri": ["a", "b", "c"], "source_format": ["text", "jsonl", "html"], "raw_text": ["x", "y", "z"],
        "title": [None, "2024年政府工作报告", "毛宁主持例行记者会"],
        "published_date": [dt.date(2024, 7, 5), dt.date(2024, 3, 5), dt.date(2023, 1, 3)],
        "date_source": ["text:opening_date", "text:opening", "meta:PubDate"],
        "outlet": [None] * 3, "url": [None] * 3, "encoding": ["utf-8"] * 3, "event_speaker": [None, None, "毛宁"],
        "flags": [[], [], ["table"]], "clean_text": ["x", "y", "z"],
    })
    raw = raw_from_documents(stored)
    assert raw["text"].to_list() == ["x", "y", "z"]
    assert raw["published_date"].to_list() == [None, dt.date(2024, 3, 5), dt.date(2023, 1, 3)]
    assert raw["date_source"].to_list() == [None, "text:opening", "meta:PubDate"]
    assert raw.columns == read_paths([SAMPLE]).raw.columns


# --- flows ---------------------------------------------------------------------------------------------

@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_interrupted_backfill_resumes_to_the_tables_of_an_uninterrupted_run(tmp_path, archive, reference_db):
    db = tmp_path / "resumed.duckdb"
    first = backfill_flow(archive=str(archive), db=str(db), batch_size=10, max_batches=2)
    assert first.status == "stopped" and 0 < first.loaded < rows(reference_db, "SELECT count(*) FROM documents")[0][0]
    second = backfill_flow(archive=str(archive), db=str(db), batch_size=10)
    assert second.status == "completed"
    assert second.skipped == first.loaded  # the first run's documents are not transformed again
    assert fingerprint(db) == fingerprint(reference_db)
    assert rows(db, "SELECT status FROM runs ORDER BY started_at") == [("stopped",), ("completed",)]


def start_backfill(archive: Path, db: Path, api_url: str, *extra: str) -> subprocess.Popen:
    """`policy-news backfill` in its own process group, logging each task run to stderr."""
    cmd = [sys.executable, "-m", "flows.cli", "backfill", str(archive), "--db", str(db), "--batch-size", "5",
           "--window", "1", "--no-progress", *extra]
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "INFO"}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for_loads(proc: subprocess.Popen, n: int) -> None:
    """Block until the process has committed n batches (DuckDB lets no reader in while a writer
    runs, so watch its log), then keep draining its stderr so it never blocks on the pipe."""
    loads = 0
    for line in proc.stderr:
        loads += "load-batch" in line and "Completed" in line
        if loads == n:
            break
    assert loads == n, "the run ended before committing enough batches"
    threading.Thread(target=proc.stderr.read, daemon=True).start()


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_backfill_killed_mid_run_resumes_to_the_same_tables(tmp_path, archive, reference_db, prefect_api_url):
    """A real interruption: the CLI process is killed after some batches have committed."""
    db = tmp_path / "killed.duckdb"
    proc = start_backfill(archive, db, prefect_api_url)
    try:
        wait_for_loads(proc, 2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    loaded = rows(db, "SELECT count(*) FROM documents")[0][0]
    total = rows(reference_db, "SELECT count(*) FROM documents")[0][0]
    assert 0 < loaded < total, "the run must have been killed part-way"
    resumed = backfill_flow(archive=str(archive), db=str(db), batch_size=10)
    assert resumed.skipped >= loaded
    assert fingerprint(db) == fingerprint(reference_db)


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_date_window_loads_only_documents_dated_inside_it(tmp_path, archive):
    since, until = dt.date(2010, 1, 1), dt.date(2019, 12, 31)
    db = tmp_path / "window.duckdb"
    summary = backfill_flow(archive=str(archive / GOV.name), db=str(db), since=since, until=until)
    dates = [d for (d,) in rows(db, "SELECT published_date FROM documents")]
    assert dates and all(d is not None and since <= d <= until for d in dates)
    # exactly the documents the reader or the date inference dates inside the window
    expected = rows(db, "SELECT count(*) FROM documents")[0][0]
    raw = read_paths([archive / GOV.name]).raw
    assert expected >= raw.filter(date_window(since, until)).height
    assert any("without any date" in n for n in summary.notes)
    # include_undated also loads the documents nobody could date, and nothing out of the window
    db2 = tmp_path / "window-undated.duckdb"
    backfill_flow(archive=str(archive / GOV.name), db=str(db2), since=since, until=until, include_undated=True)
    n_undated = rows(db2, "SELECT count(*) FROM documents WHERE published_date IS NULL")[0][0]
    assert n_undated > 0
    assert rows(db2, "SELECT count(*) FROM documents WHERE published_date IS NOT NULL")[0][0] == expected


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_reprocess_from_the_database_alone_equals_a_fresh_ingest_at_the_new_version(tmp_path, data_dir, monkeypatch):
    import transforms.pipeline

    sources = tmp_path / "sources"
    (sources / "mfa").mkdir(parents=True)
    shutil.copy(SAMPLE, sources / SAMPLE.name)
    shutil.copy(CPC, sources / CPC.name)
    for name in MFA_PAGES[:4]:
        shutil.copy(CORPUS / "mfa-presscon" / name, sources / "mfa" / name)
    fresh, old = tmp_path / "fresh.duckdb", tmp_path / "old.duckdb"

    monkeypatch.setattr(transforms.pipeline, "PIPELINE_VERSION", "0.9.0")
    backfill_flow(archive=str(sources), db=str(old))
    monkeypatch.setattr(transforms.pipeline, "PIPELINE_VERSION", "0.10.0")
    backfill_flow(archive=str(sources), db=str(fresh))
    shutil.rmtree(sources)  # reprocess must not need the files

    # the old version's derived rows differ from the new code's: simulate with damage
    con = duckdb.connect(str(old))
    con.execute("DELETE FROM figures WHERE figure_no % 2 = 0")
    con.execute("UPDATE sentences SET text = 'stale' WHERE sent_no = 1")
    con.execute("UPDATE documents SET title = NULL, published_date = DATE '1900-01-01' "
                "WHERE date_source LIKE 'text:opening_date%'")
    con.close()
    assert fingerprint(old) != fingerprint(fresh)
    n_docs = rows(old, "SELECT count(*) FROM documents")[0][0]

    summary = reprocess_flow(db=str(old))
    assert summary.loaded == n_docs and summary.seen == n_docs
    assert fingerprint(old) == fingerprint(fresh)
    assert rows(old, "SELECT DISTINCT pipeline_version FROM paragraphs") == [("0.10.0",)]
    # documents already at the code's version are left alone
    again = reprocess_flow(db=str(old))
    assert again.seen == 0 and again.loaded == 0


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_dask_local_cluster_of_two_processes_gives_the_same_tables_as_the_thread_pool(tmp_path, data_dir):
    pytest.importorskip("prefect_dask", reason="the dask extra is not installed")
    archive = tmp_path / "small"
    archive.mkdir()
    shutil.copy(SAMPLE, archive / SAMPLE.name)
    for name in MFA_PAGES[:5]:
        shutil.copy(CORPUS / "mfa-presscon" / name, archive / name)
    threads, dask = tmp_path / "threads.duckdb", tmp_path / "dask.duckdb"
    backfill_flow(archive=str(archive), db=str(threads), batch_size=2)
    summary = backfill_flow(archive=str(archive), db=str(dask), batch_size=2, dask=True, dask_workers=2)
    assert summary.loaded == 6 and summary.batches >= 3  # 2 documents per batch, undated apart
    assert fingerprint(dask) == fingerprint(threads)


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_a_failing_batch_is_retried_then_recorded_and_every_other_batch_loads(tmp_path, data_dir, monkeypatch):
    import flows.tasks

    archive = tmp_path / "pages"
    archive.mkdir()
    for name in MFA_PAGES[:4]:
        shutil.copy(CORPUS / "mfa-presscon" / name, archive / name)
    poisoned = read_paths([archive / MFA_PAGES[0]]).raw["text"][0]
    real, calls = flows.tasks.transform_batch, []

    def flaky(raw, pipeline_version):
        if poisoned in raw["text"].to_list():
            calls.append(raw.height)
            raise RuntimeError("transform bug")
        return real(raw, pipeline_version)

    monkeypatch.setattr(flows.tasks, "transform_batch", flaky)
    db = tmp_path / "failing.duckdb"
    state = backfill_flow(archive=str(archive), db=str(db), batch_size=1, return_state=True)
    assert state.is_failed()
    assert len(calls) == 2  # tried, retried once, then recorded
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 3
    assert rows(db, "SELECT status, docs_loaded FROM runs") == [("completed_with_errors", 3)]

    from flows.cli import main  # the CLI: exit 1, the other batches loaded
    db2 = tmp_path / "failing-cli.duckdb"
    assert main(["backfill", str(archive), "--db", str(db2), "--batch-size", "1", "--no-progress"]) == 1
    assert rows(db2, "SELECT count(*) FROM documents")[0][0] == 3


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_a_second_run_on_a_busy_database_waits_then_fails_clearly_and_corrupts_nothing(
        tmp_path, archive, reference_db, prefect_api_url):
    db = tmp_path / "busy.duckdb"
    first = start_backfill(archive, db, prefect_api_url)
    try:
        wait_for_loads(first, 1)
        os.killpg(first.pid, signal.SIGSTOP)  # hold it mid-run, the database open for writing
        t0 = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "flows.cli", "backfill", str(archive), "--db", str(db), "--lock-wait", "3"],
            cwd=ROOT, env={**os.environ, "PREFECT_API_URL": prefect_api_url}, capture_output=True, text=True,
            timeout=120)
        waited = time.monotonic() - t0
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert first.wait(180) == 0
    assert second.returncode == 2
    assert "in use by another policy-news process" in second.stderr and "waited 3s" in second.stderr
    assert waited >= 3
    assert fingerprint(db) == fingerprint(reference_db)
