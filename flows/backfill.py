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
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from flows.ingest import RunSummary, finish, outcomes_artifact, raise_if_failed
from flows.inputs import chunks, discover
from flows.runners import DEFAULT_DASK_WORKERS, DEFAULT_WINDOW, PlannedBatch, run_batches, transform_runner
from flows.tasks import (SourceFile, content_ids, files_frame, read_batch, read_pool, rejects_frame,
                         skip_unchanged)
import transforms.pipeline
from transforms.pipeline import Batch
from warehouse.db import connect, tune_for_bulk_load
from warehouse.load import record_rejects, start_run

# Documents per batch (one transform task, one transaction). A batch pays a fixed cost in the transforms
# (~0.14 s: polars keeps 32 compiled patterns per thread, so each batch compiles the pipeline's patterns
# again, the figure patterns 3-7 ms each, and runs a few thousand frame operations): on the 10,000
# generated documents, one thread, transforms took 12.1 s in batches of 500 documents / 2M characters,
# 9.6 s of 1,000 / 4M, 8.9 s of 2,000 / 8M; the largest transform peak was +94, +156, +269 MB. Loading
# costs 1.5 ms a document in batches of 500, 1.3 ms of 1,000.
DEFAULT_BATCH_SIZE = 1_000
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
# Worker processes reading files (`--read-processes`). HTML parsing holds the GIL, but on 2 CPUs the
# transforms keep both busy anyway: 10,000 generated documents took 41.8 s with 2 read processes and
# 40.1 s on threads (and 340 MB less). Worth it where there are cores to spare.
DEFAULT_READ_PROCESSES = 0


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


class Progress:
    """Progress as a Prefect progress artifact, and as a rich bar on stderr when asked."""

    def __init__(self, show_bar: bool, key: str = "backfill-progress"):
        self.key, self.artifact_id, self.bar, self.task, self.total = key, None, None, None, 0
        if show_bar:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=Console(stderr=True))
            self.bar.start()

    def stage(self, description: str, total: int) -> None:
        if self.bar:
            if self.task is not None:
                self.bar.update(self.task, completed=self.bar.tasks[self.task].total)
            self.task = self.bar.add_task(description, total=total)

    def start(self, n_files: int, description: str) -> None:
        self.n_files, self.files_read, self.percent = n_files, 0, 0.0
        self._artifact(0.0, description)

    def advance(self, n: int = 1) -> None:  # files read
        self.files_read += n
        if self.bar:
            self.bar.advance(self.task, n)

    def planned(self, total: int) -> None:
        self.total = total

    def batch_done(self, summary: RunSummary, _planned: PlannedBatch) -> None:
        """Batches are planned as files are read: done = batches loaded of those planned,
        times the share of files read (never going back)."""
        done = summary.batches + len(summary.failed_batches)
        estimate = 100.0 * done / max(self.total, 1) * self.files_read / max(self.n_files, 1)
        if estimate > self.percent + 0.5 or (estimate >= 100.0 > self.percent):
            self.percent = estimate
            self._artifact(estimate)

    def _artifact(self, percent: float, description: str | None = None) -> None:
        from prefect.artifacts import create_progress_artifact, update_progress_artifact

        try:  # a report, never a reason to fail the run
            if self.artifact_id is None:
                self.artifact_id = create_progress_artifact(progress=percent, key=self.key, description=description)
            else:
                update_progress_artifact(self.artifact_id, progress=percent)
        except Exception as e:
            get_run_logger().warning("could not update the progress artifact: %s", e)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


class FileLedger:
    """Which input files have all their documents in the database. A file is recorded
    in source_files with the batch that loads the last of its documents (batches load
    in order); never when one of its documents was left out (date window, a failed
    batch, a run stopped early) or when its reject may not recur (SourceFile.retry)."""

    def __init__(self, run_id: str, pipeline_version: str):
        self.run_id, self.version = run_id, pipeline_version
        self.files: dict[str, SourceFile] = {}
        self.remaining: dict[str, int] = {}  # documents planned into batches, not yet loaded
        self.blocked: set[str] = set()

    def add(self, files: list[SourceFile]) -> None:
        for f in files:
            self.files[f.path] = f
            self.remaining[f.path] = 0
            if f.retry:
                self.blocked.add(f.path)

    def block(self, paths) -> None:
        self.blocked.update(paths)

    def expect(self, paths) -> None:
        for p in paths:
            self.remaining[p] += 1

    def ready(self, paths) -> pl.DataFrame:
        """Files with no document left to load (all known, or none), forgotten once returned."""
        return self._take([p for p in paths if self.remaining.get(p) == 0])

    def settle(self, planned: PlannedBatch, batch: Batch | None) -> pl.DataFrame:
        """A batch is loaded (batch: what it loads) or failed (None): -> files it completes."""
        kept = set(batch.tables["documents"]["doc_id"].to_list()) if batch is not None else set()
        done = []
        for path, doc_id in zip(planned.doc_files, planned.doc_ids):
            if doc_id not in kept:
                self.blocked.add(path)
            self.remaining[path] -= 1
            if self.remaining[path] == 0:
                done.append(path)
        return self._take(done)

    def _take(self, paths: list[str]) -> pl.DataFrame:
        keep = [self.files[p] for p in paths if p not in self.blocked]
        for p in paths:
            self.files.pop(p, None)
            self.remaining.pop(p, None)
        return files_frame(keep)


def read_archive(con, summary: RunSummary, files: list[Path], progress: Progress, since: dt.date | None,
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
    # every doc_id in the database, and those read since: one query, not one per read task (16 hex
    # digits a document, ~10 MB for 100,000)
    seen_ids: set[str] = {i for (i,) in con.execute("SELECT doc_id FROM documents").fetchall()}
    buffer: list[pl.DataFrame] = []
    n_buffered = n_chars = n_outside = n_planned = 0

    def top_up() -> None:  # keep `window` reads going, also while this chunk's batches transform
        while pending and len(inflight) < window:
            paths = pending.popleft()
            inflight.append((paths, read_batch.submit(paths, jsonl_fields)))

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
                  progress_bar: bool = False, lock_wait_seconds: float = 30.0, verify: bool = False,
                  read_processes: int = DEFAULT_READ_PROCESSES) -> RunSummary:
    """Load an archive (folder, JSONL file or glob), optionally only [since, until];
    skips what is already loaded, so a rerun resumes an interrupted backfill. Files
    recorded by an earlier run and unchanged since (same size and mtime; with verify,
    same sha256) are not read at all. read_processes: worker processes reading files
    (0: the read tasks read on the task runner's threads)."""
    if since and until and since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    files, aside, missing = discover([archive])
    if missing:
        raise FileNotFoundError(f"no archive at {archive}")
    windowed = bool(since or until)
    version = transforms.pipeline.PIPELINE_VERSION  # read at run time: one constant to bump
    con = connect(db, wait_seconds=lock_wait_seconds)
    tune_for_bulk_load(con)
    progress = Progress(progress_bar)
    try:
        params = {"archive": archive, "since": since, "until": until, "include_undated": include_undated,
                  "batch_size": batch_size, "max_batches": max_batches, "dask": bool(dask or dask_address)}
        summary = RunSummary(run_id=start_run(con, "backfill", version, params), flow_name="backfill",
                             db=str(db), set_aside=[str(a) for a in aside])
        if windowed:
            summary.notes.append(f"date window {since or '...'} to {until or '...'}")
        files = skip_unchanged(con, summary, files, verify)
        progress.start(len(files), f"backfill of {archive}: {len(files)} files to read")
        ledger = FileLedger(summary.run_id, version)
        batches = read_archive(con, summary, files, progress, since, until, jsonl_fields, window,
                               batch_size, batch_chars, ledger)
        accept, note = keep_in_window(summary, since, until, include_undated) if windowed else (None, None)
        with transform_runner(dask, dask_address, dask_workers) as runner, read_pool(read_processes):
            run_batches(con, summary, batches, runner, window=window, pipeline_version=version,
                        accept=accept, on_batch=progress.batch_done, max_batches=max_batches)
        if note:
            note()
        if summary.stopped_early:
            summary.notes.append(f"stopped after {max_batches} batch(es) as asked; run again to go on")
        finish(con, summary)
        outcomes_artifact(con)
    finally:
        progress.close()
        con.close()
    return raise_if_failed(summary)


def _date(text: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def cmd_backfill(args) -> int:
    from flows.cli import PROG, UsageError, _db, run_flow

    # checked here, before Prefect starts (the flow checks them again for deployments)
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"{PROG} backfill: --since {args.since} is after --until {args.until}")
    if discover([args.archive])[2]:
        raise UsageError(f"{PROG} backfill: no archive at {args.archive} (a folder, JSONL file or glob)")
    fields = dict(kv.split("=", 1) for kv in args.jsonl_field or [])
    return run_flow(backfill_flow, archive=args.archive, db=_db(args), since=args.since, until=args.until,
                    include_undated=args.include_undated, batch_size=args.batch_size, window=args.window,
                    max_batches=args.max_batches, dask=args.dask, dask_address=args.dask_address,
                    dask_workers=args.dask_workers, jsonl_fields=fields or None,
                    progress_bar=not args.no_progress and sys.stderr.isatty(), lock_wait_seconds=args.lock_wait,
                    verify=args.verify, read_processes=args.read_processes)


def add_runner_arguments(sp) -> None:
    sp.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="batches transformed at once")
    sp.add_argument("--dask", action="store_true", help="transform on a local Dask cluster (worker processes)")
    sp.add_argument("--dask-workers", type=int, default=DEFAULT_DASK_WORKERS, help="worker processes for --dask")
    sp.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="transform on a running Dask scheduler")
    sp.add_argument("--lock-wait", type=float, default=30.0, metavar="SECONDS",
                    help="how long to wait for another run that is writing to the database")


def register_cli(sub, add) -> None:
    sp = add("backfill", cmd_backfill, "load an archive (folder or JSONL) in batches; a rerun resumes")
    sp.add_argument("archive", help="folder, JSONL file or glob")
    sp.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only documents published on or after")
    sp.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="only documents published on or before")
    sp.add_argument("--include-undated", action="store_true",
                    help="with --since/--until, also load documents whose date is unknown")
    sp.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="documents per batch")
    sp.add_argument("--max-batches", type=int, help="stop after this many batches (a rerun goes on)")
    sp.add_argument("--verify", action="store_true",
                    help="skip a file loaded before only if its bytes hash the same (default: same size and mtime)")
    sp.add_argument("--read-processes", type=int, default=DEFAULT_READ_PROCESSES, metavar="N",
                    help="worker processes reading files (default 0: on threads; helps with cores to spare)")
    sp.add_argument("--field", "--jsonl-field", dest="jsonl_field", action="append", metavar="KEY=FIELD",
                    help="name a JSONL key or CSV/Parquet column: text=full_text, title=headline, date=publish_date")
    add_runner_arguments(sp)
    sp.add_argument("--no-progress", action="store_true", help="no progress bar")
