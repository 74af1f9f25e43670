"""The backfill flow: a whole archive (a folder, or a JSONL file) into DuckDB, resumably.

1. Skip the files recorded in `source_files` and unchanged since (same size and
   mtime: a stat, no read; with verify, same sha256 of the bytes).
2. Read the others (read tasks, optionally on worker processes), a window
   of read tasks at a time; drop documents whose known date is outside the
   window, and those the database already holds (by content hash): an
   interrupted backfill, run again, starts where it stopped.
3. Every PLAN_CHUNK_DOCS new documents (or PLAN_CHUNK_CHARS characters), split them into batches: by date where
   documents have one (each batch a run of consecutive dates within the chunk),
   by size otherwise, undated apart. Memory holds a chunk and the batches in
   flight, whatever the size of the archive.
4. Transform batches concurrently (thread pool, or Dask), load them one by one
   in this process, one transaction per batch, which also records in
   `source_files` every file whose last document it loads.

Date window: a document whose published_date (from the source, else inferred
from its text by the transforms) is outside [since, until] is not loaded. A
document with no date at all is not loaded either when a window is given (we
cannot say it belongs to the window), unless include_undated=True; without a
window every document is loaded.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from flows.crash_retries import refuse_if_crashed_too_often
from flows.defaults import DEFAULT_BATCH_SIZE, DEFAULT_READ_PROCESSES
from flows.ledger import FileLedger
from flows.progress import Progress
from flows.summary import RunSummary, begin_run, final_state, finish, outcomes_artifact
from flows.inputs import chunks, discover
from flows.runners import DEFAULT_DASK_WORKERS, DEFAULT_WINDOW, PlannedBatch, run_batches, transform_runner
from flows.tasks import (content_ids, files_label, quiet_task_completions, read_batch, read_pool, rejects_frame,
                         skip_unchanged)
from flows.writer import database_writer
import transforms.pipeline
from transforms.pipeline import Batch
from warehouse.load import record_rejects

# Characters of raw text per batch: a batch of long reports closes early (~200 government work reports;
# the generated archive averages 3,800 characters a document, so ~1,000 of them).
DEFAULT_BATCH_CHARS = 4_000_000
# Files per read task, and bytes: a read task closes at 50 files or 16 MB, whichever comes first
# (50 JSONL exports of 1.5 MB each made read tasks of 75 MB: four in flight, plus their documents
# waiting to be planned, took a 100,000-document backfill past 3 GB).
READ_BATCH_FILES = 50
READ_BATCH_BYTES = 16_000_000
# New documents read before they are planned into batches (by date within the chunk) and sent on:
# what is read waits in memory for at most this many documents or characters, whatever the
# archive's size (5,000 reports of 20,000 characters would be 300 MB).
PLAN_CHUNK_DOCS = 5_000
PLAN_CHUNK_CHARS = 20_000_000


def date_window(since: dt.date | None, until: dt.date | None) -> pl.Expr:
    """True where published_date is known and inside [since, until]."""
    inside = pl.col("published_date").is_not_null()
    if since:
        inside &= pl.col("published_date") >= since
    if until:
        inside &= pl.col("published_date") <= until
    return inside


def plan_batches(raw: pl.DataFrame, batch_size: int = DEFAULT_BATCH_SIZE,
                 batch_chars: int = DEFAULT_BATCH_CHARS, first_no: int = 1) -> list[PlannedBatch]:
    """Dated documents in date order, cut into runs of consecutive dates of at most
    batch_size documents and batch_chars characters; then the undated, by size.
    Batches are numbered from first_no (labels)."""
    if raw.height == 0:
        return []
    raw = raw.sort("published_date", nulls_last=True, maintain_order=True)
    dates = raw["published_date"].to_list()
    sizes = raw["text"].str.len_chars().to_list()
    bounds, start, n_chars = [], 0, 0
    for i, (date, size) in enumerate(zip(dates, sizes)):
        dated_to_undated = i > start and dates[i - 1] is not None and date is None
        if i > start and (i - start >= batch_size or n_chars + size > batch_chars or dated_to_undated):
            bounds.append((start, i))
            start, n_chars = i, 0
        n_chars += size
    bounds.append((start, len(dates)))
    return [PlannedBatch(label=_batch_label(dates[s:e], k), raw=raw.slice(s, e - s))
            for k, (s, e) in enumerate(bounds, first_no)]


def _batch_label(dates: list, k: int) -> str:
    if dates[0] is None:
        return f"#{k} undated ({len(dates)} docs)"
    span = str(dates[0]) if dates[0] == dates[-1] else f"{dates[0]}..{dates[-1]}"
    return f"#{k} {span} ({len(dates)} docs)"


def read_archive(writer, summary: RunSummary, files: list[Path], progress: Progress, since: dt.date | None,
                 until: dt.date | None, jsonl_fields: dict | None = None, window: int = DEFAULT_WINDOW,
                 batch_size: int = DEFAULT_BATCH_SIZE, batch_chars: int = DEFAULT_BATCH_CHARS,
                 ledger: FileLedger | None = None) -> Iterator[PlannedBatch]:
    """Read files on the task runner, `window` read tasks at once, and yield batches as
    they are read: every PLAN_CHUNK_DOCS new documents (or PLAN_CHUNK_CHARS) are planned into batches (by date
    within the chunk) and yielded, so memory holds one chunk whatever the archive's size.
    Documents already loaded (by content hash), repeated in the archive, or dated outside
    the window are dropped before planning."""
    progress.stage("read + transform + load", len(files))
    pending, inflight = deque(chunks(files, READ_BATCH_FILES, READ_BATCH_BYTES)), deque()
    n_files, n_submitted = len(files), 0
    # every doc_id in the database, and those read since: one query, not one per read task (16 hex
    # digits a document, ~10 MB for 100,000)
    with writer.session() as con:
        seen_ids: set[str] = {i for (i,) in con.execute("SELECT doc_id FROM documents").fetchall()}
    buffer: list[pl.DataFrame] = []
    n_buffered = n_chars = n_outside = n_planned = 0

    def top_up() -> None:  # keep `window` reads going, also while this chunk's batches transform
        nonlocal n_submitted
        while pending and len(inflight) < window:
            paths = pending.popleft()
            label = files_label(paths, n_submitted + 1, n_files)
            n_submitted += len(paths)
            inflight.append((paths, read_batch.submit(paths, jsonl_fields, label=label)))

    while pending or inflight:
        top_up()
        paths, future = inflight.popleft()
        try:
            rb = future.result()
        except Exception as e:
            summary.failed_batches.append(f"read {paths[0]} (+{len(paths) - 1} files): {type(e).__name__}: {e}")
            continue
        progress.advance(len(paths))
        summary.add_time("read", rb.seconds)
        summary.n_bytes += rb.n_bytes
        summary.seen += rb.raw.height
        summary.rejected += len(rb.rejects)
        summary.rejects += [(r.source_uri, r.reason, r.detail) for r in rb.rejects]
        t0 = time.perf_counter()
        raw = rb.raw.with_columns(_file=rb.doc_files(), _id=content_ids(rb.raw))
        if ledger:
            ledger.add(rb.files)
        if since or until:
            outside = pl.col("published_date").is_not_null() & ~date_window(since, until)
            if ledger:
                ledger.block(raw.filter(outside)["_file"].to_list())
            n_outside += raw.filter(outside).height
            raw = raw.filter(~outside)
        fresh = raw.filter(~pl.col("_id").is_in(list(seen_ids.intersection(raw["_id"].to_list()))))
        fresh = fresh.unique("_id", keep="first", maintain_order=True)
        summary.skipped += raw.height - fresh.height
        seen_ids.update(fresh["_id"].to_list())
        done = None
        if ledger:
            ledger.expect(fresh["_file"].to_list())
            done = ledger.ready([f.path for f in rb.files])
        if rb.rejects or (done is not None and done.height):
            with writer.session() as con:
                record_rejects(con, rejects_frame(rb.rejects), summary.run_id, files=done,
                               pipeline_version=ledger.version if ledger else None)
        summary.add_time("skip_check", time.perf_counter() - t0)
        if fresh.height:
            buffer.append(fresh)
            n_buffered += fresh.height
            n_chars += int(fresh["text"].str.len_chars().sum())
        if n_buffered >= PLAN_CHUNK_DOCS or n_chars >= PLAN_CHUNK_CHARS or not (pending or inflight):
            chunk = pl.concat(buffer) if buffer else pl.DataFrame()
            buffer, n_buffered, n_chars = [], 0, 0
            for b in plan_batches(chunk, batch_size, batch_chars, first_no=n_planned + 1):
                n_planned += 1
                progress.planned(n_planned)
                top_up()
                yield PlannedBatch(label=b.label, raw=b.raw.drop("_file", "_id"), doc_files=b.raw["_file"].to_list(),
                                   doc_ids=b.raw["_id"].to_list(), ledger=ledger)
            del chunk
    if n_outside:
        summary.notes.append(f"{n_outside} document(s) dated outside the window, not loaded")


def keep_in_window(summary: RunSummary, since: dt.date | None, until: dt.date | None, include_undated: bool):
    """-> accept(batch): drop the documents whose published_date, now inferred, is outside the window."""
    counts = {"outside": 0, "undated": 0}

    def accept(batch: Batch) -> Batch:
        docs = batch.tables["documents"]
        keep = date_window(since, until)
        if include_undated:
            keep |= pl.col("published_date").is_null()
        kept = docs.filter(keep)["doc_id"]
        if kept.len() == docs.height:
            return batch
        if not include_undated:
            counts["undated"] += docs["published_date"].null_count()
        counts["outside"] += docs.filter(pl.col("published_date").is_not_null() & ~date_window(since, until)).height
        # (a table without doc_id, the `indicators` vocabulary, is not per document)
        tables = {t: f.filter(pl.col("doc_id").is_in(kept.implode())) if "doc_id" in f.columns else f
                  for t, f in batch.tables.items()}
        return Batch(tables=tables, timings=batch.timings)

    def note() -> None:
        if counts["outside"]:
            summary.notes.append(f"{counts['outside']} document(s) whose date (inferred from the text) is "
                                 "outside the window, not loaded")
        if counts["undated"]:
            summary.notes.append(f"{counts['undated']} document(s) without any date, not loaded "
                                 "(include_undated / --include-undated loads them)")

    return accept, note


@flow(name="backfill", log_prints=True)
def backfill_flow(archive: str, db: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                  include_undated: bool = False, batch_size: int = DEFAULT_BATCH_SIZE,
                  batch_chars: int = DEFAULT_BATCH_CHARS, window: int = DEFAULT_WINDOW,
                  max_batches: int | None = None, dask: bool = False, dask_address: str | None = None,
                  dask_workers: int = DEFAULT_DASK_WORKERS, jsonl_fields: dict | None = None,
                  progress_bar: bool = False, lock_wait_seconds: float | None = None, verify: bool = False,
                  read_processes: int = DEFAULT_READ_PROCESSES, hold_database: bool = False) -> RunSummary:
    """Load an archive (a folder, a JSONL file or a glob) in date-ordered batches; a rerun resumes.

    Files recorded by an earlier run and unchanged since are not read again, documents already
    loaded are skipped. Ends Completed, `CompletedWithRejects` (some inputs rejected, the rest
    loaded) or Failed (batches failed, or no archive at the path).

    Args:
        archive: folder, JSONL file or glob, on the worker (relative: to the checkout).
        db: DuckDB file to load into (default: $POLICY_NEWS_DB, else policy_news.duckdb).
        since: load only documents published on or after this date (YYYY-MM-DD).
        until: load only documents published on or before this date.
        include_undated: with since/until, also load documents whose date is unknown.
        batch_size: documents per batch (one transform task, one transaction).
        batch_chars: characters of raw text per batch; a batch of long reports closes early.
        window: batches (and read tasks) in flight at once.
        max_batches: stop after this many batches; a rerun goes on.
        dask: transform on a local Dask cluster of worker processes.
        dask_address: transform on a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (its workers
            need this package and PREFECT_API_URL).
        dask_workers: worker processes of the local Dask cluster.
        jsonl_fields: names of JSONL fields, e.g. {"text": "body", "date": "pub_time"}.
        progress_bar: a progress bar on the terminal (the CLI's).
        lock_wait_seconds: how long to wait for another run writing to the same database
            (empty: as long as it takes).
        verify: skip a recorded file only if its bytes hash the same (default: same size and mtime).
        read_processes: worker processes reading files (0: threads).
        hold_database: keep the database file open for the whole run: no reader gets in until
            it ends (by default the writer lets readers in when they ask, and every few seconds).
    """
    if (refused := refuse_if_crashed_too_often("backfill")) is not None:  # flows/crash_retries.py
        return refused
    if since and until and since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    quiet_task_completions()
    files, aside, missing = discover([archive])
    if missing:
        raise FileNotFoundError(f"no archive at {archive} (absolute: {Path(archive).resolve()})")
    windowed = bool(since or until)
    version = transforms.pipeline.PIPELINE_VERSION  # read at run time: one constant to bump
    progress = Progress(progress_bar)
    try:
        with database_writer(db, lock_wait_seconds, hold_open=hold_database) as writer:
            params = {"archive": archive, "since": since, "until": until, "include_undated": include_undated,
                      "batch_size": batch_size, "max_batches": max_batches, "dask": bool(dask or dask_address)}
            with writer.session() as con:
                summary = RunSummary(run_id=begin_run(con, "backfill", version, params), flow_name="backfill",
                                     db=str(db), set_aside=[str(a) for a in aside], pipeline_version=version)
                files = skip_unchanged(con, summary, files, verify)
            if windowed:
                summary.notes.append(f"date window {since or '...'} to {until or '...'}")
            progress.start(len(files), f"backfill of {archive}: {len(files)} files to read")
            ledger = FileLedger(summary.run_id, version)
            batches = read_archive(writer, summary, files, progress, since, until, jsonl_fields, window,
                                   batch_size, batch_chars, ledger)
            accept, note = keep_in_window(summary, since, until, include_undated) if windowed else (None, None)
            with transform_runner(dask, dask_address, dask_workers) as runner, read_pool(read_processes):
                run_batches(writer, summary, batches, runner, window=window, pipeline_version=version,
                            accept=accept, on_batch=progress.batch_done, max_batches=max_batches)
            summary.writer = writer.stats()
            if note:
                note()
            if summary.stopped_early:
                summary.notes.append(f"stopped after {max_batches} batch(es) as asked; run again to go on")
            with writer.session() as con:
                finish(con, summary)
                outcomes_artifact(con)
    finally:
        progress.close()
    return final_state(summary)
