"""Issue 8: a backfill reads the archive in bounded chunks, and a rerun does not read unchanged files."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import flows.tasks
from flows.backfill import backfill_flow
from flows.ingest import ingest_flow
from flows.tasks import read_paths
from tests.conftest import SAMPLE, DATA
from tests.test_orchestration import fingerprint, rows

pytestmark = pytest.mark.prefect

CORPUS = DATA / "corpus"
GOV = CORPUS / "gov-work-reports" / "government_work_reports.jsonl"
MFA_PAGES = ["7", "15", "16", "36", "89", "107"]


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every file the flows read (sources.registry.read_file as the read tasks call it)."""
    real, calls = flows.tasks.read_file, []

    def counting(path, **kw):
        calls.append(Path(path).name)
        return real(path, **kw)

    monkeypatch.setattr(flows.tasks, "read_file", counting)
    return calls


@pytest.fixture
def pages(tmp_path, data_dir) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in MFA_PAGES:
        shutil.copy(CORPUS / "mfa-presscon" / name, folder / name)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


@pytest.mark.timeout(300)
def test_a_rerun_over_an_unchanged_archive_reads_no_file_and_counts_every_document_skipped(tmp_path, pages, reads):
    db = tmp_path / "b.duckdb"
    first = backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert first.loaded == 7 and len(reads) == 7
    recorded = rows(db, "SELECT path, n_documents, n_rejects, first_run_id FROM source_files ORDER BY path")
    assert [(Path(p).name, n, r) for p, n, r, _ in recorded] == sorted((n, 1, 0) for n in [*MFA_PAGES, SAMPLE.name])
    assert all(Path(p).is_absolute() and run == first.run_id for p, _, _, run in recorded)

    reads.clear()
    second = backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert reads == []
    assert (second.seen, second.loaded, second.skipped) == (7, 0, 7)
    assert rows(db, "SELECT count(*) FROM documents") == [(7,)]


@pytest.mark.timeout(300)
def test_a_changed_file_is_read_again_and_only_its_new_document_loads(tmp_path, pages, reads):
    db = tmp_path / "b.duckdb"
    backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    page = pages / MFA_PAGES[0]
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("恐怖袭击", "恐怖袭击事件", 1), encoding="utf-8")
    reads.clear()
    again = backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert reads == [MFA_PAGES[0]]
    assert (again.loaded, again.skipped) == (1, 6)
    size, = rows(db, f"SELECT size FROM source_files WHERE path = '{page.resolve()}'")[0]
    assert size == page.stat().st_size
    assert rows(db, "SELECT count(DISTINCT first_run_id) FROM source_files") == [(1,)]  # first run kept


@pytest.mark.timeout(300)
def test_verify_reads_a_file_whose_bytes_changed_behind_the_same_size_and_mtime(tmp_path, pages, reads):
    db = tmp_path / "b.duckdb"
    backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    page = pages / MFA_PAGES[1]
    st = page.stat()
    data = page.read_bytes()
    # same length: one two-character word for another, in the body
    page.write_bytes(data.replace("中新社记者".encode(), "中新社媒体".encode(), 1))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    reads.clear()
    fast = backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert reads == [] and fast.loaded == 0  # the stat alone cannot see it
    verified = backfill_flow(archive=str(pages), db=str(db), batch_size=2, verify=True)
    assert reads == [MFA_PAGES[1]] and verified.loaded == 1


@pytest.mark.timeout(300)
def test_a_multi_document_file_is_recorded_only_once_its_last_document_is_loaded(tmp_path, data_dir, reads):
    archive = tmp_path / "reports"
    archive.mkdir()
    shutil.copy(GOV, archive / GOV.name)
    n_docs = read_paths([GOV]).raw.height
    db = tmp_path / "b.duckdb"
    first = backfill_flow(archive=str(archive), db=str(db), batch_size=5, max_batches=2)
    assert first.status == "stopped" and first.loaded == 10
    assert rows(db, "SELECT count(*) FROM source_files") == [(0,)]
    rest = backfill_flow(archive=str(archive), db=str(db), batch_size=5)
    assert (rest.loaded, rest.skipped) == (n_docs - 10, 10)
    assert rows(db, "SELECT n_documents FROM source_files") == [(n_docs,)]
    reads.clear()
    third = backfill_flow(archive=str(archive), db=str(db), batch_size=5)
    assert reads == [] and third.skipped == n_docs


@pytest.mark.timeout(300)
def test_a_file_with_documents_outside_the_date_window_is_not_recorded(tmp_path, data_dir, reads):
    archive = tmp_path / "reports"
    archive.mkdir()
    shutil.copy(GOV, archive / GOV.name)
    db = tmp_path / "b.duckdb"
    windowed = backfill_flow(archive=str(archive), db=str(db), since=dt.date(2010, 1, 1), until=dt.date(2019, 12, 31))
    assert 0 < windowed.loaded and rows(db, "SELECT count(*) FROM source_files") == [(0,)]
    reads.clear()
    everything = backfill_flow(archive=str(archive), db=str(db))
    assert reads == [GOV.name] and everything.loaded > 0
    assert rows(db, "SELECT count(*) FROM documents") == [(read_paths([GOV]).raw.height,)]


@pytest.mark.timeout(300)
def test_a_rejected_file_is_recorded_and_not_read_again_unless_it_changes(tmp_path, pages, reads):
    (pages / "blank.txt").write_text("  \n\n", encoding="utf-8")
    db = tmp_path / "b.duckdb"
    backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert rows(db, "SELECT n_documents, n_rejects FROM source_files WHERE path LIKE '%/blank.txt'") == [(0, 1)]
    reads.clear()
    backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert reads == []
    (pages / "blank.txt").write_text("第一段。\n\n外交部发言人毛宁主持例行记者会。", encoding="utf-8")
    third = backfill_flow(archive=str(pages), db=str(db), batch_size=2)
    assert reads == ["blank.txt"] and third.loaded == 1
    assert rows(db, "SELECT count(*) FROM rejects") == [(1,)]


@pytest.mark.timeout(300)
def test_a_backfill_stopped_after_one_batch_has_not_read_the_whole_archive(tmp_path, pages, reads, monkeypatch):
    import flows.backfill

    monkeypatch.setattr(flows.backfill, "READ_BATCH_FILES", 1)
    monkeypatch.setattr(flows.backfill, "PLAN_CHUNK_DOCS", 2)
    db = tmp_path / "b.duckdb"
    summary = backfill_flow(archive=str(pages), db=str(db), batch_size=2, max_batches=1, window=1)
    assert summary.loaded <= 2 and summary.stopped_early
    assert len(reads) < 7  # batches are planned from what is read, as it is read


@pytest.mark.timeout(300)
def test_a_second_ingest_does_not_parse_the_files_again(tmp_path, pages, reads):
    db = tmp_path / "i.duckdb"
    first = ingest_flow(paths=[str(pages)], db=str(db), batch_size=3)
    assert first.loaded == 7 and len(reads) == 7
    reads.clear()
    second = ingest_flow(paths=[str(pages)], db=str(db), batch_size=3)
    assert reads == [] and (second.seen, second.loaded, second.skipped) == (7, 0, 7)


@pytest.mark.timeout(300)
def test_reading_on_worker_processes_gives_the_same_tables_as_threads(tmp_path, pages):
    threads, processes = tmp_path / "threads.duckdb", tmp_path / "processes.duckdb"
    backfill_flow(archive=str(pages), db=str(threads), batch_size=2)
    backfill_flow(archive=str(pages), db=str(processes), batch_size=2, read_processes=2)
    assert fingerprint(processes) == fingerprint(threads)
    assert rows(processes, "SELECT count(*), sum(n_documents) FROM source_files") == [(7, 7)]


def test_read_tasks_close_at_a_byte_budget_as_well_as_a_file_count(tmp_path):
    """Big JSONL exports make small read tasks; web pages make tasks of `size` files."""
    from flows.inputs import chunks

    sizes = [10, 10, 10, 60, 10, 200, 10, 10]
    files = []
    for i, n in enumerate(sizes):
        f = tmp_path / f"f{i}"
        f.write_bytes(b"x" * n)
        files.append(f)
    files.append(tmp_path / "missing")  # a file that went away: counted as 0 bytes, still read (and rejected)
    got = chunks(files, 3, max_bytes=100)
    assert [[f.name for f in c] for c in got] == [
        ["f0", "f1", "f2"], ["f3", "f4"], ["f5"], ["f6", "f7", "missing"]]
    assert chunks(files, 4) == [files[0:4], files[4:8], files[8:]]


@pytest.mark.timeout(300)
def test_the_tables_of_loaded_batches_do_not_wait_for_the_garbage_collector(tmp_path, pages, monkeypatch):
    """A finished Prefect future and the future it wraps refer to each other, so a batch's
    tables would live until Python's rare full collection (a 100,000-document backfill grew
    past 4 GB between two): the loop frees them every `window` batches. Automatic collection
    is off here, so only that can free them."""
    import gc
    import weakref

    real, alive = flows.tasks.transform_batch, []

    def tracked(raw, version):
        batch = real(raw, version)
        alive.append(weakref.ref(batch))
        return batch

    monkeypatch.setattr(flows.tasks, "transform_batch", tracked)
    gc.collect()
    gc.disable()
    try:
        summary = backfill_flow(archive=str(pages), db=str(tmp_path / "g.duckdb"), batch_size=1, window=2)
        still = sum(r() is not None for r in alive)
    finally:
        gc.enable()
    assert summary.loaded == 7 and len(alive) == 7
    assert still <= 2
