"""The ingest flow: files, folders or globs -> DuckDB, batch by batch."""
from __future__ import annotations

import glob
import time
from collections import deque
from pathlib import Path

from prefect import flow, get_run_logger

from flows.crash_retries import refuse_if_crashed_too_often
from flows.inputs import chunks, discover
from flows.runners import release_results
from flows.summary import RunSummary, begin_run, final_state, finish
from flows.tasks import (dedupe_known, drop_known, files_frame, files_label, load, quiet_task_completions, read_batch, rejects_frame,
                         skip_unchanged, transform)
from flows.writer import database_writer
from sources.base import Reject
from transforms.pipeline import PIPELINE_VERSION
from warehouse.load import record_rejects


def process_files(writer, summary: RunSummary, files: list[Path], batch_size: int = 200, window: int = 4,
                  jsonl_fields: dict | None = None, on_batch=None, verify: bool = False,
                  refresh: bool = False) -> None:
    """Read and transform batches on the task runner, `window` batches in flight;
    load each in this thread, the only writer, one transaction per batch, which
    also records its files in source_files. Files recorded and unchanged since
    are not read (their documents count as seen and skipped). With refresh, every
    file is read and the documents the database already holds are replaced by
    this reading (metadata and all derived rows)."""
    logger = get_run_logger()
    if not refresh:
        with writer.session() as con:
            files = skip_unchanged(con, summary, files, verify)
    n_replaced = 0
    pending = deque(chunks(files, batch_size))
    n_files, n_submitted = len(files), 0
    while pending:
        wave = [pending.popleft() for _ in range(min(window, len(pending)))]
        reads = []
        for paths in wave:
            reads.append(read_batch.submit(paths, jsonl_fields, label=files_label(paths, n_submitted + 1, n_files)))
            n_submitted += len(paths)
        transforms = []
        for paths, rf in zip(wave, reads):
            try:
                rb = rf.result()
            except Exception as e:
                summary.failed_batches.append(f"read {paths[0]}..: {e}")
                logger.error("batch starting %s failed to read: %s", paths[0], e)
                continue
            summary.add_time("read", rb.seconds)
            summary.n_bytes += rb.n_bytes
            t0 = time.perf_counter()
            with writer.session() as con:
                if refresh:
                    raw, n_repeated, n_known = dedupe_known(con, rb.raw)
                    n_replaced += n_known
                else:
                    raw, n_repeated = drop_known(con, rb.raw)
            summary.add_time("skip_check", time.perf_counter() - t0)
            summary.seen += rb.raw.height
            summary.skipped += n_repeated
            done = files_frame([f for f in rb.files if not f.retry])
            transforms.append((paths, transform.submit(raw, label=f"{raw.height} docs of {len(paths)} files")
                               if raw.height else None, rb.rejects, done))
        for paths, tf, rejects, done in transforms:
            try:
                if tf is None:
                    with writer.session() as con:
                        record_rejects(con, rejects_frame(rejects), summary.run_id, files=done,
                                       pipeline_version=PIPELINE_VERSION)
                    res = None
                else:
                    batch = tf.result()
                    rejects = rejects + batch.rejects  # documents the transforms failed on
                    for stage, s in batch.timings.items():
                        summary.add_time(stage, s)
                    t0 = time.perf_counter()
                    res = load(writer, batch, rejects, summary.run_id, files=done, pipeline_version=PIPELINE_VERSION,
                               replace=refresh, label=f"{batch.tables['documents'].height} docs of {len(paths)} files")
                    summary.add_time("load", time.perf_counter() - t0)
            except Exception as e:
                summary.failed_batches.append(f"{paths[0]} (+{len(paths) - 1} files): {type(e).__name__}: {e}")
                logger.error("batch starting %s failed: %s", paths[0], e)
                continue
            summary.rejected += len(rejects)
            summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rejects]
            if res is not None:
                summary.loaded += res.loaded
                summary.skipped += res.skipped
            summary.batches += 1
            if on_batch:
                on_batch(summary, len(paths))
        release_results()  # the last wave's finished futures and their tables (see flows.runners)
    if refresh:
        summary.notes.append(f"{n_replaced} document(s) already in the database replaced by this reading (--refresh)")


@flow(name="ingest", log_prints=True)
def ingest_flow(paths: list[str] | None = None, db: str | None = None, batch_size: int = 200,
                jsonl_fields: dict | None = None, verify: bool = False, refresh: bool = False,
                lock_wait_seconds: float | None = None) -> RunSummary:
    """Ingest files, folders or globs (none: the bundled sample article).

    A file recorded by an earlier run and unchanged since is not read again. Ends Completed,
    `CompletedWithRejects` (some inputs rejected, the rest loaded) or Failed (a path missing,
    or batches failed).

    Args:
        paths: files, folders or globs on the worker (relative: to the checkout); each must exist.
        db: DuckDB file to load into (default: $POLICY_NEWS_DB, else policy_news.duckdb).
        batch_size: files per batch (one transaction each).
        jsonl_fields: names of JSONL fields, e.g. {"text": "body", "date": "pub_time"}.
        verify: skip a recorded file only if its bytes hash the same (default: same size and mtime).
        refresh: read every file, and replace the documents already loaded from them (new metadata,
            say a date mapped with jsonl_fields, and everything derived from it).
        lock_wait_seconds: how long to wait for another run writing to the same database
            (empty: as long as it takes).
    """
    if (refused := refuse_if_crashed_too_often("ingest")) is not None:  # flows/crash_retries.py
        return refused
    quiet_task_completions()
    files, aside, missing = discover(paths)
    with database_writer(db, lock_wait_seconds) as writer:
        with writer.session() as con:
            summary = RunSummary(run_id=begin_run(con, "ingest", PIPELINE_VERSION, {"paths": paths}),
                                 flow_name="ingest", db=str(db), set_aside=[str(a) for a in aside],
                                 missing=[str(Path(m).resolve()) if not glob.has_magic(m) else m for m in missing])
            if missing:
                rej = [Reject(m, "not_found", "no file, folder or glob match at this path") for m in missing]
                record_rejects(con, rejects_frame(rej), summary.run_id)
                summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rej]
                summary.rejected += len(rej)
        process_files(writer, summary, files, batch_size=batch_size, jsonl_fields=jsonl_fields, verify=verify,
                      refresh=refresh)
        with writer.session() as con:
            finish(con, summary)
    return final_state(summary)
