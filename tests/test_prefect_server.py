"""The README's scheduled-run story against a real Prefect server: server, `process` pool,
`prefect deploy` from prefect.yaml, a worker, a triggered `ingest` run, rows in DuckDB,
and a clean shutdown that leaves no process behind.

Everything Prefect-side runs in subprocesses with their own PREFECT_HOME and
PREFECT_API_URL; this test process's environment is not changed.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import httpx
import psutil
import pytest

from prefect.concurrency.sync import concurrency
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.writer import ensure_slot, slot_name
from tests.conftest import ROOT, SAMPLE

pytestmark = [pytest.mark.server, pytest.mark.timeout(900)]

PREFECT = [sys.executable, "-m", "prefect"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM the process group, SIGKILL it if it is still there after `grace` seconds."""
    if proc.poll() is not None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers of an exited leader
        except ProcessLookupError:
            pass
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def descendants(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        return [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1.0)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


class PrefectServer:
    """A `prefect server start` of its own (PREFECT_HOME under tmp_path, a free port), a
    `process` work pool, and the CLI and a worker pointed at it."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        port = free_port()
        self.api = f"http://127.0.0.1:{port}/api"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        self.env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_API_URL=self.api,
                        PREFECT_SERVER_API_HOST="127.0.0.1", PREFECT_SERVER_API_PORT=str(port),
                        PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false",
                        PREFECT_LOGGING_LEVEL="INFO", POLICY_NEWS_HOME=str(ROOT))
        self.logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("server", "worker")}
        self.server = subprocess.Popen([*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                       cwd=tmp_path, env=self.env, stdout=self.logs["server"],
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.worker: subprocess.Popen | None = None
        self.seen: list[psutil.Process] = []  # every process the worker started, checked gone at the end

    def prefect(self, *args: str, timeout: float = 90) -> str:
        res = subprocess.run([*PREFECT, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                             timeout=timeout)
        assert res.returncode == 0, f"prefect {' '.join(args)}:\n{res.stdout}\n{res.stderr}"
        return res.stdout

    def wait_healthy(self) -> None:
        def healthy():
            try:
                return httpx.get(f"{self.api}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, 90, "the Prefect server")
        self.prefect("work-pool", "create", "process", "--type", "process")

    def start_worker(self) -> None:
        self.worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", "process"], cwd=ROOT, env=self.env,
                                       stdout=self.logs["worker"], stderr=subprocess.STDOUT, start_new_session=True)

    def track(self) -> None:
        self.seen.extend(p for p in descendants(self.worker) if p not in self.seen)

    def worker_log(self) -> str:
        return (self.tmp_path / "worker.log").read_text()[-3000:]

    def stop(self) -> None:
        """Workers before the server; always with a timeout, then SIGKILL."""
        if self.worker is not None:
            self.track()
            stop_group(self.worker)
        self.seen.extend(descendants(self.server))
        stop_group(self.server)
        for f in self.logs.values():
            f.close()


@contextmanager
def prefect_server(tmp_path: Path):
    """A PrefectServer, healthy, with its `process` pool; stopped at the end, and (when the
    test passed) no process it or its worker started left behind."""
    srv = PrefectServer(tmp_path)
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()
    leftover = alive(srv.seen)
    assert leftover == [], [p.cmdline() for p in leftover]


def test_scheduled_ingest_deployment_runs_on_a_worker_and_loads_the_sample(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    db = tmp_path / "scheduled.duckdb"

    with prefect_server(tmp_path) as srv:
        api, prefect = srv.api, srv.prefect
        out = prefect("--no-prompt", "deploy", "--all", timeout=120)
        assert "inbox-daily" in out
        deployment = httpx.get(f"{api}/deployments/name/ingest/inbox-daily", timeout=10).json()
        assert deployment["schedules"][0]["schedule"]["cron"] == "0 6 * * *"
        assert deployment["work_pool_name"] == "process"

        srv.start_worker()

        def run(deployment: str, **params) -> str:
            out = prefect("deployment", "run", deployment, "--params", json.dumps(params))
            return re.search(r"UUID:\s*([0-9a-f-]{36})", out).group(1)

        def final_state(flow_run_id: str, timeout: float = 240) -> dict:
            def finished():
                srv.track()
                state = httpx.get(f"{api}/flow_runs/{flow_run_id}", timeout=10).json()["state"]
                return state if state["type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} else None

            return wait_for(finished, timeout, f"the flow run {flow_run_id}")

        def run_logs(flow_run_id: str, min_level: int = 0, expect: str = "") -> list[str]:
            """The run's log messages; with expect, waits until one contains it (logs reach the API
            in batches, after the run's final state)."""
            body = {"logs": {"flow_run_id": {"any_": [flow_run_id]}, "level": {"ge_": min_level}}, "limit": 200}
            deadline = time.monotonic() + 30
            while True:
                messages = [r["message"] for r in httpx.post(f"{api}/logs/filter", json=body, timeout=10).json()]
                if not expect or any(expect in m for m in messages) or time.monotonic() > deadline:
                    return messages
                time.sleep(1)

        def run_now(deployment: str, **params) -> str:
            """A flow run of the deployment, through the API (milliseconds, where the CLI takes seconds)."""
            dep = httpx.get(f"{api}/deployments/name/{deployment}", timeout=10).json()
            res = httpx.post(f"{api}/deployments/{dep['id']}/create_flow_run", json={"parameters": params}, timeout=10)
            return res.json()["id"]

        state = final_state(run("ingest/inbox-daily", paths=[str(inbox)], db=str(db)))
        assert state["type"] == "COMPLETED", srv.worker_log()
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
            assert con.execute("SELECT count(*) FROM turns").fetchone()[0] == 14
            assert con.execute("SELECT flow_name, status FROM runs").fetchall() == [("ingest", "completed")]
        finally:
            con.close()

        # a folder with one bad file: the rest loads, the run says so in its state and a WARNING
        shutil.copy(ROOT / "data" / "corpus" / "mfa-presscon" / "7", inbox / "7")
        (inbox / "scan.html").write_bytes(b"\x00\x01\x02\xff\xfe a scanned page, not text")
        rejects_run = run("ingest/inbox-daily", paths=[str(inbox)], db=str(db))
        state = final_state(rejects_run)
        assert (state["type"], state["name"]) == ("COMPLETED", "CompletedWithRejects"), state
        warnings = [m for m in run_logs(rejects_run, 30, expect="rejected") if "rejected" in m]
        assert warnings == [f"1 input(s) rejected: binary (e.g. {inbox / 'scan.html'}: "
                            "The file is binary data (NUL or control bytes), not text.)"], run_logs(rejects_run)
        # the scheduled ingest over a folder that is not there: not Completed, and says which
        missing = tmp_path / "no-inbox"
        missing_run = run("ingest/inbox-daily", paths=[str(missing)], db=str(db))
        state = final_state(missing_run)
        assert state["type"] == "FAILED" and str(missing) in state["message"], state
        expected = f"no file, folder or glob match at {missing}"
        assert any(expected in m for m in run_logs(missing_run, 40, expect=expected))

        # two deployments on one database, started together, while a third writer (this test) holds the
        # database's write slot and file lock: both wait in line, visibly, then both complete, one at a
        # time. (Left to themselves, a 2-second ingest and a 7-second backfill whose processes start a
        # second or two apart need not overlap at all: CI saw exactly that.)
        shared = tmp_path / "shared.duckdb"
        name = slot_name(str(shared))
        with temporary_settings({PREFECT_API_URL: api}), open(f"{shared}.writer-lock", "a") as lock:
            ensure_slot(name)
            fcntl.flock(lock, fcntl.LOCK_EX)  # a live writer: the slot is not taken for a dead run's
            with concurrency(name, occupy=1, strict=True):
                both = [run_now("backfill/archive", archive=str(ROOT / "data" / "corpus" / "gov-work-reports" /
                                                            "government_work_reports.jsonl"),
                                db=str(shared), batch_size=10),
                        run_now("ingest/inbox-daily", paths=[str(inbox / "7"), str(inbox / SAMPLE.name)],
                                db=str(shared))]

                def both_queued():
                    srv.track()
                    return all(any("waiting for the concurrency slot" in m for m in run_logs(r)) for r in both)

                wait_for(both_queued, 240, "both runs waiting for the write slot")
                assert not any(httpx.get(f"{api}/flow_runs/{r}", timeout=10).json()["state"]["type"] == "COMPLETED"
                               for r in both)
        states = [final_state(r, 400) for r in both]
        assert [s["type"] for s in states] == ["COMPLETED", "COMPLETED"], [s["message"] for s in states]
        for r in both:
            assert any(f"got the concurrency slot {name} after" in m for m in run_logs(r, expect="got the concurrency"))
        con = duckdb.connect(str(shared), read_only=True)
        try:
            assert sorted(con.execute("SELECT flow_name, status, run_id FROM runs").fetchall()) == sorted(
                [("backfill", "completed", both[0]), ("ingest", "completed", both[1])])
        finally:
            con.close()


def flow_run_processes(worker: subprocess.Popen, flow_run_id: str) -> list[psutil.Process]:
    """The worker's descendants that run the flow run (their environment names it)."""
    out = []
    for p in descendants(worker)[1:]:
        try:
            if p.environ().get("PREFECT__FLOW_RUN_ID") == flow_run_id:
                out.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return out


def test_a_backfill_killed_mid_run_is_rescheduled_by_the_automation_and_completes_under_the_same_run(tmp_path):
    """kill -9 of the flow-run process (not the worker) after some batches committed: the worker
    reports it Crashed, deploy/automation-retry-crashed.yaml puts the same flow run back to
    AwaitingRetry, the worker runs it again, and it resumes to the tables of a clean run, with
    both attempts in `runs`. Needs the server's event services (triggers, actions: on by default)."""
    from benchmarks.generate import generate
    from tests.test_orchestration import fingerprint

    archive = tmp_path / "archive"
    generate(400, 17, archive)

    with prefect_server(tmp_path) as srv:
        api = srv.api

        def api_get(path: str):
            return httpx.get(f"{api}{path}", timeout=10).json()

        srv.prefect("--no-prompt", "deploy", "--name", "archive", timeout=120)
        srv.prefect("automation", "create", "--from-file", str(ROOT / "deploy" / "automation-retry-crashed.yaml"))
        srv.start_worker()
        dep = api_get("/deployments/name/backfill/archive")

        def run_now(**params) -> str:
            return httpx.post(f"{api}/deployments/{dep['id']}/create_flow_run", json={"parameters": params},
                              timeout=10).json()["id"]

        def flow_run(run_id: str) -> dict:
            srv.track()
            return api_get(f"/flow_runs/{run_id}")

        def ended(run_id: str, timeout: float) -> dict:
            return wait_for(lambda: (r := flow_run(run_id))["state"]["type"] in
                            {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} and r, timeout, f"the flow run {run_id}")

        def batches_loaded(run_id: str) -> int:
            body = {"logs": {"flow_run_id": {"any_": [run_id]}}, "limit": 200}
            return sum("loaded batch" in r["message"]
                       for r in httpx.post(f"{api}/logs/filter", json=body, timeout=10).json())

        # a clean run of the deployment: the tables the interrupted one must end with
        params = {"archive": str(archive), "batch_size": 10, "window": 1}
        clean_db, db = tmp_path / "clean.duckdb", tmp_path / "retried.duckdb"
        clean = ended(run_now(db=str(clean_db), **params), 400)
        assert clean["state"]["type"] == "COMPLETED", srv.worker_log()

        run_id = run_now(db=str(db), **params)
        wait_for(lambda: batches_loaded(run_id) >= 2, 300, "two committed batches")
        procs = wait_for(lambda: flow_run_processes(srv.worker, run_id), 10, "the flow-run process")
        doomed = [q for p in procs for q in (p, *p.children(recursive=True))]
        for p in doomed:
            p.kill()  # SIGKILL, as the OOM killer would
        psutil.wait_procs(doomed, timeout=10)
        assert srv.worker.poll() is None, "the worker must survive its flow run"

        def history() -> list[str]:
            states = httpx.get(f"{api}/flow_run_states/", params={"flow_run_id": run_id}, timeout=10).json()
            return [s["name"] for s in sorted(states, key=lambda s: s["timestamp"])]

        # the worker reports Crashed; a minute later the automation reschedules the same run
        # (AwaitingRetry), and the worker runs it again
        wait_for(lambda: "Crashed" in history(), 60, "the worker to report the run Crashed")
        final = wait_for(lambda: (r := flow_run(run_id))["state"]["type"] in {"COMPLETED", "FAILED", "CANCELLED"}
                         and r, 600, f"the rescheduled run {run_id} to end")
        names = history()
        assert final["state"]["type"] == "COMPLETED", (names, final["state"]["message"],
                                                       srv.worker_log())
        # one crash, one retry: the worker's second report of the crash did not reach the retry
        assert names.count("Crashed") == 1 and names.count("AwaitingRetry") == 1, names
        assert names.index("Crashed") < names.index("AwaitingRetry") < names.index("Running", names.index(
            "AwaitingRetry")) < len(names) - 1, names
        assert final["run_count"] == 2 and final["id"] == run_id
        assert fingerprint(db) == fingerprint(clean_db)
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("SELECT run_id, attempt, status, prefect_state FROM runs ORDER BY attempt").fetchall() \
                == [(run_id, 1, "crashed", "Crashed"), (run_id, 2, "completed", None)]
            partial, resumed = con.execute("SELECT docs_loaded, docs_skipped FROM runs ORDER BY attempt").fetchall()
            assert partial == (None, None) and resumed[1] > 0  # the retry skipped what the first attempt loaded
        finally:
            con.close()
