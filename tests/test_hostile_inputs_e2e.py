"""The hostile-input suite (tests/hostile_inputs.py) through the CLI, as a user runs it:
one `policy-news ingest` over a folder of ~90 generated bad inputs beside good files,
in one batch, in a child process whose peak memory and time are measured. Each case
must end as expected: its documents loaded (with their flags, without control
characters), or exactly one reject with the expected reason; the good files load; no
traceback reaches the user; the exit status is 1 (some inputs rejected)."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.hostile_inputs import build

pytestmark = pytest.mark.prefect

MAX_PEAK_BYTES = 1.5 * 1024 ** 3
MAX_SECONDS_PER_CASE = 60
ROOT = Path(__file__).resolve().parents[1]


def _ingest(db: Path, *paths: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """`policy-news ingest` in a child process -> (result, seconds, its peak RSS in bytes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "--db", str(db), "--batch-size", "500", *paths],
                          cwd=ROOT, capture_output=True, text=True, errors="backslashreplace", timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    # ru_maxrss of children is the largest any child reached; only meaningful if it grew
    assert peak >= before * 1024
    return proc, time.monotonic() - t0, peak


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "inbox"
    cases = build(folder)
    db = folder.parent / "hostile.duckdb"
    proc, seconds, peak = _ingest(db, str(folder))
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT source_uri, flags, clean_text FROM documents").fetchall()
        rejects = con.execute("SELECT source_uri, reason FROM rejects").fetchall()
    finally:
        con.close()
    return folder, cases, proc, seconds, peak, docs, rejects


def _file_of(uri: str, folder: Path) -> str:
    return uri.split("#")[0].removeprefix(f"{folder}/")


def test_every_hostile_input_ends_as_documented(hostile_run):
    folder, cases, proc, _, _, docs, rejects = hostile_run
    assert len(cases) >= 85
    by_file: dict[str, list] = {}
    for uri, flags, clean in docs:
        by_file.setdefault(_file_of(uri, folder), []).append((flags, clean))
    rejected: dict[str, list[str]] = {}
    for uri, reason in rejects:
        rejected.setdefault(_file_of(uri, folder), []).append(reason)
    wrong = []
    for case in cases:
        loaded, reasons = by_file.get(case.name, []), rejected.get(case.name, [])
        expected_docs = case.documents
        expected_reasons = [case.reason] * case.rejects if case.reason else []
        if len(loaded) != expected_docs or reasons != expected_reasons:
            wrong.append(f"{case.name}: loaded {len(loaded)} (expected {expected_docs}), "
                         f"rejects {reasons} (expected {expected_reasons})")
            continue
        for flags, clean in loaded:
            if not set(case.flags) <= set(flags or []):
                wrong.append(f"{case.name}: flags {flags}, expected {case.flags}")
            if any(s in clean for s in case.absent):
                wrong.append(f"{case.name}: clean_text holds one of {case.absent!r}")
    assert not wrong, "\n".join(wrong)
    names = {c.name for c in cases}
    assert not set(by_file) - names - {"good/copy-of-8.html"}, "documents from files no case expects"
    assert not set(rejected) - names, "rejects for files no case expects"


def test_the_good_files_beside_them_load(hostile_run):
    folder, _, _, _, _, docs, _ = hostile_run
    files = {_file_of(uri, folder) for uri, _, _ in docs}
    assert {"good/8", "good/sample.txt", "good/20221121.md", "good/report.jsonl"} <= files
    assert sum(1 for uri, _, _ in docs if _file_of(uri, folder) == "good/20221121.md") == 4


def test_the_run_reports_rejects_in_one_line_each_without_a_traceback(hostile_run):
    _, cases, proc, _, _, _, _ = hostile_run
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert "FAILED batch" not in proc.stdout
    assert "rejected" in proc.stdout and "not_a_file" in proc.stdout


def test_the_run_stays_within_memory_and_time(hostile_run):
    _, cases, _, seconds, peak, _, _ = hostile_run
    assert peak < MAX_PEAK_BYTES, f"peak memory {peak / 1024 ** 3:.2f} GB"
    # all cases together, Prefect's temporary server included, in far less than a minute each
    print(f"hostile inputs: {len(cases)} cases in {seconds:.1f} s, peak {peak / 1024 ** 2:.0f} MB")
    assert seconds < MAX_SECONDS_PER_CASE * 3, f"{seconds:.0f} s for {len(cases)} cases"


def test_pipes_and_devices_named_on_the_command_line_are_rejected_not_ignored(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_bytes((ROOT / "sources" / "samples" / "miit-press-conference-2024-07-05.txt").read_bytes())
    db = tmp_path / "cli.duckdb"
    proc, _, _ = _ingest(db, str(fifo), "/dev/null", str(good))  # a FIFO opened would block: the timeout fails it
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert sorted(con.execute("SELECT source_uri, reason FROM rejects").fetchall()) == [
            ("/dev/null", "not_a_file"), (str(fifo), "not_a_file")]
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    finally:
        con.close()


def test_each_case_alone_reads_and_transforms_well_within_a_minute(tmp_path):
    """Per case, without Prefect: read_paths + transform_batch of its file alone."""
    from flows.tasks import read_paths
    from transforms.pipeline import transform_batch

    folder = tmp_path / "inbox"
    slow = []
    for case in build(folder):
        path = folder / case.name if "\\x" not in case.name else next(folder.glob("bad*name.txt"))
        if not os.path.lexists(path) or path.is_dir():
            continue
        t0 = time.monotonic()
        rb = read_paths([path])
        if rb.raw.height:
            transform_batch(rb.raw)
        if (seconds := time.monotonic() - t0) > MAX_SECONDS_PER_CASE / 6:
            slow.append(f"{case.name}: {seconds:.1f} s")
    assert not slow, slow
