"""Issue 17: runs one can operate: readers get in while a backfill writes, writers queue,
states tell the truth."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from flows.backfill import backfill_flow
from flows.ingest import ingest_flow
from flows.writer import slot_name
from tests.conftest import DATA, ROOT, SAMPLE
from tests.test_orchestration import MFA_PAGES, prefect_api_url, rows  # noqa: F401 (a fixture)
from warehouse.db import DatabaseBusy, Writer

CORPUS = DATA / "corpus"
GOV = CORPUS / "gov-work-reports" / "government_work_reports.jsonl"


def cli(*args: str, api_url: str, **env) -> subprocess.Popen:
    """`policy-news ...` in its own process group, INFO logs on stderr."""
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, text=True,
                            env={**os.environ, "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "INFO", **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def drain(proc: subprocess.Popen) -> list[str]:
    """Collect the process's stderr lines in a thread (so it never blocks on the pipe)."""
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True).start()
    return lines


# --- the writer holds the file only while it writes: no Prefect ----------------------------------------

def python(code: str, **kw) -> subprocess.Popen:
    """Another process (DuckDB shares one open database per process)."""
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


def test_the_writer_keeps_the_file_open_between_sessions_while_nobody_asks_for_it(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with Writer(db, release_after=None) as writer:
        for x in range(3):
            with writer.session() as con:
                con.execute("CREATE TABLE IF NOT EXISTS t (x INT)")
                con.execute("INSERT INTO t VALUES (?)", [x])
        assert (writer.sessions, writer.opens, writer.releases) == (3, 1, 0)  # no checkpoint per batch
        reader = python(f"import duckdb; duckdb.connect({db!r}, read_only=True)")
        assert reader.wait(60) == 1 and "lock" in reader.stderr.read().lower()  # held: a plain reader waits
    assert rows(Path(db), "SELECT count(*) FROM t") == [(3,)]


def test_a_reader_that_asks_gets_in_at_once_and_the_writer_waits_for_it(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with Writer(db, release_after=None) as writer:
        with writer.session() as con:
            con.execute("CREATE TABLE t AS SELECT 1 AS x")
        t0 = time.monotonic()  # the file is open and idle: connect() leaves a request, the watcher lets it in
        reader = python(f"import time; from warehouse.db import connect; con = connect({db!r}, read_only=True); "
                        "print(con.execute('SELECT count(*) FROM t').fetchone()[0], flush=True); time.sleep(3)")
        assert reader.stdout.readline().strip() == "1"
        assert writer.releases == 1
        assert time.monotonic() - t0 < 10  # (a Python start, an import of duckdb, and well under a second)
        t0 = time.monotonic()
        with writer.session() as con:  # waits for the reader to close
            con.execute("INSERT INTO t VALUES (2)")
        assert time.monotonic() - t0 > 1.0
        assert reader.wait(10) == 0
    assert rows(Path(db), "SELECT count(*) FROM t") == [(2,)]


def test_a_plain_duckdb_reader_that_retries_gets_in_when_the_writer_lets_go_unasked(tmp_path):
    db = str(tmp_path / "w.duckdb")
    stop = threading.Event()
    with Writer(db, release_after=1.0) as writer:
        with writer.session() as con:
            con.execute("CREATE TABLE t (x INT)")

        def keep_writing() -> None:  # batch after batch, a short pause between
            while not stop.is_set():
                with writer.session() as con:
                    con.execute("INSERT INTO t VALUES (1)")
                time.sleep(0.05)

        loader = threading.Thread(target=keep_writing)
        loader.start()
        try:
            reader = python(f"""
import duckdb, time
t0 = time.monotonic()
while True:
    try:
        con = duckdb.connect({db!r}, read_only=True)
        break
    except duckdb.IOException:
        time.sleep(0.25)
print(round(time.monotonic() - t0, 2), con.execute('SELECT count(*) FROM t').fetchone()[0], flush=True)
""")
            waited, count = reader.communicate(timeout=60)[0].split()
        finally:
            stop.set()
            loader.join()
        assert reader.returncode == 0
        assert float(waited) < 5 and int(count) > 0
        assert writer.releases >= 1 and writer.opens < writer.sessions  # not a checkpoint per batch


def test_a_session_that_fails_closes_the_file_and_the_next_one_opens_it_again(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with Writer(db, release_after=None) as writer:
        with writer.session() as con:
            con.execute("CREATE TABLE t (x INT)")
        with pytest.raises(duckdb.Error):
            with writer.session() as con:
                con.execute("BEGIN")
                con.execute("INSERT INTO t VALUES (1)")
                con.execute("INSERT INTO t VALUES ('not a number')")
        with writer.session() as con:  # the failed transaction left nothing behind
            assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert writer.opens == 2


def test_a_reader_that_finds_the_file_busy_leaves_a_request_for_the_writer(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with Writer(db) as writer, writer.session() as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
        reader = python(f"from warehouse.db import connect; connect({db!r}, read_only=True, wait_seconds=0.5)")
        _, err = reader.communicate(timeout=60)
        assert reader.returncode == 1 and "DatabaseBusy" in err and "waited 0s" in err
        assert Path(f"{db}.read-request").exists()


def test_a_second_writer_waits_for_the_first_then_fails_clearly(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with Writer(db):
        t0 = time.monotonic()
        with pytest.raises(DatabaseBusy, match="in use by another policy-news process.*waited 1s"):
            with Writer(db, wait_seconds=1):
                pass
        assert time.monotonic() - t0 >= 1
    with Writer(db, wait_seconds=1):  # free again once the first is done
        pass


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_a_run_that_waits_even_briefly_for_the_slot_says_so(tmp_path, caplog):
    from prefect import flow
    from prefect.concurrency.sync import concurrency

    from flows.writer import database_writer, ensure_slot

    db = str(tmp_path / "q.duckdb")
    name = slot_name(db)
    held = threading.Event()

    def other_run() -> None:  # another run writing for 7 s (a 5 s request for the slot would time out)
        with concurrency(name, occupy=1, strict=True):
            held.set()
            time.sleep(7)

    @flow(name="slot-check")
    def writes() -> float:
        ensure_slot(name)
        holder = threading.Thread(target=other_run)
        holder.start()
        assert held.wait(60)
        t0 = time.monotonic()
        with database_writer(db) as writer, writer.session() as con:
            con.execute("CREATE TABLE t AS SELECT 1 AS x")
        holder.join()
        return time.monotonic() - t0

    with caplog.at_level("INFO", logger="prefect.flow_runs"):
        waited = writes()
    said = [r.getMessage() for r in caplog.records if "concurrency slot" in r.getMessage()]
    assert waited < 30 and said and said[0].startswith(f"another run is writing to {db}: waiting for the "
                                                       f"concurrency slot {name}"), said
    assert any(m.startswith(f"got the concurrency slot {name} after") for m in said)
    # asking for a taken slot only when it looks free: no timed-out request, which Prefect logs as an ERROR
    assert not [r for r in caplog.records if r.levelname == "ERROR"], [r.getMessage() for r in caplog.records]


def test_the_write_slot_is_named_for_the_database_file():
    assert slot_name("/data/policy_news.duckdb").startswith("duckdb-writer-policy_news.duckdb-")
    assert slot_name("/data/policy_news.duckdb") != slot_name("/other/policy_news.duckdb")


# --- truthful states -------------------------------------------------------------------------------------

@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_a_run_that_rejects_a_file_ends_completed_with_rejects_and_warns_once_per_reason(tmp_path, caplog):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    (folder / "scan.html").write_bytes(b"\x00\x01\x02\xff\xfe a scanned page, not text")
    (folder / "fax.txt").write_bytes(b"\x00\x00\x00\x10 another")
    db = tmp_path / "r.duckdb"
    with caplog.at_level("WARNING"):
        state = ingest_flow(paths=[str(folder)], db=str(db), return_state=True)
    assert state.is_completed() and state.name == "CompletedWithRejects"
    assert "2 input(s) rejected: 2 binary" in state.message
    summary = state.result()
    assert (summary.loaded, summary.rejected, summary.status) == (1, 2, "completed_with_rejects")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "rejected" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith("2 input(s) rejected: binary")
    assert "| binary | 2 |" in summary.markdown()  # the artifact's table of reasons
    assert rows(db, "SELECT flow_name, status FROM runs") == [("ingest", "completed_with_rejects")]


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_a_scheduled_ingest_of_a_missing_folder_fails_and_says_which(tmp_path):
    db = tmp_path / "m.duckdb"
    state = ingest_flow(paths=[str(tmp_path / "inbox")], db=str(db), return_state=True)
    assert state.is_failed()
    assert f"no file, folder or glob match at {tmp_path / 'inbox'}" in state.message
    assert rows(db, "SELECT status FROM runs") == [("failed",)]


# --- readers during a load, writers queued -----------------------------------------------------------------

@pytest.fixture(scope="module")
def archive_5000(tmp_path_factory) -> Path:
    from benchmarks.generate import generate

    out = tmp_path_factory.mktemp("gen") / "n5000"
    generate(5000, 1, out)
    return out


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_readers_get_in_while_a_backfill_of_5000_documents_writes(tmp_path, archive_5000, prefect_api_url):
    db = tmp_path / "big.duckdb"
    proc = cli("backfill", str(archive_5000), "--db", str(db), "--batch-size", "250", "--no-progress",
               api_url=prefect_api_url)
    log = drain(proc)
    try:
        deadline = time.monotonic() + 600
        while not any("loaded batch" in line for line in log):  # the first batch is in
            assert proc.poll() is None, "".join(log[-30:])
            assert time.monotonic() < deadline
            time.sleep(0.5)
        counts, mid_run = [], 0
        for _ in range(5):
            t0 = time.monotonic()
            res = subprocess.run([sys.executable, "-m", "flows.cli", "sql", "select count(*) AS n from documents",
                                  "--db", str(db), "--format", "csv"], cwd=ROOT, capture_output=True, text=True,
                                 timeout=60)
            waited = time.monotonic() - t0
            assert res.returncode == 0, res.stderr
            assert waited < 10, f"policy-news sql took {waited:.1f}s"
            counts.append(int(res.stdout.split()[-1]))
            mid_run += proc.poll() is None
            time.sleep(1.0)
        for attempt in range(40):  # a user's own read-only connection: plain duckdb, retried by hand
            try:
                con = duckdb.connect(str(db), read_only=True)
            except duckdb.IOException:
                time.sleep(0.25)
                continue
            counts.append(con.execute("SELECT count(*) FROM documents").fetchone()[0])
            con.close()
            break
        else:
            pytest.fail("a read-only duckdb connection never got in")
        assert proc.wait(600) == 0, "".join(log[-30:])
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
    assert mid_run >= 3, f"the backfill ended before the readers could test it ({counts})"
    assert counts == sorted(counts) and counts[-1] > 0, counts  # a count that only grows
    assert rows(db, "SELECT count(*) FROM documents") == [(5000,)]


@pytest.mark.prefect
@pytest.mark.timeout(600)
def test_a_run_started_while_another_writes_queues_for_the_slot_and_both_complete(tmp_path, data_dir,
                                                                                  prefect_api_url):
    pages, reports = tmp_path / "pages", tmp_path / "reports"
    pages.mkdir()
    reports.mkdir()
    for name in MFA_PAGES[:4]:
        shutil.copy(CORPUS / "mfa-presscon" / name, pages / name)
    shutil.copy(GOV, reports / GOV.name)
    db = tmp_path / "shared.duckdb"
    # one document a batch: 72 commits keep the first run writing for tens of seconds, well past
    # the second CLI's start-up (a few seconds on a loaded machine), so the second must queue
    first = cli("backfill", str(reports), "--db", str(db), "--batch-size", "1", "--no-progress", "--lock-wait", "300",
                api_url=prefect_api_url)
    first_log = drain(first)
    deadline = time.monotonic() + 300
    while not any("loaded batch" in line for line in first_log):  # it holds the slot, and writes
        assert first.poll() is None and time.monotonic() < deadline, "".join(first_log[-30:])
        time.sleep(0.2)
    second = cli("backfill", str(pages), "--db", str(db), "--batch-size", "20", "--no-progress", "--lock-wait", "300",
                 api_url=prefect_api_url)
    _, second_err = second.communicate(timeout=500)
    assert first.wait(500) == 0, "".join(first_log[-30:])
    assert second.returncode == 0, second_err[-3000:]
    name = slot_name(str(db))
    assert f"waiting for the concurrency slot {name}" in second_err, second_err[-3000:]  # visibly queued
    assert f"got the concurrency slot {name} after" in second_err
    assert rows(db, "SELECT flow_name, status FROM runs ORDER BY started_at") == [("backfill", "completed")] * 2
    assert rows(db, "SELECT count(*) FROM documents WHERE source_format = 'html'") == [(4,)]


def test_a_worker_without_the_checkout_variable_fails_the_run_at_once_naming_it(monkeypatch, tmp_path):
    from flows.steps import WorkerNotSetUp, enter_checkout

    monkeypatch.delenv("POLICY_NEWS_HOME", raising=False)
    with pytest.raises(WorkerNotSetUp, match="POLICY_NEWS_HOME is not set in the worker's environment"):
        enter_checkout()
    monkeypatch.setenv("POLICY_NEWS_HOME", str(tmp_path))
    with pytest.raises(WorkerNotSetUp, match="not a policy-news checkout"):
        enter_checkout()
    monkeypatch.setenv("POLICY_NEWS_HOME", str(ROOT))
    monkeypatch.chdir(tmp_path)
    assert enter_checkout() == {"directory": str(ROOT)} and Path.cwd() == ROOT


def test_the_alert_automation_is_a_valid_prefect_automation_on_the_documented_states():
    import uuid

    import yaml
    from prefect.events.schemas.automations import AutomationCore

    text = (ROOT / "deploy" / "automation-run-alerts.yaml").read_text().replace("NOTIFICATION_BLOCK_ID",
                                                                               str(uuid.uuid4()))
    automation = AutomationCore.model_validate(yaml.safe_load(text))
    assert automation.trigger.expect == {"prefect.flow-run.CompletedWithRejects", "prefect.flow-run.Failed",
                                         "prefect.flow-run.Crashed"}


def test_every_deployment_parameter_is_described_in_the_run_form():
    from flows.backfill import backfill_flow
    from flows.reprocess import reprocess_flow

    for flow in (ingest_flow, backfill_flow, reprocess_flow):
        properties = flow.parameters.model_dump()["properties"]
        assert all(p.get("description") for p in properties.values()), (flow.name, [
            name for name, p in properties.items() if not p.get("description")])
