"""The ingest flow: files, folders or globs -> DuckDB, batch by batch."""
from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from prefect import flow, get_run_logger

from flows.inputs import chunks, discover
from flows.runners import release_results
from flows.summary import RunSummary, finish, raise_if_failed
from flows.tasks import drop_known, files_frame, load, read_batch, rejects_frame, skip_unchanged, transform
from sources.base import Reject
from transforms.pipeline import PIPELINE_VERSION
from warehouse.db import connect, tune_for_bulk_load
from warehouse.load import record_rejects, start_run


def process_files(con, summary: RunSummary, files: list[Path], batch_size: int = 200, window: int = 4,
                  jsonl_fields: dict | None = None, on_batch=None, verify: bool = False) -> None:
    """Read and transform batches on the task runner, `window` batches in flight;
    load each in this thread, the only writer, one transaction per batch, which
    also records its files in source_files. Files recorded and unchanged since
    are not read (their documents count as seen and skipped)."""
    logger = get_run_logger()
    files = skip_unchanged(con, summary, files, verify)
    pending = deque(chunks(files, batch_size))
    while pending:
        wave = [pending.popleft() for _ in range(min(window, len(pending)))]
        reads = [read_batch.submit(paths, jsonl_fields) for paths in wave]
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
            raw, n_known = drop_known(con, rb.raw)
            summary.add_time("skip_check", time.perf_counter() - t0)
            summary.seen += rb.raw.height
            summary.skipped += n_known
            done = files_frame([f for f in rb.files if not f.retry])
            transforms.append((paths, transform.submit(raw) if raw.height else None, rb.rejects, done))
        for paths, tf, rejects, done in transforms:
            try:
                if tf is None:
                    record_rejects(con, rejects_frame(rejects), summary.run_id, files=done,
                                   pipeline_version=PIPELINE_VERSION)
                    res = None
                else:
                    batch = tf.result()
                    for stage, s in batch.timings.items():
                        summary.add_time(stage, s)
                    t0 = time.perf_counter()
                    res = load(con, batch, rejects, summary.run_id, files=done, pipeline_version=PIPELINE_VERSION)
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


@flow(name="ingest", log_prints=True)
def ingest_flow(paths: list[str] | None = None, db: str | None = None, batch_size: int = 200,
                jsonl_fields: dict | None = None, verify: bool = False) -> RunSummary:
    """Ingest files, folders or globs (none: the bundled sample article). A file
    recorded by an earlier run and unchanged since (same size and mtime; with
    verify, same sha256 of its bytes) is not read again."""
    files, aside, missing = discover(paths)
    con = connect(db)
    tune_for_bulk_load(con)
    try:
        summary = RunSummary(run_id=start_run(con, "ingest", PIPELINE_VERSION, {"paths": paths}),
                             flow_name="ingest", db=str(db), set_aside=[str(a) for a in aside], missing=missing)
        if missing:
            rej = [Reject(m, "not_found", "no file, folder or glob match at this path") for m in missing]
            record_rejects(con, rejects_frame(rej), summary.run_id)
            summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rej]
            summary.rejected += len(rej)
        process_files(con, summary, files, batch_size=batch_size, jsonl_fields=jsonl_fields, verify=verify)
        finish(con, summary)
    finally:
        con.close()
    return raise_if_failed(summary)
